"""Báo cáo: what is on screen is what is saved, printed, numbered and submitted; periods are
typed and shown as on paper (12/2026); the deployment deadline follows the period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from app.services import upward_reports
from tests.app.test_feedback_kit import make_branch, outbox, pdf_text
from ui.qt import QtCore, QtWidgets
from ui.reports.section import ReportsSection, shown_period
from ui.style import apply_text_size
from ui.widgets.section import AppContext


def _section(qtbot: Any, ctx: AppContext) -> ReportsSection:
    make_branch(ctx.book)
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    section.draft()
    assert section.report is not None
    return section


def test_printing_saves_the_typed_text_first(qtbot: Any, ctx: AppContext, tmp_path: Path) -> None:
    section = _section(qtbot, ctx)
    section.editors[-1].body.setPlainText("Xin kinh phí sửa mái nhà văn hóa khu phố.")
    assert section.has_unsaved_changes()
    out = section.print_pdf(tmp_path / "bao-cao.pdf")  # Lưu never pressed
    assert out is not None
    assert "Xin kinh phí sửa mái nhà văn hóa khu phố." in pdf_text(out.read_bytes())
    assert section.report is not None
    stored = upward_reports.get(ctx.book, report_id=section.report.id)
    assert stored.sections[-1].body == "Xin kinh phí sửa mái nhà văn hóa khu phố."
    assert not section.has_unsaved_changes()
    assert "Đã lưu lúc" in section.saved_label.text()
    kind, _title, text = ctx.message.shown[-1]
    assert kind == "info" and str(out) in text  # the open / print offer


def test_numbering_and_submitting_keep_the_typed_text(qtbot: Any, ctx: AppContext) -> None:
    section = _section(qtbot, ctx)
    section.subtitle.setText("Về tình hình quý IV")
    section.editors[-1].body.setPlainText("Đề nghị tập huấn lại cho bí thư.")
    section.assign_number()
    assert section.number.text() == "01-BC/CB"
    assert section.subtitle.text() == "Về tình hình quý IV"
    assert section.editors[-1].body.toPlainText() == "Đề nghị tập huấn lại cho bí thư."
    section.editors[-1].body.setPlainText("Đề nghị tập huấn lại cho bí thư và phó bí thư.")
    section.submit()
    assert section.report is not None and section.report.state == "submitted"
    sent = upward_reports.get(ctx.book, report_id=section.report.id)
    assert sent.sections[-1].body == "Đề nghị tập huấn lại cho bí thư và phó bí thư."
    assert sent.subtitle == "Về tình hình quý IV"
    assert len(outbox(ctx.book, "report")) == 1


def test_issue_date_typed_whole_is_saved_and_a_bad_one_stops_printing(
    qtbot: Any, ctx: AppContext, tmp_path: Path
) -> None:
    section = _section(qtbot, ctx)
    assert section.report is not None
    day = max(section.report.issued_on, dt.date.today()) + dt.timedelta(days=3)
    section.issued_on.edit.setText(f"{day.day}/{day.month}/{day.year}")  # never left the field
    assert section.has_unsaved_changes()
    section.save()
    assert upward_reports.get(ctx.book, report_id=section.report.id).issued_on == day
    assert section.issued_on.edit.text() == f"{day:%d/%m/%Y}"
    section.issued_on.edit.setText("31/02/2026")
    section.print_pdf(tmp_path / "bao-cao.pdf")
    assert "không phải là ngày có thật" in section.issued_on.problem()
    assert not (tmp_path / "bao-cao.pdf").exists()
    assert upward_reports.get(ctx.book, report_id=section.report.id).issued_on == day


def test_leaving_with_unsaved_edits_offers_to_save(qtbot: Any, ctx: AppContext) -> None:
    section = _section(qtbot, ctx)
    section.editors[-1].body.setPlainText("Ghi dở")
    ctx.message.auto_answer = "save"  # "Lưu"
    assert section.may_leave()
    assert ctx.message.shown[-1][:2] == ("warning", "Báo cáo chưa lưu")
    assert ctx.message.offered[-1] == ("Lưu", "Không lưu", "Ở lại sửa tiếp")
    assert section.report is not None
    assert upward_reports.get(ctx.book, report_id=section.report.id).sections[-1].body == "Ghi dở"


def test_leaving_unsaved_edits_stay_or_drop_them(qtbot: Any, ctx: AppContext) -> None:
    section = _section(qtbot, ctx)
    assert section.report is not None
    before = upward_reports.get(ctx.book, report_id=section.report.id).sections[-1].body
    section.editors[-1].body.setPlainText("Ghi dở")
    ctx.message.auto_answer = "stay"  # "Ở lại sửa tiếp" (also Esc)
    assert not section.may_leave()
    assert section.editors[-1].body.toPlainText() == "Ghi dở"
    assert section.has_unsaved_changes()
    ctx.message.auto_answer = "discard"  # "Không lưu"
    assert section.may_leave()
    assert not section.has_unsaved_changes()
    assert upward_reports.get(ctx.book, report_id=section.report.id).sections[-1].body == before


def test_period_typed_as_on_paper(qtbot: Any, ctx: AppContext) -> None:
    assert shown_period("monthly", dt.date(2027, 1, 10)) == "12/2026"
    assert shown_period("quarterly", dt.date(2027, 1, 10)) == "Q4/2026"
    make_branch(ctx.book)
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    section.period.setText("12/2026")
    section.draft()
    assert section.report is not None and section.report.period == "2026-12", section.notice.text()
    assert "tháng 12 năm 2026" in section.state_label.text()
    section.period.setText("2026-11")  # the old form still works
    section.draft()
    assert section.report is not None and section.report.period == "2026-11"


def test_deployment_deadline_follows_the_period(qtbot: Any, ctx: AppContext) -> None:
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.kind.setCurrentIndex(section.kind.findData("deployment"))
    section.period.setText("12/2026")
    section.refresh(None)
    assert section.deployment_due.date() == dt.date(2026, 12, 15)
    assert upward_reports.deployment_due(ctx.book, period="2025-11") == dt.date(2025, 11, 15)
    assert section.deployment_due.date() != upward_reports.DEFAULT_DEPLOYMENT_DUE


def test_switching_away_from_the_page_offers_to_save(qtbot: Any, ctx: AppContext) -> None:
    from ui.qt import QtWidgets

    make_branch(ctx.book)
    window = QtWidgets.QWidget()
    qtbot.addWidget(window)
    pages = QtWidgets.QStackedWidget(window)
    section = ReportsSection(ctx)
    other = QtWidgets.QLabel("Tổng quan")
    pages.addWidget(section)
    pages.addWidget(other)
    window.show()
    section.refresh(None)
    section.draft()
    assert section.report is not None
    section.editors[-1].body.setPlainText("Đề nghị cấp thêm tài liệu học tập.")
    pages.setCurrentWidget(other)  # the secretary clicks another section
    assert ctx.message.shown[-1][:2] == ("ask", "Báo cáo chưa lưu")
    stored = upward_reports.get(ctx.book, report_id=section.report.id)
    assert stored.sections[-1].body == "Đề nghị cấp thêm tài liệu học tập."


@pytest.mark.parametrize(
    ("width", "large"), [(1024, True), (1280, True), (1366, True), (1366, False)]
)
def test_report_names_are_readable_in_the_list(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, width: int, large: bool
) -> None:
    """The name column was squeezed to "B…" at 1366×768 in large text (F12): it now wraps,
    every word whole and every line in sight (two at most); the number stays whole."""
    apply_text_size(qapp, large=large)
    try:
        section = _section(qtbot, ctx)
        section.resize(width - 290, 640)  # the page beside the section list
        section.show()
        qtbot.wait(50)
        view = section.view
        metrics = view.fontMetrics()
        pad = 2 * (view.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        for row in range(section.model.rowCount()):
            number = str(section.model.index(row, 0).data())
            assert metrics.horizontalAdvance(number) + pad <= view.columnWidth(0)
            for column, most_lines in ((1, 2), (2, 3)):  # the name, the state
                index = section.model.index(row, column)
                text = str(index.data())
                rect = view.visualRect(index)
                widest = max(metrics.horizontalAdvance(word) for word in text.split())
                assert widest + pad <= rect.width(), (text, rect.width())
                wrapped = metrics.boundingRect(
                    QtCore.QRect(0, 0, rect.width() - pad, 10_000),
                    int(QtCore.Qt.TextFlag.TextWordWrap),
                    text,
                )
                assert wrapped.height() <= rect.height(), (text, rect.height())
                assert wrapped.height() <= most_lines * metrics.lineSpacing() + 2, text
    finally:
        apply_text_size(qapp, large=False)

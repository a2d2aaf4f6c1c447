"""The Báo cáo section: draft, edit, number, print, submit; no silent edit after submission."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.services import upward_reports
from tests.app.test_feedback_kit import make_branch, month_before, outbox, pdf_text
from ui.reports.section import ReportsSection, default_period
from ui.widgets.section import AppContext


def test_draft_edit_submit_amend_and_print(
    qtbot: Any, ctx: AppContext, tmp_path: Path, qtmodeltester: Any
) -> None:
    make_branch(ctx.book)
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    assert section.model.rowCount() == 0
    assert not section.submit_button.isEnabled()
    assert section.period.text() == f"{month_before(dt.date.today()):%m/%Y}"  # as on paper
    section.draft()
    assert section.model.rowCount() == 1
    qtmodeltester.check(section.model)
    assert section.report is not None
    assert "Bản nháp" in section.state_label.text()
    titles = [e.title() for e in section.editors]
    assert titles[0] == "Phần mở đầu"
    assert titles[1] == "I. Tình hình sinh hoạt chi bộ"
    assert titles[-1] == "VI. Đề xuất, kiến nghị"

    section.editors[-1].body.setPlainText("Xin kinh phí sửa nhà văn hóa.")
    section.save()
    assert upward_reports.get(ctx.book, report_id=section.report.id).sections[-1].body == (
        "Xin kinh phí sửa nhà văn hóa."
    )
    assert outbox(ctx.book, "report") == []

    section.submit()  # confirmed through the message wrapper
    assert section.report.state == "submitted"
    assert section.number.text() == "01-BC/CB"
    assert "Đã gửi cấp trên" in section.state_label.text()
    assert not section.submit_button.isEnabled()
    assert len(outbox(ctx.book, "report")) == 1

    section.editors[-1].body.setPlainText("Xin kinh phí sửa loa.")
    section.save()
    assert "phải ghi lý do" in section.error.text()
    assert section.report.revision == 1
    section.editors[-1].body.setPlainText("Xin kinh phí sửa loa.")
    section.reason.setText("Chi ủy bổ sung kiến nghị")
    section.save()
    assert section.report.revision == 2
    assert "Đã sửa sau khi gửi" in section.state_label.text()
    assert "Bản 1" in section.history_label.text()
    assert section.submit_button.isEnabled()

    out = section.print_pdf(tmp_path / "bao-cao.pdf")
    assert out is not None
    text = pdf_text(out.read_bytes())
    assert "Số 01-BC/CB" in text
    assert "(Bản sửa đổi lần 1: Chi ủy bổ sung kiến nghị)" in text
    assert "Xin kinh phí sửa loa." in text


def test_empty_period_gives_a_draft_with_a_notice(qtbot: Any, ctx: AppContext) -> None:
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    section.period.setText("2020-01")
    section.draft()
    assert "chưa có dữ liệu nào" in section.notice.text()
    assert section.report is not None and section.report.state == "draft"
    section.period.setText("tháng trước")
    section.draft()
    assert "YYYY-MM" in section.notice.text()
    assert section.model.rowCount() == 1
    section.remove()
    assert section.model.rowCount() == 0
    assert section.report is None


def test_default_periods() -> None:
    day = dt.date(2026, 1, 15)
    assert default_period("monthly", day) == "2025-12"
    assert default_period("deployment", day) == "2026-01"
    assert default_period("quarterly", day) == "2025-Q4"
    assert default_period("yearly", day) == "2025"


def test_deployment_due_date_is_set_from_the_section(qtbot: Any, ctx: AppContext) -> None:
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    # No date set by the committee: the plan's day (15th) of the current month, not 15/11/2025.
    today = dt.date.today()
    assert section.deployment_due.date() == dt.date(today.year, today.month, 15)
    soon = dt.date.today() + dt.timedelta(days=10)
    section.deployment_due.edit.setText(f"{soon:%d/%m/%Y}")  # typed whole, not yet left
    section.set_deployment_due()
    assert upward_reports.deployment_due(ctx.book) == soon
    assert f"hạn {soon:%d/%m/%Y}" in section.due_label.text()

"""Sinh hoạt section: meeting list, the create/edit dialog, leave requests, papers, stats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from app.book import Book
from app.services import attendance, meetings, voting_rules
from tests.app.test_feedback_kit import month_before
from tests.app.test_meetings_support import (
    add_document,
    days_ago,
    make_branch,
    new_meeting,
    pdf_text,
)
from ui.meetings.attendance_stats import AttendanceStatsDialog, RulesDialog
from ui.meetings.section import (
    AbsenceRequestDialog,
    MeetingDialog,
    MeetingsSection,
)
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext


def _section(qtbot: object, ctx: AppContext) -> MeetingsSection:
    section = MeetingsSection(ctx)
    qtbot.addWidget(section)  # type: ignore[attr-defined]
    section.show()
    section.refresh(None)
    return section


def test_list_shows_meetings_with_their_figures_and_warnings(
    qtbot: object, qtmodeltester: object, ctx: AppContext, book: Book
) -> None:
    branch = make_branch(book)
    for back in (3, 2, 1):  # one regular meeting in each of the last three months
        day = month_before(dt.date.today(), back).replace(day=8)
        m = new_meeting(book, at=dt.datetime.combine(day, dt.time(19, 30)))
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id("Võ Thị Sáu"), status="unexcused"
        )
        attendance.mark_remaining_present(book, meeting_id=m.id)
    section = _section(qtbot, ctx)
    section.year.setCurrentIndex(section.year.findData(None))  # all years
    qtmodeltester.check(section.model)  # type: ignore[attr-defined]
    assert section.model.rowCount() == 3
    first = section.model.index(0, 4).data()
    assert first == "6/7"
    assert section.model.index(0, 3).data() == "Đang họp"
    assert "Võ Thị Sáu" in section.warnings.text()
    assert section.selected_id() == section.model.items[0].meeting.id  # newest selected
    assert section.buttons["roll"].isEnabled()
    section.view.clearSelection()
    assert not section.buttons["roll"].isEnabled()


def test_create_dialog_prefills_the_standard_agenda_and_follows_the_kind(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    dialog = MeetingDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    agenda = dialog.agenda.toPlainText().splitlines()
    assert agenda == meetings.standard_agenda("thuong_ky")
    assert dialog.chair.currentText() == "Trần Văn Bình"  # the branch's secretary
    assert not dialog.topic.isEnabled()
    dialog.kind.setCurrentIndex(dialog.kind.findData("chuyen_de"))
    assert dialog.topic.isEnabled()
    dialog.topic.setText("Chuyển đổi số")
    assert "Trình bày báo cáo chuyên đề: Chuyển đổi số" in dialog.agenda.toPlainText()
    # The secretary's own agenda is not overwritten by changing the kind.
    dialog.agenda.setPlainText("Khai mạc\nBàn việc làm đường ngõ 5")
    dialog.kind.setCurrentIndex(dialog.kind.findData("bat_thuong"))
    assert dialog.agenda.toPlainText() == "Khai mạc\nBàn việc làm đường ngõ 5"

    dialog.place.setText("Nhà văn hóa khu phố 3")
    dialog.secretary.setCurrentText("Nguyễn Thị Hòa")
    dialog.date.setDate(QtCore.QDate(2095, 1, 1))
    dialog.save()
    assert "gõ nhầm" in dialog.error.text()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert dialog.place.text() == "Nhà văn hóa khu phố 3"  # nothing typed is lost
    nxt = dt.date.today() + dt.timedelta(days=5)
    dialog.date.setDate(QtCore.QDate(nxt.year, nxt.month, nxt.day))
    dialog.save()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    [m] = meetings.list_meetings(book)
    assert m.kind == "bat_thuong"
    assert m.agenda == ("Khai mạc", "Bàn việc làm đường ngõ 5")
    assert m.secretary_name == "Nguyễn Thị Hòa"


def test_edit_dialog_attaches_documents_and_reports_a_clash(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    first = new_meeting(book, at=days_ago(-3))
    m = new_meeting(book, at=days_ago(-40))
    doc_id = add_document(book, number="57-NQ/TW", title="Nghị quyết về khoa học, công nghệ")
    dialog = MeetingDialog(ctx, meetings.get(book, meeting_id=m.id))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.attach(doc_id)
    assert dialog.docs.count() == 1
    assert "57-NQ/TW" in dialog.docs.item(0).text()
    assert [d.number for d in meetings.documents(book, meeting_id=m.id)] == ["57-NQ/TW"]
    d = first.starts_at
    dialog.date.setDate(QtCore.QDate(d.year, d.month, d.day))
    dialog.save()
    assert "cùng lúc" in dialog.error.text()
    assert meetings.get(book, meeting_id=m.id).starts_at == days_ago(-40)


def test_absence_request_dialog_records_reason_and_channel(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    branch = make_branch(book)
    m = new_meeting(book, at=days_ago(-2))
    dialog = AbsenceRequestDialog(ctx, m.id)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.member.findText("Hồ Thị Kỷ") == -1  # exempted members need not ask
    assert dialog.member.currentData() is None  # nobody chosen before the secretary picks
    dialog.reason.setText("Ốm")
    dialog.add()
    assert "Chưa chọn đồng chí" in dialog.error.text()
    assert dialog.list.count() == 0
    dialog.reason.clear()
    dialog.member.setCurrentIndex(dialog.member.findText("Lê Văn Tám"))
    dialog.add()
    assert "lý do" in dialog.error.text()
    dialog.reason.setText("Đi công tác Gia Lai")
    dialog.channel.setCurrentIndex(dialog.channel.findData("tin_nhan"))
    dialog.add()
    assert dialog.list.count() == 1
    assert "Lê Văn Tám — Đi công tác Gia Lai (Tin nhắn" in dialog.list.item(0).text()
    row = attendance.roll_call(book, meeting_id=m.id).row(branch.id("Lê Văn Tám"))
    assert row is not None and row.request_channel == "tin_nhan"


def test_section_writes_the_invitation_pdf(
    qtbot: object, ctx: AppContext, book: Book, tmp_path: Path
) -> None:
    from app.services import dashboard

    make_branch(book)
    new_meeting(book, at=days_ago(-4))
    section = _section(qtbot, ctx)
    section.view.selectRow(0)
    ready = dashboard.next_meeting(book)
    assert ready is not None and "Chưa in giấy mời họp" in ready.missing
    out = tmp_path / "moi-hop.pdf"
    section.write_paper("invitation", str(out))
    assert ctx.message.shown[-1][0] == "info"
    text = " ".join(pdf_text(out.read_bytes()))
    assert "THÔNG BÁO MỜI HỌP" in text and "Nhà văn hóa khu phố 3" in text
    ready = dashboard.next_meeting(book)
    assert ready is not None and ready.invitation_printed
    assert "Chưa in giấy mời họp" not in ready.missing


def test_stats_dialog_and_export(
    qtbot: object, qtmodeltester: object, ctx: AppContext, book: Book, tmp_path: Path
) -> None:
    branch = make_branch(book)
    year = dt.date.today().year - 1
    for month in (2, 3, 4):
        m = new_meeting(book, at=dt.datetime(year, month, 5, 19, 30))
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id("Phạm Thị Lan"), status="unexcused"
        )
        attendance.mark_remaining_present(book, meeting_id=m.id)
    dialog = AttendanceStatsDialog(ctx, year=year)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtmodeltester.check(dialog.members)  # type: ignore[attr-defined]
    qtmodeltester.check(dialog.periods)  # type: ignore[attr-defined]
    assert "3 cuộc sinh hoạt" in dialog.summary.text()
    assert "tỷ lệ dự 85,7% — đạt yêu cầu trên 85%" in dialog.summary.text()  # 18 of 21
    names = [dialog.members.index(r, 0).data() for r in range(dialog.members.rowCount())]
    lan = names.index("Phạm Thị Lan")
    assert dialog.members.index(lan, 4).data() == "3"
    assert any("xóa tên" in dialog.warnings.item(i).text() for i in range(dialog.warnings.count()))
    out = tmp_path / "du-sinh-hoat.xlsx"
    dialog.write_report(out)
    assert load_workbook(out)["Báo cáo"]["A4"].value.startswith("BÁO CÁO TÌNH HÌNH")


def test_rules_dialog_saves_the_configurable_rules(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    dialog = RulesDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.checks["subtract_excused"].isChecked()
    assert "có thể cấu hình" in dialog.checks["subtract_excused"].text()
    dialog.checks["subtract_excused"].setChecked(False)
    dialog.numbers["removal_warn_months"].setValue(3)  # type: ignore[attr-defined]
    dialog.reason.setText("Theo hướng dẫn của đảng ủy phường")
    dialog.save()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    rules = voting_rules.get_rules(book)
    assert rules.subtract_excused is False and rules.removal_warn_months == 3


def test_rules_dialog_fits_a_1024_screen_in_large_text(
    qtbot: object, qapp: QtWidgets.QApplication, ctx: AppContext
) -> None:
    from ui.style import apply_text_size

    apply_text_size(qapp, large=True)
    try:
        dialog = RulesDialog(ctx)
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        # The rule sentences wrap: the dialog can be as narrow as a 1024 screen allows
        # (it was 1,670 px wide in large text, one line per rule).
        assert dialog.minimumSizeHint().width() < 1016 - 16
        assert dialog.sizeHint().width() < 1016 - 16
        assert "có thể cấu hình" in dialog.checks["temporary_votes"].text()
    finally:
        apply_text_size(qapp, large=False)

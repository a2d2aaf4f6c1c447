"""Điểm danh on screen: one click commits, live figures, paper sheet entry, amendments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.services import attendance, meetings
from app.services.meetings import Minutes
from tests.app.test_meetings_support import make_branch, new_meeting
from tests.conftest import TEST_PASSWORD
from ui.meetings.roll_call import RollCallDialog
from ui.meetings.roll_call_model import (
    COL_EXCUSED,
    COL_LATE,
    COL_NAME,
    COL_PRESENT,
    COL_REASON,
    COL_UNEXCUSED,
    PENDING_MARK,
)
from ui.qt import QtCore
from ui.widgets.section import AppContext


def _cell(dialog: RollCallDialog, name: str, column: int) -> QtCore.QModelIndex:
    row = next(i for i, r in enumerate(dialog.model.rows) if r.full_name == name)
    return dialog.model.index(row, column)


def _click(qtbot: object, dialog: RollCallDialog, name: str, column: int) -> None:
    index = _cell(dialog, name, column)
    dialog.view.scrollTo(index)
    rect = dialog.view.visualRect(index)
    qtbot.mouseClick(  # type: ignore[attr-defined]
        dialog.view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center()
    )


def _status(book: Book, meeting_id: str, member_id: str) -> str | None:
    row = attendance.roll_call(book, meeting_id=meeting_id).row(member_id)
    assert row is not None
    return row.status


_OPENED: list[RollCallDialog] = []


@pytest.fixture(autouse=True)
def _close_dialogs() -> Iterator[None]:
    """Close each dialog while the test still holds it. (pytest-qt keeps only a weak
    reference: a dialog kept alive by a reference cycle — a failed task's exception keeps its
    frames — would otherwise be collected in the middle of its own paint event.)"""
    yield
    while _OPENED:
        _OPENED.pop().close()


def _open(qtbot: object, ctx: AppContext, meeting_id: str, **kw: bool) -> RollCallDialog:
    dialog = RollCallDialog(ctx, meeting_id, **kw)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    _OPENED.append(dialog)
    return dialog


def test_one_click_marks_present_durably_and_updates_the_figures(
    qtbot: object, qtmodeltester: object, ctx: AppContext, book: Book, data_dir: Path
) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    dialog = _open(qtbot, ctx, m.id)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.model.rowCount() == 8  # the member who moved away is not listed
    assert dialog.figures["unmarked"].text() == "7"
    assert dialog.view.verticalHeader().defaultSectionSize() >= 36  # large rows

    _click(qtbot, dialog, "Trần Văn Bình", COL_PRESENT)
    assert _cell(dialog, "Trần Văn Bình", COL_PRESENT).data() == "✔"
    assert _cell(dialog, "Trần Văn Bình", COL_LATE).data() == "○"
    assert dialog.figures["present"].text() == "1"
    assert "Đã lưu" in dialog.status.text()
    assert "Chưa đủ điều kiện" in dialog.verdict.text()

    _click(qtbot, dialog, "Phạm Thị Lan", COL_UNEXCUSED)
    _click(qtbot, dialog, "Lê Văn Tám", COL_LATE)
    assert dialog.figures["unexcused"].text() == "1"
    assert dialog.figures["present"].text() == "2"

    # Each mark shown on screen is in the book (read from a fresh connection).
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        call = attendance.roll_call(again, meeting_id=m.id)
        assert {r.full_name: r.status for r in call.rows if r.status} == {
            "Trần Văn Bình": "present",
            "Phạm Thị Lan": "unexcused",
            "Lê Văn Tám": "late",
        }
    finally:
        again.close()
    assert branch.id("Trần Văn Bình") in {r.member_id for r in dialog.model.rows}


def test_absent_with_reason_is_prefilled_from_the_request(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.request_absence(
        book,
        meeting_id=m.id,
        member_id=branch.id("Võ Thị Sáu"),
        reason="Ốm, nằm viện",
        channel="dien_thoai",
    )
    dialog = _open(qtbot, ctx, m.id)
    assert _cell(dialog, "Võ Thị Sáu", COL_REASON).data() == "Xin vắng: Ốm, nằm viện"
    _click(qtbot, dialog, "Võ Thị Sáu", COL_EXCUSED)
    row = attendance.roll_call(book, meeting_id=m.id).row(branch.id("Võ Thị Sáu"))
    assert row is not None and (row.status, row.reason) == ("excused", "Ốm, nằm viện")
    assert dialog.figures["excused"].text() == "1"

    # Without a request: the reason is typed into the row and committed with the mark.
    _click(qtbot, dialog, "Phạm Thị Lan", COL_EXCUSED)
    dialog.model.setData(_cell(dialog, "Phạm Thị Lan", COL_REASON), "Đi công tác tỉnh")
    row = attendance.roll_call(book, meeting_id=m.id).row(branch.id("Phạm Thị Lan"))
    assert row is not None and (row.status, row.reason) == ("excused", "Đi công tác tỉnh")
    assert _cell(dialog, "Phạm Thị Lan", COL_REASON).data() == "Đi công tác tỉnh"


def test_mark_everyone_else_present_and_the_verdict(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    dialog = _open(qtbot, ctx, m.id)
    _click(qtbot, dialog, "Phạm Thị Lan", COL_UNEXCUSED)
    qtbot.mouseClick(dialog.all_present, QtCore.Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert ctx.message.shown[-1][0] == "ask"
    assert dialog.figures["present"].text() == "6"
    assert dialog.figures["unmarked"].text() == "0"
    assert dialog.figures["exempted"].text() == "1"
    assert dialog.verdict.text().startswith("✔ Đủ điều kiện thông qua nghị quyết: 4/5")
    assert attendance.roll_call(book, meeting_id=m.id).figures.present == 6


def test_keyboard_marks_and_moves_to_the_next_row(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    dialog = _open(qtbot, ctx, m.id)
    dialog.view.setFocus()
    dialog.view.setCurrentIndex(dialog.model.index(0, COL_NAME))
    first = dialog.model.rows[0].full_name
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_1)  # type: ignore[attr-defined]
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_4)  # type: ignore[attr-defined]
    call = attendance.roll_call(book, meeting_id=m.id)
    assert call.rows[0].full_name == first and call.rows[0].status == "present"
    assert call.rows[1].status == "unexcused"
    assert dialog.view.currentIndex().row() == 2


def test_a_bad_mark_shows_a_message_and_the_screen_keeps_the_stored_state(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    dialog = _open(qtbot, ctx, m.id)
    meetings.delete(book, meeting_id=m.id, reason="Tạo nhầm")  # meanwhile, elsewhere
    _click(qtbot, dialog, "Trần Văn Bình", COL_PRESENT)
    assert ctx.message.shown[-1][0] == "error"
    assert "Không tìm thấy cuộc họp" in ctx.message.shown[-1][2]
    assert _cell(dialog, "Trần Văn Bình", COL_PRESENT).data() == "○"


def test_paper_sheet_mode_saves_the_whole_sheet_at_once(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.request_absence(
        book,
        meeting_id=m.id,
        member_id=branch.id("Võ Thị Sáu"),
        reason="Về quê",
        channel="truc_tiep",
    )
    dialog = _open(qtbot, ctx, m.id, paper=True)
    assert dialog.figures["present"].text() == "6"  # everyone present but the one on leave
    assert _cell(dialog, "Trần Văn Bình", COL_PRESENT).data() == PENDING_MARK  # "✔*": not saved
    _click(qtbot, dialog, "Lê Văn Tám", COL_UNEXCUSED)
    assert attendance.roll_call(book, meeting_id=m.id).figures.unmarked == 7  # nothing saved yet
    qtbot.mouseClick(dialog.save_paper, QtCore.Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    call = attendance.roll_call(book, meeting_id=m.id)
    assert (call.figures.present, call.figures.absent_excused, call.figures.absent_unexcused) == (
        5,
        1,
        1,
    )
    sau = call.row(branch.id("Võ Thị Sáu"))
    assert sau is not None and sau.reason == "Về quê"
    assert dialog.unsaved() == 0


def test_closed_meeting_needs_an_amendment_reason(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)
    meetings.save_minutes(
        book, meeting_id=m.id, minutes=Minutes(ends_at=m.starts_at + dt.timedelta(hours=2))
    )
    meetings.close(book, meeting_id=m.id)
    dialog = _open(qtbot, ctx, m.id)
    assert dialog.amend_reason.isVisible()
    assert not dialog.all_present.isEnabled()
    _click(qtbot, dialog, "Phạm Thị Lan", COL_UNEXCUSED)
    assert ctx.message.shown[-1][1] == "Cần lý do đính chính"
    assert _status(book, m.id, branch.id("Phạm Thị Lan")) == "present"
    dialog.amend_reason.setText("Thư ký ghi nhầm: đồng chí Lan vắng")
    _click(qtbot, dialog, "Phạm Thị Lan", COL_UNEXCUSED)
    assert _status(book, m.id, branch.id("Phạm Thị Lan")) == "unexcused"

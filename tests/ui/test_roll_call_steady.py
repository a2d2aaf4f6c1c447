"""The roll call does not move under the pointer, and the keyboard marks exactly the member
the secretary sees highlighted (issue 11, items 4–5)."""

from __future__ import annotations

import datetime as dt

from app.book import Book
from app.services import attendance, members
from app.services.members import MemberInput
from tests.app.test_meetings_support import new_meeting
from ui.meetings.roll_call import RollCallDialog
from ui.meetings.roll_call_model import COL_NAME, COL_PRESENT, COL_REASON, HEADERS
from ui.qt import QtCore, QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh"]


def _branch_of(book: Book, count: int) -> None:
    for i in range(count):
        members.create(
            book,
            data=MemberInput(
                full_name=f"{SURNAMES[i % 6]} Văn {GIVEN[i % 10]} {GIVEN[i // 10]}",
                status="chinh_thuc",
                birth_date=dt.date(1950, 1, 1 + i % 28),
            ),
        )


def _open(qtbot: object, ctx: AppContext, meeting_id: str) -> RollCallDialog:
    dialog = RollCallDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitExposed(dialog)  # type: ignore[attr-defined]
    return dialog


def _geometry(dialog: RollCallDialog) -> tuple[object, ...]:
    view = dialog.view
    rows = tuple(view.rowViewportPosition(i) for i in range(dialog.model.rowCount()))
    heights = tuple(view.rowHeight(i) for i in range(dialog.model.rowCount()))
    cols = tuple(view.columnWidth(c) for c in range(len(HEADERS)))
    return (
        rows,
        heights,
        cols,
        view.geometry().getRect(),
        dialog.verdict.geometry().getRect(),
        view.verticalScrollBar().value(),
    )


def test_clicking_rows_in_order_at_their_first_positions_marks_exactly_those(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    _branch_of(book, 12)
    m = new_meeting(book)
    dialog = _open(qtbot, ctx, m.id)
    before = _geometry(dialog)
    viewport = dialog.view.viewport()
    visible = [
        i
        for i in range(dialog.model.rowCount())
        if dialog.view.visualRect(dialog.model.index(i, COL_PRESENT)).bottom() < viewport.height()
    ]
    assert len(visible) >= 6
    # Positions taken once, before any mark — the pointer goes down the list at a steady pace.
    points = [dialog.view.visualRect(dialog.model.index(i, COL_PRESENT)).center() for i in visible]
    # The last half-visible row too: clicking it must not scroll the table.
    half = len(visible)
    if half < dialog.model.rowCount():
        rect = dialog.view.visualRect(dialog.model.index(half, COL_PRESENT))
        if rect.top() < viewport.height() - 3:
            visible.append(half)
            points.append(QtCore.QPoint(rect.center().x(), rect.top() + 2))
    expected = {dialog.model.rows[i].member_id for i in visible}
    for point in points:
        qtbot.mouseClick(viewport, QtCore.Qt.MouseButton.LeftButton, pos=point)  # type: ignore[attr-defined]
        assert _geometry(dialog) == before
    call = attendance.roll_call(book, meeting_id=m.id)
    assert {r.member_id for r in call.rows if r.status == "present"} == expected
    assert all(r.status is None for r in call.rows if r.member_id not in expected)
    # Reaching the quorum changed the verdict, not the layout.
    assert _geometry(dialog) == before


def test_keyboard_reason_with_spaces_and_digits_marks_exactly_one_member(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    _branch_of(book, 8)
    m = new_meeting(book)
    dialog = _open(qtbot, ctx, m.id)
    dialog.activateWindow()
    # waitActive is a context manager: called bare it waits for nothing.
    qtbot.waitUntil(dialog.isActiveWindow)  # type: ignore[attr-defined]
    dialog.view.setFocus()
    dialog.view.setCurrentIndex(dialog.model.index(2, COL_NAME))
    highlighted = dialog.model.rows[2].member_id
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_3)  # type: ignore[attr-defined]
    editing = QtWidgets.QAbstractItemView.State.EditingState
    assert dialog.view.state() == editing
    editor = dialog.view.findChild(QtWidgets.QLineEdit)
    assert isinstance(editor, QtWidgets.QLineEdit)
    # Spaces, digits 1–4 and letters (qtbot types ASCII only).
    qtbot.keyClicks(editor, "om 2 ngay, nam vien 1 4")  # type: ignore[attr-defined]
    # Still typing in the reason field: nobody else marked, the highlight did not move.
    assert dialog.view.state() == editing
    assert dialog.view.currentIndex().row() == 2
    qtbot.keyClick(editor, QtCore.Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.wait(50)  # type: ignore[attr-defined]
    call = attendance.roll_call(book, meeting_id=m.id)
    marked = {r.member_id: (r.status, r.reason) for r in call.rows if r.status}
    assert marked == {highlighted: ("excused", "om 2 ngay, nam vien 1 4")}
    assert dialog.view.currentIndex().row() == 3  # Enter moved on to the next member
    assert dialog.model.index(2, COL_REASON).data() == "om 2 ngay, nam vien 1 4"

    # Enter and letters on the table do nothing: no "mark everyone present?" question.
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_V)  # type: ignore[attr-defined]
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_Space)  # type: ignore[attr-defined]
    assert not [s for s in ctx.message.shown if s[0] == "ask"]
    assert dialog.view.currentIndex().row() == 3
    assert len([r for r in attendance.roll_call(book, meeting_id=m.id).rows if r.status]) == 1
    # Then 1 marks the highlighted one and moves on.
    qtbot.keyClick(dialog.view, QtCore.Qt.Key.Key_1)  # type: ignore[attr-defined]
    row = attendance.roll_call(book, meeting_id=m.id).row(dialog.model.rows[3].member_id)
    assert row is not None and row.status == "present"
    assert dialog.view.currentIndex().row() == 4


def test_large_text_shows_twelve_rows_on_a_1366x768_screen(
    qtbot: object, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book
) -> None:
    _branch_of(book, 30)
    m = new_meeting(book)
    apply_text_size(qapp, large=True)
    try:
        dialog = _open(qtbot, ctx, m.id)
        # The client area of a maximal dialog on 1366×768 less a 40 px taskbar and a title bar.
        dialog.setMaximumSize(16777215, 16777215)
        dialog.resize(1366 - 8, 768 - 40 - 32)
        qtbot.wait(20)  # type: ignore[attr-defined]
        rows = dialog.view.viewport().height() // dialog.view.rowHeight(0)
        assert rows >= 12, rows
        assert dialog.close_button.isVisible()
        right = dialog.close_button.mapTo(dialog, dialog.close_button.rect().bottomRight())
        assert right.x() <= dialog.width() and right.y() <= dialog.height()
    finally:
        apply_text_size(qapp, large=False)

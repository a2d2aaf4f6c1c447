"""Điểm danh on a 1024×768 office screen in large text: the meeting's title, time and place,
the whole key help, and a long absence reason (in the cell's tooltip) are all readable; at
1366×768 the key help costs no row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.book import Book
from app.services import attendance, meetings
from tests.app.test_meetings_support import days_ago
from tests.ui.test_roll_call_steady import _branch_of
from ui.meetings.roll_call import KEY_HELP, RollCallDialog
from ui.meetings.roll_call_model import COL_REASON
from ui.qt import QtCore, QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext

LONG_REASON = "Đi công tác tại Thành phố Hồ Chí Minh theo quyết định của cơ quan đến hết tháng"
PLACE = "Nhà văn hóa khu phố 3, số 12 đường Nguyễn Huệ"


@pytest.fixture
def large(qapp: QtWidgets.QApplication) -> Iterator[None]:
    apply_text_size(qapp, large=True)
    yield
    apply_text_size(qapp, large=False)


def _open(qtbot: Any, ctx: AppContext, meeting_id: str, width: int) -> RollCallDialog:
    dialog = RollCallDialog(ctx, meeting_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # The client area of a maximal dialog on a WIDTH×768 screen less a 40 px taskbar.
    dialog.setMaximumSize(16777215, 16777215)
    dialog.resize(width - 8, 768 - 40 - 32)
    qtbot.wait(30)
    return dialog


def _whole_text_shown(label: QtWidgets.QLabel, text: str) -> None:
    """The label shows all of `text`: inside the dialog, tall enough for its wrapped lines."""
    assert label.isVisible()
    room = label.contentsRect()
    needed = label.fontMetrics().boundingRect(
        QtCore.QRect(0, 0, room.width(), 10000), int(QtCore.Qt.TextFlag.TextWordWrap), text
    )
    assert needed.height() <= room.height(), (needed.height(), room.height())
    assert needed.width() <= room.width()
    window = label.window()
    corner = label.mapTo(window, label.rect().bottomRight())
    assert window.rect().contains(corner), (corner, window.rect())


def _meeting_with_a_long_reason(book: Book, place: str = PLACE) -> tuple[meetings.MeetingView, str]:
    _branch_of(book, 30)
    m = meetings.create(
        book,
        data=meetings.MeetingInput(
            kind="thuong_ky",
            starts_at=days_ago(3),
            place=place,
            chair_name="Nguyễn Văn An Bình",
            secretary_name="Trần Văn Bình An",
        ),
    )
    call = attendance.roll_call(book, meeting_id=m.id)
    member_id = call.rows[3].member_id
    attendance.mark(
        book, meeting_id=m.id, member_id=member_id, status="excused", reason=LONG_REASON
    )
    return m, member_id


def test_at_1024_in_large_text_title_place_keys_and_reason_are_whole(
    qtbot: Any, ctx: AppContext, book: Book, large: None
) -> None:
    m, member_id = _meeting_with_a_long_reason(book)
    dialog = _open(qtbot, ctx, m.id, 1024)

    # The title, time and place: whole words on as many lines as needed, never "Nhà v…".
    shown = dialog.heading.text()
    assert m.title in shown and PLACE in shown and "…" not in shown
    assert dialog.heading.height() >= dialog.heading.heightForWidth(dialog.heading.width())

    # The four keys, whole.
    assert dialog.key_help.text() == KEY_HELP
    _whole_text_shown(dialog.key_help, KEY_HELP)

    # The reason column is narrower than the reason: the tooltip carries all of it.
    row = dialog.model.row_of(member_id)
    index = dialog.model.index(row, COL_REASON)
    assert dialog.view.columnWidth(COL_REASON) < dialog.view.fontMetrics().horizontalAdvance(
        LONG_REASON
    )
    tooltip = index.data(QtCore.Qt.ItemDataRole.ToolTipRole)
    assert tooltip.splitlines()[0] == LONG_REASON
    # A row without a reason still says how to write one.
    assert dialog.model.index(0, COL_REASON).data(QtCore.Qt.ItemDataRole.ToolTipRole) == (
        "Bấm đúp để ghi lý do"
    )

    # Marking (and the last save's message) never moves the rows or the key help.
    before = (dialog.view.geometry().getRect(), dialog.key_help.geometry().getRect())
    dialog.choose(0, "present")
    assert "Đã lưu" in dialog.status.text()
    assert (dialog.view.geometry().getRect(), dialog.key_help.geometry().getRect()) == before


def test_at_1366_the_keys_share_the_buttons_line_and_twelve_rows_show(
    qtbot: Any, ctx: AppContext, book: Book, large: None
) -> None:
    m, _member_id = _meeting_with_a_long_reason(book, "Nhà văn hóa khu phố 3")
    dialog = _open(qtbot, ctx, m.id, 1366)
    _whole_text_shown(dialog.key_help, KEY_HELP)
    # On the buttons' line, below the rows: no line of its own.
    assert dialog.key_help.geometry().top() >= dialog.view.geometry().bottom()
    close = dialog.close_button.geometry()
    assert (
        dialog.key_help.geometry().top() < close.center().y() < dialog.key_help.geometry().bottom()
    )
    assert dialog.view.viewport().height() // dialog.view.rowHeight(0) >= 12

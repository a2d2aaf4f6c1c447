"""Nhập từ danh sách giấy on a 1024×768 office screen in large text: the table never scrolls
sideways, every mark text (an unsaved one too) fits its column, and marking moves nothing.
The closed meeting's correction reason shows its whole placeholder, the sentence in its
tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.book import Book
from app.demo import create_demo_book
from app.services import meetings
from app.settings import Settings
from ui.meetings.roll_call import RollCallDialog
from ui.meetings.roll_call_model import (
    ACTION_COLUMNS,
    COL_UNEXCUSED,
    HEADERS,
    MARK_TEXTS,
    PENDING_MARK,
)
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.style import apply_text_size
from ui.tasks import TaskRunner
from ui.widgets.section import AppContext


@pytest.fixture
def demo(
    tmp_path: Path, qapp: QtWidgets.QApplication, messages: Messages
) -> Iterator[tuple[Book, AppContext]]:
    """The tour's demo book (long names, a member exempted), in large text."""
    book = create_demo_book(tmp_path / "mau")
    apply_text_size(qapp, large=True)
    try:
        ctx = AppContext(
            book=book, runner=TaskRunner(synchronous=True), settings=Settings(), message=messages
        )
        yield book, ctx
    finally:
        apply_text_size(qapp, large=False)
        book.close()


def _open_at_1024(qtbot: Any, ctx: AppContext, meeting_id: str, paper: bool) -> RollCallDialog:
    dialog = RollCallDialog(ctx, meeting_id, paper=paper)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # The client area of a maximal dialog on a 1024×768 screen less a 40 px taskbar.
    dialog.setMaximumSize(16777215, 16777215)
    dialog.resize(1024 - 8, 768 - 40 - 32)
    qtbot.wait(30)
    return dialog


def _columns(dialog: RollCallDialog) -> tuple[int, ...]:
    return tuple(dialog.view.columnWidth(c) for c in range(len(HEADERS)))


def _meeting(book: Book, closed: bool) -> meetings.MeetingView:
    return next(m for m in meetings.list_meetings(book) if m.is_closed == closed)


def test_the_paper_sheet_at_1024_in_large_text_never_scrolls_sideways(
    qtbot: Any, demo: tuple[Book, AppContext]
) -> None:
    book, ctx = demo
    dialog = _open_at_1024(qtbot, ctx, _meeting(book, closed=False).id, paper=True)
    view = dialog.view
    first = view.model().index(0, min(ACTION_COLUMNS))
    assert first.data() == PENDING_MARK  # everyone starts marked, not yet saved
    assert "chưa lưu" in first.data(QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "✔* là chưa lưu" in dialog.banner.text()

    # Every column is inside the table: no sideways scroll bar, nothing to scroll to.
    assert view.horizontalScrollBar().maximum() == 0
    assert sum(_columns(dialog)) <= view.viewport().width()
    # Each mark column holds the widest mark text at this font.
    metrics = view.fontMetrics()
    widest = max(metrics.horizontalAdvance(text) for text in MARK_TEXTS)
    for col in ACTION_COLUMNS:
        assert view.columnWidth(col) > widest, (HEADERS[col], view.columnWidth(col), widest)

    # Marking someone absent moves no column and no row.
    before = (_columns(dialog), view.horizontalScrollBar().maximum())
    rect = view.visualRect(view.model().index(2, COL_UNEXCUSED))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.wait(20)
    assert view.model().index(2, COL_UNEXCUSED).data() == PENDING_MARK
    assert (_columns(dialog), view.horizontalScrollBar().maximum()) == before
    dialog.model.pending.clear()  # closing asks nothing


def test_the_closed_meetings_correction_reason_is_read_whole_at_1024(
    qtbot: Any, demo: tuple[Book, AppContext]
) -> None:
    book, ctx = demo
    dialog = _open_at_1024(qtbot, ctx, _meeting(book, closed=True).id, paper=False)
    field = dialog.amend_reason
    assert field.isVisible()
    placeholder = field.placeholderText()
    assert placeholder
    # The text area of a line edit: its contents less the frame and the text margins.
    style = QtWidgets.QStyleOptionFrame()
    field.initStyleOption(style)
    room = field.style().subElementRect(
        QtWidgets.QStyle.SubElement.SE_LineEditContents, style, field
    )
    margins = field.textMargins()
    room_width = room.width() - margins.left() - margins.right() - 4  # Qt's own 2 px a side
    assert field.fontMetrics().horizontalAdvance(placeholder) <= room_width, (
        placeholder,
        room_width,
    )
    tip = field.toolTip()
    assert "Cuộc họp đã kết thúc" in tip and "đính chính" in tip and "ghi lý do" in tip
    assert view_fits(dialog)


def view_fits(dialog: RollCallDialog) -> bool:
    """The closed meeting's table needs no sideways scrolling either."""
    return dialog.view.horizontalScrollBar().maximum() == 0

"""Điểm danh: Ctrl+End and Ctrl+Home (and plain End/Home) select the last / first member and
bring that row into view, although the table never auto-scrolls on a click."""

from __future__ import annotations

from typing import Any

from app.book import Book
from tests.app.test_meetings_support import new_meeting
from tests.ui.test_roll_call_steady import _branch_of
from ui.meetings.roll_call import RollCallDialog
from ui.meetings.roll_call_model import COL_NAME
from ui.qt import QtCore
from ui.widgets.section import AppContext


def _row_shown(dialog: RollCallDialog, row: int) -> bool:
    rect = dialog.view.visualRect(dialog.model.index(row, COL_NAME))
    return dialog.view.viewport().rect().contains(rect)


def test_ctrl_end_and_ctrl_home_scroll_to_the_row_they_select(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    _branch_of(book, 30)
    m = new_meeting(book)
    dialog = RollCallDialog(ctx, m.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(dialog.width(), 420)  # a handful of rows visible, the rest below
    qtbot.wait(20)
    last = dialog.model.rowCount() - 1
    assert last >= 20 and not _row_shown(dialog, last)
    dialog.view.setFocus()
    dialog.view.setCurrentIndex(dialog.model.index(0, COL_NAME))
    ctrl = QtCore.Qt.KeyboardModifier.ControlModifier
    for key, modifier, row in (
        (QtCore.Qt.Key.Key_End, ctrl, last),
        (QtCore.Qt.Key.Key_Home, ctrl, 0),
        (QtCore.Qt.Key.Key_End, QtCore.Qt.KeyboardModifier.NoModifier, last),
        (QtCore.Qt.Key.Key_Home, QtCore.Qt.KeyboardModifier.NoModifier, 0),
    ):
        qtbot.keyClick(dialog.view, key, modifier)
        qtbot.wait(10)
        assert dialog.view.currentIndex().row() == row
        assert _row_shown(dialog, row), (key, modifier)
    dialog.close()

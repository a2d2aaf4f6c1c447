"""Mức đóng for several members typed from the keyboard only: Tab, Enter and ↓ go from one
member's income box to the next (never to a name or amount cell, where typed digits went
nowhere), Shift+Tab and ↑ go back; all five incomes typed that way are saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.book import Book
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from ui.dues.dialogs import ManySettingsDialog
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext

MONTH = f"{dt.date.today():%Y-%m}"
KEY = QtCore.Qt.Key
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def branch(book: Book) -> dict[str, str]:
    return make_dues_branch(book).ids


def _dialog(ctx: AppContext, qtbot: Any, branch: dict[str, str]) -> ManySettingsDialog:
    dialog = ManySettingsDialog(ctx, members=list((mid, n) for n, mid in branch.items()))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog._rules is not None)  # the amounts show as one types
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is dialog)
    return dialog


def _focused() -> QtWidgets.QWidget | None:
    return QtWidgets.QApplication.focusWidget()


def _key(qtbot: Any, key: Any, modifier: Any = QtCore.Qt.KeyboardModifier.NoModifier) -> None:
    widget = _focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def _type(qtbot: Any, text: str) -> None:
    widget = _focused()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def _amount(dialog: ManySettingsDialog, row: int) -> str:
    item = dialog.table.item(row, 2)
    assert item is not None
    return item.text()


def test_tab_enter_and_down_go_from_income_to_income_and_all_five_are_saved(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    dialog = _dialog(ctx, qtbot, branch)
    edits = dialog.income_edits
    assert len(edits) == 5
    # The tester's way: a click in the first box, then digits and Tab, Tab… for every member.
    qtbot.mouseClick(edits[0], QtCore.Qt.MouseButton.LeftButton)
    assert _focused() is edits[0]
    _type(qtbot, "8000000")
    _key(qtbot, KEY.Key_Tab)
    assert _focused() is edits[1]  # not the "Mức đóng" cell, not the next row's name
    _type(qtbot, "6500000")
    _key(qtbot, KEY.Key_Return)  # Enter moves on as well: it does not save half a list
    assert _focused() is edits[2] and dialog.isVisible()
    _type(qtbot, "5200000")
    _key(qtbot, KEY.Key_Down)
    assert _focused() is edits[3]
    _type(qtbot, "4800000")
    _key(qtbot, KEY.Key_Tab)
    _type(qtbot, "7000000")
    assert [e.text() for e in edits] == [
        "8.000.000",
        "6.500.000",
        "5.200.000",
        "4.800.000",
        "7.000.000",
    ]
    assert [_amount(dialog, r) for r in range(5)] == [
        "80.000 đ",
        "65.000 đ",
        "52.000 đ",
        "48.000 đ",
        "70.000 đ",
    ]
    # Back: Shift+Tab and ↑ go to the box before; what is typed replaces the selected text.
    _key(qtbot, KEY.Key_Tab, SHIFT)
    assert _focused() is edits[3]
    _key(qtbot, KEY.Key_Up)
    assert _focused() is edits[2]
    _type(qtbot, "5300000")
    assert edits[2].text() == "5.300.000"
    # ↑ on the first box stays there; Enter on the last goes to the save button.
    edits[0].setFocus()
    _key(qtbot, KEY.Key_Up)
    assert _focused() is edits[0]
    edits[4].setFocus()
    _key(qtbot, KEY.Key_Enter)
    assert _focused() is dialog.ok_button and dialog.isVisible()
    # The name and amount cells never take the keyboard: a click on a name goes to the box.
    rect = dialog.table.visualRect(dialog.table.model().index(1, 0))
    qtbot.mouseClick(dialog.table.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())
    assert _focused() is edits[1]
    # Enter on the save button saves all five.
    dialog.ok_button.setFocus()
    _key(qtbot, KEY.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_value is not None)
    names = [name for _mid, name in dialog.members]
    incomes = {names[i]: v for i, v in enumerate([8_000_000, 6_500_000, 5_300_000, 4_800_000])}
    incomes[names[4]] = 7_000_000
    for name, income in incomes.items():
        last = dues.history(ctx.book, member=branch[name])[-1]
        assert (last.basis, last.income, last.effective_from) == ("salary", income, MONTH)

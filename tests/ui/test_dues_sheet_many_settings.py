"""Mức đóng for several members from the Đảng phí sheet: Ctrl/Shift + click chooses rows
(without marking), "Mức đóng…" then opens the many-members form, one audited change per
member; a new book's status line says how to do it. A plain click still marks one member."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from app.book import Book
from app.models import AuditEntry
from app.services import dues, members
from app.services.members import MemberInput
from tests.app.dues_kit import make_dues_branch
from ui.dues.dialogs import ManySettingsDialog, SettingDialog
from ui.dues.model import COL_CASH
from ui.dues.section import DuesSection
from ui.dues.sheet import COL_NAME, HINT, DuesSheet
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext

TODAY = dt.date.today()
MONTH = f"{TODAY:%Y-%m}"
CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier
PLAIN = QtCore.Qt.KeyboardModifier.NoModifier
THREE = ("Nguyễn Văn An", "Trần Thị Bích", "Hoàng Văn Em")

_KEEP: list[DuesSection] = []  # the section owns the sheet: alive until the test ends


@pytest.fixture
def branch(book: Book) -> dict[str, str]:
    return make_dues_branch(book).ids


def _audit_count(book: Book) -> int:
    with book.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _sheet(ctx: AppContext, qtbot: Any) -> DuesSheet:
    section = DuesSection(ctx)
    _KEEP[:] = [section]
    qtbot.addWidget(section)
    section.resize(1200, 700)
    section.show()
    section.sheet.set_month(MONTH)
    section.sheet.reload()
    qtbot.waitUntil(lambda: section.sheet.model.rowCount() > 0)
    return section.sheet


def _row(sheet: DuesSheet, name: str) -> int:
    return next(i for i, item in enumerate(sheet.model.items) if item.row.full_name == name)


def _click(qtbot: Any, sheet: DuesSheet, row: int, col: int, held: Any = PLAIN) -> None:
    rect = sheet.view.visualRect(sheet.model.index(row, col))
    qtbot.mouseClick(sheet.view.viewport(), QtCore.Qt.MouseButton.LeftButton, held, rect.center())


def _selected_names(sheet: DuesSheet) -> list[str]:
    return [i.row.full_name for i in sheet.selected_items()]


def _answer_next_dialog(qtbot: Any, fill: Any, seen: list[QtWidgets.QDialog]) -> None:
    def act() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        assert isinstance(dialog, QtWidgets.QDialog)
        seen.append(dialog)
        if isinstance(dialog, ManySettingsDialog):
            fill(dialog)
            dialog.ok_button.click()
        else:
            dialog.reject()

    QtCore.QTimer.singleShot(0, act)


def test_three_rows_chosen_then_mức_đóng_sets_each_with_its_own_change(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    sheet = _sheet(ctx, qtbot)
    _click(qtbot, sheet, _row(sheet, THREE[0]), COL_NAME)
    _click(qtbot, sheet, _row(sheet, THREE[1]), COL_NAME, CTRL)
    # Ctrl + click on the cash cell chooses the row; it never marks a payment.
    _click(qtbot, sheet, _row(sheet, THREE[2]), COL_CASH, CTRL)
    qtbot.wait(20)
    assert sorted(_selected_names(sheet)) == sorted(THREE)
    assert all(
        not r.is_paid for r in dues.month_sheet(ctx.book, month=MONTH).rows if r.full_name in THREE
    )
    before = _audit_count(ctx.book)
    incomes = {THREE[0]: "9000000", THREE[1]: "7000000", THREE[2]: "5500000"}
    seen: list[QtWidgets.QDialog] = []

    def fill(dialog: ManySettingsDialog) -> None:
        assert dialog.effective.month() == MONTH
        names = [name for _mid, name in dialog.members]
        for name, edit in zip(names, dialog.income_edits, strict=True):
            qtbot.keyClicks(edit, incomes[name])
        dialog.reason.setText("Bảng lương mới")

    _answer_next_dialog(qtbot, fill, seen)
    sheet.setting_button.click()
    assert len(seen) == 1 and isinstance(seen[0], ManySettingsDialog)
    assert sorted(name for _mid, name in seen[0].members) == sorted(THREE)
    qtbot.waitUntil(lambda: sheet.status.text() == "Đã lưu mức đóng của 3 đồng chí.")
    assert _audit_count(ctx.book) - before == 3  # one audited change per member
    for name in THREE:
        last = dues.history(ctx.book, member=branch[name])[-1]
        assert last.reason == "Bảng lương mới" and last.effective_from == MONTH
    stored = dues.month_sheet(ctx.book, month=MONTH)
    assert [stored.row(branch[n]).due for n in THREE] == [90_000, 70_000, 55_000]  # type: ignore[union-attr]
    # The sheet shows the new amounts.
    qtbot.waitUntil(lambda: sheet.model.items[_row(sheet, THREE[0])].row.due == 90_000)


def test_one_row_still_opens_the_single_members_form_and_a_plain_click_marks(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    sheet = _sheet(ctx, qtbot)
    an, bich = _row(sheet, "Nguyễn Văn An"), _row(sheet, "Trần Thị Bích")
    _click(qtbot, sheet, an, COL_NAME)
    _click(qtbot, sheet, bich, COL_NAME, SHIFT)
    assert len(_selected_names(sheet)) == abs(bich - an) + 1 > 1
    # A plain click on a cash cell: that member alone, marked as before.
    _click(qtbot, sheet, bich, COL_CASH)
    qtbot.waitUntil(lambda: sheet.status.text().startswith("Đã lưu: đồng chí Trần Thị Bích"))
    assert _selected_names(sheet) == ["Trần Thị Bích"]
    row = dues.month_sheet(ctx.book, month=MONTH).row(branch["Trần Thị Bích"])
    assert row is not None and row.is_paid
    seen: list[QtWidgets.QDialog] = []
    _answer_next_dialog(qtbot, lambda _d: None, seen)
    sheet.setting_button.click()
    assert len(seen) == 1 and isinstance(seen[0], SettingDialog)


def test_a_new_book_says_how_to_set_many_rates_at_once(ctx: AppContext, qtbot: Any) -> None:
    names = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung"]
    ids = {
        n: members.create(ctx.book, data=MemberInput(n, admission_date=dt.date(2000, 1, 1))).id
        for n in names
    }
    dues.set_setting(ctx.book, member=ids[names[0]], basis="fixed", effective_from=MONTH)
    sheet = _sheet(ctx, qtbot)
    qtbot.waitUntil(lambda: sheet.status.text() != HINT)
    hint = sheet.status.text()
    assert hint.startswith("Chưa ghi mức đóng cho 3/4 đồng chí: chọn nhiều dòng")
    assert "“Mức đóng…”" in hint and "Ctrl" in hint
    assert hint in sheet.status.toolTip()
    # Choose all (Ctrl+A) and set one fixed amount for everyone.
    sheet.view.setFocus()
    qtbot.keyClick(sheet.view, QtCore.Qt.Key.Key_A, CTRL)
    assert sorted(_selected_names(sheet)) == sorted(names)
    seen: list[QtWidgets.QDialog] = []

    def fill(dialog: ManySettingsDialog) -> None:
        dialog.basis.setCurrentIndex(dialog.basis.findData("fixed"))
        qtbot.keyClicks(dialog.amount, "20000")

    _answer_next_dialog(qtbot, fill, seen)
    qtbot.keyClick(sheet.view, QtCore.Qt.Key.Key_M)  # the key opens the same form
    assert len(seen) == 1 and isinstance(seen[0], ManySettingsDialog)
    qtbot.waitUntil(lambda: sheet.status.text() == "Đã lưu mức đóng của 4 đồng chí.")
    stored = dues.month_sheet(ctx.book, month=MONTH)
    assert {r.full_name: r.due for r in stored.rows} == dict.fromkeys(names, 20_000)
    # Every member has a rate now: the usual hint comes back once something is chosen again.
    _click(qtbot, sheet, _row(sheet, names[1]), COL_CASH)
    qtbot.waitUntil(lambda: sheet.status.text().startswith("Đã lưu: đồng chí Trần Thị Bích"))
    sheet.show_hint()
    assert sheet.status.text() == HINT

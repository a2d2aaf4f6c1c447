"""The sheet and the rules dialog with a desktop's receipt series (ký hiệu)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.book import Book
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from ui.dues.dialogs import RulesDialog
from ui.dues.model import COL_CASH
from ui.dues.sheet import DuesSheetDialog
from ui.qt import QtCore
from ui.widgets.section import AppContext


def test_the_series_is_set_in_the_rules_dialog_and_shown_on_the_paid_cell(
    ctx: AppContext, qtbot: Any, book: Book
) -> None:
    ids = make_dues_branch(book).ids
    rules = RulesDialog(ctx)
    qtbot.addWidget(rules)
    assert rules.series.text() == ""
    rules.series.setText("b")
    rules.ok_button.click()
    assert dues.receipt_series(book) == "B"
    today = dt.date.today()
    month = f"{today:%Y-%m}"
    dues.pay(book, member=ids["Nguyễn Văn An"], months=[month])
    dialog = DuesSheetDialog(ctx, month)
    qtbot.addWidget(dialog)
    model = dialog.sheet.model
    row = next(i for i, it in enumerate(model.items) if it.row.full_name == "Nguyễn Văn An")
    tip = str(model.data(model.index(row, COL_CASH), QtCore.Qt.ItemDataRole.ToolTipRole))
    assert f"biên lai số B-001/{today.year}" in tip
    # A series that cannot be printed is refused in the dialog's words.
    again = RulesDialog(ctx)
    qtbot.addWidget(again)
    again.series.setText("Ă")
    again.ok_button.click()
    assert dues.receipt_series(book) == "B"
    assert "Ký hiệu biên lai “Ă” không hợp lệ" in again.error.text()

"""The dues sheet opened for January (the roll call of 05/01/2027): its "còn nợ" column says
what it counts, lists last year's months with their year, and follows the branch's rule."""

from __future__ import annotations

from typing import Any

import pytest

from app.book import Book
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from tests.app.test_dues_year_boundary import _pay_year_end
from ui.dues.model import COL_OWING
from ui.dues.sheet import DuesSheetDialog
from ui.qt import QtCore
from ui.widgets.section import AppContext

DISPLAY = QtCore.Qt.ItemDataRole.DisplayRole
TOOLTIP = QtCore.Qt.ItemDataRole.ToolTipRole
HORIZONTAL = QtCore.Qt.Orientation.Horizontal


@pytest.fixture
def branch(book: Book) -> dict[str, str]:
    ids = make_dues_branch(book).ids
    _pay_year_end(book, ids)
    return ids


def _owing_cell(dialog: DuesSheetDialog, name: str) -> tuple[str, str]:
    model = dialog.sheet.model
    row = next(i for i, item in enumerate(model.items) if item.row.full_name == name)
    index = model.index(row, COL_OWING)
    return str(model.data(index, DISPLAY) or ""), str(model.data(index, TOOLTIP) or "")


def test_january_sheet_names_last_years_months_and_what_it_counts(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    dialog = DuesSheetDialog(ctx, "2027-01")
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.sheet.view
    # What the header of the table shows (the view asks its model).
    heading = view.model().headerData(COL_OWING, HORIZONTAL, DISPLAY)
    assert heading == "Còn nợ từ 1/2026"
    tip = str(view.model().headerData(COL_OWING, HORIZONTAL, TOOLTIP))
    assert "từ tháng 1/2026 đến tháng 12/2026" in tip and "năm dương lịch" in tip
    text, tooltip = _owing_cell(dialog, "Nguyễn Văn An")
    assert text == "10, 11, 12/2026"
    assert tooltip.startswith("Chưa đóng 3 tháng (từ tháng 1/2026 đến tháng 12/2026)")
    text, tooltip = _owing_cell(dialog, "Trần Thị Bích")
    assert text == "12/2026" and "Có lý do: 12/2026." in tooltip
    # The same sheet one month back: only the months before December.
    dialog.sheet.set_month("2026-12")
    dialog.sheet.reload()
    assert _owing_cell(dialog, "Nguyễn Văn An")[0] == "10, 11/2026"


def test_the_heading_follows_the_twelve_months_rule(
    ctx: AppContext, qtbot: Any, branch: dict[str, str], book: Book
) -> None:
    dues.set_rules(book, rules=dues.DuesRules(removal_window="rolling12"))
    dialog = DuesSheetDialog(ctx, "2027-02")
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.sheet.model
    assert model.headerData(COL_OWING, HORIZONTAL, DISPLAY) == "Còn nợ 12 tháng qua"
    tip = str(model.headerData(COL_OWING, HORIZONTAL, TOOLTIP))
    assert "từ tháng 2/2026 đến tháng 1/2027" in tip
    assert _owing_cell(dialog, "Hoàng Văn Em")[0] == "11, 12/2026, 1/2027"

"""The Đảng phí sheet: the receipt number with the desktop's series in the status line, rows
built from the sheet alone, an error line that goes with its member, and the name's tooltip
saying what the columns hidden on a narrow page (1024 wide, large text) would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from app.book import Book
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from ui.dues.model import COL_CASH, COL_OWING, COL_STATE
from ui.dues.section import DuesSection
from ui.dues.sheet import COL_NAME, HINT, DuesSheet
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext

TODAY = dt.date.today()
MONTH = f"{TODAY:%Y-%m}"


@pytest.fixture
def branch(book: Book) -> dict[str, str]:
    return make_dues_branch(book).ids


@pytest.fixture
def large_text(qapp: QtWidgets.QApplication) -> Iterator[None]:
    apply_text_size(qapp, large=True)
    yield
    apply_text_size(qapp, large=False)


_KEEP: list[DuesSection] = []  # the section owns the sheet: alive until the test ends


def _sheet(ctx: AppContext, qtbot: Any, width: int = 1200) -> DuesSheet:
    section = DuesSection(ctx)
    _KEEP[:] = [section]
    qtbot.addWidget(section)
    section.resize(width, 700)
    section.show()
    section.sheet.set_month(MONTH)
    section.sheet.reload()
    qtbot.waitUntil(lambda: section.sheet.model.rowCount() > 0)
    return section.sheet


def _row(sheet: DuesSheet, name: str) -> int:
    return next(i for i, item in enumerate(sheet.model.items) if item.row.full_name == name)


def _click(qtbot: Any, sheet: DuesSheet, row: int, col: int) -> None:
    rect = sheet.view.visualRect(sheet.model.index(row, col))
    qtbot.mouseClick(sheet.view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())


def _tooltip_at(qtbot: Any, view: QtWidgets.QTableView, row: int, column: int) -> str:
    QtWidgets.QToolTip.hideText()
    pos = view.visualRect(view.model().index(row, column)).center()
    event = QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    qtbot.wait(10)
    return QtWidgets.QToolTip.text()


def test_the_saved_line_names_the_receipt_with_its_series(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    dues.set_receipt_series(ctx.book, series="B")
    sheet = _sheet(ctx, qtbot)
    _click(qtbot, sheet, _row(sheet, "Nguyễn Văn An"), COL_CASH)
    qtbot.waitUntil(lambda: sheet.status.text().startswith("Đã lưu"))
    row = dues.month_sheet(ctx.book, month=MONTH).row(branch["Nguyễn Văn An"])
    assert row is not None and row.payment is not None
    assert f"biên lai số B-001/{row.payment.paid_on.year}" in sheet.status.text()


def test_the_sheet_loads_its_rows_without_the_separate_unpaid_list(
    ctx: AppContext, qtbot: Any, branch: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the sheet's rows carry their own months owed")

    monkeypatch.setattr(dues, "unpaid_members", refuse)
    sheet = _sheet(ctx, qtbot)
    row = _row(sheet, "Nguyễn Văn An")
    owing = sheet.model.items[row].row.owing
    stored = dues.month_sheet(ctx.book, month=MONTH).row(branch["Nguyễn Văn An"])
    assert stored is not None and owing == stored.owing
    assert sheet.model.index(row, COL_OWING).data() == (dues.months_label(owing) if owing else "")


def test_an_error_line_goes_away_when_another_member_is_chosen(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    sheet = _sheet(ctx, qtbot)
    _click(qtbot, sheet, _row(sheet, "Lê Văn Cường"), COL_CASH)  # exempt: refused
    assert sheet.status.property("role") == "error"
    assert "Lê Văn Cường" in sheet.status.text() or "miễn" in sheet.status.text()
    # The same member again: the error stays.
    sheet.view.setCurrentIndex(sheet.model.index(_row(sheet, "Lê Văn Cường"), COL_NAME))
    assert sheet.status.property("role") == "error"
    sheet.view.setCurrentIndex(sheet.model.index(_row(sheet, "Trần Thị Bích"), COL_NAME))
    assert sheet.status.property("role") == "hint"
    assert sheet.status.text() == HINT


@pytest.mark.usefixtures("large_text")
def test_a_narrow_sheet_tells_the_state_and_months_owed_on_the_name(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    sheet = _sheet(ctx, qtbot, width=1024 - 190 - 40)
    qtbot.wait(30)
    assert sheet.view.isColumnHidden(COL_STATE) and sheet.view.isColumnHidden(COL_OWING)
    row = _row(sheet, "Nguyễn Văn An")
    owing = sheet.model.items[row].row.owing
    tip = _tooltip_at(qtbot, sheet.view, row, COL_NAME)
    lines = tip.splitlines()
    assert lines[0] == "Nguyễn Văn An"
    assert lines[1] == "Chưa đóng"
    assert owing  # a rate since January, nothing paid
    if owing:
        assert f"Chưa đóng {len(owing)} tháng" in tip and dues.months_label(owing) in tip
    assert "Miễn đóng" in _tooltip_at(qtbot, sheet.view, _row(sheet, "Lê Văn Cường"), COL_NAME)

"""Đảng viên: the name (the key column) is whole after every change, not only the first load,
and the list never scrolls sideways: on a narrow page the optional columns give way, their
values in the name's tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.services import members
from ui.members.section import COL_STATUS, OPTIONAL_COLUMNS, MembersSection
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import apply_text_size
from ui.widgets.columns import elided_text
from ui.widgets.section import AppContext

NAMES = ("Nguyễn Thị Thanh Hương", "Lê Văn Tám", "Trần Quốc Bảo")


@pytest.fixture(params=[False, True], ids=["normal", "large"])
def text_size(request: Any, qapp: QtWidgets.QApplication) -> Iterator[bool]:
    apply_text_size(qapp, large=request.param)
    yield request.param
    apply_text_size(qapp, large=False)


def _section(ctx: AppContext, qtbot: Any, width: int) -> MembersSection:
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.resize(width, 650)
    section.show()
    section.refresh(None)
    return section


def _add_by_hand(ctx: AppContext, section: MembersSection, name: str) -> None:
    """As the Thêm đảng viên dialog does on Lưu: the service stores, the dialog tells."""
    import datetime as dt

    n = section.model.total + 1
    view = members.create(
        ctx.book,
        data=members.MemberInput(
            full_name=name,
            birth_date=dt.date(1975, 8, 19),
            admission_date=dt.date(2001, 2, 3),
            official_date=dt.date(2002, 2, 3),
            card_number=f"7901234{n}",
            personal_id=f"07917500123{n}",
            phone=f"090312345{n}",
        ),
    )
    dialog = section.open_editor(None)
    dialog.member_saved.emit(view)
    dialog.deleteLater()


def _whole(view: QtWidgets.QTableView, row: int, column: int) -> bool:
    index = view.model().index(row, column)
    return elided_text(view, index) is None and view.columnWidth(column) >= (
        view.sizeHintForColumn(column)
    )


def _tooltip_at(qtbot: Any, view: QtWidgets.QTableView, row: int, column: int) -> str:
    QtWidgets.QToolTip.hideText()
    pos = view.visualRect(view.model().index(row, column)).center()
    event = QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    qtbot.wait(10)
    return QtWidgets.QToolTip.text()


# The page beside the navigation: 1024×768 and 1366×768 (window 1280 wide).
@pytest.mark.parametrize("width", [720, 1060], ids=["1024", "1366"])
def test_names_added_by_hand_to_an_empty_list_show_whole_without_sideways_scrolling(
    ctx: AppContext, qtbot: Any, text_size: bool, width: int
) -> None:
    section = _section(ctx, qtbot, width)
    assert section.model.rowCount() == 0
    for name in NAMES:
        _add_by_hand(ctx, section, name)
    table = section.table
    qtbot.waitUntil(lambda: section.model.rowCount() == 3)
    qtbot.wait(30)  # the column rule is applied once the event loop turns
    row = section.model.row_of(next(m.id for m in section.model.rows if m.full_name == NAMES[0]))
    assert row is not None
    assert section.model.index(row, 0).data() == "Nguyễn Thị Thanh Hương"
    assert _whole(table, row, 0), (table.columnWidth(0), table.sizeHintForColumn(0))
    shown = [c for c in range(section.model.columnCount()) if not table.isColumnHidden(c)]
    used = sum(table.columnWidth(c) for c in shown)
    assert used <= table.viewport().width(), (used, table.viewport().width())
    assert table.horizontalScrollBar().maximum() == 0
    for column in (1, 3):  # birth date, admission date: always there, whole
        assert column in shown and _whole(table, row, column), column
    hidden = [c for c in OPTIONAL_COLUMNS if table.isColumnHidden(c)]
    assert hidden == list(OPTIONAL_COLUMNS[: len(hidden)])  # the least needed give way first
    if width == 1060 and not text_size:
        assert len(hidden) <= 5, hidden  # 1366 in normal text: most columns
    tip = _tooltip_at(qtbot, table, row, 0).splitlines()
    assert tip[0] == "Nguyễn Thị Thanh Hương"
    for column in hidden:
        if column != COL_STATUS:
            heading = section.model.headerData(column, QtCore.Qt.Orientation.Horizontal, 0)
            value = section.model.index(row, column).data()
            if value:
                assert f"{heading}: {value}" in tip, (heading, tip)


def test_a_longer_name_added_later_widens_the_column(ctx: AppContext, qtbot: Any) -> None:
    section = _section(ctx, qtbot, 1060)
    _add_by_hand(ctx, section, "Lê Văn Tám")
    qtbot.waitUntil(lambda: section.model.rowCount() == 1)
    qtbot.wait(30)
    _add_by_hand(ctx, section, "Nguyễn Thị Thanh Hương")
    qtbot.waitUntil(lambda: section.model.rowCount() == 2)
    qtbot.wait(30)
    row = next(i for i, m in enumerate(section.model.rows) if m.full_name.startswith("Nguyễn"))
    assert _whole(section.table, row, 0)

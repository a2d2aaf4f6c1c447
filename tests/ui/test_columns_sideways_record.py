"""What the tour records about sideways scrolling (ui.tour.sideways_areas, visible_lists):
a page wider than its scroll area is reported, a table scrolling inside itself is not counted
as the page scrolling, and each list says how many of its rows are in sight."""

from __future__ import annotations

from typing import Any

from ui.qt import QtGui, QtWidgets
from ui.tour import sideways_areas, visible_lists


def _window(qtbot: Any, page_width: int) -> tuple[QtWidgets.QWidget, QtWidgets.QTableView]:
    window = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(window)
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    page = QtWidgets.QWidget()
    page.setMinimumWidth(page_width)
    page_layout = QtWidgets.QVBoxLayout(page)
    table = QtWidgets.QTableView()
    model = QtGui.QStandardItemModel(40, 3)
    for row in range(40):
        model.setItem(row, 0, QtGui.QStandardItem(f"Đảng viên {row + 1}"))
    table.setModel(model)
    table.setColumnWidth(0, 900)  # wider than the window: the table's own bar
    page_layout.addWidget(table)
    area.setWidget(page)
    layout.addWidget(area)
    qtbot.addWidget(window)
    window.resize(500, 400)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    return window, table


def test_a_page_wider_than_its_scroll_area_is_reported(qtbot: Any) -> None:
    window, _table = _window(qtbot, page_width=1200)
    found = sideways_areas(window)
    assert len(found) == 1 and "px" in found[0]


def test_a_table_scrolling_inside_a_fitting_page_is_not_the_page_scrolling(qtbot: Any) -> None:
    window, table = _window(qtbot, page_width=100)
    assert sideways_areas(window) == []
    (record,) = visible_lists(window)
    assert record["sideways"] is True  # the table's own bar, recorded apart
    assert record["rows"] == 40
    row = table.verticalHeader().defaultSectionSize()
    assert 0 < record["rows_visible"] <= table.viewport().height() // row
    table.setColumnWidth(0, 50)
    qtbot.wait(20)
    assert visible_lists(window)[0]["sideways"] is False

"""Sinh hoạt list: the meeting's name is the key column — a short name that keeps the month
("Thường kỳ tháng 11/2026"), never cut before the month, at 1024×768 and 1366×768 in both
text sizes (the place gives way first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from app.book import Book
from app.services import meetings
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.meetings.model import list_name, list_name_head
from ui.meetings.section import DOCUMENTS_COLUMN, NAME_COLUMN, PLACE_COLUMN, MeetingsSection
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext

# The page beside the navigation in the main window (measured with the window tour), as in
# test_sections_fit_small_screen.
PAGES = {
    "1024 large": ((734, 634), True),
    "1366 large": ((998, 634), True),
    "1024": ((840, 660), False),
}
LONG_TOPIC = "Học tập, quán triệt và triển khai thực hiện Nghị quyết Đại hội Đảng bộ phường"


@pytest.fixture(params=sorted(PAGES))
def page(request: pytest.FixtureRequest, qapp: QtWidgets.QApplication) -> Iterator[Any]:
    size, large = PAGES[request.param]
    apply_text_size(qapp, large=large)
    yield size
    apply_text_size(qapp, large=False)


def _meetings(book: Book) -> None:
    """A year of every kind: the widest months (11, 12), one still open (bold), a long topic
    and a long place."""
    make_branch(book)
    year = dt.date.today().year
    for month in range(1, 13):
        new_meeting(book, at=dt.datetime(year, month, 5, 19, 30))
    new_meeting(book, at=dt.datetime(year, 12, 20, 8, 0), kind="bat_thuong")
    new_meeting(book, at=dt.datetime(year, 11, 20, 8, 0), kind="chuyen_de", topic=LONG_TOPIC)
    new_meeting(book, at=dt.datetime(year, 10, 20, 8, 0), kind="chi_uy")


def _fits(section: MeetingsSection, row: int, text: str) -> bool:
    """Whether `text` is shown whole in row `row`'s name cell: wrapped at the cell's width,
    no word wider than the cell and no more lines than the row has room for."""
    view = section.view
    index = section.model.index(row, NAME_COLUMN)
    font = QtGui.QFont(index.data(QtCore.Qt.ItemDataRole.FontRole) or view.font())
    metrics = QtGui.QFontMetrics(font)
    margin = view.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin)
    width = view.columnWidth(NAME_COLUMN) - 2 * (margin + 1)
    laid = metrics.boundingRect(
        QtCore.QRect(0, 0, width, 10_000), int(QtCore.Qt.TextFlag.TextWordWrap), text
    )
    lines = round(laid.height() / metrics.lineSpacing())
    room = view.rowHeight(row) // metrics.lineSpacing()
    return laid.width() <= width and lines <= room


def test_every_meeting_name_shows_its_month(
    qtbot: Any, ctx: AppContext, book: Book, page: tuple[int, int]
) -> None:
    _meetings(book)
    section = MeetingsSection(ctx)
    holder = QtWidgets.QScrollArea()  # the page as the main window holds it
    holder.setWidgetResizable(True)
    holder.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    holder.setWidget(section)
    qtbot.addWidget(holder)
    holder.resize(*page)
    holder.show()
    qtbot.waitExposed(holder)
    section.year.setCurrentIndex(section.year.findData(None))  # Tất cả
    qtbot.wait(20)  # columns are fitted once the event loop turns
    view = section.view
    assert view.horizontalScrollBar().maximum() == 0
    assert section.model.rowCount() == 15
    for row, item in enumerate(section.model.items):
        m = item.meeting
        name = str(section.model.index(row, NAME_COLUMN).data())
        head = list_name_head(m)  # "Thường kỳ tháng 12/2026"
        assert name.startswith(head) and f"tháng\u00a0{m.starts_at.month}/" in head
        assert _fits(section, row, head), (name, page, view.columnWidth(NAME_COLUMN))
        if not m.topic:
            assert name == head
        # The whole name (a long topic too) is the cell's tooltip.
        tip = section.model.index(row, NAME_COLUMN).data(QtCore.Qt.ItemDataRole.ToolTipRole)
        assert tip == name == list_name(m)
    # The document count and the place give way before the name; rows grow to two lines
    # only where even that leaves the name too narrow (1024 wide in large text).
    lines = 2 if page == PAGES["1024 large"][0] else 1
    assert view.rowHeight(0) < view.fontMetrics().lineSpacing() * (lines + 1)
    if lines == 2:
        assert view.isColumnHidden(PLACE_COLUMN) and view.isColumnHidden(DOCUMENTS_COLUMN)
    if not view.isColumnHidden(PLACE_COLUMN):
        assert view.columnWidth(PLACE_COLUMN) <= view.columnWidth(NAME_COLUMN)


def test_short_names_keep_kind_month_and_topic(book: Book) -> None:
    make_branch(book)
    regular = new_meeting(book, at=dt.datetime(2026, 12, 5, 19, 30))
    thematic = new_meeting(
        book, at=dt.datetime(2026, 3, 20, 8, 0), kind="chuyen_de", topic="Học tập nghị quyết"
    )
    committee = new_meeting(book, at=dt.datetime(2026, 12, 1, 8, 0), kind="chi_uy")
    extra = new_meeting(book, at=dt.datetime(2026, 12, 22, 8, 0), kind="bat_thuong")
    assert list_name(regular) == "Thường kỳ tháng\u00a012/2026"
    assert list_name(thematic) == "Chuyên đề tháng\u00a03/2026: “Học tập nghị quyết”"
    assert list_name(committee) == "Chi ủy tháng\u00a012/2026"
    assert list_name(extra) == "Bất thường tháng\u00a012/2026"
    # The meeting's own title (window titles, papers) stays whole and formal.
    title = meetings.get(book, meeting_id=regular.id).title
    assert title == "Sinh hoạt chi bộ thường kỳ tháng 12 năm 2026"

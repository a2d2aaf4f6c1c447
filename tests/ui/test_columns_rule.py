"""One rule for table columns (ui.widgets.columns.fit_table): dates, numbers, codes and short
labels whole at any width a section gets on a 1024×768 screen in large text; names, titles and
free text share the rest, elided with the whole text as tooltip; no sideways scrolling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from app.book import Book
from app.services import documents
from app.services.documents import DocumentFields
from ui.documents.section import DocumentsSection
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import apply_text_size
from ui.widgets.columns import elided_text, fit_columns, fit_table
from ui.widgets.list_model import Column, ListTableModel
from ui.widgets.section import AppContext

# What a section gets at 1024×768 less the taskbar, the frame and the navigation list.
SECTION_1024 = QtCore.QSize(720, 560)
TITLE = (
    "Kế hoạch tuyên truyền, học tập, quán triệt và triển khai thực hiện Nghị quyết Đại hội "
    "đại biểu Đảng bộ phường lần thứ I, nhiệm kỳ 2025–2030"
)


@pytest.fixture
def large_text(qapp: QtWidgets.QApplication) -> Iterator[None]:
    apply_text_size(qapp, large=True)
    yield
    apply_text_size(qapp, large=False)


def _settle(qtbot: Any) -> None:
    qtbot.wait(30)  # the rule is applied again once the event loop turns


def _shown_whole(view: QtWidgets.QTableView, row: int, column: int) -> bool:
    index = view.model().index(row, column)
    return elided_text(view, index) is None and view.columnWidth(column) >= view.sizeHintForColumn(
        column
    )


def _tooltip_at(qtbot: Any, view: QtWidgets.QTableView, row: int, column: int) -> str:
    QtWidgets.QToolTip.hideText()
    rect = view.visualRect(view.model().index(row, column))
    pos = rect.center()
    event = QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QtWidgets.QApplication.sendEvent(view.viewport(), event)
    qtbot.wait(10)
    return QtWidgets.QToolTip.text()


@pytest.mark.usefixtures("large_text")
def test_documents_table_shows_the_date_whole_and_elides_the_title_with_a_tooltip(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    documents.import_bytes(
        book,
        data="Kế hoạch tuyên truyền nghị quyết đại hội.".encode(),
        filename="ke-hoach.txt",
        fields=DocumentFields(
            number="18-KH/ĐU",
            doc_type="KH",
            issuer="Ban Thường vụ Đảng ủy phường Quy Nhơn",
            issued_on=dt.date(2025, 11, 17),
            title=TITLE,
        ),
    )
    section = DocumentsSection(ctx)
    qtbot.addWidget(section)
    section.resize(SECTION_1024)
    section.show()
    section.on_shown()
    _settle(qtbot)
    view = section.view
    model = view.model()
    headers = [model.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(6)]
    date, number, kind, title = (headers.index(h) for h in ("Ngày", "Số hiệu", "Loại", "Tiêu đề"))
    assert model.index(0, date).data() == "17/11/2025"
    for column in (date, number, kind):
        assert _shown_whole(view, 0, column), (headers[column], view.columnWidth(column))
    # No sideways scrolling: every column within the view.
    assert view.horizontalScrollBar().maximum() == 0
    assert sum(view.columnWidth(c) for c in range(6)) <= view.viewport().width()
    # The title takes the most of what is left, elided, whole as its tooltip.
    assert elided_text(view, model.index(0, title)) == TITLE
    assert view.columnWidth(title) == max(view.columnWidth(c) for c in (title, 3))
    assert _tooltip_at(qtbot, view, 0, title).startswith(TITLE)
    # A narrower page: the date stays whole, the title gives way.
    before = view.columnWidth(title)
    section.resize(SECTION_1024.width() - 60, SECTION_1024.height())
    _settle(qtbot)
    assert _shown_whole(view, 0, date)
    assert view.columnWidth(title) < before
    assert view.horizontalScrollBar().maximum() == 0


class _Rows(ListTableModel[tuple[str, str, str, str]]):
    columns = (
        Column("Ngày nhận", lambda r: r[0]),
        Column("Đảng viên", lambda r: r[1]),
        Column("Nội dung", lambda r: r[2]),
        Column("Trạng thái", lambda r: r[3]),
    )


def _table(qtbot: Any, width: int) -> QtWidgets.QTableView:
    model = _Rows()
    model.set_items(
        [("05/12/2026", "Võ Đức Đạt", "Đèn đường tổ 3 hỏng đã lâu, đề nghị sửa " * 3, "Đã trả lời")]
    )
    view = QtWidgets.QTableView()
    view.setModel(model)
    view.setWordWrap(False)
    qtbot.addWidget(view)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_short_columns_keep_their_content_and_text_takes_the_rest(qtbot: Any) -> None:
    view = _table(qtbot, 700)
    fit_table(view, text=(1, 2), main=2)
    _settle(qtbot)
    for column in (0, 3):
        assert _shown_whole(view, 0, column)
    assert view.columnWidth(2) > view.columnWidth(1)  # the content gets the room
    assert sum(view.columnWidth(c) for c in range(4)) == view.viewport().width()
    # Wide: nothing elided, the main text column takes the spare width.
    view.resize(2400, 300)
    _settle(qtbot)
    assert all(elided_text(view, view.model().index(0, c)) is None for c in range(4))
    assert sum(view.columnWidth(c) for c in range(4)) == view.viewport().width()


def test_too_narrow_headings_give_way_before_a_date_is_cut(qtbot: Any) -> None:
    view = _table(qtbot, 700)
    fit_table(view, text=(1, 2), main=2)
    date_content = view.sizeHintForColumn(0)
    view.resize(date_content + view.sizeHintForColumn(3) + 60, 300)
    _settle(qtbot)
    # The date is never cut; at worst the table scrolls sideways (its own bar).
    assert view.columnWidth(0) >= date_content
    assert elided_text(view, view.model().index(0, 0)) is None


def test_the_old_fit_columns_call_still_works_and_keeps_the_rule(qtbot: Any) -> None:
    view = _table(qtbot, 700)
    fit_columns(view, long_column=2, name_column=1)
    _settle(qtbot)
    assert _shown_whole(view, 0, 0) and _shown_whole(view, 0, 3)
    assert view.horizontalScrollBar().maximum() == 0
    wide = view.columnWidth(2)
    view.resize(900, 300)  # applied again on its own
    _settle(qtbot)
    assert view.columnWidth(2) > wide


def test_optional_columns_give_way_to_the_main_text_and_come_back(qtbot: Any) -> None:
    view = _table(qtbot, 700)
    fit_table(view, text=(1, 2), main=2, optional=(3,))
    _settle(qtbot)
    assert not view.isColumnHidden(3)
    # A page where the content would keep less than 20 characters with the state shown.
    view.resize(view.sizeHintForColumn(0) + view.horizontalHeader().sectionSizeHint(3) + 150, 300)
    _settle(qtbot)
    assert view.isColumnHidden(3)  # the state gives its place to the content
    assert _shown_whole(view, 0, 0)
    assert view.columnWidth(2) >= view.fontMetrics().averageCharWidth() * 20
    view.resize(1400, 300)
    _settle(qtbot)
    assert not view.isColumnHidden(3)
    assert _shown_whole(view, 0, 3)

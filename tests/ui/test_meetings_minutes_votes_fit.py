"""Minutes editor, votes tab on small screens (F7): "for" and "against" headings are whole,
and "Thêm biểu quyết" is in sight without scrolling the tab."""

from __future__ import annotations

from typing import Any

import pytest

from app.book import Book
from app.services import attendance
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.meetings.minutes_editor import MinutesEditor
from ui.qt import QtCore, QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext


def _votes_tab(qtbot: Any, ctx: AppContext, meeting_id: str, w: int, h: int) -> MinutesEditor:
    editor = MinutesEditor(ctx, meeting_id)
    qtbot.addWidget(editor)
    editor.show()
    # The client area of a maximal dialog less a 40 px taskbar and a title bar.
    editor.setMaximumSize(16777215, 16777215)
    editor.resize(w - 8, h - 40 - 32)
    tabs = editor.findChild(QtWidgets.QTabWidget)
    assert tabs is not None
    tabs.setCurrentIndex(1)
    qtbot.wait(50)
    return editor


def _in_sight(editor: MinutesEditor, widget: QtWidgets.QWidget) -> bool:
    viewport = editor.scroll_area.viewport()
    top_left = widget.mapTo(viewport, QtCore.QPoint(0, 0))
    return widget.isVisible() and viewport.rect().contains(QtCore.QRect(top_left, widget.size()))


def test_vote_headings_are_whole_at_1024_in_large_text(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)
    apply_text_size(qapp, large=True)
    try:
        editor = _votes_tab(qtbot, ctx, m.id, 1024, 768)
        editor.add_vote()
        qtbot.wait(50)
        view = editor.votes_view
        header = view.horizontalHeader()
        metrics = header.fontMetrics()
        model = view.model()
        horizontal = QtCore.Qt.Orientation.Horizontal
        for column in range(model.columnCount()):
            heading = str(model.headerData(column, horizontal))
            needed = max(metrics.horizontalAdvance(line) for line in heading.split("\n"))
            assert needed + 6 <= header.sectionSize(column), (heading, header.sectionSize(column))
        tips = [
            model.headerData(c, horizontal, QtCore.Qt.ItemDataRole.ToolTipRole) for c in (1, 2, 3)
        ]
        assert tips == [
            "Số phiếu tán thành",
            "Số phiếu không tán thành",
            "Số đảng viên chính thức có mặt không biểu quyết",
        ]
        # No sideways scrolling either: the table is as wide as its view.
        assert header.length() <= view.viewport().width()
    finally:
        apply_text_size(qapp, large=False)


@pytest.mark.parametrize(("width", "large"), [(1366, False), (1366, True), (1024, True)])
def test_add_vote_is_in_sight(
    qtbot: Any, qapp: QtWidgets.QApplication, ctx: AppContext, book: Book, width: int, large: bool
) -> None:
    make_branch(book)
    m = new_meeting(book)
    apply_text_size(qapp, large=large)
    try:
        editor = _votes_tab(qtbot, ctx, m.id, width, 768)
        assert editor.scroll_area.verticalScrollBar().value() == 0
        assert _in_sight(editor, editor.add_vote_button)
        # The general conclusion still shows several lines (a longer one scrolls inside it).
        box = editor.conclusion
        assert box.viewport().height() >= 4 * box.fontMetrics().lineSpacing()
    finally:
        apply_text_size(qapp, large=False)

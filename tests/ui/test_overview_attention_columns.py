"""Tổng quan in large text at 1024 wide: the "Đảng viên cần lưu ý" table gives "Nội dung" (the
message) the room, so it reads in a few lines instead of a narrow column of many."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.test_feedback_kit import make_branch
from ui.overview.section import OverviewSection
from ui.qt import QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext


@pytest.fixture
def large_text(qapp: QtWidgets.QApplication) -> Iterator[None]:
    apply_text_size(qapp, large=True)
    yield
    apply_text_size(qapp, large=False)


@pytest.mark.usefixtures("large_text")
@pytest.mark.parametrize("width", [720, 1100])  # the page at 1024 and 1366 wide
def test_the_message_column_is_the_widest_and_wraps_little(
    qtbot: Any, ctx: AppContext, width: int
) -> None:
    make_branch(ctx.book)
    section = OverviewSection(ctx)
    qtbot.addWidget(section)
    section.resize(width, 700)
    section.show()
    section.refresh(None)
    view = section.attention_view
    model = section.attention_model
    assert model.rowCount() > 0

    # The column rule is applied once the event loop turns (and again when a scroll bar
    # narrows the viewport): wait, up to 2 s, for the widths the assertions below expect.
    def settled() -> bool:
        widths = [view.columnWidth(c) for c in range(3)]
        room = view.viewport().width()
        return sum(widths) <= room and widths[2] * 2 > room

    qtbot.waitUntil(settled, timeout=2000)
    kind_width, message_width = view.columnWidth(1), view.columnWidth(2)
    assert message_width > kind_width and message_width > view.columnWidth(0)
    used = sum(view.columnWidth(c) for c in range(3))
    assert used <= view.viewport().width()
    # The message has more than half the table (it was a narrow column beside a wide kind).
    assert message_width * 2 > view.viewport().width(), (message_width, view.viewport().width())
    # Rows grow with the wrapped message: its whole text stays in the row.
    for row in range(model.rowCount()):
        needed = view.sizeHintForRow(row)
        assert view.rowHeight(row) >= needed - 1, (row, view.rowHeight(row), needed)

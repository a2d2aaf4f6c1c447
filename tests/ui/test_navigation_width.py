"""The section list beside every page: each name whole, a long one on two lines, so the page
keeps the width (1024×768 in large text: the list no longer takes a quarter of the window)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ui.main_window import SECTIONS, MainWindow
from ui.qt import QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext


@pytest.fixture(params=[False, True], ids=["normal", "large"])
def large(request: Any, qapp: QtWidgets.QApplication) -> Iterator[bool]:
    apply_text_size(qapp, large=request.param)
    yield request.param
    apply_text_size(qapp, large=False)


def test_every_section_name_is_whole_and_the_long_one_wraps(
    ctx: AppContext, qtbot: Any, large: bool
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    nav = window.nav
    metrics = nav.fontMetrics()
    line = metrics.lineSpacing()
    one_line_width = max(metrics.horizontalAdvance(t) for _k, t, _m, _c in SECTIONS)
    # Narrower than the longest name on one line: about 100 px given back in large text.
    assert nav.width() < one_line_width + metrics.averageCharWidth() * 6 - 3 * line
    for row in range(nav.count()):
        item = nav.item(row)
        rect = nav.visualItemRect(item)
        words = item.text().split()
        # Whole: every word fits the row's width, and the row is as tall as its lines.
        assert all(metrics.horizontalAdvance(w) < rect.width() for w in words), item.text()
        lines = 1 if metrics.horizontalAdvance(item.text()) < rect.width() - line else 2
        assert rect.height() >= lines * line, (item.text(), rect.height(), line)
    study = next(i for i, s in enumerate(SECTIONS) if s[1] == "Học tập nghị quyết")
    heights = [nav.visualItemRect(nav.item(r)).height() for r in range(nav.count())]
    # One line more than the others, which all keep one line ("Tổng quan", "Đảng viên"…).
    assert heights[study] >= heights[0] + line - 2, heights
    assert len({h for r, h in enumerate(heights) if r != study}) == 1, heights
    assert nav.horizontalScrollBar().maximum() == 0

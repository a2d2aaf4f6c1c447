"""Tổng quan, Đảng viên, Sinh hoạt, Đảng phí and Báo cáo at 1024×768 in large text: no page
scrolls sideways, tables keep their rows, and Sinh hoạt's actions are grouped (every one still
reachable, by mouse and by Alt + its underlined letter)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from app.book import Book
from tests.app.test_feedback_kit import month_before
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.meetings.section import MeetingsSection
from ui.qt import QtCore, QtWidgets
from ui.style import apply_text_size
from ui.widgets.section import AppContext, Section

# The page beside the navigation in the main window on a real X screen (measured with the
# window tour): 1024×768 and 1366×768, large text.
PAGE_1024_LARGE = (734, 634)
PAGE_1366_LARGE = (998, 634)


@pytest.fixture
def large_text(qapp: QtWidgets.QApplication) -> Iterator[None]:
    apply_text_size(qapp, large=True)
    yield
    apply_text_size(qapp, large=False)


def _in_holder(qtbot: Any, page: Section, size: tuple[int, int]) -> QtWidgets.QScrollArea:
    """The page in a scroll area as the main window holds it, at the page's real size."""
    holder = QtWidgets.QScrollArea()
    holder.setWidgetResizable(True)
    holder.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    holder.setWidget(page)
    qtbot.addWidget(holder)  # (the caller keeps `holder`: it owns the page)
    holder.resize(*size)
    holder.show()
    qtbot.waitExposed(holder)
    page.refresh(None)
    if isinstance(page, MeetingsSection):
        _all_years(page)
    qtbot.wait(20)  # columns are fitted once the event loop turns
    return holder


def _rows_in_sight(view: QtWidgets.QTableView) -> int:
    """Whole rows the view has room for (the demo branch has few meetings this year)."""
    return view.viewport().height() // view.verticalHeader().defaultSectionSize()


def _mnemonic(text: str) -> str:
    i = text.find("&")
    return text[i + 1].lower() if 0 <= i < len(text) - 1 else ""


def _meetings(book: Book) -> None:
    """Ten monthly meetings, the newest still open (more than any page shows at once)."""
    make_branch(book)
    today = dt.date.today()
    for back in range(9, 0, -1):
        day = month_before(today, back).replace(day=8)
        new_meeting(book, at=dt.datetime.combine(day, dt.time(19, 30)))
    new_meeting(book, at=dt.datetime(today.year + 1, 1, 5, 19, 30))


def _all_years(section: MeetingsSection) -> None:
    section.year.setCurrentIndex(section.year.findData(None))


@pytest.mark.usefixtures("large_text")
def test_meetings_page_fits_1024_in_large_text_with_its_list_in_sight(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    _meetings(book)
    section = MeetingsSection(ctx)
    holder = _in_holder(qtbot, section, PAGE_1024_LARGE)
    assert holder.horizontalScrollBar().maximum() == 0
    assert section.minimumSizeHint().width() <= PAGE_1024_LARGE[0]
    assert section.view.horizontalScrollBar().maximum() == 0  # the columns share the width
    # The everyday buttons and the two menus take at most two lines above the list (the
    # wall of buttons took five).
    tops = {b.geometry().top() for b in section.buttons.values()}
    assert len(tops) <= 2, {k: b.geometry() for k, b in section.buttons.items()}
    assert _rows_in_sight(section.view) >= 7  # 3 with a wall of 12 buttons
    # A long title ends in "…": the whole title is its tooltip.
    title = section.model.index(0, 1)
    assert title.data(QtCore.Qt.ItemDataRole.ToolTipRole) == title.data()


@pytest.mark.usefixtures("large_text")
def test_meetings_rows_at_1366_in_large_text(qtbot: Any, ctx: AppContext, book: Book) -> None:
    _meetings(book)
    section = MeetingsSection(ctx)
    holder = _in_holder(qtbot, section, PAGE_1366_LARGE)
    assert holder.horizontalScrollBar().maximum() == 0
    assert _rows_in_sight(section.view) >= 8


def test_every_meeting_action_is_a_button_or_in_a_menu_with_its_own_key(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    _meetings(book)
    section = MeetingsSection(ctx)
    holder = _in_holder(qtbot, section, PAGE_1024_LARGE)
    assert holder.widget() is section
    buttons = {b.text().replace("&", ""): b for b in section.buttons.values()}
    assert set(buttons) == {"Tạo cuộc họp…", "Điểm danh", "Biên bản…", "In giấy tờ", "Thêm"}
    # Alt + a letter: one per button, none taken by the window's menus (Sổ, Hiển thị).
    keys = [_mnemonic(b.text()) for b in section.buttons.values()]
    assert all(keys) and len(set(keys)) == len(keys) and not set(keys) & {"s", "h"}
    menus = {
        name: [a.text() for a in buttons[name].menu().actions() if not a.isSeparator()]
        for name in ("In giấy tờ", "Thêm")
    }
    assert [t.replace("&", "") for t in menus["In giấy tờ"]] == [
        "In thông báo mời họp…",
        "In danh sách ký tên…",
        "In biên bản…",
    ]
    assert [t.replace("&", "") for t in menus["Thêm"]] == [
        "Sửa cuộc họp…",
        "Xin phép vắng…",
        "Nhập từ danh sách giấy",
        "Thống kê dự sinh hoạt…",
        "Quy tắc tính…",
        "Xóa cuộc họp",
    ]
    for texts in menus.values():
        letters = [_mnemonic(t) for t in texts]
        assert all(letters) and len(set(letters)) == len(letters), texts


def test_menu_actions_follow_the_chosen_meeting(
    qtbot: Any, ctx: AppContext, book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    _meetings(book)
    section = MeetingsSection(ctx)
    holder = _in_holder(qtbot, section, PAGE_1024_LARGE)
    assert holder.widget() is section and section.selected() is not None
    assert section.buttons["print"].isEnabled() and section.menu_actions["edit"].isEnabled()
    assert section.menu_actions["delete"].isEnabled()  # an open meeting may be deleted
    # Xóa cuộc họp from the Thêm menu deletes the chosen meeting (after asking).
    chosen = section.selected_id()
    section.menu_actions["delete"].trigger()
    assert chosen not in {item.meeting.id for item in section.model.items}
    assert ctx.message.boxes == [] or all(box[0] != "error" for box in ctx.message.boxes)
    section.view.clearSelection()
    assert not section.buttons["roll"].isEnabled()
    assert not section.buttons["print"].isEnabled()
    assert not any(
        section.menu_actions[k].isEnabled() for k in ("edit", "leave", "paper", "delete")
    )
    assert section.menu_actions["stats"].isEnabled() and section.menu_actions["rules"].isEnabled()

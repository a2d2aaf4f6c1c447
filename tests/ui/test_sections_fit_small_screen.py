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

# The page beside the navigation in the main window on a real X screen, 1024×768 and
# 1366×768 (less a 40 px taskbar), large text: MainWindow.pages measured on Xvfb once the
# navigation wraps long names (184 px wide; it was 275 px and the pages 734 / 998 px).
PAGE_1024_LARGE = (834, 634)
PAGE_1366_LARGE = (1168, 634)


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


# -- Tổng quan ------------------------------------------------------------------------------


@pytest.mark.usefixtures("large_text")
def test_overview_next_meeting_day_on_one_line_at_1024_in_large_text(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    from ui.overview.section import OverviewSection

    make_branch(book)
    when = dt.datetime.combine(dt.date.today() + dt.timedelta(days=9), dt.time(19, 30))
    new_meeting(book, at=when)
    section = OverviewSection(ctx)
    holder = _in_holder(qtbot, section, PAGE_1024_LARGE)
    value = section._values["next"]
    assert value.text() == f"{when:%d/%m/%Y}"
    assert section.next_place.text() == "lúc 19:30, tại Nhà văn hóa khu phố 3"
    # One line (it took four in the figure size), the place below it in the body size.
    assert value.height() < value.fontMetrics().lineSpacing() * 1.6, value.height()
    assert section.next_place.font().pointSizeF() < value.font().pointSizeF()
    page = section.findChild(QtWidgets.QScrollArea)
    assert page is not None and page.horizontalScrollBar().maximum() == 0
    assert holder.horizontalScrollBar().maximum() == 0


# -- Đảng viên ------------------------------------------------------------------------------


@pytest.mark.usefixtures("large_text")
def test_members_buttons_on_one_line_at_1024_with_excel_and_papers_in_a_menu(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    from ui.members.section import MembersSection

    make_branch(book)
    section = MembersSection(ctx)
    holder = _in_holder(qtbot, section, PAGE_1024_LARGE)
    assert holder.horizontalScrollBar().maximum() == 0
    buttons = (
        section.add_button,
        section.edit_button,
        section.remove_button,
        section.history_button,
        section.papers_button,
    )
    assert len({b.geometry().top() for b in buttons}) == 1  # three lines before
    menu = section.papers_button.menu()
    assert menu is not None
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Nhập từ Excel…", "Xuất Excel…", "In danh sách…", "Huy hiệu Đảng…"]
    assert _mnemonic(section.papers_button.text()) not in {"s", "h"}


# -- Đảng phí -------------------------------------------------------------------------------


@pytest.mark.usefixtures("large_text")
@pytest.mark.parametrize("size", [PAGE_1024_LARGE, PAGE_1366_LARGE])
def test_dues_sheet_shows_names_whole_without_sideways_scrolling(
    qtbot: Any, ctx: AppContext, book: Book, size: tuple[int, int]
) -> None:
    from app.services import members
    from tests.app.dues_kit import make_dues_branch
    from ui.dues.model import COL_CASH, COL_ONLINE
    from ui.dues.section import DuesSection

    make_dues_branch(book)
    longest = "Nguyễn Thị Phương Thảo"
    members.create(book, data=members.MemberInput(longest))
    section = DuesSection(ctx)
    holder = _in_holder(qtbot, section, size)
    sheet = section.sheet
    qtbot.waitUntil(lambda: sheet.model.rowCount() == 6)
    view, header = sheet.view, sheet.view.horizontalHeader()
    shown = [c for c in range(sheet.model.columnCount()) if not view.isColumnHidden(c)]
    used = sum(header.sectionSize(c) for c in shown)
    assert used <= view.viewport().width(), (used, view.viewport().width())
    assert not view.horizontalScrollBar().isVisible()
    assert holder.horizontalScrollBar().maximum() == 0
    # The columns clicked to mark a payment are always there, and every name is whole.
    assert {1, 2, COL_CASH, COL_ONLINE} <= set(shown)
    assert header.sectionSize(1) >= view.fontMetrics().horizontalAdvance(longest) + 8
    before = [header.sectionSize(c) for c in range(sheet.model.columnCount())]
    sheet.view.selectRow(0)
    sheet.pay_cash_current()  # marking never changes a column
    assert [header.sectionSize(c) for c in range(sheet.model.columnCount())] == before


def test_dues_sheet_hides_no_column_when_there_is_room(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    from tests.app.dues_kit import make_dues_branch
    from ui.dues.section import DuesSection

    make_dues_branch(book)
    section = DuesSection(ctx)
    holder = _in_holder(qtbot, section, (1024 - 190 - 40, 634))  # 1024 wide, normal text
    sheet = section.sheet
    qtbot.waitUntil(lambda: sheet.model.rowCount() == 5)
    assert holder.widget() is section
    assert not any(sheet.view.isColumnHidden(c) for c in range(sheet.model.columnCount()))


# -- Báo cáo --------------------------------------------------------------------------------


@pytest.mark.usefixtures("large_text")
@pytest.mark.parametrize(("size", "below"), [(PAGE_1024_LARGE, True), (PAGE_1366_LARGE, False)])
def test_report_editor_never_scrolls_sideways(
    qtbot: Any, ctx: AppContext, book: Book, size: tuple[int, int], below: bool
) -> None:
    from ui.reports.section import ReportsSection

    make_branch(book)
    section = ReportsSection(ctx)
    holder = _in_holder(qtbot, section, size)
    # The deployment report has the longest section title (812 px in one line).
    section.kind.setCurrentIndex(section.kind.findData("deployment"))
    section.draft_button.click()
    qtbot.waitUntil(lambda: section.report is not None)
    qtbot.wait(20)
    vertical = section.splitter.orientation() == QtCore.Qt.Orientation.Vertical
    assert vertical == below  # the editor below the list only where it would be squeezed
    assert section.editor_scroll.horizontalScrollBar().maximum() == 0
    assert holder.horizontalScrollBar().maximum() == 0
    titles = [e.title() for e in section.editors]
    assert any(t.startswith("III. Hỗ trợ đảng viên cao tuổi") for t in titles), titles
    for editor in section.editors:
        assert editor.heading.text() == editor.title()  # the whole title, wrapped
        assert editor.width() <= section.editor_scroll.viewport().width()
    # The number field shows its whole hint ("Để trống: số tiếp the…" before).
    hint = section.number.placeholderText()
    assert section.number.width() >= section.number.fontMetrics().horizontalAdvance(hint)


# -- Biên bản -------------------------------------------------------------------------------


@pytest.mark.usefixtures("large_text")
def test_minutes_editor_needs_less_than_a_1024_screen_in_large_text(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    from ui.meetings.minutes_editor import MinutesEditor

    make_branch(book)
    meeting = new_meeting(book, at=dt.datetime.combine(dt.date.today(), dt.time(7, 30)))
    editor = MinutesEditor(ctx, meeting.id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    body = editor.scroll_area.widget()
    assert body is not None
    # 926 px before: the labels now go above their fields when narrow, the buttons wrap.
    assert body.minimumSizeHint().width() <= 760, body.minimumSizeHint().width()
    editor.resize(800, 640)
    qtbot.wait(20)
    assert editor.scroll_area.horizontalScrollBar().maximum() == 0

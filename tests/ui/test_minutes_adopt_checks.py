"""Thông qua biên bản: every refusal of the close comes before "Biên bản đã được đọc lại…
thông qua?" (finding N3), and a refusal leaves the red line once its cause is fixed."""

from __future__ import annotations

from typing import Any

import pytest

from app.book import Book
from app.errors import KnownError
from app.services import attendance, meetings
from tests.app.test_meetings_support import days_ago, make_branch, new_meeting
from ui.meetings.minutes_editor import MinutesEditor
from ui.qt import QtCore
from ui.widgets.section import AppContext

ASK = "Thông qua biên bản"
NO_END = "Vui lòng ghi giờ kết thúc cuộc họp trước khi thông qua biên bản."


def _editor(qtbot: Any, ctx: AppContext, meeting_id: str) -> MinutesEditor:
    editor = MinutesEditor(ctx, meeting_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def _asked(ctx: AppContext) -> list[str]:
    return [title for _kind, title, _text in ctx.message.shown]


def test_a_meeting_still_to_come_is_refused_before_the_question(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book, at=days_ago(-31))  # next month, nobody marked
    editor = _editor(qtbot, ctx, m.id)
    editor.ends_at.edit.clear()
    qtbot.keyClicks(editor.ends_at.edit, "21:15")
    qtbot.keyClick(editor.ends_at.edit, QtCore.Qt.Key.Key_Tab)
    assert editor.has_end.isChecked()
    ctx.message.auto_answer = True
    editor.adopt()
    assert _asked(ctx) == []  # not asked first
    assert editor.error.text() == (
        f"Cuộc họp ngày {m.starts_at:%d/%m/%Y} chưa diễn ra nên chưa thể kết thúc."
    )
    assert meetings.get(book, meeting_id=m.id).state != "closed"


def test_all_refusals_come_first_and_the_end_time_line_goes_once_typed(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book, secretary="")
    editor = _editor(qtbot, ctx, m.id)
    assert not editor.has_end.isChecked()
    ctx.message.auto_answer = True
    editor.adopt()
    assert _asked(ctx) == []
    lines = editor.error.text().splitlines()
    assert lines[0] == NO_END
    assert lines[1].startswith("Vui lòng ghi họ tên người chủ trì và thư ký")
    assert lines[2].startswith("Còn 7 đồng chí chưa điểm danh:")
    assert len(lines) == 3
    assert editor.focusWidget() is editor.ends_at.edit

    qtbot.keyClicks(editor.ends_at.edit, "21:45")  # typing the time ticks its box
    qtbot.keyClick(editor.ends_at.edit, QtCore.Qt.Key.Key_Tab)
    assert editor.has_end.isChecked()
    assert editor.error.text().splitlines() == lines[1:]  # only the end time's line went

    meetings.update(
        book,
        meeting_id=m.id,
        data=meetings.MeetingInput(
            kind=m.kind,
            starts_at=m.starts_at,
            place=m.place,
            chair_name=m.chair_name,
            secretary_name="Nguyễn Thị Hòa",
        ),
    )
    attendance.mark_remaining_present(book, meeting_id=m.id)
    editor.adopt()
    assert _asked(ctx) == [ASK]
    closed = meetings.get(book, meeting_id=m.id)
    assert closed.state == "closed"
    assert closed.ends_at is not None and f"{closed.ends_at:%H:%M}" == "21:45"


def test_an_unticked_end_is_refused_even_when_one_is_stored(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    """The minutes are saved before the close: an end the user unticks is no end."""
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)
    editor = _editor(qtbot, ctx, m.id)
    editor.has_end.setChecked(True)
    editor.save()
    assert meetings.get(book, meeting_id=m.id).ends_at is not None
    editor.has_end.setChecked(False)
    ctx.message.auto_answer = True
    editor.adopt()
    assert _asked(ctx) == []
    assert editor.error.text() == NO_END


@pytest.mark.parametrize("case", ["future", "no_end", "unmarked", "ready"])
def test_close_refuses_exactly_what_close_problems_lists_first(book: Book, case: str) -> None:
    make_branch(book)
    m = new_meeting(book, at=days_ago(-10) if case == "future" else None)
    if case in ("no_end", "ready"):
        attendance.mark_remaining_present(book, meeting_id=m.id)
    end = None if case == "no_end" else m.starts_at.replace(hour=21, minute=30)
    problems = meetings.close_problems(book, meeting_id=m.id, ends_at=end)
    if case == "ready":
        assert problems == []
        assert meetings.close(book, meeting_id=m.id, ends_at=end).state == "closed"
        refused = meetings.close_problems(book, meeting_id=m.id, ends_at=end)
        assert [str(p) for p in refused] == [
            "Cuộc họp này đã kết thúc và biên bản đã được thông qua."
        ]
        return
    assert problems
    with pytest.raises(KnownError) as raised:
        meetings.close(book, meeting_id=m.id, ends_at=end)
    assert str(raised.value) == str(problems[0])
    assert meetings.get(book, meeting_id=m.id).state != "closed"

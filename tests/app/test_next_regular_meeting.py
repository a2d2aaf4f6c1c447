"""After this month's regular meeting, the program points at next month's (finding F13)."""

from __future__ import annotations

import datetime as dt

from app.book import Book
from app.services import attendance, dashboard, meetings
from app.vocab import RosterRole
from tests.app.test_meetings_support import make_branch, new_meeting

TODAY = dt.date(2026, 12, 20)


def _at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_no_meeting_this_month_asks_for_this_months(book: Book) -> None:
    make_branch(book)
    new_meeting(book, at=_at(dt.date(2026, 11, 5), 8, 0))  # last month's, on the 5th at 8:00
    hint = dashboard.meeting_hint(book, today=TODAY)
    assert hint == "Hãy tạo cuộc họp chi bộ thường kỳ tháng 12/2026 ở mục Sinh hoạt."
    nxt = meetings.next_regular(book, today=TODAY)
    # The usual 5th has passed this month: a week on, still in December, at the usual hour.
    assert nxt.proposed == dt.datetime(2026, 12, 27, 8, 0)
    early = meetings.next_regular(book, today=dt.date(2026, 12, 2))
    assert early.proposed == dt.datetime(2026, 12, 5, 8, 0)  # the usual day is still ahead


def test_after_this_months_meeting_the_hint_and_date_move_to_next_month(book: Book) -> None:
    make_branch(book)
    held = new_meeting(book, at=_at(dt.date(2026, 12, 5)))
    for row in attendance.roll_call(book, meeting_id=held.id).rows:
        if row.role != RosterRole.EXEMPT:
            attendance.mark(book, meeting_id=held.id, member_id=row.member_id, status="present")
    meetings.close(book, meeting_id=held.id, ends_at=_at(dt.date(2026, 12, 5), 21, 0))
    board = dashboard.dashboard(book, today=TODAY)
    assert board.next_meeting is None
    assert board.meeting_hint == (
        "Tháng 12/2026 đã có cuộc sinh hoạt chi bộ thường kỳ ngày 05/12/2026. "
        "Hãy tạo cuộc họp chi bộ thường kỳ tháng 1/2027 ở mục Sinh hoạt."
    )
    assert "tháng này" not in board.meeting_hint
    assert board.to_json()["meeting_hint"] == board.meeting_hint
    nxt = meetings.next_regular(book, today=TODAY)
    assert nxt.month == dt.date(2027, 1, 1)
    assert nxt.proposed == dt.datetime(2027, 1, 5, 19, 30)  # the branch's usual day
    # The proposed date is accepted: creating the meeting there is not refused.
    created = meetings.create(
        book,
        data=meetings.MeetingInput(
            kind="thuong_ky", starts_at=nxt.proposed, place="Nhà văn hóa khu phố 3"
        ),
    )
    assert created.starts_at == nxt.proposed


def test_usual_day_past_the_end_of_a_short_month(book: Book) -> None:
    make_branch(book)
    new_meeting(book, at=_at(dt.date(2027, 1, 31)))
    nxt = meetings.next_regular(book, today=dt.date(2027, 1, 31))
    assert nxt.proposed == dt.datetime(2027, 2, 28, 19, 30)


def test_scheduled_meeting_needs_no_hint(book: Book) -> None:
    make_branch(book)
    new_meeting(book, at=_at(dt.date(2026, 12, 27)))
    board = dashboard.dashboard(book, today=TODAY)
    assert board.next_meeting is not None and board.meeting_hint == ""

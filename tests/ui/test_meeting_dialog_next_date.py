"""The new-meeting dialog proposes a date the regular meeting can have (finding F13)."""

from __future__ import annotations

import datetime as dt

from app.book import Book
from app.services import meetings
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.meetings.meeting_dialog import MeetingDialog
from ui.qt import QtWidgets
from ui.widgets.section import AppContext


def _next_month_day(today: dt.date, day: int) -> dt.date:
    first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last = ((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)).day
    return first.replace(day=min(day, last))


def test_after_this_months_meeting_the_dialog_proposes_next_month(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    today = dt.date.today()
    # This month's regular meeting, earlier today at 7:00 (the branch's usual day and hour).
    new_meeting(book, at=dt.datetime.combine(today, dt.time(7, 0)))
    dialog = MeetingDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    proposed = dialog.date.required_date()
    assert proposed == _next_month_day(today, today.day)
    assert (dialog.time.required_time().hour, dialog.time.required_time().minute) == (7, 0)
    # Saving as proposed is not refused as a second regular meeting this month.
    dialog.secretary.setCurrentText("Nguyễn Thị Hòa")
    dialog.save()
    assert dialog.error.text() == ""
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert [m.starts_at.date() for m in meetings.list_meetings(book, newest_first=False)] == [
        today,
        proposed,
    ]


def test_first_meeting_is_proposed_a_week_on_this_month(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    today = dt.date.today()
    dialog = MeetingDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    proposed = dialog.date.required_date()
    month_end = _next_month_day(today, 1) - dt.timedelta(days=1)
    assert proposed == min(today + dt.timedelta(days=7), month_end)
    assert (proposed.year, proposed.month) == (today.year, today.month)

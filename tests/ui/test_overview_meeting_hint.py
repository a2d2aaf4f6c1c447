"""Tổng quan without a scheduled meeting names the month to create: this month's, or next
month's once this month's regular meeting has been held (Dashboard.meeting_hint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.services import attendance, meetings
from app.vocab import RosterRole
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.overview.section import OverviewSection
from ui.widgets.section import AppContext

TODAY = dt.date.today()


def _section(ctx: AppContext, qtbot: Any) -> OverviewSection:
    section = OverviewSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    qtbot.waitUntil(lambda: section.dashboard is not None)
    return section


def test_no_meeting_at_all_asks_for_this_months(ctx: AppContext, qtbot: Any) -> None:
    make_branch(ctx.book)
    section = _section(ctx, qtbot)
    assert section.meeting_label.text() == "Chưa có cuộc họp nào được lên lịch."
    assert section.missing_label.text() == (
        f"Hãy tạo cuộc họp chi bộ thường kỳ tháng {TODAY.month}/{TODAY.year} ở mục Sinh hoạt."
    )


def test_after_this_months_meeting_the_page_names_next_month(ctx: AppContext, qtbot: Any) -> None:
    make_branch(ctx.book)
    first = TODAY.replace(day=1)
    held = new_meeting(ctx.book, at=dt.datetime.combine(first, dt.time(7, 30)))
    for row in attendance.roll_call(ctx.book, meeting_id=held.id).rows:
        if row.role != RosterRole.EXEMPT:
            attendance.mark(ctx.book, meeting_id=held.id, member_id=row.member_id, status="present")
    meetings.close(ctx.book, meeting_id=held.id, ends_at=dt.datetime.combine(first, dt.time(9)))
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    section = _section(ctx, qtbot)
    assert section.meeting_label.text() == "Chưa có cuộc họp nào được lên lịch."
    assert section.missing_label.text() == (
        f"Tháng {first.month}/{first.year} đã có cuộc sinh hoạt chi bộ thường kỳ ngày "
        f"{first:%d/%m/%Y}. Hãy tạo cuộc họp chi bộ thường kỳ tháng {nxt.month}/{nxt.year} "
        "ở mục Sinh hoạt."
    )
    assert "tháng này" not in section.missing_label.text()

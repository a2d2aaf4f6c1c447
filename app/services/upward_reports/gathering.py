"""Gathering a report's data from the book: meetings and attendance, chi ủy meetings, study
campaigns, feedback, membership changes, the central app's rollout and support sessions, and
what the next period already holds (meetings, Huy hiệu Đảng, probations ending).

`gather` reads; the drafting module turns what it returns into text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Member
from app.services import feedback as feedback_service
from app.services import meeting_stats, meetings, milestones, study, support
from app.services.upward_reports.periods import next_period
from app.services.upward_reports.views import load_json
from app.vocab import Entity, MeetingKind, MemberStatus

if TYPE_CHECKING:
    from app.book import Book

# Statuses that take a member out of the branch (chuyển đi, từ trần, xóa tên).
LEFT_STATUSES = tuple(s for s in MemberStatus if not s.is_active)


def _local_offset() -> dt.timedelta:
    return dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)


@dataclass
class MemberChanges:
    admitted: list[str] = field(default_factory=list)
    made_official: list[str] = field(default_factory=list)
    left: dict[str, list[str]] = field(default_factory=dict)  # status → names
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.admitted or self.made_official or self.left)


def member_changes(s: Session, start: dt.date, end: dt.date) -> MemberChanges:
    """Admissions and official recognitions by their dates; departures (chuyển đi, từ trần,
    xóa tên) from the status changes in the audit trail (including those sent down by the
    committee). Totals are the register as it stands now."""
    out = MemberChanges()
    live = Member.deleted_at.is_(None)
    for (name,) in s.execute(
        select(Member.full_name).where(live, Member.admission_date.between(start, end))
    ):
        out.admitted.append(name)
    for (name,) in s.execute(
        select(Member.full_name).where(live, Member.official_date.between(start, end))
    ):
        out.made_official.append(name)
    offset = _local_offset()
    lo = dt.datetime.combine(start, dt.time.min) - offset
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min) - offset
    seen: dict[str, str] = {}
    q = (
        select(AuditEntry.entity_id, AuditEntry.changes_json)
        .where(
            AuditEntry.entity == Entity.MEMBER,
            AuditEntry.action != "create",
            AuditEntry.at >= lo,
            AuditEntry.at < hi,
        )
        .order_by(AuditEntry.id)
    )
    for member_id, raw in s.execute(q).all():
        delta = load_json(raw, {})
        status = delta.get("status") if isinstance(delta, dict) else None
        if isinstance(status, list) and len(status) == 2:
            seen[member_id] = str(status[1])
    if seen:
        names = dict(
            s.execute(select(Member.id, Member.full_name).where(Member.id.in_(seen))).all()
        )
        for member_id, status in seen.items():
            if status in LEFT_STATUSES and member_id in names:
                out.left.setdefault(status, []).append(names[member_id])
    for status, n in s.execute(
        select(Member.status, func.count()).where(live).group_by(Member.status)
    ).all():
        out.totals[status] = int(n)
    return out


@dataclass
class Gathered:
    """Everything a report of one kind and period is drafted from."""

    kind: str
    start: dt.date
    end: dt.date
    branch: str
    committee: str
    stats: meeting_stats.AttendanceStats
    chi_uy: list[meetings.MeetingView]
    campaigns: list[study.CampaignView]
    feedback: feedback_service.FeedbackCounts
    feedback_items: list[feedback_service.FeedbackView]
    members: MemberChanges
    board: support.OnboardingBoard
    support_period: support.SupportFigures
    support_total: support.SupportFigures
    next_start: dt.date
    next_end: dt.date
    next_meetings: list[meetings.MeetingView]
    badges: list[milestones.BadgeDue]
    probation_due: list[str]
    today: dt.date

    @property
    def has_activity(self) -> bool:
        return bool(
            self.stats.meetings
            or self.chi_uy
            or self.campaigns
            or self.feedback.total
            or self.members.any
            or self.support_period.sessions
        )


def _overlaps(c: study.CampaignView, start: dt.date, end: dt.date) -> bool:
    first = c.starts_on or (c.session_at.date() if c.session_at else None)
    last = c.ends_on or c.submission_due or first
    if first is None:
        return False
    return first <= end and (last or first) >= start


def gather(book: Book, kind: str, start: dt.date, end: dt.date, today: dt.date) -> Gathered:
    info = book.branch()
    upto = min(end, today)
    stats = meeting_stats.compute(book, start=start, end=upto)
    chi_uy = [
        m
        for m in meetings.list_meetings(
            book, start=start, end=upto, kinds=[MeetingKind.COMMITTEE], newest_first=False
        )
        if m.state != "draft"
    ]
    campaigns = [c for c in study.list_campaigns(book) if _overlaps(c, start, end)]
    next_start, next_end = next_period(kind, start, end)
    next_meetings = meetings.list_meetings(book, start=next_start, end=next_end, newest_first=False)
    badges = [
        b
        for b in milestones.badges_due(book, on=next_start)
        if next_start <= b.award_date <= next_end
    ]
    with book.read_session() as s:
        changes = member_changes(s, start, end)
        probation_due = [
            name
            for name, admitted in s.execute(
                select(Member.full_name, Member.admission_date).where(
                    Member.deleted_at.is_(None),
                    Member.status == MemberStatus.PROBATIONARY,
                    Member.admission_date.is_not(None),
                )
            ).all()
            if admitted is not None and milestones.add_years(admitted, 1) <= next_end
        ]
    return Gathered(
        kind=kind,
        start=start,
        end=end,
        branch=info.name,
        committee=info.committee,
        stats=stats,
        chi_uy=chi_uy,
        campaigns=campaigns,
        feedback=feedback_service.counts(book, start=start, end=end),
        feedback_items=feedback_service.list_feedback(book, start=start, end=end, descending=False),
        members=changes,
        board=support.onboarding_board(book, today=today),
        support_period=support.figures(book, start=start, end=upto),
        support_total=support.figures(book, start=None, end=upto),
        next_start=next_start,
        next_end=next_end,
        next_meetings=next_meetings,
        badges=badges,
        probation_due=probation_due,
        today=today,
    )

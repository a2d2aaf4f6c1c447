"""Figures for the home page (Tổng quan) and the status bar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, or_, select

from app.models import Meeting, Member
from app.vocab import MemberStatus

if TYPE_CHECKING:
    from app.book import Book


@dataclass(frozen=True)
class Overview:
    branch_name: str
    committee: str
    members_total: int
    members_by_status: dict[str, int]  # the active statuses only: the breakdown of the total
    without_account: int
    needs_support: int  # flagged by hand, or at least `support_age` years old
    next_meeting_at: dt.datetime | None
    next_meeting_place: str
    sync_pending: int
    sync_attention: int
    support_age: int = 0  # 0: age does not count
    elderly: int = 0  # active members aged `support_age` or more
    sync_enrolled: bool = True  # False: no server set up, nothing is really "waiting"
    # Members who left this month (chuyển đi, từ trần, xóa tên by their recorded date), by
    # status: told apart from the active breakdown ("Chuyển đi trong tháng: 1").
    left_this_month: dict[str, int] = field(default_factory=dict)


# Members this old count as needing support (reading papers, writing opinions, the app)
# even when nobody ticked "Cần hỗ trợ"; the secretary can change the age in Cài đặt.
DEFAULT_SUPPORT_AGE = 70


def birth_date_cutoff(today: dt.date, age: int) -> dt.date:
    """Anyone born on or before this date is at least `age` years old on `today`."""
    try:
        return today.replace(year=today.year - age)
    except ValueError:  # 29 February
        return today.replace(year=today.year - age, day=28)


def sync_counts(book: Book) -> tuple[int, int]:
    """(changes waiting, changes needing the secretary's attention)."""
    from app.services import sync_state

    status = sync_state.status(book)
    return status.pending, status.needing_attention


def _sync_enrolled(book: Book) -> bool:
    from app.services import sync_state

    return sync_state.status(book).enrolled


def overview(
    book: Book, *, support_age: int = DEFAULT_SUPPORT_AGE, today: dt.date | None = None
) -> Overview:
    info = book.branch()
    today = today or dt.date.today()
    live = Member.deleted_at.is_(None)
    with book.read_session() as s:
        by_status = {
            status: int(n)
            for status, n in s.execute(
                select(Member.status, func.count()).where(live).group_by(Member.status)
            ).all()
        }
        active = Member.status.in_(MemberStatus.active())
        month_start = today.replace(day=1)
        left_on = func.coalesce(Member.left_date, Member.death_date)
        left_this_month = {
            status: int(n)
            for status, n in s.execute(
                select(Member.status, func.count())
                .where(
                    live,
                    Member.status.in_(MemberStatus.left()),
                    left_on >= month_start,
                    left_on <= today,
                )
                .group_by(Member.status)
            ).all()
        }
        without_account = int(
            s.scalar(select(func.count()).where(live, active, Member.app_account == "chua_dang_ky"))
            or 0
        )
        flagged: ColumnElement[bool] = Member.needs_support.is_(True)
        elderly = 0
        if support_age > 0:
            old = Member.birth_date <= birth_date_cutoff(today, support_age)
            elderly = int(s.scalar(select(func.count()).where(live, active, old)) or 0)
            flagged = or_(flagged, old)
        needs_support = int(s.scalar(select(func.count()).where(live, active, flagged)) or 0)
        nxt = s.scalars(
            select(Meeting)
            .where(Meeting.deleted_at.is_(None), Meeting.starts_at >= dt.datetime.now())
            .order_by(Meeting.starts_at)
        ).first()
    pending, attention = sync_counts(book)
    return Overview(
        branch_name=info.name,
        committee=info.committee,
        members_total=sum(n for st, n in by_status.items() if st in MemberStatus.active()),
        members_by_status={st: by_status[st] for st in MemberStatus.active() if by_status.get(st)},
        without_account=without_account,
        needs_support=needs_support,
        next_meeting_at=nxt.starts_at if nxt else None,
        next_meeting_place=nxt.place if nxt else "",
        sync_pending=pending,
        sync_attention=attention,
        support_age=support_age,
        elderly=elderly,
        sync_enrolled=_sync_enrolled(book),
        left_this_month=left_this_month,
    )

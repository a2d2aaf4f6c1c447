"""Figures for the home page (Tổng quan) and the status bar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.models import Meeting, Member
from app.vocab import MemberStatus

if TYPE_CHECKING:
    from app.book import Book


@dataclass(frozen=True)
class Overview:
    branch_name: str
    committee: str
    members_total: int
    members_by_status: dict[str, int]
    without_account: int
    needs_support: int
    next_meeting_at: dt.datetime | None
    next_meeting_place: str
    sync_pending: int
    sync_attention: int


def sync_counts(book: Book) -> tuple[int, int]:
    """(changes waiting, changes needing the secretary's attention)."""
    from app.services import sync_state

    status = sync_state.status(book)
    return status.pending, status.needing_attention


def overview(book: Book) -> Overview:
    info = book.branch()
    live = Member.deleted_at.is_(None)
    with book.read_session() as s:
        by_status = {
            status: int(n)
            for status, n in s.execute(
                select(Member.status, func.count()).where(live).group_by(Member.status)
            ).all()
        }
        active = Member.status.in_(MemberStatus.active())
        without_account = int(
            s.scalar(select(func.count()).where(live, active, Member.app_account == "chua_dang_ky"))
            or 0
        )
        needs_support = int(
            s.scalar(select(func.count()).where(live, active, Member.needs_support.is_(True))) or 0
        )
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
        members_by_status=by_status,
        without_account=without_account,
        needs_support=needs_support,
        next_meeting_at=nxt.starts_at if nxt else None,
        next_meeting_place=nxt.place if nxt else "",
        sync_pending=pending,
        sync_attention=attention,
    )

"""Tuổi đảng and the Huy hiệu Đảng (Party membership badges).

Badges are given at 30, 40, 45, 50, ..., 90 years of membership, presented on four days a
year: 3/2, 19/5, 2/9 and 7/11. A member is due a badge at the first presentation day on or
after the day they complete the years (counted from ngày vào Đảng).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.models import Member
from app.validation.dates import years_between
from app.vocab import MemberStatus

if TYPE_CHECKING:
    from app.book import Book

BADGE_YEARS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
AWARD_DAYS: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day)
AWARD_OCCASIONS: dict[tuple[int, int], str] = {
    (2, 3): "Kỷ niệm ngày thành lập Đảng 3/2",
    (5, 19): "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh 19/5",
    (9, 2): "Quốc khánh 2/9",
    (11, 7): "Kỷ niệm Cách mạng Tháng Mười 7/11",
}
# People no longer in the branch are not listed.
_NOT_LISTED = MemberStatus.left()


def party_age(admission: dt.date | None, on: dt.date | None = None) -> int | None:
    """Tuổi đảng on a day: whole years since admission (None without an admission date)."""
    if admission is None:
        return None
    return max(0, years_between(admission, on or dt.date.today()))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def next_award_date(on: dt.date | None = None) -> dt.date:
    """The first presentation day on or after `on`."""
    on = on or dt.date.today()
    for year in (on.year, on.year + 1):
        for month, day in AWARD_DAYS:
            candidate = dt.date(year, month, day)
            if candidate >= on:
                return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def previous_award_date(award: dt.date) -> dt.date:
    """The presentation day before `award`."""
    for year in (award.year, award.year - 1):
        for month, day in reversed(AWARD_DAYS):
            candidate = dt.date(year, month, day)
            if candidate < award:
                return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def is_award_date(day: dt.date) -> bool:
    return (day.month, day.day) in AWARD_DAYS


def badge_due_at(admission: dt.date, award: dt.date) -> int | None:
    """The badge (years) a member admitted on `admission` receives at `award`, if any."""
    start = previous_award_date(award)
    for years in BADGE_YEARS:
        if not start.year <= admission.year + years <= award.year:
            continue  # reached in another year: cannot fall in (start, award]
        reached = add_years(admission, years)
        if start < reached <= award:
            return years
    return None


def award_label(years: int) -> str:
    return f"Huy hiệu {years} năm tuổi Đảng"


def occasion_label(award: dt.date) -> str:
    return AWARD_OCCASIONS.get((award.month, award.day), f"{award:%d/%m/%Y}")


@dataclass(frozen=True)
class BadgeDue:
    member_id: str
    full_name: str
    birth_date: dt.date | None
    gender: str | None
    admission_date: dt.date
    card_number: str | None
    status: str
    years: int
    reached_on: dt.date  # the day the member completes `years`
    award_date: dt.date

    @property
    def label(self) -> str:
        return award_label(self.years)

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "admission_date": self.admission_date.isoformat(),
            "card_number": self.card_number,
            "years": self.years,
            "badge": self.label,
            "reached_on": self.reached_on.isoformat(),
            "award_date": self.award_date.isoformat(),
        }


def badges_due(
    book: Book, *, award_date: dt.date | None = None, on: dt.date | None = None
) -> list[BadgeDue]:
    """Members due a badge at `award_date` (default: the next presentation day after `on`),
    longest membership first, then by name."""
    award = award_date or next_award_date(on)
    if not is_award_date(award):
        award = next_award_date(award)
    # Plain rows of the columns used, not ORM objects (5,000 members on the dashboard).
    q = (
        select(
            Member.id,
            Member.full_name,
            Member.birth_date,
            Member.gender,
            Member.admission_date,
            Member.card_number,
            Member.status,
        )
        .where(
            Member.deleted_at.is_(None),
            Member.admission_date.is_not(None),
            Member.status.not_in(_NOT_LISTED),
        )
        .order_by(Member.name_sort, Member.id)
    )
    out: list[BadgeDue] = []
    with book.read_session() as s:
        for row in s.execute(q):
            assert row.admission_date is not None
            years = badge_due_at(row.admission_date, award)
            if years is None:
                continue
            out.append(
                BadgeDue(
                    member_id=row.id,
                    full_name=row.full_name,
                    birth_date=row.birth_date,
                    gender=row.gender,
                    admission_date=row.admission_date,
                    card_number=row.card_number,
                    status=row.status,
                    years=years,
                    reached_on=add_years(row.admission_date, years),
                    award_date=award,
                )
            )
    out.sort(key=lambda b: -b.years)  # stable: name order within each badge
    return out

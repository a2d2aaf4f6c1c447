"""Tuổi đảng and the Huy hiệu Đảng due at each presentation day."""

from __future__ import annotations

import datetime as dt

from app.book import Book
from app.services import members, milestones
from app.services.members import MemberInput


def test_next_and_previous_award_dates() -> None:
    assert milestones.next_award_date(dt.date(2025, 11, 15)) == dt.date(2026, 2, 3)
    assert milestones.next_award_date(dt.date(2026, 2, 3)) == dt.date(2026, 2, 3)
    assert milestones.next_award_date(dt.date(2026, 2, 4)) == dt.date(2026, 5, 19)
    assert milestones.next_award_date(dt.date(2026, 5, 20)) == dt.date(2026, 9, 2)
    assert milestones.next_award_date(dt.date(2026, 9, 3)) == dt.date(2026, 11, 7)
    assert milestones.previous_award_date(dt.date(2026, 2, 3)) == dt.date(2025, 11, 7)


def test_badge_is_due_at_the_first_award_day_after_the_years_are_complete() -> None:
    admitted = dt.date(1996, 1, 20)  # 30 years on 20/1/2026
    assert milestones.badge_due_at(admitted, dt.date(2025, 11, 7)) is None
    assert milestones.badge_due_at(admitted, dt.date(2026, 2, 3)) == 30
    assert milestones.badge_due_at(admitted, dt.date(2026, 5, 19)) is None
    # 35 years is not a badge; 40 is.
    assert milestones.badge_due_at(dt.date(1991, 3, 1), dt.date(2026, 5, 19)) is None
    assert milestones.badge_due_at(dt.date(1986, 3, 1), dt.date(2026, 5, 19)) == 40
    # The day itself counts.
    assert milestones.badge_due_at(dt.date(1976, 9, 2), dt.date(2026, 9, 2)) == 50
    assert milestones.party_age(dt.date(1976, 9, 2), dt.date(2026, 9, 1)) == 49


def test_badges_due_lists_members_longest_membership_first(book: Book) -> None:
    def add(name: str, admitted: dt.date, status: str = "chinh_thuc") -> None:
        members.create(
            book,
            data=MemberInput(
                full_name=name,
                birth_date=dt.date(admitted.year - 20, 1, 1),
                admission_date=admitted,
                official_date=admitted + dt.timedelta(days=365),
                status=status,
            ),
        )

    add("Lê Văn Ba", dt.date(1996, 1, 10))  # 30 years
    add("Trần Thị Bốn", dt.date(1966, 2, 1))  # 60 years
    add("Phạm Văn Năm", dt.date(1996, 2, 4))  # 30 years only after 3/2
    add("Hồ Văn Sáu", dt.date(1976, 1, 1), status="tu_tran")  # no longer listed
    due = milestones.badges_due(book, on=dt.date(2025, 12, 1))
    assert [(b.full_name, b.years, b.award_date) for b in due] == [
        ("Trần Thị Bốn", 60, dt.date(2026, 2, 3)),
        ("Lê Văn Ba", 30, dt.date(2026, 2, 3)),
    ]
    assert due[0].label == "Huy hiệu 60 năm tuổi Đảng"
    later = milestones.badges_due(book, award_date=dt.date(2026, 5, 19))
    assert [b.full_name for b in later] == ["Phạm Văn Năm"]
    assert members.list_members(book, search="ba")[0].party_years(dt.date(2026, 2, 3)) == 30

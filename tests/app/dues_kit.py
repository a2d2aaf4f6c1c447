"""A branch with members and dues settings for the dues tests (real SQLCipher book)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.book import Book
from app.services import dues, members
from app.services.members import MemberInput

TODAY = dt.date(2026, 12, 5)


@dataclass(frozen=True)
class DuesBranch:
    ids: dict[str, str]  # full name → member id


def make_dues_branch(book: Book) -> DuesBranch:
    people = [
        MemberInput("Nguyễn Văn An", admission_date=dt.date(1990, 3, 10),
                    card_number="79000101", personal_id="052090001234"),
        MemberInput("Trần Thị Bích", admission_date=dt.date(2005, 6, 2),
                    card_number="79000102", personal_id="052085004321"),
        MemberInput("Lê Văn Cường", admission_date=dt.date(1970, 1, 15),
                    card_number="79000103", personal_id="052050000111"),
        MemberInput("Phạm Thị Dung", admission_date=dt.date(2026, 5, 19),
                    card_number="79000104", personal_id="052000009999",
                    status="du_bi"),
        MemberInput("Hoàng Văn Em", admission_date=dt.date(2010, 9, 1),
                    card_number="79000105", personal_id="052070005555"),
    ]  # fmt: skip
    ids = {p.full_name: members.create(book, data=p).id for p in people}
    jan = "2026-01"
    dues.set_setting(book, member=ids["Nguyễn Văn An"], basis="salary", income=5_234_000,
                     effective_from=jan, today=TODAY)  # fmt: skip
    dues.set_setting(book, member=ids["Trần Thị Bích"], basis="pension", income=6_000_000,
                     effective_from=jan, today=TODAY)  # fmt: skip
    dues.set_setting(book, member=ids["Lê Văn Cường"], basis="pension", income=4_000_000,
                     effective_from=jan, today=TODAY)  # fmt: skip
    dues.set_setting(book, member=ids["Phạm Thị Dung"], basis="fixed", amount=10_000,
                     effective_from="2026-05", today=TODAY)  # fmt: skip
    dues.set_setting(book, member=ids["Hoàng Văn Em"], basis="fixed",
                     effective_from=jan, today=TODAY)  # fmt: skip
    return DuesBranch(ids)

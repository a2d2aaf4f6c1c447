"""Helpers for the feedback, support, upward-report and dashboard tests (no tests here).

A residential branch as a secretary has it: official members (some elderly, some without a
smartphone), a probationary member, an exempted one, one attached temporarily, one who moved
away and one who died.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader
from sqlalchemy import select

from app.book import Book
from app.models import OutboxEntry
from app.services import attendance, meetings, members
from app.services.members import MemberInput, MemberView

TODAY = dt.date.today()

# name, status, has_smartphone, needs_support, app_account, admission date
PEOPLE = [
    ("Trần Văn Bình", "chinh_thuc", True, False, "da_duyet", dt.date(1990, 3, 1)),
    ("Nguyễn Thị Hòa", "chinh_thuc", True, False, "da_dang_ky", dt.date(1980, 6, 2)),
    ("Lê Văn Tám", "chinh_thuc", False, True, "chua_dang_ky", dt.date(1965, 4, 4)),
    ("Phạm Thị Lan", "chinh_thuc", True, True, "chua_dang_ky", dt.date(1999, 1, 9)),
    ("Võ Thị Sáu", "chinh_thuc", True, False, "chua_dang_ky", dt.date(2001, 7, 7)),
    ("Đặng Văn Đức", "du_bi", True, False, "chua_dang_ky", TODAY - dt.timedelta(days=400)),
    ("Hồ Thị Kỷ", "mien_sinh_hoat", False, False, "chua_dang_ky", dt.date(1960, 2, 3)),
    ("Ngô Bảo Châu", "sinh_hoat_tam_thoi", True, False, "da_duyet", dt.date(2005, 5, 5)),
    ("Bùi Thị Xuân", "chuyen_di", True, False, "chua_dang_ky", dt.date(1995, 5, 5)),
    ("Mạc Thị Bưởi", "tu_tran", False, False, "chua_dang_ky", dt.date(1950, 5, 5)),
]


@dataclass(frozen=True)
class Branch:
    by_name: dict[str, MemberView]

    def id(self, name: str) -> str:
        return self.by_name[name].id


def make_branch(book: Book) -> Branch:
    out: dict[str, MemberView] = {}
    for name, status, phone, support, account, admitted in PEOPLE:
        out[name] = members.create(
            book,
            data=MemberInput(
                full_name=name,
                status=status,
                birth_date=admitted.replace(year=admitted.year - 22),
                admission_date=admitted,
                official_date=None if status == "du_bi" else admitted + dt.timedelta(days=366),
                has_smartphone=phone,
                needs_support=support,
                app_account=account,
            ),
        )
    return Branch(out)


def month_before(day: dt.date, months: int = 1) -> dt.date:
    """The first day of the month `months` before `day`'s month."""
    y, m = day.year, day.month - months
    while m <= 0:
        m += 12
        y -= 1
    return dt.date(y, m, 1)


def held_meeting(
    book: Book,
    branch: Branch,
    *,
    at: dt.datetime,
    absent: dict[str, str] | None = None,
    kind: str = "thuong_ky",
) -> meetings.MeetingView:
    """A meeting held at `at`: everyone present except `absent` (name → excused/unexcused)."""
    m = meetings.create(
        book,
        data=meetings.MeetingInput(
            kind=kind,
            starts_at=at,
            place="Nhà văn hóa khu phố 3",
            topic="Chuyển đổi số" if kind == "chuyen_de" else "",
            chair_name="Trần Văn Bình",
            secretary_name="Nguyễn Thị Hòa",
        ),
    )
    absent = absent or {}
    for name, view in branch.by_name.items():
        if view.status not in ("chinh_thuc", "du_bi", "sinh_hoat_tam_thoi"):
            continue
        status = absent.get(name, "present")
        attendance.mark(
            book,
            meeting_id=m.id,
            member_id=view.id,
            status=status,
            reason="ốm" if status == "excused" else "",
        )
    return meetings.get(book, meeting_id=m.id)


def outbox(book: Book, entity: str) -> list[OutboxEntry]:
    with book.read_session() as s:
        rows = list(
            s.scalars(
                select(OutboxEntry).where(OutboxEntry.entity == entity).order_by(OutboxEntry.seq)
            )
        )
        s.expunge_all()
        return rows


def fields_of(entry: OutboxEntry) -> dict[str, object]:
    data = json.loads(entry.fields_json)
    assert isinstance(data, dict)
    return data


def pdf_text(data: bytes) -> str:
    """The whole PDF as a reader sees it: NFC, white space collapsed."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(
        " ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
        for page in reader.pages
    )

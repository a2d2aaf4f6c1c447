"""Helpers shared by the meeting, attendance and roll-call tests (no tests here).

A small residential branch as the secretary has it: official members, a probationary one,
an exempted elderly member, one attached temporarily and one who moved away.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader

from app.book import Book
from app.models import Document
from app.services import meetings, members
from app.services.members import MemberInput, MemberView

BRANCH = [
    ("Trần Văn Bình", "chinh_thuc", "Bí thư chi bộ"),
    ("Nguyễn Thị Hòa", "chinh_thuc", "Phó bí thư"),
    ("Lê Văn Tám", "chinh_thuc", "Chi ủy viên"),
    ("Phạm Thị Lan", "chinh_thuc", ""),
    ("Võ Thị Sáu", "chinh_thuc", ""),
    ("Đặng Văn Đức", "du_bi", ""),
    ("Hồ Thị Kỷ", "mien_sinh_hoat", ""),
    ("Ngô Bảo Châu", "sinh_hoat_tam_thoi", ""),
    ("Bùi Thị Xuân", "chuyen_di", ""),
]


@dataclass(frozen=True)
class Branch:
    by_name: dict[str, MemberView]

    def id(self, name: str) -> str:
        return self.by_name[name].id


def make_branch(book: Book) -> Branch:
    out: dict[str, MemberView] = {}
    for name, status, position in BRANCH:
        out[name] = members.create(
            book,
            data=MemberInput(
                full_name=name,
                status=status,
                position=position,
                birth_date=dt.date(1950, 5, 19),
                phone="0905123456" if name == "Trần Văn Bình" else None,
            ),
        )
    return Branch(out)


def days_ago(days: int, hour: int = 19, minute: int = 30) -> dt.datetime:
    day = dt.date.today() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute))


def new_meeting(
    book: Book,
    *,
    at: dt.datetime | None = None,
    kind: str = "thuong_ky",
    topic: str = "",
    chair: str = "Trần Văn Bình",
    secretary: str = "Nguyễn Thị Hòa",
) -> meetings.MeetingView:
    return meetings.create(
        book,
        data=meetings.MeetingInput(
            kind=kind,
            starts_at=at or days_ago(3),
            place="Nhà văn hóa khu phố 3",
            topic=topic,
            chair_name=chair,
            secretary_name=secretary,
            guests="Đồng chí Mai Văn Sơn, Đảng ủy viên phường",
        ),
    )


def add_document(book: Book, *, number: str, title: str, doc_type: str = "NQ") -> str:
    with book.session() as s:
        doc = Document(
            number=number, doc_type=doc_type, title=title, issuer="Ban Chấp hành Trung ương"
        )
        s.add(doc)
        s.flush()
        return doc.id


def pdf_text(data: bytes) -> list[str]:
    """Each page's text as a reader sees it: NFC, white space collapsed."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
        for page in reader.pages
    ]

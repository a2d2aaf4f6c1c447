"""Helpers for the sync tests: books, members made through the services, enrolment."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "server"))

from srvkit import Srv

from app.book import Book, open_book
from app.services import members
from sync.client import enrol
from sync.transport import RetryPolicy

PASSWORD = "mat-khau-thu-nghiem"
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hoa",
    "Hùng",
    "Lan",
    "Minh",
    "Nam",
    "Phúc",
    "Thảo",
)
FAST = RetryPolicy(attempts=2, backoff=0.05, connect_timeout=2.0, read_timeout=20.0)


def reopen(data_dir: Path) -> Book:
    return open_book(data_dir, password=PASSWORD)


def add_members(book: Book, count: int, prefix: str = "Nguyễn Văn") -> list[str]:
    """Members created through the members service, in one transaction (like an import)."""
    ids: list[str] = []
    with book.session() as s:
        for i in range(count):
            row = members.create_in_session(
                s,
                data=members.MemberInput(
                    full_name=f"{prefix} {GIVEN[i % len(GIVEN)]}",
                    birth_date=dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28),
                    gender="nam",
                    admission_date=dt.date(1990, 5, 19),
                    official_date=dt.date(1991, 5, 19),
                ),
                actor="Kiểm thử",
            )
            ids.append(row.id)
    return ids


def enrolled(book: Book, srv: Srv) -> str:
    code, enrolment = srv.new_branch("Chi bộ Khu phố 3")
    enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    return code

"""Report numbers: "05-BC/CB" (BC báo cáo, CB chi bộ), the next free number in the year of
issue, unique within a year. A submitted report keeps its number."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ConflictError, ValidationError
from app.models import Report, utcnow
from app.services import changes
from app.services.upward_reports.views import (
    ENTITY,
    ReportView,
    get_row,
    report_name_lower,
    row_fields,
    view,
)
from app.text import clean

if TYPE_CHECKING:
    from app.book import Book

NUMBER_SUFFIX = "BC/CB"  # "05-BC/CB": BC báo cáo, CB chi bộ
_NUMBER = re.compile(r"^(?:số\s*)?(\d{1,4})\s*-\s*(BC/[^\s]+)$", re.IGNORECASE)


def next_number(book: Book, *, year: int) -> str:
    with book.read_session() as s:
        return _format_number(_next_seq(s, year))


def _next_seq(s: Session, year: int) -> int:
    top = s.scalar(
        select(func.max(Report.number_seq)).where(
            Report.deleted_at.is_(None), Report.number_year == year
        )
    )
    return int(top or 0) + 1


def _format_number(seq: int) -> str:
    return f"{seq:02d}-{NUMBER_SUFFIX}"


def _parse_number(text: str) -> tuple[int, str]:
    m = _NUMBER.match(clean(text))
    if not m or int(m.group(1)) == 0:
        raise ValidationError(
            f"Số báo cáo “{text}” không đúng dạng; ví dụ “05-BC/CB”.", field="number"
        )
    seq = int(m.group(1))
    return seq, f"{seq:02d}-{m.group(2).upper()}"


def assign(s: Session, row: Report, number: str | None, actor: str) -> None:
    """Number `row` inside the caller's session: `number` as typed, or the next free one (a
    report already numbered in its year of issue keeps its number). Audited; not sent."""
    if row.state == "submitted":
        raise ConflictError("Báo cáo đã gửi cấp trên; không đổi số được.")
    year = row.issued_on.year
    if number:
        seq, text = _parse_number(number)
    else:
        if row.number and row.number_year == year:
            return
        seq = _next_seq(s, year)
        text = _format_number(seq)
    clash = s.scalars(
        select(Report).where(
            Report.deleted_at.is_(None),
            Report.number_year == year,
            Report.number_seq == seq,
            Report.id != row.id,
        )
    ).first()
    if clash is not None:
        raise ValidationError(
            f"Số {text} năm {year} đã dùng cho {report_name_lower(clash)}.",
            field="number",
        )
    before = row_fields(row)
    row.number, row.number_year, row.number_seq = text, year, seq
    row.updated_at = utcnow()
    changes.audit_only(
        s,
        actor=actor,
        entity=ENTITY,
        entity_id=row.id,
        action="update",
        summary=f"Cấp số {text} cho {report_name_lower(row)}",
        changes=changes.diff(before, row_fields(row)),
    )


def assign_number(book: Book, *, report_id: str, number: str | None = None) -> ReportView:
    """Give the report its number: `number` as typed ("07-BC/CB"), or the next free number
    in the year of issue. Numbers are unique within a year."""
    with book.session() as s:
        row = get_row(s, report_id)
        assign(s, row, clean(number) or None, book.actor)
        return view(row)

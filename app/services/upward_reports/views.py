"""Reports as plain data: the report's view, its sections and tables, the printed paper,
and the reads (one report, the list, its history).

The stored row keeps sections, figures and past revisions as JSON text; this module is the
one place that reads them back, tolerating damaged or older JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Report
from app.models.report import REPORT_KINDS, REPORT_STATES
from app.services import audit
from app.services.changes import OpChanges
from app.services.upward_reports.periods import check_kind, period_label, report_title
from app.text import clean
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book

ENTITY = Entity.REPORT


@dataclass(frozen=True)
class ReportTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[str | int | float, ...], ...]

    def to_json(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows]}


@dataclass(frozen=True)
class ReportSection:
    """A numbered section ("I. Tình hình sinh hoạt chi bộ"); an untitled section is the
    opening paragraph. `body` is free text (blank lines part paragraphs)."""

    title: str
    body: str = ""
    table: ReportTable | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body": self.body,
            "table": self.table.to_json() if self.table else None,
        }


@dataclass(frozen=True)
class RevisionView:
    """A submitted revision kept after the report was changed."""

    revision: int
    number: str
    issued_on: dt.date | None
    subtitle: str
    sections: tuple[ReportSection, ...]
    submitted_at: dt.datetime | None
    replaced_at: dt.datetime | None
    replaced_reason: str  # why it was changed afterwards


@dataclass(frozen=True)
class ReportView:
    id: str
    kind: str
    period: str
    period_start: dt.date
    period_end: dt.date
    subtitle: str
    number: str
    issued_on: dt.date
    sections: tuple[ReportSection, ...]
    recipients: tuple[str, ...]
    signer_name: str
    figures: dict[str, Any]
    state: str
    revision: int
    amend_reason: str
    submitted_at: dt.datetime | None
    history: tuple[RevisionView, ...]
    version: int

    @property
    def kind_label(self) -> str:
        return REPORT_KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        label = REPORT_STATES.get(self.state, self.state)
        if self.revision > 1 and self.state == "submitted":
            label += f" (bản sửa lần {self.revision - 1})"
        return label

    @property
    def period_label(self) -> str:
        return period_label(self.kind, self.period_start, self.period_end)

    @property
    def title(self) -> str:
        return report_title(self.kind, self.period_start, self.period_end)

    @property
    def is_submitted(self) -> bool:
        return self.state == "submitted"

    @property
    def notices(self) -> tuple[str, ...]:
        return tuple(str(n) for n in self.figures.get("notices") or ())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "period": self.period,
            "period_label": self.period_label,
            "title": self.title,
            "subtitle": self.subtitle,
            "number": self.number,
            "issued_on": self.issued_on.isoformat(),
            "sections": [s.to_json() for s in self.sections],
            "recipients": list(self.recipients),
            "signer_name": self.signer_name,
            "state": self.state,
            "state_label": self.state_label,
            "revision": self.revision,
            "amend_reason": self.amend_reason,
            "submitted_at": self.submitted_at.isoformat(timespec="seconds")
            if self.submitted_at
            else None,
            "notices": list(self.notices),
            "figures": self.figures,
        }


@dataclass(frozen=True)
class ReportPaper:
    """Plain data for the printed report (reports/upward_report.py)."""

    committee: str
    branch: str
    place: str
    issued_on: dt.date
    number: str
    title: str
    subtitle: str
    sections: tuple[ReportSection, ...]
    signer_name: str
    recipients: tuple[str, ...]
    draft: bool
    revision_note: str


def op_changes(*ids: str) -> OpChanges:
    return OpChanges.of(ENTITY, ids=tuple(ids))


# --- the row's JSON and text fields ---------------------------------------------------------


def load_json(raw: str, default: Any) -> Any:
    try:
        return json.loads(raw or "")
    except ValueError:
        return default


def parse_datetime(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def parse_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _table_from(data: Any) -> ReportTable | None:
    if not isinstance(data, dict):
        return None
    columns = tuple(str(c) for c in data.get("columns") or ())
    rows = tuple(
        tuple(v if isinstance(v, int | float) and not isinstance(v, bool) else str(v) for v in r)
        for r in data.get("rows") or ()
        if isinstance(r, list | tuple)
    )
    return ReportTable(columns, rows) if columns else None


def sections_from(raw: Any) -> tuple[ReportSection, ...]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "[]")
        except ValueError:
            raw = []
    out: list[ReportSection] = []
    for sec in raw if isinstance(raw, list) else []:
        if isinstance(sec, dict):
            out.append(
                ReportSection(
                    title=str(sec.get("title") or ""),
                    body=str(sec.get("body") or ""),
                    table=_table_from(sec.get("table")),
                )
            )
    return tuple(out)


def sections_json(sections: Sequence[ReportSection]) -> str:
    return json.dumps([s.to_json() for s in sections], ensure_ascii=False)


def row_fields(row: Report) -> dict[str, Any]:
    """The fields whose changes the audit trail records."""
    return {
        "subtitle": row.subtitle,
        "number": row.number,
        "issued_on": row.issued_on,
        "sections_json": row.sections_json,
        "recipients": row.recipients,
        "signer_name": row.signer_name,
        "state": row.state,
        "revision": row.revision,
    }


def report_name(row: Report) -> str:
    text = report_title(row.kind, row.period_start, row.period_end)
    return text + (f" (số {row.number})" if row.number else "")


def report_name_lower(row: Report) -> str:
    text = report_name(row)
    return text[0].lower() + text[1:]


def view(row: Report) -> ReportView:
    history = []
    for h in load_json(row.history_json, []):
        if not isinstance(h, dict):
            continue
        history.append(
            RevisionView(
                revision=int(h.get("revision") or 0),
                number=str(h.get("number") or ""),
                issued_on=parse_date(h.get("issued_on")),
                subtitle=str(h.get("subtitle") or ""),
                sections=sections_from(h.get("sections")),
                submitted_at=parse_datetime(h.get("submitted_at")),
                replaced_at=parse_datetime(h.get("replaced_at")),
                replaced_reason=str(h.get("replaced_reason") or ""),
            )
        )
    figures = load_json(row.figures_json, {})
    return ReportView(
        id=row.id,
        kind=row.kind,
        period=row.period,
        period_start=row.period_start,
        period_end=row.period_end,
        subtitle=row.subtitle,
        number=row.number,
        issued_on=row.issued_on,
        sections=sections_from(row.sections_json),
        recipients=tuple(r for r in (clean(x) for x in row.recipients.splitlines()) if r),
        signer_name=row.signer_name,
        figures=figures if isinstance(figures, dict) else {},
        state=row.state,
        revision=row.revision,
        amend_reason=row.amend_reason,
        submitted_at=row.submitted_at,
        history=tuple(history),
        version=row.version,
    )


# --- reads ----------------------------------------------------------------------------------


def get_row(s: Session, report_id: str) -> Report:
    row = s.get(Report, clean(report_id))
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy báo cáo có mã {report_id}.")
    return row


def find_row(s: Session, kind: str, period: str) -> Report | None:
    """The live report for a kind and period (the newest, should there be two)."""
    return s.scalars(
        select(Report)
        .where(Report.deleted_at.is_(None), Report.kind == kind, Report.period == period)
        .order_by(Report.created_at.desc())
    ).first()


def get(book: Book, *, report_id: str) -> ReportView:
    with book.read_session() as s:
        return view(get_row(s, report_id))


def list_reports(
    book: Book, *, kind: str | None = None, year: int | None = None, state: str | None = None
) -> list[ReportView]:
    """Reports, newest period first."""
    q = select(Report).where(Report.deleted_at.is_(None))
    if kind:
        q = q.where(Report.kind == check_kind(kind))
    if year is not None:
        q = q.where(
            Report.period_start >= dt.date(year, 1, 1), Report.period_start <= dt.date(year, 12, 31)
        )
    if state:
        q = q.where(Report.state == state)
    q = q.order_by(Report.period_start.desc(), Report.kind, Report.created_at.desc())
    with book.read_session() as s:
        return [view(r) for r in s.scalars(q)]


def paper(book: Book, *, report_id: str) -> ReportPaper:
    r = get(book, report_id=report_id)
    info = book.branch()
    note = ""
    if r.revision > 1:
        note = f"(Bản sửa đổi lần {r.revision - 1}"
        note += f": {r.amend_reason})" if r.amend_reason else ")"
    return ReportPaper(
        committee=info.committee,
        branch=info.name,
        place=info.place_name,
        issued_on=r.issued_on,
        number=r.number,
        title="Báo cáo",
        subtitle=r.subtitle,
        sections=r.sections,
        signer_name=r.signer_name,
        recipients=r.recipients,
        # Numbered means issued: the copy printed to sign and stamp before it is sent
        # must not say "(Dự thảo)". Only a report without a number is a draft.
        draft=not r.number,
        revision_note=note,
    )


def history(book: Book, *, report_id: str) -> list[audit.AuditView]:
    return list(audit.history(book, entity=ENTITY, entity_id=report_id))

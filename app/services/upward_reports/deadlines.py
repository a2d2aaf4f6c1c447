"""What the committee expects and by when: last month's report, and the deployment report of
the central app "Sổ tay đảng viên điện tử" around its due date (seed 004, Kế hoạch 18-KH/ĐU).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.models import Branch, KeyValue, Report
from app.models.report import REPORT_STATES
from app.services import changes
from app.services.upward_reports.views import find_row, parse_date
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book

# Seed 004 (Kế hoạch 18-KH/ĐU of Đảng ủy phường Quy Nhơn): branches report the deployment
# results to the Ban Xây dựng đảng before 15/11/2025. Other committees set their own date
# (kept in the book: `set_deployment_due`).
DEPLOYMENT_DUE_KEY = "reports.deployment_due"
DEFAULT_DEPLOYMENT_DUE = dt.date(2025, 11, 15)
DEPLOYMENT_DUE_SOURCE = "Kế hoạch số 18-KH/ĐU: báo cáo kết quả triển khai trước ngày 15/11/2025"


@dataclass(frozen=True)
class DueReport:
    kind: str
    period: str
    label: str
    due_on: dt.date | None
    source: str
    report_id: str | None
    state: str | None  # None: not drafted yet

    def message(self) -> str:
        when = f" (hạn {self.due_on:%d/%m/%Y})" if self.due_on else ""
        status = "chưa soạn" if self.state is None else REPORT_STATES.get(self.state, self.state)
        return f"{self.label}{when}: {status.lower()}"


def _stored_due(book: Book) -> dt.date | None:
    with book.read_session() as s:
        row = s.get(KeyValue, DEPLOYMENT_DUE_KEY)
    return parse_date(row.value) if row is not None else None


def deployment_due_for(period_start: dt.date) -> dt.date:
    """The plan's rule applied to a reporting month: the report on month M is due on the
    plan's day (the 15th) of M — Kế hoạch 18-KH/ĐU: the 11/2025 report before 15/11/2025;
    later reports follow the same day ("định kỳ báo cáo")."""
    return dt.date(period_start.year, period_start.month, DEFAULT_DEPLOYMENT_DUE.day)


def deployment_due(
    book: Book, *, period: str | None = None, today: dt.date | None = None
) -> dt.date:
    """The deadline of the deployment report: the committee's own date when one was set,
    else from the period (by default the current month) — never a date long past."""
    stored = _stored_due(book)
    if stored is not None:
        return stored
    if period:
        from app.services.upward_reports.periods import parse_period

        _canonical, start, _end = parse_period("deployment", period)
    else:
        start = (today or dt.date.today()).replace(day=1)
    return deployment_due_for(start)


def set_deployment_due(book: Book, *, due: dt.date) -> None:
    """The date the committee wants the deployment report by (default from seed 004)."""
    with book.session() as s:
        row = s.get(KeyValue, DEPLOYMENT_DUE_KEY)
        old = row.value if row is not None else ""
        if row is None:
            row = KeyValue(key=DEPLOYMENT_DUE_KEY, value="")
            s.add(row)
        row.value = due.isoformat()
        changes.audit_only(
            s,
            actor=book.actor,
            entity=Entity.SETTING,
            entity_id=DEPLOYMENT_DUE_KEY,
            action="update",
            summary=f"Đặt hạn gửi báo cáo triển khai Sổ tay đảng viên điện tử: {due:%d/%m/%Y}",
            changes={"value": [old, row.value]},
        )


def due_reports(book: Book, *, today: dt.date | None = None) -> list[DueReport]:
    """Reports the committee expects that are not submitted yet: last month's report (once
    the book existed for that month) and the deployment report around its due date."""
    today = today or dt.date.today()
    out: list[DueReport] = []
    last_end = today.replace(day=1) - dt.timedelta(days=1)
    period = f"{last_end.year:04d}-{last_end.month:02d}"
    with book.read_session() as s:
        created = s.scalar(select(func.min(Branch.created_at)).where(Branch.deleted_at.is_(None)))
        monthly = find_row(s, "monthly", period)
        if (
            created is not None
            and created.date() <= last_end
            and (monthly is None or monthly.state != "submitted")
        ):
            out.append(
                DueReport(
                    "monthly",
                    period,
                    f"Báo cáo tháng {last_end.month}/{last_end.year}",
                    None,
                    "",
                    monthly.id if monthly else None,
                    monthly.state if monthly else None,
                )
            )
        due = _stored_due(book) or DEFAULT_DEPLOYMENT_DUE
        window = due - dt.timedelta(days=45) <= today <= due + dt.timedelta(days=60)
        if window:
            sent = s.scalars(
                select(Report).where(
                    Report.deleted_at.is_(None),
                    Report.kind == "deployment",
                    Report.period_end >= due - dt.timedelta(days=45),
                )
            ).all()
            if not any(r.state == "submitted" for r in sent):
                current = sent[0] if sent else None
                source = DEPLOYMENT_DUE_SOURCE if due == DEFAULT_DEPLOYMENT_DUE else ""
                out.append(
                    DueReport(
                        "deployment",
                        f"{due.year:04d}-{due.month:02d}",
                        "Báo cáo kết quả triển khai Sổ tay đảng viên điện tử",
                        due,
                        source,
                        current.id if current else None,
                        current.state if current else None,
                    )
                )
    return out

"""Reports to the upper committee: the monthly branch report, the deployment report of the
central app "Sổ tay đảng viên điện tử" (seed 004, Kế hoạch 18-KH/ĐU), quarterly and yearly
summaries.

Each report is drafted from the book's data (meetings and attendance, study, feedback,
membership changes, support sessions), then edited by the secretary, numbered
("05-BC/CB": the next number in the year of issue), printed in the HD 36 layout and
submitted by sync. Drafts stay on this computer (audited, not synced); submitting writes the
whole report to the outbox (entity "report"). A submitted report is never edited silently:
a change after submission needs a reason, becomes a new revision (the submitted text is kept
in the report's history) and must be submitted again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, ValidationError
from app.models import AuditEntry, Branch, KeyValue, Member, Report, new_id, utcnow
from app.models.member import MEMBER_STATUSES
from app.models.report import REPORT_KINDS, REPORT_STATES
from app.services import changes, meeting_stats, meetings, milestones, study, support
from app.services import feedback as feedback_service
from app.services.changes import OpChanges
from app.text import clean, name_sort_key

if TYPE_CHECKING:
    from app.book import Book

ENTITY = "report"
NUMBER_SUFFIX = "BC/CB"  # "05-BC/CB": BC báo cáo, CB chi bộ
_NUMBER = re.compile(r"^(?:số\s*)?(\d{1,4})\s*-\s*(BC/[^\s]+)$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
QUARTER_NAMES = ("I", "II", "III", "IV")
MAX_BODY = 50_000

# Seed 004 (Kế hoạch 18-KH/ĐU of Đảng ủy phường Quy Nhơn): branches report the deployment
# results to the Ban Xây dựng đảng before 15/11/2025. Other committees set their own date
# (kept in the book: `set_deployment_due`).
DEPLOYMENT_DUE_KEY = "reports.deployment_due"
DEFAULT_DEPLOYMENT_DUE = dt.date(2025, 11, 15)
DEPLOYMENT_DUE_SOURCE = "Kế hoạch số 18-KH/ĐU: báo cáo kết quả triển khai trước ngày 15/11/2025"


# --- plain data -----------------------------------------------------------------------------


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
class ReportEdit:
    """What the secretary may change in a report."""

    subtitle: str
    issued_on: dt.date
    sections: Sequence[ReportSection]
    recipients: Sequence[str]
    signer_name: str


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
class DraftResult:
    report: ReportView
    created: bool  # False: a report for this kind and period existed and is returned as is
    notices: tuple[str, ...]


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


def op_changes(*ids: str) -> OpChanges:
    return OpChanges(entities=frozenset({ENTITY}), ids=tuple(ids))


# --- periods --------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_period(kind: str, period: str) -> tuple[str, dt.date, dt.date]:
    """(canonical period, first day, last day) for a report kind, or a ValidationError."""
    kind = check_kind(kind)
    text = clean(period)
    if kind in ("monthly", "deployment"):
        m = _MONTH.match(text)
        if m and 1 <= int(m.group(2)) <= 12 and 2000 <= int(m.group(1)) <= 2100:
            y, mo = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-{mo:02d}", dt.date(y, mo, 1), _month_end(y, mo)
        raise ValidationError(
            f"Kỳ báo cáo “{period}” không hợp lệ; báo cáo tháng ghi dạng YYYY-MM, ví dụ 2025-11.",
            field="period",
        )
    if kind == "quarterly":
        m = _QUARTER.match(text)
        if m and 2000 <= int(m.group(1)) <= 2100:
            y, q = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-Q{q}", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        raise ValidationError(
            f"Kỳ báo cáo “{period}” không hợp lệ; báo cáo quý ghi dạng YYYY-Qn, ví dụ 2025-Q4.",
            field="period",
        )
    m = _YEAR.match(text)
    if m and 2000 <= int(m.group(1)) <= 2100:
        y = int(m.group(1))
        return f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31)
    raise ValidationError(
        f"Kỳ báo cáo “{period}” không hợp lệ; báo cáo năm ghi dạng YYYY, ví dụ 2025.",
        field="period",
    )


def period_label(kind: str, start: dt.date, end: dt.date) -> str:
    if kind == "quarterly":
        return f"quý {QUARTER_NAMES[(start.month - 1) // 3]} năm {start.year}"
    if kind == "yearly":
        return f"năm {start.year}"
    return f"tháng {start.month} năm {start.year}"


def report_title(kind: str, start: dt.date, end: dt.date) -> str:
    """“Báo cáo tháng 11 năm 2025”, “Báo cáo quý IV năm 2025”, “Báo cáo năm 2025”,
    “Báo cáo triển khai Sổ tay đảng viên điện tử tháng 11 năm 2025”."""
    if kind == "deployment":
        return f"Báo cáo triển khai Sổ tay đảng viên điện tử {period_label(kind, start, end)}"
    return f"Báo cáo {period_label(kind, start, end)}"


def _next_period(kind: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    first = end + dt.timedelta(days=1)
    if kind == "quarterly":
        return first, _month_end(first.year, first.month + 2)
    if kind == "yearly":
        return first, dt.date(first.year, 12, 31)
    return first, _month_end(first.year, first.month)


def check_kind(kind: str) -> str:
    value = clean(kind)
    if value not in REPORT_KINDS:
        labels = ", ".join(f"{k} ({v.lower()})" for k, v in REPORT_KINDS.items())
        raise ValidationError(f"Loại báo cáo không hợp lệ: “{kind}”. Chọn: {labels}.", field="kind")
    return value


# --- rows and views -------------------------------------------------------------------------


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


def _sections_from(raw: Any) -> tuple[ReportSection, ...]:
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


def _sections_json(sections: Sequence[ReportSection]) -> str:
    return json.dumps([s.to_json() for s in sections], ensure_ascii=False)


def _load(raw: str, default: Any) -> Any:
    try:
        return json.loads(raw or "")
    except ValueError:
        return default


def _parse_dt(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _parse_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def view(row: Report) -> ReportView:
    history = []
    for h in _load(row.history_json, []):
        if not isinstance(h, dict):
            continue
        history.append(
            RevisionView(
                revision=int(h.get("revision") or 0),
                number=str(h.get("number") or ""),
                issued_on=_parse_date(h.get("issued_on")),
                subtitle=str(h.get("subtitle") or ""),
                sections=_sections_from(h.get("sections")),
                submitted_at=_parse_dt(h.get("submitted_at")),
                replaced_at=_parse_dt(h.get("replaced_at")),
                replaced_reason=str(h.get("replaced_reason") or ""),
            )
        )
    figures = _load(row.figures_json, {})
    return ReportView(
        id=row.id,
        kind=row.kind,
        period=row.period,
        period_start=row.period_start,
        period_end=row.period_end,
        subtitle=row.subtitle,
        number=row.number,
        issued_on=row.issued_on,
        sections=_sections_from(row.sections_json),
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


def _get_row(s: Session, report_id: str) -> Report:
    row = s.get(Report, clean(report_id))
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy báo cáo có mã {report_id}.")
    return row


def _fields(row: Report) -> dict[str, Any]:
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


def _name_lower(row: Report) -> str:
    text = _name(row)
    return text[0].lower() + text[1:]


def _name(row: Report) -> str:
    text = report_title(row.kind, row.period_start, row.period_end)
    return text + (f" (số {row.number})" if row.number else "")


# --- gathering the data ---------------------------------------------------------------------


def _dang_uy(committee: str) -> str:
    return feedback_service.committee_body(committee)


def _local_offset() -> dt.timedelta:
    return dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)


def _names(items: Sequence[str]) -> str:
    return ", ".join(sorted(items, key=name_sort_key))


def _pct(part: int, whole: int) -> str:
    if whole <= 0:
        return "0%"
    value = round(100.0 * part / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%"


@dataclass
class _MemberChanges:
    admitted: list[str] = field(default_factory=list)
    made_official: list[str] = field(default_factory=list)
    left: dict[str, list[str]] = field(default_factory=dict)  # status → names
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.admitted or self.made_official or self.left)


def _member_changes(s: Session, start: dt.date, end: dt.date) -> _MemberChanges:
    """Admissions and official recognitions by their dates; departures (chuyển đi, từ trần,
    xóa tên) from the status changes in the audit trail (including those sent down by the
    committee). Totals are the register as it stands now."""
    out = _MemberChanges()
    live = Member.deleted_at.is_(None)
    for (name,) in s.execute(
        select(Member.full_name).where(live, Member.admission_date.between(start, end))
    ):
        out.admitted.append(name)
    for (name,) in s.execute(
        select(Member.full_name).where(live, Member.official_date.between(start, end))
    ):
        out.made_official.append(name)
    offset = _local_offset()
    lo = dt.datetime.combine(start, dt.time.min) - offset
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min) - offset
    seen: dict[str, str] = {}
    q = (
        select(AuditEntry.entity_id, AuditEntry.changes_json)
        .where(
            AuditEntry.entity == "member",
            AuditEntry.action != "create",
            AuditEntry.at >= lo,
            AuditEntry.at < hi,
        )
        .order_by(AuditEntry.id)
    )
    for member_id, raw in s.execute(q).all():
        delta = _load(raw, {})
        status = delta.get("status") if isinstance(delta, dict) else None
        if isinstance(status, list) and len(status) == 2:
            seen[member_id] = str(status[1])
    if seen:
        names = dict(
            s.execute(select(Member.id, Member.full_name).where(Member.id.in_(seen))).all()
        )
        for member_id, status in seen.items():
            if status in feedback_service.LEFT_STATUSES and member_id in names:
                out.left.setdefault(status, []).append(names[member_id])
    for status, n in s.execute(
        select(Member.status, func.count()).where(live).group_by(Member.status)
    ).all():
        out.totals[status] = int(n)
    return out


@dataclass
class _Data:
    kind: str
    start: dt.date
    end: dt.date
    branch: str
    committee: str
    stats: meeting_stats.AttendanceStats
    chi_uy: list[meetings.MeetingView]
    campaigns: list[study.CampaignView]
    feedback: feedback_service.FeedbackCounts
    feedback_items: list[feedback_service.FeedbackView]
    members: _MemberChanges
    board: support.OnboardingBoard
    support_period: support.SupportFigures
    support_total: support.SupportFigures
    next_start: dt.date
    next_end: dt.date
    next_meetings: list[meetings.MeetingView]
    badges: list[milestones.BadgeDue]
    probation_due: list[str]
    today: dt.date

    @property
    def has_activity(self) -> bool:
        return bool(
            self.stats.meetings
            or self.chi_uy
            or self.campaigns
            or self.feedback.total
            or self.members.any
            or self.support_period.sessions
        )


def _overlaps(c: study.CampaignView, start: dt.date, end: dt.date) -> bool:
    first = c.starts_on or (c.session_at.date() if c.session_at else None)
    last = c.ends_on or c.submission_due or first
    if first is None:
        return False
    return first <= end and (last or first) >= start


def _gather(book: Book, kind: str, start: dt.date, end: dt.date, today: dt.date) -> _Data:
    info = book.branch()
    upto = min(end, today)
    stats = meeting_stats.compute(book, start=start, end=upto)
    chi_uy = [
        m
        for m in meetings.list_meetings(
            book, start=start, end=upto, kinds=["chi_uy"], newest_first=False
        )
        if m.state != "draft"
    ]
    campaigns = [c for c in study.list_campaigns(book) if _overlaps(c, start, end)]
    next_start, next_end = _next_period(kind, start, end)
    next_meetings = meetings.list_meetings(book, start=next_start, end=next_end, newest_first=False)
    badges = [
        b
        for b in milestones.badges_due(book, on=next_start)
        if next_start <= b.award_date <= next_end
    ]
    with book.read_session() as s:
        member_changes = _member_changes(s, start, end)
        probation_due = [
            name
            for name, admitted in s.execute(
                select(Member.full_name, Member.admission_date).where(
                    Member.deleted_at.is_(None),
                    Member.status == "du_bi",
                    Member.admission_date.is_not(None),
                )
            ).all()
            if admitted is not None and milestones.add_years(admitted, 1) <= next_end
        ]
    return _Data(
        kind=kind,
        start=start,
        end=end,
        branch=info.name,
        committee=info.committee,
        stats=stats,
        chi_uy=chi_uy,
        campaigns=campaigns,
        feedback=feedback_service.counts(book, start=start, end=end),
        feedback_items=feedback_service.list_feedback(book, start=start, end=end, descending=False),
        members=member_changes,
        board=support.onboarding_board(book, today=today),
        support_period=support.figures(book, start=start, end=upto),
        support_total=support.figures(book, start=None, end=upto),
        next_start=next_start,
        next_end=next_end,
        next_meetings=next_meetings,
        badges=badges,
        probation_due=probation_due,
        today=today,
    )


# --- drafting the sections ------------------------------------------------------------------


def _meetings_section(d: _Data, label: str) -> ReportSection:
    held = d.stats.meetings
    total = d.stats.total
    lines: list[str] = []
    if held:
        listed = "; ".join(
            f"{hm.meeting.kind_label.lower()} ngày {hm.meeting.starts_at:%d/%m/%Y}" for hm in held
        )
        lines.append(f"1. Trong {label}, chi bộ tổ chức {len(held)} cuộc họp: {listed}.")
    else:
        lines.append(f"1. Trong {label}, sổ chưa ghi cuộc họp chi bộ nào đã tổ chức.")
    if d.chi_uy:
        lines.append(f"Chi ủy họp {len(d.chi_uy)} lần.")
    if total.expected:
        target = d.stats.hd12
        verdict = (
            f"đạt yêu cầu trên {target.target_percent:g}% (HD 12-HD/BTCTW)"
            if target.meets_target
            else f"chưa đạt yêu cầu trên {target.target_percent:g}% (HD 12-HD/BTCTW)"
        )
        lines.append(
            f"2. Tổng số lượt đảng viên phải dự: {total.expected}; có mặt: {total.present} "
            f"({_pct(total.present, total.expected)}), {verdict}; vắng có lý do: {total.excused}; "
            f"vắng không lý do: {total.unexcused}."
        )
        serious = [w.message for w in d.stats.warnings if w.serious]
        if serious:
            lines.append("3. Đảng viên cần lưu ý: " + " ".join(serious))
    table = None
    if held:
        rows = tuple(
            (
                i + 1,
                f"{hm.meeting.kind_label} ({hm.meeting.starts_at:%d/%m/%Y})",
                hm.figures.expected - hm.figures.unmarked,
                hm.figures.present,
                hm.figures.absent_excused,
                hm.figures.absent_unexcused,
                _pct(hm.figures.present, hm.figures.expected - hm.figures.unmarked),
            )
            for i, hm in enumerate(held)
        )
        table = ReportTable(
            ("STT", "Cuộc họp", "Phải dự", "Có mặt", "Vắng có lý do", "Vắng không lý do", "Tỷ lệ"),
            rows,
        )
    return ReportSection("Tình hình sinh hoạt chi bộ", "\n\n".join(lines), table)


def _months_section(d: _Data, label: str) -> ReportSection:
    """Quarterly / yearly: meetings and attendance month by month."""
    section = _meetings_section(d, label)
    rows = []
    for p in d.stats.months:
        rows.append(
            (
                p.label,
                p.meetings,
                p.expected,
                p.present,
                p.excused,
                p.unexcused,
                _pct(p.present, p.expected),
            )
        )
    extra = []
    hd12 = d.stats.hd12
    if hd12.months_without_regular:
        months = ", ".join(str(m) for m in hd12.months_without_regular)
        extra.append(f"Tháng chưa sinh hoạt chi bộ thường kỳ: {months}.")
    if hd12.quarters_without_thematic:
        quarters = ", ".join(QUARTER_NAMES[q - 1] for q in hd12.quarters_without_thematic)
        extra.append(f"Quý chưa sinh hoạt chuyên đề: {quarters}.")
    body = section.body + ("\n\n" + " ".join(extra) if extra else "")
    table = ReportTable(
        ("Tháng", "Số cuộc họp", "Phải dự", "Có mặt", "Vắng có lý do", "Vắng không lý do", "Tỷ lệ"),
        tuple(rows),
    )
    return ReportSection(section.title, body, table)


def _study_section(d: _Data, label: str) -> ReportSection:
    if not d.campaigns:
        return ReportSection(
            "Công tác học tập, quán triệt nghị quyết",
            f"Trong {label}, sổ chưa ghi đợt học tập, quán triệt nghị quyết nào.",
        )
    lines = []
    for c in d.campaigns:
        p = c.progress
        line = (
            f"- {c.title}: {p.attended}/{p.participants} đảng viên dự học tập "
            f"({_pct(p.attended, p.participants)}); {p.submitted} đồng chí đã nộp bài thu hoạch"
        )
        if p.graded:
            line += f", {p.graded} bài đã chấm"
        line += "."
        lines.append(line)
    return ReportSection(
        "Công tác học tập, quán triệt nghị quyết",
        f"Trong {label}, chi bộ thực hiện {len(d.campaigns)} đợt học tập, quán triệt:\n"
        + "\n".join(lines),
    )


def _feedback_section(d: _Data, label: str, *, list_items: bool) -> ReportSection:
    c = d.feedback
    title = "Tiếp nhận ý kiến góp ý, phản ánh, đề xuất của đảng viên"
    if not c.total:
        return ReportSection(
            title, f"Trong {label}, chi bộ không nhận được ý kiến nào của đảng viên."
        )
    kinds = "; ".join(
        f"{feedback_service.FEEDBACK_KINDS[k].lower()}: {c.by_kind.get(k, 0)}"
        for k in feedback_service.FEEDBACK_KINDS
    )
    lines = [
        f"Trong {label}, chi bộ tiếp nhận {c.total} ý kiến của đảng viên ({kinds}); đã trả lời: "
        f"{c.answered}; đã chuyển cấp ủy cấp trên: {c.forwarded}; đang xử lý, chờ trả lời: {c.waiting}."
    ]
    if list_items:
        for item in d.feedback_items[:20]:
            lines.append(
                f"- Đồng chí {item.member_name} ({item.kind_label.lower()}, {item.received_on:%d/%m/%Y}): "
                f"“{feedback_service._short(item.content, 160)}” — {item.state_label.lower()}."
            )
        if len(d.feedback_items) > 20:
            lines.append(f"- Và {len(d.feedback_items) - 20} ý kiến khác.")
    return ReportSection(title, "\n".join(lines))


def _members_section(d: _Data, label: str) -> ReportSection:
    t = d.members.totals
    active = sum(
        t.get(s, 0) for s in ("chinh_thuc", "du_bi", "mien_sinh_hoat", "sinh_hoat_tam_thoi")
    )
    parts = "; ".join(
        f"{MEMBER_STATUSES[s].lower()}: {t.get(s, 0)}"
        for s in ("chinh_thuc", "du_bi", "mien_sinh_hoat", "sinh_hoat_tam_thoi")
        if t.get(s, 0)
    )
    lines = [
        f"Tổng số đảng viên của chi bộ đến ngày {d.today:%d/%m/%Y}: {active}"
        + (f" ({parts})." if parts else ".")
    ]
    m = d.members
    if m.any:
        changes_text = []
        if m.admitted:
            changes_text.append(
                f"- Kết nạp đảng viên mới: {len(m.admitted)} ({_names(m.admitted)})."
            )
        if m.made_official:
            changes_text.append(
                f"- Công nhận đảng viên chính thức: {len(m.made_official)} ({_names(m.made_official)})."
            )
        for status in ("chuyen_di", "tu_tran", "xoa_ten"):
            names = m.left.get(status) or []
            if names:
                changes_text.append(f"- {MEMBER_STATUSES[status]}: {len(names)} ({_names(names)}).")
        lines.append(f"Biến động trong {label}:\n" + "\n".join(changes_text))
    else:
        lines.append(f"Trong {label}, không có biến động về đảng viên.")
    b = d.board
    lines.append(
        f"Đảng viên sử dụng ứng dụng “Sổ tay đảng viên điện tử”: {b.using}/{b.required} "
        f"({_pct(b.using, b.required)})."
    )
    return ReportSection("Công tác đảng viên", "\n\n".join(lines))


def _plan_items(d: _Data) -> list[str]:
    items: list[str] = []
    next_label = period_label(d.kind, d.next_start, d.next_end)
    regular = [m for m in d.next_meetings if m.kind == "thuong_ky"]
    if regular:
        dates = ", ".join(f"{m.starts_at:%d/%m/%Y} tại {m.place}" for m in regular)
        items.append(f"Tổ chức sinh hoạt chi bộ thường kỳ (đã lên lịch: {dates}).")
    else:
        items.append(f"Tổ chức sinh hoạt chi bộ thường kỳ {next_label} đúng quy định.")
    thematic = [m for m in d.next_meetings if m.kind == "chuyen_de"]
    if thematic:
        items.extend(
            f"Sinh hoạt chuyên đề “{m.topic}” ngày {m.starts_at:%d/%m/%Y}." for m in thematic
        )
    for c in d.campaigns:
        if c.state == "open" and c.progress.submitted < c.progress.participants:
            due = f" trước ngày {c.submission_due:%d/%m/%Y}" if c.submission_due else ""
            items.append(
                f"Đôn đốc {c.progress.participants - c.progress.submitted} đồng chí nộp bài thu "
                f"hoạch {c.title}{due}."
            )
    waiting = d.feedback.waiting
    if waiting:
        items.append(f"Theo dõi, trả lời {waiting} ý kiến của đảng viên đang chờ.")
    not_using = d.board.required - d.board.using
    if not_using > 0:
        items.append(
            f"Tiếp tục hướng dẫn, hỗ trợ {not_using} đảng viên chưa sử dụng ứng dụng “Sổ tay "
            "đảng viên điện tử”, phấn đấu 100% đảng viên sử dụng."
        )
    if d.probation_due:
        items.append(f"Xét công nhận đảng viên chính thức cho đồng chí {_names(d.probation_due)}.")
    by_award: dict[dt.date, list[str]] = {}
    for b in d.badges:
        by_award.setdefault(b.award_date, []).append(f"{b.full_name} ({b.years} năm)")
    for award, names in sorted(by_award.items()):
        items.append(
            f"Đề nghị trao Huy hiệu Đảng dịp {milestones.occasion_label(award)} cho đồng chí "
            f"{', '.join(names)}."
        )
    return items


def _plan_section(d: _Data) -> ReportSection:
    label = period_label(d.kind, d.next_start, d.next_end)
    items = _plan_items(d)
    return ReportSection(
        f"Phương hướng, nhiệm vụ {label}", "\n".join(f"{i + 1}. {t}" for i, t in enumerate(items))
    )


def _deployment_sections(d: _Data, label: str) -> list[ReportSection]:
    b = d.board
    total = d.support_total
    in_period = d.support_period
    sections = [
        ReportSection(
            "",
            "Thực hiện Quy định số 339-QĐ/TW ngày 10/7/2025 của Ban Bí thư và kế hoạch của "
            f"{_dang_uy(d.committee)} về triển khai ứng dụng “Sổ tay đảng viên điện tử”, "
            f"{d.branch} báo cáo kết quả triển khai, sử dụng ứng dụng đến ngày "
            f"{d.today if d.today < d.end else d.end:%d/%m/%Y} như sau:",
        ),
        ReportSection("Công tác quán triệt, tuyên truyền", ""),
    ]
    not_using = b.required - b.using
    result = (
        f"Tổng số đảng viên phải sử dụng ứng dụng: {b.required} đồng chí (đảng viên chính thức, "
        f"dự bị, sinh hoạt tạm thời; không tính {b.exempt} đồng chí được miễn sinh hoạt).\n"
        f"- Đã đăng ký tài khoản: {b.registered} đồng chí ({_pct(b.registered, b.required)}).\n"
        f"- Đã được phê duyệt tài khoản, đang sử dụng: {b.approved} đồng chí "
        f"({_pct(b.approved, b.required)}).\n"
        f"- Chưa sử dụng: {not_using} đồng chí."
    )
    sections.append(
        ReportSection(
            "Kết quả cài đặt, đăng ký và sử dụng ứng dụng",
            result,
            ReportTable(
                ("Nội dung", "Số đảng viên", "Tỷ lệ"),
                (
                    ("Phải sử dụng", b.required, "100%" if b.required else "0%"),
                    ("Đã đăng ký tài khoản", b.registered, _pct(b.registered, b.required)),
                    ("Đã được phê duyệt, đang sử dụng", b.approved, _pct(b.approved, b.required)),
                    ("Chưa sử dụng", not_using, _pct(not_using, b.required)),
                ),
            ),
        )
    )
    if total.sessions:
        acts = "; ".join(
            f"{support.SUPPORT_ACTIONS[a].lower()}: {total.by_action.get(a, 0)}"
            for a in support.SUPPORT_ACTIONS
            if total.by_action.get(a)
        )
        help_text = (
            f"Chi bộ đã tổ chức {total.sessions} buổi hỗ trợ đảng viên cao tuổi, đảng viên chưa "
            f"sử dụng thành thạo điện thoại thông minh ({in_period.sessions} buổi trong {label}), "
            f"hỗ trợ {total.members_helped} đồng chí: {acts}."
        )
    else:
        help_text = "Sổ chưa ghi buổi hỗ trợ đảng viên cao tuổi nào."
    sections.append(
        ReportSection(
            "Hỗ trợ đảng viên cao tuổi, đảng viên chưa có điện thoại thông minh", help_text
        )
    )
    hard: list[str] = []
    groups: dict[str, list[str]] = {}
    for r in b.not_yet:
        groups.setdefault(r.reason, []).append(r.full_name)
    for reason in ("no_smartphone", "needs_help", "awaiting_approval", "not_registered"):
        names = groups.get(reason) or []
        if names:
            hard.append(f"- {support.REASONS[reason]}: {len(names)} đồng chí ({_names(names)}).")
    sections.append(
        ReportSection(
            "Khó khăn, vướng mắc",
            "\n".join(hard) if hard else "Không có khó khăn, vướng mắc.",
        )
    )
    steps = []
    if not_using > 0:
        steps.append(
            f"Tiếp tục hướng dẫn, hỗ trợ {not_using} đồng chí chưa sử dụng ứng dụng; phấn đấu "
            "100% đảng viên (trừ trường hợp được miễn sinh hoạt) sử dụng thành thạo ứng dụng."
        )
    if groups.get("awaiting_approval"):
        steps.append("Chi ủy phê duyệt các tài khoản đã đăng ký.")
    if b.next_session is not None:
        steps.append(
            f"Tổ chức buổi hỗ trợ ngày {b.next_session.held_on:%d/%m/%Y} tại {b.next_session.place}."
        )
    steps.append("Tích hợp việc sử dụng ứng dụng vào nội dung sinh hoạt chi bộ định kỳ.")
    sections.append(
        ReportSection(
            "Phương hướng thời gian tới", "\n".join(f"{i + 1}. {t}" for i, t in enumerate(steps))
        )
    )
    sections.append(ReportSection("Đề xuất, kiến nghị", ""))
    return sections


def _draft_sections(d: _Data) -> list[ReportSection]:
    label = period_label(d.kind, d.start, d.end)
    if d.kind == "deployment":
        return _deployment_sections(d, label)
    intro = ReportSection(
        "",
        f"{d.branch} báo cáo kết quả thực hiện nhiệm vụ {label} và phương hướng, nhiệm vụ "
        f"{period_label(d.kind, d.next_start, d.next_end)} như sau:",
    )
    if d.kind == "monthly":
        return [
            intro,
            _meetings_section(d, "tháng"),
            _study_section(d, "tháng"),
            _feedback_section(d, "tháng", list_items=True),
            _members_section(d, "tháng"),
            _plan_section(d),
            ReportSection("Đề xuất, kiến nghị", ""),
        ]
    word = "quý" if d.kind == "quarterly" else "năm"
    b = d.board
    deployment = ReportSection(
        "Triển khai ứng dụng “Sổ tay đảng viên điện tử”",
        f"Đảng viên đã đăng ký tài khoản: {b.registered}/{b.required} ({_pct(b.registered, b.required)}); "
        f"đã được phê duyệt, đang sử dụng: {b.approved}/{b.required} ({_pct(b.approved, b.required)}). "
        f"Trong {word}, chi bộ tổ chức {d.support_period.sessions} buổi hỗ trợ, hỗ trợ "
        f"{d.support_period.members_helped} đồng chí.",
    )
    return [
        intro,
        _months_section(d, word),
        _study_section(d, word),
        _feedback_section(d, word, list_items=False),
        _members_section(d, word),
        deployment,
        _plan_section(d),
        ReportSection("Đề xuất, kiến nghị", ""),
    ]


def _figures(d: _Data, notices: list[str]) -> dict[str, Any]:
    total = d.stats.total
    return {
        "as_of": d.today.isoformat(),
        "has_data": d.has_activity,
        "notices": notices,
        "meetings_held": len(d.stats.meetings),
        "chi_uy_meetings": len(d.chi_uy),
        "attendance": {
            "expected": total.expected,
            "present": total.present,
            "excused": total.excused,
            "unexcused": total.unexcused,
            "percent": round(total.percent, 1),
        },
        "study": [{"title": c.title, **c.progress.to_json()} for c in d.campaigns],
        "feedback": {
            "total": d.feedback.total,
            "by_kind": d.feedback.by_kind,
            "answered": d.feedback.answered,
            "forwarded": d.feedback.forwarded,
            "waiting": d.feedback.waiting,
        },
        "members": {
            "totals": d.members.totals,
            "admitted": len(d.members.admitted),
            "made_official": len(d.members.made_official),
            "left": {k: len(v) for k, v in d.members.left.items()},
        },
        "app": {
            "required": d.board.required,
            "registered": d.board.registered,
            "approved": d.board.approved,
            "using": d.board.using,
            "exempt": d.board.exempt,
        },
        "support": {
            "sessions": d.support_period.sessions,
            "members_helped": d.support_period.members_helped,
            "sessions_total": d.support_total.sessions,
            "members_helped_total": d.support_total.members_helped,
            "by_action": d.support_total.by_action,
        },
    }


def _notices(d: _Data) -> list[str]:
    label = period_label(d.kind, d.start, d.end)
    out: list[str] = []
    if d.kind == "deployment":
        if d.board.required == 0 and not d.support_total.sessions:
            out.append(
                "Sổ chưa có đảng viên nào phải sử dụng ứng dụng và chưa ghi buổi hỗ trợ nào, nên "
                "chưa có số liệu triển khai. Bản nháp đã được tạo; đồng chí nhập danh sách đảng "
                "viên hoặc tự điền nội dung báo cáo."
            )
    elif not d.has_activity:
        out.append(
            f"Trong {label}, sổ chưa có dữ liệu nào (cuộc họp, học tập nghị quyết, ý kiến đảng "
            "viên, biến động đảng viên, buổi hỗ trợ). Bản nháp đã được tạo với các mục để "
            "đồng chí tự điền."
        )
    if d.today < d.end:
        out.append(
            f"Kỳ báo cáo chưa kết thúc: số liệu tính đến hôm nay ({d.today:%d/%m/%Y}); nên cập "
            "nhật lại số liệu trước khi gửi."
        )
    return out


def _default_recipients(kind: str, committee: str) -> list[str]:
    uy = _dang_uy(committee)
    if kind == "deployment":
        return [f"Ban Xây dựng đảng {uy} (b/c)", f"Văn phòng {uy} (b/c)", "Lưu chi bộ"]
    return [f"{uy} (b/c)", "Lưu chi bộ"]


def _default_subtitle(kind: str, start: dt.date, end: dt.date) -> str:
    label = period_label(kind, start, end)
    nxt = period_label(kind, *_next_period(kind, start, end))
    if kind == "deployment":
        return f"Kết quả triển khai, sử dụng ứng dụng “Sổ tay đảng viên điện tử” {label}"
    if kind == "yearly":
        return f"Tổng kết công tác {label} và phương hướng, nhiệm vụ {nxt}"
    return f"Kết quả thực hiện nhiệm vụ {label} và phương hướng, nhiệm vụ {nxt}"


# --- writes ---------------------------------------------------------------------------------


def _find(s: Session, kind: str, period: str) -> Report | None:
    return s.scalars(
        select(Report)
        .where(Report.deleted_at.is_(None), Report.kind == kind, Report.period == period)
        .order_by(Report.created_at.desc())
    ).first()


def draft(book: Book, *, kind: str, period: str, today: dt.date | None = None) -> DraftResult:
    """Draft the report for a kind and period from the book's data.

    If a report for that kind and period exists it is returned unchanged (the secretary's
    edits are never overwritten; `redraft` refreshes the figures on request). A period with
    no data still gives a draft to fill, with a notice saying so."""
    today = today or dt.date.today()
    kind = check_kind(kind)
    canonical, start, end = parse_period(kind, period)
    if start > today:
        raise ValidationError(
            f"Kỳ báo cáo {period_label(kind, start, end)} chưa bắt đầu; chưa soạn báo cáo được.",
            field="period",
        )
    with book.read_session() as s:
        existing = _find(s, kind, canonical)
        if existing is not None:
            v = view(existing)
            return DraftResult(
                v,
                False,
                (f"Đã có {_name_lower(existing)} ({v.state_label.lower()}); mở bản đã có.",),
            )
    d = _gather(book, kind, start, end, today)
    notices = _notices(d)
    sections = _draft_sections(d)
    info = book.branch()
    with book.session() as s:
        row = Report(
            id=new_id(),
            version=0,  # never sent; the first submission is version 1
            kind=kind,
            period=canonical,
            period_start=start,
            period_end=end,
            subtitle=_default_subtitle(kind, start, end),
            number="",
            number_year=None,
            number_seq=None,
            issued_on=today,
            sections_json=_sections_json(sections),
            recipients="\n".join(_default_recipients(kind, info.committee)),
            signer_name=info.secretary_name,
            figures_json=json.dumps(_figures(d, notices), ensure_ascii=False),
            state="draft",
            revision=1,
            amend_reason="",
            submitted_at=None,
            history_json="[]",
        )
        s.add(row)
        s.flush()
        changes.record(
            s,
            actor=book.actor,
            action="create",
            entity=ENTITY,
            row=row,
            summary=f"Soạn {_name_lower(row)} từ số liệu trong sổ",
            sync_op=None,  # drafts stay here; submit() sends the report up
        )
        return DraftResult(view(row), True, tuple(notices))


def _clean_body(text: str) -> str:
    """NFC lines with spaces collapsed; runs of blank lines kept as one (paragraph breaks)."""
    out: list[str] = []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean(line)
        if line or (out and out[-1]):
            out.append(line)
    body = "\n".join(out).strip()
    if len(body) > MAX_BODY:
        raise ValidationError(
            "Nội dung một mục của báo cáo quá dài; hãy viết gọn lại.", field="sections"
        )
    return body


def _check_edit(data: ReportEdit) -> ReportEdit:
    subtitle = clean(data.subtitle)
    if not subtitle:
        raise ValidationError("Chưa ghi trích yếu (nội dung) của báo cáo.", field="subtitle")
    sections = tuple(
        ReportSection(clean(sec.title), _clean_body(sec.body), sec.table) for sec in data.sections
    )
    if not any(sec.body or sec.table for sec in sections):
        raise ValidationError("Báo cáo chưa có nội dung nào.", field="sections")
    recipients = tuple(r for r in (clean(x) for x in data.recipients) if r)
    return ReportEdit(subtitle, data.issued_on, sections, recipients, clean(data.signer_name))


def _snapshot(row: Report) -> dict[str, Any]:
    return {
        "revision": row.revision,
        "number": row.number,
        "issued_on": row.issued_on.isoformat(),
        "subtitle": row.subtitle,
        "sections": _load(row.sections_json, []),
        "recipients": row.recipients,
        "signer_name": row.signer_name,
        "submitted_at": row.submitted_at.isoformat(timespec="seconds")
        if row.submitted_at
        else None,
    }


def _apply_edit(
    s: Session,
    row: Report,
    data: ReportEdit,
    *,
    actor: str,
    reason: str,
    what: str,
    figures_json: str | None = None,
) -> ReportView:
    before = _fields(row)
    reason = clean(reason)
    if data.issued_on < row.period_start:
        raise ValidationError(
            f"Ngày ban hành ({data.issued_on:%d/%m/%Y}) trước kỳ báo cáo.", field="issued_on"
        )
    new = {
        "subtitle": data.subtitle,
        "issued_on": data.issued_on,
        "sections_json": _sections_json(data.sections),
        "recipients": "\n".join(data.recipients),
        "signer_name": data.signer_name,
    }
    differs = any(changes.diff({k: getattr(row, k)}, {k: v}) for k, v in new.items()) or (
        figures_json is not None and figures_json != row.figures_json
    )
    if not differs:
        return view(row)
    submitted = row.state == "submitted"
    if submitted:
        if not reason:
            raise ValidationError(
                "Báo cáo này đã gửi cấp trên; muốn sửa phải ghi lý do. Bản đã gửi được giữ "
                "lại, bản sửa là phiên bản mới và cần gửi lại.",
                field="reason",
            )
        history = _load(row.history_json, [])
        snap = _snapshot(row)
        snap["replaced_at"] = utcnow().isoformat(timespec="seconds")
        snap["replaced_reason"] = reason
        history.append(snap)
        row.history_json = json.dumps(history, ensure_ascii=False)
        row.revision += 1
        row.amend_reason = reason
        row.state = "amended"
    for key, value in new.items():
        setattr(row, key, value)
    if figures_json is not None:
        row.figures_json = figures_json
    row.updated_at = utcnow()
    delta = changes.diff(before, _fields(row))
    changes.record(
        s,
        actor=actor,
        action="amend" if submitted or row.state == "amended" else "update",
        entity=ENTITY,
        row=row,
        summary=(
            f"Sửa {_name_lower(row)} sau khi đã gửi (phiên bản {row.revision})"
            if submitted
            else f"{what} {_name_lower(row)}"
        ),
        changes=delta,
        reason=reason,
        sync_op=None,
    )
    return view(row)


def update(book: Book, *, report_id: str, data: ReportEdit, reason: str = "") -> ReportView:
    """Save the secretary's edits. A submitted report needs a reason: the submitted text is
    kept, and the edit becomes a new revision to submit again."""
    data = _check_edit(data)
    with book.session() as s:
        row = _get_row(s, report_id)
        return _apply_edit(s, row, data, actor=book.actor, reason=reason, what="Sửa")


def redraft(
    book: Book, *, report_id: str, reason: str = "", today: dt.date | None = None
) -> ReportView:
    """Draft the sections again from the data as it is now (replacing the text; the UI asks
    first). On a submitted report this is an edit with a reason, like `update`."""
    today = today or dt.date.today()
    current = get(book, report_id=report_id)
    d = _gather(book, current.kind, current.period_start, current.period_end, today)
    notices = _notices(d)
    data = ReportEdit(
        subtitle=current.subtitle,
        issued_on=current.issued_on,
        sections=_draft_sections(d),
        recipients=current.recipients,
        signer_name=current.signer_name,
    )
    with book.session() as s:
        row = _get_row(s, report_id)
        return _apply_edit(
            s,
            row,
            _check_edit(data),
            actor=book.actor,
            reason=reason,
            what="Cập nhật số liệu",
            figures_json=json.dumps(_figures(d, notices), ensure_ascii=False),
        )


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


def _assign(s: Session, row: Report, number: str | None, actor: str) -> None:
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
            f"Số {text} năm {year} đã dùng cho {_name_lower(clash)}.",
            field="number",
        )
    before = _fields(row)
    row.number, row.number_year, row.number_seq = text, year, seq
    row.updated_at = utcnow()
    changes.record(
        s,
        actor=actor,
        action="update",
        entity=ENTITY,
        row=row,
        summary=f"Cấp số {text} cho {_name_lower(row)}",
        changes=changes.diff(before, _fields(row)),
        sync_op=None,
    )


def assign_number(book: Book, *, report_id: str, number: str | None = None) -> ReportView:
    """Give the report its number: `number` as typed ("07-BC/CB"), or the next free number
    in the year of issue. Numbers are unique within a year."""
    with book.session() as s:
        row = _get_row(s, report_id)
        _assign(s, row, clean(number) or None, book.actor)
        return view(row)


def submit(book: Book, *, report_id: str) -> ReportView:
    """Send the report up: numbered if it is not yet, state submitted, and the whole report
    written to the sync outbox (it leaves with the next sync)."""
    with book.session() as s:
        row = _get_row(s, report_id)
        if row.state == "submitted":
            raise ConflictError(
                "Báo cáo này đã được gửi. Nếu cần sửa, hãy sửa kèm lý do rồi gửi lại."
            )
        sections = _sections_from(row.sections_json)
        if not any(sec.body or sec.table for sec in sections):
            raise ValidationError("Báo cáo chưa có nội dung; chưa gửi được.", field="sections")
        _assign(s, row, None, book.actor)
        before = _fields(row)
        row.state = "submitted"
        row.submitted_at = utcnow()
        base = changes.bump(row)
        times = f" (phiên bản {row.revision})" if row.revision > 1 else ""
        changes.record(
            s,
            actor=book.actor,
            action="update",
            entity=ENTITY,
            row=row,
            summary=f"Gửi {_name_lower(row)} lên cấp trên{times}",
            changes=changes.diff(before, _fields(row)),
            reason=row.amend_reason if row.revision > 1 else "",
            sync_op="upsert",
            base_version=base,
        )
        return view(row)


def remove(book: Book, *, report_id: str, reason: str = "") -> None:
    """Delete a draft that was never submitted (a submitted report stays: edit it with a
    reason instead)."""
    with book.session() as s:
        row = _get_row(s, report_id)
        if row.version > 0 or row.state != "draft":
            raise ConflictError(
                "Báo cáo đã gửi cấp trên nên không xóa được; nếu có sai sót, hãy sửa kèm lý do "
                "và gửi lại."
            )
        row.deleted_at = utcnow()
        changes.record(
            s,
            actor=book.actor,
            action="delete",
            entity=ENTITY,
            row=row,
            summary=f"Xóa bản nháp {_name_lower(row)}",
            reason=clean(reason),
            sync_op=None,
        )


# --- reads ----------------------------------------------------------------------------------


def get(book: Book, *, report_id: str) -> ReportView:
    with book.read_session() as s:
        return view(_get_row(s, report_id))


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
        draft=r.state != "submitted",
        revision_note=note,
    )


def deployment_due(book: Book) -> dt.date:
    with book.read_session() as s:
        row = s.get(KeyValue, DEPLOYMENT_DUE_KEY)
    parsed = _parse_date(row.value) if row is not None else None
    return parsed or DEFAULT_DEPLOYMENT_DUE


def set_deployment_due(book: Book, *, due: dt.date) -> None:
    """The date the committee wants the deployment report by (default from seed 004)."""
    with book.session() as s:
        row = s.get(KeyValue, DEPLOYMENT_DUE_KEY)
        old = row.value if row is not None else ""
        if row is None:
            row = KeyValue(key=DEPLOYMENT_DUE_KEY, value="")
            s.add(row)
        row.value = due.isoformat()
        changes.record(
            s,
            actor=book.actor,
            action="update",
            entity="setting",
            entity_id=DEPLOYMENT_DUE_KEY,
            summary=f"Đặt hạn gửi báo cáo triển khai Sổ tay đảng viên điện tử: {due:%d/%m/%Y}",
            changes={"value": [old, row.value]},
            sync_op=None,
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
        monthly = _find(s, "monthly", period)
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
        due = deployment_due(book)
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


def history(book: Book, *, report_id: str) -> list[Any]:
    from app.services import audit

    return list(audit.history(book, entity=ENTITY, entity_id=report_id))


__all__ = [
    "REPORT_KINDS",
    "REPORT_STATES",
    "DraftResult",
    "DueReport",
    "ReportEdit",
    "ReportPaper",
    "ReportSection",
    "ReportTable",
    "ReportView",
    "assign_number",
    "draft",
    "due_reports",
    "get",
    "list_reports",
    "next_number",
    "paper",
    "parse_period",
    "redraft",
    "remove",
    "submit",
    "update",
]

"""The home dashboard (Tổng quan): the next meeting and what is missing for it, the
attendance trend, members needing attention, feedback waiting, reports due, changes waiting
to sync. Read-only: it calls the other services' public functions.

One write lives here: `record_paper_printed`, the note that a meeting's invitation (or
another paper) was printed, so the dashboard can tell whether the invitation went out. It
is an audit entry only (action "print"), not synced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.errors import ValidationError
from app.models import AuditEntry
from app.services import (
    attendance,
    changes,
    dues,
    meeting_stats,
    meetings,
    milestones,
    support,
    sync_state,
    upward_reports,
)
from app.services import feedback as feedback_service
from app.services.meetings import MeetingView
from app.vocab import Entity, MeetingKind

if TYPE_CHECKING:
    from app.book import Book

PAPERS = {"invitation": "giấy mời", "signin": "danh sách ký tên", "minutes": "biên bản"}
TREND_MONTHS = 12
FEEDBACK_SHOWN = 8

ATTENTION_KINDS: dict[str, str] = {
    "absence": "Vắng họp",
    "dues_removal": "Không đóng đảng phí",
    "probation": "Hết thời gian dự bị",
    "badge": "Huy hiệu Đảng",
    "no_account": "Chưa có tài khoản Sổ tay điện tử",
    "dues": "Chưa đóng đảng phí",
}


@dataclass(frozen=True)
class MeetingReadiness:
    meeting: MeetingView
    missing: tuple[str, ...]  # what still has to be done before the meeting
    notes: tuple[str, ...]  # what is known (absence requests received, documents sent)
    invitation_printed: bool
    absence_requests: int
    documents: int

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class TrendPoint:
    year: int
    month: int
    meetings: int
    expected: int
    present: int

    @property
    def label(self) -> str:
        return f"{self.month}/{self.year % 100:02d}"

    @property
    def percent(self) -> float | None:
        """None when no meeting was held (nothing to draw, not zero)."""
        return 100.0 * self.present / self.expected if self.expected else None


@dataclass(frozen=True)
class AttentionItem:
    member_id: str
    full_name: str
    kind: str
    message: str
    serious: bool

    @property
    def kind_label(self) -> str:
        return ATTENTION_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    next_meeting: MeetingReadiness | None
    trend: tuple[TrendPoint, ...]
    target_percent: float
    attention: tuple[AttentionItem, ...]
    feedback_waiting: tuple[feedback_service.FeedbackView, ...]  # the oldest few
    feedback_waiting_total: int
    reports_due: tuple[upward_reports.DueReport, ...]
    app_using: int
    app_required: int
    sync_pending: int
    sync_attention: int
    last_sync_at: dt.datetime | None
    probation: tuple[milestones.ProbationCase, ...] = ()
    dues_unpaid: tuple[dues.UnpaidMember, ...] = ()  # members with unpaid months this year
    # When no meeting is scheduled: which regular meeting to create next (this month's, or
    # next month's once this month's exists).
    meeting_hint: str = ""

    def attention_count(self, kind: str) -> int:
        return sum(1 for a in self.attention if a.kind == kind)

    def to_json(self) -> dict[str, Any]:
        nm = self.next_meeting
        return {
            "today": self.today.isoformat(),
            "next_meeting": None
            if nm is None
            else {
                **nm.meeting.to_json(),
                "missing": list(nm.missing),
                "notes": list(nm.notes),
                "invitation_printed": nm.invitation_printed,
                "absence_requests": nm.absence_requests,
                "documents": nm.documents,
            },
            "trend": [
                {
                    "label": p.label,
                    "meetings": p.meetings,
                    "percent": None if p.percent is None else round(p.percent, 1),
                }
                for p in self.trend
            ],
            "attention": [
                {
                    "member_id": a.member_id,
                    "full_name": a.full_name,
                    "kind": a.kind,
                    "kind_label": a.kind_label,
                    "message": a.message,
                    "serious": a.serious,
                }
                for a in self.attention
            ],
            "feedback_waiting": self.feedback_waiting_total,
            "reports_due": [r.message() for r in self.reports_due],
            "app_using": self.app_using,
            "app_required": self.app_required,
            "sync_pending": self.sync_pending,
            "sync_attention": self.sync_attention,
            "dues_unpaid": [u.to_json() for u in self.dues_unpaid],
            "probation": [c.to_json() for c in self.probation],
            "meeting_hint": self.meeting_hint,
        }


# --- the printed-paper note -----------------------------------------------------------------


def record_paper_printed(book: Book, *, meeting_id: str, paper: str = "invitation") -> None:
    """Note that a meeting's paper was printed (the meetings UI/CLI calls this after writing
    the PDF): the dashboard then stops asking for the invitation."""
    if paper not in PAPERS:
        raise ValidationError(f"Loại giấy tờ không hợp lệ: “{paper}”.", field="paper")
    m = meetings.get(book, meeting_id=meeting_id)
    with book.session() as s:
        changes.audit_only(
            s,
            actor=book.actor,
            action="print",
            entity=Entity.MEETING,
            entity_id=m.id,
            summary=f"In {PAPERS[paper]} {m.title}",
            changes={"paper": [None, paper]},
        )


def _printed(book: Book, meeting_id: str) -> set[str]:
    q = select(AuditEntry.changes_json).where(
        AuditEntry.entity == Entity.MEETING,
        AuditEntry.entity_id == meeting_id,
        AuditEntry.action == "print",
    )
    out: set[str] = set()
    with book.read_session() as s:
        for (raw,) in s.execute(q):
            for paper in PAPERS:
                if f'"{paper}"' in (raw or ""):
                    out.add(paper)
    return out


# --- parts ----------------------------------------------------------------------------------


def next_meeting(book: Book, *, today: dt.date | None = None) -> MeetingReadiness | None:
    """The next meeting not yet closed (today's included) and what is missing for it."""
    today = today or dt.date.today()
    upcoming = [
        m
        for m in meetings.list_meetings(book, start=today, newest_first=False)
        if m.state != "closed"
    ]
    if not upcoming:
        return None
    m = upcoming[0]
    missing: list[str] = []
    notes: list[str] = []
    if not m.agenda:
        missing.append("Chưa có chương trình họp")
    if not m.chair_name:
        missing.append("Chưa phân công người chủ trì")
    printed = "invitation" in _printed(book, m.id)
    if not printed and m.state == "draft":
        missing.append("Chưa in giấy mời họp")
    docs = meetings.documents(book, meeting_id=m.id)
    if not docs and m.kind in MeetingKind.with_documents():
        missing.append("Chưa gửi kèm tài liệu họp")
    elif docs:
        notes.append(f"Đã gửi kèm {len(docs)} tài liệu")
    requests = attendance.list_requests(book, meeting_id=m.id)
    if requests:
        listed = "; ".join(
            f"{r.member_name} ({r.reason})" if r.reason else r.member_name for r in requests
        )
        notes.append(f"{len(requests)} đơn xin vắng: {listed}")
    else:
        notes.append("Chưa có đảng viên nào xin vắng")
    return MeetingReadiness(
        meeting=m,
        missing=tuple(missing),
        notes=tuple(notes),
        invitation_printed=printed,
        absence_requests=len(requests),
        documents=len(docs),
    )


def meeting_hint(book: Book, *, today: dt.date | None = None) -> str:
    """What to do when no meeting is scheduled: create this month's regular meeting, or
    next month's when this month's already exists (held, or in the past)."""
    nxt = meetings.next_regular(book, today=today)
    create = (
        f"Hãy tạo cuộc họp chi bộ thường kỳ tháng {nxt.month.month}/{nxt.month.year} "
        "ở mục Sinh hoạt."
    )
    held = nxt.held_this_month
    if held is None:
        return create
    day = held.starts_at
    return (
        f"Tháng {day.month}/{day.year} đã có cuộc sinh hoạt chi bộ thường kỳ ngày "
        f"{day:%d/%m/%Y}. {create}"
    )


def _window_start(today: dt.date) -> dt.date:
    month = today.month - (TREND_MONTHS - 1)
    year = today.year
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def _trend(stats: meeting_stats.AttendanceOverview) -> tuple[TrendPoint, ...]:
    return tuple(
        TrendPoint(p.start.year, p.start.month, p.meetings, p.expected, p.present)
        for p in stats.months
    )


def _absence_items(stats: meeting_stats.AttendanceOverview) -> list[AttentionItem]:
    return [
        AttentionItem(w.member_id, w.full_name, "absence", w.message, w.serious)
        for w in stats.warnings
    ]


def _probation_items(cases: list[milestones.ProbationCase]) -> list[AttentionItem]:
    """Dự bị members whose 12 months end within 90 days (warnings at 90/60/30/15/7 days) or
    have ended (how long ago, and the 30-working-day deadline to consider recognition)."""
    return [
        AttentionItem(c.member_id, c.full_name, "probation", c.message, c.serious)
        for c in cases
        if c.ended or c.warn_step is not None
    ]


def _badge_items(book: Book, today: dt.date) -> list[AttentionItem]:
    return [
        AttentionItem(
            b.member_id,
            b.full_name,
            "badge",
            f"Đồng chí {b.full_name} đủ {b.years} năm tuổi Đảng: đề nghị trao {b.label} dịp "
            f"{milestones.occasion_label(b.award_date)} ({b.award_date:%d/%m/%Y}).",
            False,
        )
        for b in milestones.badges_due(book, on=today)
    ]


def _account_items(board: support.OnboardingBoard) -> list[AttentionItem]:
    return [
        AttentionItem(
            r.member_id,
            r.full_name,
            "no_account",
            f"Đồng chí {r.full_name}: {r.reason_label.lower()}. Việc tiếp theo: {r.next_step}.",
            False,
        )
        for r in board.not_yet
        if r.reason != "exempt" and r.app_account == "chua_dang_ky"
    ]


def _dues_items(unpaid: list[dues.UnpaidMember]) -> list[AttentionItem]:
    """Unpaid đảng phí: three months without a recorded reason is ground for xóa tên,
    listed beside the attendance rule; fewer months are a reminder."""
    return [
        AttentionItem(
            u.member_id, u.full_name, "dues_removal" if u.removal else "dues", u.message, u.removal
        )
        for u in unpaid
    ]


def dashboard(book: Book, *, today: dt.date | None = None) -> Dashboard:
    today = today or dt.date.today()
    # The trend and the warnings only: the per-member table is not shown here.
    stats = meeting_stats.overview(book, start=_window_start(today), end=today)
    board = support.onboarding_board(book, today=today)
    probation = milestones.probation_cases(book, today=today)
    unpaid = dues.unpaid_members(book, today=today)
    attention = [
        *_absence_items(stats),
        *_dues_items(unpaid),
        *_probation_items(probation),
        *_badge_items(book, today),
        *_account_items(board),
    ]
    attention.sort(key=lambda a: (not a.serious, list(ATTENTION_KINDS).index(a.kind)))
    sync = sync_state.status(book)
    upcoming = next_meeting(book, today=today)
    return Dashboard(
        today=today,
        next_meeting=upcoming,
        trend=_trend(stats),
        target_percent=stats.rules.attendance_target_percent,
        attention=tuple(attention),
        feedback_waiting=tuple(feedback_service.waiting(book, limit=FEEDBACK_SHOWN)),
        feedback_waiting_total=feedback_service.count(book, state=feedback_service.WAITING_STATES),
        reports_due=tuple(upward_reports.due_reports(book, today=today)),
        app_using=board.using,
        app_required=board.required,
        sync_pending=sync.pending,
        sync_attention=sync.needing_attention,
        last_sync_at=sync.last_sync_at,
        probation=tuple(probation),
        dues_unpaid=tuple(unpaid),
        meeting_hint="" if upcoming is not None else meeting_hint(book, today=today),
    )


__all__ = [
    "ATTENTION_KINDS",
    "AttentionItem",
    "Dashboard",
    "MeetingReadiness",
    "TrendPoint",
    "dashboard",
    "meeting_hint",
    "next_meeting",
    "record_paper_printed",
]

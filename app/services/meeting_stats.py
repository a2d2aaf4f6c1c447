"""Attendance statistics: per member, per month / quarter / year, the HD 12 figures and the
early warning for the xóa tên rule (Điều lệ Điều 8).

Only branch meetings count (thường kỳ, chuyên đề, bất thường — not chi ủy meetings), and only
meetings that were held (roll call started). A member counts for a meeting when on its roster,
not exempted, and marked. Thresholds come from voting_rules.RuleConfig (configurable).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Meeting
from app.services import attendance, voting_rules
from app.services.meetings import MeetingView, view
from app.services.voting_rules import PRESENT_STATUSES, AttendanceFigures, RuleConfig
from app.text import name_sort_key

if TYPE_CHECKING:
    from app.book import Book

BRANCH_KINDS = ("thuong_ky", "chuyen_de", "bat_thuong")
QUARTER_NAMES = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class MemberAttendance:
    member_id: str
    full_name: str
    member_status: str
    expected: int  # meetings the member was expected at (and marked)
    present: int  # late included
    late: int
    excused: int
    unexcused: int
    longest_absent_run: int  # meetings missed running, excused or not
    current_absent_run: int  # missed running up to the latest meeting
    unexcused_months: tuple[int, ...]  # months (1-12) with an unexcused absence
    marks: tuple[str | None, ...]  # per meeting of the period, in date order (None: not expected)

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def percent(self) -> float:
        return 100.0 * self.present / self.expected if self.expected else 0.0


@dataclass(frozen=True)
class PeriodAttendance:
    label: str  # "Tháng 3", "Quý I", "Năm 2025"
    start: dt.date
    end: dt.date
    meetings: int
    expected: int  # member-meetings expected
    present: int
    excused: int
    unexcused: int

    @property
    def percent(self) -> float:
        return 100.0 * self.present / self.expected if self.expected else 0.0


@dataclass(frozen=True)
class Warning:
    """A member who needs the secretary's attention."""

    member_id: str
    full_name: str
    kind: str  # "removal" (xóa tên) | "removal_soon" | "absent_running" | "absent_running_soon"
    count: int
    message: str

    @property
    def serious(self) -> bool:
        return self.kind in ("removal", "absent_running")


@dataclass(frozen=True)
class HeldMeeting:
    meeting: MeetingView
    figures: AttendanceFigures


@dataclass(frozen=True)
class HD12Figures:
    attendance_percent: float
    meets_target: bool  # above the target (85% by default)
    target_percent: float
    unexcused_total: int
    members_absent_running: tuple[str, ...]  # names
    months_without_regular: tuple[int, ...]  # past months with no thường kỳ meeting
    quarters_without_thematic: tuple[int, ...]  # past quarters with no chuyên đề meeting


@dataclass(frozen=True)
class AttendanceStats:
    start: dt.date
    end: dt.date
    rules: RuleConfig
    meetings: tuple[HeldMeeting, ...]
    members: tuple[MemberAttendance, ...]
    months: tuple[PeriodAttendance, ...]
    quarters: tuple[PeriodAttendance, ...]
    total: PeriodAttendance
    hd12: HD12Figures
    warnings: tuple[Warning, ...]


def compute(book: Book, *, start: dt.date, end: dt.date) -> AttendanceStats:
    """Statistics over [start, end] (meetings after today are not held yet)."""
    rules = voting_rules.get_rules(book)
    held: list[HeldMeeting] = []
    names: dict[str, tuple[str, str]] = {}
    per_meeting: list[dict[str, str]] = []  # member_id -> status, expected and marked only
    with book.read_session() as s:
        meetings = _held_in(s, start, end)
        marks = attendance.latest_marks(s, [m.id for m in meetings])
        for m in meetings:
            call_rows = []
            statuses: dict[str, str] = {}
            for member in attendance.roster(s, m):
                ev = marks.get((m.id, member.member_id))
                status = ev.status if ev else None
                call_rows.append(voting_rules.Participant(role=member.role, status=status))
                names[member.member_id] = (member.full_name, member.member_status)
                if member.role != voting_rules.EXEMPT and status is not None:
                    statuses[member.member_id] = status
            held.append(HeldMeeting(view(m), voting_rules.figures(call_rows, rules)))
            per_meeting.append(statuses)
    members = _members(held, per_meeting, names)
    months = tuple(
        _period(f"Tháng {mo}", *_month_bounds(y, mo), held, per_meeting)
        for y, mo in _months_between(start, end)
    )
    quarters = tuple(
        _period(f"Quý {QUARTER_NAMES[q - 1]}/{y}", *_quarter_bounds(y, q), held, per_meeting)
        for y, q in _quarters_between(start, end)
    )
    label = f"Năm {start.year}" if _is_year(start, end) else f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    total = _period(label, start, end, held, per_meeting)
    hd12 = _hd12(total, members, held, rules, start, end)
    return AttendanceStats(
        start=start,
        end=end,
        rules=rules,
        meetings=tuple(held),
        members=members,
        months=months,
        quarters=quarters,
        total=total,
        hd12=hd12,
        warnings=tuple(_warnings(members, rules)),
    )


def year_stats(book: Book, *, year: int) -> AttendanceStats:
    return compute(book, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def early_warnings(book: Book, *, today: dt.date | None = None) -> list[Warning]:
    """Members nearing (or past) the xóa tên rule or the absent-running limit, over the
    twelve months up to today."""
    today = today or dt.date.today()
    start = dt.date(today.year - 1, today.month, 1) + dt.timedelta(days=31)
    start = start.replace(day=1)
    return list(compute(book, start=start, end=today).warnings)


# --- helpers ----------------------------------------------------------------------------


def _held_in(s: Session, start: dt.date, end: dt.date) -> list[Meeting]:
    upto = min(end, dt.date.today())
    q = (
        select(Meeting)
        .where(
            Meeting.deleted_at.is_(None),
            Meeting.kind.in_(BRANCH_KINDS),
            Meeting.state.in_(("open", "closed")),
            Meeting.starts_at >= dt.datetime.combine(start, dt.time.min),
            Meeting.starts_at < dt.datetime.combine(upto + dt.timedelta(days=1), dt.time.min),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(s.scalars(q))


def _members(
    held: Sequence[HeldMeeting],
    per_meeting: Sequence[dict[str, str]],
    names: dict[str, tuple[str, str]],
) -> tuple[MemberAttendance, ...]:
    out: list[MemberAttendance] = []
    for member_id, (name, status) in names.items():
        expected = present = late = excused = unexcused = 0
        run = longest = 0
        months: set[int] = set()
        seq: list[str | None] = []
        for hm, statuses in zip(held, per_meeting, strict=True):
            mark = statuses.get(member_id)
            seq.append(mark)
            if mark is None:
                continue
            expected += 1
            if mark in PRESENT_STATUSES:
                present += 1
                late += 1 if mark == "late" else 0
                run = 0
                continue
            if mark == "excused":
                excused += 1
            else:
                unexcused += 1
                months.add(hm.meeting.starts_at.month)
            run += 1
            longest = max(longest, run)
        if expected == 0:
            continue
        out.append(
            MemberAttendance(
                member_id=member_id,
                full_name=name,
                member_status=status,
                expected=expected,
                present=present,
                late=late,
                excused=excused,
                unexcused=unexcused,
                longest_absent_run=longest,
                current_absent_run=run,
                unexcused_months=tuple(sorted(months)),
                marks=tuple(seq),
            )
        )
    out.sort(key=lambda m: (name_sort_key(m.full_name), m.member_id))
    return tuple(out)


def _period(
    label: str,
    start: dt.date,
    end: dt.date,
    held: Sequence[HeldMeeting],
    per_meeting: Sequence[dict[str, str]],
) -> PeriodAttendance:
    meetings = expected = present = excused = unexcused = 0
    for hm, statuses in zip(held, per_meeting, strict=True):
        if not start <= hm.meeting.starts_at.date() <= end:
            continue
        meetings += 1
        for mark in statuses.values():
            expected += 1
            if mark in PRESENT_STATUSES:
                present += 1
            elif mark == "excused":
                excused += 1
            else:
                unexcused += 1
    return PeriodAttendance(label, start, end, meetings, expected, present, excused, unexcused)


def _hd12(
    total: PeriodAttendance,
    members: Sequence[MemberAttendance],
    held: Sequence[HeldMeeting],
    rules: RuleConfig,
    start: dt.date,
    end: dt.date,
) -> HD12Figures:
    today = dt.date.today()
    regular_months = {
        (hm.meeting.starts_at.year, hm.meeting.starts_at.month)
        for hm in held
        if hm.meeting.kind == "thuong_ky"
    }
    thematic_quarters = {
        (hm.meeting.starts_at.year, (hm.meeting.starts_at.month - 1) // 3 + 1)
        for hm in held
        if hm.meeting.kind == "chuyen_de"
    }
    # Months before the first meeting recorded here are not this book's to judge.
    if held:
        first = held[0].meeting.starts_at.date().replace(day=1)
        start = max(start, first)
    months_missing = tuple(
        mo
        for y, mo in _months_between(start, end)
        if _month_bounds(y, mo)[1] < today and (y, mo) not in regular_months
    )
    quarters_missing = tuple(
        q
        for y, q in _quarters_between(start, end)
        if _quarter_bounds(y, q)[1] < today and (y, q) not in thematic_quarters
    )
    return HD12Figures(
        attendance_percent=total.percent,
        meets_target=total.expected > 0
        and voting_rules.meets_attendance_target(total.percent, rules),
        target_percent=rules.attendance_target_percent,
        unexcused_total=total.unexcused,
        members_absent_running=tuple(
            m.full_name for m in members if m.longest_absent_run >= rules.max_absent_running
        ),
        months_without_regular=months_missing,
        quarters_without_thematic=quarters_missing,
    )


def _warnings(members: Sequence[MemberAttendance], rules: RuleConfig) -> list[Warning]:
    out: list[Warning] = []
    for m in members:
        months = len(m.unexcused_months)
        month_list = ", ".join(str(mo) for mo in m.unexcused_months)
        if months >= rules.removal_months:
            out.append(
                Warning(
                    m.member_id,
                    m.full_name,
                    "removal",
                    months,
                    f"Đồng chí {m.full_name} đã vắng họp không có lý do {months} tháng "
                    f"(tháng {month_list}): thuộc diện xem xét xóa tên (Điều lệ Đảng, Điều 8).",
                )
            )
        elif months >= rules.removal_warn_months:
            out.append(
                Warning(
                    m.member_id,
                    m.full_name,
                    "removal_soon",
                    months,
                    f"Đồng chí {m.full_name} đã vắng họp không có lý do {months} tháng "
                    f"(tháng {month_list}); vắng thêm sẽ đến mức {rules.removal_months} tháng "
                    "phải xem xét xóa tên. Nên gặp gỡ, nhắc nhở.",
                )
            )
        if m.longest_absent_run >= rules.max_absent_running:
            out.append(
                Warning(
                    m.member_id,
                    m.full_name,
                    "absent_running",
                    m.longest_absent_run,
                    f"Đồng chí {m.full_name} đã vắng {m.longest_absent_run} lần liên tiếp "
                    f"(HD 12: không để đảng viên vắng {rules.max_absent_running} lần liên tiếp).",
                )
            )
        elif m.current_absent_run == rules.max_absent_running - 1 and m.current_absent_run > 0:
            out.append(
                Warning(
                    m.member_id,
                    m.full_name,
                    "absent_running_soon",
                    m.current_absent_run,
                    f"Đồng chí {m.full_name} đã vắng {m.current_absent_run} lần liên tiếp gần "
                    "đây; vắng thêm một lần sẽ vượt chỉ tiêu của HD 12.",
                )
            )
    out.sort(key=lambda w: (not w.serious, w.full_name))
    return out


def _is_year(start: dt.date, end: dt.date) -> bool:
    return start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31)


def _months_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    out = []
    y, mo = start.year, start.month
    while (y, mo) <= (end.year, end.month):
        out.append((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return out


def _quarters_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    for y, mo in _months_between(start, end):
        q = (y, (mo - 1) // 3 + 1)
        if q not in seen:
            seen.append(q)
    return seen


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return first, _month_bounds(year, 3 * quarter)[1]

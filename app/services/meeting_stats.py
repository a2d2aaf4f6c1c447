"""Attendance statistics: per member, per month / quarter / year, the HD 12 figures and the
early warning for the xóa tên rule (Điều lệ Điều 8).

Only branch meetings count (thường kỳ, chuyên đề, bất thường — not chi ủy meetings), and only
meetings that were held (roll call started). A member counts for a meeting when on its roster,
not exempted, and marked. Thresholds come from voting_rules.RuleConfig (configurable).

Read set-based (docs/performance.md): per held meeting one query for the latest mark of each
member as plain rows, one query for the live roster, the frozen rosters from the meetings'
JSON; no ORM object per member or per mark. A year of a 5,000-member branch is 60,000 marks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Meeting, Member
from app.services import attendance, voting_rules
from app.services.meetings import MeetingView, view
from app.services.voting_rules import PRESENT_STATUSES, AttendanceFigures, RuleConfig
from app.text import name_sort_key
from app.vocab import AttendanceMark, MeetingKind, MemberStatus, RosterRole

if TYPE_CHECKING:
    from app.book import Book

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
    with book.read_session() as s:
        grid = _grid(s, start, end)
    held = [
        HeldMeeting(view(m), _figures(roster, marks, rules))
        for m, roster, marks in zip(grid.meetings, grid.rosters, grid.marks, strict=True)
    ]
    dates = [m.starts_at.date() for m in grid.meetings]
    counts = [Counter(statuses.values()) for statuses in grid.expected]
    everyone: set[str] = set()
    for statuses in grid.expected:
        everyone.update(statuses)
    members = _members(grid, everyone)
    months = tuple(
        _period(f"Tháng {mo}", *_month_bounds(y, mo), dates, counts)
        for y, mo in _months_between(start, end)
    )
    quarters = tuple(
        _period(f"Quý {QUARTER_NAMES[q - 1]}/{y}", *_quarter_bounds(y, q), dates, counts)
        for y, q in _quarters_between(start, end)
    )
    label = f"Năm {start.year}" if _is_year(start, end) else f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    total = _period(label, start, end, dates, counts)
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


@dataclass(frozen=True)
class AttendanceOverview:
    """What the home dashboard shows of the statistics: `months` and `warnings` exactly as
    `compute` gives them, without the per-member table and the per-meeting figures."""

    start: dt.date
    end: dt.date
    rules: RuleConfig
    months: tuple[PeriodAttendance, ...]
    warnings: tuple[Warning, ...]


def overview(book: Book, *, start: dt.date, end: dt.date) -> AttendanceOverview:
    """The monthly trend and the warnings over [start, end], as `compute` has them.

    Cheaper than `compute` for a large branch: only members with an absence (the only ones
    a warning can be about) get their attendance worked out."""
    rules = voting_rules.get_rules(book)
    with book.read_session() as s:
        grid = _grid(s, start, end)
    dates = [m.starts_at.date() for m in grid.meetings]
    counts = [Counter(statuses.values()) for statuses in grid.expected]
    absent = {
        member_id
        for statuses in grid.expected
        for member_id, mark in statuses.items()
        if mark not in PRESENT_STATUSES
    }
    months = tuple(
        _period(f"Tháng {mo}", *_month_bounds(y, mo), dates, counts)
        for y, mo in _months_between(start, end)
    )
    warnings = _warnings(_members(grid, absent), rules)
    return AttendanceOverview(start, end, rules, months, tuple(warnings))


def year_stats(book: Book, *, year: int) -> AttendanceStats:
    return compute(book, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))


def early_warnings(book: Book, *, today: dt.date | None = None) -> list[Warning]:
    """Members nearing (or past) the xóa tên rule or the absent-running limit, over the
    twelve months up to today."""
    today = today or dt.date.today()
    start = dt.date(today.year - 1, today.month, 1) + dt.timedelta(days=31)
    start = start.replace(day=1)
    return list(overview(book, start=start, end=today).warnings)


# --- helpers ----------------------------------------------------------------------------


def _held_in(s: Session, start: dt.date, end: dt.date) -> list[Meeting]:
    upto = min(end, dt.date.today())
    q = (
        select(Meeting)
        .where(
            Meeting.deleted_at.is_(None),
            Meeting.kind.in_(MeetingKind.branch()),
            Meeting.state.in_(("open", "closed")),
            Meeting.starts_at >= dt.datetime.combine(start, dt.time.min),
            Meeting.starts_at < dt.datetime.combine(upto + dt.timedelta(days=1), dt.time.min),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(s.scalars(q))


_EXEMPT_STATUSES = frozenset(s for s in MemberStatus if s.roster_role is RosterRole.EXEMPT)


@dataclass(frozen=True)
class _Roster:
    """A meeting's roster as the statistics need it: the people `attendance.roster` lists
    (frozen at closing, else the live list plus anyone marked), as two plain dicts keyed by
    member id. (Plain str -> str dicts: a tuple per person would be 60,000 objects for the
    garbage collector to scan in a year of a 5,000-member branch.)"""

    names: dict[str, str]  # member id -> full name
    statuses: dict[str, str]  # member id -> member status
    exempt: frozenset[str]  # exempted (miễn sinh hoạt): on the roster, never counted

    @classmethod
    def of(cls, names: dict[str, str], statuses: dict[str, str]) -> _Roster:
        exempt = frozenset(mid for mid, st in statuses.items() if st in _EXEMPT_STATUSES)
        return cls(names, statuses, exempt)


@dataclass(frozen=True)
class _Grid:
    """Every held meeting of a period with its roster and marks, read set-based."""

    meetings: list[Meeting]
    rosters: list[_Roster]
    marks: list[dict[str, str]]  # member id -> latest mark, for anyone marked
    expected: list[dict[str, str]]  # the marks that count: on the roster, not exempted
    stored_names: dict[str, str]  # member id -> full name in the register now
    stored_sort: dict[str, str]  # member id -> its stored sort key (name_sort)


def _frozen_roster(meeting: Meeting) -> _Roster | None:
    """The roster frozen at closing, read as attendance.roster reads it (no sort keys)."""
    raw = attendance.load_minutes_json(meeting.minutes_json).get(attendance.ROSTER_KEY)
    if not isinstance(raw, list):
        return None
    try:  # as meetings.close writes it: every entry complete
        names = {item["member_id"]: item["full_name"] for item in raw}
        if "" not in names and None not in names:
            return _Roster.of(names, {item["member_id"]: item["member_status"] for item in raw})
    except (KeyError, TypeError):
        pass
    entries = [item for item in raw if isinstance(item, dict) and item.get("member_id")]
    return _Roster.of(
        {str(item["member_id"]): str(item.get("full_name", "")) for item in entries},
        {
            str(item["member_id"]): str(item.get("member_status", MemberStatus.OFFICIAL.value))
            for item in entries
        },
    )


# The latest event per (meeting, member) wins: rows in (seq, time) order into a dict, later
# rows overwriting earlier ones. Run on the session's own DB-API connection (the same read
# transaction) and streamed from the cursor: with 5,000 members and 12 meetings that is
# 60,000 rows, and making SQLAlchemy Row objects (or a list of them) costs more than the
# query itself.
_LATEST_MARKS_SQL = (
    "SELECT member_id, status FROM attendance_event WHERE meeting_id = ? ORDER BY seq, recorded_at"
)


def _latest_marks(s: Session, meeting_id: str) -> dict[str, str]:
    """Member id -> status of the latest event for one meeting."""
    raw = s.connection().connection.driver_connection
    assert raw is not None
    return dict(raw.execute(_LATEST_MARKS_SQL, (meeting_id,)))


def _grid(s: Session, start: dt.date, end: dt.date) -> _Grid:
    meetings = _held_in(s, start, end)
    frozen = [_frozen_roster(m) if m.state == "closed" else None for m in meetings]
    marks = [_latest_marks(s, m.id) for m in meetings]
    stored_names: dict[str, str] = {}
    stored_sort: dict[str, str] = {}
    live: dict[bool, _Roster] = {}  # chi ủy meeting? -> its live roster
    if any(f is None for f in frozen):
        q = select(
            Member.id, Member.full_name, Member.status, Member.position, Member.name_sort
        ).where(Member.deleted_at.is_(None), Member.status.in_(tuple(voting_rules.ROSTER_ROLES)))
        statuses: dict[str, str] = {}
        positions: dict[str, str] = {}
        for mid, name, status, position, sort_key in s.connection().execute(q):
            stored_names[mid] = name
            statuses[mid] = status
            positions[mid] = position
            stored_sort[mid] = sort_key
        live[False] = _Roster.of(stored_names, statuses)
        if any(
            f is None and m.kind == MeetingKind.COMMITTEE
            for m, f in zip(meetings, frozen, strict=True)
        ):
            committee = [
                m for m, pos in positions.items() if voting_rules.is_committee_position(pos)
            ]
            live[True] = _Roster.of(
                {m: stored_names[m] for m in committee}, {m: statuses[m] for m in committee}
            )
    # Anyone marked for a meeting with a live roster is on it, whatever their status now.
    missing = sorted(
        {
            member_id
            for m, f, mk in zip(meetings, frozen, marks, strict=True)
            if f is None
            for member_id in mk.keys() - live[m.kind == MeetingKind.COMMITTEE].names.keys()
        }
    )
    extra_names: dict[str, str] = {}
    extra_statuses: dict[str, str] = {}
    for i in range(0, len(missing), 500):
        chunk = select(Member.id, Member.full_name, Member.status, Member.name_sort).where(
            Member.id.in_(missing[i : i + 500])
        )
        for mid, name, status, sort_key in s.connection().execute(chunk):
            extra_names[mid] = name
            extra_statuses[mid] = status
            stored_sort[mid] = sort_key
    stored_names = {**stored_names, **extra_names}
    rosters: list[_Roster] = []
    expected: list[dict[str, str]] = []
    for m, f, mk in zip(meetings, frozen, marks, strict=True):
        if f is not None:
            roster = f
        else:
            roster = live[m.kind == MeetingKind.COMMITTEE]
            added = [mid for mid in mk.keys() - roster.names.keys() if mid in extra_names]
            if added:
                roster = _Roster.of(
                    {**roster.names, **{mid: extra_names[mid] for mid in added}},
                    {**roster.statuses, **{mid: extra_statuses[mid] for mid in added}},
                )
        rosters.append(roster)
        # Usually every mark counts, and the dict is used as it is.
        left_out = (mk.keys() - roster.names.keys()) | (roster.exempt & mk.keys())
        expected.append(
            {mid: st for mid, st in mk.items() if mid not in left_out} if left_out else mk
        )
    return _Grid(meetings, rosters, marks, expected, stored_names, stored_sort)


def _figures(roster: _Roster, marks: dict[str, str], rules: RuleConfig) -> AttendanceFigures:
    """voting_rules.figures over the roster (one shared Participant per role and mark)."""
    tally = Counter(zip(roster.statuses.values(), map(marks.get, roster.statuses), strict=True))
    people: list[voting_rules.Participant] = []
    for (member_status, mark), n in tally.items():
        role = voting_rules.role_for(member_status) or RosterRole.OFFICIAL
        people.extend(repeat(voting_rules.Participant(role=role, status=mark), n))
    return voting_rules.figures(people, rules)


_ABSENT_RUN = re.compile(r"[eu]+")
_CODES: dict[str | None, str] = {
    AttendanceMark.PRESENT: "p",
    AttendanceMark.LATE: "l",
    AttendanceMark.EXCUSED: "e",
    AttendanceMark.UNEXCUSED: "u",
}


def _members(grid: _Grid, member_ids: set[str]) -> tuple[MemberAttendance, ...]:
    """The attendance of the given members (expected at one meeting at least), in name
    order, with name and status as the latest roster holding the member has them."""
    names: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for roster in grid.rosters:
        names.update(roster.names)
        statuses.update(roster.statuses)
    months = [m.starts_at.month for m in grid.meetings]
    lookups = [statuses.get for statuses in grid.expected]
    out: list[tuple[str, str, MemberAttendance]] = []
    for member_id in member_ids:
        seq = tuple([get(member_id) for get in lookups])
        expected = len(seq) - seq.count(None)
        present = seq.count(AttendanceMark.PRESENT)
        late = seq.count(AttendanceMark.LATE)
        excused = seq.count(AttendanceMark.EXCUSED)
        unexcused = expected - present - late - excused
        longest = run = 0
        unexcused_months: tuple[int, ...] = ()
        if excused or unexcused:
            # One letter per expected meeting; absences running are the runs of e/u.
            code = "".join(_CODES.get(mark, "u") for mark in seq if mark is not None)
            longest = max(len(r) for r in _ABSENT_RUN.findall(code))
            run = len(code) - len(code.rstrip("eu"))
            unexcused_months = tuple(
                sorted(
                    {
                        months[i]
                        for i, mark in enumerate(seq)
                        if mark is not None
                        and mark not in PRESENT_STATUSES
                        and mark != AttendanceMark.EXCUSED
                    }
                )
            )
        name, status = names[member_id], statuses[member_id]
        stored = grid.stored_sort.get(member_id)
        if stored is None or grid.stored_names.get(member_id) != name:
            stored = name_sort_key(name)  # a name as frozen at closing, since changed
        out.append(
            (
                stored,
                member_id,
                MemberAttendance(
                    member_id=member_id,
                    full_name=name,
                    member_status=status,
                    expected=expected,
                    present=present + late,
                    late=late,
                    excused=excused,
                    unexcused=unexcused,
                    longest_absent_run=longest,
                    current_absent_run=run,
                    unexcused_months=unexcused_months,
                    marks=seq,
                ),
            )
        )
    out.sort(key=lambda item: (item[0], item[1]))
    return tuple(m for _k, _id, m in out)


def _period(
    label: str,
    start: dt.date,
    end: dt.date,
    dates: Sequence[dt.date],
    counts: Sequence[Counter[str]],
) -> PeriodAttendance:
    meetings = expected = present = excused = unexcused = 0
    for day, tally in zip(dates, counts, strict=True):
        if not start <= day <= end:
            continue
        meetings += 1
        n = tally.total()
        here = sum(tally[mark] for mark in PRESENT_STATUSES)
        expected += n
        present += here
        excused += tally[AttendanceMark.EXCUSED]
        unexcused += n - here - tally[AttendanceMark.EXCUSED]
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
        if hm.meeting.kind == MeetingKind.REGULAR
    }
    thematic_quarters = {
        (hm.meeting.starts_at.year, (hm.meeting.starts_at.month - 1) // 3 + 1)
        for hm in held
        if hm.meeting.kind == MeetingKind.THEMATIC
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

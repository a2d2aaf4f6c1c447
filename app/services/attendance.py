"""The roll call (điểm danh) and absence requests (xin phép vắng họp).

Attendance is a log of append-only events: the latest event per (meeting, member) is the
member's mark. Each mark is its own transaction (committed with synchronous=FULL before the
call returns), and its outbox entry has op "append", so sync never has a conflict to merge.
A mark on a closed meeting is an amendment: it needs a reason, kept in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import (
    AbsenceRequest,
    AttendanceEvent,
    AuditEntry,
    Meeting,
    Member,
    OutboxEntry,
    new_id,
    utcnow,
)
from app.models.meeting import ATTENDANCE_STATUSES
from app.models.meeting_extra import ABSENCE_CHANNELS
from app.models.member import MEMBER_STATUSES
from app.services import changes, voting_rules
from app.services.voting_rules import (
    PRESENT_STATUSES,
    AttendanceFigures,
    Participant,
    RuleConfig,
)
from app.text import clean, name_sort_key
from app.vocab import AttendanceMark, Entity, MeetingKind, MemberStatus, RosterRole

if TYPE_CHECKING:
    from app.book import Book

ROSTER_KEY = "roster"  # minutes_json key of the roster frozen when the meeting is closed


def load_minutes_json(raw: str | None) -> dict[str, Any]:
    """A meeting's minutes_json as a dict ({} when empty or unreadable)."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class RosterMember:
    """Who is on a meeting's roster, as recorded (frozen at closing)."""

    member_id: str
    full_name: str
    member_status: str
    position: str
    name_sort: str

    @property
    def role(self) -> str:
        return voting_rules.role_for(self.member_status) or RosterRole.OFFICIAL

    def to_json(self) -> dict[str, str]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "member_status": self.member_status,
            "position": self.position,
        }


@dataclass(frozen=True)
class RosterRow:
    """One line of the roll call."""

    member_id: str
    full_name: str
    member_status: str
    role: str
    position: str
    status: str | None  # present | late | excused | unexcused, or None (not marked yet)
    reason: str
    marked_at: dt.datetime | None
    request_reason: str  # from an absence request, to pre-fill "absent with reason"
    request_channel: str

    @property
    def status_label(self) -> str:
        return ATTENDANCE_STATUSES.get(self.status or "", "Chưa điểm danh")

    @property
    def role_label(self) -> str:
        return RosterRole(self.role).label

    @property
    def member_status_label(self) -> str:
        return MEMBER_STATUSES.get(self.member_status, self.member_status)

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT_STATUSES

    @property
    def has_request(self) -> bool:
        return bool(self.request_reason or self.request_channel)

    def participant(self) -> Participant:
        return Participant(role=self.role, status=self.status)

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "member_status": self.member_status,
            "role": self.role,
            "status": self.status,
            "status_label": self.status_label,
            "reason": self.reason,
            "marked_at": self.marked_at.isoformat(timespec="seconds") if self.marked_at else None,
            "request_reason": self.request_reason,
            "request_channel": self.request_channel,
        }


@dataclass(frozen=True)
class RollCall:
    meeting_id: str
    meeting_kind: str
    meeting_state: str
    rows: tuple[RosterRow, ...]
    figures: AttendanceFigures
    rules: RuleConfig

    def row(self, member_id: str) -> RosterRow | None:
        for r in self.rows:
            if r.member_id == member_id:
                return r
        return None


@dataclass(frozen=True)
class Mark:
    """A mark as stored."""

    id: str
    meeting_id: str
    member_id: str
    status: str
    reason: str
    recorded_at: dt.datetime
    seq: int


@dataclass(frozen=True)
class MarkInput:
    member_id: str
    status: str
    reason: str = ""


@dataclass(frozen=True)
class AbsenceRequestView:
    id: str
    meeting_id: str
    member_id: str
    member_name: str
    reason: str
    channel: str
    received_at: dt.datetime
    notes: str

    @property
    def channel_label(self) -> str:
        return ABSENCE_CHANNELS.get(self.channel, self.channel)


# --- reading ----------------------------------------------------------------------------


def meeting_row(s: Session, meeting_id: str) -> Meeting:
    row = s.get(Meeting, meeting_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy cuộc họp có mã {meeting_id}.")
    return row


def _frozen_roster(meeting: Meeting) -> list[RosterMember] | None:
    data = load_minutes_json(meeting.minutes_json)
    raw = data.get(ROSTER_KEY)
    if not isinstance(raw, list):
        return None
    out: list[RosterMember] = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("member_id"):
            continue
        name = str(item.get("full_name", ""))
        out.append(
            RosterMember(
                member_id=str(item["member_id"]),
                full_name=name,
                member_status=str(item.get("member_status", MemberStatus.OFFICIAL.value)),
                position=str(item.get("position", "")),
                name_sort=name_sort_key(name),
            )
        )
    return out


class _MeetingLike(Protocol):
    """What the marking code reads of a meeting (an ORM row or a `_MeetingHead`)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime: ...


@dataclass(frozen=True)
class _MemberRow:
    """The member columns the roll call and a mark need, read as a plain row."""

    id: str
    full_name: str
    status: str
    position: str
    name_sort: str
    deleted_at: dt.datetime | None


_MEMBER_COLUMNS = (
    Member.id,
    Member.full_name,
    Member.status,
    Member.position,
    Member.name_sort,
    Member.deleted_at,
)


# Built once: a mark runs these on every click (building a statement costs more than
# running it).
_MEMBER_BY_ID = select(*_MEMBER_COLUMNS).where(Member.id == bindparam("member_id"))


def _member_row(s: Session, member_id: str) -> _MemberRow | None:
    row = s.execute(_MEMBER_BY_ID, {"member_id": member_id}).first()
    return _MemberRow(*row) if row is not None else None


def _member_rows(s: Session, member_ids: Iterable[str]) -> dict[str, _MemberRow]:
    ids = sorted(set(member_ids))
    out: dict[str, _MemberRow] = {}
    for start in range(0, len(ids), 500):
        q = select(*_MEMBER_COLUMNS).where(Member.id.in_(ids[start : start + 500]))
        out.update((r[0], _MemberRow(*r)) for r in s.execute(q))
    return out


def _eligible(meeting: _MeetingLike, member: _MemberRow) -> bool:
    if member.deleted_at is not None or voting_rules.role_for(member.status) is None:
        return False
    return meeting.kind != MeetingKind.COMMITTEE or voting_rules.is_committee_position(
        member.position
    )


def roster(s: Session, meeting: Meeting) -> list[RosterMember]:
    """The roster: frozen at closing, else the branch's live list (the chi ủy alone for a
    chi ủy meeting) plus anyone already marked for this meeting."""
    frozen = _frozen_roster(meeting) if meeting.state == "closed" else None
    if frozen is not None:
        return sorted(frozen, key=lambda m: (m.name_sort, m.member_id))
    q = select(*_MEMBER_COLUMNS).where(
        Member.deleted_at.is_(None), Member.status.in_(tuple(voting_rules.ROSTER_ROLES))
    )
    members = {m.id: m for m in (_MemberRow(*r) for r in s.execute(q)) if _eligible(meeting, m)}
    marked = set(
        s.scalars(
            select(AttendanceEvent.member_id)
            .where(AttendanceEvent.meeting_id == meeting.id)
            .distinct()
        )
    )
    missing = marked - members.keys()
    if missing:
        members.update(_member_rows(s, missing))
    out = [
        RosterMember(
            member_id=m.id,
            full_name=m.full_name,
            member_status=m.status,
            position=m.position,
            name_sort=m.name_sort,
        )
        for m in members.values()
    ]
    return sorted(out, key=lambda m: (m.name_sort, m.member_id))


def latest_marks(s: Session, meeting_ids: Iterable[str]) -> dict[tuple[str, str], AttendanceEvent]:
    """The latest event per (meeting, member) for the given meetings."""
    ids = list(meeting_ids)
    out: dict[tuple[str, str], AttendanceEvent] = {}
    if not ids:
        return out
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        q = (
            select(AttendanceEvent)
            .where(AttendanceEvent.meeting_id.in_(chunk))
            .order_by(AttendanceEvent.seq, AttendanceEvent.recorded_at)
        )
        for ev in s.scalars(q):
            out[(ev.meeting_id, ev.member_id)] = ev
    return out


@dataclass(frozen=True)
class _Latest:
    status: str
    reason: str
    recorded_at: dt.datetime


def _latest(s: Session, meeting_id: str) -> dict[str, _Latest]:
    """Member id -> the latest event of one meeting, as plain rows (later rows overwrite)."""
    q = (
        select(
            AttendanceEvent.member_id,
            AttendanceEvent.status,
            AttendanceEvent.reason,
            AttendanceEvent.recorded_at,
        )
        .where(AttendanceEvent.meeting_id == meeting_id)
        .order_by(AttendanceEvent.seq, AttendanceEvent.recorded_at)
    )
    return {member_id: _Latest(st, why, at) for member_id, st, why, at in s.execute(q)}


def _requests(s: Session, meeting_id: str) -> dict[str, AbsenceRequest]:
    q = (
        select(AbsenceRequest)
        .where(AbsenceRequest.meeting_id == meeting_id, AbsenceRequest.deleted_at.is_(None))
        .order_by(AbsenceRequest.received_at)
    )
    return {r.member_id: r for r in s.scalars(q)}


def roll_call_in(s: Session, meeting: Meeting, rules: RuleConfig) -> RollCall:
    marks = _latest(s, meeting.id)
    requests = _requests(s, meeting.id)
    rows: list[RosterRow] = []
    for m in roster(s, meeting):
        ev = marks.get(m.member_id)
        req = requests.get(m.member_id)
        rows.append(
            RosterRow(
                member_id=m.member_id,
                full_name=m.full_name,
                member_status=m.member_status,
                role=m.role,
                position=m.position,
                status=ev.status if ev else None,
                reason=ev.reason if ev else "",
                marked_at=ev.recorded_at if ev else None,
                request_reason=req.reason if req else "",
                request_channel=req.channel if req else "",
            )
        )
    return RollCall(
        meeting_id=meeting.id,
        meeting_kind=meeting.kind,
        meeting_state=meeting.state,
        rows=tuple(rows),
        figures=voting_rules.figures((r.participant() for r in rows), rules),
        rules=rules,
    )


def roll_call(book: Book, *, meeting_id: str) -> RollCall:
    """The roster with each member's mark and the live figures."""
    rules = voting_rules.get_rules(book)
    with book.read_session() as s:
        return roll_call_in(s, meeting_row(s, meeting_id), rules)


def recount(rows: Iterable[RosterRow], rules: RuleConfig) -> AttendanceFigures:
    """Figures for rows the UI holds (after a click), without reading the book."""
    return voting_rules.figures((r.participant() for r in rows), rules)


# --- marking ----------------------------------------------------------------------------


def _check_status(status: str) -> str:
    status = clean(status).lower()
    if status not in ATTENDANCE_STATUSES:
        allowed = ", ".join(f"{k} ({v})" for k, v in ATTENDANCE_STATUSES.items())
        raise ValidationError(
            f"Trạng thái điểm danh không hợp lệ: “{status}”. Chọn một trong: {allowed}.",
            field="status",
        )
    return status


def _frozen_ids(meeting: Meeting) -> set[str] | None:
    """Who was on the roster frozen at closing (None: no frozen roster)."""
    raw = load_minutes_json(meeting.minutes_json).get(ROSTER_KEY)
    if not isinstance(raw, list):
        return None
    return {
        str(item["member_id"]) for item in raw if isinstance(item, dict) and item.get("member_id")
    }


def _check_member(
    s: Session,
    meeting: _MeetingLike,
    member_id: str,
    member: _MemberRow | None,
    frozen: set[str] | None,
) -> _MemberRow:
    """`member` as read for `member_id` (None: no such row); `frozen` is the closed
    meeting's frozen roster (`_frozen_ids`)."""
    if member is None or member.deleted_at is not None:
        raise ValidationError(
            f"Đảng viên có mã {member_id} không có trong danh sách chi bộ.", field="member_id"
        )
    if meeting.state == "closed":
        if frozen is not None and member_id not in frozen:
            raise ValidationError(
                f"Đồng chí {member.full_name} không có trong danh sách của cuộc họp này "
                "khi biên bản được thông qua.",
                field="member_id",
            )
        return member
    if not _eligible(meeting, member):
        already = s.scalar(
            select(AttendanceEvent.id)
            .where(AttendanceEvent.meeting_id == meeting.id, AttendanceEvent.member_id == member_id)
            .limit(1)
        )
        if already is None:
            if meeting.kind == MeetingKind.COMMITTEE and voting_rules.role_for(member.status):
                raise ValidationError(
                    f"Đồng chí {member.full_name} không phải chi ủy viên nên không có trong "
                    "danh sách họp chi ủy.",
                    field="member_id",
                )
            label = MEMBER_STATUSES.get(member.status, member.status)
            raise ValidationError(
                f"Đồng chí {member.full_name} không thuộc danh sách sinh hoạt của chi bộ "
                f"(trạng thái: {label}).",
                field="member_id",
            )
    return member


def _open_meeting(s: Session, meeting: Meeting, actor: str) -> None:
    """The first mark starts the meeting (draft → open)."""
    if meeting.state != "draft":
        return
    meeting.state = "open"
    changes.update(
        s,
        meeting,
        actor=actor,
        entity=Entity.MEETING,
        summary="Bắt đầu điểm danh cuộc họp",
        delta={"state": ["draft", "open"]},
    )


def _next_seq(s: Session, meeting_id: str) -> int:
    current = s.scalar(
        select(func.max(AttendanceEvent.seq)).where(AttendanceEvent.meeting_id == meeting_id)
    )
    return int(current or 0) + 1


@dataclass(frozen=True)
class _MeetingHead:
    """What a mark reads of its meeting, with the last seq, in one small query."""

    id: str
    kind: str
    state: str
    starts_at: dt.datetime
    last_seq: int


_MEETING_HEAD = select(
    Meeting.kind,
    Meeting.state,
    Meeting.starts_at,
    select(func.coalesce(func.max(AttendanceEvent.seq), 0))
    .where(AttendanceEvent.meeting_id == bindparam("meeting_id"))
    .scalar_subquery(),
).where(Meeting.id == bindparam("meeting_id"), Meeting.deleted_at.is_(None))


def _meeting_head(s: Session, meeting_id: str) -> _MeetingHead:
    row = s.execute(_MEETING_HEAD, {"meeting_id": meeting_id}).first()
    if row is None:
        raise NotFoundError(f"Không tìm thấy cuộc họp có mã {meeting_id}.")
    return _MeetingHead(meeting_id, row[0], row[1], row[2], int(row[3]))


class _Rows:
    """Collects the rows of a write (the event, and the audit and outbox entries made by
    `changes.append`) and inserts them with one statement per table: no unit-of-work
    flush for rows that are only ever inserted."""

    def __init__(self) -> None:
        self.added: list[Any] = []

    def add(self, obj: Any) -> None:
        self.added.append(obj)

    def write(self, s: Session) -> None:
        conn = s.connection()
        for model in (AttendanceEvent, AuditEntry, OutboxEntry):
            rows = [
                {k: v for k, v in vars(o).items() if not k.startswith("_")}
                for o in self.added
                if isinstance(o, model)
            ]
            if rows:
                conn.execute(insert(model), rows)
        self.added.clear()


def _append(
    out: _Rows,
    *,
    actor: str,
    meeting: _MeetingLike,
    member: _MemberRow,
    status: str,
    reason: str,
    seq: int,
    amend_reason: str,
    previous: str | None,
) -> AttendanceEvent:
    ev = AttendanceEvent(
        id=new_id(),  # set now: the audit and outbox entries below name it
        meeting_id=meeting.id,
        member_id=member.id,
        status=status,
        reason=reason,
        recorded_at=utcnow(),
        seq=seq,
    )
    out.add(ev)
    label = ATTENDANCE_STATUSES[status]
    when = f"{meeting.starts_at:%d/%m/%Y}"
    amended = meeting.state == "closed"
    changes.append(
        cast(Session, out),
        actor=actor,
        action="amend" if amended else "create",
        entity=Entity.ATTENDANCE_EVENT,
        entity_id=ev.id,
        summary=(
            f"{'Đính chính điểm danh' if amended else 'Điểm danh'} họp ngày {when}: "
            f"{member.full_name} — {label}" + (f" ({reason})" if reason else "")
        ),
        changes={
            "meeting_id": [None, meeting.id],
            "member_id": [None, member.id],
            "status": [previous, status],
            **({"reason": [None, reason]} if reason else {}),
        },
        reason=amend_reason,
        fields=ev.sync_fields(),
    )
    return ev


def _require_amend_reason(meeting: _MeetingLike, amend_reason: str) -> str:
    amend_reason = clean(amend_reason)
    if meeting.state == "closed" and not amend_reason:
        raise ValidationError(
            "Cuộc họp đã kết thúc và biên bản đã được thông qua. Muốn sửa điểm danh, hãy ghi "
            "lý do đính chính; thay đổi sẽ được lưu trong nhật ký.",
            field="amend_reason",
        )
    return amend_reason


def _previous_status(s: Session, meeting_id: str, member_id: str) -> str | None:
    return s.scalar(
        select(AttendanceEvent.status)
        .where(AttendanceEvent.meeting_id == meeting_id, AttendanceEvent.member_id == member_id)
        .order_by(AttendanceEvent.seq.desc(), AttendanceEvent.recorded_at.desc())
        .limit(1)
    )


def _request_reason(s: Session, meeting_id: str, member_id: str) -> str:
    """The reason of the member's absence request for the meeting (the latest received)."""
    reason = s.scalar(
        select(AbsenceRequest.reason)
        .where(
            AbsenceRequest.meeting_id == meeting_id,
            AbsenceRequest.member_id == member_id,
            AbsenceRequest.deleted_at.is_(None),
        )
        .order_by(AbsenceRequest.received_at.desc())
        .limit(1)
    )
    return reason or ""


def mark(
    book: Book,
    *,
    meeting_id: str,
    member_id: str,
    status: str,
    reason: str = "",
    amend_reason: str = "",
) -> Mark:
    """Record one mark, durably, before returning.

    The click-to-commit path: two small reads (the meeting with its last seq, the member)
    and three inserts in one transaction. The ORM meeting row is loaded only to open a
    draft meeting or to check a closed meeting's frozen roster."""
    status = _check_status(status)
    reason = clean(reason)
    with book.session() as s:
        head = _meeting_head(s, meeting_id)
        amend_reason = _require_amend_reason(head, amend_reason)
        frozen: set[str] | None = None
        if head.state == "closed":
            frozen = _frozen_ids(meeting_row(s, meeting_id))
        member = _check_member(s, head, member_id, _member_row(s, member_id), frozen)
        previous = _previous_status(s, head.id, member.id) if head.state == "closed" else None
        if status == AttendanceMark.EXCUSED and not reason:
            reason = _request_reason(s, head.id, member.id)
        if head.state == "draft":
            _open_meeting(s, meeting_row(s, meeting_id), book.actor)
            s.flush()  # the meeting's entries first, as before
        out = _Rows()
        ev = _append(
            out,
            actor=book.actor,
            meeting=head,
            member=member,
            status=status,
            reason=reason,
            seq=head.last_seq + 1,
            amend_reason=amend_reason,
            previous=previous,
        )
        out.write(s)
        return Mark(
            id=ev.id,
            meeting_id=ev.meeting_id,
            member_id=ev.member_id,
            status=ev.status,
            reason=ev.reason,
            recorded_at=ev.recorded_at,
            seq=ev.seq,
        )


def mark_many(
    book: Book, *, meeting_id: str, marks: Sequence[MarkInput], amend_reason: str = ""
) -> int:
    """Several marks in one transaction (a paper sign-in sheet entered afterwards).

    All or nothing: one bad line stops the whole batch with its message."""
    checked = [MarkInput(m.member_id, _check_status(m.status), clean(m.reason)) for m in marks]
    with book.session() as s:
        meeting = meeting_row(s, meeting_id)
        amend_reason = _require_amend_reason(meeting, amend_reason)
        current = _latest(s, meeting.id)
        requests = _requests(s, meeting.id)
        seq = _next_seq(s, meeting.id)
        frozen = _frozen_ids(meeting) if meeting.state == "closed" else None
        people = _member_rows(s, (m.member_id for m in checked))
        written = 0
        _open_meeting(s, meeting, book.actor)
        s.flush()  # the meeting's entries first, as before
        out = _Rows()
        for item in checked:
            member = _check_member(s, meeting, item.member_id, people.get(item.member_id), frozen)
            prev = current.get(member.id)
            reason = item.reason
            if item.status == AttendanceMark.EXCUSED and not reason and member.id in requests:
                reason = requests[member.id].reason
            if prev is not None and prev.status == item.status and prev.reason == reason:
                continue  # nothing new to say
            _append(
                out,
                actor=book.actor,
                meeting=meeting,
                member=member,
                status=item.status,
                reason=reason,
                seq=seq,
                amend_reason=amend_reason,
                previous=prev.status if prev else None,
            )
            seq += 1
            written += 1
        out.write(s)
        return written


def mark_remaining_present(book: Book, *, meeting_id: str) -> int:
    """“Đánh dấu tất cả còn lại có mặt”: everyone expected and not yet marked → present."""
    with book.read_session() as s:
        meeting = meeting_row(s, meeting_id)
        if meeting.state == "closed":
            raise ValidationError(
                "Cuộc họp đã kết thúc; không thể đánh dấu hàng loạt. Hãy đính chính từng người "
                "kèm lý do.",
                field="meeting_id",
            )
        call = roll_call_in(s, meeting, RuleConfig())
    remaining = [
        MarkInput(r.member_id, AttendanceMark.PRESENT)
        for r in call.rows
        if r.status is None and r.role != RosterRole.EXEMPT
    ]
    if not remaining:
        return 0
    return mark_many(book, meeting_id=meeting_id, marks=remaining)


# --- absence requests -------------------------------------------------------------------


def _request_view(r: AbsenceRequest, name: str) -> AbsenceRequestView:
    return AbsenceRequestView(
        id=r.id,
        meeting_id=r.meeting_id,
        member_id=r.member_id,
        member_name=name,
        reason=r.reason,
        channel=r.channel,
        received_at=r.received_at,
        notes=r.notes,
    )


def request_absence(
    book: Book,
    *,
    meeting_id: str,
    member_id: str,
    reason: str,
    channel: str = "truc_tiep",
    received_at: dt.datetime | None = None,
    notes: str = "",
) -> AbsenceRequestView:
    """Record a request to be excused (báo cáo xin phép vắng họp)."""
    reason = clean(reason)
    channel = clean(channel).lower()
    if not reason:
        raise ValidationError("Vui lòng ghi lý do xin vắng họp.", field="reason")
    if channel not in ABSENCE_CHANNELS:
        allowed = ", ".join(f"{k} ({v})" for k, v in ABSENCE_CHANNELS.items())
        raise ValidationError(
            f"Hình thức xin phép không hợp lệ: “{channel}”. Chọn một trong: {allowed}.",
            field="channel",
        )
    with book.session() as s:
        meeting = meeting_row(s, meeting_id)
        if meeting.state == "closed":
            raise ValidationError(
                "Cuộc họp đã kết thúc; không nhận thêm đơn xin vắng. Nếu cần, hãy đính chính "
                "điểm danh kèm lý do.",
                field="meeting_id",
            )
        member = _check_member(s, meeting, member_id, _member_row(s, member_id), None)
        existing = _requests(s, meeting.id).get(member.id)
        if existing is not None:
            before = existing.sync_fields()
            existing.reason = reason
            existing.channel = channel
            existing.notes = clean(notes)
            if received_at is not None:
                existing.received_at = received_at
            changes.update(
                s,
                existing,
                actor=book.actor,
                entity=Entity.ABSENCE_REQUEST,
                summary=f"Sửa đơn xin vắng họp của {member.full_name}",
                delta=changes.diff(before, existing.sync_fields()),
            )
            return _request_view(existing, member.full_name)
        row = AbsenceRequest(
            meeting_id=meeting.id,
            member_id=member.id,
            reason=reason,
            channel=channel,
            received_at=received_at or dt.datetime.now().replace(microsecond=0),
            notes=clean(notes),
            version=1,
        )
        s.add(row)
        s.flush()
        changes.create(
            s,
            row,
            actor=book.actor,
            entity=Entity.ABSENCE_REQUEST,
            summary=(
                f"Nhận đơn xin vắng họp ngày {meeting.starts_at:%d/%m/%Y} của "
                f"{member.full_name} ({ABSENCE_CHANNELS[channel]}): {reason}"
            ),
        )
        return _request_view(row, member.full_name)


def withdraw_request(book: Book, *, request_id: str, reason: str = "") -> None:
    with book.session() as s:
        row = s.get(AbsenceRequest, request_id)
        if row is None or row.deleted_at is not None:
            raise NotFoundError("Không tìm thấy đơn xin vắng họp này.")
        member = s.get(Member, row.member_id)
        changes.tombstone(
            s,
            row,
            actor=book.actor,
            entity=Entity.ABSENCE_REQUEST,
            summary=f"Hủy đơn xin vắng họp của {member.full_name if member else row.member_id}",
            reason=clean(reason),
        )


def list_requests(book: Book, *, meeting_id: str) -> list[AbsenceRequestView]:
    with book.read_session() as s:
        meeting_row(s, meeting_id)
        q = (
            select(AbsenceRequest, Member.full_name)
            .join(Member, Member.id == AbsenceRequest.member_id)
            .where(AbsenceRequest.meeting_id == meeting_id, AbsenceRequest.deleted_at.is_(None))
            .order_by(Member.name_sort)
        )
        return [_request_view(r, name) for r, name in s.execute(q).all()]

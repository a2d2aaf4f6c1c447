"""Branch meetings: calling them, the agenda, the minutes, closing, documents sent with them.

Before closing, a meeting is edited freely (each change audited). Once the minutes are
adopted the meeting is closed and its roster frozen; any later change is an amendment that
needs a reason, kept in the audit trail (action "amend"), never a silent edit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ConflictError, KnownError, NotFoundError, ValidationError
from app.models import Document, Meeting, MeetingDocument, utcnow
from app.models.document import DOCUMENT_TYPES
from app.models.meeting import MEETING_KINDS, MEETING_STATES
from app.services import attendance, changes, voting_rules
from app.text import clean
from app.vocab import Entity, MeetingKind, RosterRole

if TYPE_CHECKING:
    from app.book import Book

# A meeting further than this from today is almost surely a typing slip in the year.
MAX_PAST_YEARS = 5
MAX_FUTURE_YEARS = 2

# Standard agenda of a regular branch meeting (HD 09-HD/BTCTW; HD 12-HD/BTCTW).
STANDARD_AGENDA: tuple[str, ...] = (
    "Khai mạc: báo cáo số đảng viên có mặt, vắng mặt; thu đảng phí; thông qua chương trình; "
    "cử thư ký",
    "Thông tin thời sự; phổ biến văn bản mới của cấp trên",
    "Đánh giá kết quả thực hiện nhiệm vụ tháng trước",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Phản ánh ý kiến, kiến nghị của nhân dân",
    "Phương hướng, nhiệm vụ tháng tới",
    "Thảo luận, biểu quyết thông qua nghị quyết",
)
CHI_UY_AGENDA: tuple[str, ...] = (
    "Khai mạc: báo cáo số chi ủy viên có mặt; thông qua chương trình; cử thư ký",
    "Đánh giá kết quả lãnh đạo thực hiện nhiệm vụ tháng trước",
    "Chuẩn bị nội dung sinh hoạt chi bộ thường kỳ",
    "Phương hướng, nhiệm vụ tháng tới; phân công chi ủy viên",
    "Kết luận của đồng chí chủ trì",
)
BAT_THUONG_AGENDA: tuple[str, ...] = (
    "Khai mạc: báo cáo số đảng viên có mặt; thông qua chương trình; cử thư ký",
    "Nội dung cần giải quyết",
    "Thảo luận",
    "Biểu quyết; kết luận của đồng chí chủ trì",
)


def standard_agenda(kind: str, topic: str = "") -> list[str]:
    """The agenda pre-filled for a new meeting of this kind (editable afterwards)."""
    if kind == MeetingKind.THEMATIC:
        subject = clean(topic) or "(chủ đề)"
        return [
            "Khai mạc: báo cáo số đảng viên có mặt, vắng mặt; thông qua chương trình; cử thư ký",
            f"Trình bày báo cáo chuyên đề: {subject}",
            "Đảng viên thảo luận, liên hệ bản thân",
            "Kết luận của đồng chí chủ trì; biểu quyết thông qua",
        ]
    if kind == MeetingKind.COMMITTEE:
        return list(CHI_UY_AGENDA)
    if kind == MeetingKind.EXTRAORDINARY:
        return list(BAT_THUONG_AGENDA)
    return list(STANDARD_AGENDA)


# --- views ------------------------------------------------------------------------------


@dataclass
class MeetingInput:
    """What the meeting form or the CLI supplies."""

    kind: str
    starts_at: dt.datetime
    place: str
    topic: str = ""
    chair_name: str = ""
    secretary_name: str = ""
    guests: str = ""  # one guest per line
    agenda: list[str] | None = None  # None: the standard agenda for the kind
    ends_at: dt.datetime | None = None


@dataclass(frozen=True)
class MeetingView:
    id: str
    kind: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    chair_name: str
    secretary_name: str
    guests: str
    agenda: tuple[str, ...]
    state: str
    closed_at: dt.datetime | None
    version: int

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def state_label(self) -> str:
        return MEETING_STATES.get(self.state, self.state)

    @property
    def is_closed(self) -> bool:
        return self.state == "closed"

    @property
    def guest_list(self) -> list[str]:
        return [g for g in (clean(line) for line in self.guests.splitlines()) if g]

    @property
    def title(self) -> str:
        """“Sinh hoạt chi bộ thường kỳ tháng 11 năm 2025”."""
        month = f"tháng {self.starts_at.month} năm {self.starts_at.year}"
        if self.kind == MeetingKind.THEMATIC and self.topic:
            return f"Sinh hoạt chuyên đề “{self.topic}” {month}"
        return f"{self.kind_label} {month}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "topic": self.topic,
            "starts_at": self.starts_at.isoformat(timespec="minutes"),
            "ends_at": self.ends_at.isoformat(timespec="minutes") if self.ends_at else None,
            "place": self.place,
            "chair_name": self.chair_name,
            "secretary_name": self.secretary_name,
            "guests": self.guest_list,
            "agenda": list(self.agenda),
            "state": self.state,
            "state_label": self.state_label,
            "closed_at": self.closed_at.isoformat(timespec="seconds") if self.closed_at else None,
            "version": self.version,
        }


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting in the list, with its roll-call figures."""

    meeting: MeetingView
    expected: int
    present: int
    marked: int
    documents: int


@dataclass(frozen=True)
class DiscussionEntry:
    speaker: str
    text: str


@dataclass(frozen=True)
class MinutesSection:
    title: str
    content: str = ""
    discussion: tuple[DiscussionEntry, ...] = ()
    conclusion: str = ""


@dataclass(frozen=True)
class VoteRecord:
    subject: str
    in_favour: int
    against: int = 0
    abstain: int = 0
    kind: str = voting_rules.VoteKind.RESOLUTION.value  # app.services.voting_rules.VoteKind


@dataclass(frozen=True)
class Minutes:
    """The minutes as the secretary writes them (roll call and roster live elsewhere)."""

    number: str = ""  # "05-BB/CB"
    sections: tuple[MinutesSection, ...] = ()
    conclusion: str = ""  # the chair's conclusion over the whole meeting
    votes: tuple[VoteRecord, ...] = ()
    ends_at: dt.datetime | None = None
    adopted_at: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "sections": [
                {
                    "title": sec.title,
                    "content": sec.content,
                    "discussion": [{"speaker": d.speaker, "text": d.text} for d in sec.discussion],
                    "conclusion": sec.conclusion,
                }
                for sec in self.sections
            ],
            "conclusion": self.conclusion,
            "votes": [
                {
                    "subject": v.subject,
                    "in_favour": v.in_favour,
                    "against": v.against,
                    "abstain": v.abstain,
                    "kind": v.kind,
                }
                for v in self.votes
            ],
            "ends_at": self.ends_at.isoformat(timespec="minutes") if self.ends_at else None,
            "adopted_at": self.adopted_at.isoformat(timespec="seconds")
            if self.adopted_at
            else None,
        }


@dataclass(frozen=True)
class AttachedDocument:
    document_id: str
    number: str
    doc_type: str
    title: str
    issuer: str
    issued_on: dt.date | None
    position: int

    @property
    def type_label(self) -> str:
        return DOCUMENT_TYPES.get(self.doc_type, self.doc_type)


def view(row: Meeting) -> MeetingView:
    try:
        agenda = json.loads(row.agenda_json or "[]")
    except ValueError:
        agenda = []
    if not isinstance(agenda, list):
        agenda = []
    return MeetingView(
        id=row.id,
        kind=row.kind,
        topic=row.topic,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        place=row.place,
        chair_name=row.chair_name,
        secretary_name=row.secretary_name,
        guests=row.guests,
        agenda=tuple(str(a) for a in agenda),
        state=row.state,
        closed_at=row.closed_at,
        version=row.version,
    )


# --- validation -------------------------------------------------------------------------


def _normalise(data: MeetingInput, *, today: dt.date | None = None) -> MeetingInput:
    kind = clean(data.kind).lower()
    if kind not in MEETING_KINDS:
        allowed = ", ".join(f"{k} ({v})" for k, v in MEETING_KINDS.items())
        raise ValidationError(
            f"Loại cuộc họp không hợp lệ: “{kind}”. Chọn một trong: {allowed}.", field="kind"
        )
    data.kind = kind
    data.place = clean(data.place)
    if not data.place:
        raise ValidationError("Vui lòng nhập địa điểm họp.", field="place")
    data.topic = clean(data.topic)
    if kind == MeetingKind.THEMATIC and not data.topic:
        raise ValidationError("Sinh hoạt chuyên đề cần có chủ đề.", field="topic")
    data.chair_name = clean(data.chair_name)
    data.secretary_name = clean(data.secretary_name)
    lines = [clean(line) for line in (data.guests or "").splitlines()]
    data.guests = "\n".join(line for line in lines if line)
    if data.agenda is None:
        data.agenda = standard_agenda(kind, data.topic)
    data.agenda = [a for a in (clean(item) for item in data.agenda) if a]
    data.starts_at = data.starts_at.replace(second=0, microsecond=0, tzinfo=None)
    today = today or dt.date.today()
    year_gap = data.starts_at.year - today.year
    low = dt.date(today.year - MAX_PAST_YEARS, 1, 1)
    high = dt.date(today.year + MAX_FUTURE_YEARS, 12, 31)
    if not low <= data.starts_at.date() <= high:
        direction = "sau" if year_gap > 0 else "trước"
        raise ValidationError(
            f"Ngày họp {data.starts_at:%d/%m/%Y} {direction} hôm nay tới {abs(year_gap)} năm"
            f" — có lẽ năm bị gõ nhầm. Chỉ nhận cuộc họp từ năm {low.year} đến năm {high.year}.",
            field="starts_at",
        )
    if data.ends_at is not None:
        data.ends_at = data.ends_at.replace(second=0, microsecond=0, tzinfo=None)
        _check_end(data.starts_at, data.ends_at)
    return data


def _check_end(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(
            f"Giờ kết thúc ({ends_at:%H:%M %d/%m/%Y}) phải sau giờ bắt đầu "
            f"({starts_at:%H:%M %d/%m/%Y}).",
            field="ends_at",
        )
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ValidationError(
            "Cuộc họp kéo dài quá 24 giờ; vui lòng kiểm tra lại giờ kết thúc.", field="ends_at"
        )


# A meeting whose closing time is not recorded yet is taken to last this long.
ASSUMED_HOURS = 2
ASSUMED_LENGTH = dt.timedelta(hours=ASSUMED_HOURS)


def _assumed_end(
    kind: str, starts_at: dt.datetime, ends_at: dt.datetime | None, against: tuple[str, dt.datetime]
) -> tuple[dt.datetime, bool]:
    """When a meeting ends, for the clash check against another (kind, start): its recorded
    end, else ASSUMED_LENGTH after it starts — except that a chi ủy meeting with no recorded
    end may be held right before a chi bộ meeting (it ends when that one begins)."""
    if ends_at is not None:
        return ends_at, False
    end = starts_at + ASSUMED_LENGTH
    other_kind, other_start = against
    if (
        kind == MeetingKind.COMMITTEE
        and other_kind != MeetingKind.COMMITTEE
        and starts_at < other_start < end
    ):
        return other_start, True
    return end, True


def _clock(when: dt.datetime, day: dt.date) -> str:
    return f"{when:%H:%M}" if when.date() == day else f"{when:%H:%M %d/%m/%Y}"


def _check_clash(s: Session, data: MeetingInput, meeting_id: str | None) -> None:
    """Two meetings cannot overlap (one with no recorded end lasts ASSUMED_LENGTH; a chi ủy
    meeting may end right when the chi bộ meeting begins), and there is one regular meeting
    (thường kỳ) a month (Điều lệ Đảng, Điều 24)."""
    day_start = dt.datetime.combine(data.starts_at.date(), dt.time.min)
    q = select(Meeting).where(
        Meeting.deleted_at.is_(None),
        Meeting.starts_at >= day_start - dt.timedelta(days=1),
        Meeting.starts_at < day_start + dt.timedelta(days=2),
    )
    if meeting_id:
        q = q.where(Meeting.id != meeting_id)
    for other in s.scalars(q.order_by(Meeting.starts_at)):
        mine_end, mine_assumed = _assumed_end(
            data.kind, data.starts_at, data.ends_at, (other.kind, other.starts_at)
        )
        other_end, other_assumed = _assumed_end(
            other.kind, other.starts_at, other.ends_at, (data.kind, data.starts_at)
        )
        if data.starts_at < other_end and other.starts_at < mine_end:
            day = other.starts_at.date()
            note = (
                f" (cuộc họp chưa ghi giờ kết thúc được tính là kéo dài {ASSUMED_HOURS} giờ)"
                if mine_assumed or other_assumed
                else ""
            )
            raise ConflictError(
                f"Trùng giờ với cuộc họp “{view(other).title}” từ {_clock(other.starts_at, day)}"
                f" đến {_clock(other_end, day)} ngày {day:%d/%m/%Y} tại {other.place}{note}. "
                "Hai cuộc họp không thể diễn ra cùng lúc; vui lòng chọn giờ khác."
            )
    if data.kind == MeetingKind.REGULAR:
        _check_one_regular_meeting_a_month(s, data, meeting_id)


def _check_one_regular_meeting_a_month(
    s: Session, data: MeetingInput, meeting_id: str | None
) -> None:
    first = data.starts_at.replace(day=1, hour=0, minute=0)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    q = select(Meeting).where(
        Meeting.deleted_at.is_(None),
        Meeting.kind == MeetingKind.REGULAR,
        Meeting.starts_at >= first,
        Meeting.starts_at < after,
    )
    if meeting_id:
        q = q.where(Meeting.id != meeting_id)
    other = s.scalars(q.order_by(Meeting.starts_at)).first()
    if other is not None:
        raise ConflictError(
            f"Tháng {first.month}/{first.year} đã có cuộc sinh hoạt chi bộ thường kỳ lúc "
            f"{other.starts_at:%H:%M} ngày {other.starts_at:%d/%m/%Y} tại {other.place}. "
            "Mỗi tháng chi bộ sinh hoạt thường kỳ một lần (Điều lệ Đảng, Điều 24): nếu cần họp "
            "thêm, hãy chọn loại “Họp bất thường” hoặc “Sinh hoạt chuyên đề”; nếu nhầm ngày, "
            "hãy sửa cuộc họp đã có."
        )


def _meeting_fields(row: Meeting) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "topic": row.topic,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "place": row.place,
        "chair_name": row.chair_name,
        "secretary_name": row.secretary_name,
        "guests": row.guests,
        "agenda_json": row.agenda_json,
    }


def _apply(row: Meeting, data: MeetingInput) -> None:
    row.kind = data.kind
    row.topic = data.topic
    row.starts_at = data.starts_at
    row.ends_at = data.ends_at
    row.place = data.place
    row.chair_name = data.chair_name
    row.secretary_name = data.secretary_name
    row.guests = data.guests
    row.agenda_json = json.dumps(data.agenda or [], ensure_ascii=False)


def _require_reason_if_closed(row: Meeting, reason: str) -> str:
    reason = clean(reason)
    if row.state == "closed" and not reason:
        raise ValidationError(
            "Cuộc họp đã kết thúc và biên bản đã được thông qua. Mọi thay đổi là đính chính: "
            "vui lòng ghi lý do đính chính (sẽ được lưu trong nhật ký).",
            field="reason",
        )
    return reason


# --- meetings ---------------------------------------------------------------------------


def create(book: Book, *, data: MeetingInput) -> MeetingView:
    data = _normalise(data)
    with book.session() as s:
        _check_clash(s, data, None)
        row = Meeting(state="draft", minutes_json="{}", version=1)
        _apply(row, data)
        s.add(row)
        s.flush()
        changes.create(
            s,
            row,
            actor=book.actor,
            entity=Entity.MEETING,
            summary=f"Tạo cuộc họp: {view(row).title} lúc {row.starts_at:%H:%M %d/%m/%Y}",
            changes=changes.diff(None, _meeting_fields(row)),
        )
        return view(row)


def update(book: Book, *, meeting_id: str, data: MeetingInput, reason: str = "") -> MeetingView:
    """Change a meeting's details; on a closed meeting this is an amendment with a reason."""
    data = _normalise(data)
    with book.session() as s:
        row = attendance.meeting_row(s, meeting_id)
        if row.state != "draft" and data.kind != row.kind:
            raise ValidationError(
                "Cuộc họp đã điểm danh, không đổi được loại cuộc họp.", field="kind"
            )
        if (data.kind, data.starts_at, data.ends_at) != (row.kind, row.starts_at, row.ends_at):
            # Only a change of time is checked: a meeting kept before these rules (or two
            # made on two computers) can still have its place or agenda corrected.
            _check_clash(s, data, meeting_id)
        before = _meeting_fields(row)
        _apply(row, data)
        delta = changes.diff(before, _meeting_fields(row))
        if delta:
            reason = _require_reason_if_closed(row, reason)
            amended = row.state == "closed"
            changes.update(
                s,
                row,
                actor=book.actor,
                action="amend" if amended else "update",
                entity=Entity.MEETING,
                summary=("Đính chính" if amended else "Sửa") + f" cuộc họp: {view(row).title}",
                delta=delta,
                reason=reason,
            )
        return view(row)


def delete(book: Book, *, meeting_id: str, reason: str = "") -> None:
    """Remove a meeting that was called by mistake (not one whose minutes were adopted)."""
    with book.session() as s:
        row = attendance.meeting_row(s, meeting_id)
        if row.state == "closed":
            raise ConflictError(
                "Biên bản cuộc họp này đã được thông qua nên không xóa được. "
                "Nếu có sai sót, hãy đính chính kèm lý do."
            )
        changes.tombstone(
            s,
            row,
            actor=book.actor,
            entity=Entity.MEETING,
            summary=f"Xóa cuộc họp: {view(row).title}",
            reason=clean(reason),
        )


def get(book: Book, *, meeting_id: str) -> MeetingView:
    with book.read_session() as s:
        return view(attendance.meeting_row(s, meeting_id))


def list_meetings(
    book: Book,
    *,
    year: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kinds: Sequence[str] | None = None,
    newest_first: bool = True,
) -> list[MeetingView]:
    """Live meetings, filtered by year or by [start, end] dates, in date order."""
    q = select(Meeting).where(Meeting.deleted_at.is_(None))
    if year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if start is not None:
        q = q.where(Meeting.starts_at >= dt.datetime.combine(start, dt.time.min))
    if end is not None:
        q = q.where(
            Meeting.starts_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
        )
    if kinds:
        q = q.where(Meeting.kind.in_(tuple(kinds)))
    order = Meeting.starts_at.desc() if newest_first else Meeting.starts_at
    q = q.order_by(order, Meeting.id)
    with book.read_session() as s:
        return [view(r) for r in s.scalars(q)]


# --- the next regular meeting's date -------------------------------------------------------

DEFAULT_START = dt.time(19, 30)


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _day_in_month(first: dt.date, day: int) -> dt.date:
    """Day `day` of `first`'s month, or its last day (the 31st of a 30-day month)."""
    last = _first_of_next_month(first) - dt.timedelta(days=1)
    return first.replace(day=min(day, last.day))


def regular_in_month(book: Book, *, month: dt.date) -> MeetingView | None:
    """The regular meeting (sinh hoạt chi bộ thường kỳ) of `month`'s month, if there is one."""
    first = month.replace(day=1)
    found = list_meetings(
        book,
        start=first,
        end=_first_of_next_month(first) - dt.timedelta(days=1),
        kinds=[MeetingKind.REGULAR],
        newest_first=False,
    )
    return found[0] if found else None


@dataclass(frozen=True)
class NextRegular:
    """The month the next regular meeting is for, and when to propose it."""

    month: dt.date  # the first day of that month
    proposed: dt.datetime  # the new-meeting dialog's default date and time
    held_this_month: MeetingView | None  # this month's regular meeting, when it exists


def next_regular(book: Book, *, today: dt.date | None = None) -> NextRegular:
    """The next month without a regular meeting (this month, or the next when this month's
    exists: one regular meeting a month, Điều lệ Điều 24) and a date in it: the branch's
    usual day and time (those of its latest regular meeting), else a week from today."""
    today = today or dt.date.today()
    latest = list_meetings(book, end=today + dt.timedelta(days=366), kinds=[MeetingKind.REGULAR])
    usual = latest[0].starts_at if latest else None
    at = usual.time() if usual is not None else DEFAULT_START
    this_month = regular_in_month(book, month=today)
    month = today.replace(day=1)
    if this_month is not None:
        month = _first_of_next_month(month)
        for _ in range(12):  # skip months already planned
            if regular_in_month(book, month=month) is None:
                break
            month = _first_of_next_month(month)
    month_end = _first_of_next_month(month) - dt.timedelta(days=1)
    day = _day_in_month(month, usual.day) if usual is not None else today
    if day <= today:  # no usual day, or this month's has passed: a week on, in the month
        day = min(today + dt.timedelta(days=7), month_end)
    return NextRegular(
        month=month,
        proposed=dt.datetime.combine(max(day, today), at),
        held_this_month=this_month,
    )


def summaries(book: Book, *, year: int | None = None) -> list[MeetingSummary]:
    """The meeting list with each meeting's present/expected figures."""
    rules = voting_rules.get_rules(book)
    items = list_meetings(book, year=year)
    out: list[MeetingSummary] = []
    with book.read_session() as s:
        doc_counts: dict[str, int] = {}
        for (meeting_id,) in s.execute(
            select(MeetingDocument.meeting_id).where(MeetingDocument.deleted_at.is_(None))
        ):
            doc_counts[meeting_id] = doc_counts.get(meeting_id, 0) + 1
        for item in items:
            row = attendance.meeting_row(s, item.id)
            call = attendance.roll_call_in(s, row, rules)
            out.append(
                MeetingSummary(
                    meeting=item,
                    expected=call.figures.expected,
                    present=call.figures.present,
                    marked=sum(1 for r in call.rows if r.status is not None),
                    documents=doc_counts.get(item.id, 0),
                )
            )
    return out


# --- minutes ----------------------------------------------------------------------------


def _minutes_from_json(data: dict[str, Any], row: Meeting) -> Minutes:
    sections: list[MinutesSection] = []
    for sec in data.get("sections") or []:
        if not isinstance(sec, dict):
            continue
        sections.append(
            MinutesSection(
                title=str(sec.get("title", "")),
                content=str(sec.get("content", "")),
                discussion=tuple(
                    DiscussionEntry(str(d.get("speaker", "")), str(d.get("text", "")))
                    for d in sec.get("discussion") or []
                    if isinstance(d, dict)
                ),
                conclusion=str(sec.get("conclusion", "")),
            )
        )
    if not sections:
        sections = [MinutesSection(title=item) for item in view(row).agenda]
    votes = tuple(
        VoteRecord(
            subject=str(v.get("subject", "")),
            in_favour=int(v.get("in_favour", 0) or 0),
            against=int(v.get("against", 0) or 0),
            abstain=int(v.get("abstain", 0) or 0),
            kind=_stored_kind(v.get("kind")),
        )
        for v in data.get("votes") or []
        if isinstance(v, dict)
    )
    adopted_raw = data.get("adopted_at")
    return Minutes(
        number=str(data.get("number", "")),
        sections=tuple(sections),
        conclusion=str(data.get("conclusion", "")),
        votes=votes,
        ends_at=row.ends_at,
        adopted_at=dt.datetime.fromisoformat(adopted_raw) if isinstance(adopted_raw, str) else None,
    )


def _stored_kind(raw: object) -> str:
    """The kind of a stored vote (older minutes have none: a resolution)."""
    try:
        return voting_rules.VoteKind.parse(raw).value
    except ValidationError:
        return voting_rules.VoteKind.RESOLUTION.value


def get_minutes(book: Book, *, meeting_id: str) -> Minutes:
    """The minutes; a meeting with none yet gets one section per agenda item."""
    with book.read_session() as s:
        row = attendance.meeting_row(s, meeting_id)
        return _minutes_from_json(attendance.load_minutes_json(row.minutes_json), row)


def _clean_minutes(minutes: Minutes) -> Minutes:
    sections = []
    for sec in minutes.sections:
        title = clean(sec.title)
        discussion = tuple(
            DiscussionEntry(clean(d.speaker), _clean_block(d.text))
            for d in sec.discussion
            if clean(d.speaker) or clean(d.text)
        )
        for d in discussion:
            if not d.speaker:
                raise ValidationError(
                    f"Mục “{title}”: mỗi ý kiến thảo luận cần ghi tên người phát biểu.",
                    field="discussion",
                )
        content = _clean_block(sec.content)
        conclusion = _clean_block(sec.conclusion)
        if not title and (content or discussion or conclusion):
            raise ValidationError("Mỗi mục của biên bản cần có tên mục.", field="sections")
        if title:
            sections.append(MinutesSection(title, content, discussion, conclusion))
    votes = []
    for v in minutes.votes:
        subject = clean(v.subject)
        if not subject:
            raise ValidationError("Mỗi lần biểu quyết cần ghi nội dung biểu quyết.", field="votes")
        kind = voting_rules.VoteKind.parse(v.kind, subject=subject).value
        votes.append(VoteRecord(subject, int(v.in_favour), int(v.against), int(v.abstain), kind))
    return Minutes(
        number=clean(minutes.number),
        sections=tuple(sections),
        conclusion=_clean_block(minutes.conclusion),
        votes=tuple(votes),
        ends_at=minutes.ends_at.replace(second=0, microsecond=0) if minutes.ends_at else None,
        adopted_at=minutes.adopted_at,
    )


def _clean_block(text: str) -> str:
    """Free text: NFC, each line trimmed, line breaks kept."""
    lines = [clean(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def check_votes(
    book: Book, *, meeting_id: str, votes: Sequence[VoteRecord]
) -> list[voting_rules.VoteCheck]:
    """Each vote checked against the official members present and its kind's rule (raises on
    a bad count)."""
    call = attendance.roll_call(book, meeting_id=meeting_id)
    rules = voting_rules.get_rules(book)
    return [
        voting_rules.check_vote(
            call.figures,
            in_favour=v.in_favour,
            against=v.against,
            abstain=v.abstain,
            subject=v.subject,
            kind=v.kind,
            config=rules,
        )
        for v in votes
    ]


def save_minutes(book: Book, *, meeting_id: str, minutes: Minutes, reason: str = "") -> Minutes:
    """Store the minutes; on a closed meeting, an amendment with a reason."""
    minutes = _clean_minutes(minutes)
    rules = voting_rules.get_rules(book)
    with book.session() as s:
        row = attendance.meeting_row(s, meeting_id)
        if minutes.votes:
            call = attendance.roll_call_in(s, row, rules)
            for v in minutes.votes:
                voting_rules.check_vote(
                    call.figures,
                    in_favour=v.in_favour,
                    against=v.against,
                    abstain=v.abstain,
                    subject=v.subject,
                    kind=v.kind,
                    config=rules,
                )
        if minutes.ends_at is not None:
            _check_end(row.starts_at, minutes.ends_at)
        data = attendance.load_minutes_json(row.minutes_json)
        if isinstance(data.get("votes"), list):  # older minutes: every vote a resolution
            data["votes"] = [
                {**v, "kind": _stored_kind(v.get("kind"))} if isinstance(v, dict) else v
                for v in data["votes"]
            ]
        new_json = minutes.to_json()
        delta: dict[str, list[Any]] = {}
        for key in ("number", "sections", "conclusion", "votes"):
            if data.get(key) != new_json[key]:
                delta[key] = [data.get(key), new_json[key]]
                data[key] = new_json[key]
        if row.ends_at != minutes.ends_at:
            delta["ends_at"] = [
                row.ends_at.isoformat(timespec="minutes") if row.ends_at else None,
                new_json["ends_at"],
            ]
            row.ends_at = minutes.ends_at
        if not delta:
            return _minutes_from_json(data, row)
        reason = _require_reason_if_closed(row, reason)
        row.minutes_json = json.dumps(data, ensure_ascii=False)
        amended = row.state == "closed"
        changes.update(
            s,
            row,
            actor=book.actor,
            action="amend" if amended else "update",
            entity=Entity.MEETING,
            summary=("Đính chính biên bản" if amended else "Ghi biên bản")
            + f" cuộc họp: {view(row).title}",
            delta=delta,
            reason=reason,
        )
        return _minutes_from_json(data, row)


def _close_problems(
    s: Session,
    row: Meeting,
    rules: voting_rules.RuleConfig,
    ends_at: dt.datetime | None,
    *,
    keep_stored_end: bool,
) -> list[KnownError]:
    """Every refusal `close` gives, in its order. A closed meeting or one still to come has
    only that problem (nothing else about it matters yet)."""
    if row.state == "closed":
        return [ConflictError("Cuộc họp này đã kết thúc và biên bản đã được thông qua.")]
    if row.starts_at.date() > dt.date.today():
        return [
            ValidationError(
                f"Cuộc họp ngày {row.starts_at:%d/%m/%Y} chưa diễn ra nên chưa thể kết thúc.",
                field="meeting_id",
            )
        ]
    problems: list[KnownError] = []
    if ends_at is not None:
        try:
            _check_end(row.starts_at, ends_at.replace(second=0, microsecond=0))
        except ValidationError as error:
            problems.append(error)
    end = (ends_at or row.ends_at) if keep_stored_end else ends_at
    if end is None:
        problems.append(
            ValidationError(
                "Vui lòng ghi giờ kết thúc cuộc họp trước khi thông qua biên bản.", field="ends_at"
            )
        )
    if not row.chair_name or not row.secretary_name:
        problems.append(
            ValidationError(
                "Vui lòng ghi họ tên người chủ trì và thư ký trước khi thông qua biên bản "
                "(biên bản cần chữ ký của hai đồng chí).",
                field="chair_name" if not row.chair_name else "secretary_name",
            )
        )
    call = attendance.roll_call_in(s, row, rules)
    missing = [r.full_name for r in call.rows if r.status is None and r.role != RosterRole.EXEMPT]
    if not call.rows:
        problems.append(
            ValidationError(
                "Danh sách dự họp đang trống; hãy thêm đảng viên trước khi kết thúc cuộc họp.",
                field="meeting_id",
            )
        )
    elif missing:
        shown = ", ".join(missing[:5]) + (
            f" và {len(missing) - 5} đồng chí khác" if len(missing) > 5 else ""
        )
        problems.append(
            ValidationError(
                f"Còn {len(missing)} đồng chí chưa điểm danh: {shown}. Hãy điểm danh đủ trước "
                "khi thông qua biên bản.",
                field="attendance",
            )
        )
    return problems


def close_problems(
    book: Book,
    *,
    meeting_id: str,
    ends_at: dt.datetime | None = None,
    keep_stored_end: bool = True,
) -> list[KnownError]:
    """What `close` would refuse now (empty: it would close), checked by the same code, so a
    window can say it before asking the user to confirm. `keep_stored_end=False` when the
    minutes about to be saved replace the stored end with `ends_at` (None: no end)."""
    rules = voting_rules.get_rules(book)
    with book.read_session() as s:
        row = attendance.meeting_row(s, meeting_id)
        return _close_problems(s, row, rules, ends_at, keep_stored_end=keep_stored_end)


def close(book: Book, *, meeting_id: str, ends_at: dt.datetime | None = None) -> MeetingView:
    """The minutes are adopted: freeze the roster and close the meeting."""
    rules = voting_rules.get_rules(book)
    with book.session() as s:
        row = attendance.meeting_row(s, meeting_id)
        problems = _close_problems(s, row, rules, ends_at, keep_stored_end=True)
        if problems:
            raise problems[0]
        end = ends_at.replace(second=0, microsecond=0) if ends_at is not None else row.ends_at
        assert end is not None  # _close_problems refuses a meeting without an end
        data = attendance.load_minutes_json(row.minutes_json)
        members = attendance.roster(s, row)
        data[attendance.ROSTER_KEY] = [m.to_json() for m in members]
        data["adopted_at"] = dt.datetime.now().replace(microsecond=0).isoformat()
        row.minutes_json = json.dumps(data, ensure_ascii=False)
        before_state = row.state
        row.ends_at = end
        row.state = "closed"
        row.closed_at = utcnow()
        changes.update(
            s,
            row,
            actor=book.actor,
            action="close",
            entity=Entity.MEETING,
            summary=f"Thông qua biên bản, kết thúc cuộc họp: {view(row).title}",
            delta={"state": [before_state, "closed"], "ends_at": [None, end.isoformat()]},
        )
        return view(row)


# --- documents --------------------------------------------------------------------------


def attach_document(book: Book, *, meeting_id: str, document_id: str) -> AttachedDocument:
    """Send a document with the meeting (it is listed in the invitation)."""
    with book.session() as s:
        meeting = attendance.meeting_row(s, meeting_id)
        if meeting.state == "closed":
            raise ValidationError(
                "Cuộc họp đã kết thúc; không gửi thêm tài liệu họp được.", field="meeting_id"
            )
        doc = s.get(Document, document_id)
        if doc is None or doc.deleted_at is not None:
            raise NotFoundError(f"Không tìm thấy tài liệu có mã {document_id}.")
        link = s.scalars(
            select(MeetingDocument).where(
                MeetingDocument.meeting_id == meeting_id, MeetingDocument.document_id == document_id
            )
        ).first()
        position = len(
            s.scalars(
                select(MeetingDocument.id).where(
                    MeetingDocument.meeting_id == meeting_id, MeetingDocument.deleted_at.is_(None)
                )
            ).all()
        )
        if link is not None and link.deleted_at is None:
            return _attached(doc, link.position)
        summary = f"Gửi tài liệu {doc.number or doc.title} cho cuộc họp {view(meeting).title}"
        delta: dict[str, list[Any]] = {"document_id": [None, document_id]}
        if link is None:
            link = MeetingDocument(
                meeting_id=meeting_id, document_id=document_id, position=position, version=1
            )
            s.add(link)
            s.flush()
            changes.create(
                s,
                link,
                actor=book.actor,
                entity=Entity.MEETING_DOCUMENT,
                summary=summary,
                changes=delta,
            )
        else:  # sent again after being taken off: the same link comes back
            link.deleted_at = None
            link.position = position
            changes.update(
                s,
                link,
                actor=book.actor,
                action="create",
                entity=Entity.MEETING_DOCUMENT,
                summary=summary,
                delta=delta,
            )
        return _attached(doc, link.position)


def detach_document(book: Book, *, meeting_id: str, document_id: str) -> None:
    with book.session() as s:
        meeting = attendance.meeting_row(s, meeting_id)
        if meeting.state == "closed":
            raise ValidationError(
                "Cuộc họp đã kết thúc; danh sách tài liệu được giữ nguyên.", field="meeting_id"
            )
        link = s.scalars(
            select(MeetingDocument).where(
                MeetingDocument.meeting_id == meeting_id,
                MeetingDocument.document_id == document_id,
                MeetingDocument.deleted_at.is_(None),
            )
        ).first()
        if link is None:
            raise NotFoundError("Tài liệu này chưa được gửi kèm cuộc họp.")
        changes.tombstone(
            s,
            link,
            actor=book.actor,
            entity=Entity.MEETING_DOCUMENT,
            summary=f"Bỏ tài liệu khỏi cuộc họp {view(meeting).title}",
        )


def _attached(doc: Document, position: int) -> AttachedDocument:
    return AttachedDocument(
        document_id=doc.id,
        number=doc.number,
        doc_type=doc.doc_type,
        title=doc.title or doc.filename,
        issuer=doc.issuer,
        issued_on=doc.issued_on,
        position=position,
    )


def documents(book: Book, *, meeting_id: str) -> list[AttachedDocument]:
    with book.read_session() as s:
        attendance.meeting_row(s, meeting_id)
        q = (
            select(Document, MeetingDocument.position)
            .join(MeetingDocument, MeetingDocument.document_id == Document.id)
            .where(
                MeetingDocument.meeting_id == meeting_id,
                MeetingDocument.deleted_at.is_(None),
                Document.deleted_at.is_(None),
            )
            .order_by(MeetingDocument.position, Document.number)
        )
        return [_attached(doc, pos) for doc, pos in s.execute(q).all()]

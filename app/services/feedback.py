"""Members' voices: góp ý, phản ánh, đề xuất, recorded by the secretary for a member.

The flow is received → being handled → forwarded to the committee → answered, with the
answer recorded (and printable in large print for the member). Every write stores the row,
its audit entry and its sync outbox entry (entity "feedback") in one transaction, so the
feedback reaches the committee with the next sync. Answers the committee sends back come
down through `apply_from_committee`, which the sync client calls inside its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, ValidationError
from app.models import Feedback, Member, new_id, utcnow
from app.models.feedback import FEEDBACK_CHANNELS, FEEDBACK_KINDS, FEEDBACK_STATES
from app.services import changes
from app.services.changes import OpChanges
from app.text import clean, fold
from app.vocab import Entity, MemberStatus

if TYPE_CHECKING:
    from app.book import Book

ENTITY = Entity.FEEDBACK
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
UPSTREAM_ACTOR = "Đảng ủy cấp trên (đồng bộ)"
MAX_CONTENT = 10_000
# Feedback still waiting for an answer.
WAITING_STATES = ("received", "handling", "forwarded")
STATE_ORDER = {state: i for i, state in enumerate(FEEDBACK_STATES)}

_LEFT_MESSAGES: dict[str, str] = {
    MemberStatus.TRANSFERRED: "đã chuyển sinh hoạt đi nơi khác",
    MemberStatus.DECEASED: "đã từ trần",
    MemberStatus.REMOVED: "đã bị xóa tên khỏi danh sách đảng viên",
}


@dataclass(frozen=True)
class FeedbackInput:
    """What the form or the CLI supplies when a member's feedback is taken down."""

    member_id: str
    kind: str
    content: str
    received_on: dt.date | None = None  # today when None
    channel: str = "truc_tiep"
    support_session_id: str | None = None


@dataclass(frozen=True)
class FeedbackView:
    id: str
    member_id: str
    member_name: str
    member_status: str
    kind: str
    content: str
    received_on: dt.date
    channel: str
    state: str
    handling_note: str
    forwarded_on: dt.date | None
    answer: str
    answered_on: dt.date | None
    answered_by: str
    recorded_by: str
    support_session_id: str | None
    version: int

    @property
    def kind_label(self) -> str:
        return FEEDBACK_KINDS.get(self.kind, self.kind)

    @property
    def channel_label(self) -> str:
        return FEEDBACK_CHANNELS.get(self.channel, self.channel)

    @property
    def state_label(self) -> str:
        return FEEDBACK_STATES.get(self.state, self.state)

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_STATES

    def days_waiting(self, today: dt.date | None = None) -> int:
        end = self.answered_on if self.state == "answered" and self.answered_on else None
        return max(0, ((end or today or dt.date.today()) - self.received_on).days)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "member_id": self.member_id,
            "member_name": self.member_name,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "content": self.content,
            "received_on": self.received_on.isoformat(),
            "channel": self.channel,
            "channel_label": self.channel_label,
            "state": self.state,
            "state_label": self.state_label,
            "handling_note": self.handling_note,
            "forwarded_on": self.forwarded_on.isoformat() if self.forwarded_on else None,
            "answer": self.answer,
            "answered_on": self.answered_on.isoformat() if self.answered_on else None,
            "answered_by": self.answered_by,
            "recorded_by": self.recorded_by,
            "support_session_id": self.support_session_id,
            "version": self.version,
        }


@dataclass(frozen=True)
class FeedbackCounts:
    """Feedback received in a period, by kind and by where it stands now."""

    total: int
    by_kind: dict[str, int]
    by_state: dict[str, int]
    answered: int  # of those received in the period, answered by now
    forwarded: int  # sent up to the committee (forwarded or answered after forwarding)

    @property
    def waiting(self) -> int:
        return self.total - self.answered


def committee_body(committee: str) -> str:
    """“Đảng ủy phường Quy Nhơn” from “Đảng bộ phường Quy Nhơn”: the committee (ủy) of
    the upper party organisation (bộ) is who receives and answers."""
    text = clean(committee)
    for prefix in ("Đảng bộ ", "đảng bộ "):
        if text.startswith(prefix):
            return "Đảng ủy " + text[len(prefix) :]
    return text


def view(row: Feedback, member: Member | None) -> FeedbackView:
    return FeedbackView(
        id=row.id,
        member_id=row.member_id,
        member_name=member.full_name if member is not None else "",
        member_status=member.status if member is not None else "",
        kind=row.kind,
        content=row.content,
        received_on=row.received_on,
        channel=row.channel,
        state=row.state,
        handling_note=row.handling_note,
        forwarded_on=row.forwarded_on,
        answer=row.answer,
        answered_on=row.answered_on,
        answered_by=row.answered_by,
        recorded_by=row.recorded_by,
        support_session_id=row.support_session_id,
        version=row.version,
    )


def op_changes(*ids: str) -> OpChanges:
    return OpChanges.of(ENTITY, ids=tuple(ids))


# -- checking --------------------------------------------------------------------------------


def _text_block(text: str | None) -> str:
    """Free text as stored: NFC, spaces collapsed within lines, blank lines kept single."""
    lines = [clean(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def check_kind(kind: str) -> str:
    value = clean(kind)
    if value not in FEEDBACK_KINDS:
        labels = ", ".join(f"{k} ({v})" for k, v in FEEDBACK_KINDS.items())
        raise ValidationError(
            f"Loại ý kiến không hợp lệ: “{kind}”. Chọn một trong: {labels}.", field="kind"
        )
    return value


def check_channel(channel: str) -> str:
    value = clean(channel)
    if value not in FEEDBACK_CHANNELS:
        labels = ", ".join(f"{k} ({v})" for k, v in FEEDBACK_CHANNELS.items())
        raise ValidationError(
            f"Hình thức tiếp nhận không hợp lệ: “{channel}”. Chọn một trong: {labels}.",
            field="channel",
        )
    return value


def _check_content(content: str) -> str:
    text = _text_block(content)
    if not text:
        raise ValidationError("Chưa ghi nội dung ý kiến của đảng viên.", field="content")
    if len(text) > MAX_CONTENT:
        raise ValidationError(
            f"Nội dung ý kiến quá dài (hơn {MAX_CONTENT:,} ký tự); hãy tóm tắt lại.".replace(
                ",", "."
            ),
            field="content",
        )
    return text


def _check_day(day: dt.date | None, *, field: str, today: dt.date, label: str) -> dt.date:
    value = day or today
    if value > today:
        raise ValidationError(
            f"{label} ({value:%d/%m/%Y}) chưa đến; hãy kiểm tra lại.", field=field
        )
    if value.year < today.year - 10:
        raise ValidationError(
            f"{label} ({value:%d/%m/%Y}) quá xa; hãy kiểm tra lại năm.", field=field
        )
    return value


def member_in_branch(s: Session, member_id: str) -> Member:
    """The member, who must still belong to the branch (clear Vietnamese errors otherwise)."""
    member = s.get(Member, clean(member_id))
    if member is None:
        raise NotFoundError(f"Không tìm thấy đảng viên có mã {member_id} trong chi bộ.")
    if member.deleted_at is not None:
        raise ValidationError(
            f"Đồng chí {member.full_name} đã bị xóa khỏi danh sách chi bộ; không ghi ý kiến "
            "mới cho đồng chí này được.",
            field="member_id",
        )
    if member.status in MemberStatus.left():  # no longer in the branch: nothing new
        raise ValidationError(
            f"Đồng chí {member.full_name} {_LEFT_MESSAGES[member.status]}, không còn sinh hoạt "
            "ở chi bộ; không ghi ý kiến mới cho đồng chí này được.",
            field="member_id",
        )
    return member


def _get_row(s: Session, feedback_id: str) -> Feedback:
    row = s.get(Feedback, clean(feedback_id))
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy ý kiến có mã {feedback_id}.")
    return row


def _short(text: str, limit: int = 60) -> str:
    one = clean(text)
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def _summary(verb: str, row: Feedback, member: Member | None) -> str:
    who = member.full_name if member is not None else row.member_id
    return f"{verb} {FEEDBACK_KINDS.get(row.kind, row.kind).lower()} của đồng chí {who}: “{_short(row.content)}”"


def _fields(row: Feedback) -> dict[str, Any]:
    return {
        "member_id": row.member_id,
        "kind": row.kind,
        "content": row.content,
        "received_on": row.received_on,
        "channel": row.channel,
        "state": row.state,
        "handling_note": row.handling_note,
        "forwarded_on": row.forwarded_on,
        "answer": row.answer,
        "answered_on": row.answered_on,
        "answered_by": row.answered_by,
        "support_session_id": row.support_session_id,
    }


# -- writes ----------------------------------------------------------------------------------


def add_in_session(
    s: Session, *, data: FeedbackInput, actor: str, today: dt.date | None = None
) -> Feedback:
    """Record a member's feedback inside an open transaction (the support service uses this
    for feedback taken down at a session)."""
    today = today or dt.date.today()
    member = member_in_branch(s, data.member_id)
    kind = check_kind(data.kind)
    channel = check_channel(data.channel)
    content = _check_content(data.content)
    received_on = _check_day(
        data.received_on, field="received_on", today=today, label="Ngày nhận ý kiến"
    )
    row = Feedback(
        id=new_id(),
        version=1,
        member_id=member.id,
        kind=kind,
        content=content,
        received_on=received_on,
        channel=channel,
        state="received",
        handling_note="",
        forwarded_on=None,
        answer="",
        answered_on=None,
        answered_by="",
        recorded_by=clean(actor),
        support_session_id=clean(data.support_session_id) or None,
    )
    s.add(row)
    s.flush()
    changes.create(
        s,
        row,
        actor=actor,
        entity=ENTITY,
        summary=_summary("Ghi", row, member),
        changes=changes.diff(None, _fields(row)),
    )
    return row


def add(
    book: Book, *, data: FeedbackInput, actor: str | None = None, today: dt.date | None = None
) -> FeedbackView:
    """Take down a member's góp ý / phản ánh / đề xuất (state: received)."""
    with book.session() as s:
        row = add_in_session(s, data=data, actor=actor or book.actor, today=today)
        return view(row, s.get(Member, row.member_id))


def _write(
    s: Session,
    row: Feedback,
    *,
    actor: str,
    verb: str,
    action: str = "update",
    reason: str = "",
    apply: Mapping[str, Any],
) -> bool:
    before = _fields(row)
    for key, value in apply.items():
        setattr(row, key, value)
    delta = changes.diff(before, _fields(row))
    if not delta:
        return False
    return changes.update(
        s,
        row,
        actor=actor,
        action=action,
        entity=ENTITY,
        summary=_summary(verb, row, s.get(Member, row.member_id)),
        delta=delta,
        reason=reason,
    )


def update(
    book: Book,
    *,
    feedback_id: str,
    kind: str | None = None,
    content: str | None = None,
    received_on: dt.date | None = None,
    channel: str | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> FeedbackView:
    """Correct what was taken down. Once the feedback has gone to the committee (or been
    answered) a correction needs a reason, kept in the history."""
    today = today or dt.date.today()
    with book.session() as s:
        row = _get_row(s, feedback_id)
        apply: dict[str, Any] = {}
        if kind is not None:
            apply["kind"] = check_kind(kind)
        if content is not None:
            apply["content"] = _check_content(content)
        if channel is not None:
            apply["channel"] = check_channel(channel)
        if received_on is not None:
            apply["received_on"] = _check_day(
                received_on, field="received_on", today=today, label="Ngày nhận ý kiến"
            )
        reason = _text_block(reason)
        sent_up = row.state in ("forwarded", "answered")
        if sent_up and not reason and any(getattr(row, k) != v for k, v in apply.items()):
            raise ValidationError(
                "Ý kiến này đã chuyển lên cấp trên hoặc đã được trả lời; muốn sửa phải ghi lý do.",
                field="reason",
            )
        _write(
            s,
            row,
            actor=book.actor,
            verb="Đính chính" if sent_up else "Sửa",
            action="amend" if sent_up else "update",
            reason=reason,
            apply=apply,
        )
        return view(row, s.get(Member, row.member_id))


def _require_not_answered(row: Feedback, what: str) -> None:
    if row.state == "answered":
        raise ConflictError(f"Ý kiến này đã được trả lời; không {what} được nữa.")


def start_handling(book: Book, *, feedback_id: str, note: str = "") -> FeedbackView:
    """The branch is dealing with it (state: being handled); `note` says how."""
    with book.session() as s:
        row = _get_row(s, feedback_id)
        _require_not_answered(row, "chuyển sang đang xử lý")
        if row.state == "forwarded":
            raise ConflictError(
                "Ý kiến đã chuyển lên cấp ủy cấp trên, đang chờ trả lời; không quay lại bước xử lý được."
            )
        apply: dict[str, Any] = {"state": "handling"}
        if clean(note):
            apply["handling_note"] = _text_block(note)
        _write(s, row, actor=book.actor, verb="Xử lý", apply=apply)
        return view(row, s.get(Member, row.member_id))


def forward(
    book: Book,
    *,
    feedback_id: str,
    on: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> FeedbackView:
    """Send it up to the upper committee (state: forwarded); it travels with the next sync."""
    today = today or dt.date.today()
    with book.session() as s:
        row = _get_row(s, feedback_id)
        _require_not_answered(row, "chuyển lên cấp trên")
        if row.state == "forwarded":
            raise ConflictError("Ý kiến này đã được chuyển lên cấp ủy cấp trên rồi.")
        day = _check_day(on, field="forwarded_on", today=today, label="Ngày chuyển")
        if day < row.received_on:
            raise ValidationError(
                f"Ngày chuyển ({day:%d/%m/%Y}) trước ngày nhận ý kiến ({row.received_on:%d/%m/%Y}).",
                field="forwarded_on",
            )
        apply: dict[str, Any] = {"state": "forwarded", "forwarded_on": day}
        if clean(note):
            apply["handling_note"] = _text_block(note)
        _write(s, row, actor=book.actor, verb="Chuyển cấp trên", apply=apply)
        return view(row, s.get(Member, row.member_id))


def answer(
    book: Book,
    *,
    feedback_id: str,
    text: str,
    answered_by: str = "",
    on: dt.date | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> FeedbackView:
    """Record the answer (state: answered). Changing an answer already recorded is a
    correction and needs a reason."""
    today = today or dt.date.today()
    body = _text_block(text)
    if not body:
        raise ValidationError("Chưa ghi nội dung trả lời.", field="answer")
    info = book.branch()
    with book.session() as s:
        row = _get_row(s, feedback_id)
        day = _check_day(on, field="answered_on", today=today, label="Ngày trả lời")
        if day < row.received_on:
            raise ValidationError(
                f"Ngày trả lời ({day:%d/%m/%Y}) trước ngày nhận ý kiến ({row.received_on:%d/%m/%Y}).",
                field="answered_on",
            )
        who = clean(answered_by)
        if not who:
            who = committee_body(info.committee) if row.state == "forwarded" else info.name
        reason = _text_block(reason)
        again = row.state == "answered"
        if again and not reason and (row.answer != body or row.answered_by != who):
            raise ValidationError(
                "Ý kiến này đã có câu trả lời; muốn sửa câu trả lời phải ghi lý do.", field="reason"
            )
        _write(
            s,
            row,
            actor=book.actor,
            verb="Đính chính trả lời" if again else "Trả lời",
            action="amend" if again else "update",
            reason=reason,
            apply={"state": "answered", "answer": body, "answered_on": day, "answered_by": who},
        )
        return view(row, s.get(Member, row.member_id))


def remove(book: Book, *, feedback_id: str, reason: str) -> None:
    """Remove feedback entered by mistake (a tombstone that syncs; the history stays)."""
    reason = _text_block(reason)
    if not reason:
        raise ValidationError("Hãy ghi lý do xóa ý kiến này.", field="reason")
    with book.session() as s:
        row = _get_row(s, feedback_id)
        changes.tombstone(
            s,
            row,
            actor=book.actor,
            entity=ENTITY,
            summary=_summary("Xóa", row, s.get(Member, row.member_id)),
            reason=reason,
        )


# -- answers coming down from the committee --------------------------------------------------

# Fields the committee may set on a branch's feedback.
_COMMITTEE_FIELDS = (
    "state",
    "answer",
    "answered_on",
    "answered_by",
    "forwarded_on",
    "handling_note",
)


def _date_field(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise ValidationError(
            f"Ngày “{value}” do cấp trên gửi không đọc được.", field=field
        ) from exc


def apply_from_committee(
    session: Session,
    fields: Mapping[str, Any],
    *,
    entity_id: str | None = None,
    version: int | None = None,
    note: str = "",
) -> FeedbackView:
    """Apply a feedback change the committee published (typically its answer) to the local
    row, inside the caller's transaction (the sync client's pull page).

    `fields` is the pulled change's `fields` (the id may be there as "id" or be passed as
    `entity_id`); `version` is the record's version on the server (the local row takes the
    larger of the two). Only the committee's fields are taken: state, answer, answered_on,
    answered_by, forwarded_on, handling_note. A state "answered" must carry the answer. The
    change is written to the audit trail as done by the upper committee, with no outbox
    entry (it came from the server). Raises NotFoundError for feedback this book never had,
    ValidationError for values it cannot take.
    """
    feedback_id = clean(str(entity_id or fields.get("id") or ""))
    if not feedback_id:
        raise ValidationError("Ý kiến do cấp trên gửi về không có mã.", field="id")
    row = session.get(Feedback, feedback_id)
    if row is None:
        raise NotFoundError(f"Sổ không có ý kiến mã {feedback_id} mà cấp trên vừa trả lời.")
    apply: dict[str, Any] = {}
    for key in _COMMITTEE_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        if key == "state":
            state = clean(str(value or ""))
            if state not in FEEDBACK_STATES:
                raise ValidationError(
                    f"Trạng thái ý kiến “{value}” do cấp trên gửi không hợp lệ.", field="state"
                )
            apply["state"] = state
        elif key in ("answered_on", "forwarded_on"):
            apply[key] = _date_field(value, key)
        elif key in ("answer", "handling_note"):
            apply[key] = _text_block(str(value or ""))
        else:
            apply[key] = clean(str(value or ""))
    state = apply.get("state", row.state)
    if state == "answered":
        if not apply.get("answer", row.answer):
            raise ValidationError(
                "Cấp trên báo đã trả lời nhưng không kèm nội dung trả lời.", field="answer"
            )
        if apply.get("answered_on", row.answered_on) is None:
            apply["answered_on"] = dt.date.today()
        if not apply.get("answered_by", row.answered_by):
            apply["answered_by"] = "Đảng ủy cấp trên"
    before = _fields(row)
    for key, value in apply.items():
        setattr(row, key, value)
    delta = changes.diff(before, _fields(row))
    if version is not None:
        row.version = max(int(row.version or 0), int(version))
    row.updated_at = utcnow()
    session.flush()
    member = session.get(Member, row.member_id)
    if delta:
        verb = "Cấp trên trả lời" if state == "answered" else "Cấp trên cập nhật"
        summary = _summary(verb, row, member)
        if clean(note):
            summary += f" — {clean(note)}"
        changes.audit_only(
            session,
            actor=UPSTREAM_ACTOR,
            action="update",
            entity=ENTITY,
            entity_id=row.id,
            summary=summary,
            changes=delta,
            reason=clean(note),
        )
    return view(row, member)


# -- reads -----------------------------------------------------------------------------------


def get(book: Book, *, feedback_id: str) -> FeedbackView:
    with book.read_session() as s:
        row = _get_row(s, feedback_id)
        return view(row, s.get(Member, row.member_id))


SORT_KEYS: dict[str, Sequence[Any]] = {
    "received_on": (Feedback.received_on, Feedback.created_at),
    "member": (Member.name_sort, Feedback.received_on),
    "kind": (Feedback.kind, Feedback.received_on),
    "state": (Feedback.state, Feedback.received_on),
    "channel": (Feedback.channel, Feedback.received_on),
    "answered_on": (Feedback.answered_on, Feedback.received_on),
}


def _states(state: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if state is None:
        return None
    states = (state,) if isinstance(state, str) else tuple(state)
    for value in states:
        if value not in FEEDBACK_STATES:
            raise ValidationError(f"Trạng thái ý kiến không hợp lệ: “{value}”.", field="state")
    return states


def _filtered(
    q: AnySelect,
    *,
    state: str | Sequence[str] | None,
    kind: str | None,
    member_id: str | None,
    start: dt.date | None,
    end: dt.date | None,
    search: str | None,
) -> AnySelect:
    q = q.where(Feedback.deleted_at.is_(None))
    states = _states(state)
    if states is not None:
        q = q.where(Feedback.state.in_(states))
    if kind:
        q = q.where(Feedback.kind == check_kind(kind))
    if member_id:
        q = q.where(Feedback.member_id == member_id)
    if start is not None:
        q = q.where(Feedback.received_on >= start)
    if end is not None:
        q = q.where(Feedback.received_on <= end)
    if search:
        for word in fold(search).split():
            q = q.where(Member.name_search.contains(word, autoescape=True))
    return q


def list_feedback(
    book: Book,
    *,
    state: str | Sequence[str] | None = None,
    kind: str | None = None,
    member_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    search: str | None = None,
    order: str = "received_on",
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> list[FeedbackView]:
    """Feedback (newest first by default), filtered and sorted in SQL; `search` matches the
    member's name ignoring tones, marks and đ/d."""
    if order not in SORT_KEYS:
        raise ValidationError(f"Không sắp xếp được theo “{order}”.", field="order")
    base: AnySelect = select(Feedback, Member).join(Member, Member.id == Feedback.member_id)
    q = _filtered(
        base,
        state=state,
        kind=kind,
        member_id=member_id,
        start=start,
        end=end,
        search=search,
    )
    keys = [k.desc() if descending else k for k in SORT_KEYS[order]]
    q = q.order_by(*keys, Feedback.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    with book.read_session() as s:
        return [view(row, member) for row, member in s.execute(q).all()]


def count(
    book: Book,
    *,
    state: str | Sequence[str] | None = None,
    kind: str | None = None,
    member_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    search: str | None = None,
) -> int:
    q = _filtered(
        select(func.count()).select_from(Feedback).join(Member, Member.id == Feedback.member_id),
        state=state,
        kind=kind,
        member_id=member_id,
        start=start,
        end=end,
        search=search,
    )
    with book.read_session() as s:
        return int(s.scalar(q) or 0)


def waiting(book: Book, *, limit: int | None = None) -> list[FeedbackView]:
    """Feedback not yet answered, oldest first (what the secretary owes members)."""
    return list_feedback(book, state=WAITING_STATES, descending=False, limit=limit)


def counts(book: Book, *, start: dt.date, end: dt.date) -> FeedbackCounts:
    """Feedback received in [start, end], by kind and by its state now."""
    q = (
        select(Feedback.kind, Feedback.state, Feedback.forwarded_on, func.count())
        .where(
            Feedback.deleted_at.is_(None),
            Feedback.received_on >= start,
            Feedback.received_on <= end,
        )
        .group_by(Feedback.kind, Feedback.state, Feedback.forwarded_on)
    )
    by_kind: dict[str, int] = {}
    by_state: dict[str, int] = {}
    forwarded = 0
    with book.read_session() as s:
        for kind, state, forwarded_on, n in s.execute(q).all():
            by_kind[kind] = by_kind.get(kind, 0) + int(n)
            by_state[state] = by_state.get(state, 0) + int(n)
            if state == "forwarded" or forwarded_on is not None:
                forwarded += int(n)
    total = sum(by_kind.values())
    return FeedbackCounts(
        total=total,
        by_kind=by_kind,
        by_state=by_state,
        answered=by_state.get("answered", 0),
        forwarded=forwarded,
    )


def history(book: Book, *, feedback_id: str) -> list[Any]:
    from app.services import audit

    return list(audit.history(book, entity=ENTITY, entity_id=feedback_id))


# -- the answer, printable for the member ---------------------------------------------------


@dataclass(frozen=True)
class AnswerPaper:
    """Plain data for the large-print answer handed (or read) to the member."""

    committee: str
    branch: str
    place: str
    date: dt.date
    title: str
    subtitle: str
    body_text: str
    # Signed by the branch: "T/M CHI BỘ / BÍ THƯ" and the secretary's name.
    signer_name: str = ""
    signer_role: str = "Bí thư"
    recipients: tuple[str, ...] = ()


def answer_paper(book: Book, *, feedback_id: str, on: dt.date | None = None) -> AnswerPaper:
    item = get(book, feedback_id=feedback_id)
    if item.state != "answered" or not item.answer:
        raise ValidationError(
            "Ý kiến này chưa được trả lời; ghi câu trả lời trước khi in cho đảng viên.",
            field="answer",
        )
    info = book.branch()
    kind = item.kind_label.lower()
    paragraphs = [
        f"Kính gửi đồng chí {item.member_name},",
        f"Ngày {item.received_on:%d/%m/%Y}, đồng chí đã gửi {info.name} ý kiến {kind} "
        f"({item.channel_label.lower()}) với nội dung:",
        f"“{item.content}”",
    ]
    if item.forwarded_on is not None:
        paragraphs.append(
            f"Ngày {item.forwarded_on:%d/%m/%Y}, chi bộ đã chuyển ý kiến của đồng chí lên "
            f"{committee_body(info.committee)}."
        )
    when = f"ngày {item.answered_on:%d/%m/%Y}" if item.answered_on else ""
    paragraphs.append(f"Trả lời của {item.answered_by or info.name} ({when}):".replace(" ()", ""))
    paragraphs.append(item.answer)
    paragraphs.append(f"{info.name} trân trọng cảm ơn đồng chí đã đóng góp ý kiến.")
    return AnswerPaper(
        committee=info.committee,
        branch=info.name,
        place=info.place_name,
        date=on or dt.date.today(),
        title="Trả lời ý kiến đảng viên",
        subtitle=f"{item.kind_label} của đồng chí {item.member_name}",
        body_text="\n\n".join(paragraphs),
        signer_name=info.secretary_name,
        recipients=(f"Đồng chí {item.member_name}", "Lưu chi bộ"),
    )


__all__ = [
    "FEEDBACK_CHANNELS",
    "FEEDBACK_KINDS",
    "FEEDBACK_STATES",
    "AnswerPaper",
    "FeedbackCounts",
    "FeedbackInput",
    "FeedbackView",
    "add",
    "answer",
    "answer_paper",
    "apply_from_committee",
    "count",
    "counts",
    "forward",
    "get",
    "list_feedback",
    "remove",
    "start_handling",
    "update",
    "waiting",
]

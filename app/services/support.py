"""Support sessions for elderly members (buổi hỗ trợ đảng viên cao tuổi) and the onboarding
board for the central app "Sổ tay đảng viên điện tử" (target: 100% of members, seed 004).

A session records its date, place, helpers and, for each member who came, what was done:
installed the app, registered or approved the account, taught a feature, read a document
aloud, recorded feedback. Registering or approving an account moves the member's
`app_account` forward through app.services.members (never a direct write), and feedback
taken down at the session is recorded through app.services.feedback — all in the session's
transaction, each with its own audit and outbox entries (entity "support_session" for the
session itself).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import Member, SupportSession, new_id
from app.models.member import ACCOUNT_STATES, MEMBER_STATUSES
from app.models.support import SUPPORT_ACTIONS
from app.services import changes, members
from app.services import feedback as feedback_service
from app.services.changes import OpChanges
from app.text import clean, name_sort_key
from app.validation.dates import years_between
from app.vocab import Entity, MemberStatus

if TYPE_CHECKING:
    from app.book import Book

ENTITY = Entity.SUPPORT_SESSION
# Members expected to use the central app are those who must attend (MemberStatus.must_attend:
# chính thức, dự bị, sinh hoạt tạm thời; seed 004: "100% đảng viên chính thức, đảng viên dự bị
# (trừ những trường hợp được miễn sinh hoạt)"). Exempted members are listed apart.
# An account moves forward only: chưa đăng ký → đã đăng ký → đã duyệt.
ACCOUNT_ORDER = {state: i for i, state in enumerate(ACCOUNT_STATES)}
ACTION_ACCOUNT = {"dang_ky": "da_dang_ky", "phe_duyet": "da_duyet"}

# Why a member does not use the central app yet.
REASONS: dict[str, str] = {
    "awaiting_approval": "Đã đăng ký, chờ chi ủy phê duyệt",
    "no_smartphone": "Chưa có điện thoại thông minh",
    "needs_help": "Cần người hướng dẫn",
    "not_registered": "Chưa đăng ký tài khoản",
    "exempt": "Miễn sinh hoạt (không bắt buộc)",
}
MAX_TEXT = 2_000


@dataclass(frozen=True)
class HelpInput:
    """One member who came, and what was done for them."""

    member_id: str
    actions: Sequence[str] = ()
    feature: str = ""  # the feature taught ("xem tài liệu", "gửi ý kiến"...)
    document: str = ""  # the document read aloud
    note: str = ""
    # With action "ghi_y_kien": the feedback taken down (recorded as feedback, channel
    # "buổi hỗ trợ"). Feedback already recorded is carried in `feedback_ids`.
    feedback_kind: str = ""
    feedback_content: str = ""
    feedback_ids: Sequence[str] = ()


@dataclass(frozen=True)
class SessionInput:
    held_on: dt.date
    place: str
    helpers: Sequence[str] | str = ()  # names, or one per line
    notes: str = ""
    attendees: Sequence[HelpInput] = ()


@dataclass(frozen=True)
class HelpView:
    member_id: str
    full_name: str
    actions: tuple[str, ...]
    feature: str
    document: str
    note: str
    feedback_ids: tuple[str, ...]

    @property
    def action_labels(self) -> tuple[str, ...]:
        return tuple(SUPPORT_ACTIONS.get(a, a) for a in self.actions)

    @property
    def description(self) -> str:
        """“Cài đặt ứng dụng; Hướng dẫn sử dụng chức năng (xem tài liệu)”."""
        parts: list[str] = []
        for action in self.actions:
            label = SUPPORT_ACTIONS.get(action, action)
            if action == "huong_dan" and self.feature:
                label += f" ({self.feature})"
            if action == "doc_tai_lieu" and self.document:
                label += f" ({self.document})"
            parts.append(label)
        return "; ".join(parts)

    def to_input(self) -> HelpInput:
        return HelpInput(
            member_id=self.member_id,
            actions=self.actions,
            feature=self.feature,
            document=self.document,
            note=self.note,
            feedback_ids=self.feedback_ids,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "actions": list(self.actions),
            "action_labels": list(self.action_labels),
            "feature": self.feature,
            "document": self.document,
            "note": self.note,
            "feedback_ids": list(self.feedback_ids),
        }


@dataclass(frozen=True)
class SessionView:
    id: str
    held_on: dt.date
    place: str
    helpers: tuple[str, ...]
    notes: str
    attendees: tuple[HelpView, ...]
    version: int

    def is_planned(self, today: dt.date | None = None) -> bool:
        return self.held_on > (today or dt.date.today())

    def action_count(self, action: str) -> int:
        return sum(1 for a in self.attendees if action in a.actions)

    def to_input(self) -> SessionInput:
        return SessionInput(
            held_on=self.held_on,
            place=self.place,
            helpers=self.helpers,
            notes=self.notes,
            attendees=tuple(a.to_input() for a in self.attendees),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "held_on": self.held_on.isoformat(),
            "place": self.place,
            "helpers": list(self.helpers),
            "notes": self.notes,
            "attendees": [a.to_json() for a in self.attendees],
            "version": self.version,
        }


@dataclass(frozen=True)
class OnboardingRow:
    """A member who does not use the central app yet, why, and what to do next."""

    member_id: str
    full_name: str
    age: int | None
    status: str
    app_account: str
    has_smartphone: bool
    reason: str
    next_step: str
    last_helped_on: dt.date | None

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def status_label(self) -> str:
        return MEMBER_STATUSES.get(self.status, self.status)

    @property
    def account_label(self) -> str:
        return ACCOUNT_STATES.get(self.app_account, self.app_account)

    def to_json(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "age": self.age,
            "status": self.status,
            "app_account": self.app_account,
            "reason": self.reason,
            "reason_label": self.reason_label,
            "next_step": self.next_step,
            "last_helped_on": self.last_helped_on.isoformat() if self.last_helped_on else None,
        }


@dataclass(frozen=True)
class OnboardingBoard:
    """Who uses the central app. "Using" means the account is approved (đã duyệt): the
    book cannot see into the central app, so an approved account is the evidence it has."""

    on: dt.date
    required: int  # members expected to use it (chính thức, dự bị, sinh hoạt tạm thời)
    registered: int  # of those: registered or approved
    approved: int  # of those: approved
    exempt: int  # members exempted from party activities (miễn sinh hoạt)
    not_yet: tuple[OnboardingRow, ...]  # required members not using it, then exempt ones
    sessions_held: int
    members_helped: int  # distinct members who came to a session
    next_session: SessionView | None
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def using(self) -> int:
        return self.approved

    @property
    def percent(self) -> float:
        return 100.0 * self.using / self.required if self.required else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "required": self.required,
            "registered": self.registered,
            "approved": self.approved,
            "using": self.using,
            "percent": round(self.percent, 1),
            "exempt": self.exempt,
            "sessions_held": self.sessions_held,
            "members_helped": self.members_helped,
            "by_reason": dict(self.by_reason),
            "not_yet": [r.to_json() for r in self.not_yet],
            "next_session": self.next_session.to_json() if self.next_session else None,
        }


def op_changes(*ids: str) -> OpChanges:
    return OpChanges.of(ENTITY, members.ENTITY, feedback_service.ENTITY, ids=tuple(ids))


# -- reading rows ----------------------------------------------------------------------------


def _load_attendees(raw: str | None) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw or "[]")
    except ValueError:
        return []
    return [a for a in data if isinstance(a, dict)] if isinstance(data, list) else []


def _helpers(raw: str) -> tuple[str, ...]:
    return tuple(h for h in (clean(line) for line in raw.splitlines()) if h)


def _view(row: SupportSession, names: dict[str, str]) -> SessionView:
    attendees = []
    for a in _load_attendees(row.attendees_json):
        member_id = str(a.get("member_id") or "")
        attendees.append(
            HelpView(
                member_id=member_id,
                full_name=names.get(member_id, str(a.get("full_name") or "")),
                actions=tuple(str(x) for x in a.get("actions") or ()),
                feature=str(a.get("feature") or ""),
                document=str(a.get("document") or ""),
                note=str(a.get("note") or ""),
                feedback_ids=tuple(str(x) for x in a.get("feedback_ids") or ()),
            )
        )
    attendees.sort(key=lambda h: (name_sort_key(h.full_name), h.member_id))
    return SessionView(
        id=row.id,
        held_on=row.held_on,
        place=row.place,
        helpers=_helpers(row.helpers),
        notes=row.notes,
        attendees=tuple(attendees),
        version=row.version,
    )


def _names(s: Session, rows: Sequence[SupportSession]) -> dict[str, str]:
    ids = {str(a.get("member_id") or "") for r in rows for a in _load_attendees(r.attendees_json)}
    ids.discard("")
    if not ids:
        return {}
    q = select(Member.id, Member.full_name).where(Member.id.in_(ids))
    return {mid: name for mid, name in s.execute(q).all()}


def _get_row(s: Session, session_id: str) -> SupportSession:
    row = s.get(SupportSession, clean(session_id))
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy buổi hỗ trợ có mã {session_id}.")
    return row


# -- checking ----------------------------------------------------------------------------


def _short_text(value: str, *, label: str, field_name: str) -> str:
    text = clean(value)
    if len(text) > MAX_TEXT:
        raise ValidationError(f"{label} quá dài; hãy viết ngắn lại.", field=field_name)
    return text


def _check_actions(actions: Sequence[str], name: str) -> tuple[str, ...]:
    out: list[str] = []
    for action in actions:
        code = clean(action)
        if code not in SUPPORT_ACTIONS:
            labels = ", ".join(f"{k} ({v})" for k, v in SUPPORT_ACTIONS.items())
            raise ValidationError(
                f"Việc hỗ trợ không hợp lệ cho đồng chí {name}: “{action}”. Chọn trong: {labels}.",
                field="actions",
            )
        if code not in out:
            out.append(code)
    if not out:
        raise ValidationError(
            f"Chưa ghi đã hỗ trợ đồng chí {name} việc gì (cài đặt, đăng ký, hướng dẫn...).",
            field="actions",
        )
    return tuple(out)


def _normalise(data: SessionInput, today: dt.date) -> SessionInput:
    if data.held_on is None:
        raise ValidationError("Chưa ghi ngày tổ chức buổi hỗ trợ.", field="held_on")
    if data.held_on.year < today.year - 5 or data.held_on > today + dt.timedelta(days=366):
        raise ValidationError(
            f"Ngày tổ chức {data.held_on:%d/%m/%Y} quá xa hôm nay; hãy kiểm tra lại năm.",
            field="held_on",
        )
    place = _short_text(data.place, label="Địa điểm", field_name="place")
    if not place:
        raise ValidationError("Chưa ghi địa điểm tổ chức buổi hỗ trợ.", field="place")
    raw_helpers = data.helpers.splitlines() if isinstance(data.helpers, str) else data.helpers
    helpers = tuple(h for h in (clean(x) for x in raw_helpers) if h)
    if data.held_on > today and data.attendees:
        raise ValidationError(
            f"Buổi hỗ trợ ngày {data.held_on:%d/%m/%Y} chưa diễn ra; ghi người đến dự và việc "
            "đã làm sau buổi hỗ trợ.",
            field="attendees",
        )
    seen: set[str] = set()
    for a in data.attendees:
        if a.member_id in seen:
            raise ValidationError(
                "Một đảng viên được ghi hai lần trong cùng buổi hỗ trợ; hãy gộp lại.",
                field="attendees",
            )
        seen.add(a.member_id)
    notes = "\n".join(clean(line) for line in (data.notes or "").splitlines()).strip()
    return SessionInput(
        held_on=data.held_on,
        place=place,
        helpers=helpers,
        notes=notes,
        attendees=tuple(data.attendees),
    )


def _attendee_member(s: Session, member_id: str, previous: set[str]) -> Member:
    """A member who came; someone who has left the branch can only stay on a session
    recorded before (not be added to one)."""
    if member_id in previous:
        row = s.get(Member, member_id)
        if row is None:
            raise NotFoundError(f"Không tìm thấy đảng viên có mã {member_id} trong chi bộ.")
        return row
    try:
        return feedback_service.member_in_branch(s, member_id)
    except ValidationError as exc:
        raise ValidationError(
            exc.message.replace(
                "không ghi ý kiến mới cho đồng chí này được", "không ghi vào buổi hỗ trợ được"
            ),
            field="attendees",
        ) from exc


def _move_account(
    s: Session, member: Member, actions: Sequence[str], *, actor: str, held_on: dt.date
) -> None:
    """Registering / approving / installing at a session updates the member's record
    through the members service (its own audit and outbox entries)."""
    target = member.app_account
    for action in actions:
        wanted = ACTION_ACCOUNT.get(action)
        if wanted and ACCOUNT_ORDER.get(wanted, 0) > ACCOUNT_ORDER.get(target, 0):
            target = wanted
    data = members.view(member).to_input()
    data.app_account = target
    if "cai_dat" in actions:
        data.has_smartphone = True  # the app was installed on the member's own device
    members.update_in_session(
        s,
        row=member,
        data=data,
        actor=actor,
        summary=(
            f"Cập nhật tài khoản Sổ tay đảng viên điện tử của đồng chí {member.full_name} "
            f"(buổi hỗ trợ ngày {held_on:%d/%m/%Y})"
        ),
    )


def _attendees_json(
    s: Session,
    row: SupportSession,
    data: SessionInput,
    *,
    actor: str,
    previous: dict[str, dict[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in data.attendees:
        member = _attendee_member(s, clean(a.member_id), set(previous))
        actions = _check_actions(a.actions, member.full_name)
        feedback_ids = [clean(x) for x in a.feedback_ids if clean(x)]
        if clean(a.feedback_content):
            if "ghi_y_kien" not in actions:
                actions = (*actions, "ghi_y_kien")
            fb = feedback_service.add_in_session(
                s,
                data=feedback_service.FeedbackInput(
                    member_id=member.id,
                    kind=a.feedback_kind or "gop_y",
                    content=a.feedback_content,
                    received_on=min(data.held_on, today),
                    channel="buoi_ho_tro",
                    support_session_id=row.id,
                ),
                actor=actor,
                today=today,
            )
            feedback_ids.append(fb.id)
        old_actions = set(previous.get(member.id, {}).get("actions") or ())
        new_account_actions = [x for x in actions if x not in old_actions]
        if new_account_actions:
            _move_account(s, member, new_account_actions, actor=actor, held_on=data.held_on)
        out.append(
            {
                "member_id": member.id,
                "full_name": member.full_name,
                "actions": list(actions),
                "feature": _short_text(a.feature, label="Chức năng", field_name="feature"),
                "document": _short_text(a.document, label="Tài liệu", field_name="document"),
                "note": _short_text(a.note, label="Ghi chú", field_name="note"),
                "feedback_ids": feedback_ids,
            }
        )
    return out


def _fields(row: SupportSession) -> dict[str, Any]:
    return {
        "held_on": row.held_on,
        "place": row.place,
        "helpers": row.helpers,
        "notes": row.notes,
        "attendees_json": row.attendees_json,
    }


def _summary(verb: str, row: SupportSession, attendees: int) -> str:
    return f"{verb} buổi hỗ trợ đảng viên ngày {row.held_on:%d/%m/%Y} tại {row.place} ({attendees} đảng viên)"


# -- writes ----------------------------------------------------------------------------------


def create_session(
    book: Book, *, data: SessionInput, actor: str | None = None, today: dt.date | None = None
) -> SessionView:
    """Record a support session (or plan one: a date after today, nobody listed yet)."""
    today = today or dt.date.today()
    actor = actor or book.actor
    clean_data = _normalise(data, today)
    with book.session() as s:
        row = SupportSession(
            id=new_id(),
            version=1,
            held_on=clean_data.held_on,
            place=clean_data.place,
            helpers="\n".join(clean_data.helpers),
            notes=clean_data.notes,
            attendees_json="[]",
        )
        s.add(row)
        s.flush()
        attendees = _attendees_json(s, row, clean_data, actor=actor, previous={}, today=today)
        row.attendees_json = json.dumps(attendees, ensure_ascii=False)
        changes.create(
            s,
            row,
            actor=actor,
            entity=ENTITY,
            summary=_summary("Ghi", row, len(attendees)),
            changes=changes.diff(None, _fields(row)),
        )
        return _view(row, _names(s, [row]))


def update_session(
    book: Book,
    *,
    session_id: str,
    data: SessionInput,
    reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> SessionView:
    """Change a session (add who came after a planned session, correct what was done).
    Accounts only ever move forward; feedback already recorded stays recorded."""
    today = today or dt.date.today()
    actor = actor or book.actor
    clean_data = _normalise(data, today)
    with book.session() as s:
        row = _get_row(s, session_id)
        previous = {str(a.get("member_id")): a for a in _load_attendees(row.attendees_json)}
        before = _fields(row)
        row.held_on = clean_data.held_on
        row.place = clean_data.place
        row.helpers = "\n".join(clean_data.helpers)
        row.notes = clean_data.notes
        attendees = _attendees_json(s, row, clean_data, actor=actor, previous=previous, today=today)
        row.attendees_json = json.dumps(attendees, ensure_ascii=False)
        changes.update(
            s,
            row,
            actor=actor,
            entity=ENTITY,
            summary=_summary("Sửa", row, len(attendees)),
            delta=changes.diff(before, _fields(row)),
            reason=clean(reason),
        )
        return _view(row, _names(s, [row]))


def remove_session(book: Book, *, session_id: str, reason: str) -> None:
    """Remove a session recorded by mistake (accounts and feedback it recorded stay)."""
    if not clean(reason):
        raise ValidationError("Hãy ghi lý do xóa buổi hỗ trợ.", field="reason")
    with book.session() as s:
        row = _get_row(s, session_id)
        changes.tombstone(
            s,
            row,
            actor=book.actor,
            entity=ENTITY,
            summary=_summary("Xóa", row, len(_load_attendees(row.attendees_json))),
            reason=clean(reason),
        )


# -- reads -----------------------------------------------------------------------------------


def get_session(book: Book, *, session_id: str) -> SessionView:
    with book.read_session() as s:
        row = _get_row(s, session_id)
        return _view(row, _names(s, [row]))


def list_sessions(
    book: Book,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    newest_first: bool = True,
) -> list[SessionView]:
    q = select(SupportSession).where(SupportSession.deleted_at.is_(None))
    if start is not None:
        q = q.where(SupportSession.held_on >= start)
    if end is not None:
        q = q.where(SupportSession.held_on <= end)
    order = SupportSession.held_on.desc() if newest_first else SupportSession.held_on
    q = q.order_by(order, SupportSession.created_at)
    with book.read_session() as s:
        rows = list(s.scalars(q))
        names = _names(s, rows)
        return [_view(r, names) for r in rows]


@dataclass(frozen=True)
class SupportFigures:
    """What support sessions did over a period (for the deployment report)."""

    sessions: int
    members_helped: int
    by_action: dict[str, int]
    helped_names: tuple[str, ...]


def figures(book: Book, *, start: dt.date | None, end: dt.date) -> SupportFigures:
    """Sessions held in [start, end] (all before `end` when start is None)."""
    held = [v for v in list_sessions(book, start=start, end=end) if v.attendees]
    by_action: dict[str, int] = {}
    helped: dict[str, str] = {}
    for v in held:
        for a in v.attendees:
            helped[a.member_id] = a.full_name
            for action in a.actions:
                by_action[action] = by_action.get(action, 0) + 1
    names = tuple(sorted(helped.values(), key=name_sort_key))
    return SupportFigures(
        sessions=len(held), members_helped=len(helped), by_action=by_action, helped_names=names
    )


def _next_step(reason: str, planned: SessionView | None, last_helped: dt.date | None) -> str:
    invite = (
        f"Mời dự buổi hỗ trợ ngày {planned.held_on:%d/%m/%Y} tại {planned.place}"
        if planned is not None
        else "Tổ chức buổi hỗ trợ, mời đồng chí đến"
    )
    if reason == "awaiting_approval":
        return "Chi ủy phê duyệt tài khoản trên hệ thống, báo lại cho đồng chí"
    if reason == "no_smartphone":
        return (
            "Vận động gia đình hỗ trợ thiết bị hoặc dùng máy của chi bộ; trong khi chờ, "
            "in tài liệu chữ lớn và ghi ý kiến hộ đồng chí"
        )
    if reason == "needs_help":
        return invite + " để cài đặt và đăng ký tài khoản"
    if reason == "exempt":
        return "Không bắt buộc; hỗ trợ nếu đồng chí muốn dùng"
    if last_helped is not None:
        return "Nhắc đồng chí hoàn tất đăng ký tài khoản đã được hướng dẫn"
    return "Nhắc đồng chí tự cài đặt, đăng ký; " + invite[0].lower() + invite[1:] + " nếu cần"


def _reason(member: Any) -> str:  # a Member, or a row of its columns
    if member.status == MemberStatus.EXEMPT:
        return "exempt"
    if member.app_account == "da_dang_ky":
        return "awaiting_approval"
    if not member.has_smartphone:
        return "no_smartphone"
    if member.needs_support:
        return "needs_help"
    return "not_registered"


_REASON_ORDER = {code: i for i, code in enumerate(REASONS)}


def onboarding_board(book: Book, *, today: dt.date | None = None) -> OnboardingBoard:
    """How many members use the central app, and who does not yet, why, and the next step."""
    today = today or dt.date.today()
    statuses = MemberStatus.active()
    # Plain rows of the columns used, not ORM objects (5,000 members on the dashboard).
    q = (
        select(
            Member.id,
            Member.full_name,
            Member.birth_date,
            Member.status,
            Member.app_account,
            Member.has_smartphone,
            Member.needs_support,
        )
        .where(Member.deleted_at.is_(None), Member.status.in_(statuses))
        .order_by(Member.name_sort, Member.id)
    )
    sessions = list_sessions(book, newest_first=False)
    last_helped: dict[str, dt.date] = {}
    held = 0
    planned: SessionView | None = None
    for v in sessions:
        if v.held_on > today:
            if planned is None:
                planned = v
            continue
        if v.attendees:
            held += 1
        for a in v.attendees:
            last_helped[a.member_id] = v.held_on
    required = registered = approved = exempt = 0
    rows: list[OnboardingRow] = []
    with book.read_session() as s:
        for m in s.execute(q):
            if m.status == MemberStatus.EXEMPT:
                exempt += 1
            else:
                required += 1
                registered += m.app_account in ("da_dang_ky", "da_duyet")
                approved += m.app_account == "da_duyet"
            if m.app_account == "da_duyet":
                continue
            reason = _reason(m)
            rows.append(
                OnboardingRow(
                    member_id=m.id,
                    full_name=m.full_name,
                    age=years_between(m.birth_date, today) if m.birth_date else None,
                    status=m.status,
                    app_account=m.app_account,
                    has_smartphone=m.has_smartphone,
                    reason=reason,
                    next_step=_next_step(reason, planned, last_helped.get(m.id)),
                    last_helped_on=last_helped.get(m.id),
                )
            )
    rows.sort(key=lambda r: (r.reason == "exempt", _REASON_ORDER.get(r.reason, 99)))
    by_reason: dict[str, int] = {}
    for r in rows:
        by_reason[r.reason] = by_reason.get(r.reason, 0) + 1
    return OnboardingBoard(
        on=today,
        required=required,
        registered=registered,
        approved=approved,
        exempt=exempt,
        not_yet=tuple(rows),
        sessions_held=held,
        members_helped=len(last_helped),
        next_session=planned,
        by_reason=by_reason,
    )


__all__ = [
    "REASONS",
    "SUPPORT_ACTIONS",
    "HelpInput",
    "HelpView",
    "OnboardingBoard",
    "OnboardingRow",
    "SessionInput",
    "SessionView",
    "SupportFigures",
    "create_session",
    "figures",
    "get_session",
    "list_sessions",
    "onboarding_board",
    "remove_session",
    "update_session",
]

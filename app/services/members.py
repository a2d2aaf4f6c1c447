"""The branch register: the one way a member is created, changed or removed.

Each write stores the row, its audit entry and its sync outbox entry in one transaction.
Reads sort and filter in SQL; search ignores tones, marks and đ/d, and also finds card,
phone and ID numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    func,
    insert,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, ValidationError
from app.models import Member, SyncedMixin, new_id, utcnow
from app.models.member import ACCOUNT_STATES, GENDERS, MEMBER_STATUSES
from app.services import changes
from app.services.changes import OpChanges
from app.text import clean, fold, name_sort_key
from app.validation import Issue, check_member
from app.validation.cccd import strip_id
from app.validation.dates import years_between
from app.validation.issues import error
from app.validation.member import leaving_issues
from app.validation.phone import normalise_phone
from app.vocab import Entity, MemberStatus

if TYPE_CHECKING:
    from app.book import Book
    from app.services.audit import AuditView

ENTITY = Entity.MEMBER

# Statuses of people who still belong to the branch (shown by default, counted in meetings).
ACTIVE_STATUSES: tuple[str, ...] = MemberStatus.active()

FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "gender": "Giới tính",
    "admission_date": "Ngày vào Đảng",
    "official_date": "Ngày chính thức",
    "card_number": "Số thẻ đảng viên",
    "personal_id": "Số định danh cá nhân",
    "phone": "Số điện thoại",
    "branch_label": "Chi bộ",
    "status": "Trạng thái",
    "position": "Chức vụ",
    "address": "Địa chỉ",
    "notes": "Ghi chú",
    "has_smartphone": "Có điện thoại thông minh",
    "app_account": "Tài khoản Sổ tay đảng viên",
    "needs_support": "Cần hỗ trợ",
    "admission_decision_date": "Ngày quyết định kết nạp",
    "serious_illness": "Bệnh hiểm nghèo",
    "death_date": "Ngày từ trần",
    "left_date": "Ngày chuyển đi / xóa tên",
    "left_to": "Nơi chuyển đến",
}


@dataclass
class MemberInput:
    """What a form or an import row supplies. Validation happens in the service."""

    full_name: str
    birth_date: dt.date | None = None
    gender: str | None = None
    admission_date: dt.date | None = None
    official_date: dt.date | None = None
    card_number: str | None = None
    personal_id: str | None = None
    phone: str | None = None
    branch_label: str = ""
    status: str = MemberStatus.OFFICIAL
    position: str = ""
    address: str = ""
    notes: str = ""
    has_smartphone: bool = True
    app_account: str = "chua_dang_ky"
    needs_support: bool = False
    admission_decision_date: dt.date | None = None  # tuổi đảng runs from it
    serious_illness: bool = False
    death_date: dt.date | None = None
    left_date: dt.date | None = None  # chuyển đi / xóa tên: the date the member left
    left_to: str = ""  # chuyển đi: the receiving chi bộ / đảng bộ


@dataclass(frozen=True)
class MemberView:
    id: str
    full_name: str
    birth_date: dt.date | None
    gender: str | None
    admission_date: dt.date | None
    official_date: dt.date | None
    card_number: str | None
    personal_id: str | None
    phone: str | None
    branch_label: str
    status: str
    position: str
    address: str
    notes: str
    has_smartphone: bool
    app_account: str
    needs_support: bool
    version: int
    admission_decision_date: dt.date | None = None
    serious_illness: bool = False
    death_date: dt.date | None = None
    left_date: dt.date | None = None  # chuyển đi / xóa tên: the date the member left
    left_to: str = ""  # chuyển đi: the receiving chi bộ / đảng bộ

    @property
    def status_label(self) -> str:
        return MEMBER_STATUSES.get(self.status, self.status)

    @property
    def app_account_label(self) -> str:
        return ACCOUNT_STATES.get(self.app_account, self.app_account)

    def party_years(self, on: dt.date | None = None) -> int | None:
        """Tuổi đảng: whole years since the admission decision (ngày vào Đảng when the
        register has no decision date)."""
        start = self.admission_decision_date or self.admission_date
        if start is None:
            return None
        return max(0, years_between(start, on or dt.date.today()))

    def age(self, on: dt.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return max(0, years_between(self.birth_date, on or dt.date.today()))

    def to_input(self) -> MemberInput:
        """The editable fields, for a form pre-filled with this member."""
        return MemberInput(**{name: getattr(self, name) for name in _INPUT_FIELDS})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out


_INPUT_FIELDS = [f.name for f in fields(MemberInput)]
INPUT_FIELDS: tuple[str, ...] = tuple(_INPUT_FIELDS)


_VIEW_COLUMNS = [Member.__table__.c[f.name] for f in fields(MemberView)]


def view(row: Member) -> MemberView:
    return MemberView(
        id=row.id,
        full_name=row.full_name,
        birth_date=row.birth_date,
        gender=row.gender,
        admission_date=row.admission_date,
        official_date=row.official_date,
        card_number=row.card_number,
        personal_id=row.personal_id,
        phone=row.phone,
        branch_label=row.branch_label,
        status=row.status,
        position=row.position,
        address=row.address,
        notes=row.notes,
        has_smartphone=row.has_smartphone,
        app_account=row.app_account,
        needs_support=row.needs_support,
        version=row.version,
        admission_decision_date=row.admission_decision_date,
        serious_illness=bool(row.serious_illness),
        death_date=row.death_date,
        left_date=row.left_date,
        left_to=row.left_to or "",
    )


# -- normalising and checking ------------------------------------------------------------


def normalise(data: MemberInput) -> MemberInput:
    """A copy in stored form: NFC text with spaces collapsed, IDs without separators,
    the phone as 0xxxxxxxxx. Unreadable values are left as typed (check_member flags them)."""
    out = MemberInput(**{name: getattr(data, name) for name in _INPUT_FIELDS})
    out.full_name = clean(out.full_name)
    gender = clean(out.gender).lower()
    out.gender = {"nu": "nữ"}.get(gender, gender) or None
    out.card_number = strip_id(out.card_number) or None
    out.personal_id = strip_id(out.personal_id) or None
    phone = clean(out.phone)
    out.phone = (normalise_phone(phone).value or phone) if phone else None
    for attr in ("branch_label", "position", "address", "left_to"):
        setattr(out, attr, clean(getattr(out, attr)))
    out.notes = "\n".join(clean(line) for line in (out.notes or "").splitlines()).strip()
    out.has_smartphone = bool(out.has_smartphone)
    out.needs_support = bool(out.needs_support)
    out.serious_illness = bool(out.serious_illness)
    return out


def _normalise(data: MemberInput) -> MemberInput:
    """Normalise and raise the first error (warnings never block a save)."""
    data = normalise(data)
    for issue in check_member(data):
        if issue.is_error:
            raise ValidationError(issue.message, field=issue.field)
    return data


def _duplicate_issues(s: Session, data: MemberInput, member_id: str | None) -> list[Issue]:
    found: list[Issue] = []
    for attr, label in (("card_number", "Số thẻ đảng viên"), ("personal_id", "Số định danh")):
        value = getattr(data, attr)
        if not value:
            continue
        q = select(Member.full_name).where(
            getattr(Member, attr) == value, Member.deleted_at.is_(None)
        )
        if member_id:
            q = q.where(Member.id != member_id)
        other = s.scalars(q).first()
        if other is not None:
            found.append(error(attr, f"{label} {value} đã có ở đảng viên {other}."))
    return found


def _check_unique(s: Session, data: MemberInput, member_id: str | None) -> None:
    for issue in _duplicate_issues(s, data, member_id):
        raise ValidationError(issue.message, field=issue.field)


def validate(
    book: Book, *, data: MemberInput, member_id: str | None = None, today: dt.date | None = None
) -> list[Issue]:
    """Every error and warning for a form as it stands (inline validation); nothing is saved.

    A member who leaves the branch (chuyển đi, từ trần, xóa tên) needs the date, and a
    transfer the receiving chi bộ / đảng bộ (`leaving_issues`)."""
    clean_data = normalise(data)
    issues = check_member(clean_data, today=today)
    issues.extend(leaving_issues(clean_data))
    with book.read_session() as s:
        issues.extend(_duplicate_issues(s, clean_data, member_id))
    return issues


# -- writes --------------------------------------------------------------------------------


def _apply(row: Member, data: MemberInput) -> None:
    for name in _INPUT_FIELDS:
        setattr(row, name, getattr(data, name))
    row.name_search = fold(data.full_name)
    row.name_sort = name_sort_key(data.full_name)


def _snapshot(row: Member) -> dict[str, Any]:
    return {k: getattr(row, k) for k in _INPUT_FIELDS}


def create_in_session(
    s: Session, *, data: MemberInput, actor: str, reason: str = "", summary: str = ""
) -> Member:
    """Add a member inside an open transaction (for services that batch writes, e.g. import).

    `data` must already be normalised and checked; uniqueness is the caller's concern.
    """
    row = Member(id=new_id(), version=1)
    _apply(row, data)
    changes.create(
        s,
        row,
        actor=actor,
        entity=ENTITY,
        summary=summary or f"Thêm đảng viên {row.full_name}",
        changes=changes.diff(None, _snapshot(row)),
        reason=reason,
    )
    return row


class _PlainRow:
    """A new member row as plain attributes: what `changes.create` reads from a row (id,
    version, sync_fields) without the ORM's per-attribute bookkeeping, for batches."""

    __table__ = Member.__table__
    LOCAL_ONLY = Member.LOCAL_ONLY
    sync_fields = SyncedMixin.sync_fields

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


class _Collector:
    """Receives what `changes.create` adds, so a batch can be written with executemany."""

    def __init__(self) -> None:
        self.added: list[Any] = []

    def add(self, obj: Any) -> None:
        self.added.append(obj)

    def rows_of(self, model: type) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in vars(o).items() if not k.startswith("_")}
            for o in self.added
            if isinstance(o, model)
        ]


def create_many_in_session(
    s: Session, *, items: Sequence[tuple[MemberInput, str, str]], actor: str
) -> list[str]:
    """Add many members inside an open transaction (an import): for each (data, reason,
    summary) the same row, audit entry and outbox entry as `create_in_session`, the entries
    made by `changes.create` itself, written with one executemany per table.

    `data` must already be normalised and checked; uniqueness is the caller's concern.
    Returns the new ids in the order given.
    """
    from app.models import AuditEntry, OutboxEntry

    collector = _Collector()
    member_rows: list[dict[str, Any]] = []
    now = utcnow()
    for data, reason, summary in items:
        values = {name: getattr(data, name) for name in _INPUT_FIELDS}
        snapshot = dict(values)
        values.update(
            id=new_id(),
            version=1,
            created_at=now,
            updated_at=now,
            deleted_at=None,
            name_search=fold(data.full_name),
            name_sort=name_sort_key(data.full_name),
        )
        changes.create(
            cast(Session, collector),
            cast(Member, _PlainRow(values)),
            actor=actor,
            entity=ENTITY,
            summary=summary or f"Thêm đảng viên {data.full_name}",
            changes=changes.diff(None, snapshot),
            reason=reason,
        )
        member_rows.append(values)
    if member_rows:
        s.execute(insert(Member), member_rows)
        for model in (AuditEntry, OutboxEntry):
            rows = collector.rows_of(model)
            if rows:
                s.execute(insert(model), rows)
    return [r["id"] for r in member_rows]


def update_in_session(
    s: Session, *, row: Member, data: MemberInput, actor: str, reason: str = "", summary: str = ""
) -> bool:
    """Change a member inside an open transaction; returns False when nothing differed."""
    before = _snapshot(row)
    _apply(row, data)
    return changes.update(
        s,
        row,
        actor=actor,
        entity=ENTITY,
        summary=summary or f"Sửa thông tin đảng viên {row.full_name}",
        delta=changes.diff(before, _snapshot(row)),
        reason=reason,
    )


def create(book: Book, *, data: MemberInput, actor: str | None = None) -> MemberView:
    data = _normalise(data)
    with book.session() as s:
        _check_unique(s, data, None)
        row = create_in_session(s, data=data, actor=actor or book.actor)
        return view(row)


def update(
    book: Book,
    *,
    member_id: str,
    data: MemberInput,
    actor: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> MemberView:
    """Save a form. With `expected_version`, refuse when someone changed the member meanwhile."""
    data = _normalise(data)
    with book.session() as s:
        row = _get_row(s, member_id)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError(
                f"Thông tin của đảng viên {row.full_name} vừa được thay đổi ở nơi khác; "
                "hãy mở lại để xem bản mới nhất rồi sửa."
            )
        _check_unique(s, data, member_id)
        update_in_session(s, row=row, data=data, actor=actor or book.actor, reason=reason)
        return view(row)


def remove(book: Book, *, member_id: str, reason: str = "", actor: str | None = None) -> None:
    """Soft delete (a tombstone that syncs); the history stays readable."""
    with book.session() as s:
        row = _get_row(s, member_id)
        changes.tombstone(
            s,
            row,
            actor=actor or book.actor,
            entity=ENTITY,
            summary=f"Xóa đảng viên {row.full_name} khỏi danh sách",
            reason=reason,
        )


def op_changes(*member_ids: str) -> OpChanges:
    """What a member write touched, for the views to decide whether to refresh."""
    return OpChanges.of(ENTITY, ids=tuple(member_ids))


# -- reads ---------------------------------------------------------------------------------


def _get_row(s: Session, member_id: str) -> Member:
    row = s.get(Member, member_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy đảng viên có mã {member_id} trong chi bộ.")
    return row


def get(book: Book, *, member_id: str) -> MemberView:
    with book.read_session() as s:
        return view(_get_row(s, member_id))


# Sort keys the register offers (column → SQL order); names sort the Vietnamese way.
SORT_KEYS: dict[str, Sequence[Any]] = {
    "name": (Member.name_sort,),
    "birth_date": (Member.birth_date, Member.name_sort),
    "gender": (Member.gender, Member.name_sort),
    "admission_date": (Member.admission_date, Member.name_sort),
    "official_date": (Member.official_date, Member.name_sort),
    "card_number": (Member.card_number, Member.name_sort),
    "personal_id": (Member.personal_id, Member.name_sort),
    "phone": (Member.phone, Member.name_sort),
    "status": (Member.status, Member.name_sort),
    "app_account": (Member.app_account, Member.name_sort),
}


def _contains(column: SQLColumnExpression[Any], text: str) -> ColumnElement[bool]:
    """`text` occurs in `column`: instr() rather than LIKE '%...%' (no pattern to match
    against every row; the same result, since both sides are folded to lower case)."""
    return func.instr(column, text) > 0


def _search_condition(search: str) -> ColumnElement[bool] | None:
    """Every word must start a word of the folded name or (digits) be in a card, ID or phone."""
    words = [w for w in fold(search).split(" ") if w]
    conditions: list[ColumnElement[bool]] = []
    spaced = literal(" ") + Member.name_search  # so each word can match at its start
    for word in words:
        in_name = _contains(spaced, " " + word)
        digits = word.replace(".", "").replace("-", "")
        if digits.isdigit():
            conditions.append(
                or_(
                    in_name,
                    _contains(Member.card_number, digits),
                    _contains(Member.personal_id, digits),
                    _contains(Member.phone, digits),
                )
            )
        else:
            conditions.append(in_name)
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else and_(*conditions)


def _filtered(
    q: Select[Any],
    *,
    search: str | None,
    status: str | Sequence[str] | None,
    needs_support: bool | None,
    has_smartphone: bool | None,
    app_account: str | None,
) -> Select[Any]:
    q = q.where(Member.deleted_at.is_(None))
    if search:
        condition = _search_condition(search)
        if condition is not None:
            q = q.where(condition)
    if status:
        # `status || ''`: keep the planner on the name-ordered search index (a status alone
        # selects most of the register, so its own index only adds a sort).
        plain_status = Member.status + ""
        if isinstance(status, str):
            q = q.where(plain_status == status)
        else:
            q = q.where(plain_status.in_(tuple(status)))
    if needs_support is not None:
        q = q.where(Member.needs_support.is_(needs_support))
    if has_smartphone is not None:
        q = q.where(Member.has_smartphone.is_(has_smartphone))
    if app_account:
        q = q.where(Member.app_account == app_account)
    return q


def list_members(
    book: Book,
    *,
    search: str | None = None,
    status: str | Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    needs_support: bool | None = None,
    has_smartphone: bool | None = None,
    app_account: str | None = None,
    order: str = "name",
    descending: bool = False,
) -> list[MemberView]:
    """Live members in Vietnamese name order (or `order`); `search` ignores tones, marks and
    đ/d and also matches card, ID and phone numbers. `status` may be one code or several."""
    if order not in SORT_KEYS:
        raise ValidationError(f"Không sắp xếp được theo “{order}”.", field="order")
    q = _filtered(
        select(*_VIEW_COLUMNS),
        search=search,
        status=status,
        needs_support=needs_support,
        has_smartphone=has_smartphone,
        app_account=app_account,
    )
    keys = [k.desc() if descending else k for k in SORT_KEYS[order]]
    q = q.order_by(*keys, Member.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    with book.read_session() as s:
        # Plain column rows, not ORM objects: this runs on every keystroke of a search.
        return [MemberView(*r) for r in s.execute(q)]


@dataclass(frozen=True)
class MemberPage:
    rows: list[MemberView]
    total: int  # matches in all, not only on this page


def first_page(
    book: Book,
    *,
    limit: int,
    search: str | None = None,
    status: str | Sequence[str] | None = None,
    needs_support: bool | None = None,
    has_smartphone: bool | None = None,
    app_account: str | None = None,
    order: str = "name",
    descending: bool = False,
) -> MemberPage:
    """The first `limit` matches and how many there are, in one read (search as you type).

    When the page is not full it holds every match, so the count query is skipped."""
    if order not in SORT_KEYS:
        raise ValidationError(f"Không sắp xếp được theo “{order}”.", field="order")
    filters: dict[str, Any] = {
        "search": search,
        "status": status,
        "needs_support": needs_support,
        "has_smartphone": has_smartphone,
        "app_account": app_account,
    }
    keys = [k.desc() if descending else k for k in SORT_KEYS[order]]
    q = _filtered(select(*_VIEW_COLUMNS), **filters).order_by(*keys, Member.id).limit(limit)
    with book.read_session() as s:
        rows = [MemberView(*r) for r in s.execute(q)]
        if len(rows) < limit:
            return MemberPage(rows, len(rows))
        total = s.scalar(_filtered(select(func.count()).select_from(Member), **filters))
        return MemberPage(rows, int(total or 0))


def count(
    book: Book,
    *,
    status: str | Sequence[str] | None = None,
    search: str | None = None,
    needs_support: bool | None = None,
    has_smartphone: bool | None = None,
    app_account: str | None = None,
) -> int:
    q = _filtered(
        select(func.count()).select_from(Member),
        search=search,
        status=status,
        needs_support=needs_support,
        has_smartphone=has_smartphone,
        app_account=app_account,
    )
    with book.read_session() as s:
        return int(s.scalar(q) or 0)


def status_counts(book: Book) -> dict[str, int]:
    """Live members per status code (for the filter list)."""
    q = (
        select(Member.status, func.count())
        .where(Member.deleted_at.is_(None))
        .group_by(Member.status)
    )
    with book.read_session() as s:
        return {status: int(n) for status, n in s.execute(q).all()}


def history(book: Book, *, member_id: str, limit: int = 500) -> list[AuditView]:
    """Every recorded change of one member, newest first (removed members included)."""
    from app.services import audit

    return audit.history(book, entity=ENTITY, entity_id=member_id, limit=limit)


def gender_label(gender: str | None) -> str:
    return {"nam": "Nam", "nữ": "Nữ"}.get(gender or "", "")


__all__ = [
    "ACCOUNT_STATES",
    "ACTIVE_STATUSES",
    "FIELD_LABELS",
    "GENDERS",
    "MEMBER_STATUSES",
    "MemberInput",
    "MemberView",
    "count",
    "create",
    "first_page",
    "get",
    "history",
    "list_members",
    "remove",
    "status_counts",
    "update",
    "validate",
]


def leaving_notice(before_status: str | None, after: MemberView) -> str | None:
    """What to tell the secretary when a save takes a member off the active list (the
    register shows active members by default), or None."""
    status = MemberStatus(after.status) if after.status in MEMBER_STATUSES else None
    if status is None or status.is_active:
        return None
    if before_status is not None and before_status not in ACTIVE_STATUSES:
        return None
    return (
        f"Đồng chí {after.full_name} đã chuyển khỏi danh sách đang sinh hoạt; "
        f"xem lại ở bộ lọc “{status.label}”."
    )

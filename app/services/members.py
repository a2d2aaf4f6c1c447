"""The branch register: the one way a member is created, changed or removed.

Each write stores the row, its audit entry and its sync outbox entry in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from app.errors import NotFoundError, ValidationError
from app.models import Member, utcnow
from app.models.member import ACCOUNT_STATES, GENDERS, MEMBER_STATUSES
from app.services import changes
from app.text import clean, fold, name_sort_key

if TYPE_CHECKING:
    from app.book import Book


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
    status: str = "chinh_thuc"
    position: str = ""
    address: str = ""
    notes: str = ""
    has_smartphone: bool = True
    app_account: str = "chua_dang_ky"
    needs_support: bool = False


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

    @property
    def status_label(self) -> str:
        return MEMBER_STATUSES.get(self.status, self.status)

    def party_years(self, on: dt.date | None = None) -> int | None:
        """Tuổi đảng: whole years since admission."""
        if self.admission_date is None:
            return None
        on = on or dt.date.today()
        years = on.year - self.admission_date.year
        if (on.month, on.day) < (self.admission_date.month, self.admission_date.day):
            years -= 1
        return max(0, years)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out


_INPUT_FIELDS = [f.name for f in fields(MemberInput)]


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
    )


def _normalise(data: MemberInput) -> MemberInput:
    data.full_name = clean(data.full_name)
    if not data.full_name:
        raise ValidationError("Vui lòng nhập họ và tên đảng viên.", field="full_name")
    if data.gender is not None:
        g = clean(data.gender).lower()
        data.gender = g or None
        if data.gender is not None and data.gender not in GENDERS:
            raise ValidationError("Giới tính phải là “nam” hoặc “nữ”.", field="gender")
    if data.status not in MEMBER_STATUSES:
        raise ValidationError(f"Trạng thái không hợp lệ: {data.status}.", field="status")
    if data.app_account not in ACCOUNT_STATES:
        raise ValidationError(f"Trạng thái tài khoản không hợp lệ: {data.app_account}.", field="app_account")
    for attr in ("card_number", "personal_id", "phone"):
        value = getattr(data, attr)
        setattr(data, attr, clean(value) or None)
    for attr in ("branch_label", "position", "address", "notes"):
        setattr(data, attr, clean(getattr(data, attr)))
    return data


def _check_unique(s: Any, data: MemberInput, member_id: str | None) -> None:
    for attr, label in (("card_number", "Số thẻ đảng viên"), ("personal_id", "Số định danh")):
        value = getattr(data, attr)
        if not value:
            continue
        q = select(Member).where(getattr(Member, attr) == value, Member.deleted_at.is_(None))
        if member_id:
            q = q.where(Member.id != member_id)
        other = s.scalars(q).first()
        if other is not None:
            raise ValidationError(f"{label} {value} đã có ở đảng viên {other.full_name}.", field=attr)


def _apply(row: Member, data: MemberInput) -> None:
    for name in _INPUT_FIELDS:
        setattr(row, name, getattr(data, name))
    row.name_search = fold(data.full_name)
    row.name_sort = name_sort_key(data.full_name)


def create(book: Book, *, data: MemberInput, actor: str | None = None) -> MemberView:
    data = _normalise(data)
    with book.session() as s:
        _check_unique(s, data, None)
        row = Member()
        _apply(row, data)
        row.version = 1
        s.add(row)
        s.flush()
        changes.record(
            s,
            actor=actor or book.actor,
            action="create",
            entity="member",
            row=row,
            summary=f"Thêm đảng viên {row.full_name}",
            changes=changes.diff(None, {k: getattr(row, k) for k in _INPUT_FIELDS}),
            base_version=0,
        )
        return view(row)


def update(
    book: Book, *, member_id: str, data: MemberInput, actor: str | None = None, reason: str = ""
) -> MemberView:
    data = _normalise(data)
    with book.session() as s:
        row = _get_row(s, member_id)
        _check_unique(s, data, member_id)
        before = {k: getattr(row, k) for k in _INPUT_FIELDS}
        _apply(row, data)
        delta = changes.diff(before, {k: getattr(row, k) for k in _INPUT_FIELDS})
        if delta:
            base = changes.bump(row)
            changes.record(
                s,
                actor=actor or book.actor,
                action="update",
                entity="member",
                row=row,
                summary=f"Sửa thông tin đảng viên {row.full_name}",
                changes=delta,
                reason=reason,
                base_version=base,
            )
        return view(row)


def remove(book: Book, *, member_id: str, reason: str = "", actor: str | None = None) -> None:
    """Soft delete (a tombstone that syncs); the history stays readable."""
    with book.session() as s:
        row = _get_row(s, member_id)
        base = changes.bump(row)
        row.deleted_at = utcnow()
        changes.record(
            s,
            actor=actor or book.actor,
            action="delete",
            entity="member",
            row=row,
            summary=f"Xóa đảng viên {row.full_name} khỏi danh sách",
            reason=reason,
            sync_op="delete",
            base_version=base,
        )


def _get_row(s: Any, member_id: str) -> Member:
    row = s.get(Member, member_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy đảng viên có mã {member_id} trong chi bộ.")
    return row


def get(book: Book, *, member_id: str) -> MemberView:
    with book.read_session() as s:
        return view(_get_row(s, member_id))


def list_members(
    book: Book,
    *,
    search: str | None = None,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[MemberView]:
    """Live members in Vietnamese name order; `search` ignores tones, marks and đ/d."""
    q = select(Member).where(Member.deleted_at.is_(None))
    if search:
        for word in fold(search).split(" "):
            q = q.where(Member.name_search.contains(word, autoescape=True))
    if status:
        q = q.where(Member.status == status)
    q = q.order_by(Member.name_sort, Member.id).offset(offset)
    if limit is not None:
        q = q.limit(limit)
    with book.read_session() as s:
        return [view(r) for r in s.scalars(q)]


def count(book: Book, *, status: str | None = None) -> int:
    q = select(func.count()).select_from(Member).where(Member.deleted_at.is_(None))
    if status:
        q = q.where(Member.status == status)
    with book.read_session() as s:
        return int(s.scalar(q) or 0)

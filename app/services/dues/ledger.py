"""What each member owes for a month: the member's time in the branch, the setting in force,
automatic exemption at 50 years of tuổi đảng, reductions, rounding; and what was paid."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import AuditEntry, DuesPayment, DuesSetting, Member
from app.services import milestones
from app.services.dues.rules import (
    DuesRules,
    add_months,
    first_day,
    last_day,
    month_label,
    month_of,
    receipt_label,
    round_amount,
)
from app.text import clean, fold
from app.vocab import Entity, MemberStatus

BASES: dict[str, str] = {
    "salary": "Theo tiền lương đóng BHXH",
    "pension": "Theo lương hưu",
    "fixed": "Mức cố định",
    "exempt": "Miễn đóng",
}
EXEMPT_KINDS: dict[str, str] = {
    "party_years": "Đủ 50 năm tuổi Đảng",
    "social_pension": "Hưởng trợ cấp xã hội",
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "illness": "Ốm đau hiểm nghèo",
    "other": "Lý do khác",
}
CHANNELS: dict[str, str] = {
    "cash": "Tiền mặt",
    "dvcqg": "Cổng DVCQG",
    "bank": "Chuyển khoản",
    "excused": "Chưa đóng, có lý do",
}
# How a channel reads inside a sentence ("đã đóng tiền mặt", "qua Cổng DVCQG").
CHANNEL_PHRASES: dict[str, str] = {
    "cash": "tiền mặt",
    "dvcqg": "qua Cổng DVCQG",
    "bank": "chuyển khoản",
    "excused": "chưa đóng, có lý do",
}
REDUCTIONS = (30, 50, 70)


@dataclass(frozen=True)
class MemberInfo:
    id: str
    full_name: str
    status: str
    name_sort: str
    admission_date: dt.date | None
    card_number: str | None
    personal_id: str | None
    joined: str | None  # first dues month ("YYYY-MM"), None when unknown
    left: str | None  # last month in the branch, None while still in it

    def in_branch(self, month: str) -> bool:
        if self.joined is not None and month < self.joined:
            return False
        return self.left is None or month <= self.left

    def check_month(self, month: str) -> None:
        if self.joined is not None and month < self.joined:
            raise ValidationError(
                f"Tháng {month_label(month)} trước khi đồng chí {self.full_name} vào Đảng "
                f"({month_label(self.joined)}): không có đảng phí tháng đó.",
                field="month",
            )
        if self.left is not None and month > self.left:
            raise ValidationError(
                f"Tháng {month_label(month)} sau khi đồng chí {self.full_name} đã thôi sinh hoạt "
                f"ở chi bộ ({month_label(self.left)}).",
                field="month",
            )


@dataclass(frozen=True)
class SettingView:
    """One entry of a member's dues history."""

    id: str
    member_id: str
    effective_from: str
    basis: str
    income: int | None
    amount: int | None
    exempt_kind: str
    reduce_percent: int | None
    reduce_until: str | None
    reason: str
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def basis_label(self) -> str:
        return BASES.get(self.basis, self.basis)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "member_id": self.member_id,
            "effective_from": self.effective_from,
            "basis": self.basis,
            "basis_label": self.basis_label,
            "income": self.income,
            "amount": self.amount,
            "exempt_kind": self.exempt_kind,
            "reduce_percent": self.reduce_percent,
            "reduce_until": self.reduce_until,
            "reason": self.reason,
        }


def setting_view(row: DuesSetting) -> SettingView:
    return SettingView(
        id=row.id,
        member_id=row.member_id,
        effective_from=row.effective_from,
        basis=row.basis,
        income=row.income,
        amount=row.amount,
        exempt_kind=row.exempt_kind,
        reduce_percent=row.reduce_percent,
        reduce_until=row.reduce_until,
        reason=row.reason,
        recorded_by=row.recorded_by,
        recorded_at=row.updated_at,
    )


@dataclass(frozen=True)
class Due:
    """What a member owes for one month."""

    month: str
    amount: int  # đồng; 0 when exempt, not set or not in the branch
    in_branch: bool
    setting: SettingView | None
    exempt: bool
    exempt_reason: str  # Vietnamese, empty unless exempt
    reduce_percent: int | None

    @property
    def owed(self) -> bool:
        """A month the member must pay (in the branch, a setting in force, not exempt)."""
        return self.in_branch and self.setting is not None and not self.exempt


def base_amount(setting: SettingView, rules: DuesRules) -> int:
    """The monthly amount a setting asks before any reduction (voluntary amounts kept)."""
    return monthly_amount(rules, basis=setting.basis, income=setting.income, amount=setting.amount)


def monthly_amount(
    rules: DuesRules,
    *,
    basis: str,
    income: int | None = None,
    amount: int | None = None,
    reduce_percent: int | None = None,
) -> int:
    """What a member pays a month under `basis` (the rule the book applies; the rate dialog
    shows it while the secretary types): the rate of the income rounded, the fixed amount,
    or a higher voluntary amount; then the reduction, if any."""
    if basis == "exempt":
        return 0
    if basis == "fixed":
        value = amount if amount is not None else rules.fixed_amount
    else:
        bp = rules.salary_rate_bp if basis == "salary" else rules.pension_rate_bp
        value = round_amount((income or 0) * bp / 10_000, rules)
        if amount is not None and amount > value:
            value = amount  # a voluntary higher amount
    if reduce_percent:
        value = round_amount(value * (100 - reduce_percent) / 100, rules)
    return value


def party_years_month(member: MemberInfo, rules: DuesRules) -> str | None:
    """The month from which the member is exempt for tuổi đảng, None when unknown."""
    if member.admission_date is None:
        return None
    return month_of(milestones.add_years(member.admission_date, rules.exempt_party_years))


def due_for(member: MemberInfo, history: list[SettingView], month: str, rules: DuesRules) -> Due:
    """`history` sorted by effective_from; the latest one not after `month` is in force."""
    setting = None
    for entry in history:
        if entry.effective_from <= month:
            setting = entry
        else:
            break
    in_branch = member.in_branch(month)
    auto = party_years_month(member, rules)
    if auto is not None and month >= auto:
        return Due(
            month,
            0,
            in_branch,
            setting,
            True,
            f"Đủ {rules.exempt_party_years} năm tuổi Đảng",
            None,
        )
    if setting is None or not in_branch:
        return Due(month, 0, in_branch, setting, False, "", None)
    if setting.basis == "exempt":
        kind = EXEMPT_KINDS.get(setting.exempt_kind, "")
        why = "; ".join(p for p in (kind, setting.reason) if p) or "Miễn đóng"
        return Due(month, 0, True, setting, True, why, None)
    amount = base_amount(setting, rules)
    percent = None
    if (
        setting.reduce_percent
        and setting.reduce_until is not None
        and month <= setting.reduce_until
    ):
        percent = setting.reduce_percent
        amount = round_amount(amount * (100 - percent) / 100, rules)
    return Due(month, amount, True, setting, False, "", percent)


# --- reading ----------------------------------------------------------------------------


def _left_months(s: Session, member_ids: Iterable[str]) -> dict[str, str]:
    """The month each member left the branch, from the audit entry of the status change."""
    ids = list(member_ids)
    out: dict[str, str] = {}
    if not ids:
        return out
    left = {st.value for st in MemberStatus.left()}
    q = (
        select(AuditEntry.entity_id, AuditEntry.at, AuditEntry.changes_json)
        .where(AuditEntry.entity == Entity.MEMBER, AuditEntry.entity_id.in_(ids))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for member_id, at, raw in s.execute(q):
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            continue
        change = data.get("status") if isinstance(data, dict) else None
        if isinstance(change, list) and len(change) == 2 and change[1] in left:
            out[member_id] = month_of(at.date())
    return out


_MEMBER_COLUMNS = (
    Member.id,
    Member.full_name,
    Member.status,
    Member.name_sort,
    Member.admission_date,
    Member.card_number,
    Member.personal_id,
    Member.updated_at,
    Member.left_date,
    Member.death_date,
)


def _infos(s: Session, rows: list[tuple[object, ...]]) -> list[MemberInfo]:
    left_statuses = set(MemberStatus.left())
    gone = [str(r[0]) for r in rows if r[2] in left_statuses]
    left = _left_months(s, gone)
    out: list[MemberInfo] = []
    for mid, name, status, sort, admitted, card, pid, updated, left_on, died in rows:
        assert isinstance(mid, str) and isinstance(updated, dt.datetime)
        admission = admitted if isinstance(admitted, dt.date) else None
        left_month = None
        if status in left_statuses:
            # The recorded date of leaving (chuyển đi / xóa tên, or từ trần); for members
            # stored without one, the month the status was changed.
            on = left_on if status != MemberStatus.DECEASED else died
            if isinstance(on, dt.date):
                left_month = month_of(on)
            else:
                left_month = left.get(mid) or month_of(updated.date())
        out.append(
            MemberInfo(
                id=mid,
                full_name=str(name),
                status=str(status),
                name_sort=str(sort),
                admission_date=admission,
                card_number=card if isinstance(card, str) else None,
                personal_id=pid if isinstance(pid, str) else None,
                joined=month_of(admission) if admission else None,
                left=left_month,
            )
        )
    return out


_MEMBER_BY_ID = select(*_MEMBER_COLUMNS, Member.deleted_at).where(
    Member.id == bindparam("member_id")
)


def member_info(s: Session, member_id: str) -> MemberInfo:
    row = s.execute(_MEMBER_BY_ID, {"member_id": member_id}).first()
    if row is None:
        raise NotFoundError(f"Không tìm thấy đảng viên có mã {member_id}.")
    if row[-1] is not None:
        raise NotFoundError(f"Đảng viên có mã {member_id} đã bị xóa khỏi sổ.")
    return _infos(s, [tuple(row[:-1])])[0]


def members_in(s: Session, first: str, last: str) -> list[MemberInfo]:
    """Members in the branch at some time between two months, in Vietnamese name order."""
    rows = s.execute(
        select(*_MEMBER_COLUMNS)
        .where(Member.deleted_at.is_(None))
        .order_by(Member.name_sort, Member.id)
    ).all()
    infos = _infos(s, [tuple(r) for r in rows])
    return [
        m
        for m in infos
        if (m.joined is None or m.joined <= last) and (m.left is None or m.left >= first)
    ]


def find_member(s: Session, ref: str) -> MemberInfo:
    """A member by id, card number, CCCD or full name (refused when two share the name)."""
    text = clean(ref)
    if not text:
        raise ValidationError("Cần chỉ rõ đảng viên (mã, số thẻ, số định danh hoặc họ tên).")
    by_id = s.execute(_MEMBER_BY_ID, {"member_id": text}).first()
    if by_id is not None and by_id[-1] is None:
        return _infos(s, [tuple(by_id[:-1])])[0]
    base = select(Member.id).where(Member.deleted_at.is_(None))
    for cond in (Member.card_number == text, Member.personal_id == text):
        found = list(s.scalars(base.where(cond)))
        if len(found) == 1:
            return member_info(s, found[0])
    found = list(s.scalars(base.where(Member.name_search == fold(text))))
    if len(found) == 1:
        return member_info(s, found[0])
    if len(found) > 1:
        raise ValidationError(
            f"Có {len(found)} đảng viên tên “{text}”; hãy dùng mã, số thẻ hoặc số định danh.",
            field="member",
        )
    raise NotFoundError(f"Không tìm thấy đảng viên “{text}” trong sổ.")


def histories(s: Session, member_ids: Iterable[str] | None = None) -> dict[str, list[SettingView]]:
    q = select(DuesSetting).where(DuesSetting.deleted_at.is_(None))
    if member_ids is not None:
        q = q.where(DuesSetting.member_id.in_(list(member_ids)))
    out: dict[str, list[SettingView]] = {}
    for row in s.scalars(q.order_by(DuesSetting.effective_from, DuesSetting.created_at)):
        out.setdefault(row.member_id, []).append(setting_view(row))
    return out


def first_tracked_month(s: Session) -> str | None:
    """The first month the book tracks dues: its earliest live setting (a rate or an
    exemption) of any member; None while no setting is recorded."""
    value = s.scalar(
        select(func.min(DuesSetting.effective_from)).where(DuesSetting.deleted_at.is_(None))
    )
    return str(value) if value is not None else None


@dataclass(frozen=True)
class PaymentView:
    id: str
    member_id: str
    month: str
    amount: int
    paid_on: dt.date
    channel: str
    reference: str
    batch_id: str
    receipt_no: int | None
    note: str
    receipt_series: str = ""

    @property
    def receipt_label(self) -> str:
        if self.receipt_no is None:
            return ""
        return receipt_label(self.receipt_series, self.receipt_no, self.paid_on.year)

    @property
    def paid(self) -> bool:
        return self.channel != "excused"

    @property
    def channel_label(self) -> str:
        return CHANNELS.get(self.channel, self.channel)

    @property
    def channel_phrase(self) -> str:
        return CHANNEL_PHRASES.get(self.channel, self.channel)

    @property
    def timing(self) -> str:
        """ "late" (after its month), "advance" (before its month) or "on_time"."""
        if self.paid_on > last_day(self.month):
            return "late"
        if self.paid_on < first_day(self.month):
            return "advance"
        return "on_time"

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "member_id": self.member_id,
            "month": self.month,
            "amount": self.amount,
            "paid_on": self.paid_on.isoformat(),
            "channel": self.channel,
            "reference": self.reference,
            "receipt_no": self.receipt_no,
            "receipt_series": self.receipt_series,
            "receipt_label": self.receipt_label,
            "timing": self.timing,
            "note": self.note,
        }


def payment_view(row: DuesPayment) -> PaymentView:
    return PaymentView(
        id=row.id,
        member_id=row.member_id,
        month=row.month,
        amount=row.amount,
        paid_on=row.paid_on,
        channel=row.channel,
        reference=row.reference,
        batch_id=row.batch_id,
        receipt_no=row.receipt_no,
        note=row.note,
        receipt_series=row.receipt_series or "",
    )


def payments_for(s: Session, first: str, last: str) -> dict[tuple[str, str], PaymentView]:
    """(member id, month) → the live payment of that month, for months in [first, last]."""
    q = select(DuesPayment).where(
        DuesPayment.deleted_at.is_(None), DuesPayment.month >= first, DuesPayment.month <= last
    )
    return {(p.member_id, p.month): payment_view(p) for p in s.scalars(q)}


def previous_month(month: str) -> str:
    return add_months(month, -1)

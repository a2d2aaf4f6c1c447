"""Writing the dues book: a member's setting, payments (cash or DVCQG, late or in advance),
months excused with a reason, cancelled payments and remittances upward.

Every write is one transaction, committed (synchronous=FULL) before the call returns, and
goes through the change helpers: audited and queued for sync in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import DuesPayment, DuesRemittance, DuesSetting, new_id
from app.services import changes
from app.services.dues.ledger import (
    BASES,
    CHANNEL_PHRASES,
    EXEMPT_KINDS,
    REDUCTIONS,
    MemberInfo,
    PaymentView,
    SettingView,
    base_amount,
    due_for,
    find_member,
    histories,
    payment_view,
    setting_view,
)
from app.services.dues.rules import (
    DuesRules,
    Period,
    add_months,
    month_label,
    month_of,
    months_between,
    months_label,
    parse_period,
    rules_in,
    series_in,
)
from app.services.dues.rules import money as fmt_money
from app.text import clean
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book

PAY_CHANNELS = ("cash", "dvcqg", "bank")


def _check_amount(value: int | None, rules: DuesRules, *, what: str) -> None:
    if value is None:
        return
    if value <= 0:
        raise ValidationError(f"{what} phải lớn hơn 0 đồng (nhận được {value}).", field="amount")
    if value > rules.max_monthly_amount:
        raise ValidationError(
            f"{what} {fmt_money(value)} đ vượt quá mức hợp lý "
            f"({fmt_money(rules.max_monthly_amount)} đ một tháng); hãy kiểm tra lại số đã nhập.",
            field="amount",
        )


# --- settings -----------------------------------------------------------------------------


def set_setting(
    book: Book,
    *,
    member: str,
    basis: str,
    income: int | None = None,
    amount: int | None = None,
    exempt_kind: str = "",
    reduce_percent: int | None = None,
    reduce_until: str | None = None,
    reason: str = "",
    effective_from: str | None = None,
    today: dt.date | None = None,
) -> SettingView:
    """Record how `member` (id, card number, CCCD or name) pays from `effective_from` on
    (default: this month). A setting from the same month replaces the earlier one; older
    months keep theirs (the history)."""
    basis = clean(basis).lower()
    if basis not in BASES:
        raise ValidationError(
            f"Cách tính “{basis}” không hợp lệ. Chọn: "
            + ", ".join(f"{k} ({v})" for k, v in BASES.items())
            + ".",
            field="basis",
        )
    reason = clean(reason)
    exempt_kind = clean(exempt_kind).lower()
    start = effective_from or month_of(today or dt.date.today())
    with book.session() as s:
        rules = rules_in(s)
        info = find_member(s, member)
        info.check_month(start)
        if basis in ("salary", "pension"):
            if income is None:
                raise ValidationError(
                    "Cần nhập thu nhập hằng tháng để tính đảng phí theo "
                    + ("tiền lương." if basis == "salary" else "lương hưu."),
                    field="income",
                )
            if not 0 < income <= rules.max_income:
                raise ValidationError(
                    f"Thu nhập hằng tháng {fmt_money(income)} đ không hợp lý; hãy kiểm tra lại.",
                    field="income",
                )
        elif income is not None:
            raise ValidationError(
                "Thu nhập chỉ dùng với cách tính salary hoặc pension.", field="income"
            )
        _check_amount(amount, rules, what="Số tiền đóng")
        if basis == "exempt":
            if amount is not None:
                raise ValidationError("Đảng viên được miễn thì không ghi số tiền.", field="amount")
            if exempt_kind and exempt_kind not in EXEMPT_KINDS:
                raise ValidationError(
                    f"Diện miễn “{exempt_kind}” không hợp lệ. Chọn: "
                    + ", ".join(f"{k} ({v})" for k, v in EXEMPT_KINDS.items())
                    + ".",
                    field="exempt_kind",
                )
            if not reason:
                raise ValidationError(
                    "Miễn đóng đảng phí cần ghi lý do, ví dụ số đơn đề nghị.",
                    field="reason",
                )
        elif exempt_kind:
            raise ValidationError("Diện miễn chỉ dùng với cách tính exempt.", field="exempt_kind")
        if reduce_percent is not None or reduce_until is not None:
            _check_reduction(basis, start, reduce_percent, reduce_until, reason, rules)
        draft = SettingView(
            "",
            info.id,
            start,
            basis,
            income,
            amount,
            exempt_kind,
            reduce_percent,
            reduce_until,
            reason,
            book.actor,
            dt.datetime.now(),
        )
        if basis in ("salary", "pension") and amount is not None:
            computed = base_amount(replace(draft, amount=None), rules)
            if amount < computed:
                raise ValidationError(
                    f"Số tiền tự nguyện {fmt_money(amount)} đ thấp hơn mức phải đóng "
                    f"{fmt_money(computed)} đ; muốn đóng ít hơn thì ghi giảm.",
                    field="amount",
                )
        existing = s.scalar(
            select(DuesSetting).where(
                DuesSetting.member_id == info.id,
                DuesSetting.effective_from == start,
                DuesSetting.deleted_at.is_(None),
            )
        )
        values = {
            "basis": basis,
            "income": income,
            "amount": amount,
            "exempt_kind": exempt_kind,
            "reduce_percent": reduce_percent,
            "reduce_until": reduce_until,
            "reason": reason,
            "recorded_by": book.actor,
        }
        summary = f"Mức đóng đảng phí của đồng chí {info.full_name} từ tháng {month_label(start)}"
        if existing is None:
            row = DuesSetting(id=new_id(), member_id=info.id, effective_from=start, **values)
            changes.create(s, row, actor=book.actor, entity=Entity.DUES_SETTING, summary=summary)
        else:
            row = existing
            before = row.sync_fields()
            for key, value in values.items():
                setattr(row, key, value)
            changes.update(
                s,
                row,
                actor=book.actor,
                entity=Entity.DUES_SETTING,
                summary=summary,
                delta=changes.diff(before, row.sync_fields()),
                reason=reason,
            )
        return setting_view(row)


def set_settings(
    book: Book,
    *,
    members: Sequence[str],
    basis: str,
    incomes: Mapping[str, int | None] | None = None,
    amount: int | None = None,
    reason: str = "",
    effective_from: str | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[SettingView]:
    """The same rule for several members (a first evening's 33 rates): one `set_setting`
    per member, so each is checked and audited on its own. `incomes` gives each member's
    income (salary or pension basis); a member without one is refused before anything is
    written. A later refusal (e.g. an income out of range) stops there and says how many
    members before it were saved."""
    if not members:
        raise ValidationError("Chưa chọn đảng viên nào.", field="member")
    incomes = incomes or {}
    if clean(basis).lower() in ("salary", "pension"):
        missing = [m for m in members if not incomes.get(m)]
        if missing:
            with book.read_session() as s:
                name = find_member(s, missing[0]).full_name
            raise ValidationError(
                f"Chưa ghi thu nhập hằng tháng của đồng chí {name}"
                + (f" và {len(missing) - 1} đồng chí khác." if len(missing) > 1 else "."),
                field="income",
            )
    saved: list[SettingView] = []
    for index, member in enumerate(members):
        try:
            saved.append(
                set_setting(
                    book,
                    member=member,
                    basis=basis,
                    income=incomes.get(member),
                    amount=amount,
                    reason=reason,
                    effective_from=effective_from,
                    today=today,
                )
            )
        except ValidationError as exc:
            with book.read_session() as s:
                name = find_member(s, member).full_name
            raise ValidationError(
                f"Đồng chí {name}: {exc} (đã lưu mức đóng của {len(saved)} đồng chí trước đó.)",
                field=exc.field,
            ) from exc
        if progress is not None:
            progress(index + 1, len(members))
    return saved


def _check_reduction(
    basis: str,
    start: str,
    percent: int | None,
    until: str | None,
    reason: str,
    rules: DuesRules,
) -> None:
    if basis == "exempt":
        raise ValidationError("Đảng viên đã được miễn thì không ghi giảm.", field="reduce")
    if percent not in REDUCTIONS:
        raise ValidationError(
            "Mức giảm đảng phí chỉ nhận 30, 50 hoặc 70 (%).", field="reduce_percent"
        )
    if until is None:
        raise ValidationError("Giảm đảng phí cần ghi đến tháng nào.", field="reduce_until")
    if until < start:
        raise ValidationError(
            f"Tháng kết thúc giảm ({month_label(until)}) trước tháng bắt đầu "
            f"({month_label(start)}).",
            field="reduce_until",
        )
    length = months_between(start, until)
    if length > rules.max_reduce_months:
        raise ValidationError(
            f"Mỗi lần chỉ được giảm đảng phí tối đa {rules.max_reduce_months} tháng; "
            f"từ {month_label(start)} đến {month_label(until)} là {length} tháng.",
            field="reduce_until",
        )
    if not reason:
        raise ValidationError("Giảm đảng phí cần ghi lý do, ví dụ số đơn đề nghị.", field="reason")


def history(book: Book, *, member: str) -> list[SettingView]:
    """The member's settings, oldest first."""
    with book.read_session() as s:
        info = find_member(s, member)
        return histories(s, [info.id]).get(info.id, [])


# --- payments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentResult:
    member_id: str
    full_name: str
    payments: tuple[PaymentView, ...]

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def receipt_no(self) -> int | None:
        return self.payments[0].receipt_no if self.payments else None

    @property
    def receipt_label(self) -> str:
        """ "B-001/2026" (the desktop's series, number, year of payment); "" without one."""
        return self.payments[0].receipt_label if self.payments else ""

    def to_json(self) -> dict[str, object]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "months": [p.month for p in self.payments],
            "total": self.total,
            "receipt_no": self.receipt_no,
            "receipt_label": self.receipt_label,
            "payments": [p.to_json() for p in self.payments],
        }


def _next_receipt(s: Session, year: int, series: str) -> int:
    """The next number of this desktop's series in `year`. Each desktop numbers only its own
    series, so another desktop of the branch (whose receipts arrive at the committee, never
    here) cannot take the same number; within this book the write transaction (BEGIN
    IMMEDIATE) keeps two payments from taking one number."""
    current = s.scalar(
        select(func.max(DuesPayment.receipt_no)).where(
            DuesPayment.receipt_series == series,
            DuesPayment.paid_on >= dt.date(year, 1, 1),
            DuesPayment.paid_on <= dt.date(year, 12, 31),
        )
    )
    return int(current or 0) + 1


def pay(
    book: Book,
    *,
    member: str,
    months: Sequence[str],
    amount: int | None = None,
    via: str = "cash",
    reference: str = "",
    paid_on: dt.date | None = None,
    today: dt.date | None = None,
) -> PaymentResult:
    """Record dues paid for `months` (late months and months in advance allowed): `amount`
    is per month and defaults to what is due. All months or none are stored."""
    with book.session() as s:
        info = find_member(s, member)
        return pay_in(
            s,
            book.actor,
            info,
            months=months,
            amount=amount,
            via=via,
            reference=reference,
            paid_on=paid_on,
            today=today,
        )


def pay_in(
    s: Session,
    actor: str,
    info: MemberInfo,
    *,
    months: Sequence[str],
    amount: int | None,
    via: str,
    reference: str,
    paid_on: dt.date | None,
    today: dt.date | None,
    note: str = "",
) -> PaymentResult:
    today = today or dt.date.today()
    paid_on = paid_on or today
    via = clean(via).lower()
    reference = clean(reference)
    if via not in PAY_CHANNELS:
        raise ValidationError(
            f"Hình thức đóng “{via}” không hợp lệ. Chọn cash (tiền mặt), dvcqg "
            "(Cổng Dịch vụ công Quốc gia) hoặc bank (chuyển khoản).",
            field="via",
        )
    if via == "dvcqg" and not reference:
        raise ValidationError(
            "Đóng qua Cổng Dịch vụ công Quốc gia cần ghi mã giao dịch.", field="ref"
        )
    if paid_on > today:
        raise ValidationError(
            f"Ngày đóng {paid_on:%d/%m/%Y} chưa đến; hãy ghi ngày đã nhận tiền.", field="date"
        )
    if not months:
        raise ValidationError("Cần chọn ít nhất một tháng.", field="month")
    if len(set(months)) != len(months):
        raise ValidationError("Một tháng được ghi hai lần trong cùng một lần đóng.", field="month")
    rules = rules_in(s)
    _check_amount(amount, rules, what="Số tiền mỗi tháng")
    limit = add_months(month_of(paid_on), rules.max_advance_months)
    history = histories(s, [info.id]).get(info.id, [])
    existing = {
        p.month: p
        for p in s.scalars(
            select(DuesPayment).where(
                DuesPayment.member_id == info.id,
                DuesPayment.month.in_(list(months)),
                DuesPayment.deleted_at.is_(None),
            )
        )
    }
    plan: list[tuple[str, int, DuesPayment | None]] = []
    for month in sorted(months):
        info.check_month(month)
        if month > limit:
            raise ValidationError(
                f"Chỉ ghi đóng trước tối đa {rules.max_advance_months} tháng; tháng "
                f"{month_label(month)} còn quá xa.",
                field="month",
            )
        before = existing.get(month)
        if before is not None and before.channel != "excused":
            raise ValidationError(
                f"Đồng chí {info.full_name} đã đóng đảng phí tháng {month_label(month)} "
                f"({fmt_money(before.amount)} đ, ngày {before.paid_on:%d/%m/%Y}, "
                f"{CHANNEL_PHRASES.get(before.channel, before.channel)}); không ghi lần hai.",
                field="month",
            )
        due = due_for(info, history, month, rules)
        if amount is None:
            if due.exempt:
                raise ValidationError(
                    f"Đồng chí {info.full_name} được miễn đảng phí tháng {month_label(month)} "
                    f"({due.exempt_reason}); muốn đóng tự nguyện thì ghi số tiền.",
                    field="amount",
                )
            if due.setting is None:
                raise ValidationError(
                    f"Chưa có mức đóng đảng phí của đồng chí {info.full_name} cho tháng "
                    f"{month_label(month)}: hãy ghi mức đóng trước hoặc ghi số "
                    "tiền.",
                    field="amount",
                )
            value = due.amount
        else:
            value = amount
            if not due.exempt and due.setting is not None and value < due.amount:
                raise ValidationError(
                    f"Số tiền {fmt_money(value)} đ thấp hơn đảng phí phải đóng tháng "
                    f"{month_label(month)} ({fmt_money(due.amount)} đ).",
                    field="amount",
                )
        plan.append((month, value, before))
    batch = new_id()
    series = series_in(s) if via == "cash" else ""
    receipt = _next_receipt(s, paid_on.year, series) if via == "cash" else None
    done: list[PaymentView] = []
    for month, value, before in plan:
        summary = (
            f"Đồng chí {info.full_name} đóng đảng phí tháng {month_label(month)}: "
            f"{fmt_money(value)} đ ({CHANNEL_PHRASES[via]})"
        )
        if before is None:
            row = DuesPayment(
                id=new_id(),
                member_id=info.id,
                month=month,
                amount=value,
                paid_on=paid_on,
                channel=via,
                reference=reference,
                batch_id=batch,
                receipt_no=receipt,
                receipt_series=series,
                note=note,
                recorded_by=actor,
            )
            changes.create(s, row, actor=actor, entity=Entity.DUES_PAYMENT, summary=summary)
        else:
            row = before
            old = row.sync_fields()
            row.amount, row.paid_on, row.channel = value, paid_on, via
            row.reference, row.batch_id, row.receipt_no = reference, batch, receipt
            row.receipt_series = series
            row.note, row.recorded_by = note, actor
            changes.update(
                s,
                row,
                actor=actor,
                entity=Entity.DUES_PAYMENT,
                summary=summary,
                delta=changes.diff(old, row.sync_fields()),
            )
        done.append(payment_view(row))
    return PaymentResult(info.id, info.full_name, tuple(done))


def excuse(
    book: Book,
    *,
    member: str,
    months: Sequence[str],
    reason: str,
    today: dt.date | None = None,
) -> PaymentResult:
    """Record why a member has not paid `months` (a recorded reason keeps those months out
    of the xóa tên count; they stay unpaid)."""
    reason = clean(reason)
    if not reason:
        raise ValidationError("Cần ghi lý do chưa đóng đảng phí.", field="reason")
    today = today or dt.date.today()
    with book.session() as s:
        info = find_member(s, member)
        taken = {
            p.month: p
            for p in s.scalars(
                select(DuesPayment).where(
                    DuesPayment.member_id == info.id,
                    DuesPayment.month.in_(list(months)),
                    DuesPayment.deleted_at.is_(None),
                )
            )
        }
        batch = new_id()
        done: list[PaymentView] = []
        for month in sorted(set(months)):
            info.check_month(month)
            if month in taken:
                raise ValidationError(
                    f"Tháng {month_label(month)} của đồng chí {info.full_name} đã có ghi chép "
                    f"({CHANNEL_PHRASES.get(taken[month].channel, '')}).",
                    field="month",
                )
            row = DuesPayment(
                id=new_id(),
                member_id=info.id,
                month=month,
                amount=0,
                paid_on=today,
                channel="excused",
                reference="",
                batch_id=batch,
                receipt_no=None,
                receipt_series="",
                note=reason,
                recorded_by=book.actor,
            )
            changes.create(
                s,
                row,
                actor=book.actor,
                entity=Entity.DUES_PAYMENT,
                summary=f"Đồng chí {info.full_name} chưa đóng đảng phí tháng "
                f"{month_label(month)}, có lý do: {reason}",
                reason=reason,
            )
            done.append(payment_view(row))
        return PaymentResult(info.id, info.full_name, tuple(done))


def cancel(book: Book, *, member: str, month: str, reason: str) -> PaymentView:
    """Remove a payment recorded by mistake (kept in the audit trail, sent as a delete)."""
    reason = clean(reason)
    if not reason:
        raise ValidationError("Hủy một khoản đã ghi cần ghi lý do.", field="reason")
    with book.session() as s:
        info = find_member(s, member)
        row = s.scalar(
            select(DuesPayment).where(
                DuesPayment.member_id == info.id,
                DuesPayment.month == month,
                DuesPayment.deleted_at.is_(None),
            )
        )
        if row is None:
            raise ValidationError(
                f"Đồng chí {info.full_name} chưa có khoản đảng phí nào tháng {month_label(month)}.",
                field="month",
            )
        changes.tombstone(
            s,
            row,
            actor=book.actor,
            entity=Entity.DUES_PAYMENT,
            summary=f"Hủy khoản đảng phí tháng {month_label(month)} của đồng chí {info.full_name}",
            reason=reason,
        )
        return payment_view(row)


# --- remittance upward ----------------------------------------------------------------------


@dataclass(frozen=True)
class RemittanceView:
    id: str
    period: str
    amount: int
    remitted_on: dt.date
    note: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "period": self.period,
            "amount": self.amount,
            "remitted_on": self.remitted_on.isoformat(),
            "note": self.note,
        }


def remit(
    book: Book,
    *,
    period: str,
    amount: int | None = None,
    remitted_on: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> RemittanceView:
    """Record dues remitted upward for a month or a quarter; `amount` defaults to what the
    period's report says is to be remitted (collected minus the branch's share)."""
    from app.services.dues.sheets import period_figures

    parsed: Period = parse_period(period)
    today = today or dt.date.today()
    remitted_on = remitted_on or today
    if remitted_on > today:
        raise ValidationError(f"Ngày nộp {remitted_on:%d/%m/%Y} chưa đến.", field="date")
    with book.session() as s:
        rules = rules_in(s)
        figures = period_figures(s, parsed, rules)
        value = figures.to_remit if amount is None else amount
        if value <= 0:
            raise ValidationError(
                f"Số tiền nộp lên cấp trên phải lớn hơn 0 (kỳ {parsed.label} chưa thu được "
                "khoản nào cần nộp)."
                if amount is None
                else f"Số tiền nộp lên cấp trên phải lớn hơn 0 (nhận được {amount}).",
                field="amount",
            )
        if value > rules.max_monthly_amount * 1000:
            raise ValidationError(
                f"Số tiền {fmt_money(value)} đ không hợp lý; hãy kiểm tra lại.", field="amount"
            )
        row = DuesRemittance(
            id=new_id(),
            period=parsed.code,
            amount=value,
            remitted_on=remitted_on,
            note=clean(note),
            recorded_by=book.actor,
        )
        changes.create(
            s,
            row,
            actor=book.actor,
            entity=Entity.DUES_REMITTANCE,
            summary=f"Nộp đảng phí {parsed.label} lên cấp trên: {fmt_money(value)} đ",
        )
        return RemittanceView(row.id, row.period, row.amount, row.remitted_on, row.note)


__all__ = [
    "PAY_CHANNELS",
    "PaymentResult",
    "RemittanceView",
    "cancel",
    "excuse",
    "history",
    "months_label",
    "pay",
    "remit",
    "set_setting",
]

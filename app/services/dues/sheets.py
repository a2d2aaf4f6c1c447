"""Reading the dues book: the monthly collection sheet, the yearly book, a member's own
page, a period's collected/retained/remitted figures, receipts, and unpaid-month warnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFoundError, ValidationError
from app.models import DuesPayment, DuesRemittance
from app.services.dues.entries import RemittanceView
from app.services.dues.ledger import (
    CHANNELS,
    Due,
    MemberInfo,
    PaymentView,
    SettingView,
    due_for,
    find_member,
    first_tracked_month,
    histories,
    members_in,
    payment_view,
    payments_for,
)
from app.services.dues.rules import (
    DuesRules,
    OwingWindow,
    Period,
    collector_in,
    month_label,
    month_of,
    months_label,
    owing_window,
    parse_month,
    receipt_label,
    rules_in,
    secretary_in,
)
from app.services.dues.rules import money as fmt_money

if TYPE_CHECKING:
    from app.book import Book


@dataclass(frozen=True)
class SheetRow:
    """One member on the monthly collection sheet."""

    member_id: str
    full_name: str
    due: int
    exempt: bool
    exempt_reason: str
    reduce_percent: int | None
    basis: str | None  # None: no setting yet
    payment: PaymentView | None  # the month's payment or excuse
    owing: tuple[str, ...] = ()  # earlier months still unpaid, in `owing_window`
    owing_unexcused: tuple[str, ...] = ()  # those of them without a recorded reason
    owing_window: OwingWindow | None = None  # the sheet's window (the same for every row)

    @property
    def paid(self) -> int:
        return self.payment.amount if self.payment is not None and self.payment.paid else 0

    @property
    def is_paid(self) -> bool:
        return self.payment is not None and self.payment.paid

    @property
    def channel(self) -> str | None:
        return self.payment.channel if self.payment is not None else None

    @property
    def state_label(self) -> str:
        if self.is_paid and self.payment is not None:
            return f"Đã đóng ({self.payment.channel_phrase})"
        if self.exempt:
            return "Miễn"
        if self.payment is not None:
            return f"Chưa đóng, có lý do: {self.payment.note}"
        if self.basis is None:
            return "Chưa ghi mức đóng"
        return "Chưa đóng"

    def to_json(self) -> dict[str, object]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "due": self.due,
            "paid": self.paid,
            "exempt": self.exempt,
            "channel": self.channel,
            "owing": list(self.owing),
            "owing_text": months_label(self.owing),
        }


@dataclass(frozen=True)
class MonthSheet:
    month: str
    rows: tuple[SheetRow, ...]
    owing_window: OwingWindow | None = None

    @property
    def total_due(self) -> int:
        return sum(r.due for r in self.rows)

    @property
    def total_paid(self) -> int:
        return sum(r.paid for r in self.rows)

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.is_paid)

    def row(self, member_id: str) -> SheetRow | None:
        return next((r for r in self.rows if r.member_id == member_id), None)

    def to_json(self) -> dict[str, object]:
        return {
            "month": self.month,
            "rows": [r.to_json() for r in self.rows],
            "total_due": self.total_due,
            "total_paid": self.total_paid,
            "owing_window": self.owing_window.to_json() if self.owing_window else None,
        }


def _sheet_row(
    m: MemberInfo,
    due: Due,
    payment: PaymentView | None,
    owed: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    window: OwingWindow | None = None,
) -> SheetRow:
    return SheetRow(
        member_id=m.id,
        full_name=m.full_name,
        due=0 if due.exempt else due.amount,
        exempt=due.exempt,
        exempt_reason=due.exempt_reason,
        reduce_percent=due.reduce_percent,
        basis=due.setting.basis if due.setting is not None else None,
        payment=payment,
        owing=owed[0],
        owing_unexcused=owed[1],
        owing_window=window,
    )


def book_owing_window(book: Book, *, month: str) -> OwingWindow:
    """The owed-months window as at the start of `month` in this book: the branch's rule,
    starting no earlier than the book's first setting (what `month_sheet` and
    `unpaid_members` count)."""
    month = parse_month(month)
    with book.read_session() as s:
        return owing_window(rules_in(s), month, tracked_from=first_tracked_month(s))


def month_sheet(book: Book, *, month: str) -> MonthSheet:
    """Each member in the branch that month: the amount due, what was paid, and the earlier
    months still unpaid as at that month (the window of the branch's xóa tên rule)."""
    month = parse_month(month)
    with book.read_session() as s:
        rules = rules_in(s)
        window = owing_window(rules, month, tracked_from=first_tracked_month(s))
        members = members_in(s, month, month)
        hist = histories(s, [m.id for m in members])
        paid = payments_for(s, window.first, month)
    owed = _owed_months(members, hist, paid, window, rules)
    rows = [
        _sheet_row(
            m,
            due_for(m, hist.get(m.id, []), month, rules),
            paid.get((m.id, month)),
            owed.get(m.id, ((), ())),
            window,
        )
        for m in members
    ]
    return MonthSheet(month, tuple(rows), window)


def _owed_months(
    members: list[MemberInfo],
    hist: dict[str, list[SettingView]],
    paid: dict[tuple[str, str], PaymentView],
    window: OwingWindow,
    rules: DuesRules,
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """member id → (months in the window owed and not paid, those of them without a recorded
    reason); members owing nothing are left out."""
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for m in members:
        unpaid: list[str] = []
        unexcused: list[str] = []
        for month in window.months:
            if not due_for(m, hist.get(m.id, []), month, rules).owed:
                continue
            p = paid.get((m.id, month))
            if p is not None and p.paid:
                continue
            unpaid.append(month)
            if p is None:
                unexcused.append(month)
        if unpaid:
            out[m.id] = (tuple(unpaid), tuple(unexcused))
    return out


# --- the yearly book ------------------------------------------------------------------------


@dataclass(frozen=True)
class BookCell:
    month: str
    due: int
    paid: int
    state: str  # paid | unpaid | excused | exempt | not_set | outside
    # not_set: before the member's first rate, or before the book's first setting of anyone
    # (`first_tracked_month`). Such a month is not tracked by the book (the sheet's "còn nợ"
    # and `dues unpaid` do not count it either), so it prints "—", never as a blank "chưa
    # đóng" cell, and never "Miễn" for a tuổi đảng exemption the book did not yet follow:
    # the same rule for payers and exempt members.
    channel: str | None

    @property
    def mark(self) -> str:
        """What the printed grid shows in the cell."""
        if self.state == "paid":
            return fmt_money(self.paid)
        return {"exempt": "Miễn", "excused": "LD", "outside": "—", "not_set": "—"}.get(
            self.state, ""
        )


@dataclass(frozen=True)
class BookRow:
    index: int
    member_id: str
    full_name: str
    cells: tuple[BookCell, ...]  # January..December

    @property
    def total_due(self) -> int:
        return sum(c.due for c in self.cells)

    @property
    def total_paid(self) -> int:
        return sum(c.paid for c in self.cells)

    @property
    def unpaid_months(self) -> tuple[str, ...]:
        return tuple(c.month for c in self.cells if c.state in ("unpaid", "excused"))


@dataclass(frozen=True)
class YearBook:
    year: int
    rows: tuple[BookRow, ...]
    rules: DuesRules
    collector: str = ""  # who signs as người thu đảng phí (rules.collector or the secretary)

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(f"{self.year:04d}-{m:02d}" for m in range(1, 13))

    def month_paid(self, index: int) -> int:
        return sum(r.cells[index].paid for r in self.rows)

    @property
    def total_due(self) -> int:
        return sum(r.total_due for r in self.rows)

    @property
    def total_paid(self) -> int:
        return sum(r.total_paid for r in self.rows)


def _cell(due: Due, payment: PaymentView | None, tracked_from: str | None) -> BookCell:
    if payment is not None and payment.paid:
        return BookCell(
            due.month, 0 if due.exempt else due.amount, payment.amount, "paid", payment.channel
        )
    if not due.in_branch:
        return BookCell(due.month, 0, 0, "outside", None)
    if tracked_from is None or due.month < tracked_from:
        return BookCell(due.month, 0, 0, "not_set", None)
    if due.exempt:
        return BookCell(due.month, 0, 0, "exempt", None)
    if due.setting is None:
        return BookCell(due.month, 0, 0, "not_set", None)
    state = "excused" if payment is not None else "unpaid"
    return BookCell(due.month, due.amount, 0, state, payment.channel if payment else None)


def _year_rows(s: Session, year: int, member: MemberInfo | None = None) -> YearBook:
    rules = rules_in(s)
    first, last = f"{year:04d}-01", f"{year:04d}-12"
    members = [member] if member is not None else members_in(s, first, last)
    hist = histories(s, [m.id for m in members])
    paid = payments_for(s, first, last)
    tracked_from = first_tracked_month(s)
    rows: list[BookRow] = []
    for index, m in enumerate(members, start=1):
        cells = tuple(
            _cell(
                due_for(m, hist.get(m.id, []), month, rules),
                paid.get((m.id, month)),
                tracked_from,
            )
            for month in (f"{year:04d}-{i:02d}" for i in range(1, 13))
        )
        rows.append(BookRow(index, m.id, m.full_name, cells))
    return YearBook(year, tuple(rows), rules, collector_in(s, secretary_in(s)))


def _check_year(year: int) -> int:
    if not 1900 <= year <= 2200:
        raise ValidationError(f"Năm {year} không hợp lệ.", field="year")
    return year


def year_book(book: Book, *, year: int) -> YearBook:
    """The yearly dues book: every member in the branch that year, month by month."""
    _check_year(year)
    with book.read_session() as s:
        return _year_rows(s, year)


@dataclass(frozen=True)
class MemberPage:
    """A member's own year, for the large-print page handed to the member."""

    member_id: str
    full_name: str
    year: int
    row: BookRow
    payments: tuple[PaymentView, ...]
    basis_line: str


def member_page(book: Book, *, member: str, year: int) -> MemberPage:
    _check_year(year)
    with book.read_session() as s:
        info = find_member(s, member)
        data = _year_rows(s, year, info)
        hist = histories(s, [info.id]).get(info.id, [])
        pays = sorted(
            (
                p
                for (mid, _m), p in payments_for(s, f"{year}-01", f"{year}-12").items()
                if mid == info.id
            ),
            key=lambda p: p.month,
        )
    current = [h for h in hist if h.effective_from <= f"{year}-12"]
    basis = current[-1].basis_label if current else "Chưa ghi mức đóng"
    return MemberPage(info.id, info.full_name, year, data.rows[0], tuple(pays), basis)


# --- a period: collected, retained, remitted ------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    members_at_end: int
    paying_members: int  # members who paid something in the period
    collected_cash: int
    collected_online: int  # on DVCQG or by bank transfer
    retain_percent: int
    remitted: int  # recorded remittances for this period
    remittances: tuple[RemittanceView, ...]
    by_month: tuple[tuple[str, int, int], ...]  # (month, cash, dvcqg) collected in that month

    @property
    def collected(self) -> int:
        return self.collected_cash + self.collected_online

    @property
    def retained(self) -> int:
        return self.collected * self.retain_percent // 100

    @property
    def to_remit(self) -> int:
        return self.collected - self.retained

    @property
    def outstanding(self) -> int:
        return max(0, self.to_remit - self.remitted)

    def to_json(self) -> dict[str, object]:
        return {
            "period": self.period.code,
            "members_at_end": self.members_at_end,
            "paying_members": self.paying_members,
            "collected": self.collected,
            "collected_cash": self.collected_cash,
            "collected_online": self.collected_online,
            "retain_percent": self.retain_percent,
            "retained": self.retained,
            "to_remit": self.to_remit,
            "remitted": self.remitted,
            "outstanding": self.outstanding,
        }


def period_figures(s: Session, period: Period, rules: DuesRules) -> PeriodFigures:
    """Dues collected in the period are the payments received in it (late and advance
    payments included), whatever month they are for."""
    rows = list(
        s.scalars(
            select(DuesPayment).where(
                DuesPayment.deleted_at.is_(None),
                DuesPayment.channel != "excused",
                DuesPayment.paid_on >= period.start,
                DuesPayment.paid_on <= period.end,
            )
        )
    )
    by_month = []
    for month in period.months:
        cash = sum(p.amount for p in rows if p.channel == "cash" and month_of(p.paid_on) == month)
        online = sum(p.amount for p in rows if p.channel != "cash" and month_of(p.paid_on) == month)
        by_month.append((month, cash, online))
    remits = tuple(
        RemittanceView(r.id, r.period, r.amount, r.remitted_on, r.note)
        for r in s.scalars(
            select(DuesRemittance)
            .where(DuesRemittance.deleted_at.is_(None), DuesRemittance.period == period.code)
            .order_by(DuesRemittance.remitted_on)
        )
    )
    last = period.months[-1]
    members = [m for m in members_in(s, last, last) if m.in_branch(last)]
    return PeriodFigures(
        period=period,
        members_at_end=len(members),
        paying_members=len({p.member_id for p in rows}),
        collected_cash=sum(c for _m, c, _o in by_month),
        collected_online=sum(o for _m, _c, o in by_month),
        retain_percent=rules.branch_retain_percent,
        remitted=sum(r.amount for r in remits),
        remittances=remits,
        by_month=tuple(by_month),
    )


def period_report(book: Book, *, period: str) -> PeriodFigures:
    from app.services.dues.rules import parse_period

    parsed = parse_period(period)
    with book.read_session() as s:
        return period_figures(s, parsed, rules_in(s))


# --- receipts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """A biên lai for one cash payment (one or more months paid together)."""

    number: int
    year: int
    member_id: str
    full_name: str
    paid_on: dt.date
    months: tuple[str, ...]
    total: int
    collected_by: str  # the name that signs as người thu (rules.collector or the secretary)
    series: str = ""  # the desktop's ký hiệu; "" on receipts made before series

    @property
    def number_label(self) -> str:
        return receipt_label(self.series, self.number, self.year)

    @property
    def months_text(self) -> str:
        return months_label(self.months)


def receipts(
    book: Book,
    *,
    member: str | None = None,
    year: int | None = None,
    number: int | None = None,
    series: str | None = None,
) -> list[Receipt]:
    """Receipts of cash payments, by series and number; filtered by member, year, number or
    series (ký hiệu; "" for receipts without one)."""
    with book.read_session() as s:
        q = select(DuesPayment).where(
            DuesPayment.deleted_at.is_(None),
            DuesPayment.channel == "cash",
            DuesPayment.receipt_no.is_not(None),
        )
        info = find_member(s, member) if member else None
        if info is not None:
            q = q.where(DuesPayment.member_id == info.id)
        if year is not None:
            q = q.where(
                DuesPayment.paid_on >= dt.date(year, 1, 1),
                DuesPayment.paid_on <= dt.date(year, 12, 31),
            )
        if number is not None:
            q = q.where(DuesPayment.receipt_no == number)
        if series is not None:
            q = q.where(DuesPayment.receipt_series == series.strip().upper())
        groups: dict[str, list[PaymentView]] = {}
        for row in s.scalars(q):
            groups.setdefault(row.batch_id, []).append(payment_view(row))
        names = {m.id: m.full_name for m in members_in(s, "0000-01", "9999-12")}
        collector = collector_in(s, secretary_in(s))
        if info is not None:
            names[info.id] = info.full_name
    out: list[Receipt] = []
    for pays in groups.values():
        pays.sort(key=lambda p: p.month)
        first = pays[0]
        out.append(
            Receipt(
                number=first.receipt_no or 0,
                year=first.paid_on.year,
                member_id=first.member_id,
                full_name=names.get(first.member_id, ""),
                paid_on=first.paid_on,
                months=tuple(p.month for p in pays),
                total=sum(p.amount for p in pays),
                collected_by=collector,
                series=first.receipt_series,
            )
        )
    out.sort(key=lambda r: (r.year, r.series, r.number))
    if number is not None and not out:
        label = f"{series.strip().upper()}-{number:03d}" if series else str(number)
        raise NotFoundError(f"Không có biên lai số {label}.")
    return out


# --- warnings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnpaidMember:
    member_id: str
    full_name: str
    unpaid: tuple[str, ...]  # months of the window not paid (excused ones included)
    unexcused: tuple[str, ...]  # months of the window without a recorded reason
    removal: bool  # reaches the xóa tên rule in one of the window's counting periods
    window: OwingWindow
    counted: tuple[str, ...] = ()  # the unexcused months of the period(s) reaching the rule
    period: str = ""  # "trong năm 2026", "trong 12 tháng qua (…)": where the rule is reached

    @property
    def message(self) -> str:
        if self.removal:
            return (
                f"Đồng chí {self.full_name} chưa đóng đảng phí {len(self.counted)} tháng "
                f"{self.period}: {months_label(self.counted)}, không có lý do chính đáng: thuộc "
                "diện xem xét xóa tên (Quy định 01-QĐ/TW)."
            )
        return (
            f"Đồng chí {self.full_name} còn nợ đảng phí {len(self.unpaid)} tháng "
            f"({self.window.span_label}): {months_label(self.unpaid)}."
        )

    def to_json(self) -> dict[str, object]:
        return {
            "member_id": self.member_id,
            "full_name": self.full_name,
            "months": list(self.unpaid),
            "months_text": months_label(self.unpaid),
            "unexcused": list(self.unexcused),
            "removal": self.removal,
            "counted": list(self.counted),
            "period": self.period,
            "window": {"first": self.window.first, "last": self.window.last},
            "message": self.message,
        }


def unpaid_members(
    book: Book, *, today: dt.date | None = None, month: str | None = None
) -> list[UnpaidMember]:
    """Members still in the branch with unpaid months as at the start of `month` (default:
    this month), in the window of the branch's rule (`owing_window`), and whether the months
    without a recorded reason reach the xóa tên rule: in one calendar year (the year just
    ended counts whole, so October–December unpaid are listed in January), or in the twelve
    months before `month`."""
    as_of = parse_month(month) if month else month_of(today or dt.date.today())
    with book.read_session() as s:
        rules = rules_in(s)
        window = owing_window(rules, as_of, tracked_from=first_tracked_month(s))
        members = [m for m in members_in(s, window.first, window.last) if m.left is None]
        hist = histories(s, [m.id for m in members])
        paid = payments_for(s, window.first, window.last)
    owed = _owed_months(members, hist, paid, window, rules)
    out: list[UnpaidMember] = []
    for m in members:
        if m.id not in owed:
            continue
        unpaid, unexcused = owed[m.id]
        reached = [
            (label, tuple(mo for mo in unexcused if mo in span)) for label, span in window.periods()
        ]
        reached = [(label, ms) for label, ms in reached if len(ms) >= rules.removal_months]
        counted = tuple(mo for _label, ms in reached for mo in ms)
        out.append(
            UnpaidMember(
                m.id,
                m.full_name,
                unpaid,
                unexcused,
                bool(reached),
                window,
                counted,
                " và ".join(label for label, _ms in reached),
            )
        )
    out.sort(key=lambda u: (not u.removal, -len(u.unpaid)))
    return out


def channel_label(channel: str | None) -> str:
    return CHANNELS.get(channel or "", "")


__all__ = [
    "BookCell",
    "BookRow",
    "MemberPage",
    "MonthSheet",
    "PeriodFigures",
    "Receipt",
    "SheetRow",
    "UnpaidMember",
    "YearBook",
    "book_owing_window",
    "member_page",
    "month_label",
    "month_sheet",
    "period_figures",
    "period_report",
    "receipts",
    "unpaid_members",
    "year_book",
]

"""The dues rules and months: rates, rounding, retention and the xóa tên window.

Rates of 1% (salary under social insurance) and 0.5% (pension) are from the primary text
(Quy định 01-QĐ/TW); the fixed amount, rounding, retention share and whether "ba tháng trong
năm" means the calendar year or any twelve months are not, so they are settings the
secretary can change, and the window says "(có thể cấu hình)".
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Branch, KeyValue
from app.services.book_settings import save_json_setting
from app.text import clean
from app.validation.member import name_problem

if TYPE_CHECKING:
    from app.book import Book

RULES_KEY = "rules.dues"
CONFIGURABLE = "(có thể cấu hình)"

WINDOWS: dict[str, str] = {
    "calendar": "Trong năm dương lịch",
    "rolling12": "Trong 12 tháng liền trước",
}


@dataclass(frozen=True)
class DuesRules:
    """The branch's dues settings. Rates are in hundredths of a percent (100 = 1%)."""

    salary_rate_bp: int = 100  # 1% of the salary social insurance is paid on (QĐ 01)
    pension_rate_bp: int = 50  # 0.5% of a pension (QĐ 01)
    fixed_amount: int = 5_000  # default for members without a salary (configurable)
    round_to: int = 1_000  # đồng; 1 = no rounding (configurable)
    max_monthly_amount: int = 20_000_000  # above this an amount is taken as a typing mistake
    max_income: int = 1_000_000_000
    exempt_party_years: int = 50
    removal_months: int = 3  # "không đóng đảng phí ba tháng trong năm"
    removal_window: str = "calendar"  # calendar | rolling12 (configurable)
    branch_retain_percent: int = 30  # share the branch keeps (configurable)
    max_reduce_months: int = 12
    max_advance_months: int = 12
    collector: str = ""  # who signs receipts and the book as người thu; "" = the secretary

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def window_label(self) -> str:
        return WINDOWS.get(self.removal_window, self.removal_window)

    def rate_label(self, basis: str) -> str:
        bp = self.salary_rate_bp if basis == "salary" else self.pension_rate_bp
        return f"{bp / 100:g}%".replace(".", ",")

    def describe(self) -> list[str]:
        """What the window shows: each setting, the configurable ones marked so."""
        return [
            f"Mức đóng theo tiền lương đóng bảo hiểm xã hội: {self.rate_label('salary')}",
            f"Mức đóng theo lương hưu: {self.rate_label('pension')}",
            f"Mức đóng cố định cho đảng viên không có lương: {money(self.fixed_amount)} đ/tháng "
            f"{CONFIGURABLE}",
            f"Làm tròn đến: {money(self.round_to)} đ {CONFIGURABLE}",
            f"Chi bộ được giữ lại: {self.branch_retain_percent}% {CONFIGURABLE}",
            f"Xem xét xóa tên khi không đóng {self.removal_months} tháng: "
            f"{self.window_label.lower()} {CONFIGURABLE}",
            "Người thu đảng phí (ký biên lai, sổ): "
            + (self.collector or "bí thư chi bộ")
            + f" {CONFIGURABLE}",
        ]


def money(value: int) -> str:
    """52000 → "52.000" (Vietnamese thousands separator)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def _from_json(raw: str) -> DuesRules:
    try:
        data = json.loads(raw)
    except ValueError:
        return DuesRules()
    if not isinstance(data, dict):
        return DuesRules()
    names = {f.name for f in fields(DuesRules)}
    known = {k: v for k, v in data.items() if k in names}
    try:
        return DuesRules(**known)
    except TypeError:
        return DuesRules()


def rules_in(s: Any) -> DuesRules:
    row = s.get(KeyValue, RULES_KEY)
    return _from_json(row.value) if row is not None else DuesRules()


def collector_in(s: Any, secretary: str) -> str:
    """The name that signs as người thu đảng phí: the configured collector, else the
    secretary (from the branch's settings)."""
    return rules_in(s).collector or secretary


def get_rules(book: Book) -> DuesRules:
    with book.read_session() as s:
        return rules_in(s)


def secretary_name(book: Book) -> str:
    """The secretary's name from the branch's settings: who signs as người thu đảng phí
    while no collector is set ("" when the branch names no secretary)."""
    with book.read_session() as s:
        return secretary_in(s)


def secretary_in(s: Session) -> str:
    """`secretary_name` inside a session already open."""
    row = s.scalars(select(Branch.secretary_name).where(Branch.deleted_at.is_(None))).first()
    return row or ""


def check_collector(name: str) -> None:
    """Refuse a collector's name a member's họ và tên would be refused for (too long, digits);
    "" (the secretary signs) is always accepted."""
    if name and (problem := name_problem(name)):
        raise ValidationError(f"Người thu đảng phí: {problem}", field="collector")


def validate_rules(r: DuesRules) -> DuesRules:
    if not 1 <= r.salary_rate_bp <= 1000 or not 1 <= r.pension_rate_bp <= 1000:
        raise ValidationError("Tỷ lệ đóng đảng phí phải lớn hơn 0 và không quá 10%.", field="rate")
    if not 0 < r.fixed_amount <= r.max_monthly_amount:
        raise ValidationError("Mức đóng cố định phải lớn hơn 0.", field="fixed_amount")
    if r.round_to not in (1, 100, 500, 1_000, 5_000, 10_000):
        raise ValidationError(
            "Làm tròn chỉ nhận 1 (không làm tròn), 100, 500, 1.000, 5.000 hoặc 10.000 đồng.",
            field="round_to",
        )
    if not 0 <= r.branch_retain_percent <= 100:
        raise ValidationError("Phần chi bộ giữ lại phải từ 0 đến 100%.", field="retain")
    if not 1 <= r.removal_months <= 12:
        raise ValidationError("Số tháng không đóng phải từ 1 đến 12.", field="removal_months")
    check_collector(r.collector)
    if r.removal_window not in WINDOWS:
        raise ValidationError(
            "Cách tính “trong năm” chỉ nhận calendar (năm dương lịch) hoặc rolling12 "
            "(12 tháng liền trước).",
            field="removal_window",
        )
    return r


def set_rules(book: Book, *, rules: DuesRules, reason: str = "") -> DuesRules:
    """Save the dues rules (audited; kept in this book)."""
    rules = replace(rules, collector=" ".join(clean(rules.collector).split()))
    validate_rules(rules)
    save_json_setting(
        book,
        key=RULES_KEY,
        current=get_rules(book).to_json(),
        new=rules.to_json(),
        summary="Sửa cách tính đảng phí",
        reason=reason,
    )
    return rules


# --- this desktop's receipt series --------------------------------------------------------

SERIES_KEY = "dues.receipt_series"
_SERIES = re.compile(r"^[A-Z0-9]{1,6}$")


def receipt_label(series: str, number: int, year: int) -> str:
    """The number printed on a receipt: "001/2026", or "B-001/2026" in series B."""
    return f"{series}-{number:03d}/{year}" if series else f"{number:03d}/{year}"


def series_in(s: Any) -> str:
    row = s.get(KeyValue, SERIES_KEY)
    if row is None:
        return ""
    try:
        data = json.loads(row.value)
    except ValueError:
        return ""
    value = data.get("series") if isinstance(data, dict) else None
    return value if isinstance(value, str) and _SERIES.match(value) else ""


def receipt_series(book: Book) -> str:
    """The series (ký hiệu) of the receipts this desktop issues; "" for none."""
    with book.read_session() as s:
        return series_in(s)


def set_receipt_series(book: Book, *, series: str, reason: str = "") -> str:
    """Give this desktop its own receipt series (kept in this book only: a second desktop of
    the branch takes another letter, so the two never print the same number)."""
    value = (series or "").strip().upper()
    if value and not _SERIES.match(value):
        raise ValidationError(
            f"Ký hiệu biên lai “{series}” không hợp lệ: chỉ dùng chữ cái không dấu và chữ số, "
            "tối đa 6 ký tự, ví dụ B hoặc MAY2.",
            field="receipt_series",
        )
    save_json_setting(
        book,
        key=SERIES_KEY,
        current={"series": receipt_series(book)},
        new={"series": value},
        summary="Sửa ký hiệu biên lai thu đảng phí của máy này",
        reason=reason,
    )
    return value


# --- months -------------------------------------------------------------------------------

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-[Qq]([1-4])\s*$")


def parse_month(text: str, *, field: str = "month") -> str:
    """ "2026-9" or "2026-09" → "2026-09"; anything else a clear refusal."""
    m = _MONTH.match(text or "")
    if m is None or not 1 <= int(m.group(2)) <= 12 or not 1900 <= int(m.group(1)) <= 2200:
        raise ValidationError(
            f"Không hiểu tháng “{text}”. Hãy viết dạng YYYY-MM, ví dụ 2026-09.", field=field
        )
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_parts(month: str) -> tuple[int, int]:
    return int(month[:4]), int(month[5:7])


def add_months(month: str, count: int) -> str:
    year, mon = month_parts(month)
    index = year * 12 + (mon - 1) + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> int:
    """How many months from `first` to `last`, both counted (0 when last < first)."""
    y1, m1 = month_parts(first)
    y2, m2 = month_parts(last)
    return max(0, (y2 * 12 + m2) - (y1 * 12 + m1) + 1)


def month_span(first: str, last: str) -> list[str]:
    return [add_months(first, i) for i in range(months_between(first, last))]


def parse_months(text: str) -> list[str]:
    """ "2026-09" or "2026-09..2026-11" → the months, in order."""
    if ".." in (text or ""):
        a, _, b = text.partition("..")
        first, last = parse_month(a), parse_month(b)
        if last < first:
            raise ValidationError(
                f"Khoảng tháng “{text}” bị ngược: tháng đầu phải trước tháng cuối.", field="month"
            )
        if months_between(first, last) > 24:
            raise ValidationError("Mỗi lần chỉ ghi tối đa 24 tháng.", field="month")
        return month_span(first, last)
    return [parse_month(text)]


def first_day(month: str) -> dt.date:
    year, mon = month_parts(month)
    return dt.date(year, mon, 1)


def last_day(month: str) -> dt.date:
    year, mon = month_parts(month)
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def month_label(month: str) -> str:
    """ "2026-09" → "9/2026"."""
    year, mon = month_parts(month)
    return f"{mon}/{year}"


def months_label(months: list[str] | tuple[str, ...]) -> str:
    """["2026-09", "2026-10", "2026-11"] → "9, 10, 11/2026"; years are named where they end:
    "11, 12/2025, 1/2026"."""
    parts: list[str] = []
    for i, month in enumerate(months):
        year, mon = month_parts(month)
        ends_year = i == len(months) - 1 or month_parts(months[i + 1])[0] != year
        parts.append(f"{mon}/{year}" if ends_year else str(mon))
    return ", ".join(parts)


@dataclass(frozen=True)
class OwingWindow:
    """The months counted as still owed ("Còn nợ") as at the start of `month`, following the
    branch's xóa tên rule: the twelve months before `month` (rolling12), or the calendar year
    so far together with the whole year before it (calendar: a year that has just ended is
    still counted whole in the next one, so Oct–Dec unpaid are listed in January)."""

    month: str  # as at the start of this month
    rule: str  # calendar | rolling12
    first: str
    last: str  # the month before `month`
    # The book's first tracked month when it cuts the rule's window short (the window never
    # starts before the book tracks dues: no month the user never entered is named).
    tracked_from: str | None = None
    nothing_set: bool = False  # the book sets no rate yet: no month is tracked

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(month_span(self.first, self.last))

    @property
    def heading(self) -> str:
        """The sheet's column heading: what it counts, in a few words."""
        if self.rule == "rolling12" and self.tracked_from is None:
            return "Còn nợ 12 tháng qua"
        return f"Còn nợ từ {month_label(self.first)}"

    @property
    def span_label(self) -> str:
        return f"từ tháng {month_label(self.first)} đến tháng {month_label(self.last)}"

    @property
    def description(self) -> str:
        """The heading's tooltip: exactly which months are counted, and why."""
        if self.nothing_set:
            return "Sổ chưa ghi mức đóng của đảng viên nào: chưa có tháng nào để tính nợ."
        if self.tracked_from is not None:
            since = f"Sổ theo dõi đảng phí từ tháng {month_label(self.tracked_from)}"
            if not self.months:
                return (
                    f"{since} (tháng ghi mức đóng đầu tiên): chưa có tháng nào trước tháng "
                    f"{month_label(self.month)} để tính nợ."
                )
            return (
                f"Các tháng chưa đóng đảng phí {self.span_label}: {since.lower()} (tháng "
                "ghi mức đóng đầu tiên), các tháng trước đó không tính."
            )
        if self.rule == "rolling12":
            why = (
                "12 tháng liền trước tháng "
                f"{month_label(self.month)} (xóa tên tính trong 12 tháng liền trước {CONFIGURABLE})"
            )
        else:
            year, mon = month_parts(self.month)
            years = f"năm {year - 1}" if mon == 1 else f"năm {year - 1} và năm {year}"
            why = (
                f"{years} (xóa tên tính theo năm dương lịch {CONFIGURABLE}; năm vừa hết vẫn "
                "được tính trọn năm cho đến hết năm sau)"
            )
        return f"Các tháng chưa đóng đảng phí {self.span_label}: {why}."

    def periods(self) -> list[tuple[str, tuple[str, ...]]]:
        """The spans the xóa tên rule counts separately, each with its Vietnamese label."""
        if self.rule == "rolling12":
            return [(f"trong 12 tháng qua ({self.span_label})", self.months)]
        years = sorted({month_parts(m)[0] for m in self.months})
        return [
            (f"trong năm {y}", tuple(m for m in self.months if month_parts(m)[0] == y))
            for y in years
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "as_of": self.month,
            "rule": self.rule,
            "first": self.first,
            "last": self.last,
            "heading": self.heading,
            "description": self.description,
            "tracked_from": self.tracked_from,
        }


def owing_window(rules: DuesRules, month: str, *, tracked_from: str | None = "") -> OwingWindow:
    """The owed-months window as at the start of `month` under the branch's rule, cut short
    to start no earlier than `tracked_from`, the first month the book tracks dues (its
    earliest setting; None: the book sets no rate yet, so no month before `month` is
    tracked; "" leaves the rule's window whole)."""
    last = add_months(month, -1)
    if rules.removal_window == "rolling12":
        first = add_months(month, -12)
    else:
        first = f"{month_parts(month)[0] - 1:04d}-01"
    start = month if tracked_from is None else tracked_from
    if start and start > first:
        return OwingWindow(
            month, rules.removal_window, min(start, month), last, start, tracked_from is None
        )
    return OwingWindow(month, rules.removal_window, first, last)


@dataclass(frozen=True)
class Period:
    """A reporting period: one month ("2026-09") or a quarter ("2026-Q3")."""

    code: str
    months: tuple[str, ...]

    @property
    def start(self) -> dt.date:
        return first_day(self.months[0])

    @property
    def end(self) -> dt.date:
        return last_day(self.months[-1])

    @property
    def is_quarter(self) -> bool:
        return len(self.months) > 1

    @property
    def label(self) -> str:
        if self.is_quarter:
            roman = ("I", "II", "III", "IV")[int(self.code[-1]) - 1]
            return f"quý {roman} năm {self.code[:4]}"
        year, mon = month_parts(self.code)
        return f"tháng {mon} năm {year}"


def parse_period(text: str) -> Period:
    m = _QUARTER.match(text or "")
    if m is not None:
        year, quarter = int(m.group(1)), int(m.group(2))
        first = f"{year:04d}-{3 * quarter - 2:02d}"
        return Period(f"{year:04d}-Q{quarter}", tuple(month_span(first, add_months(first, 2))))
    if _MONTH.match(text or "") is None:
        raise ValidationError(
            f"Không hiểu kỳ báo cáo “{text}”. Hãy viết tháng (2026-09) hoặc quý (2026-Q3).",
            field="period",
        )
    month = parse_month(text, field="period")
    return Period(month, (month,))


def round_amount(value: float, rules: DuesRules) -> int:
    """Half up to the nearest `round_to` đồng."""
    step = max(1, rules.round_to)
    return (round(value) + step // 2) // step * step

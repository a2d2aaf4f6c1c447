"""Report kinds and their periods: "2025-11" (month), "2025-Q4" (quarter), "2025" (year).

Parses what the secretary typed into a canonical period with its first and last day, and
names periods the way the reports write them ("tháng 11 năm 2025", "quý IV năm 2025").
"""

from __future__ import annotations

import datetime as dt
import re

from app.errors import ValidationError
from app.models.report import REPORT_KINDS
from app.text import clean

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_VN = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{4})$")  # "12/2026", as written on paper
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_QUARTER_VN = re.compile(r"^[Qq]\s*([1-4])\s*/\s*(\d{4})$")  # "Q4/2026"
_YEAR = re.compile(r"^(\d{4})$")
QUARTER_NAMES = ("I", "II", "III", "IV")
MONTHLY_KINDS = ("monthly", "deployment")  # kinds whose period is one month


def check_kind(kind: str) -> str:
    value = clean(kind)
    if value not in REPORT_KINDS:
        labels = ", ".join(f"{k} ({v.lower()})" for k, v in REPORT_KINDS.items())
        raise ValidationError(f"Loại báo cáo không hợp lệ: “{kind}”. Chọn: {labels}.", field="kind")
    return value


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse_period(kind: str, period: str) -> tuple[str, dt.date, dt.date]:
    """(canonical period, first day, last day) for a report kind, or a ValidationError."""
    kind = check_kind(kind)
    text = clean(period)
    vn = _MONTH_VN.match(text)
    if vn:
        text = f"{vn.group(2)}-{vn.group(1)}"
    vq = _QUARTER_VN.match(text)
    if vq:
        text = f"{vq.group(2)}-Q{vq.group(1)}"
    if kind in MONTHLY_KINDS:
        m = _MONTH.match(text)
        if m and 1 <= int(m.group(2)) <= 12 and 2000 <= int(m.group(1)) <= 2100:
            y, mo = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-{mo:02d}", dt.date(y, mo, 1), month_end(y, mo)
        raise ValidationError(
            f"Kỳ báo cáo “{period}” không hợp lệ; báo cáo tháng ghi dạng MM/YYYY (hoặc "
            "YYYY-MM), ví dụ 11/2025.",
            field="period",
        )
    if kind == "quarterly":
        m = _QUARTER.match(text)
        if m and 2000 <= int(m.group(1)) <= 2100:
            y, q = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-Q{q}", dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q)
        raise ValidationError(
            f"Kỳ báo cáo “{period}” không hợp lệ; báo cáo quý ghi dạng Qn/YYYY (hoặc "
            "YYYY-Qn), ví dụ Q4/2025.",
            field="period",
        )
    m = _YEAR.match(text)
    if m and 2000 <= int(m.group(1)) <= 2100:
        y = int(m.group(1))
        return f"{y:04d}", dt.date(y, 1, 1), dt.date(y, 12, 31)
    raise ValidationError(
        f"Kỳ báo cáo “{period}” không hợp lệ; báo cáo năm ghi dạng YYYY, ví dụ 2025.",
        field="period",
    )


def period_text(period: str) -> str:
    """A canonical period as the secretary writes it: "2026-12" → "12/2026", "2026-Q4" →
    "Q4/2026", "2026" → "2026"."""
    m = _MONTH.match(period)
    if m:
        return f"{int(m.group(2)):02d}/{m.group(1)}"
    q = _QUARTER.match(period)
    if q:
        return f"Q{q.group(2)}/{q.group(1)}"
    return period


def period_label(kind: str, start: dt.date, end: dt.date) -> str:
    if kind == "quarterly":
        return f"quý {QUARTER_NAMES[(start.month - 1) // 3]} năm {start.year}"
    if kind == "yearly":
        return f"năm {start.year}"
    return f"tháng {start.month} năm {start.year}"


def report_title(kind: str, start: dt.date, end: dt.date) -> str:
    """“Báo cáo tháng 11 năm 2025”, “Báo cáo quý IV năm 2025”, “Báo cáo năm 2025”,
    “Báo cáo triển khai Sổ tay đảng viên điện tử tháng 11 năm 2025”."""
    if kind == "deployment":
        return f"Báo cáo triển khai Sổ tay đảng viên điện tử {period_label(kind, start, end)}"
    return f"Báo cáo {period_label(kind, start, end)}"


def next_period(kind: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period after [start, end] (the report's "phương hướng" looks ahead to it)."""
    first = end + dt.timedelta(days=1)
    if kind == "quarterly":
        return first, month_end(first.year, first.month + 2)
    if kind == "yearly":
        return first, dt.date(first.year, 12, 31)
    return first, month_end(first.year, first.month)

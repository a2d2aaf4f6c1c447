"""Vietnamese wording of dates, times, numbers and percentages as printed on documents.

No reportlab here: these are plain string functions, shared by every document.
"""

from __future__ import annotations

from datetime import date, datetime

from app.text import clean

_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def vn_date(day: date) -> str:
    """'ngày 05 tháng 11 năm 2025' (day and month zero-padded, as HD 36 prints them)."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def vn_date_line(place: str, day: date) -> str:
    """The place-and-date line under 'ĐẢNG CỘNG SẢN VIỆT NAM'.

    >>> vn_date_line("Quy Nhơn", date(2025, 11, 5))
    'Quy Nhơn, ngày 05 tháng 11 năm 2025'
    """
    place = clean(place)
    if not place:
        text = vn_date(day)
        return text[0].upper() + text[1:]
    return f"{place}, {vn_date(day)}"


def vn_short_date(day: date | None) -> str:
    """'05/11/2025'; '' for None."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vn_time(moment: datetime) -> str:
    """'19 giờ 30 phút' ('08 giờ 00 phút' in the morning)."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"


def vn_weekday(day: date) -> str:
    """'Thứ Tư', 'Chủ nhật'."""
    return _WEEKDAYS[day.weekday()]


def vn_number(value: float, decimals: int = 1) -> str:
    """Vietnamese number: dot for thousands, comma for decimals, no trailing ',0'.

    >>> vn_number(1234567), vn_number(91.666), vn_number(100.0)
    ('1.234.567', '91,7', '100')
    """
    rounded = round(float(value), decimals)
    if decimals <= 0 or rounded == int(rounded):
        whole = f"{int(rounded):,}".replace(",", ".")
        return whole
    text = f"{rounded:,.{decimals}f}"
    # Swap the separators: 1,234.5 -> 1.234,5
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text.rstrip("0").rstrip(",")


def vn_percent(part: int, whole: int) -> str:
    """'91,7%' of part over whole; '0%' when whole is 0."""
    if whole <= 0:
        return "0%"
    return f"{vn_number(100.0 * part / whole)}%"

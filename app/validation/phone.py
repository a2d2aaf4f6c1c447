"""Vietnamese phone numbers, stored in one normal form: 0 followed by 9 digits (mobile).

Accepted input: 0912 345 678, 091.234.5678, +84 912345678, 84912345678, and 912345678 (a
number whose leading zero Excel dropped). Landlines (02x plus 8 digits) are kept as 0 + 10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.text import clean

FIELD = "phone"
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
_SEPARATORS = re.compile(r"[\s.\-()/]+")
_SPLIT = re.compile(r"\s*(?:;|,|\bhoặc\b|\bvà\b|\s[-/]\s)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PhoneResult:
    value: str | None  # the normal form, or None when the input is not a phone number
    repaired: bool = False  # the leading zero had been lost (Excel) and was put back
    extra: tuple[str, ...] = ()  # further numbers found in the same cell


def normalise_phone(raw: str | None) -> PhoneResult:
    """Parse one cell; returns the first number in normal form (None if unreadable)."""
    if raw and len(raw) == 10 and raw.isdigit() and is_valid(raw):
        return PhoneResult(raw)  # already in normal form (the common case)
    text = clean(raw)
    if not text:
        return PhoneResult(None)
    parts = [p for p in _SPLIT.split(text) if p.strip()]
    first, *rest = parts or [text]
    value, repaired = _one(first)
    extras = tuple(v for v in (_one(p)[0] for p in rest) if v)
    return PhoneResult(value, repaired, extras)


def _one(text: str) -> tuple[str | None, bool]:
    digits = _SEPARATORS.sub("", text.lstrip("'’"))
    if digits.endswith(".0") and digits[:-2].isdigit():  # a number cell read as float text
        digits = digits[:-2]
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("84"):
            return None, False
    if not digits.isdigit():
        return None, False
    repaired = False
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
        repaired = True
    if is_valid(digits):
        return digits, repaired
    return None, False


def is_valid(value: str) -> bool:
    if not value.isdigit() or not value.startswith("0"):
        return False
    if len(value) == 10 and value[:2] in MOBILE_PREFIXES:
        return True
    return len(value) == 11 and value.startswith("02")


def format_phone(value: str | None) -> str:
    """0912345678 → '0912 345 678' for display and print."""
    if not value:
        return ""
    if len(value) == 10:
        return f"{value[:4]} {value[4:7]} {value[7:]}"
    if len(value) == 11:
        return f"{value[:4]} {value[4:7]} {value[7:]}"
    return value

"""Số định danh cá nhân (12-digit CCCD) and the old 9-digit CMND.

Layout of the 12 digits: 1-3 the province where the birth was registered, 4 the century and
sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 2300s: Thông tư
07/2016/TT-BCA Điều 7), 5-6 the last two digits of the birth year, 7-12 a random number.
There is no checksum, so the number can only be cross-checked against the birth date and sex;
a mismatch is a warning.
"""

from __future__ import annotations

import datetime as dt
import re

from app.text import clean
from app.validation.issues import Issue, error, warning
from app.validation.provinces import province_name

FIELD = "personal_id"
CCCD_LENGTH = 12
CMND_LENGTH = 9

_SEPARATORS = re.compile(r"[\s.\-_/]+")
# Century digit pairs: (first year of the century, male digit); the female digit is +1.
_CENTURIES = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}


def strip_id(raw: str | None) -> str:
    """The text of an ID with spaces, dots, dashes and a leading apostrophe removed."""
    text = clean(raw).lstrip("'’")
    return _SEPARATORS.sub("", text)


def century_sex(digit: int) -> tuple[int, str]:
    """(first year of the century, "nam"/"nữ") encoded by the fourth digit."""
    base = _CENTURIES[digit - digit % 2]
    return base, "nữ" if digit % 2 else "nam"


def check_personal_id(
    value: str | None, *, birth_date: dt.date | None = None, gender: str | None = None
) -> list[Issue]:
    """Check a stored (already stripped) ID against the layout, birth year and sex."""
    if not value:
        return []
    if not value.isdigit():
        return [error(FIELD, f"Số định danh “{value}” chỉ được gồm chữ số.")]
    if len(value) == CMND_LENGTH:
        return [
            warning(
                FIELD,
                "Đây là số chứng minh nhân dân 9 số (cũ); nên cập nhật số định danh cá nhân 12 số.",
            )
        ]
    if len(value) != CCCD_LENGTH:
        return [
            error(
                FIELD,
                f"Số định danh cá nhân phải có 12 chữ số (số CMND cũ có 9 chữ số); "
                f"“{value}” có {len(value)} chữ số.",
            )
        ]
    issues: list[Issue] = []
    code = value[:3]
    if province_name(code) is None:
        issues.append(
            error(FIELD, f"Ba số đầu “{code}” không phải mã tỉnh, thành phố nào; hãy kiểm tra lại.")
        )
    century, sex = century_sex(int(value[3]))
    year = century + int(value[4:6])
    if year > dt.date.today().year:
        issues.append(
            warning(
                FIELD,
                f"Chữ số thứ tư “{value[3]}” và hai số tiếp theo ghi năm sinh {year} "
                "(Thông tư 07/2016/TT-BCA, Điều 7), năm này chưa tới; hãy kiểm tra lại.",
            )
        )
    elif birth_date is not None and birth_date.year != year:
        issues.append(
            warning(
                FIELD,
                f"Số định danh ghi năm sinh {year} nhưng ngày sinh là "
                f"{birth_date:%d/%m/%Y}; hãy kiểm tra lại.",
            )
        )
    if gender in ("nam", "nữ") and gender != sex:
        issues.append(
            warning(
                FIELD,
                f"Số định danh ứng với giới tính {sex} nhưng giới tính ghi là {gender}; "
                "hãy kiểm tra lại.",
            )
        )
    return issues


def describe(value: str) -> str:
    """A short reading of a 12-digit ID for a tooltip: 'Đăng ký khai sinh: Bình Định; nam, 1958'."""
    if len(value) != CCCD_LENGTH or not value.isdigit():
        return ""
    province = province_name(value[:3]) or "không rõ"
    century, sex = century_sex(int(value[3]))
    return f"Nơi đăng ký khai sinh: {province}; {sex}, sinh năm {century + int(value[4:6])}"

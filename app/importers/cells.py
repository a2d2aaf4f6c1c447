"""Reading one spreadsheet cell into a member field, repairing what Excel breaks.

Each parser returns a `Parsed`: the value (or None), an optional error, an optional warning
and an optional note of what was repaired. Messages are Vietnamese and name the value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app import text_legacy
from app.text import clean, fold
from app.validation.cccd import strip_id
from app.validation.phone import normalise_phone
from app.vocab import MemberStatus

T = TypeVar("T")

EXCEL_EPOCH_1900 = dt.datetime(1899, 12, 30)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY_TIME = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?$")
_MY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{4})$")
_WORDS = re.compile(r"^ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")
_SERIAL_MIN, _SERIAL_MAX = 1, 73050  # 1900-01-01 .. 2099-12-31


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None = None
    error: str | None = None
    warning: str | None = None
    repaired: str | None = None


def cell_text(value: Any) -> str:
    """A cell as clean NFC text (numbers without a trailing .0), invisible characters removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return clean(_INVISIBLE.sub("", str(value)))


def is_blank(value: Any) -> bool:
    return cell_text(value) == ""


# -- dates -----------------------------------------------------------------------------------


def _make_date(year: int, month: int, day: int, raw: str) -> Parsed[dt.date]:
    try:
        return Parsed(dt.date(year, month, day))
    except ValueError:
        return Parsed(error=f"“{raw}” không phải ngày có thật (ngày/tháng/năm).")


def _full_year(two_digits: int, today: dt.date) -> int:
    year = 2000 + two_digits
    return year if year <= today.year else 1900 + two_digits


def parse_date(
    value: Any, *, label: str, epoch: dt.datetime = EXCEL_EPOCH_1900, today: dt.date | None = None
) -> Parsed[dt.date]:
    """A date from a date cell, an Excel serial number, or text (dd/mm/yyyy, dd-mm-yyyy, ...).

    A year alone (common for "Năm sinh") cannot be stored as a date: it is reported as a
    warning and the field stays empty rather than inventing a day.
    """
    today = today or dt.date.today()
    if value is None:
        return Parsed()
    if isinstance(value, dt.datetime):
        return _check_range(value.date(), label)
    if isinstance(value, dt.date):
        return _check_range(value, label)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(float(value), label=label, epoch=epoch)
    raw = cell_text(value)
    if not raw:
        return Parsed()
    text = raw.replace(" ", "") if _DMY.match(raw.replace(" ", "")) else raw
    if m := _DMY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year = _full_year(year, today)
        result = _make_date(year, month, day, raw)
        if result.error and month > 12 and day <= 12:
            result = Parsed(
                error=f"“{raw}” không phải ngày hợp lệ; ngày phải viết theo thứ tự ngày/tháng/năm."
            )
        return _checked(result, label)
    if m := _DMY_TIME.match(raw):
        return _checked(_make_date(int(m[3]), int(m[2]), int(m[1]), raw), label)
    if m := _YMD.match(raw):
        return _checked(_make_date(int(m[1]), int(m[2]), int(m[3]), raw), label)
    if m := _WORDS.match(fold(raw)):
        return _checked(_make_date(int(m[3]), int(m[2]), int(m[1]), raw), label)
    if re.fullmatch(r"\d+(?:\.0+)?", raw):
        return _from_number(float(raw), label=label, epoch=epoch)
    if m := _MY.match(raw):
        return Parsed(
            warning=f"{label}: chỉ có tháng/năm “{raw}”, chưa đủ ngày; để trống, hãy bổ sung sau."
        )
    return Parsed(
        error=f"{label}: không đọc được “{raw}” (cần dạng ngày/tháng/năm, ví dụ 05/11/1965)."
    )


def _from_number(number: float, *, label: str, epoch: dt.datetime) -> Parsed[dt.date]:
    if number.is_integer() and 1900 <= number <= 2100:
        return Parsed(
            warning=f"{label}: chỉ có năm {int(number)}, chưa đủ ngày/tháng; để trống, "
            "hãy bổ sung sau."
        )
    if not (_SERIAL_MIN <= number <= _SERIAL_MAX):
        return Parsed(error=f"{label}: không đọc được “{cell_text(number)}” thành ngày.")
    day = (epoch + dt.timedelta(days=int(number))).date()
    return Parsed(day, repaired=f"{label}: đổi số ngày Excel {int(number)} thành {day:%d/%m/%Y}")


def _check_range(day: dt.date, label: str) -> Parsed[dt.date]:
    if day.year < 1900 or day.year > 2100:
        return Parsed(error=f"{label}: năm {day.year} không hợp lệ.")
    return Parsed(day)


def _checked(result: Parsed[dt.date], label: str) -> Parsed[dt.date]:
    if result.error:
        return Parsed(
            error=result.error if result.error.startswith(label) else f"{label}: {result.error}"
        )
    assert result.value is not None
    return _check_range(result.value, label)


# -- numbers that must stay text -----------------------------------------------------------


def _digits_from_number(value: Any) -> tuple[str, bool]:
    """(text, came_from_a_number_cell). Floats like 1.08501e11 become their digits."""
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), True
        return repr(value), True
    return cell_text(value).lstrip("'’"), False


def parse_personal_id(value: Any) -> Parsed[str]:
    """Số định danh (12 digits) or CMND (9); puts back leading zeros Excel dropped."""
    text, numeric = _digits_from_number(value)
    if not text:
        return Parsed()
    if _SCIENTIFIC.match(text):
        return Parsed(
            error=f"Số định danh bị Excel đổi thành dạng “{text}” và đã mất chữ số; hãy định "
            "dạng cột là Văn bản (Text) và nhập lại số đầy đủ."
        )
    digits = re.sub(r"[\s.\-_]", "", text)
    if not digits.isdigit():
        return Parsed(error=f"Số định danh “{text}” có ký tự không phải chữ số.")
    if len(digits) in (10, 11):
        padded = digits.zfill(12)
        how = "ô kiểu số" if numeric else "ô"
        return Parsed(
            padded,
            repaired=f"Số định danh: thêm số 0 ở đầu bị mất ({how} {digits} → {padded})",
        )
    if len(digits) == 8:
        padded = digits.zfill(9)
        return Parsed(padded, repaired=f"Số CMND: thêm số 0 ở đầu bị mất ({digits} → {padded})")
    return Parsed(digits)


def parse_card_number(value: Any) -> Parsed[str]:
    text, _numeric = _digits_from_number(value)
    if not text:
        return Parsed()
    if _SCIENTIFIC.match(text):
        return Parsed(
            error=f"Số thẻ đảng viên bị Excel đổi thành dạng “{text}”; hãy định dạng cột là "
            "Văn bản (Text) và nhập lại."
        )
    return Parsed(strip_id(text))


def parse_phone(value: Any) -> Parsed[str]:
    text, _numeric = _digits_from_number(value)
    if not text:
        return Parsed()
    result = normalise_phone(text)
    if result.value is None:
        return Parsed(
            error=f"Số điện thoại “{text}” không hợp lệ (cần 10 chữ số, bắt đầu bằng 03, 05, "
            "07, 08 hoặc 09)."
        )
    repaired = None
    if result.repaired:
        repaired = f"Số điện thoại: thêm số 0 ở đầu bị mất ({text} → {result.value})"
    warning = None
    if result.extra:
        warning = (
            f"Ô điện thoại có nhiều số; lấy số {result.value}, các số khác "
            f"({', '.join(result.extra)}) chưa được nhập."
        )
    return Parsed(result.value, warning=warning, repaired=repaired)


# -- words -----------------------------------------------------------------------------------

_GENDER_WORDS = {
    "nam": "nam",
    "m": "nam",
    "male": "nam",
    "trai": "nam",
    "nu": "nữ",
    "f": "nữ",
    "female": "nữ",
    "gai": "nữ",
}


def parse_gender(value: Any) -> Parsed[str]:
    text = cell_text(value)
    if not text:
        return Parsed()
    gender = _GENDER_WORDS.get(fold(text))
    if gender is None:  # "N÷" (TCVN3) or "Nöõ" (VNI) in a cell the file-wide pass left alone
        converted, encoding = text_legacy.best_reading(text)
        gender = _GENDER_WORDS.get(fold(converted)) if encoding else None
        if gender is not None:
            return Parsed(
                gender,
                repaired=f"Giới tính: chuyển “{text}” từ bảng mã {encoding} thành “{converted}”",
            )
    if gender is None:
        return Parsed(error=f"Giới tính “{text}” không rõ; cần ghi “Nam” hoặc “Nữ”.")
    return Parsed(gender)


def parse_mark(value: Any) -> bool:
    """A tick column (“x”, “1”, “✓”): True when marked."""
    text = fold(cell_text(value))
    return text not in ("", "0", "khong", "-", "no", "false")


_STATUS_WORDS: list[tuple[str, MemberStatus]] = [
    ("du bi", MemberStatus.PROBATIONARY),
    ("chinh thuc", MemberStatus.OFFICIAL),
    ("mien", MemberStatus.EXEMPT),
    ("tam thoi", MemberStatus.TEMPORARY),
    ("sinh hoat tam", MemberStatus.TEMPORARY),
    ("chuyen", MemberStatus.TRANSFERRED),
    ("tu tran", MemberStatus.DECEASED),
    ("tu the", MemberStatus.DECEASED),
    ("qua doi", MemberStatus.DECEASED),
    ("da mat", MemberStatus.DECEASED),
    ("xoa ten", MemberStatus.REMOVED),
    ("khai tru", MemberStatus.REMOVED),
]
_STATUS_SHORT: dict[str, MemberStatus] = {
    "ct": MemberStatus.OFFICIAL,
    "db": MemberStatus.PROBATIONARY,
    "dvct": MemberStatus.OFFICIAL,
    "dvdb": MemberStatus.PROBATIONARY,
    "msh": MemberStatus.EXEMPT,
    "mien sh": MemberStatus.EXEMPT,
    "shtt": MemberStatus.TEMPORARY,
    "sh tam": MemberStatus.TEMPORARY,
}


def parse_status(value: Any) -> Parsed[str]:
    text = cell_text(value)
    if not text:
        return Parsed()
    key = fold(text)
    if key in _STATUS_SHORT:
        return Parsed(_STATUS_SHORT[key].value)
    if "gioi thieu" in key:
        # Introduced to attend elsewhere for a while: still this branch's member, not
        # summoned to its meetings (not "sinh hoạt tạm thời" here, which is the reverse).
        return Parsed(MemberStatus.AWAY.value)
    for words, code in _STATUS_WORDS:
        if words in key:
            return Parsed(code.value)
    known = ", ".join(s.label.lower() for s in MemberStatus)
    return Parsed(error=f"Trạng thái “{text}” không rõ; dùng: {known}.")


_YES = {"co", "x", "1", "yes", "y", "true", "✓", "v", "da co", "co su dung", "dung"}
_NO = {"khong", "0", "no", "n", "false", "chua", "chua co", "k", "ko", "-"}


def parse_bool(value: Any, *, label: str) -> Parsed[bool]:
    text = cell_text(value)
    if not text:
        return Parsed()
    key = fold(text)
    if key in _YES:
        return Parsed(True)
    if key in _NO:
        return Parsed(False)
    return Parsed(warning=f"{label}: không hiểu “{text}” (ghi “có” hoặc “không”); bỏ qua ô này.")


def parse_account(value: Any) -> Parsed[str]:
    text = cell_text(value)
    if not text:
        return Parsed()
    key = fold(text)
    if "duyet" in key or "hoat dong" in key:
        return Parsed("da_duyet")
    if "chua" in key or key in _NO:
        return Parsed("chua_dang_ky")
    if "dang ky" in key or key in _YES:
        return Parsed("da_dang_ky")
    return Parsed(
        warning=f"Tài khoản Sổ tay đảng viên: không hiểu “{text}” (chưa đăng ký / đã đăng ký / "
        "đã duyệt); bỏ qua ô này."
    )


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower() if word else word


def parse_name(value: Any) -> Parsed[str]:
    """NFC, spaces collapsed; a name written all in capitals (or all small) gets capitals
    at the start of each word, as names are written in the register."""
    raw = "" if value is None else str(value)
    controls = [ch for ch in raw if (ord(ch) < 32 and ch not in "\n\r\t") or 0x7F <= ord(ch) < 0xA0]
    text = cell_text(value)
    if not text:
        return Parsed()
    bad = list(dict.fromkeys(controls + text_legacy.foreign_characters(text)))
    if bad:
        shown = ", ".join(text_legacy.show_character(ch) for ch in bad[:5])
        return Parsed(
            error=f"Họ và tên “{text}” có ký tự không có trong tên người Việt ({shown}), có "
            "thể tệp bị lỗi bảng mã hoặc mất dấu; dòng này không được nhập, hãy sửa tên trong "
            "tệp (hoặc lưu lại tệp dạng Unicode/“CSV UTF-8”) rồi nhập lại."
        )
    if text == text.upper() or text == text.lower():
        fixed = " ".join(_cap(w) for w in text.split(" "))
        if fixed != text:
            return Parsed(fixed, repaired=f"Họ và tên: viết lại “{text}” thành “{fixed}”")
    return Parsed(text)


def parse_text(value: Any) -> Parsed[str]:
    text = cell_text(value)
    return Parsed(text or None)


def parse_multiline(value: Any) -> Parsed[str]:
    """Text whose line breaks matter (notes): each line cleaned, the breaks kept."""
    if value is None:
        return Parsed()
    raw = _INVISIBLE.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(clean(line) for line in raw.split("\n")).strip()
    return Parsed(text or None)

"""All the checks on one member record, as a list of issues (errors and warnings)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from app.models.member import ACCOUNT_STATES, GENDERS
from app.text import clean
from app.validation.cccd import check_personal_id, strip_id
from app.validation.dates import check_dates
from app.validation.issues import Issue, error
from app.validation.phone import normalise_phone
from app.vocab import MemberStatus

MAX_NAME_LENGTH = 120
MAX_CARD_LENGTH = 20


class MemberLike(Protocol):
    full_name: str
    birth_date: dt.date | None
    gender: str | None
    admission_date: dt.date | None
    official_date: dt.date | None
    card_number: str | None
    personal_id: str | None
    phone: str | None
    status: str
    app_account: str


def name_problem(name: str) -> str | None:
    """Why a person's họ và tên (already cleaned, not empty) cannot be taken, or None."""
    if len(name) > MAX_NAME_LENGTH:
        return f"Họ và tên dài quá {MAX_NAME_LENGTH} ký tự."
    if any(ch.isdigit() for ch in name):
        return f"Họ và tên “{name}” có chữ số; hãy kiểm tra lại."
    return None


def check_member(data: MemberLike, *, today: dt.date | None = None) -> list[Issue]:
    """Every problem with a member's data; errors block saving, warnings do not.

    Values may be raw (as typed or read from a file): IDs and phones are checked in the form
    they will be stored after normalisation.
    """
    issues: list[Issue] = []
    name = clean(data.full_name)
    if not name:
        issues.append(error("full_name", "Vui lòng nhập họ và tên đảng viên."))
    elif problem := name_problem(name):
        issues.append(error("full_name", problem))
    gender = clean(data.gender).lower() or None
    if gender is not None and gender not in GENDERS:
        issues.append(error("gender", "Giới tính phải là “nam” hoặc “nữ”."))
    if data.status not in MemberStatus.labels():
        issues.append(error("status", f"Trạng thái không hợp lệ: {data.status}."))
    if data.app_account not in ACCOUNT_STATES:
        issues.append(
            error("app_account", f"Trạng thái tài khoản không hợp lệ: {data.app_account}.")
        )
    card = strip_id(data.card_number)
    if len(card) > MAX_CARD_LENGTH:
        issues.append(error("card_number", f"Số thẻ đảng viên dài quá {MAX_CARD_LENGTH} ký tự."))
    issues.extend(
        check_personal_id(
            strip_id(data.personal_id) or None,
            birth_date=data.birth_date,
            gender=gender if gender in GENDERS else None,
        )
    )
    raw_phone = clean(data.phone)
    if raw_phone and normalise_phone(raw_phone).value is None:
        issues.append(
            error(
                "phone",
                f"Số điện thoại “{raw_phone}” không hợp lệ (cần 10 chữ số, bắt đầu bằng "
                "03, 05, 07, 08 hoặc 09).",
            )
        )
    issues.extend(
        check_dates(
            birth_date=data.birth_date,
            admission_date=data.admission_date,
            official_date=data.official_date,
            status=data.status,
            today=today,
            decision_date=getattr(data, "admission_decision_date", None),
            death_date=getattr(data, "death_date", None),
        )
    )
    issues.extend(_left_date_issues(data, today or dt.date.today()))
    return issues


# The date asked when a member leaves the branch, by status: (field, its label in the form).
LEAVING_DATE: dict[str, tuple[str, str]] = {
    MemberStatus.TRANSFERRED: ("left_date", "Ngày chuyển đi"),
    MemberStatus.DECEASED: ("death_date", "Ngày từ trần"),
    MemberStatus.REMOVED: ("left_date", "Ngày xóa tên"),
}


def _left_date_issues(data: MemberLike, today: dt.date) -> list[Issue]:
    left = getattr(data, "left_date", None)
    if left is None:
        return []
    label = LEAVING_DATE.get(data.status, ("", "Ngày chuyển đi / xóa tên"))[1]
    if left > today:
        return [error("left_date", f"{label} ở trong tương lai.")]
    if data.admission_date is not None and left < data.admission_date:
        return [error("left_date", f"{label} phải sau ngày vào Đảng.")]
    return []


def leaving_issues(data: MemberLike) -> list[Issue]:
    """What a member who leaves the branch (chuyển đi, từ trần, xóa tên) still needs: the
    date, and for a transfer the receiving chi bộ / đảng bộ. Asked by the form; the dues
    are owed through the month of that date."""
    if data.status not in LEAVING_DATE:
        return []
    field, label = LEAVING_DATE[data.status]
    issues: list[Issue] = []
    if getattr(data, field, None) is None:
        issues.append(error(field, f"Vui lòng ghi {label[0].lower()}{label[1:]}."))
    if data.status == MemberStatus.TRANSFERRED and not clean(getattr(data, "left_to", "")):
        issues.append(
            error("left_to", "Vui lòng ghi nơi chuyển đến (chi bộ, đảng bộ nhận sinh hoạt).")
        )
    return issues

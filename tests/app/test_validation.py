"""Checks on member data: số định danh, phone numbers, dates (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services.members import MemberInput
from app.validation import check_member
from app.validation.cccd import check_personal_id, describe
from app.validation.dates import add_months, check_dates
from app.validation.phone import format_phone, normalise_phone
from app.validation.provinces import PROVINCES

TODAY = dt.date(2025, 11, 15)


def levels(issues: list) -> list[tuple[str, str]]:
    return [(i.level, i.field) for i in issues]


def test_province_table_has_the_63_codes_between_001_and_096() -> None:
    assert len(PROVINCES) == 63
    assert all(len(code) == 3 and "001" <= code <= "096" for code in PROVINCES)
    assert PROVINCES["001"] == "Hà Nội"
    assert PROVINCES["079"] == "Thành phố Hồ Chí Minh"
    assert PROVINCES["031"] == "Hải Phòng"
    assert PROVINCES["064"] == "Gia Lai"
    assert PROVINCES["075"] == "Đồng Nai"
    assert "003" not in PROVINCES and "097" not in PROVINCES


def test_a_consistent_cccd_has_no_issue() -> None:
    # 052 Bình Định, 0 = male born in the 1900s, 58 = 1958.
    assert check_personal_id("052058001234", birth_date=dt.date(1958, 4, 2), gender="nam") == []
    # 3 = female born in the 2000s.
    assert check_personal_id("079301001234", birth_date=dt.date(2001, 1, 1), gender="nữ") == []
    assert describe("052058001234") == "Nơi đăng ký khai sinh: Bình Định; nam, sinh năm 1958"


def test_cccd_year_and_sex_mismatch_are_warnings_naming_both_values() -> None:
    issues = check_personal_id("052158001234", birth_date=dt.date(1959, 4, 2), gender="nam")
    assert levels(issues) == [("warning", "personal_id"), ("warning", "personal_id")]
    assert "1958" in issues[0].message and "02/04/1959" in issues[0].message
    assert "nữ" in issues[1].message and "nam" in issues[1].message


def test_cccd_with_an_unknown_province_or_wrong_length_is_an_error() -> None:
    issues = check_personal_id("099058001234")
    assert levels(issues) == [("error", "personal_id")]
    assert "099" in issues[0].message
    issues = check_personal_id("05205800123")
    assert levels(issues) == [("error", "personal_id")]
    assert "12 chữ số" in issues[0].message
    assert levels(check_personal_id("05205800123A")) == [("error", "personal_id")]


def test_old_nine_digit_cmnd_is_accepted_with_a_warning() -> None:
    issues = check_personal_id("211234567")
    assert levels(issues) == [("warning", "personal_id")]
    assert "9 số" in issues[0].message


@pytest.mark.parametrize(
    ("raw", "expected", "repaired"),
    [
        ("0912345678", "0912345678", False),
        ("0912 345 678", "0912345678", False),
        ("091.234.5678", "0912345678", False),
        ("+84 912 345 678", "0912345678", False),
        ("84912345678", "0912345678", False),
        ("912345678", "0912345678", True),  # Excel dropped the zero
        ("0356-789-012", "0356789012", False),
        ("02563812345", "02563812345", False),  # landline
    ],
)
def test_phones_are_stored_as_0_and_nine_digits(raw: str, expected: str, repaired: bool) -> None:
    result = normalise_phone(raw)
    assert result.value == expected
    assert result.repaired is repaired


def test_bad_phones_are_refused_and_extra_numbers_reported() -> None:
    assert normalise_phone("0123").value is None
    assert normalise_phone("0112345678").value is None  # 01x is not a mobile prefix now
    assert normalise_phone("abc").value is None
    both = normalise_phone("0912345678 - 0987654321")
    assert both.value == "0912345678" and both.extra == ("0987654321",)
    assert format_phone("0912345678") == "0912 345 678"


def test_dates_in_order_have_no_issue() -> None:
    issues = check_dates(
        birth_date=dt.date(1950, 5, 1),
        admission_date=dt.date(1975, 3, 10),
        official_date=dt.date(1976, 3, 10),
        status="chinh_thuc",
        today=TODAY,
    )
    assert issues == []


def test_dates_out_of_order_are_errors() -> None:
    issues = check_dates(
        birth_date=dt.date(1980, 5, 1),
        admission_date=dt.date(1979, 3, 10),
        official_date=dt.date(1979, 1, 1),
        today=TODAY,
    )
    assert ("error", "admission_date") in levels(issues)
    assert ("error", "official_date") in levels(issues)
    assert any("sau ngày sinh" in i.message for i in issues)


def test_admission_age_outside_18_to_60_is_a_warning() -> None:
    young = check_dates(
        birth_date=dt.date(1960, 5, 1),
        admission_date=dt.date(1977, 3, 10),
        official_date=None,
        today=TODAY,
    )
    assert levels(young) == [("warning", "admission_date")]
    assert "16 tuổi" in young[0].message
    old = check_dates(
        birth_date=dt.date(1950, 5, 1),
        admission_date=dt.date(2012, 3, 10),
        official_date=dt.date(2013, 3, 10),
        today=TODAY,
    )
    assert levels(old) == [("warning", "admission_date")]


def test_odd_probation_gaps_are_warnings() -> None:
    early = check_dates(
        birth_date=None,
        admission_date=dt.date(1990, 1, 1),
        official_date=dt.date(1990, 7, 1),
        today=TODAY,
    )
    assert levels(early) == [("warning", "official_date")]
    assert "12 tháng" in early[0].message
    late = check_dates(
        birth_date=None,
        admission_date=dt.date(1990, 1, 1),
        official_date=dt.date(1992, 6, 1),
        today=TODAY,
    )
    assert levels(late) == [("warning", "official_date")]
    # Thirteen days short of twelve months is within tolerance.
    close = check_dates(
        birth_date=None,
        admission_date=dt.date(1990, 1, 14),
        official_date=dt.date(1991, 1, 1),
        today=TODAY,
    )
    assert close == []


def test_du_bi_member_past_probation_is_warned() -> None:
    issues = check_dates(
        birth_date=dt.date(1995, 1, 1),
        admission_date=dt.date(2024, 6, 1),
        official_date=None,
        status="du_bi",
        today=TODAY,
    )
    assert levels(issues) == [("warning", "status")]
    assert "01/06/2025" in issues[0].message
    still = check_dates(
        birth_date=dt.date(1995, 1, 1),
        admission_date=dt.date(2025, 6, 1),
        official_date=None,
        status="du_bi",
        today=TODAY,
    )
    assert still == []


def test_future_dates_are_errors() -> None:
    issues = check_dates(
        birth_date=dt.date(2030, 1, 1), admission_date=None, official_date=None, today=TODAY
    )
    assert levels(issues) == [("error", "birth_date")]


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 3, 15), 12) == dt.date(2024, 3, 15)


def test_check_member_combines_every_check() -> None:
    data = MemberInput(
        full_name="  ",
        gender="khác",
        personal_id="123",
        phone="12",
        status="unknown",
    )
    issues = check_member(data, today=TODAY)
    errors = {i.field for i in issues if i.level == "error"}
    assert errors == {"full_name", "gender", "personal_id", "phone", "status"}
    good = MemberInput(
        full_name="Nguyễn Thị Hòa",
        birth_date=dt.date(1958, 4, 2),
        gender="nữ",
        admission_date=dt.date(1980, 5, 19),
        official_date=dt.date(1981, 5, 19),
        personal_id="052158001234",
        phone="0912 345 678",
    )
    assert check_member(good, today=TODAY) == []


def test_admission_as_a_child_is_an_error_but_wartime_youth_only_a_warning() -> None:
    child = check_dates(
        birth_date=dt.date(2015, 1, 1),
        admission_date=dt.date(2020, 1, 1),
        official_date=None,
        today=TODAY,
    )
    assert ("error", "admission_date") in levels(child)
    assert any("không thể" in i.message for i in child)
    youth = check_dates(
        birth_date=dt.date(1950, 1, 1),
        admission_date=dt.date(1967, 6, 1),
        official_date=dt.date(1968, 6, 1),
        today=TODAY,
    )
    assert levels(youth) == [("warning", "admission_date")]
    assert "17 tuổi" in youth[0].message

"""Unpaid đảng phí across the new year: what "còn nợ" counts as at a month (the branch's
xóa tên rule, calendar year or twelve months), months of another year named with their year,
and the three-months warning that must not forget October–December in January. Through the
service and through `sotay dues` as a real process (JSON)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.services import dashboard, dues
from tests.app.dues_kit import DuesBranch, make_dues_branch
from tests.cli_runner import CLI_PASSWORD, run_sotay

DEC_5 = dt.date(2026, 12, 5)
JAN_5 = dt.date(2027, 1, 5)  # the roll call of 05/01/2027
FEB_5 = dt.date(2027, 2, 5)


def _pay_year_end(book: Book, ids: dict[str, str]) -> None:
    """An pays January–September 2026 (October–December unpaid); Em pays January–October
    2026 (November, December and January 2027 unpaid); Bích pays everything up to January
    2027 but December 2026 has a recorded reason."""
    an, em, bich = ids["Nguyễn Văn An"], ids["Hoàng Văn Em"], ids["Trần Thị Bích"]
    dues.pay(book, member=an, months=dues.parse_months("2026-01..2026-09"), today=DEC_5)
    dues.pay(book, member=em, months=dues.parse_months("2026-01..2026-10"), today=DEC_5)
    dues.pay(book, member=bich, months=dues.parse_months("2026-01..2026-11"), today=DEC_5)
    dues.excuse(book, member=bich, months=["2026-12"], reason="Nằm viện", today=JAN_5)
    dues.pay(book, member=bich, months=["2027-01"], paid_on=JAN_5, today=JAN_5)


@pytest.fixture
def branch(book: Book) -> DuesBranch:
    made = make_dues_branch(book)
    _pay_year_end(book, made.ids)
    return made


def _by_name(rows: list[dues.UnpaidMember]) -> dict[str, dues.UnpaidMember]:
    return {u.full_name: u for u in rows}


def test_october_to_december_unpaid_are_listed_for_xoa_ten_in_january(
    book: Book, branch: DuesBranch
) -> None:
    # 5 December: October and November are over, two months: a reminder only.
    dec = _by_name(dues.unpaid_members(book, today=DEC_5))
    assert dec["Nguyễn Văn An"].unpaid == ("2026-10", "2026-11")
    assert not dec["Nguyễn Văn An"].removal
    assert "còn nợ đảng phí 2 tháng" in dec["Nguyễn Văn An"].message
    # 5 January: the year 2026 is over with three months unpaid: the xóa tên rule is reached,
    # and the message names the year it was reached in.
    jan = _by_name(dues.unpaid_members(book, today=JAN_5))
    an = jan["Nguyễn Văn An"]
    assert an.removal and an.counted == ("2026-10", "2026-11", "2026-12")
    assert (
        "chưa đóng đảng phí 3 tháng trong năm 2026: 10, 11, 12/2026, không có lý do chính đáng"
        in an.message
    )
    # The dashboard says the same on 5 January.
    board = dashboard.dashboard(book, today=JAN_5)
    serious = {(a.full_name, a.kind) for a in board.attention if a.serious}
    assert ("Nguyễn Văn An", "dues_removal") in serious
    # A month with a recorded reason is still owed but never counted for xóa tên.
    assert jan["Trần Thị Bích"].unpaid == ("2026-12",) and not jan["Trần Thị Bích"].removal
    # February: the case of 2026 stays listed (it was not settled), while Em's November,
    # December and January fall in two calendar years: two and one, not three in a year.
    feb = _by_name(dues.unpaid_members(book, today=FEB_5))
    assert feb["Nguyễn Văn An"].removal and feb["Nguyễn Văn An"].period == "trong năm 2026"
    em = feb["Hoàng Văn Em"]
    assert em.unpaid == ("2026-11", "2026-12", "2027-01") and not em.removal
    assert "11, 12/2026, 1/2027" in em.message
    # Paying the three months late settles the case: January 2027 is all An still owes.
    dues.pay(
        book,
        member=branch.ids["Nguyễn Văn An"],
        months=dues.parse_months("2026-10..2026-12"),
        paid_on=FEB_5,
        today=FEB_5,
    )
    settled = _by_name(dues.unpaid_members(book, today=FEB_5))["Nguyễn Văn An"]
    assert settled.unpaid == ("2027-01",) and not settled.removal


def test_twelve_months_rule_counts_across_the_new_year(book: Book, branch: DuesBranch) -> None:
    dues.set_rules(book, rules=dues.DuesRules(removal_window="rolling12"))
    feb = _by_name(dues.unpaid_members(book, today=FEB_5))
    em = feb["Hoàng Văn Em"]
    assert em.removal and em.counted == ("2026-11", "2026-12", "2027-01")
    assert em.period == "trong 12 tháng qua (từ tháng 2/2026 đến tháng 1/2027)"
    assert "3 tháng trong 12 tháng qua (từ tháng 2/2026 đến tháng 1/2027)" in em.message
    # On 5 December 2026 the window is 12/2025..11/2026: one month of Em's, not three.
    assert not _by_name(dues.unpaid_members(book, today=DEC_5))["Hoàng Văn Em"].removal


def test_the_sheet_counts_owed_months_as_at_its_own_month(book: Book, branch: DuesBranch) -> None:
    an = branch.ids["Nguyễn Văn An"]
    jan = dues.month_sheet(book, month="2027-01")
    assert jan.owing_window is not None
    assert jan.owing_window.heading == "Còn nợ từ 1/2026"
    assert jan.owing_window.description.startswith(
        "Các tháng chưa đóng đảng phí từ tháng 1/2026 đến tháng 12/2026: năm 2026"
    )
    row = jan.row(an)
    assert row is not None and row.owing == ("2026-10", "2026-11", "2026-12")
    # The sheet of December 2026: months before December only, whatever today is.
    dec = dues.month_sheet(book, month="2026-12").row(an)
    assert dec is not None and dec.owing == ("2026-10", "2026-11")
    # Under the twelve-months rule the heading says so and the window moves with the month.
    dues.set_rules(book, rules=dues.DuesRules(removal_window="rolling12"))
    mar = dues.month_sheet(book, month="2027-03")
    assert mar.owing_window is not None and mar.owing_window.heading == "Còn nợ 12 tháng qua"
    assert mar.owing_window.first == "2026-03" and mar.owing_window.last == "2027-02"
    row = mar.row(an)
    assert row is not None
    assert row.owing == ("2026-10", "2026-11", "2026-12", "2027-01", "2027-02")


# --- the command line ------------------------------------------------------------------------


def _sotay(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_sotay(data, *args, password=CLI_PASSWORD)


@pytest.fixture(scope="module")
def cli_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data = tmp_path_factory.mktemp("boundary") / "so"
    r = _sotay(data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường")
    assert r.returncode == 0, r.stderr
    book = open_book(data, password=CLI_PASSWORD)
    try:
        ids = make_dues_branch(book).ids
        _pay_year_end(book, ids)
    finally:
        book.close()
    return data, ids


def test_cli_unpaid_on_both_sides_of_the_new_year(cli_book: tuple[Path, dict[str, str]]) -> None:
    data, ids = cli_book
    r = _sotay(data, "dues", "unpaid", "--month", "2026-12", "--json")
    assert r.returncode == 0, r.stderr
    dec = json.loads(r.stdout)
    # The calendar rule reaches back to 1/2025, but the book tracks dues from 1/2026.
    assert dec["window"]["heading"] == "Còn nợ từ 1/2026"
    an = next(u for u in dec["unpaid"] if u["member_id"] == ids["Nguyễn Văn An"])
    assert an["months"] == ["2026-10", "2026-11"] and an["removal"] is False
    r = _sotay(data, "dues", "unpaid", "--month", "2027-01", "--json")
    assert r.returncode == 0, r.stderr
    jan = json.loads(r.stdout)
    assert (jan["window"]["first"], jan["window"]["last"]) == ("2026-01", "2026-12")
    an = next(u for u in jan["unpaid"] if u["member_id"] == ids["Nguyễn Văn An"])
    assert an["removal"] is True and an["period"] == "trong năm 2026"
    assert an["months_text"] == "10, 11, 12/2026"
    assert an["counted"] == ["2026-10", "2026-11", "2026-12"]
    # The text form says what it counts before the list.
    r = _sotay(data, "dues", "unpaid", "--month", "2027-01")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Các tháng chưa đóng đảng phí từ tháng 1/2026 đến tháng 12/2026")
    assert "3 tháng trong năm 2026: 10, 11, 12/2026" in r.stdout


def test_cli_month_sheet_json_has_the_owed_months_with_their_year(
    cli_book: tuple[Path, dict[str, str]],
) -> None:
    data, ids = cli_book
    r = _sotay(data, "dues", "due", "--month", "2027-01", "--json")
    assert r.returncode == 0, r.stderr
    sheet = json.loads(r.stdout)
    assert sheet["owing_window"]["heading"] == "Còn nợ từ 1/2026"
    rows = {row["member_id"]: row for row in sheet["rows"]}
    assert rows[ids["Nguyễn Văn An"]]["owing_text"] == "10, 11, 12/2026"
    assert rows[ids["Trần Thị Bích"]]["owing"] == ["2026-12"]

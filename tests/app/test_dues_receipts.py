"""Receipt numbers when a branch takes dues on more than one desktop: each desktop has its
own series (ký hiệu), numbers run per series and year, receipts made before a series keep
their number, and the number is the same on the receipt PDF, in the sheet and in the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.errors import ValidationError
from app.services import dues
from reports.printing import write_dues_receipts
from tests.app.dues_kit import TODAY, DuesBranch, make_dues_branch
from tests.app.test_feedback_kit import pdf_text
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay

PAID = dt.date(2026, 11, 20)


@pytest.fixture
def branch(book: Book) -> DuesBranch:
    return make_dues_branch(book)


def test_numbers_run_per_series_and_old_receipts_keep_theirs(
    book: Book, branch: DuesBranch, tmp_path: Path
) -> None:
    an, bich = branch.ids["Nguyễn Văn An"], branch.ids["Trần Thị Bích"]
    first = dues.pay(book, member=an, months=["2026-10"], paid_on=PAID, today=TODAY)
    second = dues.pay(book, member=bich, months=["2026-10"], paid_on=PAID, today=TODAY)
    assert (first.receipt_label, second.receipt_label) == ("001/2026", "002/2026")
    # This desktop takes series B (typed in lower case): its numbers start again at 1.
    assert dues.set_receipt_series(book, series="b", reason="Máy thứ hai của chi bộ") == "B"
    third = dues.pay(book, member=an, months=["2026-11", "2026-12"], paid_on=PAID, today=TODAY)
    fourth = dues.pay(book, member=bich, months=["2026-11"], paid_on=PAID, today=TODAY)
    assert (third.receipt_label, fourth.receipt_label) == ("B-001/2026", "B-002/2026")
    assert third.to_json()["receipt_label"] == "B-001/2026"
    # DVCQG payments have no receipt.
    online = dues.pay(
        book, member=bich, months=["2026-12"], via="dvcqg", reference="DVC-9", today=TODAY
    )
    assert online.receipt_label == ""
    labels = [r.number_label for r in dues.receipts(book, year=2026)]
    assert labels == ["001/2026", "002/2026", "B-001/2026", "B-002/2026"]
    assert [r.number_label for r in dues.receipts(book, number=1, series="b")] == ["B-001/2026"]
    # The PDF prints the same numbers.
    out = tmp_path / "bien-lai.pdf"
    assert write_dues_receipts(book, path=out, year=2026) == 4
    text = pdf_text(out.read_bytes())
    assert "Số 001/2026" in text and "Số B-001/2026" in text and "Số B-002/2026" in text
    # The sheet shows the receipt in the paid cell's tooltip.
    sheet = dues.month_sheet(book, month="2026-11")
    row = sheet.row(an)
    assert row is not None and row.payment is not None
    assert row.payment.receipt_label == "B-001/2026"


def test_a_series_is_letters_and_digits(book: Book) -> None:
    with pytest.raises(ValidationError, match="Ký hiệu biên lai “Đ-1” không hợp lệ"):
        dues.set_receipt_series(book, series="Đ-1")
    assert dues.receipt_series(book) == ""
    dues.set_receipt_series(book, series="may2")
    assert dues.receipt_series(book) == "MAY2"
    dues.set_receipt_series(book, series="")  # back to no series
    assert dues.receipt_series(book) == ""


def test_cli_sets_the_series_and_prints_the_receipt_number(tmp_path: Path) -> None:
    data = tmp_path / "so"
    r = run_sotay(data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường")
    assert r.returncode == 0, r.stderr
    book = open_book(data, password=CLI_PASSWORD)
    try:
        ids = make_dues_branch(book).ids
    finally:
        book.close()
    r = run_sotay(data, "dues", "rules", "--receipt-series", "B", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["receipt_series"] == "B"
    assert "Ký hiệu biên lai “B C” không hợp lệ" in one_line_error(
        run_sotay(data, "dues", "rules", "--receipt-series", "B C")
    )
    month = f"{dt.date.today():%Y-%m}"
    r = run_sotay(data, "dues", "pay", ids["Nguyễn Văn An"], "--month", month)
    assert r.returncode == 0, r.stderr
    assert f"Biên lai số B-001/{dt.date.today().year}." in r.stdout
    # With the series cleared, Bích pays under no ký hiệu: two receipts no. 1 this year.
    r = run_sotay(data, "dues", "rules", "--receipt-series", "", "--json")
    assert r.returncode == 0, r.stderr
    r = run_sotay(data, "dues", "pay", ids["Trần Thị Bích"], "--month", month)
    assert r.returncode == 0, r.stderr
    year = str(dt.date.today().year)
    out = tmp_path / "b.pdf"
    r = run_sotay(data, "dues", "receipt", "--number", "1", "--year", year, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "Đã ghi 2 biên lai" in r.stdout
    r = run_sotay(
        data, "dues", "receipt", "--number", "1", "--year", year, "--series", "b", "-o", str(out)
    )
    assert r.returncode == 0, r.stderr
    assert "Đã ghi 1 biên lai" in r.stdout
    text = pdf_text(out.read_bytes())
    assert f"B-001/{year}" in text and "Nguyễn Văn An" in text and "Trần Thị Bích" not in text

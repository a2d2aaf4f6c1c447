"""A dues book begun in December 2026: the yearly book prints "—" (chưa theo dõi) for every
month before the book's first setting, for payers and exempt members alike (never "Miễn" for
a month the book did not follow), and the sheet's "còn nợ" heading starts no earlier than
that first month, not at a date the user never entered. Through the service and the PDF."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.book import Book
from app.services import dues, members
from app.services.members import MemberInput
from reports.printing import write_dues_year_book

TODAY = dt.date(2026, 12, 5)
PAYER = "Vũ Thị Ngọc Ánh"
OLD = "Trần Văn Bình"  # 50 years of tuổi đảng long ago (exempt by the rule, no setting)
TURNS_50 = "Tạ Quang Bửu"  # 50 years of tuổi đảng in August 2026
POOR = "Nguyễn Thị Lan"  # exempt by a setting from December (hộ nghèo)
NO_RATE = "Đỗ Quang Huy"


@pytest.fixture
def ids(book: Book) -> dict[str, str]:
    admitted = {
        PAYER: dt.date(2005, 4, 2),
        OLD: dt.date(1968, 3, 1),
        TURNS_50: dt.date(1976, 8, 19),
        POOR: dt.date(2001, 6, 9),
        NO_RATE: dt.date(2012, 2, 3),
    }
    out = {
        name: members.create(book, data=MemberInput(name, admission_date=day)).id
        for name, day in admitted.items()
    }
    dues.set_setting(book, member=out[PAYER], basis="salary", income=8_000_000,
                     effective_from="2026-12", today=TODAY)  # fmt: skip
    dues.set_setting(book, member=out[POOR], basis="exempt", exempt_kind="poor",
                     reason="Đơn số 3", effective_from="2026-12", today=TODAY)  # fmt: skip
    dues.pay(book, member=out[PAYER], months=["2026-12"], paid_on=TODAY, today=TODAY)
    return out


def _marks(book: Book, year: int) -> dict[str, list[str]]:
    return {r.full_name: [c.mark for c in r.cells] for r in dues.year_book(book, year=year).rows}


def test_months_before_the_books_first_setting_are_untracked_for_everyone(
    book: Book, ids: dict[str, str]
) -> None:
    marks = _marks(book, 2026)
    assert marks[PAYER] == ["—"] * 11 + ["80.000"]
    # Exempt by tuổi đảng, with or without a setting, or by a setting: "—" until December.
    assert marks[OLD] == ["—"] * 11 + ["Miễn"]
    assert marks[TURNS_50] == ["—"] * 11 + ["Miễn"]
    assert marks[POOR] == ["—"] * 11 + ["Miễn"]
    assert marks[NO_RATE] == ["—"] * 12
    # From the first tracked month on, the rule applies as before: a year later the old
    # member is exempt all year, whatever his own settings.
    assert _marks(book, 2027)[OLD] == ["Miễn"] * 12
    # Nothing before December is owed either.
    assert all(r.unpaid_months == () for r in dues.year_book(book, year=2026).rows)


def test_a_book_with_no_setting_tracks_no_month(book: Book) -> None:
    members.create(book, data=MemberInput(OLD, admission_date=dt.date(1968, 3, 1)))
    assert _marks(book, 2026)[OLD] == ["—"] * 12
    window = dues.month_sheet(book, month="2026-12").owing_window
    assert window is not None and window.heading == "Còn nợ từ 12/2026"
    assert window.months == ()
    assert window.description == (
        "Sổ chưa ghi mức đóng của đảng viên nào: chưa có tháng nào để tính nợ."
    )


def test_the_printed_book_says_mien_only_for_tracked_months(
    book: Book, ids: dict[str, str], tmp_path: Path
) -> None:
    out = write_dues_year_book(book, year=2026, path=tmp_path / "so.pdf")
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(
        unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages
    )
    lines = {name: " ".join(text.split(name, 1)[1].split()[:13]) for name in (OLD, TURNS_50, POOR)}
    for name, line in lines.items():
        assert line == " ".join(["—"] * 11 + ["Miễn", "0"]), name
    assert "chưa theo dõi trên sổ" in text


def test_the_owing_heading_starts_at_the_books_first_month(book: Book, ids: dict[str, str]) -> None:
    dec = dues.month_sheet(book, month="2026-12")
    assert dec.owing_window is not None
    assert dec.owing_window.heading == "Còn nợ từ 12/2026"  # not "từ 1/2025"
    assert dec.owing_window.months == ()
    assert dec.owing_window.description == (
        "Sổ theo dõi đảng phí từ tháng 12/2026 (tháng ghi mức đóng đầu tiên): chưa có tháng "
        "nào trước tháng 12/2026 để tính nợ."
    )
    # In March 2027 the window runs from December, and the unpaid months are named.
    mar = dues.month_sheet(book, month="2027-03")
    assert mar.owing_window is not None
    assert mar.owing_window.heading == "Còn nợ từ 12/2026"
    assert mar.owing_window.description.startswith(
        "Các tháng chưa đóng đảng phí từ tháng 12/2026 đến tháng 2/2027: sổ theo dõi đảng phí "
        "từ tháng 12/2026"
    )
    payer = mar.row(ids[PAYER])
    assert payer is not None and payer.owing == ("2027-01", "2027-02")
    unpaid = dues.unpaid_members(book, month="2027-03")
    assert [(u.full_name, u.window.first) for u in unpaid] == [(PAYER, "2026-12")]
    assert dues.book_owing_window(book, month="2027-03") == mar.owing_window
    # The twelve-months rule is cut short the same way (and says from when).
    dues.set_rules(book, rules=dues.DuesRules(removal_window="rolling12"))
    rolled = dues.book_owing_window(book, month="2027-03")
    assert (rolled.heading, rolled.first) == ("Còn nợ từ 12/2026", "2026-12")
    # Once the window no longer reaches back to the first month, the rule's own heading.
    later = dues.book_owing_window(book, month="2028-03")
    assert (later.heading, later.first) == ("Còn nợ 12 tháng qua", "2027-03")

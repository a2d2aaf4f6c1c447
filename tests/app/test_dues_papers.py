"""The dues papers as a treasurer hands them out: the yearly book of a book started in
December does not claim eleven unpaid months (months before a member's first rate print "—",
not tracked, as the sheet and `dues unpaid` count them), the legend and signatures stay with
the table, the collector signs with a name, and receipts come two to an A4 sheet."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.book import Book
from app.services import dues, members
from app.services.members import MemberInput
from reports.layout import page_count
from reports.printing import write_dues_receipts, write_dues_year_book

TODAY = dt.date(2026, 12, 5)
FAMILY = ["Nguyễn Văn", "Trần Thị", "Lê Hữu"]
SECRETARY = "Trần Văn Bình"  # the test book's secretary (tests/conftest.py)


def _pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [
        " ".join(unicodedata.normalize("NFC", p.extract_text() or "").split()) for p in reader.pages
    ]


def _december_branch(book: Book, count: int) -> list[str]:
    """A branch whose book began in December: `count` members, the first three given a rate
    from 12/2026 (one of them pays), one a rate from 9/2026 and nothing paid since."""
    given = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Minh", "Nga"]
    ids = [
        members.create(
            book,
            data=MemberInput(
                f"{FAMILY[i % len(FAMILY)]} {given[i % len(given)]}",
                admission_date=dt.date(2000 + i % 20, 5, 1),
                card_number=f"7900{i:04d}",
            ),
        ).id
        for i in range(count)
    ]
    for n, mid in enumerate(ids[:3]):
        dues.set_setting(book, member=mid, basis="salary", income=8_000_000 + n * 1_000_000,
                         effective_from="2026-12", today=TODAY)  # fmt: skip
    dues.pay(book, member=ids[0], months=["2026-12"], paid_on=TODAY, today=TODAY)
    dues.set_setting(book, member=ids[3], basis="fixed", effective_from="2026-09", today=TODAY)
    return ids


def test_months_before_the_first_rate_are_not_tracked_on_paper_or_screen(
    book: Book, tmp_path: Path
) -> None:
    ids = _december_branch(book, 6)
    data = dues.year_book(book, year=2026)
    rows = {r.member_id: r for r in data.rows}
    # A rate from December: January..November are not tracked, December is owed or paid.
    assert [c.mark for c in rows[ids[1]].cells] == ["—"] * 11 + [""]
    assert rows[ids[0]].cells[11].mark == "80.000"
    # No rate at all: the whole year is "—", not eleven blank "chưa đóng" cells.
    assert {c.mark for c in rows[ids[5]].cells} == {"—"}
    assert rows[ids[5]].unpaid_months == ()
    # A rate from September: September..November are really owed (blank, counted).
    assert [c.mark for c in rows[ids[3]].cells[7:11]] == ["—", "", "", ""]
    # The screen and `dues unpaid` count exactly the blank months, nothing before the rate.
    sheet = dues.month_sheet(book, month="2026-12")
    owing = {r.member_id: r.owing for r in sheet.rows if r.owing}
    assert owing == {ids[3]: ("2026-09", "2026-10", "2026-11")}
    assert [(u.member_id, u.unpaid) for u in dues.unpaid_members(book, month="2026-12")] == [
        (ids[3], ("2026-09", "2026-10", "2026-11"))
    ]
    out = write_dues_year_book(book, year=2026, path=tmp_path / "so.pdf")
    text = " ".join(_pages(out.read_bytes()))
    assert "“—”: chưa theo dõi trên sổ" in text
    assert "ô trống: chưa đóng" in text
    # The collector signs with a name: the secretary, as no collector is configured.
    assert "NGƯỜI THU ĐẢNG PHÍ" in text
    assert text.count(SECRETARY) == 2


def test_legend_and_signatures_stay_with_the_table(book: Book, tmp_path: Path) -> None:
    """33 members fill page 1 and half of page 2: the legend and both signatures follow the
    table on page 2 instead of standing alone on a page 3."""
    _december_branch(book, 33)
    out = write_dues_year_book(book, year=2026, path=tmp_path / "so.pdf")
    pages = _pages(out.read_bytes())
    assert len(pages) == 2
    assert "Cộng" in pages[1] and "Ghi chú" in pages[1] and "NGƯỜI THU ĐẢNG PHÍ" in pages[1]
    assert pages[1].count(SECRETARY) == 2


def test_configured_collector_signs_receipts_and_book(book: Book, tmp_path: Path) -> None:
    ids = _december_branch(book, 4)
    dues.pay(book, member=ids[1], months=["2026-12"], paid_on=TODAY, today=TODAY)
    dues.pay(book, member=ids[2], months=["2026-12"], paid_on=TODAY, today=TODAY)
    assert [r.collected_by for r in dues.receipts(book, year=2026)] == [SECRETARY] * 3
    rules = dues.set_rules(
        book, rules=replace(dues.get_rules(book), collector="  Lê Thị  Thu "), reason="Phân công"
    )
    assert rules.collector == "Lê Thị Thu"
    assert any("Người thu đảng phí (ký biên lai, sổ): Lê Thị Thu" in x for x in rules.describe())
    assert [r.collected_by for r in dues.receipts(book, year=2026)] == ["Lê Thị Thu"] * 3
    assert dues.year_book(book, year=2026).collector == "Lê Thị Thu"
    out = tmp_path / "bl.pdf"
    write_dues_receipts(book, path=out, year=2026)
    text = " ".join(_pages(out.read_bytes()))
    assert text.count("Lê Thị Thu") == 3 and "Bí thư chi bộ" not in text


def test_receipts_two_to_a_sheet_each_whole(book: Book, tmp_path: Path) -> None:
    ids = _december_branch(book, 6)
    for mid in ids[1:3]:
        dues.pay(book, member=mid, months=["2026-12"], paid_on=TODAY, today=TODAY)
    dues.pay(book, member=ids[3], months=["2026-09", "2026-10", "2026-11", "2026-12"],
             paid_on=TODAY, today=TODAY)  # fmt: skip
    out = tmp_path / "bl.pdf"
    assert write_dues_receipts(book, path=out, year=2026) == 4
    raw = out.read_bytes()
    assert page_count(raw) == 2
    pages = _pages(raw)
    for page, numbers in zip(pages, [("001", "002"), ("003", "004")], strict=True):
        assert page.count("BIÊN LAI THU ĐẢNG PHÍ") == 2
        assert page.count("NGƯỜI THU ĐẢNG PHÍ") == 2
        assert all(f"Số {n}/2026" in page for n in numbers)
        assert page.count(SECRETARY) == 2


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_receipt_sheet_has_a_cut_line_between_halves(book: Book, tmp_path: Path) -> None:
    """Rendered: ink in the top half and in the bottom half, and a dashed row across the
    middle that is neither (the cut line) with blank rows either side of it."""
    ids = _december_branch(book, 4)
    dues.pay(book, member=ids[1], months=["2026-12"], paid_on=TODAY, today=TODAY)
    out = tmp_path / "bl.pdf"
    write_dues_receipts(book, path=out, year=2026)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")],
        check=True,
    )
    pgm = next(tmp_path.glob("p*.pgm")).read_bytes()
    header = pgm.split(b"\n", 3)
    width, height = (int(v) for v in header[1].split())
    pixels = header[3]
    dark = [sum(1 for x in range(width) if pixels[y * width + x] < 128) for y in range(height)]
    mid = range(int(height * 0.4), int(height * 0.6))
    dashed = [y for y in mid if dark[y] > width * 0.3]  # a line across most of the sheet
    assert len(dashed) >= 1
    top, bottom = dark[: min(dashed)], dark[max(dashed) + 1 :]
    assert sum(top) > 0 and sum(bottom) > 0
    # A dashed line, not a solid rule: gaps along the row.
    row = pixels[dashed[0] * width : (dashed[0] + 1) * width]
    inked = [x for x in range(width) if row[x] < 128]
    gaps = sum(1 for a, b in itertools.pairwise(inked) if b - a > 1)
    assert gaps >= 10

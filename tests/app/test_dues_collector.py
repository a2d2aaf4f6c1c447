"""Who signs as người thu đảng phí, set by the secretary (service and `sotay dues rules
--collector`), read back on the printed receipts; and the Excel yearly book's legend, the
printed book's own words, with the “—” line when a month is not tracked."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.book import Book, open_book
from app.errors import ValidationError
from app.models import AuditEntry
from app.services import dues, members
from app.services.members import MemberInput
from reports.printing import write_dues_receipts, write_dues_year_book
from tests.app.test_feedback_kit import pdf_text
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay

TODAY = dt.date(2026, 12, 5)
SECRETARY = "Trần Văn Bình"  # the test book's secretary (tests/conftest.py)
UNTRACKED = "“—”: chưa theo dõi trên sổ"


def _member(book: Book, name: str, card: str, *, rate_from: str) -> str:
    mid = members.create(
        book, data=MemberInput(name, admission_date=dt.date(2001, 5, 1), card_number=card)
    ).id
    dues.set_setting(book, member=mid, basis="fixed", effective_from=rate_from, today=TODAY)
    return mid


def _rules_audit(book: Book) -> list[AuditEntry]:
    with book.read_session() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == "rules.dues")
                .order_by(AuditEntry.id)
            )
        )


def test_collector_is_set_audited_checked_as_a_name_and_cleared(book: Book, tmp_path: Path) -> None:
    mid = _member(book, "Nguyễn Văn An", "79000001", rate_from="2026-01")
    dues.pay(book, member=mid, months=["2026-12"], paid_on=TODAY, today=TODAY)
    assert dues.get_rules(book).collector == ""
    saved = dues.set_rules(
        book, rules=replace(dues.get_rules(book), collector=" Lê  Thị Thu "), reason="Phân công"
    )
    assert saved.collector == dues.get_rules(book).collector == "Lê Thị Thu"
    entry = _rules_audit(book)[-1]
    assert entry.summary == "Sửa cách tính đảng phí" and entry.reason == "Phân công"
    assert json.loads(entry.changes_json)["collector"] == ["", "Lê Thị Thu"]
    # Refused as a member's họ và tên would be; the saved name stays.
    for bad, words in (("Lê Thị 2", "có chữ số"), ("Lê " + "a" * 130, "dài quá 120 ký tự")):
        with pytest.raises(ValidationError) as caught:
            dues.set_rules(book, rules=replace(dues.get_rules(book), collector=bad))
        assert caught.value.field == "collector"
        assert str(caught.value).startswith("Người thu đảng phí: ") and words in str(caught.value)
    assert dues.get_rules(book).collector == "Lê Thị Thu"
    out = tmp_path / "bl.pdf"
    write_dues_receipts(book, path=out, year=2026)
    assert "Lê Thị Thu" in pdf_text(out.read_bytes())
    # Blank again: the secretary signs.
    dues.set_rules(book, rules=replace(dues.get_rules(book), collector=""))
    write_dues_receipts(book, path=out, year=2026)
    text = pdf_text(out.read_bytes())
    assert SECRETARY in text and "Lê Thị Thu" not in text


def test_collector_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "so"

    def sotay(*args: str) -> str:
        r = run_sotay(data, *args, password=CLI_PASSWORD)
        assert r.returncode == 0, r.stderr
        return r.stdout

    sotay("init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn",
          "--secretary", SECRETARY)  # fmt: skip
    book = open_book(data, password=CLI_PASSWORD)
    try:
        mid = _member(book, "Nguyễn Văn An", "79000001", rate_from="2026-01")
        dues.pay(book, member=mid, months=["2026-11"], paid_on=TODAY, today=TODAY)
    finally:
        book.close()
    shown = json.loads(sotay("dues", "rules", "--json"))
    assert shown["collector"] == "" and shown["collector_name"] == SECRETARY
    shown = json.loads(
        sotay("dues", "rules", "--collector", "Lê Thị  Thu", "--reason", "Phân công", "--json")
    )
    assert shown["collector"] == shown["collector_name"] == "Lê Thị Thu"
    assert shown["round_to"] == 1_000  # the other rules kept
    assert "Người thu đảng phí (ký biên lai, sổ): Lê Thị Thu" in sotay("dues", "rules")
    pdf = tmp_path / "bl.pdf"
    sotay("dues", "receipt", "--year", "2026", "-o", str(pdf))
    assert "NGƯỜI THU ĐẢNG PHÍ" in pdf_text(pdf.read_bytes())
    assert "Lê Thị Thu" in pdf_text(pdf.read_bytes())
    error = one_line_error(
        run_sotay(data, "dues", "rules", "--collector", "Thu 1", password=CLI_PASSWORD)
    )
    assert "Người thu đảng phí: Họ và tên “Thu 1” có chữ số" in error and "--collector" in error
    shown = json.loads(sotay("dues", "rules", "--collector", "", "--json"))
    assert shown["collector"] == "" and shown["collector_name"] == SECRETARY
    sotay("dues", "receipt", "--year", "2026", "-o", str(pdf))
    assert "Lê Thị Thu" not in pdf_text(pdf.read_bytes())
    assert SECRETARY in pdf_text(pdf.read_bytes())


def _sheet_texts(path: Path) -> tuple[list[str], list[list[object]]]:
    ws = load_workbook(path).active
    assert ws is not None
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    texts = [str(v) for r in rows for v in r if isinstance(v, str)]
    return texts, rows


def test_excel_book_legend_is_the_printed_one(book: Book, tmp_path: Path) -> None:
    _member(book, "Nguyễn Văn An", "79000001", rate_from="2026-01")
    xlsx = tmp_path / "so.xlsx"
    write_dues_year_book(book, year=2026, path=xlsx)
    texts, rows = _sheet_texts(xlsx)
    legend = [t for t in texts if t.startswith("Ghi chú:")]
    assert len(legend) == 1 and "ô trống: chưa đóng" in legend[0]
    # Every month tracked: no “—” in the grid, none in the legend.
    assert UNTRACKED not in legend[0] and not any(v == "—" for r in rows for v in r)
    # A member whose rate starts in December: January..November print “—”, and the legend
    # explains it in the printed book's words.
    _member(book, "Trần Thị Bích", "79000002", rate_from="2026-12")
    write_dues_year_book(book, year=2026, path=xlsx)
    texts, rows = _sheet_texts(xlsx)
    row = next(r for r in rows if "Trần Thị Bích" in r)
    months = row[2:14]
    assert months == ["—"] * 11 + [None]
    legend = [t for t in texts if t.startswith("Ghi chú:")]
    assert len(legend) == 1 and UNTRACKED in legend[0] and "không tính là nợ" in legend[0]
    pdf = write_dues_year_book(book, year=2026, path=tmp_path / "so.pdf")
    assert legend[0] in pdf_text(pdf.read_bytes())

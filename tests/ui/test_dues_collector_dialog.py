"""The rules dialog's "Người thu đảng phí": blank shows the secretary's name as its hint, a
typed name is saved with the other rules (audited) and signs the receipts, a name with digits
is refused in the dialog."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.book import Book
from app.models import AuditEntry
from app.services import dues
from reports.printing import write_dues_receipts
from tests.app.dues_kit import make_dues_branch
from tests.app.test_feedback_kit import pdf_text
from ui.dues.dialogs import RulesDialog
from ui.widgets.section import AppContext

SECRETARY = "Trần Văn Bình"  # the test book's secretary (tests/conftest.py)


def _last_rules_change(book: Book) -> AuditEntry:
    with book.read_session() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_id == "rules.dues")
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None
    return entry


def test_collector_typed_in_the_rules_dialog_signs_the_receipts(
    ctx: AppContext, qtbot: Any, book: Book, tmp_path: Path
) -> None:
    ids = make_dues_branch(book).ids
    today = dt.date.today()
    dues.pay(book, member=ids["Nguyễn Văn An"], months=[f"{today:%Y-%m}"])
    dialog = RulesDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.collector.text() == ""
    assert dialog.collector.placeholderText() == SECRETARY
    dialog.collector.setText("Lê Thị  Thu")
    dialog.retain.setValue(25)
    dialog.reason.setText("Phân công người thu")
    dialog.ok_button.click()
    assert dialog.error.text() == ""
    rules = dues.get_rules(book)
    assert rules.collector == "Lê Thị Thu" and rules.branch_retain_percent == 25
    entry = _last_rules_change(book)
    assert entry.reason == "Phân công người thu"
    assert json.loads(entry.changes_json)["collector"] == ["", "Lê Thị Thu"]
    out = tmp_path / "bl.pdf"
    write_dues_receipts(book, path=out, year=today.year)
    text = pdf_text(out.read_bytes())
    assert "NGƯỜI THU ĐẢNG PHÍ" in text and "Lê Thị Thu" in text and SECRETARY not in text
    # Opened again: the name is there; digits are refused under the form, nothing saved.
    again = RulesDialog(ctx)
    qtbot.addWidget(again)
    assert again.collector.text() == "Lê Thị Thu"
    again.collector.setText("Lê Thị Thu 2")
    again.ok_button.click()
    assert "Người thu đảng phí: Họ và tên “Lê Thị Thu 2” có chữ số" in again.error.text()
    assert again.result_value is None  # still open, nothing saved
    assert dues.get_rules(book).collector == "Lê Thị Thu"
    # Cleared: the secretary signs again.
    again.collector.clear()
    again.ok_button.click()
    assert again.error.text() == ""
    assert dues.get_rules(book).collector == ""
    write_dues_receipts(book, path=out, year=today.year)
    assert SECRETARY in pdf_text(out.read_bytes())

"""Báo cáo → In: the suggested PDF name is in the report's Vietnamese words (finding N11:
"bao-cao-monthly-2026-12.pdf" put an English code in a file the secretary sends)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.test_feedback_kit import make_branch
from ui.reports.section import ReportsSection
from ui.widgets.section import AppContext


@pytest.mark.parametrize(
    ("kind", "period", "name"),
    [
        ("monthly", "12/2026", "bao-cao-thang-12-2026.pdf"),
        ("quarterly", "Q4/2026", "bao-cao-quy-q4-2026.pdf"),
        ("yearly", "2026", "bao-cao-nam-2026.pdf"),
        (
            "deployment",
            "11/2026",
            "bao-cao-trien-khai-ung-dung-so-tay-dang-vien-dien-tu-11-2026.pdf",
        ),
    ],
)
def test_the_suggested_pdf_name_is_vietnamese(
    qtbot: Any, ctx: AppContext, kind: str, period: str, name: str
) -> None:
    make_branch(ctx.book)
    section = ReportsSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    section.kind.setCurrentIndex(section.kind.findData(kind))
    section.period.setText(period)
    section.draft()
    assert section.report is not None and section.report.kind == kind
    asked: list[tuple[str, str]] = []

    def ask_path(title: str, suggested: str) -> Path | None:
        asked.append((title, suggested))
        return None  # the user cancels: nothing is written

    section.ask_path = ask_path
    assert section.print_pdf() is None
    assert asked == [("In báo cáo", name)]

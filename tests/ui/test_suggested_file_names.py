"""The file names the window suggests are in the secretary's words, not internal codes:
study results named after the campaign (not 8 hex characters of its id), the dues report
after its month or quarter as written ("thang-12-2026", not "2026-12")."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import Any

import pytest

from app.book import Book
from app.file_writes import words_file_name
from app.services import members
from tests.app.dues_kit import make_dues_branch
from ui.dues.dialogs import PrintChoiceDialog
from ui.dues.section import DuesSection
from ui.qt import QtCore, QtWidgets
from ui.study.campaign_dialog import CampaignDialog
from ui.study.section import StudySection, study_file_name
from ui.widgets.section import AppContext

TODAY = dt.date.today()


@pytest.fixture
def suggested(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names the save dialog was opened with; the user then cancels."""
    names: list[str] = []

    def fake(_parent: Any, _title: str, start: str, _pattern: str) -> tuple[str, str]:
        names.append(os.path.basename(start))
        return "", ""

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", fake)
    return names


def test_study_results_are_named_after_the_campaign(
    qtbot: Any, ctx: AppContext, book: Book, suggested: list[str]
) -> None:
    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    section = StudySection(ctx)
    qtbot.addWidget(section)
    section.show()
    section.on_shown()
    section.new_button.click()
    dialog = section.dialog
    assert isinstance(dialog, CampaignDialog)
    dialog.title_edit.setText("Học tập Nghị quyết số 57-NQ/TW")
    dialog.starts_on.setDate(QtCore.QDate(2025, 11, 1))
    dialog.ends_on.setDate(QtCore.QDate(2025, 11, 30))
    dialog.save()
    campaign = section.campaign
    assert campaign is not None
    section.save_pdf()
    section.save_xlsx()
    assert suggested == [
        "ket-qua-hoc-tap-nghi-quyet-so-57-nq-tw.pdf",
        "ket-qua-hoc-tap-nghi-quyet-so-57-nq-tw.xlsx",
    ]
    assert campaign.id[:8] not in suggested[0]
    # A title that says nothing more than "Học tập": the month the campaign starts.
    bare = dataclasses.replace(campaign, title="Học tập")
    assert study_file_name(bare, ".pdf") == "ket-qua-hoc-tap-thang-11-2025.pdf"


@pytest.mark.parametrize(
    ("quarter", "name"),
    [
        (False, f"bao-cao-dang-phi-thang-{TODAY:%m-%Y}.pdf"),
        (True, f"bao-cao-dang-phi-quy-q4-{TODAY.year}.pdf"),
    ],
)
def test_dues_report_is_named_after_its_period_as_written(
    qtbot: Any,
    ctx: AppContext,
    book: Book,
    suggested: list[str],
    monkeypatch: pytest.MonkeyPatch,
    quarter: bool,
    name: str,
) -> None:
    make_dues_branch(book)
    section = DuesSection(ctx)
    qtbot.addWidget(section)
    section.show()
    section.sheet.set_month(f"{TODAY:%Y-%m}")
    section.sheet.reload()

    def choose(dialog: PrintChoiceDialog) -> QtWidgets.QDialog.DialogCode:
        if quarter:
            dialog.kind.setCurrentIndex(dialog.kind.findData("quarter"))
            dialog.year.setValue(TODAY.year)
            dialog.quarter.setCurrentIndex(3)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(PrintChoiceDialog, "exec", choose)
    section.sheet.report_action.trigger()
    assert suggested == [name]


def test_words_file_name_drops_marks_and_keeps_it_short() -> None:
    assert words_file_name("Báo cáo tháng 12/2026", suffix=".pdf") == "bao-cao-thang-12-2026.pdf"
    long = words_file_name("Kết quả học tập " + "Nghị quyết Đại hội Đảng toàn quốc " * 6)
    assert len(long) <= 80 and not long.endswith("-") and long.startswith("ket-qua-hoc-tap-")
    assert words_file_name("  —  ", suffix=".pdf", fallback="bao-cao") == "bao-cao.pdf"

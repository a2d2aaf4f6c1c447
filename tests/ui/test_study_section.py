"""Học tập nghị quyết on screen: create a campaign, tick results in the grid, see progress."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from app.book import Book, open_book
from app.services import members, study
from tests.conftest import TEST_PASSWORD
from ui.qt import QtCore
from ui.study.campaign_dialog import CampaignDialog
from ui.study.model import COL_ATTENDED, COL_GRADE, COL_NOTES, COL_SCORE, COL_SUBMITTED
from ui.study.section import StudySection
from ui.widgets.section import AppContext

NAMES = [
    ("Nguyễn Văn An", "chinh_thuc"),
    ("Trần Thị Bình", "chinh_thuc"),
    ("Lê Văn Cường", "du_bi"),
    ("Hoàng Văn Em", "mien_sinh_hoat"),
]


@pytest.fixture
def section(qtbot: object, ctx: AppContext, book: Book) -> StudySection:
    for name, status in NAMES:
        members.create(book, data=members.MemberInput(full_name=name, status=status))
    widget = StudySection(ctx)
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(1100, 760)
    widget.show()
    widget.on_shown()
    return widget


def _create(section: StudySection) -> None:
    section.new_button.click()
    dialog = section.dialog
    assert isinstance(dialog, CampaignDialog) and dialog.isVisible()
    dialog.title_edit.setText("Học tập Nghị quyết số 57-NQ/TW")
    dialog.resolutions.setPlainText("Nghị quyết số 57-NQ/TW của Bộ Chính trị")
    dialog.starts_on.setDate(QtCore.QDate(2025, 11, 1))
    dialog.ends_on.setDate(QtCore.QDate(2025, 11, 30))
    dialog.save()


def _row(section: StudySection, name: str) -> int:
    return next(i for i, p in enumerate(section.participants.items) if p.full_name == name)


def test_create_campaign_lists_members_less_the_exempted(
    section: StudySection, qtmodeltester: object
) -> None:
    assert "Chưa có đợt học tập" in section.campaign_title.text()
    assert section.attended_bar.text() == "Dự học tập: —"  # not "0/1 (0%)" with nobody
    _create(section)
    qtmodeltester.check(section.campaigns)  # type: ignore[attr-defined]
    qtmodeltester.check(section.participants)  # type: ignore[attr-defined]
    assert section.campaigns.rowCount() == 1
    assert section.campaigns.index(0, 1).data() == "01/11/2025 – 30/11/2025"
    names = [p.full_name for p in section.participants.items]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]
    assert section.attended_bar.maximum() == 3 and section.attended_bar.value() == 0
    assert section.attended_bar.text() == "Dự học tập: 0/3 (0%)"


def test_dialog_shows_errors_inline(section: StudySection) -> None:
    section.new_button.click()
    dialog = section.dialog
    assert dialog is not None
    dialog.title_edit.setText("")
    dialog.save()
    assert dialog.isVisible()
    assert "tên đợt học tập" in dialog.error.text()


def test_ticking_and_editing_results_are_saved_and_counted(
    section: StudySection, ctx: AppContext, data_dir: Path
) -> None:
    _create(section)
    model = section.participants
    an = _row(section, "Nguyễn Văn An")
    checked = QtCore.Qt.CheckState.Checked.value
    assert model.setData(
        model.index(an, COL_ATTENDED), checked, QtCore.Qt.ItemDataRole.CheckStateRole
    )
    assert model.setData(
        model.index(an, COL_SUBMITTED), checked, QtCore.Qt.ItemDataRole.CheckStateRole
    )
    assert model.setData(model.index(an, COL_GRADE), "Giỏi")
    assert model.setData(model.index(an, COL_SCORE), "9,5")
    assert model.setData(model.index(an, COL_NOTES), "Bài viết tốt")
    assert model.index(an, COL_SUBMITTED).data().startswith("Đã nộp")
    assert section.attended_bar.value() == 1 and section.submitted_bar.value() == 1
    assert section.graded_bar.value() == 1
    assert "Giỏi: 1" in section.grade_label.text()
    assert section.campaigns.index(0, 3).data() == "1/3"

    binh = _row(section, "Trần Thị Bình")
    assert not model.setData(model.index(binh, COL_GRADE), "Khá")  # no thu hoạch yet
    assert ctx.message.shown[-1][0] == "error"  # type: ignore[attr-defined]
    assert "chưa nộp thu hoạch" in ctx.message.shown[-1][2]  # type: ignore[attr-defined]

    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        campaign = study.list_campaigns(again)[0]
        saved = {p.full_name: p for p in study.participants(again, campaign_id=campaign.id)}
        assert saved["Nguyễn Văn An"].score == 9.5
        assert saved["Nguyễn Văn An"].notes == "Bài viết tốt"
        assert saved["Trần Thị Bình"].grade == ""
    finally:
        again.close()


def test_mark_all_close_and_reopen(section: StudySection, ctx: AppContext) -> None:
    _create(section)
    section.all_attended_button.click()
    assert section.attended_bar.value() == 3
    section.close_button.click()  # messages answer "yes" in tests
    assert section.campaigns.index(0, 2).data() == "Đã kết thúc"
    assert not (
        section.participants.flags(section.participants.index(0, COL_ATTENDED))
        & QtCore.Qt.ItemFlag.ItemIsUserCheckable
    )
    assert "đã kết thúc" in section.campaign_info.text()
    section.close_button.click()
    assert section.campaigns.index(0, 2).data() == "Đang thực hiện"


def test_reports_from_the_screen(section: StudySection, ctx: AppContext, tmp_path: Path) -> None:
    _create(section)
    section.all_attended_button.click()
    pdf = tmp_path / "bao-cao.pdf"
    section.write_report(pdf)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Nguyễn Văn An" in text and "Hoàng Văn Em" not in text
    xlsx = tmp_path / "ket-qua.xlsx"
    section.write_report(xlsx)
    ws = openpyxl.load_workbook(xlsx).active
    assert ws is not None
    names = [row[1] for row in ws.iter_rows(values_only=True)]
    assert "Lê Văn Cường" in names
    assert ctx.message.shown[-1][1] == "Đã ghi báo cáo"  # type: ignore[attr-defined]


def test_new_members_are_added_to_an_open_campaign(section: StudySection, book: Book) -> None:
    _create(section)
    members.create(
        book,
        data=members.MemberInput(
            full_name="Đặng Văn Hải", status="du_bi", admission_date=dt.date(2025, 6, 1)
        ),
    )
    section.add_members_button.click()
    assert "Đặng Văn Hải" in [p.full_name for p in section.participants.items]
    assert section.attended_bar.maximum() == 4


def test_a_click_anywhere_in_the_cell_ticks_it(qtbot: object, section: StudySection) -> None:
    _create(section)
    row = _row(section, "Lê Văn Cường")
    index = section.participants.index(row, COL_ATTENDED)
    rect = section.grid.visualRect(index)
    where = QtCore.QPoint(rect.right() - 4, rect.center().y())  # far from the little box
    qtbot.mouseClick(section.grid.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=where)  # type: ignore[attr-defined]
    assert section.participants.items[row].attended
    assert section.attended_bar.value() == 1
    qtbot.mouseClick(section.grid.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=where)  # type: ignore[attr-defined]
    assert not section.participants.items[row].attended

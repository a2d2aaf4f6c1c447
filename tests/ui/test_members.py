"""The Đảng viên section: register table, search as you type, edit dialog, import wizard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.book import Book
from app.services import members
from app.services.members import MemberInput
from ui.members.edit_dialog import MemberDialog
from ui.members.history_dialog import MemberHistoryDialog
from ui.members.import_wizard import ImportDialog, ImportPreviewModel
from ui.members.model import COL_PARTY_YEARS, MembersTableModel
from ui.members.section import MembersSection
from ui.style import apply_text_size
from ui.widgets.section import AppContext

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "danh_sach_dang_vien_mau.xlsx"


def add(book: Book, name: str, **kw: Any) -> members.MemberView:
    return members.create(book, data=MemberInput(full_name=name, **kw))


@pytest.fixture
def filled(book: Book) -> Book:
    add(book, "Nguyễn Thị Hòa", admission_date=dt.date(1980, 5, 19), phone="0912345678")
    add(book, "Nguyễn Thị Hoa", needs_support=True)
    add(book, "Đặng Văn Đức", status="du_bi", admission_date=dt.date.today() - dt.timedelta(90))
    add(book, "Trần Văn An", has_smartphone=False)
    add(book, "Lê Văn Bảy", status="tu_tran")
    return book


def shown_names(section: MembersSection) -> list[str]:
    model = section.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester: Any, filled: Book, ctx: AppContext) -> None:
    model = MembersTableModel(filled)
    model.reload()
    assert model.rowCount() == 4  # the deceased member is not "đang sinh hoạt"
    qtmodeltester.check(model)
    preview = ImportPreviewModel()
    from app.importers import members_table

    preview.set_report(members_table.preview(filled, members_table.load(SAMPLE)))
    qtmodeltester.check(preview)
    dialog = MemberHistoryDialog(
        ctx, member_id=members.list_members(filled)[0].id, full_name="Trần Văn An"
    )
    qtmodeltester.check(dialog.model)


def test_register_shows_name_order_party_years_and_searches_as_you_type(
    qtbot: Any, filled: Book, ctx: AppContext
) -> None:
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    assert shown_names(section) == [
        "Trần Văn An",
        "Đặng Văn Đức",
        "Nguyễn Thị Hoa",
        "Nguyễn Thị Hòa",
    ]
    hoa_row = shown_names(section).index("Nguyễn Thị Hòa")
    years = section.model.data(section.model.index(hoa_row, COL_PARTY_YEARS))
    assert years == str(members.list_members(filled, search="0912345678")[0].party_years())
    assert section.model.data(section.model.index(hoa_row, 8)) == "0912 345 678"

    qtbot.keyClicks(section.search, "nguyen thi hoa")
    qtbot.waitUntil(lambda: section.model.rowCount() == 2, timeout=2000)
    assert shown_names(section) == ["Nguyễn Thị Hoa", "Nguyễn Thị Hòa"]
    section.search.setText("dang")
    section.apply_filters()
    assert shown_names(section) == ["Đặng Văn Đức"]
    assert "1 đảng viên" in section.count_label.text()

    section.search.clear()
    section.status_filter.setCurrentIndex(section.status_filter.findData("du_bi"))
    assert shown_names(section) == ["Đặng Văn Đức"]
    section.status_filter.setCurrentIndex(section.status_filter.findData("__all__"))
    assert "Lê Văn Bảy" in shown_names(section)
    section.status_filter.setCurrentIndex(0)
    section.flag_filter.setCurrentIndex(1)  # needs support
    assert shown_names(section) == ["Nguyễn Thị Hoa"]
    section.flag_filter.setCurrentIndex(2)  # no smartphone
    assert shown_names(section) == ["Trần Văn An"]


def test_sorting_is_done_by_the_service(qtbot: Any, filled: Book, ctx: AppContext) -> None:
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    section.table.sortByColumn(
        0, section.table.horizontalHeader().sortIndicatorOrder().__class__.DescendingOrder
    )
    assert shown_names(section)[0] == "Nguyễn Thị Hòa"
    assert section.model.query.descending is True


def test_edit_dialog_validates_inline_and_saves(qtbot: Any, book: Book, ctx: AppContext) -> None:
    add(book, "Võ Văn Tám", personal_id="052058001234")
    dialog = MemberDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()  # no name yet
    dialog.name.setText("Phan  Thị   Lụa")
    dialog.dates["birth_date"].setText("31/02/1960")
    dialog.phone.setText("12345")
    dialog.personal_id.setText("052058001234")
    dialog.validate_now()
    assert "31/02/1960" in dialog.message_for("birth_date")
    assert "12345" in dialog.message_for("phone")
    assert "Võ Văn Tám" in dialog.message_for("personal_id")
    assert not dialog.save_button.isEnabled()
    assert "lỗi" in dialog.summary.text()

    dialog.dates["birth_date"].setText("02/04/1960")
    dialog.phone.setText("0912 345 678")
    dialog.personal_id.setText("052058009999")  # says born 1958, male: warnings only
    dialog.gender.setCurrentIndex(dialog.gender.findData("nữ"))
    dialog.validate_now()
    assert dialog.message_for("phone") == ""
    assert "Lưu ý" in dialog.message_for("personal_id")
    assert dialog.save_button.isEnabled()
    dialog.save()
    assert dialog.saved is not None
    stored = members.get(book, member_id=dialog.saved.id)
    assert (stored.full_name, stored.phone, stored.birth_date) == (
        "Phan Thị Lụa",
        "0912345678",
        dt.date(1960, 4, 2),
    )


def test_edit_dialog_keeps_the_register_dates_and_serious_illness(
    qtbot: Any, book: Book, ctx: AppContext
) -> None:
    dialog = MemberDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.name.setText("Lê Văn Bảy")
    dialog.dates["admission_date"].setText("19/05/1970")
    dialog.dates["admission_decision_date"].setText("2/5/1970")
    dialog.dates["death_date"].setText("03/11/2026")
    dialog.status.setCurrentIndex(dialog.status.findData("tu_tran"))
    dialog.serious_illness.setChecked(True)
    dialog.save()
    assert dialog.saved is not None
    stored = members.get(book, member_id=dialog.saved.id)
    assert (stored.admission_decision_date, stored.death_date, stored.serious_illness) == (
        dt.date(1970, 5, 2),
        dt.date(2026, 11, 3),
        True,
    )

    again = MemberDialog(ctx, member=stored)
    qtbot.addWidget(again)
    assert again.dates["admission_decision_date"].text() == "02/05/1970"
    assert again.dates["death_date"].text() == "03/11/2026"
    assert again.serious_illness.isChecked()
    again.dates["admission_decision_date"].setText("32/05/1970")
    again.validate_now()
    assert "32/05/1970" in again.message_for("admission_decision_date")
    assert not again.save_button.isEnabled()
    again.dates["admission_decision_date"].setText("")
    again.serious_illness.setChecked(False)
    again.save()
    stored = members.get(book, member_id=stored.id)
    assert stored.admission_decision_date is None and not stored.serious_illness
    assert stored.death_date == dt.date(2026, 11, 3)


def test_edit_remove_and_history_from_the_section(
    qtbot: Any, filled: Book, ctx: AppContext
) -> None:
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    an = members.list_members(filled, search="tran van an")[0]
    assert section.select_member(an.id)
    dialog = section.open_editor(section.selected_member())
    qtbot.addWidget(dialog)
    dialog.phone.setText("0987 654 321")
    dialog.address.setText("Tổ 5")
    dialog.save()
    assert members.get(filled, member_id=an.id).phone == "0987654321"
    assert section.selected_member() is not None and section.selected_member().id == an.id

    history = section.history_dialog(section.selected_member())
    qtbot.addWidget(history)
    texts = [history.model.data(history.model.index(r, 3)) for r in range(history.model.rowCount())]
    assert "Số điện thoại: (trống) → 0987654321" in texts[0]
    assert "Địa chỉ: (trống) → Tổ 5" in texts[0]

    ctx.message.auto_answer = True
    section.remove_selected()
    assert "Trần Văn An" not in shown_names(section)
    assert ctx.message.shown[-1][0] == "ask"


def test_import_wizard_maps_previews_and_imports(
    qtbot: Any, book: Book, ctx: AppContext, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3"])
    ws.append([])
    ws.append(["STT", "Họ tên", "Ngày sinh", "Số máy", "Số CCCD"])
    ws.append([1, "Lê Thị Mười", "10/10/1960", 905111222, 52160000111])
    ws.append([2, "Lê Văn Chín", "31/13/1961", "0905111333", "052061000112"])
    path = tmp_path / "ds.xlsx"
    wb.save(path)

    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    dialog = section.import_dialog(path)
    qtbot.addWidget(dialog)
    assert dialog.pages.currentIndex() == dialog.PAGE_MAPPING
    assert "dòng 3" in dialog.file_info.text()
    assert dialog.mapping_boxes["D"].currentData() == "-"  # "Số máy" is not recognised
    dialog.mapping_boxes["D"].setCurrentIndex(dialog.mapping_boxes["D"].findData("phone"))
    dialog.go_next()
    assert dialog.pages.currentIndex() == dialog.PAGE_PREVIEW
    assert "1 dòng lỗi" in dialog.preview_summary.text()
    assert dialog.preview_model.rowCount() == 1  # opens on the error rows
    assert "31/13/1961" in dialog.preview_model.data(dialog.preview_model.index(0, 3))
    assert dialog.next_button.text() == "Nhập 1 đảng viên"
    assert members.count(book) == 0
    dialog.go_next()
    assert dialog.pages.currentIndex() == dialog.PAGE_DONE
    assert "Dòng 5" in dialog.not_imported.toPlainText()
    assert shown_names(section) == ["Lê Thị Mười"]
    stored = members.list_members(book)[0]
    assert (stored.phone, stored.personal_id) == ("0905111222", "052160000111")


def test_import_wizard_shows_why_a_file_cannot_be_read(
    qtbot: Any, book: Book, ctx: AppContext, tmp_path: Path
) -> None:
    bad = tmp_path / "anh.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a sheet")
    dialog = ImportDialog(ctx, path=bad)
    qtbot.addWidget(dialog)
    assert dialog.pages.currentIndex() == dialog.PAGE_FILE
    assert "PDF" in dialog.file_error.text()


def test_large_text_mode_makes_rows_taller(
    qtbot: Any, qapp: Any, filled: Book, ctx: AppContext, tmp_path: Path
) -> None:
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.resize(1000, 600)
    try:
        apply_text_size(qapp, large=False)
        section.refresh(None)
        normal = section.table.verticalHeader().defaultSectionSize()
        apply_text_size(qapp, large=True)
        section.refresh(None)
        large = section.table.verticalHeader().defaultSectionSize()
        section.grab().save(str(tmp_path / "members_large.png"))
    finally:
        apply_text_size(qapp, large=False)
    assert large > normal * 1.3

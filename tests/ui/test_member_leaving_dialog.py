"""The member form when a member leaves the branch, and Enter on the import's last step."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from app.book import Book
from app.services import dues, members
from app.services.members import MemberInput
from ui.members.section import MembersSection
from ui.qt import QtCore
from ui.widgets.section import AppContext


def _row_shown(dialog: Any, field: str) -> bool:
    return bool(dialog._form.isRowVisible(dialog._rows[field]))


def _label(dialog: Any, field: str) -> str:
    return str(dialog._form.labelForField(dialog._rows[field]).text())


def test_transfer_asks_date_and_destination_and_says_where_the_member_went(
    qtbot: Any, book: Book, ctx: AppContext
) -> None:
    luc = members.create(
        book, data=MemberInput(full_name="Ngô Văn Lực", admission_date=dt.date(1993, 3, 12))
    )
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    assert section.select_member(luc.id)
    dialog = section.open_editor(section.selected_member())
    qtbot.addWidget(dialog)
    # An active member: no date of leaving, no destination, no date of death on the form.
    assert not any(_row_shown(dialog, f) for f in ("left_date", "left_to", "death_date"))

    dialog.status.setCurrentIndex(dialog.status.findData("chuyen_di"))
    assert _row_shown(dialog, "left_date") and _row_shown(dialog, "left_to")
    assert _label(dialog, "left_date") == "Ngày chuyển đi"
    assert not _row_shown(dialog, "death_date")
    dialog.validate_now()
    assert dialog.message_for("left_date") == "Vui lòng ghi ngày chuyển đi."
    assert "nơi chuyển đến" in dialog.message_for("left_to")
    assert not dialog.save_button.isEnabled()

    dialog.dates["left_date"].setText("15/11/2026")
    dialog.left_to.setText("Chi bộ Khu phố 5, Đảng bộ phường Quy Nhơn Nam")
    dialog.validate_now()
    assert dialog.save_button.isEnabled()
    dialog.save()
    stored = members.get(book, member_id=luc.id)
    assert (stored.status, stored.left_date, stored.left_to) == (
        "chuyen_di",
        dt.date(2026, 11, 15),
        "Chi bộ Khu phố 5, Đảng bộ phường Quy Nhơn Nam",
    )
    assert ctx.message.shown[-1][0] == "info"
    assert ctx.message.shown[-1][2] == (
        "Đồng chí Ngô Văn Lực đã chuyển khỏi danh sách đang sinh hoạt; "
        "xem lại ở bộ lọc “Chuyển đi”."
    )
    assert section.model.rowCount() == 0  # gone from "Đang sinh hoạt", as the message says
    # Dues: November is owed, December is not.
    assert dues.month_sheet(book, month="2026-11").row(luc.id) is not None
    assert dues.month_sheet(book, month="2026-12").row(luc.id) is None

    again = section.open_editor(stored)
    qtbot.addWidget(again)
    assert again.dates["left_date"].text() == "15/11/2026"
    again.status.setCurrentIndex(again.status.findData("xoa_ten"))
    assert _label(again, "left_date") == "Ngày xóa tên"
    again.status.setCurrentIndex(again.status.findData("tu_tran"))
    assert _row_shown(again, "death_date")
    again.validate_now()
    assert again.message_for("death_date") == "Vui lòng ghi ngày từ trần."


def test_enter_on_the_import_preview_imports(
    qtbot: Any, book: Book, ctx: AppContext, tmp_path: Path
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Họ và tên", "Ngày sinh"])
    ws.append([1, "Lê Thị Mười", "10/10/1960"])
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    section = MembersSection(ctx)
    qtbot.addWidget(section)
    dialog = section.import_dialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, QtCore.Qt.Key.Key_Return)  # step 2: Enter = Xem trước
    assert dialog.pages.currentIndex() == dialog.PAGE_PREVIEW
    assert dialog.next_button.isDefault() and not dialog.close_button.isDefault()
    dialog.close_button.setFocus()  # even with the caret left on Đóng
    qtbot.keyClick(dialog, QtCore.Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == dialog.PAGE_DONE
    assert [m.full_name for m in members.list_members(book)] == ["Lê Thị Mười"]
    assert dialog.close_button.isDefault() and dialog.close_button.text() == "Xong"

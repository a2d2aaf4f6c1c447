"""The Đảng phí sheet of a book begun in December 2026: its "còn nợ" column is headed from
the book's first month ("Còn nợ từ 12/2026"), not from a date the user never entered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.services import dues, members
from app.services.members import MemberInput
from ui.dues.model import COL_OWING
from ui.dues.sheet import DuesSheetDialog
from ui.qt import QtCore
from ui.widgets.section import AppContext

DISPLAY = QtCore.Qt.ItemDataRole.DisplayRole
TOOLTIP = QtCore.Qt.ItemDataRole.ToolTipRole
HORIZONTAL = QtCore.Qt.Orientation.Horizontal
TODAY = dt.date(2026, 12, 5)


def test_the_owing_heading_starts_at_the_books_first_month(ctx: AppContext, qtbot: Any) -> None:
    payer = members.create(
        ctx.book, data=MemberInput("Vũ Thị Ngọc Ánh", admission_date=dt.date(2005, 4, 2))
    ).id
    members.create(ctx.book, data=MemberInput("Trần Văn Bình", admission_date=dt.date(1968, 3, 1)))
    dues.set_setting(ctx.book, member=payer, basis="salary", income=8_000_000,
                     effective_from="2026-12", today=TODAY)  # fmt: skip
    dialog = DuesSheetDialog(ctx, "2026-12")
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.sheet.view.model()
    qtbot.waitUntil(lambda: dialog.sheet.model.rowCount() == 2)
    assert model.headerData(COL_OWING, HORIZONTAL, DISPLAY) == "Còn nợ từ 12/2026"
    tip = str(model.headerData(COL_OWING, HORIZONTAL, TOOLTIP))
    assert "sổ theo dõi đảng phí từ tháng 12/2026" in tip and "1/2025" not in tip

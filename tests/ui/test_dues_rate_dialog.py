"""The rate dialog as a treasurer types in it: thousands dots appear while typing, the monthly
amount shows before saving (by the service's rule), and one form sets the rate of several
members at once (one audited change each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from app.book import Book
from app.models import AuditEntry
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from ui.dues.dialogs import ManySettingsDialog, SettingDialog
from ui.qt import QtWidgets
from ui.widgets.section import AppContext

MONTH = f"{dt.date.today():%Y-%m}"


def _audit_count(book: Book) -> int:
    with book.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _cell(dialog: ManySettingsDialog, row: int) -> str:
    item = dialog.table.item(row, 2)
    assert item is not None
    return item.text()


@pytest.fixture
def branch(book: Book) -> dict[str, str]:
    return make_dues_branch(book).ids


def test_typed_income_is_grouped_and_the_monthly_amount_shows_before_saving(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    member = branch["Nguyễn Văn An"]
    dialog = SettingDialog(ctx, member_id=member, full_name="Nguyễn Văn An", month=MONTH)
    qtbot.addWidget(dialog)
    dialog.income.clear()
    qtbot.keyClicks(dialog.income, "8000000")
    assert dialog.income.text() == "8.000.000"
    assert dialog.income.cursorPosition() == len("8.000.000")
    assert dialog.preview.text() == "Mức đóng hằng tháng: 80.000 đ"
    # A slipped zero is visible at once.
    qtbot.keyClicks(dialog.income, "0")
    assert dialog.income.text() == "80.000.000"
    assert dialog.preview.text() == "Mức đóng hằng tháng: 800.000 đ"
    # Pension: 0,5%, rounded as the book rounds; a reduction is applied too.
    dialog.income.setText("5.234.000")
    dialog.basis.setCurrentIndex(dialog.basis.findData("pension"))
    assert dialog.preview.text() == "Mức đóng hằng tháng: 26.000 đ"
    dialog.basis.setCurrentIndex(dialog.basis.findData("salary"))
    dialog.reduce.setCurrentIndex(dialog.reduce.findData(50))
    assert dialog.preview.text() == "Mức đóng hằng tháng: 26.000 đ"  # 52.340 → 52.000, half
    dialog.reduce.setCurrentIndex(0)
    dialog.reason.setText("Lương mới")
    dialog.income.setText("8.000.000")
    dialog.submit()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    row = dues.month_sheet(ctx.book, month=MONTH).row(member)
    assert row is not None and row.due == 80_000  # what the preview said


def test_editing_inside_a_grouped_number_keeps_the_cursor(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    dialog = SettingDialog(
        ctx, member_id=branch["Hoàng Văn Em"], full_name="Hoàng Văn Em", month=MONTH
    )
    qtbot.addWidget(dialog)
    dialog.basis.setCurrentIndex(dialog.basis.findData("salary"))
    dialog.income.clear()
    qtbot.keyClicks(dialog.income, "6000000")
    dialog.income.setCursorPosition(1)  # after the 6
    qtbot.keyClicks(dialog.income, "5")
    assert dialog.income.text() == "65.000.000"
    assert dialog.income.cursorPosition() == 2
    assert dialog.preview.text() == "Mức đóng hằng tháng: 650.000 đ"


def test_many_members_at_once_through_the_service(book: Book, branch: dict[str, str]) -> None:
    ids = [branch["Nguyễn Văn An"], branch["Trần Thị Bích"], branch["Hoàng Văn Em"]]
    before = _audit_count(book)
    seen: list[tuple[int, int]] = []
    saved = dues.set_settings(
        book,
        members=ids,
        basis="salary",
        incomes={ids[0]: 8_000_000, ids[1]: 6_500_000, ids[2]: 5_000_000},
        effective_from="2026-12",
        reason="Bảng lương 2026",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [s.member_id for s in saved] == ids
    assert seen == [(1, 3), (2, 3), (3, 3)]
    sheet = dues.month_sheet(book, month="2026-12")
    assert [sheet.row(m).due for m in ids] == [80_000, 65_000, 50_000]  # type: ignore[union-attr]
    # Each member's own history has the change (one audited change per member).
    for mid in ids:
        assert dues.history(book, member=mid)[-1].reason == "Bảng lương 2026"
    assert _audit_count(book) - before == 3
    # A member without an income is refused by name before anything is written.
    with pytest.raises(Exception, match="Chưa ghi thu nhập hằng tháng của đồng chí Lê Văn Cường"):
        dues.set_settings(
            book,
            members=[ids[0], branch["Lê Văn Cường"]],
            basis="pension",
            incomes={ids[0]: 4_000_000},
            effective_from="2027-01",
        )
    assert dues.history(book, member=ids[0])[-1].effective_from == "2026-12"


def test_many_members_dialog_sets_each_members_income(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    chosen = [("Nguyễn Văn An", 8_000_000), ("Trần Thị Bích", 7_250_000)]
    dialog = ManySettingsDialog(ctx, members=[(branch[n], n) for n, _ in chosen], month="2026-12")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Mức đóng cho nhiều đảng viên"
    for edit, (_name, income) in zip(dialog.income_edits, chosen, strict=True):
        qtbot.keyClicks(edit, str(income))
    assert [e.text() for e in dialog.income_edits] == ["8.000.000", "7.250.000"]
    assert [_cell(dialog, r) for r in range(2)] == ["80.000 đ", "73.000 đ"]
    dialog.submit()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    sheet = dues.month_sheet(ctx.book, month="2026-12")
    assert [sheet.row(branch[n]).due for n, _ in chosen] == [80_000, 73_000]  # type: ignore[union-attr]
    # Fixed amount for both: the income column hides, one amount applies to each.
    again = ManySettingsDialog(ctx, members=[(branch[n], n) for n, _ in chosen], month="2027-01")
    qtbot.addWidget(again)
    again.basis.setCurrentIndex(again.basis.findData("fixed"))
    assert again.table.isColumnHidden(1)
    qtbot.keyClicks(again.amount, "10000")
    assert again.amount.text() == "10.000"
    assert _cell(again, 0) == "10.000 đ"
    again.submit()
    assert again.result() == QtWidgets.QDialog.DialogCode.Accepted
    sheet = dues.month_sheet(ctx.book, month="2027-01")
    assert [sheet.row(branch[n]).due for n, _ in chosen] == [10_000, 10_000]  # type: ignore[union-attr]

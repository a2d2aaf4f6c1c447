"""The Đảng phí sheet in the window: marks stored at once, totals, fixed geometry, keys,
several months, settings with history, the roll call's button, dialogs on a small screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.book import Book
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from ui.dues.dialogs import PayDialog, ReasonDialog, RulesDialog, SettingDialog
from ui.dues.model import COL_CASH, COL_ONLINE, COL_STATE
from ui.dues.section import DuesSection
from ui.dues.sheet import DuesSheet, DuesSheetDialog
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext

TODAY = dt.date.today()
MONTH = f"{TODAY:%Y-%m}"


def _month_back(count: int) -> str:
    index = TODAY.year * 12 + TODAY.month - 1 - count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@pytest.fixture
def branch(book: Book) -> dict[str, str]:
    return make_dues_branch(book).ids


def _section(ctx: AppContext, qtbot: Any, month: str = MONTH) -> DuesSection:
    section = DuesSection(ctx)
    qtbot.addWidget(section)
    section.resize(1200, 700)
    section.show()
    section.sheet.set_month(month)
    section.sheet.reload()
    return section


def _totals(sheet: DuesSheet) -> str:
    return sheet.totals.text().replace("\u00a0", " ")


def _row(sheet: DuesSheet, name: str) -> int:
    return next(i for i, item in enumerate(sheet.model.items) if item.row.full_name == name)


def _click(qtbot: Any, sheet: DuesSheet, row: int, col: int) -> None:
    rect = sheet.view.visualRect(sheet.model.index(row, col))
    qtbot.mouseClick(sheet.view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())


def _geometry(sheet: DuesSheet) -> list[tuple[int, int, int, int]]:
    out = []
    for row in range(sheet.model.rowCount()):
        for col in range(sheet.model.columnCount()):
            r = sheet.view.visualRect(sheet.model.index(row, col))
            out.append((r.x(), r.y(), r.width(), r.height()))
    return out


def _answer_dialog(qtbot: Any, fill: Any) -> None:
    """Fill the next modal dialog and press its OK button once it opens."""

    def act() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        assert isinstance(dialog, (PayDialog, ReasonDialog))
        fill(dialog)
        dialog.ok_button.click()

    QtCore.QTimer.singleShot(0, act)


def test_cash_click_stores_the_payment_and_updates_totals_without_moving_rows(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    section = _section(ctx, qtbot)
    sheet = section.sheet
    # Lê Văn Cường has 50+ years of tuổi đảng: exempt, not counted among those who owe.
    assert "Đã đóng: 0/4 người" in _totals(sheet)
    assert sheet.model.index(_row(sheet, "Lê Văn Cường"), 2).data() == "Miễn"
    due_an = sheet.model.items[_row(sheet, "Nguyễn Văn An")].row.due
    assert due_an == 52_000  # 1% of 5.234.000, rounded to 1.000
    before = _geometry(sheet)
    totals_height = sheet.totals.height()
    table_y = sheet.view.geometry().y()

    _click(qtbot, sheet, _row(sheet, "Nguyễn Văn An"), COL_CASH)

    row = dues.month_sheet(ctx.book, month=MONTH).row(branch["Nguyễn Văn An"])
    assert row is not None and row.is_paid and row.channel == "cash" and row.paid == 52_000
    item = sheet.model.items[_row(sheet, "Nguyễn Văn An")]
    assert item.row.is_paid
    index = sheet.model.index(_row(sheet, "Nguyễn Văn An"), COL_STATE)
    assert index.data() == "Đã đóng tiền mặt"
    assert f"Đã thu: {dues.money(52_000)} đ" in _totals(sheet)
    assert "Đã đóng: 1/4 người" in _totals(sheet)
    assert "biên lai số 001" in sheet.status.text()
    assert _geometry(sheet) == before
    assert sheet.totals.height() == totals_height
    assert sheet.view.geometry().y() == table_y

    # A second click on the same cell stores nothing twice and says why.
    _click(qtbot, sheet, _row(sheet, "Nguyễn Văn An"), COL_CASH)
    assert "đã đóng" in sheet.status.text()
    assert len(dues.history(ctx.book, member=branch["Nguyễn Văn An"])) == 1
    assert _geometry(sheet) == before


@pytest.mark.parametrize("width", [1024 - 190 - 40, 1280 - 190 - 40])
def test_every_column_is_in_view_at_office_widths_and_stays_put_when_marking(
    ctx: AppContext, qtbot: Any, branch: dict[str, str], width: int
) -> None:
    from ui.dues.model import COL_OWING

    section = _section(ctx, qtbot)
    section.resize(width, 700)  # the page beside the navigation at 1024 and 1366 wide
    qtbot.waitUntil(lambda: section.sheet.model.rowCount() > 0)
    sheet = section.sheet
    view, header = sheet.view, sheet.view.horizontalHeader()
    qtbot.waitUntil(lambda: view.viewport().width() < width)
    used = sum(header.sectionSize(c) for c in range(sheet.model.columnCount()))
    assert used <= view.viewport().width(), (used, view.viewport().width())
    assert not view.horizontalScrollBar().isVisible()
    right = header.sectionViewportPosition(COL_OWING) + header.sectionSize(COL_OWING)
    assert right <= view.viewport().width()
    assert header.sectionSize(COL_OWING) >= view.fontMetrics().horizontalAdvance("Còn nợ")
    row = _row(sheet, "Nguyễn Văn An")
    name = sheet.model.index(row, 1)
    assert name.data(QtCore.Qt.ItemDataRole.ToolTipRole) == "Nguyễn Văn An"
    before = _geometry(sheet)
    _click(qtbot, sheet, row, COL_CASH)
    assert sheet.model.items[row].row.is_paid
    assert _geometry(sheet) == before


def test_a_refused_mark_says_why_in_the_windows_words(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    section = _section(ctx, qtbot)
    sheet = section.sheet
    _click(qtbot, sheet, _row(sheet, "Lê Văn Cường"), COL_CASH)  # exempt: nothing is due
    text = sheet.status.text()
    assert "được miễn đảng phí" in text and "--" not in text, text
    assert sheet.status.property("role") == "error"
    assert dues.month_sheet(ctx.book, month=MONTH).paid_count == 0


def test_dvcqg_click_asks_the_reference_and_stores_it(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    section = _section(ctx, qtbot)
    sheet = section.sheet
    before = _geometry(sheet)
    _answer_dialog(qtbot, lambda d: d.reference.setText("DVC-2026-000123"))
    _click(qtbot, sheet, _row(sheet, "Trần Thị Bích"), COL_ONLINE)
    row = dues.month_sheet(ctx.book, month=MONTH).row(branch["Trần Thị Bích"])
    assert row is not None and row.payment is not None
    assert row.payment.channel == "dvcqg" and row.payment.reference == "DVC-2026-000123"
    assert row.paid == 30_000  # 0.5% of a 6.000.000 pension
    assert sheet.model.index(_row(sheet, "Trần Thị Bích"), COL_STATE).data() == "Đã đóng qua DVCQG"
    assert _geometry(sheet) == before


def test_keys_t_and_arrows_mark_the_highlighted_member(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    section = _section(ctx, qtbot)
    sheet = section.sheet
    sheet.view.setFocus()
    sheet.view.setCurrentIndex(sheet.model.index(0, 1))
    qtbot.keyClick(sheet.view, QtCore.Qt.Key.Key_Down)
    second = sheet.model.items[1]
    qtbot.keyClick(sheet.view, QtCore.Qt.Key.Key_T)
    paid = dues.month_sheet(ctx.book, month=MONTH)
    assert [r.member_id for r in paid.rows if r.is_paid] == [second.member_id]
    # A letter that is no command marks nobody and does not jump rows.
    qtbot.keyClick(sheet.view, QtCore.Qt.Key.Key_L)
    assert sheet.view.currentIndex().row() == 1
    assert dues.month_sheet(ctx.book, month=MONTH).paid_count == 1


def test_advance_payment_of_three_months(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    dialog = PayDialog(
        ctx,
        member_id=branch["Hoàng Văn Em"],
        full_name="Hoàng Văn Em",
        month=MONTH,
        parent=None,
    )
    qtbot.addWidget(dialog)
    dialog.last.step(2)
    assert dialog.months_line.text().startswith("3 tháng")
    dialog.submit()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    months = dialog.months()
    sheets = [dues.month_sheet(ctx.book, month=m).row(branch["Hoàng Văn Em"]) for m in months]
    assert all(r is not None and r.is_paid and r.paid == 5_000 for r in sheets)
    # One cash receipt covers the three months.
    (receipt,) = dues.receipts(ctx.book, member=branch["Hoàng Văn Em"])
    assert receipt.months == tuple(months) and receipt.total == 15_000


def test_late_months_through_the_sheet_and_undo_with_a_reason(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    if TODAY.month < 3:
        pytest.skip("needs two earlier months in this year")
    section = _section(ctx, qtbot)
    sheet = section.sheet
    row = _row(sheet, "Nguyễn Văn An")
    item = sheet.model.items[row]
    assert item.owing  # unpaid earlier months this year, highlighted
    assert sheet.model.index(row, 1).data(QtCore.Qt.ItemDataRole.BackgroundRole) is not None
    sheet.view.setCurrentIndex(sheet.model.index(row, 1))
    _answer_dialog(qtbot, lambda d: None)
    sheet.pay_several()  # defaults: from the first unpaid month to this one
    paid = dues.year_book(ctx.book, year=TODAY.year).rows
    an = next(r for r in paid if r.member_id == branch["Nguyễn Văn An"])
    assert an.unpaid_months == ()
    assert not sheet.model.items[row].owing
    assert sheet.model.index(row, 1).data(QtCore.Qt.ItemDataRole.BackgroundRole) is None

    _answer_dialog(qtbot, lambda d: d.reason.setText("ghi nhầm người"))
    sheet.cancel_current()
    again = dues.month_sheet(ctx.book, month=MONTH).row(branch["Nguyễn Văn An"])
    assert again is not None and not again.is_paid
    assert "Đã hủy" in sheet.status.text()
    assert sheet.model.index(row, COL_STATE).data() == "Chưa đóng"


def test_settings_dialog_saves_a_reduction_and_shows_the_history(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    member = branch["Nguyễn Văn An"]
    dialog = SettingDialog(ctx, member_id=member, full_name="Nguyễn Văn An", month=MONTH)
    qtbot.addWidget(dialog)
    assert dialog.history_model.rowCount() == 1
    assert dialog.income.text() == "5.234.000"  # the setting in force fills the form
    assert "(có thể cấu hình)" in dialog.rules_label.text()
    dialog.reduce.setCurrentIndex(dialog.reduce.findData(50))
    dialog.reduce_until.set_month(MONTH)
    dialog.submit()
    assert "lý do" in dialog.error.text().lower()  # a reduction needs a reason
    dialog.reason.setText("Đơn đề nghị số 12, ốm dài ngày")
    dialog.submit()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    hist = dues.history(ctx.book, member=member)
    assert hist[-1].reduce_percent == 50 and hist[-1].reason.startswith("Đơn đề nghị")
    row = dues.month_sheet(ctx.book, month=MONTH).row(member)
    assert row is not None and row.due == 26_000
    again = SettingDialog(ctx, member_id=member, full_name="Nguyễn Văn An", month=MONTH)
    qtbot.addWidget(again)
    assert again.history_model.rowCount() == len(hist)
    assert "giảm 50%" in again.history_model.index(len(hist) - 1, 1).data()


def test_rules_dialog_changes_the_fixed_amount(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    dialog = RulesDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.fixed.text() == "5.000"
    dialog.fixed.setText("7.000")
    dialog.submit()
    assert dues.get_rules(ctx.book).fixed_amount == 7_000
    row = dues.month_sheet(ctx.book, month=MONTH).row(branch["Hoàng Văn Em"])
    assert row is not None and row.due == 7_000


def test_roll_call_opens_the_sheet_of_the_meetings_month(
    ctx: AppContext, qtbot: Any, branch: dict[str, str]
) -> None:
    from tests.app.test_meetings_support import new_meeting
    from ui.meetings.roll_call import RollCallDialog

    at = dt.datetime.combine(TODAY.replace(day=1), dt.time(19, 30)) - dt.timedelta(days=40)
    meeting = new_meeting(ctx.book, at=at)
    roll = RollCallDialog(ctx, meeting.id)
    qtbot.addWidget(roll)
    dialog = roll.open_dues()
    assert dialog is not None
    qtbot.addWidget(dialog)
    expected = f"{at:%Y-%m}"
    assert dialog.sheet.month() == expected
    assert dialog.sheet.loaded_month == expected
    assert dialog.windowTitle() == f"Đảng phí tháng {at.month}/{at.year}"
    assert dialog.sheet.model.rowCount() == 5
    dialog.close()


# 1024×768 less a 40 px taskbar, less a window frame (title bar and borders).
SMALL_W, SMALL_H = 1024 - 8, 768 - 40 - 32


@pytest.mark.parametrize("large", [False, True])
def test_dialogs_fit_a_1024x768_screen(
    ctx: AppContext, qtbot: Any, branch: dict[str, str], large: bool, qapp: Any
) -> None:
    from ui.dues.dialogs import ImportDialog, PrintChoiceDialog
    from ui.style import apply_text_size
    from ui.widgets.fit import available_rect

    apply_text_size(qapp, large=large)
    try:
        member = branch["Nguyễn Văn An"]
        dialogs: list[Any] = [
            PayDialog(ctx, member_id=member, full_name="Nguyễn Văn An", month=MONTH),
            SettingDialog(ctx, member_id=member, full_name="Nguyễn Văn An", month=MONTH),
            RulesDialog(ctx),
            ImportDialog(ctx),
            PrintChoiceDialog(title="Báo cáo", text="Kỳ báo cáo:", month=MONTH, period=True),
        ]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            least = dialog.minimumSizeHint()
            assert least.width() <= SMALL_W and least.height() <= SMALL_H, (dialog, least)
            # The form itself needs no sideways scrolling on a 1024 px screen.
            assert dialog.body.minimumSizeHint().width() <= SMALL_W, dialog
            assert available_rect(dialog).contains(dialog.frameGeometry())
            assert dialog.buttons.isVisible()
            dialog.close()
        sheet_dialog = DuesSheetDialog(ctx, MONTH)
        qtbot.addWidget(sheet_dialog)
        sheet_dialog.show()
        least = sheet_dialog.minimumSizeHint()
        assert least.width() <= SMALL_W and least.height() <= SMALL_H, least
        sheet_dialog.close()
    finally:
        apply_text_size(qapp, large=False)


def test_papers_are_written_and_offered(
    ctx: AppContext, qtbot: Any, branch: dict[str, str], tmp_path: Any, monkeypatch: Any
) -> None:
    import ui.dues.sheet as sheet_module
    from ui.dues.dialogs import PrintChoiceDialog

    section = _section(ctx, qtbot)
    sheet = section.sheet
    sheet.view.setCurrentIndex(sheet.model.index(_row(sheet, "Nguyễn Văn An"), 1))
    qtbot.keyClick(sheet.view, QtCore.Qt.Key.Key_T)  # a cash payment, so there is a receipt
    accepted = QtWidgets.QDialog.DialogCode.Accepted
    monkeypatch.setattr(PrintChoiceDialog, "exec", lambda self: accepted)
    targets = iter(
        [
            tmp_path / "so.pdf",
            tmp_path / "so.xlsx",
            tmp_path / "bien-lai.pdf",
            tmp_path / "bao-cao.xlsx",
            tmp_path / "trang.pdf",
        ]
    )
    monkeypatch.setattr(sheet_module, "ask_save_path", lambda *a, **k: str(next(targets)))
    sheet.book_action.trigger()
    sheet.book_action.trigger()
    sheet.receipts_action.trigger()
    sheet.report_action.trigger()
    sheet.member_page_action.trigger()
    for name in ("so.pdf", "bien-lai.pdf", "trang.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF"), name
    for name in ("so.xlsx", "bao-cao.xlsx"):
        assert (tmp_path / name).read_bytes().startswith(b"PK"), name
    offers = [text for kind, _title, text in ctx.message.shown if kind == "info"]
    assert sum("Đã ghi tệp PDF" in t for t in offers) == 3
    assert sum("Đã ghi bảng tính" in t for t in offers) == 2
    assert "Nguyễn Văn An" in sheet.status.text()  # the member page names the member
    assert not [m for m in ctx.message.shown if m[0] == "error"]


def test_import_previews_then_stores(
    ctx: AppContext, qtbot: Any, branch: dict[str, str], tmp_path: Any
) -> None:
    from ui.dues.dialogs import ImportDialog

    month = MONTH
    path = tmp_path / "dvcqg.csv"
    path.write_text(
        "STT,Họ và tên,Số CCCD,Nội dung,Số tiền,Mã giao dịch,Ngày nộp\n"
        f"1,Trần Thị Bích,052085004321,Đảng phí tháng {int(month[5:])}/{month[:4]},30000,"
        f"DVC-9001,{TODAY:%d/%m/%Y}\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(path)
    assert dialog.model.rowCount() == 1, dialog.error.text()
    assert "sẽ nhập 1 dòng" in dialog.summary.text()
    row = dues.month_sheet(ctx.book, month=month).row(branch["Trần Thị Bích"])
    assert row is not None and not row.is_paid  # the preview stored nothing
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    row = dues.month_sheet(ctx.book, month=month).row(branch["Trần Thị Bích"])
    assert row is not None and row.is_paid and row.channel == "dvcqg"
    assert dialog.summary.text().startswith("Đã nhập 1 dòng")


@pytest.mark.parametrize(("large", "least"), [(False, 15), (True, 8)])
def test_sheet_shows_enough_rows_in_the_main_window_at_1366x768(
    ctx: AppContext, qtbot: Any, qapp: Any, large: bool, least: int
) -> None:
    from app.services import members
    from ui.main_window import MainWindow
    from ui.style import apply_text_size

    letters = "ABCDEGHIKLMNOPQRSTUVXY"
    for i in range(30):
        name = f"Nguyễn Văn Thành {letters[i % 22]}{letters[i // 22].lower()}"
        members.create(ctx.book, data=members.MemberInput(full_name=name))
    apply_text_size(qapp, large=large)
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(1100, 696)  # as the window opens on a 1366×768 screen (measured on X)
        window.show()
        section = window.show_section("dues")
        assert isinstance(section, DuesSection)
        qtbot.waitUntil(lambda: section.sheet.model.rowCount() == 30)
        view = section.sheet.view
        whole_rows = view.viewport().height() // view.rowHeight(0)
        assert whole_rows >= least, whole_rows
        # The buttons and the status line are on the page, below the table.
        page = section.rect()
        for widget in (section.sheet.papers_button, section.sheet.status):
            bottom = widget.mapTo(section, widget.rect().bottomLeft()).y()
            assert bottom <= page.bottom(), widget
    finally:
        apply_text_size(qapp, large=False)

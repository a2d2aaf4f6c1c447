"""The monthly collection sheet: each member's amount due, what was paid and how, marked in
one click (cash) or two (DVCQG, with the transaction code), with running totals.

Every mark is committed at once by the service and then shown. Nothing moves under the
pointer: row heights and column widths come from the font and the member list (never from
the marks), the totals and the status line keep a constant height, and a click never
scrolls the table. Keys: T tiền mặt, D DVCQG, N nhiều tháng, H hủy, M mức đóng, arrows.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from app.file_writes import words_file_name
from app.services import dues
from app.services.dues import MonthSheet, money, month_label, months_label
from app.services.upward_reports.periods import period_text
from ui.dues.dialogs import (
    PAYMENTS,
    SETTINGS,
    ImportDialog,
    ManySettingsDialog,
    PayDialog,
    PrintChoiceDialog,
    ReasonDialog,
    RulesDialog,
    SettingDialog,
)
from ui.dues.model import COL_CASH, COL_ONLINE, COL_OWING, COL_STATE, SheetItem, SheetModel
from ui.dues.widgets import MonthPicker, ask_save_path, fixed_line_height
from ui.qt import QtCore, QtGui, QtWidgets, Signal
from ui.style import set_role
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext

COL_NUMBER, COL_NAME = 0, 1  # (the model's other columns are named in ui.dues.model)
KEY_HELP = (
    "Phím: T đóng tiền mặt · D đóng qua DVCQG · N nhiều tháng/nợ cũ · H hủy ghi nhận · "
    "M mức đóng · mũi tên lên/xuống chọn người"
)
HINT = (
    "Bấm ô “Tiền mặt” để ghi đã đóng đủ hôm nay, ô “DVCQG” để ghi mã giao dịch. Mỗi lần "
    "ghi được lưu ngay; ghi nhầm thì “Hủy ghi nhận…”."
)
# A new book (most members without a rate yet): how to set many at once.
MANY_HINT = (
    "Chưa ghi mức đóng cho {missing}/{total} đồng chí: chọn nhiều dòng (Ctrl hoặc Shift + "
    "bấm, Ctrl+A: tất cả) rồi bấm “Mức đóng…” để ghi một lần cho cả nhóm."
)
# Longest texts a cell can show, so the columns' widths never depend on the marks.
STATE_SAMPLES = ("Đã đóng chuyển khoản", "Chưa đóng (giảm 70%)", "Chưa ghi mức đóng")


@dataclass(frozen=True)
class SheetData:
    sheet: MonthSheet  # each row carries its own months owed, as at the sheet's month


def dues_report_file_name(period: str) -> str:
    """The PDF name suggested for the dues report of a period ("2026-12", "2026-Q4"), in the
    words of the period as written: "bao-cao-dang-phi-thang-12-2026.pdf",
    "bao-cao-dang-phi-quy-q4-2026.pdf"."""
    when = period_text(period)
    words = f"Báo cáo đảng phí {'quý' if 'Q' in when else 'tháng'} {when}"
    return words_file_name(words, suffix=".pdf", fallback="bao-cao-dang-phi")


def load_sheet(book: Any, month: str) -> SheetData:
    return SheetData(dues.month_sheet(book, month=month))


def totals_text(items: list[SheetItem]) -> str:
    rows = [i.row for i in items]
    due = sum(r.due for r in rows)
    paid = sum(r.paid for r in rows)
    missing = sum(r.due for r in rows if not r.is_paid and not r.exempt)
    payers = sum(1 for r in rows if r.is_paid)
    owing = sum(1 for r in rows if r.is_paid or (not r.exempt and r.basis is not None))
    parts = [
        f"Tổng phải thu: {money(due)} đ",
        f"Đã thu: {money(paid)} đ",
        f"Còn thiếu: {money(missing)} đ",
        f"Đã đóng: {payers}/{owing} người",
    ]
    return join_figures(parts)


def idle_hint(items: list[SheetItem]) -> str:
    """What the status line says when nothing was just saved: how to mark, or, while most
    members have no rate yet (a new book), how to set many rates at once."""
    missing = sum(1 for i in items if i.row.basis is None and not i.row.exempt)
    if items and missing * 2 > len(items):
        return MANY_HINT.format(missing=missing, total=len(items))
    return HINT


def name_tooltip(model: SheetModel, row: int) -> str:
    """The name's tooltip: the whole name, the state and the months owed, which a narrow
    sheet (1024 wide in large text) hides with their columns."""
    tip = QtCore.Qt.ItemDataRole.ToolTipRole
    parts = [model.index(row, c).data(tip) for c in (COL_NAME, COL_STATE, COL_OWING)]
    return "\n".join(str(p) for p in parts if p)


def join_figures(parts: list[str]) -> str:
    """Each figure stays whole on its line when the totals wrap (large text, small screen)."""
    return "    ".join(p.replace(" ", "\u00a0") for p in parts)


class DuesSheet(QtWidgets.QWidget):
    """The sheet itself, in the Đảng phí section and in the dialog opened from a roll call."""

    changed = Signal(object)  # OpChanges after a write

    def __init__(
        self, ctx: AppContext, month: str | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._queue: deque[tuple[Callable[[], Any], Callable[[Any], str]]] = deque()
        self._busy = False
        self.loaded_month = ""
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        top = self.top = QtWidgets.QHBoxLayout()
        # No "Tháng:" label: the picker itself reads "Tháng 12 / 2026", and the row must fit
        # beside the navigation at 1024 wide in large text.
        self.month_picker = MonthPicker(month)
        self.month_picker.setAccessibleName("Tháng")
        top.addWidget(self.month_picker)
        self.this_month_button = QtWidgets.QPushButton("Tháng này")
        self.this_month_button.clicked.connect(self.go_this_month)
        top.addWidget(self.this_month_button)
        top.addStretch(1)
        layout.addLayout(top)

        self.totals = QtWidgets.QLabel("…")
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.totals)

        self.model = SheetModel(self)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows (Ctrl/Shift + click, Shift + arrows, Ctrl+A) for "Mức đóng…"; a plain
        # click still selects one row and marks its cash/DVCQG cell.
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setAutoScroll(False)  # a click never scrolls (rows never move under it)
        self.view.setTabKeyNavigation(False)
        self.view.setToolTip(KEY_HELP)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(True)
        header.setSectionsClickable(False)
        self.view.clicked.connect(self._clicked)
        self._error_shown = False
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)
        self._widths: list[tuple[int, int]] = []
        layout.addWidget(self.view, 1)

        # One flowing row of buttons (two lines at 1366 px): the table keeps the height.
        actions = FlowLayout(spacing=6)
        self.cash_button = self._button("&Tiền mặt", self.pay_cash_current, actions)
        self.cash_button.setToolTip("Phím T: đồng chí đang chọn đã đóng đủ tháng này, hôm nay.")
        self.online_button = self._button("&DVCQG…", self.pay_online_current, actions)
        self.online_button.setToolTip("Phím D: đã đóng qua Cổng Dịch vụ công Quốc gia.")
        self.several_button = self._button("&Nhiều tháng…", self.pay_several, actions)
        self.several_button.setToolTip("Phím N: đóng các tháng còn nợ, hoặc đóng trước.")
        self.excuse_button = self._button("Có lý do chưa đóng…", self.excuse_current, actions)
        self.cancel_button = self._button("&Hủy ghi nhận…", self.cancel_current, actions)
        self.setting_button = self._button("&Mức đóng…", self.edit_setting, actions)
        self.setting_button.setToolTip(
            "Phím M: mức đóng của đồng chí đang chọn. Chọn nhiều dòng (giữ Ctrl hoặc Shift khi "
            "bấm) để ghi cùng một cách tính cho nhiều đồng chí."
        )
        # The papers, the import and the rules: one button with a menu, so the work buttons
        # stay on two lines even in large text and the table keeps its rows.
        self.papers_button = QtWidgets.QPushButton("Sổ, biên lai, báo cáo…")
        self.papers_button.setToolTip(
            "Sổ đảng phí năm, biên lai, báo cáo đảng phí, trang của đồng chí (chữ lớn), nhập "
            "danh sách DVCQG/ngân hàng, cách tính đảng phí"
        )
        menu = QtWidgets.QMenu(self.papers_button)
        self.book_action = menu.addAction("Sổ đảng phí năm…", self.print_year_book)
        self.receipts_action = menu.addAction("Biên lai…", self.print_receipts)
        self.report_action = menu.addAction("Báo cáo đảng phí…", self.print_report)
        self.member_page_action = menu.addAction(
            "Trang của đồng chí (chữ lớn)…", self.print_member_page
        )
        menu.addSeparator()
        self.import_action = menu.addAction("Nhập danh sách DVCQG/ngân hàng…", self.import_list)
        self.rules_action = menu.addAction("Cách tính đảng phí…", self.edit_rules)
        self.papers_button.setMenu(menu)
        actions.addWidget(self.papers_button)
        layout.addLayout(actions)

        # The last save (or what to do): one line of constant height.
        # Ends in "…" (whole in the tooltip) when narrower than the hint, never cut mid-word.
        self.status = ElidedLabel(HINT)
        set_role(self.status, "hint")
        self.status.setWordWrap(False)
        self.status.setToolTip(HINT + "\n" + KEY_HELP)
        self._hint_shown = True  # the status line shows the idle hint (nothing just saved)
        layout.addWidget(self.status)
        for button in self.findChildren(QtWidgets.QPushButton):
            button.setAutoDefault(False)
        self.month_picker.changed.connect(lambda _m: self.reload())
        self._fit()

    def _button(
        self, text: str, slot: Callable[[], None], row: QtWidgets.QLayout
    ) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        row.addWidget(button)
        return button

    # -- loading ----------------------------------------------------------------------------
    def month(self) -> str:
        return self.month_picker.month()

    def set_month(self, month: str) -> None:
        self.month_picker.set_month(month)

    def go_this_month(self) -> None:
        today = dt.date.today()
        self.set_month(f"{today.year:04d}-{today.month:02d}")

    def reload(self) -> None:
        month, book = self.month(), self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: load_sheet(book, month),
            on_success=self._loaded,
            on_failure=lambda e: self.show_status(str(e), error=True),
            label="Đang tải sổ đảng phí…",
        )

    def _loaded(self, data: SheetData) -> None:
        if data.sheet.month != self.month():
            return  # an older month's answer arriving after the user moved on
        items = [SheetItem(i, row) for i, row in enumerate(data.sheet.rows, start=1)]
        new_month = data.sheet.month != self.loaded_month
        current = self.view.currentIndex()
        self.model.update_items(items)
        self.loaded_month = data.sheet.month
        self.totals.setText(totals_text(items))
        if self._hint_shown:
            self.show_hint()
        if new_month:
            self._fit()
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            keep = min(max(current.row(), 0), self.model.rowCount() - 1)
            self.view.setCurrentIndex(self.model.index(keep, 1))

    # -- the current member -------------------------------------------------------------------
    def current_item(self) -> SheetItem | None:
        index = self.view.currentIndex()
        if not index.isValid() or not 0 <= index.row() < len(self.model.items):
            self.show_status("Hãy chọn một đồng chí trong danh sách trước.", error=True)
            return None
        return self.model.items[index.row()]

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)
        set_role(self.status, "error" if error else "hint")
        self._error_shown = error
        self._hint_shown = False

    def show_hint(self) -> None:
        """The idle hint for the rows shown (how to set many rates while most have none)."""
        hint = idle_hint(self.model.items)
        self.show_status(hint)
        self.status.setToolTip(hint + "\n" + KEY_HELP)
        self._hint_shown = True

    def selected_items(self) -> list[SheetItem]:
        """The rows selected (in the table's order); several for "Mức đóng…"."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        return [self.model.items[r] for r in rows if 0 <= r < len(self.model.items)]

    def _current_changed(self, current: QtCore.QModelIndex, previous: QtCore.QModelIndex) -> None:
        """An error is about the member it was shown for: another member, the hint again."""
        if self._error_shown and current.row() != previous.row():
            self.show_hint()

    # -- marking ------------------------------------------------------------------------------
    def _clicked(self, index: QtCore.QModelIndex) -> None:
        if not index.isValid():
            return
        held = QtWidgets.QApplication.keyboardModifiers()
        if held & (
            QtCore.Qt.KeyboardModifier.ControlModifier | QtCore.Qt.KeyboardModifier.ShiftModifier
        ):
            return  # Ctrl/Shift + click only chooses rows (for "Mức đóng…"), never marks
        item = self.model.items[index.row()]
        if index.column() == COL_CASH:
            self.pay_cash(item)
        elif index.column() == COL_ONLINE:
            self.pay_online(item)

    def _double_clicked(self, index: QtCore.QModelIndex) -> None:
        if index.isValid() and index.column() not in (COL_CASH, COL_ONLINE):
            self.edit_setting()

    def pay_cash_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.pay_cash(item)

    def pay_online_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.pay_online(item)

    def _refuse_paid(self, item: SheetItem) -> bool:
        p = item.row.payment
        if p is not None and p.paid:
            self.show_status(
                f"Đồng chí {item.row.full_name} đã đóng tháng {month_label(self.month())} "
                f"({p.channel_label.lower()}). Ghi nhầm thì chọn “Hủy ghi nhận…”.",
                error=True,
            )
            return True
        return False

    def pay_cash(self, item: SheetItem) -> None:
        """One click: the month's due, in cash, today (durable once the service returns)."""
        if self._refuse_paid(item):
            return
        book, member, month = self.ctx.book, item.member_id, self.month()
        self.enqueue(
            lambda: dues.pay(book, member=member, months=[month], via="cash"),
            self._paid_text,
        )

    def pay_online(self, item: SheetItem) -> None:
        """Two clicks: the DVCQG cell, then the transaction code and Enter."""
        if self._refuse_paid(item):
            return
        dialog = PayDialog(
            self.ctx,
            member_id=item.member_id,
            full_name=item.row.full_name,
            month=self.month(),
            channel="dvcqg",
            due=item.row.due or None,
            parent=self,
        )
        self._run_dialog(dialog)

    def pay_several(self) -> None:
        item = self.current_item()
        if item is None:
            return
        dialog = PayDialog(
            self.ctx,
            member_id=item.member_id,
            full_name=item.row.full_name,
            month=item.owing[0] if item.owing and not item.row.is_paid else self.month(),
            due=item.row.due or None,
            parent=self,
        )
        if item.owing:
            dialog.last.set_month(self.month() if not item.row.is_paid else item.owing[-1])
        self._run_dialog(dialog)

    def _run_dialog(self, dialog: PayDialog) -> None:
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted and dialog.result_value:
            self._after_write(dialog.result_value, self._paid_text)

    def _paid_text(self, result: Any) -> str:
        how = {"cash": "tiền mặt", "dvcqg": "qua Cổng DVCQG", "bank": "chuyển khoản"}
        first = result.payments[0]
        text = (
            f"Đã lưu: đồng chí {result.full_name} đóng {how.get(first.channel, '')} "
            f"{money(result.total)} đ (tháng {months_label([p.month for p in result.payments])})"
        )
        if result.receipt_label:
            text += f", biên lai số {result.receipt_label}"
        return text + "."

    def excuse_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        book, member, month = self.ctx.book, item.member_id, self.month()
        dialog = ReasonDialog(
            self.ctx,
            title="Chưa đóng, có lý do",
            text=f"Đồng chí {item.row.full_name} chưa đóng đảng phí tháng {month_label(month)}. "
            "Lý do được ghi lại; tháng này không tính vào số tháng xem xét xóa tên.",
            ok="Ghi lý do",
            placeholder="Ví dụ: đi điều trị dài ngày, có đơn",
            action=lambda reason: dues.excuse(book, member=member, months=[month], reason=reason),
            parent=self,
        )
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self._after_write(
                dialog.result_value,
                lambda r: (
                    f"Đã lưu lý do chưa đóng tháng {month_label(month)} của đồng chí {r.full_name}."
                ),
            )

    def cancel_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if item.row.payment is None:
            self.show_status(
                f"Đồng chí {item.row.full_name} chưa có ghi nhận nào tháng "
                f"{month_label(self.month())} để hủy.",
                error=True,
            )
            return
        p = item.row.payment
        what = (
            f"khoản {money(p.amount)} đ ({p.channel_label.lower()}, ngày {p.paid_on:%d/%m/%Y})"
            if p.paid
            else "lý do chưa đóng"
        )
        book, member, month = self.ctx.book, item.member_id, self.month()
        dialog = ReasonDialog(
            self.ctx,
            title="Hủy ghi nhận đảng phí",
            text=f"Hủy {what} tháng {month_label(month)} của đồng chí {item.row.full_name}? "
            "Khoản bị hủy vẫn được giữ trong nhật ký thay đổi.",
            ok="Hủy ghi nhận",
            placeholder="Lý do hủy, ví dụ: ghi nhầm người",
            action=lambda reason: dues.cancel(book, member=member, month=month, reason=reason),
            parent=self,
        )
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            name = item.row.full_name
            self._after_write(
                dialog.result_value,
                lambda _v: f"Đã hủy ghi nhận tháng {month_label(month)} của đồng chí {name}.",
            )

    def edit_setting(self) -> None:
        chosen = self.selected_items()
        if len(chosen) > 1:
            self.edit_settings(chosen)
            return
        item = self.current_item()
        if item is None:
            return
        dialog = SettingDialog(
            self.ctx,
            member_id=item.member_id,
            full_name=item.row.full_name,
            month=self.month(),
            parent=self,
        )
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            name = item.row.full_name
            self.show_status(f"Đã lưu mức đóng của đồng chí {name}.")
            self.changed.emit(SETTINGS)
            self.reload()

    def edit_settings(self, chosen: list[SheetItem]) -> None:
        """One rate for the selected members (a new book's first evening): one audited change
        per member, through dues.set_settings."""
        dialog = ManySettingsDialog(
            self.ctx,
            members=[(i.member_id, i.row.full_name) for i in chosen],
            month=self.month(),
            parent=self,
        )
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            count = len(dialog.result_value or chosen)
            self.show_status(f"Đã lưu mức đóng của {count} đồng chí.")
            self.changed.emit(SETTINGS)
            self.reload()

    def edit_rules(self) -> None:
        if RulesDialog(self.ctx, parent=self).exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.show_status("Đã lưu cách tính đảng phí.")
            self.changed.emit(SETTINGS)
            self.reload()

    # -- one write at a time ------------------------------------------------------------------
    def enqueue(self, fn: Callable[[], Any], describe: Callable[[Any], str]) -> None:
        self._queue.append((fn, describe))
        self._pump()

    def _pump(self) -> None:
        if self._busy or not self._queue:
            return
        fn, describe = self._queue.popleft()
        self._busy = True

        def done(value: Any) -> None:
            self._busy = False
            self._after_write(value, describe)
            self._pump()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.show_status(str(error), error=True)
            self._pump()

        self.ctx.runner.run(self, fn, on_success=done, on_failure=failed, label="Đang lưu…")

    def _after_write(self, value: Any, describe: Callable[[Any], str]) -> None:
        self.show_status(describe(value))
        self.changed.emit(PAYMENTS)
        self.reload()

    # -- keys -----------------------------------------------------------------------------------
    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QtCore.QEvent.Type.Resize:
            self._share_width()
            return False
        if watched is self.view.viewport() and event.type() == QtCore.QEvent.Type.ToolTip:
            assert isinstance(event, QtGui.QHelpEvent)
            index = self.view.indexAt(event.pos())
            if index.isValid() and index.column() == COL_NAME:
                tip = name_tooltip(self.model, index.row())
                QtWidgets.QToolTip.showText(event.globalPos(), tip, self.view.viewport())
                return True
        if watched is self.view and event.type() == QtCore.QEvent.Type.KeyPress:
            assert isinstance(event, QtGui.QKeyEvent)
            if event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier:
                return False
            actions = {
                QtCore.Qt.Key.Key_T: self.pay_cash_current,
                QtCore.Qt.Key.Key_D: self.pay_online_current,
                QtCore.Qt.Key.Key_N: self.pay_several,
                QtCore.Qt.Key.Key_H: self.cancel_current,
                QtCore.Qt.Key.Key_M: self.edit_setting,
            }
            action = actions.get(QtCore.Qt.Key(event.key()))
            if action is not None:
                action()
                return True
            if event.text() and event.text().isprintable():
                return True  # no jumping between rows by the first letter of a name
        return super().eventFilter(watched, event)

    # -- fixed geometry --------------------------------------------------------------------------
    def _fit(self) -> None:
        """Row heights and column widths from the font and the member list, never the marks."""
        metrics = self.view.fontMetrics()
        line = metrics.height()
        self.view.verticalHeader().setDefaultSectionSize(max(25, int(line * 1.4)))
        header = self.view.horizontalHeader()
        pad = max(16, line)
        bold = QtGui.QFont(header.font())
        bold.setBold(True)
        if not header.font().bold():
            # Headings are bold (style sheet): measured bold too, a narrow heading ends in
            # "…" instead of being clipped at both ends.
            header.setFont(bold)
        head = QtGui.QFontMetrics(bold)

        def width(col: int, *texts: str) -> int:
            title = str(self.model.headerData(col, QtCore.Qt.Orientation.Horizontal, 0))
            return (
                max(head.horizontalAdvance(title), *(metrics.horizontalAdvance(t) for t in texts))
                + pad
            )

        def plain(*texts: str) -> int:
            return max(metrics.horizontalAdvance(t) for t in texts) + pad

        names = [i.row.full_name for i in self.model.items] or ["Nguyễn Thị Phương Aaaaa"]
        header.setMinimumSectionSize(20)
        mark = max(width(COL_CASH, "✔ 999.000", "✔ CK 99.000"), int(line * 4))
        # (natural width, narrowest it may become) per column. Monthly dues stay below
        # 1.000.000 đ (1% of a salary of 100 million). Only the name, the state and the months
        # owed give way when the view is narrow; their text is elided, whole in the tooltip.
        self._widths = [
            (width(0, str(len(names) + 1)),) * 2,
            (width(1, *names), plain("Nguyễn Thị Ph")),
            (width(2, "999.000"),) * 2,
            (mark, max(width(COL_CASH, "✔ 99.000"), plain("✔ 999.000"))),
            (mark, max(width(COL_ONLINE, "✔ 99.000"), plain("✔ 999.000"))),
            (width(COL_STATE, *STATE_SAMPLES), plain("Chưa đóng (g")),
            # Its heading whole (a heading cut at both ends reads as nothing).
            (width(COL_OWING, "9, 10, 11/2026"), width(COL_OWING, "")),
        ]
        self._share_width()
        fixed_line_height(self.status)
        self._reserve_totals()

    def _share_width(self) -> None:
        """Every shown column in the view, never a sideways scrollbar; depends on the view's
        width only, never the marks. When the view is narrow, first the months owed, the
        state, the two mark columns and the name give way down to their least widths, in that
        order; if that is still too wide (1024 or 1366 wide in large text), the months owed,
        then the state are hidden (the row's colour still says who owes; the marks, "Miễn" and
        "—" say the state), then the row number if the name is still cut; the room they leave
        goes back to the name first, so names are read whole."""
        widths = getattr(self, "_widths", None)
        if not widths:
            return
        room = self.view.viewport().width()
        sizes = [natural for natural, _floor in widths]
        hidden: set[int] = set()

        def over() -> int:
            return sum(size for c, size in enumerate(sizes) if c not in hidden) - room

        for column in (COL_OWING, COL_STATE, COL_CASH, COL_ONLINE, COL_NAME):
            excess = over()
            if excess <= 0:
                break
            sizes[column] -= min(excess, sizes[column] - widths[column][1])
        for column in (COL_OWING, COL_STATE):
            # Hidden while the columns do not fit, or while they fit only by cutting names.
            if over() <= 0 and sizes[COL_NAME] >= widths[COL_NAME][0]:
                break
            hidden.add(column)
            for grown in (COL_NAME, COL_CASH, COL_ONLINE, COL_STATE, COL_OWING):
                if grown not in hidden and over() < 0:
                    sizes[grown] += min(-over(), widths[grown][0] - sizes[grown])
        if COL_STATE in hidden and sizes[COL_NAME] < widths[COL_NAME][0]:
            hidden.add(COL_NUMBER)  # this narrow, a whole name says more than its number
        for column in (COL_NAME, COL_CASH, COL_ONLINE, COL_STATE, COL_OWING):
            spare = -over()
            if spare <= 0:
                break
            if column not in hidden:
                sizes[column] += min(spare, widths[column][0] - sizes[column])
        header = self.view.horizontalHeader()
        last = max(c for c in range(len(widths)) if c not in hidden)
        for column, size in enumerate(sizes):
            if self.view.isColumnHidden(column) != (column in hidden):
                self.view.setColumnHidden(column, column in hidden)
            if column == last:
                continue  # the last column shown stretches into what is left
            if header.sectionSize(column) != size:
                header.resizeSection(column, size)

    def _reserve_totals(self) -> None:
        """Room for the longest totals line at the current width (the width only, never the
        figures: marking never moves the table)."""
        longest = join_figures(
            [
                "Tổng phải thu: 99.999.999 đ",
                "Đã thu: 99.999.999 đ",
                "Còn thiếu: 99.999.999 đ",
                "Đã đóng: 999/999 người",
            ]
        )
        font = QtGui.QFont(self.totals.font())
        font.setBold(True)
        rect = QtGui.QFontMetrics(font).boundingRect(
            QtCore.QRect(0, 0, max(200, self.width()), 10000),
            int(QtCore.Qt.TextFlag.TextWordWrap),
            longest,
        )
        self.totals.setFixedHeight(rect.height() + 4)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self._reserve_totals()
        super().resizeEvent(event)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange):
            self._fit()
        super().changeEvent(event)

    # -- papers -------------------------------------------------------------------------------------
    def _paper(
        self,
        choice: PrintChoiceDialog,
        plan: Callable[[PrintChoiceDialog], tuple[str, Callable[[Path], Any]]],
        done_text: Callable[[Any, str], str],
        *,
        xlsx: bool = False,
    ) -> None:
        """Ask what to print (year or period), where to save it (Documents), write it in the
        background, then offer to open or print it. `plan` reads the choice on the GUI thread
        and returns the file name to suggest and the write (plain values only)."""
        title = choice.windowTitle()
        if choice.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        suggested, write = plan(choice)
        path = ask_save_path(self, title, suggested, xlsx=xlsx)
        if not path:
            return

        def written(value: Any) -> None:
            self.show_status(done_text(value, path))
            if path.lower().endswith(".pdf"):
                offer_pdf(self, self.ctx.message, path, title=title)
            else:
                self.ctx.message.info(title, f"Đã ghi bảng tính: {path}")

        self.ctx.runner.run(
            self,
            partial(write, Path(path)),
            on_success=written,
            on_failure=lambda e: self.ctx.message.error(title, str(e)),
            label="Đang tạo tệp…",
        )

    def print_year_book(self) -> None:
        from reports.printing import write_dues_year_book

        book = self.ctx.book

        def plan(c: PrintChoiceDialog) -> tuple[str, Callable[[Path], Any]]:
            year = c.year.value()
            return f"so-dang-phi-{year}.pdf", lambda path: write_dues_year_book(
                book, year=year, path=path
            )

        self._paper(
            PrintChoiceDialog(
                title="Sổ đảng phí năm",
                text="Sổ theo dõi thu đảng phí của năm:",
                month=self.month(),
                parent=self,
            ),
            plan,
            lambda _v, path: f"Đã ghi sổ đảng phí: {path}",
            xlsx=True,
        )

    def print_receipts(self) -> None:
        from reports.printing import write_dues_receipts

        index = self.view.currentIndex()
        item = self.model.items[index.row()] if index.isValid() else None
        book = self.ctx.book

        def plan(c: PrintChoiceDialog) -> tuple[str, Callable[[Path], Any]]:
            year = c.year.value()
            member = item.member_id if item is not None and c.only_member.isChecked() else None
            return f"bien-lai-dang-phi-{year}.pdf", lambda path: write_dues_receipts(
                book, path=path, member=member, year=year
            )

        self._paper(
            PrintChoiceDialog(
                title="Biên lai thu đảng phí",
                text="Biên lai của các khoản đóng bằng tiền mặt trong năm:",
                month=self.month(),
                member_name=item.row.full_name if item else "",
                parent=self,
            ),
            plan,
            lambda count, path: f"Đã ghi {count} biên lai: {path}",
        )

    def print_report(self) -> None:
        from reports.printing import write_dues_period_report

        book = self.ctx.book

        def plan(c: PrintChoiceDialog) -> tuple[str, Callable[[Path], Any]]:
            period = c.period_code()
            return dues_report_file_name(period), lambda path: write_dues_period_report(
                book, period=period, path=path
            )

        self._paper(
            PrintChoiceDialog(
                title="Báo cáo thu, nộp đảng phí",
                text="Báo cáo số đảng phí đã thu, chi bộ giữ lại và phải nộp lên cấp trên:",
                month=self.month(),
                period=True,
                parent=self,
            ),
            plan,
            lambda _v, path: f"Đã ghi báo cáo đảng phí: {path}",
            xlsx=True,
        )

    def print_member_page(self) -> None:
        from reports.printing import write_dues_member_page

        item = self.current_item()
        if item is None:
            return
        book, member = self.ctx.book, item.member_id

        def plan(c: PrintChoiceDialog) -> tuple[str, Callable[[Path], Any]]:
            year = c.year.value()
            return f"dang-phi-{year}-{item.index:02d}.pdf", lambda path: write_dues_member_page(
                book, member=member, year=year, path=path
            )

        self._paper(
            PrintChoiceDialog(
                title="Trang đảng phí của đồng chí",
                text=f"Trang đảng phí chữ lớn của đồng chí {item.row.full_name}, năm:",
                month=self.month(),
                parent=self,
            ),
            plan,
            lambda name, path: f"Đã ghi trang đảng phí của đồng chí {name}: {path}",
        )

    def import_list(self) -> None:
        dialog = ImportDialog(self.ctx, parent=self)
        dialog.exec()
        if dialog.imported:
            self.show_status("Đã nhập danh sách đã đóng; bảng đã cập nhật.")
            self.changed.emit(PAYMENTS)
            self.reload()


class DuesSheetDialog(QtWidgets.QDialog):
    """The sheet on its own window, opened from a meeting's roll call for its month."""

    def __init__(
        self, ctx: AppContext, month: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Đảng phí tháng {month_label(month)}")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.sheet = DuesSheet(ctx, month, self)
        self.sheet.changed.connect(ctx.broadcast)
        self.sheet.month_picker.changed.connect(
            lambda m: self.setWindowTitle(f"Đảng phí tháng {month_label(m)}")
        )
        layout.addWidget(self.sheet, 1)
        close = QtWidgets.QPushButton("Đóng")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row = QtWidgets.QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self._fitted = False
        self.sheet.reload()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:
            from ui.widgets.fit import available_rect, fit_to_screen

            self._fitted = True
            avail = available_rect(self)
            fit_to_screen(self, max(1100, avail.width()), max(760, avail.height()))
            self.sheet.view.setFocus()
        super().showEvent(event)

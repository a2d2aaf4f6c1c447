"""The dues window's dialogs: a payment of one or several months, a reason (undo a mark,
an excused month), a member's dues setting with its history, the branch's rules, the
choices before printing, and importing a DVCQG list or bank statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.errors import KnownError, ValidationError
from app.services import dues
from app.services.changes import OpChanges
from app.services.dues import (
    BASES,
    CONFIGURABLE,
    EXEMPT_KINDS,
    REDUCTIONS,
    DuesRules,
    ImportPreview,
    PaymentResult,
    SettingView,
    money,
    months_label,
)
from app.services.dues.rules import secretary_name
from app.vocab import Entity
from ui.dues.model import ImportRowsModel, SettingHistoryModel
from ui.dues.widgets import (
    MonthPicker,
    amount_text,
    group_digits_as_typed,
    parse_amount,
    this_month,
)
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import error_label, set_role
from ui.widgets.date_edit import DateEdit
from ui.widgets.file_dialogs import FileKind, open_file
from ui.widgets.fit import ScrollingDialog
from ui.widgets.section import AppContext

PAYMENTS = OpChanges.of(Entity.DUES_PAYMENT)
SETTINGS = OpChanges.of(Entity.DUES_SETTING)


def _hint(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setWordWrap(True)
    set_role(label, "hint")
    return label


class _WriteDialog(ScrollingDialog):
    """A form whose OK runs one write in the background; a refusal stays in the dialog."""

    def __init__(
        self, ctx: AppContext, parent: QtWidgets.QWidget | None, *, title: str, ok: str
    ) -> None:
        super().__init__(parent, title=title, preferred=QtCore.QSize(560, 460))
        self.ctx = ctx
        self.result_value: Any = None
        self.error = error_label()
        self.ok_button = self.buttons.addButton(
            ok, QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton("Hủy bỏ", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.submit)
        self.ok_button.setDefault(True)  # Enter after typing the code or the reason saves
        cancel.clicked.connect(self.reject)

    def finish_form(self) -> None:
        self.body_layout.addWidget(self.error)
        self.body_layout.addStretch(1)

    def work(self) -> Callable[[], Any]:
        """Read the form (GUI thread) and return the write to run."""
        raise NotImplementedError

    def submit(self) -> None:
        self.error.setText("")
        try:
            fn = self.work()
        except KnownError as exc:
            self.error.setText(str(exc))
            return
        self.ok_button.setEnabled(False)
        self.ctx.runner.run(
            self, fn, on_success=self._done, on_failure=self._failed, label="Đang lưu…"
        )

    def _done(self, value: Any) -> None:
        self.result_value = value
        self.ok_button.setEnabled(True)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.error.setText(str(error))


# --- payments ---------------------------------------------------------------------------------

CHANNEL_CHOICES = (
    ("cash", "Tiền mặt (có biên lai)"),
    ("dvcqg", "Qua Cổng Dịch vụ công Quốc gia"),
    ("bank", "Chuyển khoản ngân hàng"),
)


def month_range(first: str, last: str) -> list[str]:
    if first == last:
        return [first]
    return dues.parse_months(f"{first}..{last}")


class PayDialog(_WriteDialog):
    """Dues paid for one month, several months in advance, or earlier months paid late."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        member_id: str,
        full_name: str,
        month: str,
        channel: str = "cash",
        due: int | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent, title="Ghi đóng đảng phí", ok="Ghi đã đóng")
        self.member_id = member_id
        self.full_name = full_name
        heading = QtWidgets.QLabel(f"Đồng chí {full_name}")
        set_role(heading, "heading")
        self.body_layout.addWidget(heading)
        self.body_layout.addWidget(
            _hint(
                "Đóng nhiều tháng một lần: chọn từ tháng đến tháng (tháng cũ còn nợ, hoặc "
                "đóng trước các tháng tới). Mỗi tháng ghi một khoản; tiền mặt được cấp một "
                "biên lai."
            )
        )
        form = QtWidgets.QFormLayout()
        self.first = MonthPicker(month, steps=False)
        self.last = MonthPicker(month, steps=False)
        form.addRow("Từ tháng:", self.first)
        form.addRow("Đến tháng:", self.last)
        self.months_line = QtWidgets.QLabel("")
        form.addRow("", self.months_line)
        self.channel_buttons: dict[str, QtWidgets.QRadioButton] = {}
        channels = QtWidgets.QVBoxLayout()
        for key, text in CHANNEL_CHOICES:
            button = QtWidgets.QRadioButton(text)
            self.channel_buttons[key] = button
            channels.addWidget(button)
            button.toggled.connect(self._channel_changed)
        form.addRow("Hình thức:", channels)
        self.amount = QtWidgets.QLineEdit()
        self.amount.setPlaceholderText(
            "Để trống: đúng mức phải đóng" + (f" ({money(due)} đ)" if due else "")
        )
        form.addRow("Số tiền mỗi tháng (đ):", self.amount)
        self.paid_on = DateEdit(dt.date.today())
        form.addRow("Ngày đóng:", self.paid_on)
        self.reference = QtWidgets.QLineEdit()
        self.reference.setPlaceholderText("Mã giao dịch trên Cổng DVCQG hoặc sao kê")
        form.addRow("Mã giao dịch:", self.reference)
        self.body_layout.addLayout(form)
        self.finish_form()
        self.first.changed.connect(self._months_changed)
        self.last.changed.connect(self._months_changed)
        self.channel_buttons.get(channel, self.channel_buttons["cash"]).setChecked(True)
        self._months_changed()
        self._channel_changed()
        if channel in ("dvcqg", "bank"):
            self.reference.setFocus()

    def channel(self) -> str:
        return next(k for k, b in self.channel_buttons.items() if b.isChecked())

    def months(self) -> list[str]:
        return month_range(self.first.month(), self.last.month())

    def _months_changed(self, *_args: object) -> None:
        if self.last.month() < self.first.month():
            self.last.set_month(self.first.month())
        try:
            months = self.months()
        except KnownError as exc:
            self.months_line.setText(str(exc))
            return
        self.months_line.setText(f"{len(months)} tháng: {months_label(months)}")

    def _channel_changed(self, *_args: object) -> None:
        online = self.channel() != "cash"
        self.reference.setEnabled(online)

    def work(self) -> Callable[[], PaymentResult]:
        months = self.months()
        amount = parse_amount(self.amount.text(), what="Số tiền mỗi tháng")
        if not self.paid_on.is_acceptable("Ngày đóng"):
            raise ValidationError(self.paid_on.problem() or "Ngày đóng chưa đúng.")
        paid_on = self.paid_on.required_date()
        via = self.channel()
        reference = self.reference.text().strip() if via != "cash" else ""
        if via == "dvcqg" and not reference:
            raise ValidationError("Đóng qua Cổng DVCQG cần ghi mã giao dịch.", field="ref")
        book, member = self.ctx.book, self.member_id
        return lambda: dues.pay(
            book,
            member=member,
            months=months,
            amount=amount,
            via=via,
            reference=reference,
            paid_on=paid_on,
        )


class ReasonDialog(_WriteDialog):
    """One reason, then one write (undo a mistaken mark; a month not paid for a reason)."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        title: str,
        text: str,
        ok: str,
        action: Callable[[str], Any],
        placeholder: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent, title=title, ok=ok)
        self._preferred = QtCore.QSize(520, 260)
        self.action = action
        label = QtWidgets.QLabel(text)
        label.setWordWrap(True)
        self.body_layout.addWidget(label)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText(placeholder or "Lý do (bắt buộc)")
        self.body_layout.addWidget(self.reason)
        self.finish_form()
        self.reason.setFocus()

    def work(self) -> Callable[[], Any]:
        reason = self.reason.text().strip()
        if not reason:
            raise ValidationError("Cần ghi lý do.", field="reason")
        action = self.action
        return lambda: action(reason)


# --- a member's setting -----------------------------------------------------------------------


def monthly_preview(
    rules: DuesRules | None,
    *,
    basis: str,
    income: str,
    amount: str,
    reduce_percent: int | None = None,
) -> str:
    """ "Mức đóng hằng tháng: 80.000 đ" for what is typed, by dues.monthly_amount (the rule
    the book applies); "" while the rules load or the figures do not read as amounts."""
    if rules is None:
        return ""
    try:
        income_value = parse_amount(income, field="income", what="Thu nhập")
        amount_value = parse_amount(amount, what="Mức đóng")
    except KnownError:
        return ""
    if basis in ("salary", "pension") and not income_value and amount_value is None:
        return ""
    if basis == "exempt":
        return "Mức đóng hằng tháng: miễn đóng"
    value = dues.monthly_amount(
        rules, basis=basis, income=income_value, amount=amount_value, reduce_percent=reduce_percent
    )
    return f"Mức đóng hằng tháng: {money(value)} đ"


class SettingDialog(_WriteDialog):
    """How a member pays from a month on: the basis, income, amount, exemption, reduction;
    the history below and the branch's rules (the configurable ones marked so)."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        member_id: str,
        full_name: str,
        month: str | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent, title="Mức đóng đảng phí", ok="Lưu mức đóng")
        self._preferred = QtCore.QSize(720, 700)
        self.member_id = member_id
        self.full_name = full_name
        heading = QtWidgets.QLabel(f"Đồng chí {full_name}")
        set_role(heading, "heading")
        self.body_layout.addWidget(heading)
        form = QtWidgets.QFormLayout()
        self.basis = QtWidgets.QComboBox()
        for key, text in BASES.items():
            self.basis.addItem(text, key)
        form.addRow("Cách tính:", self.basis)
        self.income = QtWidgets.QLineEdit()
        self.income.setPlaceholderText("Tiền lương đóng BHXH hoặc lương hưu, đồng/tháng")
        form.addRow("Thu nhập hằng tháng (đ):", self.income)
        self.amount = QtWidgets.QLineEdit()
        self.amount.setPlaceholderText("Để trống: theo cách tính; hoặc mức tự nguyện cao hơn")
        form.addRow("Mức đóng (đ/tháng):", self.amount)
        group_digits_as_typed(self.income)
        group_digits_as_typed(self.amount)
        # The monthly amount the book will ask, by the service's own rule, before saving.
        self.preview = QtWidgets.QLabel("")
        set_role(self.preview, "hint")
        self.preview.setAccessibleName("Mức đóng hằng tháng")
        form.addRow("", self.preview)
        self._rules: DuesRules | None = None
        self.exempt_kind = QtWidgets.QComboBox()
        for key, text in EXEMPT_KINDS.items():
            self.exempt_kind.addItem(text, key)
        form.addRow("Diện miễn:", self.exempt_kind)
        reduce_row = QtWidgets.QHBoxLayout()
        self.reduce = QtWidgets.QComboBox()
        self.reduce.addItem("Không giảm", None)
        for percent in REDUCTIONS:
            self.reduce.addItem(f"Giảm {percent}%", percent)
        self.reduce_until = MonthPicker(month or this_month(), steps=False)
        reduce_row.addWidget(self.reduce)
        reduce_row.addWidget(QtWidgets.QLabel("đến tháng"))
        reduce_row.addWidget(self.reduce_until)
        reduce_row.addStretch(1)
        form.addRow("Giảm (tối đa 12 tháng):", reduce_row)
        self.effective = MonthPicker(month or this_month(), steps=False)
        form.addRow("Áp dụng từ tháng:", self.effective)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("Bắt buộc khi miễn hoặc giảm, ví dụ số đơn đề nghị")
        form.addRow("Lý do:", self.reason)
        self.body_layout.addLayout(form)
        self.body_layout.addWidget(self.error)

        history_title = QtWidgets.QLabel("Các lần ghi mức đóng")
        set_role(history_title, "heading")
        self.body_layout.addWidget(history_title)
        self.history_model = SettingHistoryModel(self)
        self.history = QtWidgets.QTableView()
        self.history.setModel(self.history_model)
        self.history.verticalHeader().setVisible(False)
        self.history.setWordWrap(False)
        self.history.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        line = self.history.fontMetrics().height()
        self.history.setMinimumHeight(int(line * 1.6 * 5))
        self.body_layout.addWidget(self.history)

        rules_title = QtWidgets.QLabel("Cách tính chung của chi bộ")
        set_role(rules_title, "heading")
        self.body_layout.addWidget(rules_title)
        self.rules_label = QtWidgets.QLabel("…")
        self.rules_label.setWordWrap(True)
        self.body_layout.addWidget(self.rules_label)
        self.rules_button = QtWidgets.QPushButton("Sửa cách tính chung…")
        self.rules_button.clicked.connect(self.edit_rules)
        self.body_layout.addWidget(self.rules_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        self.body_layout.addStretch(1)
        self.basis.currentIndexChanged.connect(self._basis_changed)
        self.reduce.currentIndexChanged.connect(self._basis_changed)
        self.income.textChanged.connect(self._update_preview)
        self.amount.textChanged.connect(self._update_preview)
        self._basis_changed()
        self.load()

    def _update_preview(self, *_args: object) -> None:
        self.preview.setText(
            monthly_preview(
                self._rules,
                basis=str(self.basis.currentData()),
                income=self.income.text(),
                amount=self.amount.text(),
                reduce_percent=self.reduce.currentData(),
            )
        )

    def load(self) -> None:
        book, member = self.ctx.book, self.member_id

        def read() -> tuple[list[SettingView], DuesRules]:
            return dues.history(book, member=member), dues.get_rules(book)

        self.ctx.runner.run(
            self,
            read,
            on_success=self._loaded,
            on_failure=lambda e: self.error.setText(str(e)),
            label="Đang tải…",
        )

    def _loaded(self, result: tuple[list[SettingView], DuesRules]) -> None:
        hist, rules = result
        self._rules = rules
        self.history_model.set_items(hist)
        self.history.resizeColumnsToContents()
        self.rules_label.setText("\n".join(f"• {line}" for line in rules.describe()))
        if hist:
            self.show_setting(hist[-1])

    def show_setting(self, s: SettingView) -> None:
        """Fill the form with the setting in force (the next change starts from it)."""
        self.basis.setCurrentIndex(max(0, self.basis.findData(s.basis)))
        self.income.setText(amount_text(s.income))
        self.amount.setText(amount_text(s.amount))
        if s.exempt_kind:
            self.exempt_kind.setCurrentIndex(max(0, self.exempt_kind.findData(s.exempt_kind)))
        self.reduce.setCurrentIndex(max(0, self.reduce.findData(s.reduce_percent)))
        if s.reduce_until:
            self.reduce_until.set_month(s.reduce_until)
        self._update_preview()

    def _basis_changed(self, *_args: object) -> None:
        basis = self.basis.currentData()
        self.income.setEnabled(basis in ("salary", "pension"))
        self.amount.setEnabled(basis != "exempt")
        self.exempt_kind.setEnabled(basis == "exempt")
        self.reduce.setEnabled(basis != "exempt")
        self.reduce_until.setEnabled(basis != "exempt" and self.reduce.currentData() is not None)
        if hasattr(self, "preview"):
            self._update_preview()

    def work(self) -> Callable[[], SettingView]:
        basis = str(self.basis.currentData())
        income = (
            parse_amount(self.income.text(), field="income", what="Thu nhập")
            if basis in ("salary", "pension")
            else None
        )
        amount = parse_amount(self.amount.text(), what="Mức đóng") if basis != "exempt" else None
        exempt_kind = str(self.exempt_kind.currentData()) if basis == "exempt" else ""
        percent = self.reduce.currentData() if basis != "exempt" else None
        until = self.reduce_until.month() if percent is not None else None
        values: dict[str, Any] = {
            "member": self.member_id,
            "basis": basis,
            "income": income,
            "amount": amount,
            "exempt_kind": exempt_kind,
            "reduce_percent": percent,
            "reduce_until": until,
            "reason": self.reason.text().strip(),
            "effective_from": self.effective.month(),
        }
        book = self.ctx.book
        return lambda: dues.set_setting(book, **values)

    def _done(self, value: Any) -> None:
        self.saved = value
        super()._done(value)

    def edit_rules(self) -> None:
        dialog = RulesDialog(self.ctx, parent=self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.load()


def _shown_only(text: str) -> QtWidgets.QTableWidgetItem:
    """A cell that shows text and takes neither the selection nor the keyboard."""
    item = QtWidgets.QTableWidgetItem(text)
    item.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled)
    return item


class ManySettingsDialog(_WriteDialog):
    """Mức đóng cho nhiều đảng viên: one basis, month and reason for the selected members,
    each member's income in a small table (salary or pension) or one fixed amount; saved
    through dues.set_settings, one audited change per member."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        members: list[tuple[str, str]],  # (member id, full name)
        month: str | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, parent, title="Mức đóng cho nhiều đảng viên", ok="Lưu mức đóng cho tất cả"
        )
        self._preferred = QtCore.QSize(640, 640)
        self.members = members
        self._rules: DuesRules | None = None
        heading = QtWidgets.QLabel(f"Mức đóng cho {len(members)} đảng viên đã chọn")
        set_role(heading, "heading")
        self.body_layout.addWidget(heading)
        form = QtWidgets.QFormLayout()
        self.basis = QtWidgets.QComboBox()
        for key in ("salary", "pension", "fixed"):
            self.basis.addItem(BASES[key], key)
        form.addRow("Cách tính:", self.basis)
        self.amount = QtWidgets.QLineEdit()
        self.amount.setPlaceholderText("Để trống: mức cố định chung của chi bộ")
        group_digits_as_typed(self.amount)
        form.addRow("Mức đóng cố định (đ/tháng):", self.amount)
        self.effective = MonthPicker(month or this_month(), steps=False)
        form.addRow("Áp dụng từ tháng:", self.effective)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("Không bắt buộc, ví dụ theo danh sách tiền lương năm")
        form.addRow("Lý do:", self.reason)
        self.body_layout.addLayout(form)
        self.table = QtWidgets.QTableWidget(len(members), 3)
        self.table.setHorizontalHeaderLabels(["Họ và tên", "Thu nhập hằng tháng (đ)", "Mức đóng"])
        self.table.verticalHeader().setVisible(False)
        # Only the income boxes take the keyboard: the name and amount cells can be neither
        # selected nor focused (typing there went nowhere), and a click on a row puts the
        # caret in its income box. See `eventFilter` for Tab, Enter and the arrows.
        self.table.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.table.cellPressed.connect(self._row_pressed)
        self.income_edits: list[QtWidgets.QLineEdit] = []
        for row, (_mid, name) in enumerate(members):
            self.table.setItem(row, 0, _shown_only(name))
            edit = QtWidgets.QLineEdit()
            edit.setAccessibleName(f"Thu nhập hằng tháng của {name}")
            group_digits_as_typed(edit)
            edit.textChanged.connect(self._update_previews)
            edit.installEventFilter(self)
            self.table.setCellWidget(row, 1, edit)
            self.income_edits.append(edit)
            self.table.setItem(row, 2, _shown_only(""))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.body_layout.addWidget(self.table, 1)
        self.body_layout.addWidget(self.error)
        self.basis.currentIndexChanged.connect(self._basis_changed)
        self.amount.textChanged.connect(self._update_previews)
        self._basis_changed()
        book = ctx.book
        ctx.runner.run(
            self,
            lambda: dues.get_rules(book),
            on_success=self._rules_loaded,
            on_failure=lambda e: self.error.setText(str(e)),
            label="Đang tải…",
        )

    def _rules_loaded(self, rules: DuesRules) -> None:
        self._rules = rules
        self._update_previews()

    _NEXT_KEYS = (
        QtCore.Qt.Key.Key_Tab,
        QtCore.Qt.Key.Key_Return,
        QtCore.Qt.Key.Key_Enter,
        QtCore.Qt.Key.Key_Down,
    )
    _BACK_KEYS = (QtCore.Qt.Key.Key_Backtab, QtCore.Qt.Key.Key_Up)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        """In an income box, Tab, Enter and ↓ go to the next member's income box, Shift+Tab
        and ↑ to the one before (the name and amount cells are skipped). Tab past the last
        box leaves the table as usual; Enter there goes to the save button (Enter again
        saves); ↓ and ↑ stay at the ends."""
        if (
            event.type() != QtCore.QEvent.Type.KeyPress
            or not isinstance(event, QtGui.QKeyEvent)
            or watched not in self.income_edits
        ):
            return super().eventFilter(watched, event)
        key = event.key()
        shift = bool(event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
        if key == QtCore.Qt.Key.Key_Tab and shift:
            key = QtCore.Qt.Key.Key_Backtab
        if key not in self._NEXT_KEYS and key not in self._BACK_KEYS:
            return super().eventFilter(watched, event)
        assert isinstance(watched, QtWidgets.QLineEdit)
        row = self.income_edits.index(watched)
        step = 1 if key in self._NEXT_KEYS else -1
        target = row + step
        if 0 <= target < len(self.income_edits):
            self.focus_income(target)
            return True
        if key in (QtCore.Qt.Key.Key_Down, QtCore.Qt.Key.Key_Up):
            return True  # the first or last box: stay
        if key in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self.ok_button.setFocus(QtCore.Qt.FocusReason.TabFocusReason)
            return True
        # Tab after the last box, Shift+Tab before the first: the dialog's own order.
        self.focusNextPrevChild(step > 0)
        return True

    def focus_income(self, row: int) -> None:
        """Put the caret in a member's income box, scrolled into view, its text selected."""
        edit = self.income_edits[row]
        self.table.scrollTo(self.table.model().index(row, 1))
        edit.setFocus(QtCore.Qt.FocusReason.TabFocusReason)
        edit.selectAll()

    def _row_pressed(self, row: int, _column: int) -> None:
        if not self.table.isColumnHidden(1):
            self.focus_income(row)

    def _basis_changed(self, *_args: object) -> None:
        by_income = self.basis.currentData() in ("salary", "pension")
        self.table.setColumnHidden(1, not by_income)
        self.amount.setEnabled(not by_income)
        self._update_previews()

    def _update_previews(self, *_args: object) -> None:
        basis = str(self.basis.currentData())
        for row, edit in enumerate(self.income_edits):
            text = monthly_preview(
                self._rules,
                basis=basis,
                income=edit.text() if basis != "fixed" else "",
                amount=self.amount.text() if basis == "fixed" else "",
            )
            cell = self.table.item(row, 2)
            if cell is not None:
                cell.setText(text.removeprefix("Mức đóng hằng tháng: "))

    def work(self) -> Callable[[], list[SettingView]]:
        basis = str(self.basis.currentData())
        incomes: dict[str, int | None] = {}
        if basis in ("salary", "pension"):
            for (mid, name), edit in zip(self.members, self.income_edits, strict=True):
                incomes[mid] = parse_amount(
                    edit.text(), field="income", what=f"Thu nhập của đồng chí {name}"
                )
        amount = parse_amount(self.amount.text(), what="Mức đóng") if basis == "fixed" else None
        values: dict[str, Any] = {
            "members": [mid for mid, _name in self.members],
            "basis": basis,
            "incomes": incomes,
            "amount": amount,
            "reason": self.reason.text().strip(),
            "effective_from": self.effective.month(),
        }
        book = self.ctx.book
        return lambda: dues.set_settings(book, **values)


class RulesDialog(_WriteDialog):
    """The branch's dues rules: the rates from Quy định 01-QĐ/TW shown, the rest editable."""

    ROUNDING = (1, 100, 500, 1_000, 5_000, 10_000)

    def __init__(self, ctx: AppContext, *, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent, title="Cách tính đảng phí", ok="Lưu cách tính")
        self._preferred = QtCore.QSize(780, 520)
        self.rules = DuesRules()
        self.body_layout.addWidget(
            _hint(
                "Tỷ lệ 1% tiền lương đóng BHXH và 0,5% lương hưu theo Quy định 01-QĐ/TW. Các "
                f"mục ghi {CONFIGURABLE} không có trong văn bản gốc: chi bộ tự đặt theo "
                "hướng dẫn của cấp trên."
            )
        )
        form = QtWidgets.QFormLayout()
        self.rates = QtWidgets.QLabel("…")
        self.rates.setWordWrap(True)  # never wider than the dialog: no sideways scrolling
        form.addRow("Tỷ lệ đóng:", self.rates)
        self.fixed = QtWidgets.QLineEdit()
        form.addRow(f"Mức cố định (đ/tháng) {CONFIGURABLE}:", self.fixed)
        self.round_to = QtWidgets.QComboBox()
        for step in self.ROUNDING:
            self.round_to.addItem("Không làm tròn" if step == 1 else f"{money(step)} đ", step)
        form.addRow(f"Làm tròn đến {CONFIGURABLE}:", self.round_to)
        self.retain = QtWidgets.QSpinBox()
        self.retain.setRange(0, 100)
        self.retain.setSuffix(" %")
        form.addRow(f"Chi bộ giữ lại {CONFIGURABLE}:", self.retain)
        self.removal_months = QtWidgets.QSpinBox()
        self.removal_months.setRange(1, 12)
        self.removal_months.setSuffix(" tháng")
        form.addRow("Xem xét xóa tên khi không đóng:", self.removal_months)
        self.window_box = QtWidgets.QComboBox()
        self.window_box.addItem("Trong năm dương lịch", "calendar")
        self.window_box.addItem("Trong 12 tháng liền trước", "rolling12")
        form.addRow(f"Tính “trong năm” {CONFIGURABLE}:", self.window_box)
        self.collector = QtWidgets.QLineEdit()
        self.collector.setToolTip(
            "Người ký mục “Người thu đảng phí” trên biên lai và sổ theo dõi đảng phí. "
            "Để trống: bí thư chi bộ (tên trong thông tin chi bộ) ký."
        )
        form.addRow(f"Người thu đảng phí {CONFIGURABLE}:", self.collector)
        self.series = QtWidgets.QLineEdit()
        self.series.setMaxLength(6)
        self.series.setPlaceholderText("Để trống nếu chi bộ chỉ thu trên một máy")
        self.series.setToolTip(
            "Mỗi máy tính của chi bộ cùng thu đảng phí dùng một ký hiệu riêng (ví dụ A, B): "
            "biên lai in số B-001/2026, không trùng số với máy khác. Biên lai đã in giữ số cũ.\n"
            "Khi đăng ký đồng bộ, máy thứ hai trở đi của chi bộ được tự đặt ký hiệu M2, M3…: "
            "đừng tự đặt ký hiệu bắt đầu bằng M cho máy khác."
        )
        form.addRow("Ký hiệu biên lai của máy này:", self.series)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("Ví dụ: theo hướng dẫn của Đảng ủy phường")
        form.addRow("Lý do thay đổi:", self.reason)
        self.body_layout.addLayout(form)
        self.finish_form()
        book = ctx.book
        ctx.runner.run(
            self,
            lambda: (dues.get_rules(book), dues.receipt_series(book), secretary_name(book)),
            on_success=self._loaded,
            label="Đang tải…",
        )

    def _loaded(self, loaded: tuple[DuesRules, str, str]) -> None:
        rules, series, secretary = loaded
        self.rules = rules
        self.series.setText(series)
        # Left blank, the secretary signs: the placeholder says who.
        self.collector.setPlaceholderText(secretary or "Bí thư chi bộ")
        self.collector.setText(rules.collector)
        self.rates.setText(
            f"{rules.rate_label('salary')} tiền lương đóng BHXH; "
            f"{rules.rate_label('pension')} lương hưu"
        )
        self.fixed.setText(money(rules.fixed_amount))
        self.round_to.setCurrentIndex(max(0, self.round_to.findData(rules.round_to)))
        self.retain.setValue(rules.branch_retain_percent)
        self.removal_months.setValue(rules.removal_months)
        self.window_box.setCurrentIndex(max(0, self.window_box.findData(rules.removal_window)))

    def work(self) -> Callable[[], DuesRules]:
        fixed = parse_amount(self.fixed.text(), field="fixed_amount", what="Mức cố định")
        if fixed is None:
            raise ValidationError("Cần ghi mức cố định.", field="fixed_amount")
        rules = replace(
            self.rules,
            fixed_amount=fixed,
            round_to=int(self.round_to.currentData()),
            branch_retain_percent=self.retain.value(),
            removal_months=self.removal_months.value(),
            removal_window=str(self.window_box.currentData()),
            collector=self.collector.text(),
        )
        book, reason, series = self.ctx.book, self.reason.text().strip(), self.series.text()

        def save() -> DuesRules:
            # Two settings, each saved on its own: a refused series is shown under the form
            # and saving again stores it (the rules saved before it stay as they are).
            saved = dues.set_rules(book, rules=rules, reason=reason)
            dues.set_receipt_series(book, series=series, reason=reason)
            return saved

        return save


# --- before printing --------------------------------------------------------------------------


class PrintChoiceDialog(ScrollingDialog):
    """The year, or the month/quarter, of what is about to be printed."""

    def __init__(
        self,
        *,
        title: str,
        text: str,
        month: str,
        period: bool = False,
        member_name: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent, title=title, preferred=QtCore.QSize(480, 300))
        label = QtWidgets.QLabel(text)
        label.setWordWrap(True)
        self.body_layout.addWidget(label)
        year, mon = (int(p) for p in month.split("-"))
        form = QtWidgets.QFormLayout()
        self.kind = QtWidgets.QComboBox()
        self.kind.addItem("Một tháng", "month")
        self.kind.addItem("Một quý", "quarter")
        self.month = MonthPicker(month, steps=False)
        self.quarter = QtWidgets.QComboBox()
        for q in ("I", "II", "III", "IV"):
            self.quarter.addItem(f"Quý {q}")
        self.quarter.setCurrentIndex((mon - 1) // 3)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(1930, 2200)
        self.year.setValue(year)
        self.only_member = QtWidgets.QCheckBox(
            f"Chỉ biên lai của đồng chí {member_name}" if member_name else ""
        )
        if period:
            form.addRow("Kỳ báo cáo:", self.kind)
            form.addRow("Tháng:", self.month)
            quarter_row = QtWidgets.QHBoxLayout()
            quarter_row.addWidget(self.quarter)
            quarter_row.addWidget(QtWidgets.QLabel("năm"))
            quarter_row.addWidget(self.year)
            quarter_row.addStretch(1)
            form.addRow("Quý:", quarter_row)
            self.kind.currentIndexChanged.connect(self._kind_changed)
        else:
            form.addRow("Năm:", self.year)
            if member_name:
                form.addRow("", self.only_member)
        self.body_layout.addLayout(form)
        self.body_layout.addStretch(1)
        self.buttons.addButton("Tiếp tục…", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy bỏ", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._kind_changed()

    def _kind_changed(self, *_args: object) -> None:
        quarter = self.kind.currentData() == "quarter"
        self.month.setEnabled(not quarter)
        self.quarter.setEnabled(quarter)
        self.year.setEnabled(quarter)

    def period_code(self) -> str:
        """ "YYYY-MM" or "YYYY-Qn"."""
        if self.kind.currentData() == "quarter":
            return f"{self.year.value():04d}-Q{self.quarter.currentIndex() + 1}"
        return self.month.month()


# --- importing a DVCQG list or bank statement -------------------------------------------------


class ImportDialog(ScrollingDialog):
    """Choose the file, see what would be stored (a dry run), then import it."""

    def __init__(self, ctx: AppContext, *, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            parent, title="Nhập danh sách DVCQG / ngân hàng", preferred=QtCore.QSize(960, 640)
        )
        self.ctx = ctx
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.imported = False
        self.body_layout.addWidget(
            _hint(
                "Chọn tệp danh sách đã đóng trên Cổng DVCQG hoặc sao kê ngân hàng (.xlsx, "
                ".csv). Chương trình đối chiếu họ tên với số CCCD hoặc số thẻ đảng viên và "
                "cho xem trước; chỉ khi bấm “Nhập” mới ghi vào sổ. Nhập lại cùng tệp không "
                "ghi trùng."
            )
        )
        file_row = QtWidgets.QHBoxLayout()
        self.file_label = QtWidgets.QLabel("Chưa chọn tệp.")
        self.file_label.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred
        )
        self.choose_button = QtWidgets.QPushButton("Chọn tệp…")
        self.choose_button.clicked.connect(self.choose)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)
        self.body_layout.addLayout(file_row)
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        self.body_layout.addWidget(self.summary)
        self.model = ImportRowsModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(self.table.fontMetrics().height() * 8)
        self.body_layout.addWidget(self.table, 1)
        self.error = error_label()
        self.body_layout.addWidget(self.error)
        self.import_button = self.buttons.addButton(
            "Nhập vào sổ", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.store)
        close = self.buttons.addButton("Đóng", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)

    def choose(self) -> None:
        path = open_file(
            self,
            FileKind.DUES_IMPORT,
            "Chọn danh sách đã đóng đảng phí",
            "Danh sách (*.xlsx *.csv);;Mọi tệp (*)",
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        """Preview `path` (nothing stored)."""
        self.path = path
        self.file_label.setText(str(path))
        self.file_label.setToolTip(str(path))
        self.error.setText("")
        self.import_button.setEnabled(False)
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: dues.import_payments(book, path=path, dry_run=True),
            on_success=self._previewed,
            on_failure=self._failed,
            label="Đang đọc danh sách…",
        )

    def _show(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.model.set_items(preview.rows)
        self.table.resizeColumnsToContents()

    def _previewed(self, preview: ImportPreview) -> None:
        self._show(preview)
        new = preview.count("new")
        self.summary.setText(
            f"Xem trước: sẽ nhập {new} dòng ({money(preview.total_new)} đ); "
            f"{preview.count('already')} dòng đã có trong sổ; {preview.count('skipped')} dòng "
            f"bỏ qua; {preview.count('problem')} dòng lỗi (xem cột Ghi chú). Chưa ghi gì vào sổ."
        )
        self.import_button.setText(f"Nhập {new} dòng vào sổ")
        self.import_button.setEnabled(new > 0)

    def store(self) -> None:
        if self.path is None:
            return
        path, book = self.path, self.ctx.book
        self.import_button.setEnabled(False)
        self.ctx.runner.run(
            self,
            lambda: dues.import_payments(book, path=path, dry_run=False),
            on_success=self._stored,
            on_failure=self._failed,
            label="Đang nhập…",
        )

    def _stored(self, preview: ImportPreview) -> None:
        self._show(preview)
        self.imported = True
        self.summary.setText(
            f"Đã nhập {preview.count('new')} dòng ({money(preview.total_new)} đ) vào sổ; "
            f"{preview.count('already')} dòng đã có; {preview.count('problem')} dòng lỗi."
        )
        self.import_button.setText("Đã nhập")
        self.ctx.broadcast(PAYMENTS)

    def _failed(self, error: BaseException) -> None:
        self.error.setText(str(error))

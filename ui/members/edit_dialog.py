"""Add or edit one member, with the checks shown beside each field as the secretary types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.errors import KnownError, ValidationError
from app.importers.cells import parse_date
from app.services import members
from app.services.members import MemberInput, MemberView
from app.validation import Issue
from app.validation.cccd import describe, strip_id
from app.validation.member import LEAVING_DATE
from app.vocab import MemberStatus
from ui.qt import QtCore, QtWidgets, Signal
from ui.style import set_role
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.section import AppContext

DATE_HINT = "ngày/tháng/năm, ví dụ 05/11/1965"
DATE_FIELDS = ("birth_date", "admission_date", "admission_decision_date", "official_date")
DATE_TIPS = {
    "admission_decision_date": "Ngày ký quyết định kết nạp (nếu khác ngày vào Đảng). Tuổi đảng "
    "tính từ ngày này; để trống thì tính từ ngày vào Đảng.",
    "death_date": "Chỉ ghi khi đồng chí đã từ trần; dùng cho việc xét tặng Huy hiệu Đảng truy tặng.",
    "left_date": "Đảng phí tính đến hết tháng của ngày này.",
}


class MemberDialog(QtWidgets.QDialog):
    """`member=None` adds a member. After accept(), `saved` holds the stored member."""

    member_saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        *,
        member: MemberView | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.member = member
        self.saved: MemberView | None = None
        self.issues: list[Issue] = []
        # Fields whose checks are shown: the ones the secretary changed or left, all after Lưu.
        # A new member's empty form shows no red before anything is typed.
        self._changed: set[str] = set()
        self._touched: set[str] = set()
        self.setWindowTitle("Sửa thông tin đảng viên" if member else "Thêm đảng viên")
        self.setModal(True)

        outer = QtWidgets.QVBoxLayout(self)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        # The scroll area itself must not take the focus: the caret goes into Họ và tên.
        scroll.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        body = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(body)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        scroll.setWidget(body)
        outer.addWidget(scroll)

        self.inputs: dict[str, QtWidgets.QWidget] = {}
        self.messages: dict[str, QtWidgets.QLabel] = {}
        self._form = form
        self._rows: dict[str, QtWidgets.QVBoxLayout] = {}

        def add(field: str, widget: QtWidgets.QWidget, label: str | None = None) -> None:
            self.inputs[field] = widget
            box = QtWidgets.QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            note = QtWidgets.QLabel("")
            note.setWordWrap(True)
            note.setVisible(False)
            box.addWidget(note)
            self.messages[field] = note
            self._rows[field] = box
            form.addRow(members.FIELD_LABELS[field] if label is None else label, box)

        self.name = QtWidgets.QLineEdit()
        add("full_name", self.name)
        self.dates: dict[str, QtWidgets.QLineEdit] = {}
        for field in DATE_FIELDS:
            edit = QtWidgets.QLineEdit()
            edit.setPlaceholderText(DATE_HINT)
            edit.setToolTip(DATE_TIPS.get(field, ""))
            self.dates[field] = edit
            add(field, edit)
        self.gender = QtWidgets.QComboBox()
        for text, value in (("(chưa ghi)", None), ("Nam", "nam"), ("Nữ", "nữ")):
            self.gender.addItem(text, value)
        add("gender", self.gender)
        self.card = QtWidgets.QLineEdit()
        add("card_number", self.card)
        self.personal_id = QtWidgets.QLineEdit()
        self.personal_id.setPlaceholderText("12 chữ số (CCCD); số CMND cũ 9 chữ số")
        add("personal_id", self.personal_id)
        self.phone = QtWidgets.QLineEdit()
        self.phone.setPlaceholderText("ví dụ 0912 345 678")
        add("phone", self.phone)
        self.status = QtWidgets.QComboBox()
        for status in MemberStatus:
            self.status.addItem(status.label, status.value)
        add("status", self.status)
        death = QtWidgets.QLineEdit()
        death.setPlaceholderText(DATE_HINT)
        death.setToolTip(DATE_TIPS["death_date"])
        self.dates["death_date"] = death
        add("death_date", death)
        # Asked when the status says the member left (chuyển đi, xóa tên): the date, and where
        # a transferred member went. Shown only then (see _show_leaving_fields).
        left = QtWidgets.QLineEdit()
        left.setPlaceholderText(DATE_HINT)
        left.setToolTip(DATE_TIPS["left_date"])
        self.dates["left_date"] = left
        add("left_date", left, "Ngày chuyển đi")
        self.left_to = QtWidgets.QLineEdit()
        self.left_to.setPlaceholderText("ví dụ Chi bộ Khu phố 5")
        self.left_to.setToolTip("Chi bộ, đảng bộ nhận sinh hoạt (theo giấy giới thiệu).")
        add("left_to", self.left_to)
        self.branch_label = QtWidgets.QLineEdit()
        add("branch_label", self.branch_label, "Chi bộ đang sinh hoạt")
        self.position = QtWidgets.QLineEdit()
        add("position", self.position)
        self.address = QtWidgets.QLineEdit()
        add("address", self.address)
        self.app_account = QtWidgets.QComboBox()
        for code, label in members.ACCOUNT_STATES.items():
            self.app_account.addItem(label, code)
        add("app_account", self.app_account)
        self.has_smartphone = QtWidgets.QCheckBox("Có điện thoại thông minh")
        add("has_smartphone", self.has_smartphone, "")
        self.needs_support = QtWidgets.QCheckBox("Cần hỗ trợ (đọc tài liệu, ghi ý kiến, đăng ký)")
        add("needs_support", self.needs_support, "")
        self.serious_illness = QtWidgets.QCheckBox("Mắc bệnh hiểm nghèo (có xác nhận)")
        self.serious_illness.setToolTip(
            "Theo đơn của đảng viên: được miễn đảng phí và có thể được xét tặng Huy hiệu Đảng sớm."
        )
        add("serious_illness", self.serious_illness, "")
        self.notes = QtWidgets.QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        add("notes", self.notes)

        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        buttons = QtWidgets.QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self._fill(member.to_input() if member else MemberInput(full_name=""))
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._recheck)
        for field, widget in self.inputs.items():
            signal = _changed_signal(widget)
            if signal is not None:
                signal.connect(lambda *_a, f=field: self._on_change(f))
            if isinstance(widget, QtWidgets.QLineEdit):
                widget.editingFinished.connect(lambda f=field: self._on_leave(f))
        fit_on_show(
            self, self.fontMetrics().averageCharWidth() * 80, self.fontMetrics().height() * 40
        )
        if member is not None:  # a stored member's problems are worth seeing at once
            self._touched = set(self.messages)
        self._recheck()
        # What is typed as soon as the dialog opens lands in Họ và tên (the first field).
        self.name.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    # -- values ----------------------------------------------------------------------------
    def _fill(self, data: MemberInput) -> None:
        self.name.setText(data.full_name)
        for field, edit in self.dates.items():
            value = getattr(data, field)
            edit.setText(f"{value:%d/%m/%Y}" if value else "")
        self.gender.setCurrentIndex(max(0, self.gender.findData(data.gender)))
        self.card.setText(data.card_number or "")
        self.personal_id.setText(data.personal_id or "")
        self.phone.setText(data.phone or "")
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.branch_label.setText(data.branch_label)
        self.position.setText(data.position)
        self.address.setText(data.address)
        self.app_account.setCurrentIndex(max(0, self.app_account.findData(data.app_account)))
        self.has_smartphone.setChecked(data.has_smartphone)
        self.needs_support.setChecked(data.needs_support)
        self.serious_illness.setChecked(data.serious_illness)
        self.notes.setPlainText(data.notes)
        self.left_to.setText(data.left_to)
        self._show_leaving_fields()

    def _show_leaving_fields(self) -> None:
        """The date of leaving (and the destination of a transfer) only for a member who left;
        the date of death for one who died (or whose record holds it)."""
        status = str(self.status.currentData())
        field, label = LEAVING_DATE.get(status, ("", ""))
        left_label = self._form.labelForField(self._rows["left_date"])
        if field == "left_date" and isinstance(left_label, QtWidgets.QLabel):
            left_label.setText(label)
        shown = {
            "left_date": field == "left_date" or bool(self.dates["left_date"].text().strip()),
            "left_to": status == MemberStatus.TRANSFERRED or bool(self.left_to.text().strip()),
            "death_date": field == "death_date" or bool(self.dates["death_date"].text().strip()),
        }
        for name, visible in shown.items():
            self._form.setRowVisible(self._rows[name], visible)

    def _read_dates(self) -> tuple[dict[str, dt.date | None], list[Issue]]:
        values: dict[str, dt.date | None] = {}
        problems: list[Issue] = []
        for field, edit in self.dates.items():
            text = edit.text().strip()
            if not text:
                values[field] = None
                continue
            parsed = parse_date(text, label=members.FIELD_LABELS[field])
            if parsed.value is None:
                message = parsed.error or f"{members.FIELD_LABELS[field]}: cần đủ ngày/tháng/năm."
                problems.append(Issue("error", field, message))
            values[field] = parsed.value
        return values, problems

    def current_input(self) -> MemberInput:
        dates, _problems = self._read_dates()
        return MemberInput(
            full_name=self.name.text(),
            birth_date=dates["birth_date"],
            gender=self.gender.currentData(),
            admission_date=dates["admission_date"],
            official_date=dates["official_date"],
            card_number=self.card.text() or None,
            personal_id=self.personal_id.text() or None,
            phone=self.phone.text() or None,
            branch_label=self.branch_label.text(),
            status=str(self.status.currentData()),
            position=self.position.text(),
            address=self.address.text(),
            notes=self.notes.toPlainText(),
            has_smartphone=self.has_smartphone.isChecked(),
            app_account=str(self.app_account.currentData()),
            needs_support=self.needs_support.isChecked(),
            admission_decision_date=dates["admission_decision_date"],
            serious_illness=self.serious_illness.isChecked(),
            death_date=dates["death_date"],
            left_date=dates["left_date"],
            left_to=self.left_to.text(),
        )

    # -- checks ----------------------------------------------------------------------------
    def _on_change(self, field: str) -> None:
        self._changed.add(field)
        if field == "status":
            self._show_leaving_fields()
            # Ask at once for what leaving needs (the date, where to).
            self._touched |= {"left_date", "left_to", "death_date"}
        if not isinstance(self.inputs[field], QtWidgets.QLineEdit):
            self._touched.add(field)  # a choice is finished when made
        self._timer.start()

    def _on_leave(self, field: str) -> None:
        if field in self._changed:
            self._touched.add(field)
        self._recheck()

    def _recheck(self) -> list[Issue]:
        """Check while typing: messages only for fields already left (or all after Lưu)."""
        self._timer.stop()
        return self._check()

    def validate_now(self) -> list[Issue]:
        """Run every check (the service's, incl. duplicate numbers) and show the results for
        every field changed so far."""
        self._touched |= self._changed
        return self._check()

    def _check(self) -> list[Issue]:
        self._timer.stop()
        _dates, problems = self._read_dates()
        issues = list(problems)
        try:
            issues += members.validate(
                self.ctx.book,
                data=self.current_input(),
                member_id=self.member.id if self.member else None,
            )
        except KnownError as exc:
            issues.append(Issue("error", getattr(exc, "field", None) or "full_name", exc.message))
        bad_dates = {p.field for p in problems}
        issues = [i for i in issues if i in problems or i.field not in bad_dates]
        self.show_issues(issues)
        return issues

    def show_issues(self, issues: list[Issue]) -> None:
        self.issues = issues
        by_field: dict[str, list[Issue]] = {}
        for issue in issues:
            by_field.setdefault(
                issue.field if issue.field in self.messages else "full_name", []
            ).append(issue)
        hidden_errors = 0
        for field, label in self.messages.items():
            found = by_field.get(field, [])
            if field not in self._touched:
                hidden_errors += sum(1 for i in found if i.is_error)
                label.setVisible(False)
                continue
            errors = [i.message for i in found if i.is_error]
            warnings = [i.message for i in found if not i.is_error]
            if field == "personal_id" and not found:
                hint = describe(strip_id(self.personal_id.text()))
                if hint:
                    warnings = []
                    label.setText(hint)
                    set_role(label, "hint")
                    label.setVisible(True)
                    continue
            if errors:
                label.setText("\n".join(errors))
                set_role(label, "error")
            elif warnings:
                label.setText("\n".join(f"Lưu ý: {w}" for w in warnings))
                set_role(label, "hint")
            label.setVisible(bool(errors or warnings))
        error_count = sum(1 for i in issues if i.is_error)
        warning_count = len(issues) - error_count
        self.save_button.setEnabled(error_count == 0)
        if error_count and error_count == hidden_errors:
            # Nothing shown in red yet: say calmly what is still needed.
            self.summary.setText("Nhập họ và tên đảng viên và các thông tin đã có, rồi bấm Lưu.")
            set_role(self.summary, "hint")
        elif error_count:
            self.summary.setText(f"Còn {error_count} lỗi cần sửa trước khi lưu.")
            set_role(self.summary, "error")
        elif warning_count:
            self.summary.setText(f"Có {warning_count} lưu ý; vẫn có thể lưu.")
            set_role(self.summary, "hint")
        else:
            self.summary.setText("")

    def message_for(self, field: str) -> str:
        label = self.messages[field]
        return "" if label.isHidden() else label.text()

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        self._touched |= set(self.messages)
        if any(i.is_error for i in self.validate_now()):
            return
        data = self.current_input()
        book = self.ctx.book
        member = self.member

        def work() -> MemberView:
            if member is None:
                return members.create(book, data=data)
            return members.update(
                book, member_id=member.id, data=data, expected_version=member.version
            )

        self.save_button.setEnabled(False)
        self.ctx.runner.run(
            self, work, on_success=self._saved, on_failure=self._failed, label="Đang lưu…"
        )

    def _saved(self, view: MemberView) -> None:
        self.saved = view
        self.member_saved.emit(view)
        notice = members.leaving_notice(self.member.status if self.member else None, view)
        if notice:
            self.ctx.message.info("Đã lưu", notice)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError) and error.field in self.messages:
            self.show_issues([Issue("error", error.field, error.message)])
        elif isinstance(error, KnownError):
            self.ctx.message.error("Chưa lưu được", error.message)
        else:
            raise error


def _changed_signal(widget: QtWidgets.QWidget) -> Any:
    if isinstance(widget, QtWidgets.QLineEdit):
        return widget.textChanged
    if isinstance(widget, QtWidgets.QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QtWidgets.QCheckBox):
        return widget.toggled
    if isinstance(widget, QtWidgets.QPlainTextEdit):
        return widget.textChanged
    return None

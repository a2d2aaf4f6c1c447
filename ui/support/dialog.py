"""Ghi buổi hỗ trợ đảng viên cao tuổi: date, place, helpers, and for each member who came a
row of plain check boxes for what was done (installed the app, registered, approved,
taught a feature, read a document aloud, recorded feedback).

Also the member picker used by the feedback form: a search box (no tones needed, the
service folds them) above a list of matching members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.errors import KnownError
from app.models.feedback import FEEDBACK_KINDS
from app.models.support import SUPPORT_ACTIONS
from app.services import members, support
from app.services.members import ACTIVE_STATUSES
from app.services.support import HelpInput, SessionInput, SessionView
from ui.qt import QtCore, QtWidgets, Signal
from ui.style import error_label, set_role
from ui.widgets.date_edit import DateEdit
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.section import AppContext

PICKER_LIMIT = 200
NO_MEMBER = "— chọn đồng chí —"


def to_qdate(day: dt.date) -> QtCore.QDate:
    return QtCore.QDate(day.year, day.month, day.day)


def from_qdate(value: QtCore.QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class MemberPicker(QtWidgets.QWidget):
    """Type part of a name (tones optional), pick from the list.

    Nobody is chosen at first ("— chọn đồng chí —"), so a hurried record never goes to the
    first member of the list; a search that finds exactly one member chooses that member."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Gõ tên, không cần dấu")
        self.combo = QtWidgets.QComboBox()
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # The hint readable whole, even in large text on a small screen.
        self.search.setMinimumWidth(
            self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 16
        )
        layout.addWidget(self.search, 1)
        layout.addWidget(self.combo, 1)
        self.search.textChanged.connect(self.reload)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.reload()

    def reload(self) -> None:
        found = members.list_members(
            self.ctx.book,
            search=self.search.text() or None,
            status=ACTIVE_STATUSES,
            limit=PICKER_LIMIT,
        )
        current = self.member_id()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NO_MEMBER, None)
        for m in found:
            born = f" ({m.birth_date.year})" if m.birth_date else ""
            self.combo.addItem(f"{m.full_name}{born}", m.id)
        index = self.combo.findData(current) if current else -1
        if index < 0 and len(found) == 1 and self.search.text().strip():
            index = 1
        self.combo.setCurrentIndex(max(0, index))
        self.combo.blockSignals(False)
        self.changed.emit()

    def member_id(self) -> str | None:
        value = self.combo.currentData()
        return str(value) if value else None

    def member_name(self) -> str:
        return self.combo.currentText() if self.member_id() else ""

    def set_member(self, member_id: str) -> bool:
        index = self.combo.findData(member_id)
        if index < 0:
            self.search.clear()
            index = self.combo.findData(member_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        return index >= 0


@dataclass
class AttendeeRow:
    """The widgets of one member who came."""

    member_id: str
    full_name: str
    box: QtWidgets.QGroupBox
    checks: dict[str, QtWidgets.QCheckBox]
    feature: QtWidgets.QLineEdit
    document: QtWidgets.QLineEdit
    note: QtWidgets.QLineEdit
    feedback_kind: QtWidgets.QComboBox
    feedback_content: QtWidgets.QLineEdit
    feedback_ids: tuple[str, ...] = ()

    def to_input(self) -> HelpInput:
        actions = tuple(code for code, box in self.checks.items() if box.isChecked())
        content = self.feedback_content.text().strip()
        return HelpInput(
            member_id=self.member_id,
            actions=actions,
            feature=self.feature.text(),
            document=self.document.text(),
            note=self.note.text(),
            feedback_kind=str(self.feedback_kind.currentData() or "gop_y") if content else "",
            feedback_content=content,
            feedback_ids=self.feedback_ids,
        )


class SupportDialog(QtWidgets.QDialog):
    """Record (or plan, with a date ahead) a support session; edit one already recorded."""

    def __init__(
        self,
        ctx: AppContext,
        session: SessionView | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.session = session
        self.saved: SessionView | None = None
        self.rows: list[AttendeeRow] = []
        self.setWindowTitle("Sửa buổi hỗ trợ" if session else "Ghi buổi hỗ trợ đảng viên cao tuổi")
        fit_on_show(self, 900, 700)
        layout = QtWidgets.QVBoxLayout(self)

        form = QtWidgets.QFormLayout()
        self.held_on = DateEdit(session.held_on if session else dt.date.today())
        form.addRow("Ngày tổ chức:", self.held_on)
        self.place = QtWidgets.QLineEdit(session.place if session else "")
        self.place.setPlaceholderText("Ví dụ: Nhà văn hóa khu phố 3")
        form.addRow("Địa điểm:", self.place)
        self.helpers = QtWidgets.QPlainTextEdit("\n".join(session.helpers) if session else "")
        self.helpers.setPlaceholderText("Mỗi người hỗ trợ một dòng")
        self.helpers.setFixedHeight(self.fontMetrics().height() * 4)
        form.addRow("Người hỗ trợ:", self.helpers)
        self.notes = QtWidgets.QLineEdit(session.notes if session else "")
        form.addRow("Ghi chú:", self.notes)
        layout.addLayout(form)

        hint = QtWidgets.QLabel(
            "Buổi hỗ trợ ngày ở phía trước là buổi đã lên lịch: chỉ ghi người đến dự sau buổi "
            "hỗ trợ. Đăng ký hoặc phê duyệt tài khoản ở đây sẽ cập nhật hồ sơ đảng viên."
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        layout.addWidget(hint)

        add_row = FlowLayout()  # the button goes below the picker when the dialog is narrow
        self.picker = MemberPicker(ctx)
        self.add_button = QtWidgets.QPushButton("Thêm người đến dự")
        self.add_button.clicked.connect(self._add_picked)
        add_row.addWidget(self.picker)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)

        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QtWidgets.QWidget()
        self.rows_layout = QtWidgets.QVBoxLayout(holder)
        self.rows_layout.addStretch(1)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)

        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        if session is not None:
            for a in session.attendees:
                row = self.add_attendee(a.member_id, a.full_name)
                for code in a.actions:
                    if code in row.checks:
                        row.checks[code].setChecked(True)
                row.feature.setText(a.feature)
                row.document.setText(a.document)
                row.note.setText(a.note)
                row.feedback_ids = a.feedback_ids

    # -- attendees -----------------------------------------------------------------------
    def _add_picked(self) -> None:
        member_id = self.picker.member_id()
        if member_id is None:
            self.error.setText("Hãy chọn đảng viên đến dự.")
            return
        name = self.picker.member_name().split(" (")[0]
        self.add_attendee(member_id, name)

    def add_attendee(self, member_id: str, full_name: str) -> AttendeeRow:
        for row in self.rows:
            if row.member_id == member_id:
                self.error.setText(f"Đồng chí {full_name} đã có trong danh sách.")
                return row
        box = QtWidgets.QGroupBox(full_name)
        grid = QtWidgets.QGridLayout(box)
        checks: dict[str, QtWidgets.QCheckBox] = {}
        for i, (code, label) in enumerate(SUPPORT_ACTIONS.items()):
            check = QtWidgets.QCheckBox(label)
            checks[code] = check
            grid.addWidget(check, i // 3, i % 3)
        feature = QtWidgets.QLineEdit()
        feature.setPlaceholderText("Chức năng đã hướng dẫn (xem tài liệu, gửi ý kiến…)")
        document = QtWidgets.QLineEdit()
        document.setPlaceholderText("Tài liệu đã đọc cho nghe")
        note = QtWidgets.QLineEdit()
        note.setPlaceholderText("Ghi chú")
        kind = QtWidgets.QComboBox()
        for code, label in FEEDBACK_KINDS.items():
            kind.addItem(label, code)
        content = QtWidgets.QLineEdit()
        content.setPlaceholderText("Ý kiến đồng chí nêu (ghi vào mục Ý kiến)")
        content.textChanged.connect(
            lambda text: checks["ghi_y_kien"].setChecked(True) if text.strip() else None
        )
        grid.addWidget(feature, 2, 0, 1, 3)
        grid.addWidget(document, 3, 0, 1, 3)
        grid.addWidget(kind, 4, 0)
        grid.addWidget(content, 4, 1, 1, 2)
        grid.addWidget(note, 5, 0, 1, 2)
        remove = QtWidgets.QPushButton("Bỏ khỏi danh sách")
        grid.addWidget(remove, 5, 2)
        row = AttendeeRow(member_id, full_name, box, checks, feature, document, note, kind, content)
        remove.clicked.connect(lambda: self.remove_attendee(row))
        self.rows.append(row)
        self.rows_layout.insertWidget(self.rows_layout.count() - 1, box)
        self.error.setText("")
        return row

    def remove_attendee(self, row: AttendeeRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            row.box.setParent(None)
            row.box.deleteLater()

    # -- saving --------------------------------------------------------------------------
    def session_input(self) -> SessionInput:
        return SessionInput(
            held_on=self.held_on.required_date(),
            place=self.place.text(),
            helpers=self.helpers.toPlainText(),
            notes=self.notes.text(),
            attendees=tuple(r.to_input() for r in self.rows),
        )

    def save(self) -> None:
        if not self.held_on.is_acceptable("Ngày tổ chức"):
            return
        data = self.session_input()
        book = self.ctx.book
        session = self.session

        def work() -> SessionView:
            if session is None:
                return support.create_session(book, data=data)
            return support.update_session(book, session_id=session.id, data=data)

        self.ctx.runner.run(
            self, work, on_success=self._saved, on_failure=self._failed, label="Đang lưu…"
        )

    def _saved(self, view: SessionView) -> None:
        self.saved = view
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(error.message if isinstance(error, KnownError) else str(error))

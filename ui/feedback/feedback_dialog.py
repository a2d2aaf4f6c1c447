"""Take down a member's feedback."""

from __future__ import annotations

import datetime as dt

from app.errors import KnownError
from app.models.feedback import FEEDBACK_CHANNELS, FEEDBACK_KINDS
from app.services import feedback
from app.services.feedback import FeedbackInput, FeedbackView
from ui.qt import QtWidgets
from ui.style import error_label
from ui.support.dialog import MemberPicker
from ui.widgets.date_edit import DateEdit
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.section import AppContext


class FeedbackDialog(QtWidgets.QDialog):
    """Take down a member's feedback (often as the member says it, in person or by phone)."""

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: FeedbackView | None = None
        self.setWindowTitle("Ghi ý kiến của đảng viên")
        fit_on_show(self, 720, 480)
        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        self.member = MemberPicker(ctx)
        form.addRow("Đảng viên:", self.member)
        self.kind = QtWidgets.QComboBox()
        for code, label in FEEDBACK_KINDS.items():
            self.kind.addItem(label, code)
        form.addRow("Loại ý kiến:", self.kind)
        self.channel = QtWidgets.QComboBox()
        for code, label in FEEDBACK_CHANNELS.items():
            self.channel.addItem(label, code)
        form.addRow("Hình thức:", self.channel)
        self.received_on = DateEdit(dt.date.today())
        form.addRow("Ngày nhận:", self.received_on)
        layout.addLayout(form)
        layout.addWidget(QtWidgets.QLabel("Nội dung (ghi như đồng chí nói):"))
        self.content = QtWidgets.QPlainTextEdit()
        layout.addWidget(self.content, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def data(self) -> FeedbackInput:
        return FeedbackInput(
            member_id=self.member.member_id() or "",
            kind=str(self.kind.currentData()),
            content=self.content.toPlainText(),
            received_on=self.received_on.required_date(),
            channel=str(self.channel.currentData()),
        )

    def save(self) -> None:
        if not self.received_on.is_acceptable("Ngày nhận"):
            return
        data = self.data()
        if not data.member_id:
            self.error.setText("Hãy chọn đảng viên.")
            return
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: feedback.add(book, data=data),
            on_success=self._saved,
            on_failure=self._failed,
            label="Đang lưu…",
        )

    def _saved(self, item: FeedbackView) -> None:
        self.saved = item
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(error.message if isinstance(error, KnownError) else str(error))

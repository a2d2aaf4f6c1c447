"""Write the branch's answer to a member's feedback."""

from __future__ import annotations

import datetime as dt

from app.errors import KnownError
from app.services import feedback
from app.services.feedback import FeedbackView
from ui.qt import QtWidgets
from ui.style import error_label
from ui.widgets.date_edit import DateEdit
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.section import AppContext


class AnswerDialog(QtWidgets.QDialog):
    """Record the answer (from the branch, or the committee's answer received on paper)."""

    def __init__(
        self, ctx: AppContext, item: FeedbackView, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.saved: FeedbackView | None = None
        self.setWindowTitle(f"Trả lời ý kiến của đồng chí {item.member_name}")
        fit_on_show(self, 720, 520)
        layout = QtWidgets.QVBoxLayout(self)
        asked = QtWidgets.QLabel(
            f"{item.kind_label} ngày {item.received_on:%d/%m/%Y}: {item.content}"
        )
        asked.setWordWrap(True)
        if len(item.content) > 300:  # a long feedback: the start here, the whole as a tooltip
            asked.setText(f"{asked.text()[:300].rstrip()}…")
            asked.setToolTip(item.content)
        layout.addWidget(asked)
        form = QtWidgets.QFormLayout()
        self.by = QtWidgets.QLineEdit(item.answered_by)
        self.by.setPlaceholderText(
            "Để trống: cấp ủy cấp trên nếu đã chuyển lên, nếu không là chi bộ"
        )
        form.addRow("Nơi trả lời:", self.by)
        self.answered_on = DateEdit(item.answered_on or dt.date.today())
        form.addRow("Ngày trả lời:", self.answered_on)
        layout.addLayout(form)
        layout.addWidget(QtWidgets.QLabel("Nội dung trả lời:"))
        self.text = QtWidgets.QPlainTextEdit(item.answer)
        layout.addWidget(self.text, 1)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("Lý do sửa (bắt buộc khi sửa câu trả lời đã ghi)")
        self.reason.setVisible(item.state == "answered")
        layout.addWidget(self.reason)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        book, item = self.ctx.book, self.item
        text, by, reason = self.text.toPlainText(), self.by.text(), self.reason.text()
        if not self.answered_on.is_acceptable("Ngày trả lời"):
            return
        on = self.answered_on.required_date()
        self.ctx.runner.run(
            self,
            lambda: feedback.answer(
                book, feedback_id=item.id, text=text, answered_by=by, on=on, reason=reason
            ),
            on_success=self._saved,
            on_failure=self._failed,
            label="Đang lưu…",
        )

    def _saved(self, item: FeedbackView) -> None:
        self.saved = item
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, KnownError) and getattr(error, "field", None) == "reason":
            self.reason.setVisible(True)
        self.error.setText(error.message if isinstance(error, KnownError) else str(error))

"""Change the password; the data key (and so every record) stays the same."""

from __future__ import annotations

from app.book import open_book
from app.errors import KnownError, WrongPasswordError
from app.storage.keys import password_strength
from ui.qt import QtWidgets
from ui.style import comfortable_width
from ui.widgets.section import AppContext


class ChangePasswordDialog(QtWidgets.QDialog):
    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Đổi mật khẩu")
        # Wide enough for the longest strength hint from the start: the dialog never grows
        # (and its button never moves under the pointer) while the secretary types.
        self.setMinimumWidth(comfortable_width(self, 60))
        form = QtWidgets.QFormLayout(self)
        self.old = QtWidgets.QLineEdit()
        self.new1 = QtWidgets.QLineEdit()
        self.new2 = QtWidgets.QLineEdit()
        for edit in (self.old, self.new1, self.new2):
            edit.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        form.addRow("Mật khẩu hiện tại:", self.old)
        form.addRow("Mật khẩu mới:", self.new1)
        form.addRow("Nhập lại mật khẩu mới:", self.new2)
        self.strength = QtWidgets.QLabel("")
        self.strength.setWordWrap(True)
        self.strength.setMinimumHeight(self.strength.fontMetrics().lineSpacing() * 2)
        self.strength.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed
        )
        self.new1.textChanged.connect(lambda t: self.strength.setText(password_strength(t)[1]))
        form.addRow("", self.strength)
        self.error = QtWidgets.QLabel("")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton(
            "Đổi mật khẩu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def submit(self) -> None:
        if not self.old.text():
            self.error.setText("Vui lòng nhập mật khẩu hiện tại.")
            self.old.setFocus()
            return
        if self.new1.text() != self.new2.text():
            self.error.setText("Hai lần nhập mật khẩu mới không giống nhau.")
            self.new2.setFocus()
            return
        book = self.ctx.book
        old, new = self.old.text(), self.new1.text()

        def work() -> None:
            # Re-check the current password before replacing it.
            open_book(book.data_dir, password=old).close()
            book.change_password(new_password=new)

        def failed(error: BaseException) -> None:
            self.ok.setEnabled(True)
            if isinstance(error, WrongPasswordError):
                self.error.setText("Mật khẩu hiện tại không đúng (ô thứ nhất). Mật khẩu chưa đổi.")
                self.old.selectAll()
                self.old.setFocus()
                return
            self.error.setText(str(error) if isinstance(error, KnownError) else "Không đổi được.")

        self.ok.setEnabled(False)
        self.ctx.runner.run(
            self,
            work,
            on_success=lambda _r: self._done(),
            on_failure=failed,
            label="Đang đổi mật khẩu…",
        )

    def _done(self) -> None:
        self.ctx.message.info("Đã đổi mật khẩu", "Đã đổi mật khẩu. Mọi dữ liệu được giữ nguyên.")
        self.accept()

"""Unlock the book: password (or the recovery key), with key derivation off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KnownError, WrongPasswordError
from app.storage.keys import MIN_PASSWORD_LENGTH, keyring_refusal
from app.unlock import unlock
from ui.qt import QtCore, QtWidgets
from ui.style import comfortable_width, set_role
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.book import Book


class UnlockDialog(QtWidgets.QDialog):
    def __init__(
        self,
        data_dir: Path,
        runner: TaskRunner,
        *,
        hint: str = "",
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.runner = runner
        self.book: Book | None = None
        self.setWindowTitle("Mở sổ — Sổ tay Chi bộ")
        self.setMinimumWidth(comfortable_width(self, 55))

        layout = QtWidgets.QVBoxLayout(self)
        heading = QtWidgets.QLabel("Sổ tay Chi bộ")
        set_role(heading, "title")
        layout.addWidget(heading)
        intro = QtWidgets.QLabel("Nhập mật khẩu để mở sổ của chi bộ.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if hint:
            hint_label = QtWidgets.QLabel(hint)
            hint_label.setWordWrap(True)
            set_role(hint_label, "hint")
            layout.addWidget(hint_label)

        self.stack = QtWidgets.QStackedWidget()
        layout.addWidget(self.stack)

        # Page 0: password.
        page = QtWidgets.QWidget()
        page_box = QtWidgets.QVBoxLayout(page)
        page_box.setContentsMargins(0, 0, 0, 0)
        form = QtWidgets.QFormLayout()
        page_box.addLayout(form)
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Mật khẩu")
        form.addRow("Mật khẩu:", self.password)
        self.remember = QtWidgets.QCheckBox("Ghi nhớ trên máy này")
        form.addRow("", self.remember)
        self.remember_note: QtWidgets.QLabel | None = None
        refusal = keyring_refusal()
        if refusal is not None:
            # Say why, in the machine's own terms (no store at all, or one that does not encrypt).
            self.remember.setEnabled(False)
            self.remember.setToolTip(refusal)
            self.remember_note = QtWidgets.QLabel(refusal)
            self.remember_note.setWordWrap(True)
            set_role(self.remember_note, "hint")
            # Below the form, not in a form row: a wrapped label in a form row inside the page
            # stack gets too little height in large text (the note was cut top and bottom).
            page_box.addWidget(self.remember_note)
        self.forgot = QtWidgets.QPushButton("Quên mật khẩu? Dùng mã khôi phục")
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(lambda: self._show_page(1))
        page_box.addWidget(self.forgot, alignment=QtCore.Qt.AlignmentFlag.AlignLeft)
        page_box.addStretch(1)
        self.stack.addWidget(page)

        # Page 1: recovery key and a new password.
        page = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(page)
        self.recovery_key = QtWidgets.QLineEdit()
        self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        form.addRow("Mã khôi phục:", self.recovery_key)
        self.new_password = QtWidgets.QLineEdit()
        self.new_password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        form.addRow("Mật khẩu mới:", self.new_password)
        self.new_password2 = QtWidgets.QLineEdit()
        self.new_password2.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        form.addRow("Nhập lại:", self.new_password2)
        back = QtWidgets.QPushButton("Quay lại nhập mật khẩu")
        back.setFlat(True)
        back.clicked.connect(lambda: self._show_page(0))
        form.addRow("", back)
        self.stack.addWidget(page)

        self.error = QtWidgets.QLabel("")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        layout.addWidget(self.error)

        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton("Mở sổ", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Thoát", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._retry_timer = QtCore.QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(lambda: self.ok.setEnabled(True))
        self.password.setFocus()

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.error.setText("")
        self.ok.setText("Mở sổ" if index == 0 else "Đặt mật khẩu mới và mở sổ")

    def submit(self) -> None:
        self.error.setText("")
        data_dir = self.data_dir
        if self.stack.currentIndex() == 0:
            password = self.password.text()
            if not password:
                self.error.setText("Vui lòng nhập mật khẩu.")
                return
            remember = self.remember.isChecked()

            def work() -> Book:
                book = unlock(data_dir, password=password)
                if remember:
                    book.remember_on_this_computer()
                return book

        else:
            key, new1, new2 = (
                self.recovery_key.text(),
                self.new_password.text(),
                self.new_password2.text(),
            )
            if new1 != new2:
                self.error.setText("Hai lần nhập mật khẩu mới không giống nhau.")
                return
            if len(new1) < MIN_PASSWORD_LENGTH:
                self.error.setText(f"Mật khẩu mới cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
                return

            def work() -> Book:
                book = unlock(data_dir, recovery_key=key)
                book.change_password(new_password=new1)
                return book

        self.ok.setEnabled(False)
        self.ok.setText("Đang mở sổ…")
        self.runner.run(
            self, work, on_success=self._opened, on_failure=self._failed, label="Đang mở sổ"
        )

    def _opened(self, book: Book) -> None:
        self.book = book
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._show_page(self.stack.currentIndex())
        self.error.setText(str(error) if isinstance(error, KnownError) else "Không mở được sổ.")
        self.password.selectAll()
        wait = error.wait_seconds if isinstance(error, WrongPasswordError) else 0.0
        if wait > 0:
            self.ok.setEnabled(False)
            self._retry_timer.start(int(wait * 1000) + 50)
        else:
            self.ok.setEnabled(True)

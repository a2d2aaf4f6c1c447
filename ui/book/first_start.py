"""First start: create the branch's encrypted book and show the recovery key once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.book import Book, create_book
from app.errors import KnownError
from app.storage.keys import MIN_PASSWORD_LENGTH, keyring_refusal, password_strength
from ui.messages import Messages
from ui.qt import QtWidgets
from ui.style import comfortable_width, set_role
from ui.tasks import TaskRunner
from ui.widgets.file_dialogs import FileKind, save_file


class FirstStartWizard(QtWidgets.QDialog):
    PAGE_BRANCH, PAGE_PASSWORD, PAGE_RECOVERY = range(3)

    def __init__(
        self,
        data_dir: Path,
        runner: TaskRunner,
        messages: Messages,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.runner = runner
        self.messages = messages
        self.book: Book | None = None
        self.recovery_key = ""
        self.use_demo = False
        self.setWindowTitle("Tạo sổ mới — Sổ tay Chi bộ")
        self.setMinimumWidth(comfortable_width(self, 70))

        layout = QtWidgets.QVBoxLayout(self)
        self.heading = QtWidgets.QLabel("Chào mừng đến với Sổ tay Chi bộ")
        set_role(self.heading, "title")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.stack = QtWidgets.QStackedWidget()
        layout.addWidget(self.stack)
        self.stack.addWidget(self._branch_page())
        self.stack.addWidget(self._password_page())
        self.stack.addWidget(self._recovery_page())
        note = self.remember_note
        if note is not None:
            layout.addWidget(note)
            self.stack.currentChanged.connect(lambda i: note.setVisible(i == self.PAGE_PASSWORD))
            note.setVisible(self.stack.currentIndex() == self.PAGE_PASSWORD)

        self.error = QtWidgets.QLabel("")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        layout.addWidget(self.error)

        row = QtWidgets.QHBoxLayout()
        self.demo_button = QtWidgets.QPushButton("Dùng thử với chi bộ mẫu")
        self.demo_button.clicked.connect(self._choose_demo)
        row.addWidget(self.demo_button)
        row.addStretch(1)
        self.back = QtWidgets.QPushButton("Quay lại")
        self.back.clicked.connect(self._go_back)
        self.next = QtWidgets.QPushButton("Tiếp tục")
        self.next.setDefault(True)
        self.next.clicked.connect(self._go_next)
        row.addWidget(self.back)
        row.addWidget(self.next)
        layout.addLayout(row)
        self._update_buttons()

    # -- pages ---------------------------------------------------------------------------
    def _branch_page(self) -> QtWidgets.QWidget:
        page, form = _page_with_intro(
            "Sổ của chi bộ được lưu trên máy này và được mã hóa. Hãy nhập thông tin chi bộ."
        )
        self.branch_name = QtWidgets.QLineEdit()
        self.branch_name.setPlaceholderText("Ví dụ: Chi bộ Khu phố 3")
        form.addRow("Tên chi bộ:", self.branch_name)
        self.committee = QtWidgets.QLineEdit()
        self.committee.setPlaceholderText("Ví dụ: Đảng bộ phường Quy Nhơn")
        form.addRow("Đảng bộ cấp trên:", self.committee)
        self.address = QtWidgets.QLineEdit()
        form.addRow("Địa chỉ:", self.address)
        self.place = QtWidgets.QLineEdit()
        self.place.setPlaceholderText("Địa danh ghi trên văn bản, ví dụ: Quy Nhơn")
        form.addRow("Địa danh:", self.place)
        self.secretary = QtWidgets.QLineEdit()
        form.addRow("Họ tên bí thư:", self.secretary)
        return page

    def _password_page(self) -> QtWidgets.QWidget:
        page, form = _page_with_intro(
            f"Đặt mật khẩu mở sổ (ít nhất {MIN_PASSWORD_LENGTH} ký tự). "
            "Không ai lấy lại được mật khẩu này; nếu quên, chỉ mã khôi phục mở được sổ."
        )
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.textChanged.connect(self._update_strength)
        form.addRow("Mật khẩu:", self.password)
        self.password2 = QtWidgets.QLineEdit()
        self.password2.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        form.addRow("Nhập lại mật khẩu:", self.password2)
        self.strength_bar = QtWidgets.QProgressBar()
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength = QtWidgets.QLabel("")
        self.strength.setWordWrap(True)
        form.addRow("Độ mạnh:", self.strength_bar)
        form.addRow("", self.strength)
        self.remember = QtWidgets.QCheckBox("Ghi nhớ trên máy này")
        form.addRow("", self.remember)
        self.remember_note: QtWidgets.QLabel | None = None
        refusal = keyring_refusal()
        if refusal is not None:
            # Say why, in the machine's own terms (no store at all, or one that does not encrypt).
            self.remember.setEnabled(False)
            self.remember.setToolTip(refusal)
            note = QtWidgets.QLabel(refusal)
            note.setWordWrap(True)
            self.remember_note = note
            set_role(note, "hint")
            # Placed under the page stack by __init__, not in a form row: a wrapped label in
            # the stack's pages is given too little height in large text and is cut.
        self._update_strength("")
        return page

    def _recovery_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        text = QtWidgets.QLabel(
            "Đây là MÃ KHÔI PHỤC của sổ. Nếu quên mật khẩu, chỉ mã này mở được sổ. "
            "Mã chỉ hiện MỘT LẦN: hãy in ra và cất nơi an toàn (tủ có khóa)."
        )
        text.setWordWrap(True)
        box.addWidget(text)
        self.key_label = QtWidgets.QLabel("")
        set_role(self.key_label, "heading")
        self.key_label.setTextInteractionFlags(
            self.key_label.textInteractionFlags()
            | self.key_label.textInteractionFlags().TextSelectableByMouse
        )
        self.key_label.setWordWrap(True)
        box.addWidget(self.key_label)
        self.print_button = QtWidgets.QPushButton("In mã khôi phục (PDF)…")
        self.print_button.clicked.connect(self._save_recovery_pdf)
        box.addWidget(self.print_button)
        self.saved = QtWidgets.QCheckBox("Tôi đã in hoặc chép lại mã khôi phục")
        self.saved.toggled.connect(self._update_buttons)
        box.addWidget(self.saved)
        box.addStretch(1)
        return page

    # -- behaviour -----------------------------------------------------------------------
    def _update_strength(self, text: str) -> None:
        score, hint = password_strength(text)
        self.strength_bar.setValue(score)
        self.strength.setText(hint)

    def _update_buttons(self) -> None:
        page = self.stack.currentIndex()
        self.back.setVisible(page == self.PAGE_PASSWORD)
        self.demo_button.setVisible(page == self.PAGE_BRANCH)
        if page == self.PAGE_RECOVERY:
            self.next.setText("Bắt đầu dùng sổ")
            self.next.setEnabled(self.saved.isChecked())
        elif page == self.PAGE_PASSWORD:
            self.next.setText("Tạo sổ")
            self.next.setEnabled(True)
        else:
            self.next.setText("Tiếp tục")
            self.next.setEnabled(True)

    def _go_back(self) -> None:
        self.error.setText("")
        self.stack.setCurrentIndex(max(0, self.stack.currentIndex() - 1))
        self._update_buttons()

    def _go_next(self) -> None:
        self.error.setText("")
        page = self.stack.currentIndex()
        if page == self.PAGE_BRANCH:
            if not self.branch_name.text().strip():
                self.error.setText("Vui lòng nhập tên chi bộ.")
                self.branch_name.setFocus()
                return
            if not self.committee.text().strip():
                self.error.setText("Vui lòng nhập tên đảng bộ cấp trên.")
                self.committee.setFocus()
                return
            self.stack.setCurrentIndex(self.PAGE_PASSWORD)
            self.password.setFocus()
        elif page == self.PAGE_PASSWORD:
            self._create()
            return
        else:
            self.accept()
            return
        self._update_buttons()

    def _create(self) -> None:
        password = self.password.text()
        if len(password) < MIN_PASSWORD_LENGTH:
            self.error.setText(f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
            return
        if password != self.password2.text():
            self.error.setText("Hai lần nhập mật khẩu không giống nhau.")
            return
        values = dict(
            password=password,
            branch_name=self.branch_name.text(),
            committee=self.committee.text(),
            address=self.address.text(),
            place_name=self.place.text(),
            secretary_name=self.secretary.text(),
        )
        remember = self.remember.isChecked() and self.remember.isEnabled()
        data_dir = self.data_dir

        def work() -> tuple[Book, str, str]:
            book, key = create_book(data_dir, **values)
            note = ""
            if remember:
                try:
                    book.remember_on_this_computer()
                except KnownError as exc:
                    note = exc.message
            return book, key, note

        self.next.setEnabled(False)
        self.next.setText("Đang tạo sổ…")
        self.runner.run(
            self, work, on_success=self._created, on_failure=self._failed, label="Đang tạo sổ"
        )

    def _created(self, result: tuple[Book, str, str]) -> None:
        self.book, self.recovery_key, note = result
        self.key_label.setText(self.recovery_key)
        self.heading.setText("Sổ đã được tạo")
        if note:
            self.error.setText(note)
        self.stack.setCurrentIndex(self.PAGE_RECOVERY)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(str(error))
        self._update_buttons()

    def recovery_pdf_bytes(self) -> bytes:
        from reports.recovery_sheet import recovery_key_pdf

        assert self.book is not None
        info = self.book.branch()
        return recovery_key_pdf(
            branch_name=info.name,
            committee=info.committee,
            recovery_key=self.recovery_key,
            book_id=self.book.book_id,
            created=dt.date.today(),
        )

    def _save_recovery_pdf(self) -> None:
        path = save_file(
            self, FileKind.PDF, "Lưu tờ mã khôi phục", "ma-khoi-phuc-so-tay.pdf", "Tệp PDF (*.pdf)"
        )
        if not path:
            return
        try:
            Path(path).write_bytes(self.recovery_pdf_bytes())
        except OSError as exc:
            self.messages.error("Không lưu được", f"Không ghi được tệp: {exc.strerror or exc}")
            return
        self.messages.info(
            "Đã lưu",
            f"Đã lưu tờ mã khôi phục vào {path}. Hãy in ra và cất giữ tờ giấy. "
            "Tệp này không được mã hóa: sau khi in, hãy XÓA tệp (và dọn Thùng rác) để không "
            "ai chép được mã khôi phục.",
        )
        from ui.qt import QtCore, QtGui

        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(path))

    def _choose_demo(self) -> None:
        self.use_demo = True
        self.accept()

    def reject(self) -> None:
        # Once the book exists, closing the wizard must not lose it: keep it open.
        if self.book is not None and self.stack.currentIndex() == self.PAGE_RECOVERY:
            if not self.saved.isChecked() and not self.messages.ask(
                "Chưa lưu mã khôi phục",
                "Bạn chưa xác nhận đã lưu mã khôi phục. Mã sẽ không hiện lại. Vẫn đóng?",
            ):
                return
            self.accept()
            return
        super().reject()


def _page_with_intro(text: str) -> tuple[QtWidgets.QWidget, QtWidgets.QFormLayout]:
    """A wizard page: a wrapped explanation above a form (a wrapped label inside a
    QFormLayout row gets squeezed and cut)."""
    page = QtWidgets.QWidget()
    box = QtWidgets.QVBoxLayout(page)
    intro = QtWidgets.QLabel(text)
    intro.setWordWrap(True)
    box.addWidget(intro)
    form = QtWidgets.QFormLayout()
    box.addLayout(form)
    box.addStretch(1)
    return page, form

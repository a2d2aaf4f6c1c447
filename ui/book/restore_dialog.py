"""Khôi phục từ bản sao lưu: choose a backup (automatic ones are listed), see whose branch
and which date it holds before anything is replaced, confirm, give its password, restore."""

from __future__ import annotations

from pathlib import Path

from app.errors import KnownError
from app.services import backups
from app.services.backups import BackupInfo
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.style import comfortable_width, error_label
from ui.tasks import TaskRunner
from ui.widgets.file_dialogs import FileKind, open_file
from ui.widgets.fit import ScrollingDialog


class RestoreDialog(ScrollingDialog):
    """Lists the backups; `chosen` is the file to restore once the secretary confirmed."""

    def __init__(
        self,
        data_dir: Path,
        runner: TaskRunner,
        messages: Messages,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent, title="Khôi phục từ bản sao lưu", preferred=QtCore.QSize(760, 520))
        self.data_dir = data_dir
        self.runner = runner
        self.messages = messages
        self.chosen: Path | None = None
        self.infos: list[BackupInfo] = []
        intro = QtWidgets.QLabel(
            "Chọn bản sao lưu để thay cho sổ hiện tại. Sổ hiện tại được giữ lại thành một bản "
            "sao lưu trước khi khôi phục, nên có thể quay lại. Chương trình tự sao lưu sau mỗi "
            f"cuộc họp kết thúc và mỗi ngày một lần (giữ {backups.KEEP} bản gần nhất)."
        )
        intro.setWordWrap(True)
        self.body_layout.addWidget(intro)
        self.list = QtWidgets.QListWidget()
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._selected)
        self.list.itemDoubleClicked.connect(lambda _i: self.confirm())
        self.body_layout.addWidget(self.list, 1)
        self.detail = QtWidgets.QLabel("Đang tìm các bản sao lưu…")
        self.detail.setWordWrap(True)
        self.body_layout.addWidget(self.detail)
        choose = QtWidgets.QPushButton("Chọn tệp sao lưu khác…")
        choose.clicked.connect(self.choose_file)
        self.body_layout.addWidget(choose, alignment=QtCore.Qt.AlignmentFlag.AlignLeft)
        self.error = error_label()
        self.body_layout.addWidget(self.error)
        self.ok = self.buttons.addButton(
            "Khôi phục…", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setEnabled(False)
        self.buttons.addButton("Đóng", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        # Arrow keys pick a backup at once: the list has the focus, not the scroll area.
        self.scroll_area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.list.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        folder = data_dir
        runner.run(self, lambda: backups.list_backups(folder), on_success=self._listed)

    def _listed(self, infos: list[BackupInfo]) -> None:
        self.infos = list(infos)
        self.list.clear()
        for info in self.infos:
            self.list.addItem(self._line(info))
        if not self.infos:
            self.detail.setText(
                "Chưa có bản sao lưu nào trong thư mục của sổ. Dùng “Chọn tệp sao lưu khác…” "
                "để chọn tệp trên USB hoặc ổ đĩa khác."
            )
        else:
            self.list.setCurrentRow(0)

    @staticmethod
    def _line(info: BackupInfo) -> str:
        kind = "tự động" if info.automatic else "tệp"
        return f"{info.when_text} — {info.branch_text} ({kind}: {info.path.name})"

    def _selected(self, row: int) -> None:
        info = self.infos[row] if 0 <= row < len(self.infos) else None
        self.ok.setEnabled(info is not None)
        if info is not None:
            self.detail.setText(
                f"Bản sao lưu của {info.branch_text}, lập lúc {info.when_text}.\nTệp: {info.path}"
            )

    def choose_file(self) -> None:
        path = open_file(
            self, FileKind.BACKUP, "Chọn bản sao lưu", "Bản sao lưu Sổ tay (*.sotaybak)"
        )
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        try:
            info = backups.describe(path)
        except KnownError as exc:
            self.error.setText(str(exc))
            return
        self.error.setText("")
        self.infos.insert(0, info)
        self.list.insertItem(0, self._line(info))
        self.list.setCurrentRow(0)

    def confirm(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.infos):
            return
        info = self.infos[row]
        if not self.messages.ask(
            "Khôi phục sổ",
            f"Thay toàn bộ sổ hiện tại bằng bản sao lưu của {info.branch_text}, lập lúc "
            f"{info.when_text}?\n\nMọi thay đổi sau thời điểm đó sẽ không còn trong sổ "
            "(sổ hiện tại vẫn được giữ lại thành một bản sao lưu). Sổ sẽ được khóa; bước "
            "sau hỏi mật khẩu của bản sao lưu.",
        ):
            return
        self.chosen = info.path
        self.accept()


class RestorePasswordDialog(QtWidgets.QDialog):
    """The backup's password, then the restore itself (the book is already locked)."""

    def __init__(
        self,
        data_dir: Path,
        backup_file: Path,
        runner: TaskRunner,
        messages: Messages,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.backup_file = backup_file
        self.runner = runner
        self.messages = messages
        self.kept: Path | None = None
        self.restored = False
        self.setWindowTitle("Khôi phục sổ — mật khẩu của bản sao lưu")
        layout = QtWidgets.QVBoxLayout(self)
        self.setMinimumWidth(comfortable_width(self, 60))
        try:
            info = backups.describe(backup_file)
            what = f"Bản sao lưu của {info.branch_text}, lập lúc {info.when_text}."
        except KnownError as exc:
            what = str(exc)
        label = QtWidgets.QLabel(
            f"{what}\nNhập mật khẩu của sổ lúc sao lưu (mật khẩu khi đó, có thể khác hiện nay)."
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QtWidgets.QFormLayout()
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        form.addRow("Mật khẩu của bản sao lưu:", self.password)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton("Khôi phục", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def submit(self) -> None:
        from app.book import restore

        password = self.password.text()
        if not password:
            self.error.setText("Vui lòng nhập mật khẩu của bản sao lưu.")
            return
        folder, source = self.data_dir, self.backup_file
        self.ok.setEnabled(False)
        self.error.setText("")

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.error.setText(str(exc))

        self.runner.run(
            self,
            lambda: restore(folder, source, password=password),
            on_success=self._done,
            on_failure=failed,
            label="Đang khôi phục…",
        )

    def _done(self, kept: Path | None) -> None:
        self.kept = kept
        self.restored = True
        where = f" Sổ trước khi khôi phục được giữ tại {kept}." if kept is not None else ""
        self.messages.info("Đã khôi phục", f"Đã khôi phục sổ từ bản sao lưu.{where}")
        self.accept()

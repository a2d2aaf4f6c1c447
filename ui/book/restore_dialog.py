"""Khôi phục từ bản sao lưu: choose a backup (automatic ones are listed), see whose branch
and which date it holds before anything is replaced, confirm, give its password, restore."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KnownError
from app.services import backups
from app.services.backups import BackupInfo
from app.storage import backup_meta
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.style import comfortable_width, error_label
from ui.tasks import TaskRunner
from ui.widgets.file_dialogs import FileKind, open_file, start_folder
from ui.widgets.fit import ScrollingDialog

if TYPE_CHECKING:
    from app.book import Book


class RestoreDialog(ScrollingDialog):
    """Lists the backups; `chosen` is the file to restore once the secretary confirmed."""

    def __init__(
        self,
        data_dir: Path,
        runner: TaskRunner,
        messages: Messages,
        parent: QtWidgets.QWidget | None = None,
        *,
        book: Book | None = None,
    ) -> None:
        super().__init__(parent, title="Khôi phục từ bản sao lưu", preferred=QtCore.QSize(760, 520))
        self.data_dir = data_dir
        self.runner = runner
        self.messages = messages
        self.chosen: Path | None = None
        self.infos: list[BackupInfo] = []
        self.book_changed_at: dt.datetime | None = None  # the open book's last change
        intro = QtWidgets.QLabel(
            "Chọn bản sao lưu để thay cho sổ hiện tại. Sổ hiện tại được giữ lại thành một bản "
            "sao lưu trước khi khôi phục, nên có thể quay lại. Chương trình tự sao lưu sau mỗi "
            f"cuộc họp kết thúc và mỗi ngày một lần (giữ {backups.KEEP} bản gần nhất); danh "
            "sách có cả các bản đã lưu bằng Sổ → Sao lưu sổ… vào thư mục dùng lần gần nhất."
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
        self.close_button = self.buttons.addButton(
            "Đóng", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        # Arrow keys pick a backup at once: the list has the focus, not the scroll area.
        self.scroll_area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.list.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        folder = data_dir
        # Also where the secretary saved backups herself (the folder the save dialog remembers).
        saved = Path(start_folder(FileKind.BACKUP))

        def find() -> tuple[list[BackupInfo], dt.datetime | None]:
            changed = None
            held = backups.book_contents(book) if book is not None else None
            if held is not None:
                changed = backup_meta.parse_local(held["last_change"])
            return backups.list_backups(folder, [saved]), changed

        runner.run(self, find, on_success=lambda found: self._listed(*found))

    def _listed(self, infos: list[BackupInfo], book_changed_at: dt.datetime | None = None) -> None:
        self.infos = list(infos)
        self.book_changed_at = book_changed_at
        self.list.clear()
        for info in self.infos:
            self.list.addItem(self._line(info))
        if not self.infos:
            self.detail.setText(
                "Chưa có bản sao lưu nào trong thư mục của sổ. Dùng “Chọn tệp sao lưu khác…” "
                "để chọn tệp trên USB hoặc ổ đĩa khác."
            )
        elif self._older_than_book(self.infos[0]):
            # Nothing chosen for her: even the newest backup lacks the latest changes.
            assert book_changed_at is not None
            self.list.setCurrentRow(-1)
            self.ok.setEnabled(False)
            # Not on the list: a list taking the focus makes its first row current.
            self.close_button.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
            self.detail.setText(
                "Mọi bản sao lưu đều cũ hơn lần thay đổi cuối của sổ "
                f"({book_changed_at:%H:%M %d/%m/%Y}): khôi phục sẽ làm mất các thay đổi sau "
                "thời điểm sao lưu. Hãy chọn bản cần khôi phục."
            )
        else:
            self.list.setCurrentRow(0)

    def _older_than_book(self, info: BackupInfo) -> bool:
        """The book changed after this backup was made (so restoring it loses changes)."""
        changed = self.book_changed_at
        if changed is None:
            return False
        made = info.last_change or info.created_at
        return made is None or made < changed

    @staticmethod
    def _line(info: BackupInfo) -> str:
        kind = "tự động" if info.automatic else "tệp"
        return (
            f"{info.when_text} — {info.branch_text} — {info.contents_text} "
            f"({kind}: {info.path.name})"
        )

    def _selected(self, row: int) -> None:
        info = self.infos[row] if 0 <= row < len(self.infos) else None
        self.ok.setEnabled(info is not None)
        if info is not None:
            text = (
                f"Bản sao lưu của {info.branch_text}, lập lúc {info.when_text}: "
                f"{info.contents_text}.\nTệp: {info.path}"
            )
            if self._older_than_book(info) and self.book_changed_at is not None:
                text += (
                    f"\nCHÚ Ý: sổ đã thay đổi sau bản này (lần cuối "
                    f"{self.book_changed_at:%H:%M %d/%m/%Y}); khôi phục sẽ mất các thay đổi đó."
                )
            self.detail.setText(text)

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

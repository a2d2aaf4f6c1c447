"""The main window: section navigation, lock, large-text mode, backup, password, history."""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from app.book import default_backup_name
from ui.qt import QtCore, QtGui, QtWidgets, Signal
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.file_dialogs import FileKind, save_file
from ui.widgets.fit import fit_to_screen
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services import sync_state
    from app.services.changes import OpChanges

# key, title, module, class. A section's module is imported the first time it is shown,
# so start-up does not pay for pages the user has not opened.
SECTIONS: list[tuple[str, str, str, str]] = [
    ("overview", "Tổng quan", "ui.overview.section", "OverviewSection"),
    ("members", "Đảng viên", "ui.members.section", "MembersSection"),
    ("meetings", "Sinh hoạt", "ui.meetings.section", "MeetingsSection"),
    ("dues", "Đảng phí", "ui.dues.section", "DuesSection"),
    ("documents", "Tài liệu", "ui.documents.section", "DocumentsSection"),
    ("study", "Học tập nghị quyết", "ui.study.section", "StudySection"),
    ("feedback", "Ý kiến", "ui.feedback.section", "FeedbackSection"),
    ("reports", "Báo cáo", "ui.reports.section", "ReportsSection"),
    ("sync", "Đồng bộ", "ui.sync.section", "SyncSection"),
]


def two_line_width(metrics: QtGui.QFontMetrics, title: str) -> int:
    """The least width that shows `title` whole on at most two lines, broken between words."""
    words = title.split()
    whole = metrics.horizontalAdvance(title)
    splits = (
        max(
            metrics.horizontalAdvance(" ".join(words[:i])),
            metrics.horizontalAdvance(" ".join(words[i:])),
        )
        for i in range(1, len(words))
    )
    return min(whole, *splits) if len(words) > 1 else whole


class NotYetSection(Section):
    """Shown for a section whose module is not part of this version."""

    def __init__(
        self, ctx: AppContext, title: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(ctx, parent)
        self.title = title
        layout = QtWidgets.QVBoxLayout(self)
        label = QtWidgets.QLabel(
            f"Phần “{title}” chưa có trong phiên bản này của Sổ tay Chi bộ. "
            "Dữ liệu của các phần khác vẫn dùng bình thường."
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch(1)


class MainWindow(QtWidgets.QMainWindow):
    lock_requested = Signal()
    text_size_toggled = Signal(bool)
    create_real_book_requested = Signal()
    demo_requested = Signal()  # from the real book: lock it, open the demo book
    real_book_requested = Signal()  # from the demo: lock it, unlock the real book
    restore_requested = Signal(object)  # Path of the backup file, password checked later

    # What the window would like: up to 1280 wide and the whole available height (a 1366×768
    # office screen gives 1280×696 for the client area); never more than the available screen.
    PREFERRED_SIZE = QtCore.QSize(1280, 900)

    def __init__(
        self, ctx: AppContext, *, demo: bool = False, real_book_exists: bool = False
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.demo = demo
        self.real_book_exists = real_book_exists
        title = f"Sổ tay Chi bộ — {ctx.book.branch().name}"
        if demo:
            title += " — SỔ MẪU, không nhập dữ liệu thật"
        self.setWindowTitle(title)
        fit_to_screen(self, self.PREFERRED_SIZE.width(), self.PREFERRED_SIZE.height())
        self._fitted = False
        self.sections: dict[str, Section] = {}
        self._holders: dict[str, QtWidgets.QScrollArea] = {}

        # The navigation has a fixed width (fit_navigation): a plain row, not a splitter, so
        # the section starts right beside it (a splitter gave the list's slot ~78 px more than
        # the fixed-width list used, leaving an empty band before every section).
        central = QtWidgets.QWidget()
        row = QtWidgets.QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.nav = QtWidgets.QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setSpacing(2)
        self.nav.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setWordWrap(True)  # a long name on two lines (fit_navigation)
        for key, title, _module, _cls in SECTIONS:
            item = QtWidgets.QListWidgetItem(title)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.pages = QtWidgets.QStackedWidget()
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.fit_navigation()
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.show_section_at)

        self._build_menus()
        self.sync_label = QtWidgets.QLabel("")
        self.statusBar().addPermanentWidget(self.sync_label)
        self.busy_label = QtWidgets.QLabel("")
        self.statusBar().addWidget(self.busy_label)
        # A bound method (not a lambda): Qt drops the connection with the window, and
        # detach() drops it explicitly when the book is locked.
        ctx.runner.busy_changed.connect(self._show_busy)
        if demo:
            # Ends in "…" (whole in the tooltip) when the sync status leaves it too little room,
            # instead of being cut mid-word under it (1024 wide, large text).
            banner = ElidedLabel(
                "Đây là SỔ MẪU để dùng thử. Sổ của chi bộ: Sổ → Về sổ thật"
                if real_book_exists
                else "Đây là SỔ MẪU để dùng thử. Khi sẵn sàng: Sổ → Tạo sổ thật cho chi bộ…"
            )
            banner.setProperty("role", "error")
            self.statusBar().addWidget(banner, 1)
        self.nav.setCurrentRow(0)
        self.refresh_status()

    def _show_busy(self, busy: bool, label: str) -> None:
        self.busy_label.setText(label if busy and label else "")

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:  # the real frame is known now: fit it to the screen it is on
            self._fitted = True
            fit_to_screen(self, self.PREFERRED_SIZE.width(), self.PREFERRED_SIZE.height())
        super().showEvent(event)

    def detach(self) -> None:
        """Called when the book is locked: cut every link from the shared runner and timers
        to this window, so nothing reaches it while it waits for deletion."""
        with contextlib.suppress(RuntimeError, TypeError):  # already gone
            self.ctx.runner.busy_changed.disconnect(self._show_busy)
        auto = getattr(self, "auto_sync", None)
        if auto is not None:
            auto.stop()
        for widget in self.sections.values():
            if widget in self.ctx.listeners:
                self.ctx.listeners.remove(widget)

    def fit_navigation(self) -> None:
        """Keep every section name fully readable, whatever the text size, in as little width
        as that takes: a long name ("Học tập nghị quyết") wraps onto two lines, so the list
        is as wide as the widest half of a name, not the whole (about 100 px more for every
        page at 1024 wide in large text)."""
        metrics = self.nav.fontMetrics()
        widest = max(two_line_width(metrics, title) for _k, title, _m, _c in SECTIONS)
        self.nav.setFixedWidth(widest + metrics.averageCharWidth() * 6)

    # -- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        book_menu = self.menuBar().addMenu("&Sổ")
        if self.demo and self.real_book_exists:
            back = QtGui.QAction("Về sổ thật", self)
            back.triggered.connect(self.real_book_requested.emit)
            book_menu.addAction(back)
            book_menu.addSeparator()
        elif self.demo:
            real = QtGui.QAction("Tạo sổ thật cho chi bộ…", self)
            real.triggered.connect(self.create_real_book_requested.emit)
            book_menu.addAction(real)
            book_menu.addSeparator()
        self.lock_action = QtGui.QAction("Khóa sổ", self)
        self.lock_action.setShortcut(QtGui.QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested.emit)
        book_menu.addAction(self.lock_action)
        backup = QtGui.QAction("Sao lưu sổ…", self)
        backup.triggered.connect(self.backup)
        book_menu.addAction(backup)
        self.restore_action = QtGui.QAction("Khôi phục từ bản sao lưu…", self)
        self.restore_action.triggered.connect(self.choose_restore)
        book_menu.addAction(self.restore_action)
        self.settings_action = QtGui.QAction("Cài đặt chi bộ…", self)
        self.settings_action.triggered.connect(self.show_settings)
        book_menu.addAction(self.settings_action)
        passwd = QtGui.QAction("Đổi mật khẩu…", self)
        passwd.triggered.connect(self.change_password)
        book_menu.addAction(passwd)
        history = QtGui.QAction("Nhật ký thay đổi…", self)
        history.triggered.connect(self.show_history)
        book_menu.addAction(history)
        if not self.demo:
            book_menu.addSeparator()
            try_demo = QtGui.QAction("Mở sổ mẫu (dùng thử)…", self)
            try_demo.setToolTip(
                "Khóa sổ thật và mở sổ mẫu (người không có thật) để tập dùng; "
                "về sổ thật: Sổ → Về sổ thật (hỏi lại mật khẩu)."
            )
            try_demo.triggered.connect(self.demo_requested.emit)
            book_menu.addAction(try_demo)
        book_menu.addSeparator()
        quit_action = QtGui.QAction("Thoát", self)
        quit_action.setShortcut(QtGui.QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        book_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&Hiển thị")
        self.large_text_action = QtGui.QAction("Chế độ chữ lớn", self)
        self.large_text_action.setCheckable(True)
        self.large_text_action.setChecked(self.ctx.settings.large_text)
        self.large_text_action.setShortcut(QtGui.QKeySequence("Ctrl+="))
        self.large_text_action.toggled.connect(self.text_size_toggled.emit)
        view_menu.addAction(self.large_text_action)
        idle = QtGui.QAction("Tự khóa khi không dùng…", self)
        idle.triggered.connect(self.choose_idle_minutes)
        view_menu.addAction(idle)

    # -- sections ------------------------------------------------------------------------
    def section(self, key: str) -> Section:
        """The section's widget, created on first use."""
        if key not in self.sections:
            _key, title, module_name, cls_name = next(s for s in SECTIONS if s[0] == key)
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                widget: Section = NotYetSection(self.ctx, title)
            else:
                widget = getattr(module, cls_name)(self.ctx)
            widget.changed.connect(self.on_data_changed)
            self.sections[key] = widget
            self.ctx.listeners.append(widget)
            # In a scroll area, so a section that needs more room than an old 1366×768 screen
            # offers (large-text mode) scrolls instead of pushing the window off the screen.
            holder = QtWidgets.QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
            holder.setWidget(widget)
            self._holders[key] = holder
            self.pages.addWidget(holder)
        return self.sections[key]

    def show_section(self, key: str) -> Section:
        row = next(i for i, s in enumerate(SECTIONS) if s[0] == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.sections[key]

    def current_section_key(self) -> str:
        row = self.nav.currentRow()
        return SECTIONS[row][0] if 0 <= row < len(SECTIONS) else SECTIONS[0][0]

    def show_section_at(self, row: int) -> None:
        if row < 0:
            return
        widget = self.section(SECTIONS[row][0])
        self.pages.setCurrentWidget(self._holders[SECTIONS[row][0]])
        widget.on_shown()

    def may_leave(self) -> bool:
        """Every open page agrees to be dropped (each may ask about unsaved edits)."""
        return all(section.may_leave() for section in self.sections.values())

    def save_unsaved(self) -> None:
        for section in self.sections.values():
            section.save_unsaved()

    def on_data_changed(self, changes: OpChanges | None) -> None:
        for widget in self.sections.values():
            if widget is not self.sender() and widget.isVisible():
                widget.refresh(changes)
        self.refresh_status()

    def refresh_status(self) -> None:
        from app.services import sync_state

        def done(status: sync_state.SyncStatus) -> None:
            self.sync_label.setText(self.sync_status_text(status))

        book = self.ctx.book  # read here, on the GUI thread
        self.ctx.runner.run(self, lambda: sync_state.status(book), on_success=done)

    def sync_status_text(self, status: sync_state.SyncStatus) -> str:
        if not status.enrolled:
            # Nothing is waiting for a server that does not exist: no false alarm.
            return "Đồng bộ: chưa thiết lập (xem phần Đồng bộ)"
        text = f"Chờ đồng bộ: {status.pending}"
        auto = getattr(self, "auto_sync", None)
        if auto is not None and auto.offline_reason:
            text = f"Không kết nối được máy chủ, sẽ thử lại · {text}"
        if status.needing_attention:
            text += f" · Cần xem: {status.needing_attention}"
        from ui.sync.labels import last_sync_text

        return f"{text} · {last_sync_text(status.last_sync_at, label='Đồng bộ lần cuối')}"

    def start_auto_sync(self) -> None:
        """Sync in the background from start-up (every few minutes, when enrolled)."""
        from ui.sync.auto_sync import AutoSync

        self.auto_sync = AutoSync(self.ctx, parent=self)
        self.ctx.auto_sync = self.auto_sync
        self.auto_sync.finished.connect(lambda _r: self.refresh_status())
        self.auto_sync.failed.connect(lambda _e: self.refresh_status())
        self.auto_sync.start()
        QtCore.QTimer.singleShot(3_000, self.auto_sync, lambda: self.auto_sync.run_now(quiet=True))

    # -- commands ------------------------------------------------------------------------
    def backup(self) -> None:
        path = save_file(
            self,
            FileKind.BACKUP,
            "Sao lưu sổ",
            default_backup_name(),
            "Bản sao lưu Sổ tay (*.sotaybak)",
        )
        if not path:
            return
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: book.backup(Path(path)),
            on_success=lambda dest: self.ctx.message.info(
                "Đã sao lưu", f"Đã sao lưu sổ vào {dest}."
            ),
            on_failure=lambda e: self.ctx.message.error("Không sao lưu được", str(e)),
            label="Đang sao lưu…",
        )

    def choose_restore(self) -> None:
        from ui.book.restore_dialog import RestoreDialog

        dialog = RestoreDialog(
            self.ctx.book.data_dir, self.ctx.runner, self.ctx.message, self, book=self.ctx.book
        )
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restore_requested.emit(dialog.chosen)

    def show_settings(self) -> None:
        from ui.book.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            branch = self.ctx.book.branch()
            title = f"Sổ tay Chi bộ — {branch.name}"
            if self.demo:
                title += " — SỔ MẪU, không nhập dữ liệu thật"
            self.setWindowTitle(title)
            self.on_data_changed(None)
            if dialog.idle_minutes_changed:
                self._apply_idle_minutes(self.ctx.settings.idle_lock_minutes)
            if dialog.large_text.isChecked() != self.large_text_action.isChecked():
                self.large_text_action.setChecked(dialog.large_text.isChecked())

    def change_password(self) -> None:
        from ui.book.password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx, self)
        dialog.exec()

    def show_history(self) -> None:
        from ui.book.history_dialog import HistoryDialog

        HistoryDialog(self.ctx, parent=self).exec()

    def choose_idle_minutes(self) -> None:
        minutes, ok = QtWidgets.QInputDialog.getInt(
            self,
            "Tự khóa sổ",
            "Tự khóa sổ sau bao nhiêu phút không dùng (0 = không tự khóa):",
            self.ctx.settings.idle_lock_minutes,
            0,
            240,
        )
        if ok:
            self.ctx.settings.idle_lock_minutes = minutes
            self.ctx.save_settings()
            self._apply_idle_minutes(minutes)

    @staticmethod
    def _apply_idle_minutes(minutes: int) -> None:
        app = QtWidgets.QApplication.instance()
        controller = getattr(app, "sotay_controller", None)
        if controller is not None:
            controller.idle.set_minutes(minutes)

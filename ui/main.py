"""Starting the window: one instance per book, first start or unlock, lock and unlock again."""

from __future__ import annotations

import hashlib
import importlib
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from app.paths import LOG_DIR
from app.settings import Settings
from app.storage.instance_lock import InstanceLock
from app.unlock import book_exists
from ui import startup_probe
from ui.messages import Messages
from ui.qt import QtCore, QtGui, QtNetwork, QtWidgets
from ui.style import apply_text_size
from ui.tasks import TaskRunner
from ui.translations import install_vietnamese
from ui.widgets.section import AppContext

if TYPE_CHECKING:
    from app.book import Book
    from ui.main_window import MainWindow

log = logging.getLogger("sotay.ui")


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"sotay-chibo-{digest}"


class Controller(QtCore.QObject):
    """Owns the book's lifetime in the GUI: unlock → main window → lock → unlock …"""

    def __init__(
        self,
        app: QtWidgets.QApplication,
        data_dir: Path,
        *,
        demo: bool = False,
        synchronous: bool = False,
        messages: Messages | None = None,
    ) -> None:
        super().__init__()
        self.app = app
        self.data_dir = data_dir
        self.demo = demo
        self.settings = Settings.load(data_dir)
        self.runner = TaskRunner(synchronous=synchronous, parent=self)
        self.messages = messages or Messages()
        self.runner.on_known_error = lambda e: self.messages.error("Sổ tay Chi bộ", str(e))
        self.runner.on_crash = self._crash
        self.window: MainWindow | None = None
        self.instance_lock: InstanceLock | None = None  # run_gui's; released for a restore
        self._locking = False
        self._locked_folder = data_dir
        # The page shown when the book was locked, shown again after unlocking it (per folder).
        self._locked_section: tuple[Path, str] | None = None
        self.book: Book | None = None
        self.ctx: AppContext | None = None
        from ui.idle import IdleWatcher

        self.idle = IdleWatcher(self.settings.idle_lock_minutes, self.lock_idle, parent=self)
        app.installEventFilter(self.idle)
        app.sotay_controller = self  # type: ignore[attr-defined]
        install_vietnamese(app)  # Qt's own dialogs in Vietnamese, Vietnamese locale
        apply_text_size(app, large=self.settings.large_text, scale=self.settings.text_scale)

    # -- start ---------------------------------------------------------------------------
    @property
    def demo_dir(self) -> Path:
        """The demo book lives apart from the real one, so it can never stand in its way."""
        return self.data_dir / "demo"

    def start(self) -> bool:
        """Show the first dialog. False when the user gave up (the app should quit)."""
        if self.demo:  # `sotay gui --demo`: the demo book, even when a real book exists
            return self._open_demo()
        if book_exists(self.data_dir):
            return self._unlock(self.data_dir)
        return self._first_start()

    def _first_start(self) -> bool:
        from ui.book.first_start import FirstStartWizard

        wizard = FirstStartWizard(self.data_dir, self.runner, self.messages)
        if wizard.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return False
        if wizard.use_demo:
            return self._open_demo()
        assert wizard.book is not None
        self.open_main(wizard.book)
        return True

    def _open_demo(self) -> bool:
        """Open (creating on first use) the demo branch; its password is public on purpose."""
        from app.demo import DEMO_PASSWORD, create_demo_book
        from app.unlock import unlock

        if book_exists(self.demo_dir):
            book = unlock(self.demo_dir, password=DEMO_PASSWORD)
        else:
            book = create_demo_book(self.demo_dir)
        self.open_main(book)
        return True

    def create_real_book(self) -> None:
        """From the demo: lock it and run the first-start wizard for the branch's own book."""
        if book_exists(self.data_dir):
            self.messages.info(
                "Đã có sổ", "Máy này đã có sổ của chi bộ. Hãy khóa sổ mẫu và mở sổ thật."
            )
            return
        if not self._pages_may_leave():
            return
        self._drop_book()
        QtCore.QTimer.singleShot(0, self._after_demo)

    def _after_demo(self) -> None:
        if not self._first_start():
            self.app.quit()

    def open_demo_from_real(self) -> None:
        """Sổ → Mở sổ mẫu (dùng thử)…: the real book is locked (its password is asked again
        to go back) and the demo book opens, through the same path as a lock."""
        if self.book is None or self.is_demo() or self._locking:
            return
        if not self._pages_may_leave():
            return
        self._leave_book(then=self._after_switch_to_demo)

    def _after_switch_to_demo(self) -> None:
        from app.errors import KnownError

        try:
            self._open_demo()
        except KnownError as exc:
            self.messages.error("Không mở được sổ mẫu", str(exc))
            self._after_lock()  # back to the real book's unlock

    def back_to_real_book(self) -> None:
        """From the demo (Sổ → Về sổ thật): lock the demo and ask the real book's password."""
        if self.book is None or not self.is_demo() or self._locking:
            return
        if not book_exists(self.data_dir):
            return
        if not self._pages_may_leave():
            return
        self._drop_book()
        self._locked_folder = self.data_dir
        QtCore.QTimer.singleShot(0, self._after_lock)

    def _remember_section(self) -> None:
        window = self.window
        if window is not None and self.book is not None:
            self._locked_section = (self.book.data_dir, window.current_section_key())

    def is_demo(self, book: Book | None = None) -> bool:
        book = book or self.book
        return book is not None and book.data_dir.resolve() == self.demo_dir.resolve()

    def _unlock(self, folder: Path) -> bool:
        from ui.book.unlock_dialog import UnlockDialog

        hint = ""
        if folder == self.demo_dir:
            from app.demo import DEMO_PASSWORD

            hint = f"Sổ mẫu để dùng thử (dữ liệu không có thật). Mật khẩu: {DEMO_PASSWORD}"
        dialog = UnlockDialog(folder, self.runner, hint=hint)
        # SQLAlchemy and the models load while the password is typed, once the dialog is
        # on screen (not before: the import would compete with drawing it).
        _PreloadAtFirstPaint(dialog)
        # Remembered on this computer: try the keyring first, silently.
        from app.errors import KnownError
        from app.paths import KEYS_FILE
        from app.storage.keys import KeyFile

        remembered = None
        try:
            if "keyring" in KeyFile.load(folder / KEYS_FILE).slots:
                from app.book import open_book

                remembered = open_book(folder, use_keyring=True, password=None)
        except KnownError:
            remembered = None
        if remembered is not None:
            self.open_main(remembered)
            return True
        if startup_probe.enabled():
            startup_probe.watch_unlock_dialog(dialog)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted or dialog.book is None:
            return False
        self.open_main(dialog.book)
        return True

    def open_main(self, book: Book) -> None:
        from ui.main_window import MainWindow

        if self.settings.actor_name:
            book.actor = self.settings.actor_name
        self.book = book
        self.ctx = AppContext(
            book=book,
            runner=self.runner,
            settings=self.settings,
            message=self.messages,
            settings_dir=self.data_dir,
        )
        demo = self.is_demo(book)
        window = MainWindow(
            self.ctx, demo=demo, real_book_exists=demo and book_exists(self.data_dir)
        )
        window.create_real_book_requested.connect(self.create_real_book)
        window.demo_requested.connect(self.open_demo_from_real)
        window.real_book_requested.connect(self.back_to_real_book)
        self.messages.parent = window
        window.lock_requested.connect(self.lock)
        window.text_size_toggled.connect(self.set_large_text)
        window.restore_requested.connect(self.restore_from)
        self.window = window
        if self._locked_section is not None:
            folder, key = self._locked_section
            if folder.resolve() == book.data_dir.resolve():
                self._locked_section = None
                window.show_section(key)  # back on the page she locked on
        window.show()
        if startup_probe.enabled():
            startup_probe.watch_main_window(self)
        window.start_auto_sync()
        self.idle.set_minutes(self.settings.idle_lock_minutes)
        if not self.is_demo(book):
            from app.services import backups

            # At most one automatic backup a day (and one after each closed meeting).
            self.runner.run(None, lambda: backups.backup_if_due(book), label="")

    # -- lock ----------------------------------------------------------------------------
    def lock(self) -> None:
        """One ordered method: close child dialogs, clear the clipboard, drop the book whole."""
        if self.book is None or self._locking:
            return
        if not self._pages_may_leave():
            return
        self._leave_book(then=self._after_lock)

    def _leave_book(self, *, then: Callable[[], None]) -> None:
        """Lock the open book (its page remembered, its folder the one to unlock again),
        then `then` once the event loop turns."""
        assert self.book is not None
        self._remember_section()
        self._locked_folder = self.book.data_dir
        self._drop_book()
        QtCore.QTimer.singleShot(0, then)

    def lock_idle(self) -> None:
        """Locked for inactivity: nobody is there to answer, so typed edits are kept."""
        if self.book is None or self._locking:
            return
        if self.window is not None:
            self.window.save_unsaved()
            self.runner.wait_responsive()
        self._leave_book(then=self._after_lock)

    def _pages_may_leave(self) -> bool:
        window = self.window
        return window is None or window.may_leave()

    def restore_from(self, backup_file: Path) -> None:
        """Replace the open book with a backup: lock it, ask the backup's password, check
        and swap (app.book.restore keeps the current book as a backup), then unlock."""
        if self.book is None:
            return
        from ui.book.restore_dialog import RestorePasswordDialog

        if not self._pages_may_leave():
            return
        folder = self.book.data_dir
        self._locked_folder = folder
        self._drop_book()
        if self.instance_lock is not None:
            self.instance_lock.release()  # restore() refuses while a program holds the book
        try:
            RestorePasswordDialog(folder, Path(backup_file), self.runner, self.messages).exec()
        finally:
            if self.instance_lock is not None:
                self.instance_lock.acquire()
        QtCore.QTimer.singleShot(0, self._after_lock)

    def _drop_book(self) -> None:
        if self.book is None:
            return
        self._locking = True
        try:
            self.idle.timer.stop()
            for widget in QtWidgets.QApplication.topLevelWidgets():
                if isinstance(widget, QtWidgets.QDialog) and widget.isVisible():
                    widget.reject()
            clipboard = QtGui.QGuiApplication.clipboard()
            if clipboard is not None:
                clipboard.clear()
            window = self.window
            detach = getattr(window, "detach", None)
            if detach is not None:
                detach()
            if window is not None and self.runner.running:
                # Tasks still reading the book finish first; the window keeps painting
                # (no frozen window), but takes no clicks meanwhile.
                window.setEnabled(False)
                window.statusBar().showMessage("Đang khóa sổ…")
            self.runner.closing = True
            try:
                self.runner.wait_responsive()
            finally:
                self.runner.closing = False
            if window is not None:
                self.messages.parent = None
                window.hide()
                window.deleteLater()
                self.window = None
            self.ctx = None
            self.book.close()
            self.book = None
        finally:
            self._locking = False

    def _after_lock(self) -> None:
        if not self._unlock(self._locked_folder):
            self.app.quit()

    def set_large_text(self, on: bool) -> None:
        self.settings.large_text = on
        self.settings.save(self.data_dir)
        apply_text_size(self.app, large=on, scale=self.settings.text_scale)
        fit = getattr(self.window, "fit_navigation", None)
        if fit is not None:
            fit()

    def shutdown(self) -> None:
        self.runner.wait()
        if self.book is not None:
            self.book.close()
            self.book = None

    def _crash(self, error: BaseException, trace: str = "") -> None:
        from app import crashlog

        path = self.data_dir / LOG_DIR / "sotay-crash.log"
        where = f" Chi tiết được ghi vào {path}." if crashlog.write(path, error) else ""
        self.messages.error(
            "Lỗi chương trình",
            f"Đã xảy ra lỗi không mong đợi.{where} Dữ liệu đã lưu trước đó không bị ảnh hưởng.",
        )


def _notify_running_instance(name: str) -> bool:
    """True when another instance answered (it brings its window to the front)."""
    socket = QtNetwork.QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(500):
        return False
    socket.write(b"raise\n")
    socket.flush()
    socket.waitForBytesWritten(500)
    socket.disconnectFromServer()
    return True


def _listen_for_second_instance(name: str, controller: Controller) -> QtNetwork.QLocalServer:
    server = QtNetwork.QLocalServer(controller)
    QtNetwork.QLocalServer.removeServer(name)  # a stale socket from a crash
    if not server.listen(name):
        # The book lock still keeps a second program away; only "bring the open window to
        # the front" is lost. Say so in the log rather than fail the start.
        log.warning(
            "Single-instance server not listening (%s): a second start will say the book "
            "is open instead of raising this window.",
            server.errorString(),
        )

    def on_connection() -> None:
        conn = server.nextPendingConnection()
        if conn is not None:
            conn.deleteLater()
        window = controller.window
        if window is not None:
            window.setWindowState(window.windowState() & ~QtCore.Qt.WindowState.WindowMinimized)
            window.show()
            window.raise_()
            window.activateWindow()

    server.newConnection.connect(on_connection)
    return server


def run_gui(*, data_dir: Path, demo: bool = False) -> int:
    data_dir.mkdir(parents=True, exist_ok=True)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName("Sổ tay Chi bộ")
    app.setQuitOnLastWindowClosed(False)
    _use_bundled_fonts()
    name = server_name(data_dir)
    lock = InstanceLock(data_dir / "book.lock")
    if not lock.acquire():
        if _notify_running_instance(name):
            print("Sổ tay Chi bộ đang mở với sổ này; đã đưa cửa sổ lên trước.", file=sys.stderr)
        else:
            print("Sổ này đang được mở bởi một chương trình khác.", file=sys.stderr)
        return 0
    controller = Controller(app, data_dir, demo=demo)
    controller.instance_lock = lock
    _server = _listen_for_second_instance(name, controller)
    sys.excepthook = _excepthook(controller)
    try:
        if not controller.start():
            return 0
        window = controller.window

        def maybe_quit() -> None:
            if controller.window is None and controller.book is None:
                return  # locked: the unlock dialog decides
            app.quit()

        if window is not None:
            window.destroyed.connect(lambda *_: None)
        app.lastWindowClosed.connect(maybe_quit)
        return int(app.exec())
    finally:
        controller.shutdown()
        lock.release()


# What opening the book and the main window need, imported while the unlock dialog waits
# for the password (about half a second on an office PC, mostly SQLAlchemy and the models).
# Importing them in a thread is safe: at import time they define classes and make plain
# values (QColor) only, no widgets, pixmaps or other objects tied to the GUI thread.
PRELOAD = (
    "app.book",
    "app.unlock",
    "app.services.overview",
    "app.services.dashboard",
    "app.services.backups",
    "ui.main_window",
    "ui.overview.section",
)


_preloading: threading.Thread | None = None


class _PreloadAtFirstPaint(QtCore.QObject):
    def __init__(self, widget: QtWidgets.QWidget) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)

    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QtCore.QTimer.singleShot(0, _preload_in_background)
        return False


def _preload_in_background() -> threading.Thread:
    """Import PRELOAD on a background thread (once per process)."""
    global _preloading
    if _preloading is not None:
        return _preloading

    def work() -> None:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception:  # the real import on the GUI thread reports it properly
                log.exception("Preloading %s failed", name)
                return

    _preloading = threading.Thread(target=work, name="sotay-preload", daemon=True)
    _preloading.start()
    return _preloading


def _use_bundled_fonts() -> None:
    from app.resources import resource_path

    for path in resource_path("fonts").glob("*.ttf"):
        QtGui.QFontDatabase.addApplicationFont(str(path))


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def _excepthook(controller: Controller) -> ExceptHook:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        controller._crash(exc)

    return hook

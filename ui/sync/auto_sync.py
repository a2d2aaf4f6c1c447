"""Sync in the background while the program is open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services import sync_state
from ui.qt import QtCore, Signal
from ui.widgets.section import AppContext

if TYPE_CHECKING:
    from sync.client import SyncReport


AUTO_SYNC_MINUTES = 10


class AutoSync(QtCore.QObject):
    """Sync in the background every few minutes while enrolled, and on demand.

    A run that fails because the network is away is quiet (it will try again); one that needs
    the secretary (enrol again, update) is reported through `failed`.
    """

    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # KnownError

    def __init__(
        self,
        ctx: AppContext,
        *,
        minutes: int = AUTO_SYNC_MINUTES,
        parent: QtCore.QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.running = False
        # Set when the last automatic run could not reach the server (it tries again later);
        # the status bar says so instead of showing an error box.
        self.offline_reason: str | None = None
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(lambda: self.run_now(quiet=True))

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run_now(self, *, quiet: bool = False) -> bool:
        if self.running or not self.ctx.book.is_open:
            return False
        if not sync_state.load_config(self.ctx.book).enrolled:
            return False
        from sync.client import run_sync

        book = self.ctx.book
        self.running = True

        def done(report: SyncReport) -> None:
            self.running = False
            self.offline_reason = None
            self.finished.emit(report)

        def failed(exc: BaseException) -> None:
            self.running = False
            if getattr(exc, "retry_later", False):
                self.offline_reason = str(exc)
            if not (quiet and getattr(exc, "retry_later", False)):
                self.failed.emit(exc)
            else:
                self.finished.emit(None)

        self.ctx.runner.run(
            self, lambda: run_sync(book), on_success=done, on_failure=failed, label="Đang đồng bộ…"
        )
        return True

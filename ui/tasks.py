"""One background task runner for the whole UI (like Anki's CollectionOp / QueryOp).

`runner.run(fn, on_success=..., on_failure=...)` runs fn on a worker thread and calls the
callbacks on the GUI thread. A KnownError goes to on_failure (or a message box); anything
else is a bug and goes to the crash handler. In tests the runner is synchronous.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from app.errors import KnownError
from ui.qt import QtCore, Signal

log = logging.getLogger("sotay.ui")


class _Relay(QtCore.QObject):
    done = Signal(object, object, object, object)  # on_success, on_failure, result, error


class _Job(QtCore.QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, ok: Any, fail: Any) -> None:
        super().__init__()
        self.fn, self.relay, self.ok, self.fail = fn, relay, ok, fail

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            self.relay.done.emit(self.ok, self.fail, None, exc)
        else:
            self.relay.done.emit(self.ok, self.fail, result, None)


class TaskRunner(QtCore.QObject):
    busy_changed = Signal(bool, str)

    def __init__(self, *, synchronous: bool = False, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay()
        self._relay.done.connect(self._finish)
        self._running = 0
        self.on_known_error: Callable[[KnownError], None] | None = None
        self.on_crash: Callable[[BaseException, str], None] | None = None

    @property
    def running(self) -> int:
        return self._running

    def run(
        self,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> None:
        self._running += 1
        self.busy_changed.emit(True, label)
        if self.synchronous:
            try:
                result = fn()
            except BaseException as exc:
                self._finish(on_success, on_failure, None, exc)
            else:
                self._finish(on_success, on_failure, result, None)
            return
        self.pool.start(_Job(fn, self._relay, on_success, on_failure))

    def _finish(self, ok: Any, fail: Any, result: Any, error: BaseException | None) -> None:
        self._running -= 1
        self.busy_changed.emit(self._running > 0, "")
        if error is None:
            if ok is not None:
                ok(result)
            return
        if not isinstance(error, KnownError):
            from app.storage import db_errors

            error = db_errors.translate(error) or error
        if isinstance(error, KnownError):
            if fail is not None:
                fail(error)
            elif self.on_known_error is not None:
                self.on_known_error(error)
            return
        from app import crashlog

        trace = crashlog.safe_trace(error)  # no exception text: it may quote members' data
        log.error("Background task failed\n%s", trace)
        if fail is not None and not isinstance(error, Exception):
            raise error
        if self.on_crash is not None:
            self.on_crash(error, trace)
        elif fail is not None:
            fail(error)
        else:
            raise error

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued jobs are done (used on shutdown and in a few tests)."""
        ok = self.pool.waitForDone(msecs)
        QtCore.QCoreApplication.processEvents()
        return bool(ok)

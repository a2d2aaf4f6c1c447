"""One background task runner for the whole UI (like Anki's CollectionOp / QueryOp).

`runner.run(widget, fn, on_success=..., on_failure=...)` runs fn on a worker thread and
calls the callbacks on the GUI thread — but only while `owner` still exists (like KeePassXC's
`AsyncTask::runThenCallback` with a context object): a result for a closed dialog or a window
dropped at lock is discarded. A KnownError goes to on_failure (or a message box); anything
else is a bug and goes to the crash handler. In tests the runner may be synchronous.

Thread rules, kept by construction:
  * the worker thread only calls `fn`; fn must not touch Qt objects (read widget values on
    the GUI thread first and capture the plain values);
  * every Python reference to fn, its callbacks, its result and its error is held by the
    runner on the GUI thread and released there, so no closure that captured a widget can be
    freed (and the widget destroyed) on a worker thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6

from app.errors import KnownError
from ui.qt import QtCore, Signal

log = logging.getLogger("sotay.ui")


@dataclass
class _Pending:
    fn: Callable[[], Any] | None
    owner: QtCore.QObject | None
    has_owner: bool
    ok: Callable[[Any], object] | None
    fail: Callable[[BaseException], object] | None
    result: Any = None
    error: BaseException | None = None


class _Relay(QtCore.QObject):
    done = Signal(int)  # job id: everything else stays in TaskRunner._pending


class _Job(QtCore.QRunnable):
    def __init__(self, job_id: int, runner: TaskRunner) -> None:
        super().__init__()
        self.job_id = job_id
        self.pending = runner._pending  # the dict itself, not the QObject
        self.relay = runner._relay

    def run(self) -> None:
        entry = self.pending[self.job_id]
        fn = entry.fn
        assert fn is not None
        try:
            entry.result = fn()
        except BaseException as exc:  # handed to the GUI thread
            entry.error = exc
        # Drop this thread's references before the GUI thread may release the last ones.
        fn = None
        entry = None  # type: ignore[assignment]
        self.relay.done.emit(self.job_id)


class TaskRunner(QtCore.QObject):
    busy_changed = Signal(bool, str)

    def __init__(self, *, synchronous: bool = False, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._relay = _Relay()
        self._relay.done.connect(self._finish)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)
        self._running = 0
        self.dropped = 0  # results discarded because their owner was gone (for tests)
        # While the book is being locked, windows may not start new work on it.
        self.closing = False
        self.on_known_error: Callable[[KnownError], None] | None = None
        self.on_crash: Callable[[BaseException, str], None] | None = None

    @property
    def running(self) -> int:
        return self._running

    def run(
        self,
        owner: QtCore.QObject | None,
        fn: Callable[[], Any],
        *,
        on_success: Callable[[Any], object] | None = None,
        on_failure: Callable[[BaseException], object] | None = None,
        label: str = "",
    ) -> None:
        """Run fn in the background; deliver its outcome only while `owner` exists.

        `owner` is the widget that asked (None only for work that belongs to no window)."""
        assert threading.current_thread() is threading.main_thread(), "run() from the GUI thread"
        if self.closing and owner is not None:
            log.debug("Task for %s not started: the book is being locked", type(owner).__name__)
            return
        job_id = next(self._ids)
        self._pending[job_id] = _Pending(
            fn=fn, owner=owner, has_owner=owner is not None, ok=on_success, fail=on_failure
        )
        self._running += 1
        self.busy_changed.emit(True, label)
        if self.synchronous:
            entry = self._pending[job_id]
            try:
                entry.result = fn()
            except BaseException as exc:
                entry.error = exc
            # The error's traceback holds this frame: drop `entry` so no cycle keeps a
            # closed-over dialog alive until a garbage collection in the middle of a paint.
            del entry
            self._finish(job_id)
            return
        self.pool.start(_Job(job_id, self))

    def _finish(self, job_id: int) -> None:
        entry = self._pending.pop(job_id)
        self._running -= 1
        self.busy_changed.emit(self._running > 0, "")
        if entry.has_owner and (entry.owner is None or not shiboken6.isValid(entry.owner)):
            self.dropped += 1
            return
        self._deliver(entry.ok, entry.fail, entry.result, entry.error)

    def _deliver(self, ok: Any, fail: Any, result: Any, error: BaseException | None) -> None:
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

    def wait_responsive(self, msecs: int = 30_000) -> bool:
        """Wait for running tasks while the event loop keeps the window painting (at lock).

        True when nothing is running any more."""
        if self._running == 0:
            return True
        loop = QtCore.QEventLoop()
        timer = QtCore.QTimer()
        timer.setInterval(20)
        deadline = QtCore.QDeadlineTimer(msecs)

        def check() -> None:
            if self._running == 0 or deadline.hasExpired():
                loop.quit()

        timer.timeout.connect(check)
        timer.start()
        loop.exec(QtCore.QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        timer.stop()
        return self._running == 0

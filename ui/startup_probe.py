"""Timing marks on the real start path, for bench/startup.py (never on in normal use).

With SOTAY_STARTUP_PROBE=1 the program prints `PROBE <mark> <unix time>` lines on stdout:
`dialog` at the unlock dialog's first paint, `submitted` when the password (from
SOTAY_STARTUP_PROBE_PASSWORD, after SOTAY_STARTUP_PROBE_TYPING_MS of "typing") is put in
through the dialog's own submit(), `window` at the
main window's first paint, `overview` when Tổng quan shows its dashboard; then it quits.
The bench starts `sotay gui` (source or built) as a user does and reads these lines.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from ui.qt import QtCore, QtWidgets

ENV = "SOTAY_STARTUP_PROBE"


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def mark(name: str) -> None:
    if sys.stdout is not None:
        print(f"PROBE {name} {time.time():.6f}", flush=True)


class _FirstPaint(QtCore.QObject):
    def __init__(self, widget: QtWidgets.QWidget, name: str, then: Any = None) -> None:
        super().__init__(widget)
        self.name, self.then, self.done = name, then, False
        widget.installEventFilter(self)

    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if not self.done and event.type() == QtCore.QEvent.Type.Paint:
            self.done = True
            mark(self.name)
            if self.then is not None:
                QtCore.QTimer.singleShot(0, self.then)
        return False


def watch_unlock_dialog(dialog: Any) -> None:
    """At the dialog's first paint: mark it, type the password and submit as a user would."""

    def type_password() -> None:
        dialog.password.setText(os.environ.get(ENV + "_PASSWORD", ""))
        mark("submitted")
        dialog.submit()

    typing_ms = int(os.environ.get(ENV + "_TYPING_MS", "0") or 0)  # how long the user types

    def after_typing() -> None:
        QtCore.QTimer.singleShot(typing_ms, type_password)

    _FirstPaint(dialog, "dialog", after_typing)


def watch_main_window(controller: Any) -> None:
    window = controller.window
    if window is None:
        return

    def wait_for_overview() -> None:
        timer = QtCore.QTimer(window)
        started = time.monotonic()

        def poll() -> None:
            overview = window.section("overview")
            filled = getattr(overview, "dashboard", None) is not None
            if (filled and controller.runner.running == 0) or time.monotonic() - started > 60:
                timer.stop()
                mark("overview" if filled else "overview-timeout")
                QtCore.QTimer.singleShot(0, controller.app.quit)

        timer.timeout.connect(poll)
        timer.start(5)

    _FirstPaint(window, "window", wait_for_overview)

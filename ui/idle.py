"""Lock after N idle minutes: an application-wide event filter restarts a timer."""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QtCore

_ACTIVITY = {
    QtCore.QEvent.Type.KeyPress,
    QtCore.QEvent.Type.MouseButtonPress,
    QtCore.QEvent.Type.MouseMove,
    QtCore.QEvent.Type.Wheel,
    QtCore.QEvent.Type.TouchBegin,
}


class IdleWatcher(QtCore.QObject):
    def __init__(
        self, minutes: int, on_idle: Callable[[], None], parent: QtCore.QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.on_idle = on_idle
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0:
            self.timer.start(minutes * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        """For tests: a short idle period."""
        self.timer.stop()
        self.timer.start(ms)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def _fire(self) -> None:
        self.on_idle()

"""The mouse wheel never changes a choice the user did not pick: a drop-down, a number, a
date or time field or a slider ignores the wheel unless it has the keyboard focus (clicked or
reached with Tab); the wheel then scrolls the form under it, as the user meant.

One event filter on the application (`install`) covers every window, the tour's included:
a form scrolled with the wheel used to change "Loại biểu quyết" or "Trạng thái" as the field
passed under the pointer.
"""

from __future__ import annotations

from ui.qt import QtCore, QtGui, QtWidgets

_GUARD = "_sotay_wheel_guard"
GUARDED: tuple[type[QtWidgets.QWidget], ...] = (
    QtWidgets.QComboBox,
    QtWidgets.QAbstractSpinBox,  # spin boxes, date, time and date-time edits
    QtWidgets.QSlider,
    QtWidgets.QDial,
)


def guarded(widget: QtCore.QObject) -> bool:
    """A field whose value the wheel would change (a scroll bar is not one)."""
    return isinstance(widget, GUARDED)


def _focused(widget: QtWidgets.QWidget) -> bool:
    if widget.hasFocus():
        return True
    focus = QtWidgets.QApplication.focusWidget()
    return focus is not None and widget.isAncestorOf(focus)


class WheelGuard(QtCore.QObject):
    """Application event filter: see the module's docstring."""

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        kind = event.type()
        if kind == QtCore.QEvent.Type.Polish and guarded(watched):
            assert isinstance(watched, QtWidgets.QWidget)
            # Qt gives such a field the focus on a wheel turn (WheelFocus); only a click or
            # Tab may, so the wheel over it scrolls the form instead.
            if watched.focusPolicy() == QtCore.Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
            return False
        if kind != QtCore.QEvent.Type.Wheel or not guarded(watched):
            return False
        assert isinstance(watched, QtWidgets.QWidget) and isinstance(event, QtGui.QWheelEvent)
        if _focused(watched):
            return False
        _pass_to_parents(watched, event)
        event.accept()  # handled here: Qt passes it on no further
        return True


def _pass_to_parents(widget: QtWidgets.QWidget, event: QtGui.QWheelEvent) -> None:
    """What Qt does with a wheel turn a widget ignores: each parent in turn (the form, the
    scroll area's viewport …) is offered it until one takes it."""
    position = event.position()
    target = widget
    while not target.isWindow() and not target.testAttribute(
        QtCore.Qt.WidgetAttribute.WA_NoMousePropagation
    ):
        position = position + QtCore.QPointF(target.pos())
        parent = target.parentWidget()
        if parent is None:
            return
        target = parent
        passed = QtGui.QWheelEvent(
            position,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
        )
        passed.setAccepted(True)
        QtWidgets.QApplication.sendEvent(target, passed)
        if passed.isAccepted():
            return


def install(app: QtWidgets.QApplication) -> WheelGuard:
    """Put the guard on `app` (once; calling again returns the same guard)."""
    guard = app.findChild(WheelGuard, _GUARD)
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName(_GUARD)
        app.installEventFilter(guard)
        # Fields already made before the guard came lose their wheel focus too.
        for widget in app.allWidgets():
            if guarded(widget) and widget.focusPolicy() == QtCore.Qt.FocusPolicy.WheelFocus:
                widget.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
    return guard

"""Fit an existing dialog to the screen the first time it is shown.

For dialogs that are not a `ScrollingDialog` (their own layout already scrolls, or a single
text view takes the space): `fit_on_show(dialog, 900, 700)` opens it at 900×700 or smaller,
never beyond the available screen, wherever it was placed.
"""

from __future__ import annotations

from ui.qt import QtCore, QtWidgets
from ui.widgets.fit import fit_to_screen


class _FitOnShow(QtCore.QObject):
    def __init__(self, window: QtWidgets.QWidget, width: int, height: int) -> None:
        super().__init__(window)
        self.size = (width, height)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Show and isinstance(watched, QtWidgets.QWidget):
            watched.removeEventFilter(self)
            fit_to_screen(watched, *self.size)
        return False


def fit_on_show(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """Open `window` at width×height (pixels) or smaller, whole on its screen."""
    window.resize(width, height)
    window.installEventFilter(_FitOnShow(window, width, height))


def scrolling_body(layout: QtWidgets.QBoxLayout) -> QtWidgets.QWidget:
    """Add a scrolling part to a dialog's `layout` (taking the spare height) and return the
    widget to put the form on; what is added to `layout` afterwards (errors, buttons) stays
    visible below it."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # The form's first field takes the caret when the dialog opens, not the scroll area.
    area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
    body = QtWidgets.QWidget()
    area.setWidget(body)
    layout.addWidget(area, 1)
    return body

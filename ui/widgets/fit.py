"""Windows that fit the screen they open on (a 1366×768 or 1024×768 office PC).

Every dialog puts its content in a scrolling part and keeps its buttons outside it, and is
never larger than the available screen less room for a taskbar. `ScrollingDialog` is the base
for dialogs with a form; `fit_to_screen` clamps any top-level window.
"""

from __future__ import annotations

from ui.qt import QtCore, QtGui, QtWidgets

# Room left for a taskbar when the platform reports the whole screen as available (Xvfb,
# some Windows setups with an auto-hiding taskbar).
TASKBAR_RESERVE = 40


def available_rect(widget: QtWidgets.QWidget | None = None) -> QtCore.QRect:
    """The part of the screen a window may use: the screen's available geometry, less a
    taskbar's height when the platform reserved none."""
    screen: QtGui.QScreen | None = None
    if widget is not None:
        screen = widget.screen()
    if screen is None:
        screen = QtGui.QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (should not happen): a small office screen
        return QtCore.QRect(0, 0, 1024, 768 - TASKBAR_RESERVE)
    avail = screen.availableGeometry()
    full = screen.geometry()
    if avail.height() >= full.height():
        avail = QtCore.QRect(avail.x(), avail.y(), avail.width(), avail.height() - TASKBAR_RESERVE)
    return avail


def fit_to_screen(
    window: QtWidgets.QWidget, width: int | None = None, height: int | None = None
) -> None:
    """Resize `window` to (width, height) — or its size hint — clamped to the available screen,
    and move it so its whole frame is on the screen."""
    avail = available_rect(window)
    hint = window.sizeHint()
    want_w = width if width is not None else max(hint.width(), window.width())
    want_h = height if height is not None else max(hint.height(), window.height())
    # The frame (title bar, borders) is outside the client size: keep room for it.
    frame_w = max(0, window.frameGeometry().width() - window.geometry().width()) or 8
    frame_h = max(0, window.frameGeometry().height() - window.geometry().height()) or 32
    w = max(200, min(want_w, avail.width() - frame_w))
    h = max(150, min(want_h, avail.height() - frame_h))
    window.setMaximumSize(avail.width() - frame_w, avail.height() - frame_h)
    window.resize(w, h)
    geo = window.frameGeometry()
    x = min(max(geo.x(), avail.x()), avail.right() - w - frame_w + 1)
    y = min(max(geo.y(), avail.y()), avail.bottom() - h - frame_h + 1)
    window.move(max(x, avail.x()), max(y, avail.y()))


class ScrollingDialog(QtWidgets.QDialog):
    """A dialog whose content scrolls and whose buttons always stay visible.

    Put the form into `self.body_layout`; add buttons to `self.buttons`. The dialog opens at
    `preferred` size or smaller, never beyond the available screen.
    """

    def __init__(
        self,
        parent: QtWidgets.QWidget | None = None,
        *,
        title: str = "",
        preferred: QtCore.QSize | None = None,
    ) -> None:
        super().__init__(parent)
        if title:
            self.setWindowTitle(title)
        self._preferred = preferred
        outer = QtWidgets.QVBoxLayout(self)
        self.scroll_area = QtWidgets.QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # The frame never takes the keyboard: the dialog opens with the caret in its first
        # field (a scroll area takes focus by default, and is the first child in tab order).
        self.scroll_area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.body = QtWidgets.QWidget()
        self.body_layout = QtWidgets.QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)
        self.buttons = QtWidgets.QDialogButtonBox()
        outer.addWidget(self.buttons)
        self._fitted = False

    def sizeHint(self) -> QtCore.QSize:
        body = self.body.sizeHint()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        buttons = self.buttons.sizeHint()
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QtCore.QMargins()
        w = max(body.width() + bar, buttons.width()) + margins.left() + margins.right() + 4
        h = body.height() + buttons.height() + margins.top() + margins.bottom() + 16
        if self._preferred is not None:
            w = max(w, self._preferred.width())
            h = min(max(h, 200), max(self._preferred.height(), 200))
        return QtCore.QSize(w, h)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:
            self._fitted = True
            hint = self.sizeHint()
            fit_to_screen(self, hint.width(), hint.height())
            if self.focusWidget() is None:  # unless the dialog chose its own field
                first = self.first_field()
                if first is not None:
                    first.setFocus()
        super().showEvent(event)

    def first_field(self) -> QtWidgets.QWidget | None:
        """The first widget of the form the keyboard reaches. The buttons were made before the
        subclass added its fields, so they come first in tab order: without this the dialog
        opened on its default button."""
        widget = self.body.nextInFocusChain()
        while widget is not None and widget is not self.body:
            if (
                self.body.isAncestorOf(widget)
                and widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus
                and widget.isVisibleTo(self)
                and widget.isEnabled()
                and not isinstance(widget, QtWidgets.QScrollArea)
            ):
                return widget
            widget = widget.nextInFocusChain()
        return None

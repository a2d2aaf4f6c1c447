"""Text size for the whole UI: normal or "chế độ chữ lớn" (large-text mode).

Sizes live in one application style sheet, so switching mode re-styles every open widget,
including headings (widgets mark themselves with a `role` property instead of own fonts).
"""

from __future__ import annotations

from ui.qt import QtGui, QtWidgets
from ui.widgets import wheel_guard

BASE_POINT_SIZE = 11.0  # comfortable on an office monitor even in normal mode
ROLE_FACTORS = {"title": 1.6, "heading": 1.3, "figure": 1.8, "hint": 0.95}


def apply_text_size(app: QtWidgets.QApplication, *, large: bool, scale: float = 1.5) -> float:
    """Scale the application font and the role sizes. Returns the body size in pt.

    Also puts the wheel guard on the application (once): the mouse wheel over a drop-down,
    number, date or slider the user has not clicked scrolls the form instead of changing it."""
    wheel_guard.install(app)
    size = BASE_POINT_SIZE * (scale if large else 1.0)
    font = QtGui.QFont(app.font())
    font.setPointSizeF(size)
    app.setFont(font)
    pad = int(6 * (scale if large else 1.0))
    roles = "\n".join(
        f'QLabel[role="{role}"] {{ font-size: {size * factor:.1f}pt; font-weight: bold; }}'
        for role, factor in ROLE_FACTORS.items()
        if role != "hint"
    )
    app.setStyleSheet(
        f"""
        QWidget {{ font-size: {size:.1f}pt; }}
        {roles}
        QLabel[role="hint"] {{ font-size: {size * ROLE_FACTORS["hint"]:.1f}pt; color: #444; }}
        QLabel[role="error"] {{ color: #b00020; }}
        QLabel[role="success"] {{ color: #1b5e20; }}
        QListWidget#navigation::item {{ padding: {pad * 2}px {pad}px; }}
        QHeaderView::section {{ font-weight: bold; padding: {pad // 2}px; }}
        QPushButton {{ padding: {pad}px {pad * 2}px; }}
        """
    )
    return size


def set_role(widget: QtWidgets.QWidget, role: str) -> QtWidgets.QWidget:
    """Mark a widget (title, heading, figure, hint, error) so the style sheet sizes it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    return widget


def error_label() -> QtWidgets.QLabel:
    """The red line under a form where a refusal is explained; empty until there is one."""
    label = QtWidgets.QLabel("")
    label.setWordWrap(True)
    set_role(label, "error")
    return label


def comfortable_width(widget: QtWidgets.QWidget, chars: int = 60) -> int:
    """A width that fits about `chars` characters in the widget's current font."""
    return widget.fontMetrics().averageCharWidth() * chars

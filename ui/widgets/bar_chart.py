"""A simple bar chart drawn with QPainter (QtCharts is not in PySide6-Essentials).

Bars with their value written above, labels below, an optional dashed target line (the 85%
attendance target of HD 12). A point without a value (no meeting that month) is drawn as a
short grey mark, not as a zero bar. Sizes come from the widget's font, so the chart grows
with large-text mode.
"""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QtCore, QtGui, QtWidgets

BAR_COLOUR = QtGui.QColor(46, 125, 50)  # target met: a success green, not error red
BELOW_COLOUR = QtGui.QColor(214, 120, 40)  # under the target
TARGET_COLOUR = QtGui.QColor(40, 90, 160)
EMPTY_COLOUR = QtGui.QColor(150, 150, 150)


def _format(value: float, unit: str) -> str:
    text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}".replace(".", ",")
    return text + unit


class BarChart(QtWidgets.QWidget):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: list[tuple[str, float | None]] = []
        self._target: float | None = None
        self._maximum = 100.0
        self._unit = "%"
        self._empty_text = "Chưa có số liệu"
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed
        )

    # -- data --------------------------------------------------------------------------
    def set_data(
        self,
        points: Sequence[tuple[str, float | None]],
        *,
        target: float | None = None,
        maximum: float = 100.0,
        unit: str = "%",
        empty_text: str = "Chưa có số liệu",
    ) -> None:
        self._points = [(str(label), value) for label, value in points]
        self._target = target
        self._maximum = max(maximum, *(v for _, v in self._points if v is not None), 1.0)
        self._unit = unit
        self._empty_text = empty_text
        summary = "; ".join(
            f"{label}: {_format(v, unit) if v is not None else 'không có'}"
            for label, v in self._points
        )
        self.setToolTip(summary)
        self.setAccessibleDescription(summary)
        self.updateGeometry()
        self.update()

    def values(self) -> list[tuple[str, float | None]]:
        return list(self._points)

    @property
    def target(self) -> float | None:
        return self._target

    # -- size --------------------------------------------------------------------------
    def sizeHint(self) -> QtCore.QSize:
        line = self.fontMetrics().height()
        width = max(1, len(self._points)) * self.fontMetrics().horizontalAdvance("00/00") * 2
        return QtCore.QSize(width, line * 12)

    def minimumSizeHint(self) -> QtCore.QSize:
        line = self.fontMetrics().height()
        return QtCore.QSize(line * 10, line * 12)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    # -- drawing -----------------------------------------------------------------------
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QtGui.QPainter) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        rect = self.rect().adjusted(line // 2, line // 2, -line // 2, -line // 2)
        palette = self.palette()
        text_colour = palette.color(QtGui.QPalette.ColorRole.WindowText)
        if not self._points or all(v is None for _, v in self._points):
            painter.setPen(text_colour)
            painter.drawText(rect, int(QtCore.Qt.AlignmentFlag.AlignCenter), self._empty_text)
            return
        # Room for values above, labels below and the target figure on the left.
        gutter = metrics.horizontalAdvance(" 100%") if self._target is not None else 0
        plot = rect.adjusted(gutter, line + 4, 0, -(line + 6))
        baseline = plot.bottom()
        height = max(1, plot.height())
        count = len(self._points)
        slot = plot.width() / count
        bar_width = max(4.0, slot * 0.6)
        painter.setPen(QtGui.QPen(text_colour, 1))
        painter.drawLine(plot.left(), baseline, plot.right(), baseline)
        for i, (label, value) in enumerate(self._points):
            centre = plot.left() + slot * (i + 0.5)
            label_rect = QtCore.QRectF(centre - slot / 2, baseline + 4, slot, line)
            painter.setPen(text_colour)
            painter.drawText(label_rect, int(QtCore.Qt.AlignmentFlag.AlignCenter), label)
            if value is None:
                painter.setPen(QtGui.QPen(EMPTY_COLOUR, 2))
                painter.drawLine(
                    QtCore.QPointF(centre - bar_width / 4, baseline - 3),
                    QtCore.QPointF(centre + bar_width / 4, baseline - 3),
                )
                continue
            bar_height = height * max(0.0, value) / self._maximum
            bar = QtCore.QRectF(
                centre - bar_width / 2, baseline - bar_height, bar_width, bar_height
            )
            below = self._target is not None and value < self._target
            painter.fillRect(bar, BELOW_COLOUR if below else BAR_COLOUR)
            painter.setPen(text_colour)
            value_rect = QtCore.QRectF(centre - slot / 2, bar.top() - line - 2, slot, line)
            painter.drawText(
                value_rect, int(QtCore.Qt.AlignmentFlag.AlignCenter), _format(value, self._unit)
            )
        if self._target is not None:
            y = baseline - height * self._target / self._maximum
            pen = QtGui.QPen(TARGET_COLOUR, 2, QtCore.Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QtCore.QPointF(plot.left(), y), QtCore.QPointF(plot.right(), y))
            painter.drawText(
                QtCore.QRectF(rect.left(), y - line / 2, gutter - 4, line),
                int(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter),
                _format(self._target, self._unit),
            )

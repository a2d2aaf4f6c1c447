"""A checkbox whose label wraps onto several lines.

Qt's QCheckBox draws its text on one line, so a rule written as a whole sentence makes its
dialog as wide as the sentence (1,670 px in large text). This one wraps the text to the
width it is given and asks its layout for the height that needs.
"""

from __future__ import annotations

from ui.qt import QtCore, QtGui, QtWidgets

_FLAGS = QtCore.Qt.TextFlag.TextWordWrap | QtCore.Qt.AlignmentFlag.AlignLeft


class WrappingCheckBox(QtWidgets.QCheckBox):
    def __init__(self, text: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QtWidgets.QSizePolicy(
            QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred
        )
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _text_left(self) -> int:
        option = QtWidgets.QStyleOptionButton()
        self.initStyleOption(option)
        contents = self.style().subElementRect(
            QtWidgets.QStyle.SubElement.SE_CheckBoxContents, option, self
        )
        return max(contents.left(), 16)

    def _indicator_height(self) -> int:
        option = QtWidgets.QStyleOptionButton()
        self.initStyleOption(option)
        return (
            self.style()
            .subElementRect(QtWidgets.QStyle.SubElement.SE_CheckBoxIndicator, option, self)
            .height()
        )

    def _text_rect(self, width: int) -> QtCore.QRect:
        left = self._text_left()
        return self.fontMetrics().boundingRect(
            QtCore.QRect(0, 0, max(60, width - left), 100_000), int(_FLAGS), self.text()
        )

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self._indicator_height(), self._text_rect(width).height()) + 4

    def sizeHint(self) -> QtCore.QSize:
        metrics = self.fontMetrics()
        natural = self._text_left() + metrics.horizontalAdvance(self.text()) + 4
        width = min(natural, self._text_left() + metrics.averageCharWidth() * 60)
        return QtCore.QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QtCore.QSize:
        width = self._text_left() + self.fontMetrics().averageCharWidth() * 16
        return QtCore.QSize(width, self.heightForWidth(width))

    def hitButton(self, pos: QtCore.QPoint) -> bool:
        return self.rect().contains(pos)  # the whole sentence ticks the box

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtWidgets.QStylePainter(self)
        option = QtWidgets.QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        # The indicator sits at the top beside the first line, not centred on the paragraph.
        indicator = self._indicator_height()
        option.rect = QtCore.QRect(0, 2, self.width(), indicator)
        painter.drawControl(QtWidgets.QStyle.ControlElement.CE_CheckBox, option)
        left = self._text_left()
        area = QtCore.QRect(left, 2, self.width() - left, self.height() - 2)
        painter.setPen(self.palette().color(QtGui.QPalette.ColorRole.WindowText))
        painter.drawText(area, int(_FLAGS), self.text())

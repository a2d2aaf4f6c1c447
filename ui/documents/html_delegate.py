"""Paints a table cell's HTML (a search result with its matches marked)."""

from __future__ import annotations

from typing import Any

from ui.documents.model import HTML_ROLE
from ui.qt import QtCore, QtGui, QtWidgets


class HtmlDelegate(QtWidgets.QStyledItemDelegate):
    """Paints HTML_ROLE (highlighted snippets) wrapped to the column width."""

    def _document(self, option: Any, index: Any) -> QtGui.QTextDocument | None:
        html = index.data(HTML_ROLE)
        if not html:
            return None
        doc = QtGui.QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(html)
        doc.setTextWidth(max(100, option.rect.width() - 8))
        return doc

    def paint(self, painter: Any, option: Any, index: Any) -> None:
        doc = self._document(option, index)
        if doc is None:
            super().paint(painter, option, index)
            return
        opt = QtWidgets.QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QtWidgets.QApplication.style()
        style.drawControl(QtWidgets.QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.translate(option.rect.left() + 4, option.rect.top() + 4)
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: Any, index: Any) -> QtCore.QSize:
        doc = self._document(option, index)
        if doc is None:
            return super().sizeHint(option, index)
        return QtCore.QSize(int(doc.idealWidth()) + 8, int(doc.size().height()) + 8)

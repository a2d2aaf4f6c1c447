"""Editors for a participant's grade and check cells."""

from __future__ import annotations

from typing import Any

from app.models.study import STUDY_GRADES
from ui.qt import QtCore, QtWidgets


class GradeDelegate(QtWidgets.QStyledItemDelegate):
    """A drop-down of the grades (and blank to clear)."""

    def createEditor(self, parent: Any, option: Any, index: Any) -> QtWidgets.QWidget:
        combo = QtWidgets.QComboBox(parent)
        combo.addItem("")
        combo.addItems(list(STUDY_GRADES.values()))
        return combo

    def setEditorData(self, editor: Any, index: Any) -> None:
        editor.setCurrentText(str(index.data(QtCore.Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: Any, model: Any, index: Any) -> None:
        model.setData(index, editor.currentText(), QtCore.Qt.ItemDataRole.EditRole)


class CheckCellDelegate(QtWidgets.QStyledItemDelegate):
    """A click anywhere in the cell ticks or unticks it (not only on the small box)."""

    def editorEvent(self, event: Any, model: Any, option: Any, index: Any) -> bool:
        if not (index.flags() & QtCore.Qt.ItemFlag.ItemIsUserCheckable):
            return False
        kind = event.type()
        if kind in (QtCore.QEvent.Type.MouseButtonPress, QtCore.QEvent.Type.MouseButtonDblClick):
            return event.button() == QtCore.Qt.MouseButton.LeftButton
        toggle = kind == QtCore.QEvent.Type.MouseButtonRelease and (
            event.button() == QtCore.Qt.MouseButton.LeftButton
        )
        toggle = toggle or (
            kind == QtCore.QEvent.Type.KeyPress
            and event.key() in (QtCore.Qt.Key.Key_Space, QtCore.Qt.Key.Key_Select)
        )
        if not toggle:
            return False
        state = index.data(QtCore.Qt.ItemDataRole.CheckStateRole)
        new = (
            QtCore.Qt.CheckState.Unchecked
            if state == QtCore.Qt.CheckState.Checked
            else QtCore.Qt.CheckState.Checked
        )
        return bool(model.setData(index, new.value, QtCore.Qt.ItemDataRole.CheckStateRole))

"""A read-only table over a list of plain rows from a service (already sorted in SQL).

A subclass lists its `columns`: each a header and how an item shows in that column (its
text, and when wanted its tooltip, alignment and text colour). Every other role (the row's
id for a custom role, a bold font, a colour for the whole row) comes from `role_data`.
Editable tables and tables that page or sort themselves stay plain `QAbstractTableModel`s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ui.qt import QtCore, QtGui

T = TypeVar("T")

CENTER = QtCore.Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    tooltip: Callable[[T], str | None] | None = None
    align: QtCore.Qt.AlignmentFlag | None = None
    foreground: Callable[[T], str | None] | None = None  # a colour name, or None for the default


class ListTableModel(QtCore.QAbstractTableModel, Generic[T]):
    columns: Sequence[Column[T]] = ()
    # Show a cell's whole text as its tooltip when the column has no tooltip of its own
    # (for tables whose long cells the view cuts off).
    text_as_tooltip = False

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[T] = []

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def data(self, index: Any, role: int = 0) -> Any:
        if (
            not index.isValid()
            or not 0 <= index.row() < len(self.items)
            or not 0 <= index.column() < len(self.columns)
        ):
            return None
        item = self.items[index.row()]
        column = self.columns[index.column()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(item)
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and self.text_as_tooltip:
            return column.text(item)
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align)
        if role == QtCore.Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            colour = column.foreground(item)
            return QtGui.QBrush(QtGui.QColor(colour)) if colour else None
        return self.role_data(item, index.column(), role)

    def role_data(self, item: T, column: int, role: int) -> Any:
        """Roles the columns do not describe (ids, fonts, custom roles); None by default."""
        return None


def bold_font() -> QtGui.QFont:
    font = QtGui.QFont()
    font.setBold(True)
    return font

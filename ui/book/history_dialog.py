"""The audit trail: who changed what, when (optionally for one record), with a search box."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services import audit
from app.text import fold
from ui.qt import QtCore, QtGui, QtWidgets
from ui.widgets.fit import fit_to_screen
from ui.widgets.list_model import Column, ListTableModel
from ui.widgets.section import AppContext


def _changes(row: audit.AuditView) -> str:
    if not row.changes:
        return row.summary
    return "\n".join(f"{k}: {v[0]!s} → {v[1]!s}" for k, v in row.changes.items())


def _description(row: audit.AuditView) -> str:
    return row.summary if not row.changes else f"{row.summary}\n{_changes(row)}"


class HistoryModel(ListTableModel[audit.AuditView]):
    columns: Sequence[Column[audit.AuditView]] = (
        Column("Thời gian", lambda row: row.at.strftime("%d/%m/%Y %H:%M")),
        Column("Người thực hiện", lambda row: row.actor),
        Column("Việc", lambda row: row.action_label),
        Column("Nội dung", lambda row: row.summary, tooltip=_changes),
        Column("Lý do", lambda row: row.reason),
    )
    text_as_tooltip = True
    DESCRIPTION = 3

    def set_rows(self, rows: list[audit.AuditView]) -> None:
        self.set_items(rows)


class _FoldedFilter(QtCore.QSortFilterProxyModel):
    """Matches the search words in any column, with or without diacritics ("nguyen van")."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.words: list[str] = []

    def set_query(self, text: str) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; invalidateFilter before
        if begin is not None:
            begin()
            self.words = fold(text).split()
            self.endFilterChange()
        else:
            self.words = fold(text).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Any) -> bool:
        if not self.words:
            return True
        model = self.sourceModel()
        assert isinstance(model, HistoryModel)
        if not 0 <= source_row < len(model.items):
            return False
        row = model.items[source_row]
        text = fold(
            " ".join(
                [
                    row.at.strftime("%d/%m/%Y %H:%M"),
                    row.actor,
                    row.action_label,
                    _description(row),
                    row.reason or "",
                ]
            )
        )
        return all(word in text for word in self.words)


class HistoryDialog(QtWidgets.QDialog):
    def __init__(
        self,
        ctx: AppContext,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nhật ký thay đổi")
        layout = QtWidgets.QVBoxLayout(self)
        search_row = QtWidgets.QHBoxLayout()
        search_row.addWidget(QtWidgets.QLabel("Tìm:"))
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("tên người, việc, nội dung… (gõ có dấu hoặc không dấu)")
        self.search.setClearButtonEnabled(True)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.model = HistoryModel()
        self.proxy = _FoldedFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self.proxy.set_query)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setVisible(True)
        header.setHighlightSections(False)
        for col in range(len(HistoryModel.columns)):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            HistoryModel.DESCRIPTION, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table, 1)
        self.count = QtWidgets.QLabel("Đang tải…")
        layout.addWidget(self.count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        close = QtWidgets.QPushButton("Đóng")
        close.clicked.connect(self.accept)
        layout.addWidget(close, alignment=QtCore.Qt.AlignmentFlag.AlignRight)
        self._fitted = False
        book = ctx.book
        ctx.runner.run(
            self,
            lambda: audit.history(book, entity=entity, entity_id=entity_id),
            on_success=self._loaded,
        )

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self, 1000, 620)
        super().showEvent(event)

    def _loaded(self, rows: list[audit.AuditView]) -> None:
        self.model.set_rows(rows)
        self.table.resizeRowsToContents()
        self._count()

    def _count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            f"{total} thay đổi." if shown == total else f"Tìm thấy {shown} trong {total} thay đổi."
        )

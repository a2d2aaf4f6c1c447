"""The audit trail: who changed what, when (optionally for one record)."""

from __future__ import annotations

from typing import Any

from app.services import audit
from ui.qt import QtCore, QtWidgets
from ui.widgets.list_model import ListTableModel
from ui.widgets.section import AppContext

COLUMNS = ["Thời gian", "Người thực hiện", "Việc", "Nội dung", "Lý do"]


class HistoryModel(ListTableModel[audit.AuditView]):
    headers = COLUMNS

    def set_rows(self, rows: list[audit.AuditView]) -> None:
        self.set_items(rows)

    def cell(self, row: audit.AuditView, column: int, role: int) -> Any:
        if role not in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.ToolTipRole):
            return None
        if column == 0:
            return row.at.strftime("%d/%m/%Y %H:%M")
        if column == 1:
            return row.actor
        if column == 2:
            return row.action_label
        if column == 3:
            if role == QtCore.Qt.ItemDataRole.ToolTipRole and row.changes:
                return "\n".join(f"{k}: {v[0]!s} → {v[1]!s}" for k, v in row.changes.items())
            return row.summary
        return row.reason


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
        self.resize(900, 500)
        layout = QtWidgets.QVBoxLayout(self)
        self.model = HistoryModel()
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table)
        close = QtWidgets.QPushButton("Đóng")
        close.clicked.connect(self.accept)
        layout.addWidget(close, alignment=QtCore.Qt.AlignmentFlag.AlignRight)
        ctx.runner.run(
            lambda: audit.history(ctx.book, entity=entity, entity_id=entity_id),
            on_success=self._loaded,
        )

    def _loaded(self, rows: list[audit.AuditView]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()

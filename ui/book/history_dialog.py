"""The audit trail: who changed what, when (optionally for one record)."""

from __future__ import annotations

from collections.abc import Sequence

from app.services import audit
from ui.qt import QtCore, QtWidgets
from ui.widgets.list_model import Column, ListTableModel
from ui.widgets.section import AppContext


def _changes(row: audit.AuditView) -> str:
    if not row.changes:
        return row.summary
    return "\n".join(f"{k}: {v[0]!s} → {v[1]!s}" for k, v in row.changes.items())


class HistoryModel(ListTableModel[audit.AuditView]):
    columns: Sequence[Column[audit.AuditView]] = (
        Column("Thời gian", lambda row: row.at.strftime("%d/%m/%Y %H:%M")),
        Column("Người thực hiện", lambda row: row.actor),
        Column("Việc", lambda row: row.action_label),
        Column("Nội dung", lambda row: row.summary, tooltip=_changes),
        Column("Lý do", lambda row: row.reason),
    )
    text_as_tooltip = True

    def set_rows(self, rows: list[audit.AuditView]) -> None:
        self.set_items(rows)


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

"""The audit trail: who changed what, when (optionally for one record)."""

from __future__ import annotations

from collections.abc import Sequence

from app.services import audit
from ui.qt import QtCore, QtWidgets
from ui.widgets.list_model import Column, ListTableModel
from ui.widgets.section import AppContext


def _when(row: audit.AuditView) -> str:
    return row.at.strftime("%d/%m/%Y %H:%M")


def _actor(row: audit.AuditView) -> str:
    return row.actor


def _action(row: audit.AuditView) -> str:
    return row.action_label


def _summary(row: audit.AuditView) -> str:
    return row.summary


def _changes(row: audit.AuditView) -> str:
    if not row.changes:
        return row.summary
    return "\n".join(f"{k}: {v[0]!s} → {v[1]!s}" for k, v in row.changes.items())


def _reason(row: audit.AuditView) -> str:
    return row.reason


class HistoryModel(ListTableModel[audit.AuditView]):
    columns: Sequence[Column[audit.AuditView]] = (
        Column("Thời gian", _when, tooltip=_when),
        Column("Người thực hiện", _actor, tooltip=_actor),
        Column("Việc", _action, tooltip=_action),
        Column("Nội dung", _summary, tooltip=_changes),
        Column("Lý do", _reason, tooltip=_reason),
    )

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

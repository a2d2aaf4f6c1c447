"""The history of one member: every change, who made it, when and why (newest first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services import members
from app.services.audit import AuditView
from app.vocab import MemberStatus
from ui.qt import QtCore, QtWidgets
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.list_model import Column, ListTableModel
from ui.widgets.section import AppContext


def describe_changes(entry: AuditView) -> str:
    """'Số điện thoại: 0912345678 → 0987654321' per changed field, in Vietnamese labels."""
    if entry.action == "create":
        return entry.summary
    lines = []
    for field, pair in entry.changes.items():
        label = members.FIELD_LABELS.get(field, field)
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        lines.append(f"{label}: {_show(field, old)} → {_show(field, new)}")
    return "\n".join(lines) or entry.summary


def _show(field: str, value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if field.endswith("_date") and isinstance(value, str) and len(value) == 10:
        y, m, d = value.split("-")
        return f"{d}/{m}/{y}"
    if field == "status":
        return MemberStatus.labels().get(str(value), str(value))
    if field == "app_account":
        return members.ACCOUNT_STATES.get(str(value), str(value))
    return str(value)


class MemberHistoryModel(ListTableModel[AuditView]):
    columns: Sequence[Column[AuditView]] = (
        Column("Thời gian", lambda row: row.at.strftime("%d/%m/%Y %H:%M")),
        Column("Người thực hiện", lambda row: row.actor),
        Column("Việc", lambda row: row.action_label),
        Column("Thay đổi", describe_changes),
        Column("Lý do", lambda row: row.reason),
    )
    text_as_tooltip = True

    def set_rows(self, rows: list[AuditView]) -> None:
        self.set_items(rows)


class MemberHistoryDialog(QtWidgets.QDialog):
    def __init__(
        self,
        ctx: AppContext,
        *,
        member_id: str,
        full_name: str,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Lịch sử thay đổi — {full_name}")
        layout = QtWidgets.QVBoxLayout(self)
        self.model = MemberHistoryModel()
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table)
        close = QtWidgets.QPushButton("Đóng")
        close.clicked.connect(self.accept)
        layout.addWidget(close, alignment=QtCore.Qt.AlignmentFlag.AlignRight)
        fit_on_show(
            self, self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().height() * 25
        )
        ctx.runner.run(
            self,
            lambda: members.history(ctx.book, member_id=member_id),
            on_success=self._loaded,
            label="Đang tải lịch sử…",
        )

    def _loaded(self, rows: list[AuditView]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

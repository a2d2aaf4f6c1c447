"""The history of one member: every change, who made it, when and why (newest first)."""

from __future__ import annotations

from typing import Any

from app.services import members
from app.services.audit import AuditView
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext

COLUMNS = ["Thời gian", "Người thực hiện", "Việc", "Thay đổi", "Lý do"]


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
        return members.MEMBER_STATUSES.get(str(value), str(value))
    if field == "app_account":
        return members.ACCOUNT_STATES.get(str(value), str(value))
    return str(value)


class MemberHistoryModel(QtCore.QAbstractTableModel):
    def __init__(self, rows: list[AuditView] | None = None) -> None:
        super().__init__()
        self.rows = rows or []

    def set_rows(self, rows: list[AuditView]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role not in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        return [
            row.at.strftime("%d/%m/%Y %H:%M"),
            row.actor,
            row.action_label,
            describe_changes(row),
            row.reason,
        ][index.column()]


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
        self.resize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().height() * 25)
        ctx.runner.run(
            lambda: members.history(ctx.book, member_id=member_id),
            on_success=self._loaded,
            label="Đang tải lịch sử…",
        )

    def _loaded(self, rows: list[AuditView]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

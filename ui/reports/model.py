"""The list of upward reports as a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services.upward_reports import ReportView
from ui.qt import QtCore
from ui.widgets.list_model import Column, ListTableModel

REPORT_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1


class ReportsModel(ListTableModel[ReportView]):
    columns: Sequence[Column[ReportView]] = (
        Column("Số", lambda r: r.number or "(chưa số)"),
        Column("Báo cáo", lambda r: r.title),
        Column("Trạng thái", lambda r: r.state_label),
    )

    def role_data(self, r: ReportView, column: int, role: int) -> Any:
        return r.id if role == REPORT_ID_ROLE else None

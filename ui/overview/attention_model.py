"""Members needing attention, as a table on the home page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services.dashboard import AttentionItem
from ui.qt import QtCore
from ui.widgets.list_model import Column, ListTableModel, bold_font

MEMBER_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1


class AttentionModel(ListTableModel[AttentionItem]):
    """Members needing attention (serious ones first, as the service sorts them)."""

    columns: Sequence[Column[AttentionItem]] = (
        Column("Họ và tên", lambda item: item.full_name),
        Column("Việc cần lưu ý", lambda item: item.kind_label),
        Column("Nội dung", lambda item: item.message),
    )
    text_as_tooltip = True

    def role_data(self, item: AttentionItem, column: int, role: int) -> Any:
        if role == MEMBER_ID_ROLE:
            return item.member_id
        if role == QtCore.Qt.ItemDataRole.FontRole and item.serious:
            return bold_font()
        return None

"""The feedback list as a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services.feedback import FeedbackView
from ui.qt import QtCore
from ui.widgets.list_model import Column, ListTableModel

FEEDBACK_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1


class FeedbackModel(ListTableModel[FeedbackView]):
    """Rows come from the service already filtered and sorted in SQL."""

    columns: Sequence[Column[FeedbackView]] = (
        Column("Ngày nhận", lambda f: f"{f.received_on:%d/%m/%Y}"),
        Column("Đảng viên", lambda f: f.member_name),
        Column("Loại", lambda f: f.kind_label),
        Column("Nội dung", lambda f: _shortened(f.content), tooltip=lambda f: f.content),
        Column("Hình thức", lambda f: f.channel_label),
        Column("Trạng thái", lambda f: f.state_label),
    )

    def role_data(self, f: FeedbackView, column: int, role: int) -> Any:
        return f.id if role == FEEDBACK_ID_ROLE else None


def _shortened(content: str) -> str:
    shown = content if len(content) <= 90 else content[:89] + "…"
    return shown.replace("\n", " ")

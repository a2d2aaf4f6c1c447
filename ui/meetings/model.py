"""The meeting list as a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services.meetings import MeetingSummary
from ui.qt import QtCore
from ui.widgets.list_model import CENTER, Column, ListTableModel, bold_font

MEETING_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1


class MeetingsModel(ListTableModel[MeetingSummary]):
    """The meeting list (filtered and ordered by the service)."""

    columns: Sequence[Column[MeetingSummary]] = (
        Column(
            "Thời gian", lambda s: f"{s.meeting.starts_at:%H:%M} {s.meeting.starts_at:%d/%m/%Y}"
        ),
        Column("Cuộc họp", lambda s: s.meeting.title),
        Column("Địa điểm", lambda s: s.meeting.place),
        Column("Trạng thái", lambda s: s.meeting.state_label),
        Column("Có mặt", lambda s: f"{s.present}/{s.expected}" if s.marked else "–", align=CENTER),
        Column("Tài liệu", lambda s: str(s.documents) if s.documents else "", align=CENTER),
    )

    def role_data(self, item: MeetingSummary, column: int, role: int) -> Any:
        if role == MEETING_ID_ROLE:
            return item.meeting.id
        if role == QtCore.Qt.ItemDataRole.FontRole and item.meeting.state == "open":
            return bold_font()
        return None

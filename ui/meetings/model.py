"""The meeting list as a table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services.meetings import MeetingSummary, MeetingView
from app.vocab import MeetingKind
from ui.qt import QtCore
from ui.widgets.list_model import CENTER, Column, ListTableModel, bold_font

MEETING_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1

# The list's short names: the column is "Cuộc họp", so "Sinh hoạt chi bộ" goes and the month
# comes right after the kind — a narrow column cuts a topic, never the month.
SHORT_KINDS: dict[str, str] = {
    MeetingKind.REGULAR: "Thường kỳ",
    MeetingKind.COMMITTEE: "Chi ủy",
    MeetingKind.THEMATIC: "Chuyên đề",
    MeetingKind.EXTRAORDINARY: "Bất thường",
}


def list_name(meeting: MeetingView) -> str:
    """“Thường kỳ tháng 11/2026”, “Chuyên đề tháng 3/2026: “Học tập nghị quyết””."""
    name = list_name_head(meeting)
    if meeting.kind == MeetingKind.THEMATIC and meeting.topic:
        name += f": “{meeting.topic}”"
    return name


def list_name_head(meeting: MeetingView) -> str:
    """The part of `list_name` always shown whole: the kind and the month."""
    kind = SHORT_KINDS.get(meeting.kind, meeting.kind_label)
    # "tháng" and its number stay on one line when the name wraps (a no-break space).
    return f"{kind} tháng\u00a0{meeting.starts_at.month}/{meeting.starts_at.year}"


class MeetingsModel(ListTableModel[MeetingSummary]):
    """The meeting list (filtered and ordered by the service)."""

    columns: Sequence[Column[MeetingSummary]] = (
        Column(
            "Thời gian", lambda s: f"{s.meeting.starts_at:%H:%M} {s.meeting.starts_at:%d/%m/%Y}"
        ),
        Column("Cuộc họp", lambda s: list_name(s.meeting)),
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

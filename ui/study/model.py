"""Study campaigns and one campaign's participants as tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.services.study import CampaignView, ParticipantView
from ui.qt import QtCore
from ui.widgets.list_model import CENTER, Column, ListTableModel

CAMPAIGN_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
# Short headings (the progress bars above say it in full): the marks' columns stay narrow
# enough for the names at 1024 wide in large text; the whole heading is the tooltip.
PARTICIPANT_HEADERS = ("Họ và tên", "Dự học", "Thu hoạch", "Xếp loại", "Điểm", "Ghi chú")
HEADER_TOOLTIPS = {1: "Dự học tập", 2: "Nộp thu hoạch"}
COL_NAME, COL_ATTENDED, COL_SUBMITTED, COL_GRADE, COL_SCORE, COL_NOTES = range(6)


class CampaignsModel(ListTableModel[CampaignView]):
    columns: Sequence[Column[CampaignView]] = (
        Column("Đợt học tập", lambda c: c.title),
        Column("Thời gian", lambda c: c.period_label),
        Column("Trạng thái", lambda c: c.state_label),
        Column(
            "Dự học",
            lambda c: f"{c.progress.attended}/{c.progress.participants}",
            align=CENTER,
        ),
        Column(
            "Thu hoạch",
            lambda c: f"{c.progress.submitted}/{c.progress.participants}",
            align=CENTER,
        ),
    )

    def role_data(self, c: CampaignView, column: int, role: int) -> Any:
        return c.id if role == CAMPAIGN_ID_ROLE else None


class ParticipantsModel(QtCore.QAbstractTableModel):
    """One row per member; edits go straight to the book through `on_edit`."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[ParticipantView] = []
        self.editable = True
        self.on_edit: Callable[[ParticipantView, dict[str, Any]], ParticipantView | None] | None = (
            None
        )

    def set_items(self, items: Sequence[ParticipantView], *, editable: bool) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.editable = editable
        self.endResetModel()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PARTICIPANT_HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and section in HEADER_TOOLTIPS:
            return (
                HEADER_TOOLTIPS[section]
                if orientation == QtCore.Qt.Orientation.Horizontal
                else None
            )
        if role != QtCore.Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal and 0 <= section < len(
            PARTICIPANT_HEADERS
        ):
            return PARTICIPANT_HEADERS[section]
        if orientation == QtCore.Qt.Orientation.Vertical and 0 <= section < len(self.items):
            return str(section + 1)
        return None

    def flags(self, index: Any) -> QtCore.Qt.ItemFlag:
        if not index.isValid():
            return QtCore.Qt.ItemFlag.NoItemFlags
        base = QtCore.Qt.ItemFlag.ItemIsEnabled | QtCore.Qt.ItemFlag.ItemIsSelectable
        if not self.editable:
            return base
        col = index.column()
        if col in (COL_ATTENDED, COL_SUBMITTED):
            return base | QtCore.Qt.ItemFlag.ItemIsUserCheckable
        if col in (COL_GRADE, COL_SCORE, COL_NOTES):
            return base | QtCore.Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        p = self.items[index.row()]
        col = index.column()
        checked = QtCore.Qt.CheckState.Checked
        unchecked = QtCore.Qt.CheckState.Unchecked
        if role == QtCore.Qt.ItemDataRole.CheckStateRole:
            if col == COL_ATTENDED:
                return checked if p.attended else unchecked
            if col == COL_SUBMITTED:
                return checked if p.submitted else unchecked
            return None
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return p.full_name
            if col == COL_ATTENDED:
                return "Có" if p.attended else "Chưa"
            if col == COL_SUBMITTED:
                if not p.submitted:
                    return "Chưa nộp"
                return f"Đã nộp {p.submitted_on:%d/%m}" if p.submitted_on else "Đã nộp"
            if col == COL_GRADE:
                return p.grade_label
            if col == COL_SCORE:
                return "" if p.score is None else f"{p.score:g}".replace(".", ",")
            if col == COL_NOTES:
                return p.notes
        if role == QtCore.Qt.ItemDataRole.EditRole:
            if col == COL_GRADE:
                return p.grade_label
            if col == COL_SCORE:
                return "" if p.score is None else f"{p.score:g}".replace(".", ",")
            if col == COL_NOTES:
                return p.notes
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and col == COL_NAME:
            return p.member_status_label
        return None

    def setData(self, index: Any, value: Any, role: int = QtCore.Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.editable or self.on_edit is None:
            return False
        p = self.items[index.row()]
        col = index.column()
        change: dict[str, Any] = {}
        if role == QtCore.Qt.ItemDataRole.CheckStateRole and col in (COL_ATTENDED, COL_SUBMITTED):
            on = QtCore.Qt.CheckState(value) == QtCore.Qt.CheckState.Checked
            change["attended" if col == COL_ATTENDED else "submitted"] = on
        elif role == QtCore.Qt.ItemDataRole.EditRole and col == COL_GRADE:
            change["grade"] = str(value or "")
        elif role == QtCore.Qt.ItemDataRole.EditRole and col == COL_SCORE:
            text = str(value or "").strip().replace(",", ".")
            change["score"] = text or None
        elif role == QtCore.Qt.ItemDataRole.EditRole and col == COL_NOTES:
            change["notes"] = str(value or "")
        else:
            return False
        updated = self.on_edit(p, change)
        if updated is None:
            return False
        self.items[index.row()] = updated
        left = self.index(index.row(), 0)
        right = self.index(index.row(), len(PARTICIPANT_HEADERS) - 1)
        self.dataChanged.emit(left, right)
        return True

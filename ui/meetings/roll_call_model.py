"""The roll call as an editable table: one row per member on the roster, one column per mark."""

from __future__ import annotations

from typing import Any

from app.services import voting_rules
from app.services.attendance import RosterRow
from app.vocab import AttendanceMark
from ui.qt import QtCore, QtGui, Signal

MEMBER_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = QtCore.Qt.ItemDataRole.UserRole + 2
COL_NO, COL_NAME, COL_ROLE = 0, 1, 2
COL_PRESENT, COL_LATE, COL_EXCUSED, COL_UNEXCUSED = 3, 4, 5, 6
COL_REASON = 7
HEADERS = (
    "STT",
    "Họ và tên",
    "Diện",
    "Có\nmặt",
    "Đến\nmuộn",
    "Vắng\ncó\nlý do",  # short lines: the mark columns stay narrow in large text
    "Vắng\nkhông\nlý do",
    "Lý do",
)
ACTION_COLUMNS: dict[int, AttendanceMark] = {
    COL_PRESENT: AttendanceMark.PRESENT,
    COL_LATE: AttendanceMark.LATE,
    COL_EXCUSED: AttendanceMark.EXCUSED,
    COL_UNEXCUSED: AttendanceMark.UNEXCUSED,
}
# What a mark cell shows: the mark, the mark not yet saved (paper sheet; "chưa lưu" in its
# tooltip and the banner), no mark. Short, so the mark columns stay as narrow as their
# headings and the table never scrolls sideways (1024 wide in large text).
MARK = "✔"
PENDING_MARK = "✔*"
NO_MARK = "○"
MARK_TEXTS = (MARK, PENDING_MARK, NO_MARK)
STATUS_COLORS: dict[str, str] = {
    AttendanceMark.PRESENT: "#c8e6c9",
    AttendanceMark.LATE: "#fff3b0",
    AttendanceMark.EXCUSED: "#ffe0b2",
    AttendanceMark.UNEXCUSED: "#ffcdd2",
}


class RollCallModel(QtCore.QAbstractTableModel):
    """The roster: one row per member, a clickable cell per mark."""

    reason_edited = Signal(str, str)  # member_id, reason

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RosterRow] = []
        self.pending: dict[str, tuple[str, str]] = {}  # paper mode: member_id → (status, reason)
        self.editable = True

    # -- data in ---------------------------------------------------------------------------
    def set_rows(
        self, rows: list[RosterRow], pending: dict[str, tuple[str, str]] | None = None
    ) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.pending = dict(pending or {})
        self.endResetModel()

    def row_of(self, member_id: str) -> int:
        for index, row in enumerate(self.rows):
            if row.member_id == member_id:
                return index
        return -1

    def replace_row(self, member_id: str, row: RosterRow) -> None:
        index = self.row_of(member_id)
        if index < 0:
            return
        self.rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(HEADERS) - 1))

    def set_pending(self, member_id: str, status: str, reason: str) -> None:
        index = self.row_of(member_id)
        if index < 0:
            return
        self.pending[member_id] = (status, reason)
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(HEADERS) - 1))

    def shown_status(self, row: RosterRow) -> tuple[str | None, str, bool]:
        """(status, reason, pending) as displayed."""
        if row.member_id in self.pending:
            status, reason = self.pending[row.member_id]
            return status, reason, True
        return row.status, row.reason, False

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if role != QtCore.Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == QtCore.Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Any) -> QtCore.Qt.ItemFlag:
        if not index.isValid():
            return QtCore.Qt.ItemFlag.NoItemFlags
        base = QtCore.Qt.ItemFlag.ItemIsEnabled | QtCore.Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_REASON and self.editable:
            base |= QtCore.Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        status, reason, pending = self.shown_status(row)
        if role == MEMBER_ID_ROLE:
            return row.member_id
        if role == STATUS_ROLE:
            return status
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            if col == COL_NO:
                return str(index.row() + 1)
            if col == COL_NAME:
                return row.full_name
            if col == COL_ROLE:
                return row.role_label
            if col in ACTION_COLUMNS:
                code = ACTION_COLUMNS[col]
                if status == code:
                    # The column header names the mark; the cell stays narrow for the name.
                    return PENDING_MARK if pending else MARK
                return NO_MARK
            if col == COL_REASON:
                if reason:
                    return reason
                if row.request_reason and status in (None, AttendanceMark.EXCUSED):
                    return f"Xin vắng: {row.request_reason}"
                return ""
        if role == QtCore.Qt.ItemDataRole.EditRole and col == COL_REASON:
            return reason or (
                row.request_reason if status in (None, AttendanceMark.EXCUSED) else ""
            )
        if role == QtCore.Qt.ItemDataRole.BackgroundRole and col in ACTION_COLUMNS:
            if status == ACTION_COLUMNS[col]:
                return QtGui.QBrush(QtGui.QColor(STATUS_COLORS[status]))
            return None
        if role == QtCore.Qt.ItemDataRole.ForegroundRole:
            if row.role == voting_rules.EXEMPT or (
                col in ACTION_COLUMNS and status != ACTION_COLUMNS[col]
            ):
                return QtGui.QBrush(QtGui.QColor("#777777"))
            return None
        # No FontRole: the same font before and after a mark, so nothing changes width.
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole:
            if col in ACTION_COLUMNS or col == COL_NO:
                return int(QtCore.Qt.AlignmentFlag.AlignCenter)
            return int(QtCore.Qt.AlignmentFlag.AlignVCenter | QtCore.Qt.AlignmentFlag.AlignLeft)
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            if col in ACTION_COLUMNS:
                label = ACTION_COLUMNS[col].label
                if status == ACTION_COLUMNS[col]:
                    if pending:
                        return (
                            f"{row.full_name}: {label} (chưa lưu: bấm “Lưu kết quả từ danh sách "
                            "giấy”)"
                        )
                    return f"{row.full_name}: {label}"
                return f"Bấm để đánh dấu: {label}"
            if col == COL_REASON:
                # The whole reason: the column is narrow on a small screen ("Xin…").
                shown = self.data(index, QtCore.Qt.ItemDataRole.DisplayRole)
                if shown:
                    return f"{shown}\n(Bấm đúp để sửa lý do)"
                return "Bấm đúp để ghi lý do"
            if col == COL_NAME and row.request_channel:
                return f"Đã xin phép vắng: {row.request_reason}"
        return None

    def setData(self, index: Any, value: Any, role: int = QtCore.Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != COL_REASON
            or role != QtCore.Qt.ItemDataRole.EditRole
            or not self.editable
        ):
            return False
        row = self.rows[index.row()]
        text = str(value or "").strip()
        status, reason, _pending = self.shown_status(row)
        if text == reason and status is not None:
            return False
        # The row changes on screen once the mark is committed (or kept, in paper mode).
        self.reason_edited.emit(row.member_id, text)
        return True

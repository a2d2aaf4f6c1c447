"""The register as a table model: rows come from the members service a page at a time.

Filtering, searching and sorting happen in SQL through the service; the model only keeps
the rows fetched so far (canFetchMore/fetchMore bring the next page as the view scrolls).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.services import members
from app.services.members import MemberView
from app.validation.phone import format_phone
from app.vocab import MemberStatus
from ui.qt import QtCore, QtGui

if TYPE_CHECKING:
    from app.book import Book

MEMBER_ID_ROLE = int(QtCore.Qt.ItemDataRole.UserRole) + 1
MEMBER_ROLE = int(QtCore.Qt.ItemDataRole.UserRole) + 2
PAGE_SIZE = 100  # a screen shows 20–40 rows; more come as the view scrolls
# Transferred, deceased or removed: shown greyed out.
NO_LONGER_MEMBERS = frozenset(s for s in MemberStatus if not s.is_active)

# (title, sort key in the service or None when the column cannot be sorted)
COLUMNS: list[tuple[str, str | None]] = [
    ("Họ và tên", "name"),
    ("Ngày sinh", "birth_date"),
    ("Giới tính", "gender"),
    ("Ngày vào Đảng", "admission_date"),
    ("Tuổi đảng", "admission_date"),
    ("Ngày chính thức", "official_date"),
    ("Số thẻ đảng viên", "card_number"),
    ("Số định danh", "personal_id"),
    ("Điện thoại", "phone"),
    ("Trạng thái", "status"),
    ("Tài khoản Sổ tay", "app_account"),
    ("Cần hỗ trợ", None),
]
COL_NAME, COL_PARTY_YEARS, COL_NEEDS_SUPPORT = 0, 4, 11


@dataclass
class MemberQuery:
    search: str = ""
    status: str | tuple[str, ...] | None = members.ACTIVE_STATUSES
    needs_support: bool | None = None
    has_smartphone: bool | None = None
    app_account: str | None = None
    order: str = "name"
    descending: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def filters(self) -> dict[str, Any]:
        return {
            "search": self.search or None,
            "status": self.status,
            "needs_support": self.needs_support,
            "has_smartphone": self.has_smartphone,
            "app_account": self.app_account,
        }


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


class MembersTableModel(QtCore.QAbstractTableModel):
    def __init__(self, book: Book, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.query = MemberQuery()
        self.rows: list[MemberView] = []
        self.total = 0
        self.today = dt.date.today()

    # -- loading ---------------------------------------------------------------------------
    def set_query(self, query: MemberQuery) -> None:
        self.query = query
        self.reload()

    def reload(self) -> None:
        """Count the matches and fetch the first page (sorted and filtered in SQL)."""
        self.beginResetModel()
        self.today = dt.date.today()
        page = members.first_page(
            self.book,
            **self.query.filters(),
            order=self.query.order,
            descending=self.query.descending,
            limit=PAGE_SIZE,
        )
        self.rows, self.total = page.rows, page.total
        self.endResetModel()

    def canFetchMore(self, parent: Any = QtCore.QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Any = QtCore.QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = members.list_members(
            self.book,
            **self.query.filters(),
            order=self.query.order,
            descending=self.query.descending,
            limit=PAGE_SIZE,
            offset=len(self.rows),
        )
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QtCore.QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def member_at(self, row: int) -> MemberView | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, member_id: str) -> int | None:
        for i, m in enumerate(self.rows):
            if m.id == member_id:
                return i
        return None

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if orientation != QtCore.Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and COLUMNS[section][1] is None:
            return "Không sắp xếp theo cột này"
        return None

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        m = self.rows[index.row()]
        col = index.column()
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return self._display(m, col)
        if role == MEMBER_ID_ROLE:
            return m.id
        if role == MEMBER_ROLE:
            return m
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and col == COL_NAME:
            parts = [m.status_label]
            if m.address:
                parts.append(m.address)
            if m.notes:
                parts.append(m.notes)
            return "\n".join(parts)
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole and col not in (COL_NAME, 9, 10):
            return int(QtCore.Qt.AlignmentFlag.AlignCenter)
        if role == QtCore.Qt.ItemDataRole.ForegroundRole and m.status in NO_LONGER_MEMBERS:
            return QtGui.QBrush(QtGui.QColor("#666666"))
        return None

    def _display(self, m: MemberView, col: int) -> str:
        if col == 0:
            return m.full_name
        if col == 1:
            return _date(m.birth_date)
        if col == 2:
            return members.gender_label(m.gender)
        if col == 3:
            return _date(m.admission_date)
        if col == COL_PARTY_YEARS:
            years = m.party_years(self.today)
            return "" if years is None else str(years)
        if col == 5:
            return _date(m.official_date)
        if col == 6:
            return m.card_number or ""
        if col == 7:
            return m.personal_id or ""
        if col == 8:
            return format_phone(m.phone)
        if col == 9:
            return m.status_label
        if col == 10:
            return m.app_account_label
        return "Cần hỗ trợ" if m.needs_support else ""

    def sort(self, column: int, order: Any = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column][1] is None:
            return
        key = COLUMNS[column][1]
        assert key is not None
        descending = order == QtCore.Qt.SortOrder.DescendingOrder
        if column == COL_PARTY_YEARS:  # more years = earlier admission
            descending = not descending
        self.query.order = key
        self.query.descending = descending
        self.reload()

"""Tables of the dues window: the monthly sheet, a member's settings history, an import
preview. Rows never change height or width when marked: the view fixes both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.services.dues import (
    BASES,
    EXEMPT_KINDS,
    ImportRow,
    SettingView,
    SheetRow,
    money,
    month_label,
    months_label,
)
from ui.qt import QtCore, QtGui
from ui.widgets.list_model import CENTER, Column, ListTableModel

RIGHT = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
PAID_COLOUR = "#1b5e20"
UNPAID_COLOUR = "#8a1c1c"
OWING_BACKGROUND = "#fff1d6"  # members with earlier months still unpaid
OWING_HEADING = "Còn nợ"  # before a sheet is loaded; then the window's own heading

COL_CASH, COL_ONLINE, COL_STATE, COL_OWING = 3, 4, 5, 6
MEMBER_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
OWING_HEADER_ROLES = (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.ToolTipRole)

CHANNEL_WORDS = {"cash": "tiền mặt", "dvcqg": "qua DVCQG", "bank": "chuyển khoản"}


@dataclass(frozen=True)
class SheetItem:
    """A sheet row with its number; the member's earlier unpaid months come with the row,
    counted as at the sheet's month (not today) in the window of the branch's rule."""

    index: int
    row: SheetRow
    # Months a caller worked out itself from `unpaid_members` (as at today): not shown, the
    # row's own months are. Kept so that callers passing it keep working.
    today_owing: tuple[str, ...] = ()

    @property
    def member_id(self) -> str:
        return self.row.member_id

    @property
    def owing(self) -> tuple[str, ...]:
        """Earlier months still unpaid, oldest first (excused ones included)."""
        return self.row.owing

    @property
    def owed(self) -> bool:
        """This month is still to be paid (a setting in force, not exempt, not paid)."""
        r = self.row
        return not r.is_paid and not r.exempt and r.basis is not None

    @property
    def highlighted(self) -> bool:
        return bool(self.owing)


def due_text(item: SheetItem) -> str:
    r = item.row
    if r.exempt:
        return "Miễn"
    if r.basis is None:
        return "—"
    return money(r.due)


def state_text(item: SheetItem) -> str:
    """Short enough for a fixed column; the details are in `state_tooltip`."""
    r = item.row
    p = r.payment
    if p is not None and p.paid:
        return f"Đã đóng {CHANNEL_WORDS.get(p.channel, p.channel_phrase)}"
    if r.exempt:
        return "Miễn đóng"
    if p is not None:
        return f"Có lý do: {p.note}"
    if r.basis is None:
        return "Chưa ghi mức đóng"
    return f"Chưa đóng (giảm {r.reduce_percent}%)" if r.reduce_percent else "Chưa đóng"


def state_tooltip(item: SheetItem) -> str:
    r = item.row
    p = r.payment
    parts = [state_text(item)]
    if p is not None and p.paid:
        parts[0] += {"late": ", nộp muộn", "advance": ", đóng trước"}.get(p.timing, "")
        parts.append(payment_tooltip(item) or "")
    if r.exempt and r.exempt_reason:
        parts.append(f"Lý do miễn: {r.exempt_reason}.")
    if r.reduce_percent and r.is_paid:
        parts.append(f"Được giảm {r.reduce_percent}%.")
    if p is not None and not p.paid:
        parts = [f"Chưa đóng, có lý do: {p.note}"]
    return "\n".join(x for x in parts if x)


def cash_text(item: SheetItem) -> str:
    """The amount paid in cash (the date and receipt in the tooltip)."""
    p = item.row.payment
    if p is not None and p.channel == "cash":
        return f"✔ {money(p.amount)}"
    return ""


def online_text(item: SheetItem) -> str:
    p = item.row.payment
    if p is not None and p.channel == "dvcqg":
        return f"✔ {money(p.amount)}"
    if p is not None and p.channel == "bank":
        return f"✔ CK {money(p.amount)}"
    return ""


def payment_tooltip(item: SheetItem) -> str | None:
    p = item.row.payment
    if p is None:
        if item.owed:
            return "Bấm ô “Tiền mặt” (phím T) hoặc ô “DVCQG” (phím D) để ghi đã đóng."
        return None
    if not p.paid:
        return f"Chưa đóng, có lý do: {p.note}"
    parts = [f"{money(p.amount)} đ, ngày {p.paid_on:%d/%m/%Y}, {p.channel_label.lower()}"]
    if p.receipt_label:
        parts.append(f"biên lai số {p.receipt_label}")
    if p.reference:
        parts.append(f"mã giao dịch {p.reference}")
    return "; ".join(parts) + "."


def _state_colour(item: SheetItem) -> str | None:
    if item.row.is_paid:
        return PAID_COLOUR
    if item.owed:
        return UNPAID_COLOUR
    return None


def _owing_text(item: SheetItem) -> str:
    return months_label(item.owing) if item.owing else ""


def _owing_tooltip(item: SheetItem) -> str | None:
    if not item.owing:
        return None
    window = item.row.owing_window
    span = f" ({window.span_label})" if window is not None else ""
    excused = [m for m in item.owing if m not in item.row.owing_unexcused]
    text = f"Chưa đóng {len(item.owing)} tháng{span}: {months_label(item.owing)}."
    if excused:
        text += f" Có lý do: {months_label(excused)}."
    return text


def owing_heading(items: Sequence[SheetItem]) -> tuple[str, str]:
    """The owing column's heading and its tooltip, from the sheet's window."""
    window = items[0].row.owing_window if items else None
    if window is None:
        return OWING_HEADING, "Các tháng trước chưa đóng đảng phí."
    return window.heading, window.description


class SheetModel(ListTableModel[SheetItem]):
    """The month's collection sheet, one member a row."""

    columns = (
        Column[SheetItem]("STT", lambda i: str(i.index), align=CENTER),
        # Elided when the window is narrow: the whole name in the tooltip.
        Column[SheetItem](
            "Họ và tên", lambda i: i.row.full_name, tooltip=lambda i: i.row.full_name
        ),
        Column[SheetItem]("Phải đóng", due_text, align=RIGHT),
        # What was paid shows in the column of how it was paid; a click there marks it.
        Column[SheetItem]("Tiền mặt", cash_text, tooltip=payment_tooltip, align=RIGHT),
        Column[SheetItem]("DVCQG", online_text, tooltip=payment_tooltip, align=RIGHT),
        Column[SheetItem](
            "Trạng thái", state_text, tooltip=state_tooltip, foreground=_state_colour
        ),
        # The heading says what is counted (the rule's window): see `owing_heading`.
        Column[SheetItem](OWING_HEADING, _owing_text, tooltip=_owing_tooltip),
    )

    def set_items(self, items: Sequence[SheetItem]) -> None:
        super().set_items(items)
        self._heading_changed()

    def _heading_changed(self) -> None:
        self.headerDataChanged.emit(QtCore.Qt.Orientation.Horizontal, COL_OWING, COL_OWING)

    def update_items(self, items: Sequence[SheetItem]) -> None:
        """New figures for the same members update the cells in place (no reset: the current
        row and the scroll position stay); another list of members resets the table."""
        items = list(items)
        if [i.member_id for i in items] != [i.member_id for i in self.items]:
            self.set_items(items)
            return
        self.items = items
        if items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(items) - 1, len(self.columns) - 1)
            )
        self._heading_changed()

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        horizontal = orientation == QtCore.Qt.Orientation.Horizontal
        if horizontal and section == COL_OWING and role in OWING_HEADER_ROLES:
            heading, description = owing_heading(self.items)
            if role == QtCore.Qt.ItemDataRole.DisplayRole:
                return heading
            return f"{heading}: {description[0].lower()}{description[1:]}"
        if (
            role == QtCore.Qt.ItemDataRole.ToolTipRole
            and horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header  # whole, when a narrow window elides it
        if (
            role == QtCore.Qt.ItemDataRole.TextAlignmentRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and section == COL_OWING
        ):
            # The last column takes what is left: if that is short, its heading keeps its
            # beginning ("Còn nợ trong…") rather than losing both ends.
            return int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def role_data(self, item: SheetItem, column: int, role: int) -> Any:
        if role == MEMBER_ID_ROLE:
            return item.member_id
        if role == QtCore.Qt.ItemDataRole.BackgroundRole and item.highlighted:
            return QtGui.QBrush(QtGui.QColor(OWING_BACKGROUND))
        return None


def setting_text(s: SettingView) -> str:
    if s.basis == "exempt":
        kind = EXEMPT_KINDS.get(s.exempt_kind, "")
        return "Miễn đóng" + (f": {kind}" if kind else "")
    parts = [BASES.get(s.basis, s.basis)]
    if s.income is not None:
        parts.append(f"thu nhập {money(s.income)} đ")
    if s.amount is not None:
        parts.append(f"mức {money(s.amount)} đ")
    if s.reduce_percent:
        until = f" đến {month_label(s.reduce_until)}" if s.reduce_until else ""
        parts.append(f"giảm {s.reduce_percent}%{until}")
    return ", ".join(parts)


class SettingHistoryModel(ListTableModel[SettingView]):
    """A member's dues settings, oldest first."""

    columns = (
        Column[SettingView]("Từ tháng", lambda s: month_label(s.effective_from), align=CENTER),
        Column[SettingView]("Cách tính", setting_text, tooltip=setting_text),
        Column[SettingView]("Lý do", lambda s: s.reason, tooltip=lambda s: s.reason or None),
        Column[SettingView](
            "Người ghi, lúc",
            lambda s: f"{s.recorded_by}, {s.recorded_at:%d/%m/%Y}".strip(", "),
        ),
    )


IMPORT_STATES = {"new": "Mới", "already": "Đã có", "skipped": "Bỏ qua", "problem": "Lỗi"}


class ImportRowsModel(ListTableModel[ImportRow]):
    """The rows of a DVCQG list or bank statement, as previewed or imported."""

    text_as_tooltip = True

    columns = (
        Column[ImportRow]("Dòng", lambda r: str(r.line), align=CENTER),
        Column[ImportRow](
            "Kết quả",
            lambda r: IMPORT_STATES.get(r.state, r.state),
            foreground=lambda r: UNPAID_COLOUR if r.state == "problem" else None,
        ),
        Column[ImportRow]("Họ và tên", lambda r: r.full_name),
        Column[ImportRow]("Tháng", lambda r: months_label(r.months) if r.months else ""),
        Column[ImportRow]("Số tiền (đ)", lambda r: money(r.amount), align=RIGHT),
        Column[ImportRow]("Ghi chú", lambda r: r.message),
    )

"""Attendance figures as tables: one row per member, and one per month / quarter / year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.services.meeting_stats import MemberAttendance, PeriodAttendance
from ui.qt import QtCore, QtGui
from ui.widgets.list_model import CENTER, Column, ListTableModel

FLAGGED_COLOUR = "#b00020"


def percent_text(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


class MemberStatsModel(ListTableModel[MemberAttendance]):
    """One row per member; members with an early warning are shown in red."""

    columns: Sequence[Column[MemberAttendance]] = (
        Column("Họ và tên", lambda m: m.full_name),
        Column("Phải dự", lambda m: str(m.expected), align=CENTER),
        Column("Có mặt", lambda m: str(m.present), align=CENTER),
        Column("Vắng có lý do", lambda m: str(m.excused), align=CENTER),
        Column("Vắng không lý do", lambda m: str(m.unexcused), align=CENTER),
        Column("Tỷ lệ (%)", lambda m: percent_text(m.percent), align=CENTER),
        Column("Vắng liên tiếp nhiều nhất", lambda m: str(m.longest_absent_run), align=CENTER),
    )

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.flagged: set[str] = set()

    def set_rows(self, rows: list[MemberAttendance], flagged: set[str]) -> None:
        self.flagged = set(flagged)
        self.set_items(rows)

    def role_data(self, item: MemberAttendance, column: int, role: int) -> Any:
        if role == QtCore.Qt.ItemDataRole.ForegroundRole and item.member_id in self.flagged:
            return QtGui.QBrush(QtGui.QColor(FLAGGED_COLOUR))
        return None


def _figure(value: Callable[[PeriodAttendance], str]) -> Callable[[PeriodAttendance], str]:
    """A figure of a period, or a dash for a period without meetings."""
    return lambda p: value(p) if p.meetings else "–"


class PeriodStatsModel(ListTableModel[PeriodAttendance]):
    columns: Sequence[Column[PeriodAttendance]] = (
        Column("Kỳ", lambda p: p.label),
        Column("Số cuộc họp", lambda p: str(p.meetings), align=CENTER),
        Column("Lượt phải dự", _figure(lambda p: str(p.expected)), align=CENTER),
        Column("Có mặt", _figure(lambda p: str(p.present)), align=CENTER),
        Column("Vắng có lý do", _figure(lambda p: str(p.excused)), align=CENTER),
        Column("Vắng không lý do", _figure(lambda p: str(p.unexcused)), align=CENTER),
        Column("Tỷ lệ (%)", _figure(lambda p: percent_text(p.percent)), align=CENTER),
    )

    def set_rows(self, rows: list[PeriodAttendance]) -> None:
        self.set_items(rows)

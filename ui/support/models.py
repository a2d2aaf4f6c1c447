"""The onboarding board and the support sessions as tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.services.support import OnboardingRow, SessionView
from ui.qt import QtCore
from ui.widgets.list_model import Column, ListTableModel

ROW_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1


class BoardModel(ListTableModel[OnboardingRow]):
    columns: Sequence[Column[OnboardingRow]] = (
        Column("Họ và tên", lambda r: r.full_name),
        Column("Tuổi", lambda r: str(r.age) if r.age is not None else ""),
        Column("Tài khoản", lambda r: r.account_label),
        Column("Lý do", lambda r: r.reason_label),  # (chưa dùng): short, the column is narrow
        Column("Ngày hỗ trợ", lambda r: f"{r.last_helped_on:%d/%m/%Y}" if r.last_helped_on else ""),
        Column("Việc tiếp theo", lambda r: r.next_step),
    )
    text_as_tooltip = True

    def role_data(self, item: OnboardingRow, column: int, role: int) -> Any:
        return item.member_id if role == ROW_ID_ROLE else None


def _held_on(s: SessionView) -> str:
    planned = " (đã lên lịch)" if s.is_planned() else ""
    return f"{s.held_on:%d/%m/%Y}{planned}"


class SessionsModel(ListTableModel[SessionView]):
    columns: Sequence[Column[SessionView]] = (
        Column("Ngày", _held_on),
        Column("Địa điểm", lambda s: s.place),
        Column("Người hỗ trợ", lambda s: ", ".join(s.helpers)),
        Column("Số đảng viên", lambda s: str(len(s.attendees))),
        Column(
            "Việc đã làm",
            lambda s: "; ".join(f"{a.full_name}: {a.description}" for a in s.attendees),
        ),
    )
    text_as_tooltip = True

    def role_data(self, item: SessionView, column: int, role: int) -> Any:
        return item.id if role == ROW_ID_ROLE else None

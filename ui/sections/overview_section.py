"""Tổng quan: the branch at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.models.member import MEMBER_STATUSES
from app.services import overview as overview_service
from ui.qt import QtWidgets
from ui.sections.base import AppContext, Section
from ui.style import set_role

if TYPE_CHECKING:
    from app.services.changes import OpChanges


class OverviewSection(Section):
    title = "Tổng quan"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        self.heading = QtWidgets.QLabel("")
        set_role(self.heading, "title")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.subheading = QtWidgets.QLabel("")
        layout.addWidget(self.subheading)
        self.cards = QtWidgets.QGridLayout()
        layout.addLayout(self.cards)
        self.details = QtWidgets.QLabel("")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        layout.addStretch(1)
        self._values: dict[str, QtWidgets.QLabel] = {}
        for i, (key, label) in enumerate(
            [
                ("members", "Đảng viên đang sinh hoạt"),
                ("next", "Cuộc họp sắp tới"),
                ("accounts", "Chưa có tài khoản Sổ tay điện tử"),
                ("sync", "Thay đổi chờ đồng bộ"),
            ]
        ):
            box = QtWidgets.QGroupBox(label)
            inner = QtWidgets.QVBoxLayout(box)
            value = QtWidgets.QLabel("…")
            set_role(value, "figure")
            value.setWordWrap(True)
            inner.addWidget(value)
            self._values[key] = value
            self.cards.addWidget(box, i // 2, i % 2)

    def refresh(self, changes: OpChanges | None = None) -> None:
        self.ctx.runner.run(
            lambda: overview_service.overview(self.ctx.book), on_success=self._show, label=""
        )

    def _show(self, data: overview_service.Overview) -> None:
        self.heading.setText(data.branch_name)
        self.subheading.setText(data.committee)
        self._values["members"].setText(str(data.members_total))
        if data.next_meeting_at:
            when = data.next_meeting_at.strftime("%H:%M, %d/%m/%Y")
            self._values["next"].setText(f"{when}\n{data.next_meeting_place}")
        else:
            self._values["next"].setText("Chưa lên lịch")
        self._values["accounts"].setText(str(data.without_account))
        sync_text = str(data.sync_pending)
        if data.sync_attention:
            sync_text += f" (cần xem: {data.sync_attention})"
        self._values["sync"].setText(sync_text)
        parts = [
            f"{MEMBER_STATUSES.get(status, status)}: {count}"
            for status, count in sorted(data.members_by_status.items())
        ]
        support = f"Cần hỗ trợ (đảng viên cao tuổi, chưa có điện thoại thông minh…): {data.needs_support}."
        self.details.setText(("; ".join(parts) + ".\n" if parts else "") + support)

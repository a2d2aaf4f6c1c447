"""Báo cáo xin phép vắng họp: take down a member's leave request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.models.meeting_extra import ABSENCE_CHANNELS
from app.services import attendance, voting_rules
from ui.qt import QtCore, QtWidgets
from ui.style import set_role
from ui.support.dialog import NO_MEMBER
from ui.widgets.fit import fit_to_screen
from ui.widgets.section import AppContext

if TYPE_CHECKING:
    from app.services.attendance import AbsenceRequestView, RollCall


class AbsenceRequestDialog(QtWidgets.QDialog):
    """Báo cáo xin phép vắng họp: who, why, and how it came."""

    def __init__(
        self, ctx: AppContext, meeting_id: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.setWindowTitle("Xin phép vắng họp")
        fit_to_screen(self, 760, 560)
        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        self.member = QtWidgets.QComboBox()
        form.addRow("Đảng viên:", self.member)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("ví dụ: ốm, đi công tác, chăm người nhà nằm viện")
        form.addRow("Lý do:", self.reason)
        self.channel = QtWidgets.QComboBox()
        for code, label in ABSENCE_CHANNELS.items():
            self.channel.addItem(label, code)
        form.addRow("Hình thức báo:", self.channel)
        layout.addLayout(form)
        self.add_button = QtWidgets.QPushButton("Ghi đơn xin vắng")
        self.add_button.clicked.connect(self.add)
        layout.addWidget(self.add_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        self.error = QtWidgets.QLabel("")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(QtWidgets.QLabel("Đã nhận:"))
        self.list = QtWidgets.QListWidget()
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        row = QtWidgets.QHBoxLayout()
        self.withdraw_button = QtWidgets.QPushButton("Hủy đơn đang chọn")
        self.withdraw_button.clicked.connect(self.withdraw)
        close = QtWidgets.QPushButton("Đóng")
        close.clicked.connect(self.accept)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        book = self.ctx.book

        def load() -> tuple[RollCall, list[AbsenceRequestView]]:
            return (
                attendance.roll_call(book, meeting_id=self.meeting_id),
                attendance.list_requests(book, meeting_id=self.meeting_id),
            )

        self.ctx.runner.run(self, load, on_success=self._loaded)

    def _loaded(self, result: tuple[RollCall, list[AbsenceRequestView]]) -> None:
        call, requests = result
        current = self.member.currentData()
        self.member.clear()
        # Nobody chosen at first: a hurried record never goes to the first name of the list.
        self.member.addItem(NO_MEMBER, None)
        for r in call.rows:
            if r.role != voting_rules.EXEMPT:
                self.member.addItem(r.full_name, r.member_id)
        if current is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(current)))
        self.list.clear()
        for req in requests:
            item = QtWidgets.QListWidgetItem(
                f"{req.member_name} — {req.reason} ({req.channel_label}, {req.received_at:%H:%M %d/%m/%Y})"
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, req.id)
            self.list.addItem(item)

    def add(self) -> None:
        book = self.ctx.book
        member_id = self.member.currentData()
        if not member_id:
            self.error.setText("Chưa chọn đồng chí xin vắng: chọn tên trong ô “Đảng viên”.")
            self.member.setFocus()
            return
        reason = self.reason.text()
        channel = str(self.channel.currentData())

        def done(_req: object) -> None:
            self.error.clear()
            self.reason.clear()
            self.reload()

        self.ctx.runner.run(
            self,
            lambda: attendance.request_absence(
                book,
                meeting_id=self.meeting_id,
                member_id=str(member_id or ""),
                reason=reason,
                channel=channel,
            ),
            on_success=done,
            on_failure=lambda e: self.error.setText(str(e)),
        )

    def withdraw(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        request_id = str(item.data(QtCore.Qt.ItemDataRole.UserRole))
        book = self.ctx.book  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: attendance.withdraw_request(book, request_id=request_id),
            on_success=lambda _r: self.reload(),
            on_failure=lambda e: self.error.setText(str(e)),
        )

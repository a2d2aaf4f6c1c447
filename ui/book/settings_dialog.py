"""Cài đặt chi bộ: the branch's details (names, place, secretary, committee) at any time, and
this computer's preferences (text size, idle lock, the age counted as needing support)."""

from __future__ import annotations

from app.book import BranchInfo
from app.services import branch as branch_service
from ui.qt import QtCore, QtWidgets
from ui.style import error_label
from ui.widgets.fit import ScrollingDialog
from ui.widgets.section import AppContext


class SettingsDialog(ScrollingDialog):
    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent, title="Cài đặt chi bộ", preferred=QtCore.QSize(680, 600))
        self.ctx = ctx
        self.idle_minutes_changed = False
        info = ctx.book.branch()

        branch_box = QtWidgets.QGroupBox("Thông tin chi bộ (in trên biên bản, báo cáo)")
        form = QtWidgets.QFormLayout(branch_box)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name = QtWidgets.QLineEdit(info.name)
        self.name.setPlaceholderText("Chi bộ Khu phố 3")
        form.addRow("Tên chi bộ:", self.name)
        self.committee = QtWidgets.QLineEdit(info.committee)
        self.committee.setPlaceholderText("Đảng bộ Phường …")
        form.addRow("Đảng bộ cấp trên:", self.committee)
        self.place_name = QtWidgets.QLineEdit(info.place_name)
        self.place_name.setPlaceholderText("Hà Nội")
        form.addRow("Địa danh (… , ngày … tháng … năm …):", self.place_name)
        self.secretary_name = QtWidgets.QLineEdit(info.secretary_name)
        form.addRow("Họ tên bí thư:", self.secretary_name)
        self.address = QtWidgets.QLineEdit(info.address)
        form.addRow("Địa chỉ:", self.address)
        self.body_layout.addWidget(branch_box)

        prefs = QtWidgets.QGroupBox("Trên máy này")
        pform = QtWidgets.QFormLayout(prefs)
        pform.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.large_text = QtWidgets.QCheckBox("Chế độ chữ lớn")
        self.large_text.setChecked(ctx.settings.large_text)
        pform.addRow("Cỡ chữ:", self.large_text)
        self.idle_minutes = QtWidgets.QSpinBox()
        self.idle_minutes.setRange(0, 240)
        self.idle_minutes.setSuffix(" phút")
        self.idle_minutes.setSpecialValueText("không tự khóa")
        self.idle_minutes.setValue(ctx.settings.idle_lock_minutes)
        pform.addRow("Tự khóa sổ sau:", self.idle_minutes)
        self.support_age = QtWidgets.QSpinBox()
        self.support_age.setRange(0, 120)
        self.support_age.setSuffix(" tuổi")
        self.support_age.setSpecialValueText("không tính theo tuổi")
        self.support_age.setValue(ctx.settings.support_age)
        pform.addRow("Đảng viên cần hỗ trợ từ:", self.support_age)
        self.body_layout.addWidget(prefs)

        self.error = error_label()
        self.body_layout.addWidget(self.error)
        self.body_layout.addStretch(1)
        self.ok = self.buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.saved: BranchInfo | None = None
        # The caret starts in Tên chi bộ, not on the scroll area (typing is never lost).
        self.scroll_area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.name.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        fields = {
            "name": self.name.text(),
            "committee": self.committee.text(),
            "place_name": self.place_name.text(),
            "secretary_name": self.secretary_name.text(),
            "address": self.address.text(),
        }
        if not fields["name"].strip():
            self.error.setText("Tên chi bộ không được để trống.")
            self.name.setFocus()
            return
        book = self.ctx.book
        self.ok.setEnabled(False)
        self.error.setText("")

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.error.setText(str(exc))

        self.ctx.runner.run(
            self,
            lambda: branch_service.update(book, **fields),
            on_success=self._saved,
            on_failure=failed,
            label="Đang lưu thông tin chi bộ…",
        )

    def _saved(self, info: BranchInfo) -> None:
        self.saved = info
        settings = self.ctx.settings
        self.idle_minutes_changed = self.idle_minutes.value() != settings.idle_lock_minutes
        settings.idle_lock_minutes = self.idle_minutes.value()
        settings.support_age = self.support_age.value()
        self.ctx.save_settings()
        self.ok.setEnabled(True)
        self.accept()

"""Enrol this desktop with the upper committee's server."""

from __future__ import annotations

from typing import Any

from app.services import sync_state
from ui.qt import QtWidgets
from ui.style import set_role
from ui.widgets.file_dialogs import FileKind, open_file
from ui.widgets.section import AppContext


def with_scheme(address: str) -> str:
    """The server address as typed, with the scheme added when the secretary left it out:
    http only for this computer itself (loopback), https for anything else."""
    address = address.strip()
    if not address or "://" in address:
        return address
    from urllib.parse import urlsplit

    from sync.transport import is_loopback_host

    host = urlsplit("//" + address).hostname
    return ("http://" if is_loopback_host(host) else "https://") + address


class EnrolDialog(QtWidgets.QDialog):
    """Server address + one-time code (+ optional private CA bundle)."""

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Đăng ký máy với Đảng ủy cấp trên")
        form = QtWidgets.QFormLayout(self)
        hint = QtWidgets.QLabel(
            "Nhập địa chỉ máy chủ và mã đăng ký (dùng một lần) do Đảng ủy cấp trên cấp."
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        form.addRow(hint)
        config = sync_state.load_config(ctx.book)
        self.server = QtWidgets.QLineEdit(config.server_url or "")
        self.server.setPlaceholderText("https://dongbo.example.vn")
        form.addRow("Địa chỉ máy chủ:", self.server)
        self.code = QtWidgets.QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        form.addRow("Mã đăng ký:", self.code)
        row = QtWidgets.QHBoxLayout()
        self.ca_bundle = QtWidgets.QLineEdit(config.ca_bundle or "")
        self.ca_bundle.setPlaceholderText("(không bắt buộc)")
        browse = QtWidgets.QPushButton("Chọn…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.ca_bundle, 1)
        row.addWidget(browse)
        form.addRow("Chứng chỉ gốc riêng:", row)
        self.error = QtWidgets.QLabel("")
        self.error.setWordWrap(True)
        self.error.setMinimumWidth(360)
        self.error.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Minimum
        )
        set_role(self.error, "error")
        form.addRow(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok = buttons.addButton("Đăng ký", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_text = ""

    def _browse(self) -> None:
        path = open_file(
            self,
            FileKind.CERTIFICATE,
            "Chọn tệp chứng chỉ gốc",
            "Chứng chỉ (*.pem *.crt *.cer);;Mọi tệp (*)",
        )
        if path:
            self.ca_bundle.setText(path)

    def submit(self) -> None:
        from sync.client import enrol

        server, code = with_scheme(self.server.text()), self.code.text().strip()
        if server:
            self.server.setText(server)
        if not server or not code:
            self.error.setText("Vui lòng nhập địa chỉ máy chủ và mã đăng ký.")
            return
        bundle = self.ca_bundle.text().strip() or None
        book = self.ctx.book
        self.ok.setEnabled(False)
        self.error.setText("")

        def done(result: Any) -> None:
            self.ok.setEnabled(True)
            self.result_text = " ".join(
                part
                for part in (
                    f"Đã đăng ký: {result.branch_name} ({result.branch_code}).",
                    result.series_sentence,
                )
                if part
            )
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.error.setText(str(exc))

        self.ctx.runner.run(
            self,
            lambda: enrol(book, server_url=server, code=code, ca_bundle=bundle),
            on_success=done,
            on_failure=failed,
            label="Đang đăng ký với máy chủ…",
        )

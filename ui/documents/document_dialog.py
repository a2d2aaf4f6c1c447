"""Confirm or correct what the program recognised in imported documents (số hiệu, loại, cơ
quan ban hành, ngày, nơi ban hành, tiêu đề), one document after another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from app.errors import KnownError, ValidationError
from app.models.document import DOCUMENT_TYPES
from app.services import documents
from app.services.changes import OpChanges
from app.text import clean
from app.vocab import Entity
from ui.qt import QtCore, QtWidgets, Signal
from ui.style import error_label, set_role
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.section import AppContext

PREVIEW_CHARS = 1500


def parse_date(text: str) -> dt.date | None:
    """dd/mm/yyyy (also with - or .); '' is None; anything else raises ValidationError."""
    text = clean(text)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        f"Ngày “{text}” không đúng dạng ngày/tháng/năm (ví dụ 17/09/2025).", field="issued_on"
    )


class DocumentFieldsDialog(QtWidgets.QDialog):
    """Shows each document's recognised fields beside the start of its text."""

    saved = Signal(object)  # OpChanges

    def __init__(
        self,
        ctx: AppContext,
        document_ids: Sequence[str],
        *,
        notes: dict[str, str] | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.queue = list(document_ids)
        self.notes = notes or {}
        self.position = 0
        self.current: documents.DocumentView | None = None
        self.saved_ids: list[str] = []
        self.setWindowTitle("Xác nhận thông tin tài liệu")
        fit_on_show(self, 1100, 720)

        outer = QtWidgets.QVBoxLayout(self)
        self.counter = QtWidgets.QLabel("")
        self.counter.setWordWrap(True)  # a long file name wraps instead of widening the dialog
        set_role(self.counter, "heading")
        outer.addWidget(self.counter)
        self.note = QtWidgets.QLabel("")
        self.note.setWordWrap(True)
        set_role(self.note, "hint")
        outer.addWidget(self.note)

        split = QtWidgets.QHBoxLayout()
        outer.addLayout(split, 1)
        form_box = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(form_box)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.number = QtWidgets.QLineEdit()
        self.number.setPlaceholderText("ví dụ 18-KH/ĐU hoặc 13/KH-UBND")
        self.doc_type = QtWidgets.QComboBox()
        for code, label in DOCUMENT_TYPES.items():
            self.doc_type.addItem(label, code)
        self.issuer = QtWidgets.QLineEdit()
        issuers = [name for name, _n in documents.facets(ctx.book).issuers]
        completer = QtWidgets.QCompleter(issuers, self)
        completer.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
        self.issuer.setCompleter(completer)
        self.issued_on = QtWidgets.QLineEdit()
        self.issued_on.setPlaceholderText("ngày/tháng/năm, ví dụ 17/09/2025")
        self.place = QtWidgets.QLineEdit()
        self.title_edit = QtWidgets.QPlainTextEdit()
        self.title_edit.setTabChangesFocus(True)
        self.summary = QtWidgets.QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("Tóm tắt ngắn để đọc hoặc in chữ lớn cho đảng viên")
        self.tags = QtWidgets.QLineEdit()
        self.tags.setPlaceholderText("từ khóa, cách nhau bằng dấu phẩy")
        line_height = self.fontMetrics().lineSpacing()
        self.title_edit.setMinimumHeight(line_height * 3)
        self.summary.setMinimumHeight(line_height * 4)
        form.addRow("Số hiệu:", self.number)
        form.addRow("Loại:", self.doc_type)
        form.addRow("Cơ quan ban hành:", self.issuer)
        form.addRow("Ngày ban hành:", self.issued_on)
        form.addRow("Nơi ban hành:", self.place)
        form.addRow("Tiêu đề:", self.title_edit)
        form.addRow("Tóm tắt:", self.summary)
        form.addRow("Từ khóa:", self.tags)
        self.error = error_label()
        form.addRow(self.error)
        split.addWidget(form_box, 3)

        preview_box = QtWidgets.QVBoxLayout()
        preview_label = QtWidgets.QLabel("Phần đầu văn bản (để đối chiếu):")
        preview_box.addWidget(preview_label)
        self.preview = QtWidgets.QPlainTextEdit()
        self.preview.setReadOnly(True)
        preview_box.addWidget(self.preview, 1)
        split.addLayout(preview_box, 2)

        buttons = QtWidgets.QHBoxLayout()
        self.skip_button = QtWidgets.QPushButton("Bỏ qua")
        self.save_button = QtWidgets.QPushButton("Lưu")
        self.save_button.setDefault(True)
        self.close_button = QtWidgets.QPushButton("Đóng")
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save_current)
        self.skip_button.clicked.connect(self.next_document)
        self.close_button.clicked.connect(self.reject)
        self._show(0)

    # -- navigation --------------------------------------------------------------------------
    def _show(self, position: int) -> None:
        self.position = position
        if position >= len(self.queue):
            self.accept()
            return
        doc_id = self.queue[position]
        try:
            doc = documents.get(self.ctx.book, document_id=doc_id, with_text=True)
        except KnownError:
            self._show(position + 1)  # removed meanwhile
            return
        self.current = doc
        total = len(self.queue)
        self.counter.setText(
            f"Tài liệu {position + 1}/{total}: {doc.filename}" if total > 1 else doc.filename
        )
        note = self.notes.get(doc_id, "")
        if not note and not doc.has_text:
            note = "Tài liệu chưa có nội dung chữ: hãy nhập số hiệu, tiêu đề và tóm tắt bằng tay."
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.number.setText(doc.number)
        index = self.doc_type.findData(doc.doc_type)
        self.doc_type.setCurrentIndex(max(0, index))
        self.issuer.setText(doc.issuer)
        self.issued_on.setText(doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "")
        self.place.setText(doc.place)
        self.title_edit.setPlainText(doc.title)
        self.summary.setPlainText(doc.summary)
        self.tags.setText(doc.tags)
        self.preview.setPlainText(doc.text[:PREVIEW_CHARS] or "(không có nội dung chữ)")
        self.error.setText("")
        last = position == total - 1
        self.save_button.setText("Lưu" if last else "Lưu và xem tài liệu tiếp")
        self.skip_button.setText("Bỏ qua" if last else "Bỏ qua, xem tài liệu tiếp")
        self.number.setFocus()

    def next_document(self) -> None:
        self._show(self.position + 1)

    # -- saving ------------------------------------------------------------------------------
    def fields(self) -> documents.DocumentFields:
        return documents.DocumentFields(
            number=self.number.text(),
            doc_type=str(self.doc_type.currentData()),
            issuer=self.issuer.text(),
            issued_on=parse_date(self.issued_on.text()),
            place=self.place.text(),
            title=" ".join(self.title_edit.toPlainText().split()),
            summary=self.summary.toPlainText(),
            tags=self.tags.text(),
        )

    def save_current(self) -> bool:
        if self.current is None:
            return False
        try:
            saved = documents.update(self.ctx.book, document_id=self.current.id, data=self.fields())
        except ValidationError as exc:
            self.error.setText(exc.message)
            widget = {
                "number": self.number,
                "doc_type": self.doc_type,
                "issuer": self.issuer,
                "issued_on": self.issued_on,
                "place": self.place,
                "title": self.title_edit,
                "tags": self.tags,
            }.get(exc.field or "")
            if widget is not None:
                widget.setFocus()
            return False
        except KnownError as exc:
            self.error.setText(exc.message)
            return False
        self.saved_ids.append(saved.id)
        self.saved.emit(OpChanges.of(Entity.DOCUMENT, ids=(saved.id,)))
        self.next_document()
        return True

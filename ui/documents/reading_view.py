"""Đọc chữ lớn: a document (or its summary) in very large text, for support sessions where
the secretary reads to elderly members or they read along on the screen.

Text size follows the application font (so large-text mode applies) times a factor the
user changes with A− / A+ (or Ctrl+− / Ctrl+=). Lines are joined into paragraphs.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from app.documents.reflow import reflow
from app.errors import KnownError
from app.services import documents
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import set_role
from ui.widgets.file_dialogs import FileKind, save_file
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext

MIN_FACTOR, MAX_FACTOR, STEP = 1.2, 4.0, 0.2
DEFAULT_FACTOR = 2.0


class ReadingView(QtWidgets.QDialog):
    def __init__(
        self,
        ctx: AppContext,
        document_id: str,
        *,
        summary_only: bool = False,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.document_id = document_id
        self.factor = DEFAULT_FACTOR
        self.setWindowTitle("Đọc chữ lớn")
        fit_on_show(self, 1000, 760)
        self.setWindowFlag(QtCore.Qt.WindowType.WindowMaximizeButtonHint, True)
        layout = QtWidgets.QVBoxLayout(self)

        bar = FlowLayout()  # wraps in large text instead of widening past the screen
        self.smaller = QtWidgets.QPushButton("A−  Chữ nhỏ hơn")
        self.larger = QtWidgets.QPushButton("A+  Chữ to hơn")
        self.summary_box = QtWidgets.QCheckBox("Chỉ đọc phần tóm tắt")
        self.print_button = QtWidgets.QPushButton("In chữ lớn…")
        self.full_screen = QtWidgets.QPushButton("Toàn màn hình")
        self.full_screen.setCheckable(True)
        close = QtWidgets.QPushButton("Đóng")
        for w in (self.smaller, self.larger, self.summary_box):
            bar.addWidget(w)
        for w in (self.print_button, self.full_screen, close):
            bar.addWidget(w)
        layout.addLayout(bar)

        self.heading = QtWidgets.QLabel("")
        self.heading.setWordWrap(True)
        set_role(self.heading, "title")
        layout.addWidget(self.heading)
        # Why there is nothing to read (a scanned PDF): at the top, where it is seen.
        self.notice = QtWidgets.QLabel("")
        self.notice.setWordWrap(True)
        set_role(self.notice, "heading")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)
        self.text = QtWidgets.QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setObjectName("readingText")
        layout.addWidget(self.text, 1)
        self.status = QtWidgets.QLabel("")
        set_role(self.status, "hint")
        layout.addWidget(self.status)
        # Without text (a scan) the explanation stays at the top, the space below it empty.
        self.filler = QtWidgets.QWidget()
        layout.addWidget(self.filler, 1)

        self.smaller.clicked.connect(lambda: self.zoom(-STEP))
        self.larger.clicked.connect(lambda: self.zoom(STEP))
        QtGui.QShortcut(QtGui.QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom(STEP))
        QtGui.QShortcut(QtGui.QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom(-STEP))
        self.summary_box.toggled.connect(lambda _on: self.load())
        self.print_button.clicked.connect(self.print_large)
        self.full_screen.toggled.connect(self._full_screen)
        close.clicked.connect(self.accept)

        self.doc = documents.get(ctx.book, document_id=document_id)
        self.summary_box.setEnabled(bool(self.doc.summary))
        self.summary_box.setChecked(summary_only and bool(self.doc.summary))
        self.load()

    # -- content ---------------------------------------------------------------------------
    def load(self) -> None:
        summary = self.summary_box.isChecked()
        try:
            heading, body = documents.reading_text(
                self.ctx.book, document_id=self.document_id, summary_only=summary
            )
        except KnownError as exc:
            heading, body = self.doc.title or self.doc.filename, ""
            self.status.setText("")
            self.notice.setText(
                f"{exc.message}\n\nCó thể bấm “Sửa thông tin…” trong thư viện để nhập phần "
                "tóm tắt, hoặc “Lưu tệp gốc…” để mở bản quét bằng chương trình xem PDF."
            )
        else:
            self.notice.setText("")
            self.status.setText(
                "Đang đọc phần tóm tắt." if summary else "Dùng A+ / A− để đổi cỡ chữ."
            )
        self.heading.setText(heading)
        paragraphs = [p for p in reflow(body).split("\n\n") if p.strip()]
        html = "".join(
            f"<p style='margin-bottom:0.8em'>{escape(p).replace(chr(10), '<br/>')}</p>"
            for p in paragraphs
        )
        self.text.setHtml(html)
        # No blank white box: without text only the explanation is shown.
        self.notice.setVisible(not paragraphs)
        self.text.setVisible(bool(paragraphs))
        self.filler.setVisible(not paragraphs)
        self._apply_font()

    def zoom(self, delta: float) -> None:
        self.factor = max(MIN_FACTOR, min(MAX_FACTOR, round(self.factor + delta, 2)))
        self._apply_font()

    def _apply_font(self) -> None:
        base = QtWidgets.QApplication.font()
        font = QtGui.QFont(base)
        font.setPointSizeF(base.pointSizeF() * self.factor)
        # The application style sheet sets every widget's font size (large-text mode), and a
        # style sheet wins over setFont: this widget's own style sheet says how large to read.
        self.text.setStyleSheet(
            f"QTextBrowser#readingText {{ font-size: {font.pointSizeF():.1f}pt; }}"
        )
        self.text.setFont(font)
        self.text.document().setDefaultFont(font)
        self.smaller.setEnabled(self.factor > MIN_FACTOR)
        self.larger.setEnabled(self.factor < MAX_FACTOR)

    @property
    def point_size(self) -> float:
        return float(self.text.font().pointSizeF())

    def _full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # -- printing ----------------------------------------------------------------------------
    def print_large(self) -> None:
        stem = Path(self.doc.filename).stem or "tai-lieu"
        path = save_file(
            self, FileKind.PDF, "In chữ lớn ra PDF", f"{stem}-chu-lon.pdf", "Tệp PDF (*.pdf)"
        )
        if path:
            print_document(
                self.ctx, self.document_id, Path(path), summary=self.summary_box.isChecked()
            )


def print_document(ctx: AppContext, document_id: str, path: Path, *, summary: bool = False) -> None:
    """Write the large-print PDF (16-18 pt) in the background; tell the user when done."""
    book = ctx.book

    def work() -> Path:
        from reports.output import write_pdf
        from reports.printing import document_pdf

        heading, body = documents.reading_text(book, document_id=document_id, summary_only=summary)
        doc = documents.get(book, document_id=document_id)
        return write_pdf(
            path, document_pdf(doc, heading=heading, body=body, large=True, summary=summary)
        )

    ctx.runner.run(
        None,
        work,
        on_success=lambda dest: offer_pdf(
            ctx.message.parent, ctx.message, str(dest), title="Đã in chữ lớn"
        ),
        on_failure=lambda exc: ctx.message.error("Không in được", str(exc)),
        label="Đang tạo bản in chữ lớn…",
    )

"""Tài liệu: the branch's library — import many files (dialog or drag-and-drop), confirm what
was recognised, find documents without typing marks, read and print them in large text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.documents.extract import MIME, READABLE
from app.file_writes import safe_file_name
from app.services import documents
from app.services.changes import OpChanges
from app.services.documents import DocumentView, ImportOutcome
from app.vocab import Entity
from ui.documents.html_delegate import HtmlDelegate
from ui.documents.importing import (
    FILE_FILTER,
    ProgressRelay,
    import_note,
    import_report,
    importable_files,
)
from ui.documents.model import DOC_ID_ROLE, DocumentsModel, SearchModel
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import set_role
from ui.widgets.columns import fit_table
from ui.widgets.file_dialogs import FileKind, open_files, save_file
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext, Section

SEARCH_DELAY_MS = 250
TITLE_COLUMN, ISSUER_COLUMN, SOURCE_COLUMN = 2, 3, 5  # of the library (DocumentsModel)


class DocumentsSection(Section):
    title = "Tài liệu"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAcceptDrops(True)
        self.fields_dialog: QtWidgets.QDialog | None = None
        self.reading_view: QtWidgets.QDialog | None = None
        self.last_outcomes: list[ImportOutcome] = []
        layout = QtWidgets.QVBoxLayout(self)

        top = FlowLayout()
        heading = QtWidgets.QLabel("Thư viện tài liệu")
        set_role(heading, "title")
        top.addWidget(heading)
        self.import_button = QtWidgets.QPushButton("Nhập tài liệu…")
        self.import_button.setToolTip("Chọn nhiều tệp PDF, Word, bảng tính, văn bản (.txt)")
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.drop_hint = QtWidgets.QLabel(
            "Có thể kéo thả tệp hoặc thư mục vào đây để nhập. Tìm không cần gõ dấu."
        )
        self.drop_hint.setToolTip(
            "Tìm kiếm không cần gõ dấu: “339-QD/TW” tìm được 339-QĐ/TW, “dang vien” tìm được "
            "“đảng viên”."
        )
        self.drop_hint.setWordWrap(True)
        set_role(self.drop_hint, "hint")
        layout.addWidget(self.drop_hint)

        self.search_box = QtWidgets.QLineEdit()
        self.search_box.setPlaceholderText("Tìm trong tài liệu: số hiệu, tiêu đề, nội dung…")
        self.search_box.setClearButtonEnabled(True)
        layout.addWidget(self.search_box)
        filters = FlowLayout()  # wraps in large text instead of widening the page
        self.type_filter = QtWidgets.QComboBox()
        self.issuer_filter = QtWidgets.QComboBox()
        self.issuer_filter.setMinimumContentsLength(16)
        self.issuer_filter.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.year_filter = QtWidgets.QComboBox()
        # Type and year first: in large text at 1024 wide they share a line, the issuer
        # takes the next (three lines before), and the list keeps the height.
        for label, combo, chars in (
            ("Loại:", self.type_filter, 14),
            ("Năm:", self.year_filter, 9),
            ("Nơi ban hành:", self.issuer_filter, 16),
        ):
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(chars)
            pair = QtWidgets.QWidget()
            pair_layout = QtWidgets.QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 0, 0)
            pair_layout.addWidget(QtWidgets.QLabel(label))
            pair_layout.addWidget(combo)
            filters.addWidget(pair)
        self.count_label = QtWidgets.QLabel("")
        filters.addWidget(self.count_label)  # on the filters' line, not a line of its own
        layout.addLayout(filters)

        self.progress = QtWidgets.QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat("Đang nhập %v/%m tệp…")
        layout.addWidget(self.progress)

        self.model = DocumentsModel(self)
        self.view = self._table(self.model)
        self.results = SearchModel(self)
        self.results_view = self._table(self.results)
        self.results_view.setItemDelegateForColumn(0, HtmlDelegate(self.results_view))
        self.results_view.setWordWrap(True)
        # The found text takes what the number and the date (whole) leave.
        fit_table(self.results_view, text=(0,))
        self.library_header = self.view.horizontalHeader()
        # The number, type, date and source are shown whole; the title and the issuer share
        # what they leave, the title taking the most (see fit_table): no sideways scrolling.
        # On a narrow page the source (also in "Sửa thông tin…") gives its place to the title.
        fit_table(
            self.view,
            text=(TITLE_COLUMN, ISSUER_COLUMN),
            main=TITLE_COLUMN,
            optional=(SOURCE_COLUMN,),
        )
        # Rows of two lines at most: a long title is elided (whole as tooltip), so the
        # library shows many documents at once.
        self.view.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self._size_rows()
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.results_view)
        layout.addWidget(self.stack, 1)
        self.empty_label = QtWidgets.QLabel("")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        actions = FlowLayout()
        self.edit_button = QtWidgets.QPushButton("Sửa thông tin…")
        self.read_button = QtWidgets.QPushButton("Đọc chữ lớn")
        self.print_button = QtWidgets.QPushButton("In chữ lớn…")
        self.export_button = QtWidgets.QPushButton("Lưu tệp gốc…")
        self.remove_button = QtWidgets.QPushButton("Xóa khỏi thư viện")
        for b in (
            self.edit_button,
            self.read_button,
            self.print_button,
            self.export_button,
            self.remove_button,
        ):
            actions.addWidget(b)
        layout.addLayout(actions)

        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _t: self._timer.start())
        self.search_box.returnPressed.connect(self.run_search)
        for combo in (self.type_filter, self.issuer_filter, self.year_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.import_button.clicked.connect(self.choose_files)
        self.edit_button.clicked.connect(self.edit_selected)
        self.read_button.clicked.connect(self.read_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.export_button.clicked.connect(self.export_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        for v in (self.view, self.results_view):
            v.doubleClicked.connect(lambda _i: self.read_selected())
            v.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._filling = False
        self._update_buttons()

    def _size_rows(self) -> None:
        line = self.fontMetrics().lineSpacing()
        self.view.verticalHeader().setDefaultSectionSize(line + 10)
        self.results_view.verticalHeader().setDefaultSectionSize(line * 2 + 8)

    def text_size_changed(self) -> None:
        self._size_rows()

    def _table(self, model: QtCore.QAbstractTableModel) -> QtWidgets.QTableView:
        view = QtWidgets.QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 2 + 6)
        view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        return view

    # -- loading -------------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not changes.touches(Entity.DOCUMENT):
            return
        self._fill_filters()
        self.reload()

    def _fill_filters(self) -> None:
        facets = documents.facets(self.ctx.book)
        self._filling = True
        try:
            for combo, items, everything in (
                (
                    self.type_filter,
                    [(f"{label} ({n})", code) for code, label, n in facets.types],
                    "Mọi loại",
                ),
                (
                    self.issuer_filter,
                    [(f"{name} ({n})", name) for name, n in facets.issuers],
                    "Mọi nơi",
                ),
                (self.year_filter, [(f"{y} ({n})", y) for y, n in facets.years], "Mọi năm"),
            ):
                current = combo.currentData()
                combo.clear()
                combo.addItem(everything, None)
                for label, value in items:
                    combo.addItem(label, value)
                index = combo.findData(current) if current is not None else 0
                combo.setCurrentIndex(max(0, index))
        finally:
            self._filling = False
        self.total_documents = facets.total

    def filters(self) -> dict[str, Any]:
        return {
            "doc_type": self.type_filter.currentData(),
            "issuer": self.issuer_filter.currentData(),
            "year": self.year_filter.currentData(),
        }

    def reload(self) -> None:
        if self._filling:
            return
        if self.search_box.text().strip():
            self.run_search()
            return
        book, filters = self.ctx.book, self.filters()
        self.ctx.runner.run(
            self,
            lambda: documents.list_documents(book, **filters),
            on_success=self._show_library,
            label="Đang tải thư viện…",
        )

    def _show_library(self, items: list[DocumentView]) -> None:
        self.model.set_items(items)
        self.stack.setCurrentWidget(self.view)
        total = getattr(self, "total_documents", len(items))
        filtered = any(v is not None for v in self.filters().values())
        # The drop hint is for an empty library; a full one gives its lines to the list.
        self.drop_hint.setVisible(not total)
        if not total:
            self.count_label.setText("")
            self.empty_label.setText(
                "Thư viện chưa có tài liệu. Bấm “Nhập tài liệu…” hoặc kéo thả tệp vào đây."
            )
        else:
            self.empty_label.setText("" if items else "Không có tài liệu nào khớp bộ lọc.")
            self.count_label.setText(
                f"{len(items)} / {total} tài liệu" if filtered else f"{total} tài liệu"
            )
        self.empty_label.setVisible(bool(self.empty_label.text()))
        self._update_buttons()

    def run_search(self) -> None:
        self._timer.stop()
        query = self.search_box.text().strip()
        if not query:
            self.reload()
            return
        book, filters = self.ctx.book, self.filters()
        self.ctx.runner.run(
            self,
            lambda: documents.search(book, query=query, limit=30, **filters),
            on_success=self._show_results,
            on_failure=self._search_failed,
            label="Đang tìm…",
        )

    def _search_failed(self, exc: BaseException) -> None:
        self.empty_label.setText(str(exc))
        self.empty_label.setVisible(True)

    def _show_results(self, found: documents.SearchResults) -> None:
        if found.query.strip() != self.search_box.text().strip():
            return  # the user typed on; a newer search is coming
        self.results.set_items(found.hits)
        self.stack.setCurrentWidget(self.results_view)
        self.results_view.resizeRowsToContents()
        if found.hits:
            shown = f" (hiện {len(found.hits)} đầu tiên)" if found.total > len(found.hits) else ""
            self.count_label.setText(f"Tìm thấy {found.total} tài liệu{shown}")
            self.empty_label.setText("")
        else:
            self.count_label.setText("")
            self.empty_label.setText(f"Không tìm thấy tài liệu nào với “{found.query}”.")
        self.empty_label.setVisible(bool(self.empty_label.text()))
        self._update_buttons()

    # -- selection -----------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        view = self.stack.currentWidget()
        assert isinstance(view, QtWidgets.QTableView)
        rows = view.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(DOC_ID_ROLE)
        return str(value) if value else None

    def select_document(self, document_id: str) -> bool:
        view = self.stack.currentWidget()
        assert isinstance(view, QtWidgets.QTableView)
        model = view.model()
        for row in range(model.rowCount()):
            if model.index(row, 0).data(DOC_ID_ROLE) == document_id:
                view.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for b in (
            self.edit_button,
            self.read_button,
            self.print_button,
            self.export_button,
            self.remove_button,
        ):
            b.setEnabled(has)

    # -- import ----------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names = open_files(self, FileKind.DOCUMENTS, "Chọn tài liệu để nhập", FILE_FILTER)
        if names:
            self.import_paths([Path(n) for n in names])

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if self._dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QtGui.QDragMoveEvent) -> None:
        if self._dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        paths = self._dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    @staticmethod
    def _dropped_paths(mime: QtCore.QMimeData) -> list[Path]:
        if not mime.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def import_paths(self, paths: Sequence[Path]) -> None:
        files = importable_files(paths)
        if not files:
            self.ctx.message.warning(
                "Không có tệp để nhập",
                f"Không tìm thấy tệp nào nhập được trong những gì đã chọn. "
                f"Chương trình nhận {READABLE}.",
            )
            return
        relay = ProgressRelay(self)
        relay.progress.connect(self._on_progress)
        self.progress.setRange(0, len(files))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.import_button.setEnabled(False)
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: documents.import_files(book, paths=files, progress=relay),
            on_success=self._imported,
            on_failure=self._import_failed,
            label=f"Đang nhập {len(files)} tệp…",
        )

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _import_failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        self.ctx.message.error("Không nhập được tài liệu", str(exc))

    def _imported(self, outcomes: list[ImportOutcome]) -> None:
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        self.last_outcomes = outcomes
        imported = [o for o in outcomes if o.status == "imported" and o.document is not None]
        summary, details = import_report(outcomes)
        self.ctx.message.info("Nhập tài liệu", summary, details=details or None)
        if imported:
            changes = OpChanges.of(
                Entity.DOCUMENT,
                ids=tuple(o.document.id for o in imported if o.document),
            )
            self.refresh(changes)
            self.changed.emit(changes)
            notes = {
                o.document.id: import_note(o) for o in imported if o.document and import_note(o)
            }
            self.confirm_fields([o.document.id for o in imported if o.document], notes=notes)

    def confirm_fields(self, ids: Sequence[str], *, notes: dict[str, str] | None = None) -> None:
        from ui.documents.document_dialog import DocumentFieldsDialog

        dialog = DocumentFieldsDialog(self.ctx, ids, notes=notes, parent=self)
        dialog.saved.connect(self._fields_saved)
        self.fields_dialog = dialog
        dialog.open()

    def _fields_saved(self, changes: OpChanges) -> None:
        self.refresh(changes)
        self.changed.emit(changes)

    # -- actions ---------------------------------------------------------------------------------
    def edit_selected(self) -> None:
        doc_id = self.selected_id()
        if doc_id:
            self.confirm_fields([doc_id])

    def read_selected(self) -> None:
        doc_id = self.selected_id()
        if not doc_id:
            return
        from ui.documents.reading_view import ReadingView

        view = ReadingView(self.ctx, doc_id, parent=self)
        self.reading_view = view
        view.open()

    def print_selected(self) -> None:
        doc_id = self.selected_id()
        if not doc_id:
            return
        doc = documents.get(self.ctx.book, document_id=doc_id)
        suggested = f"{Path(doc.filename).stem or 'tai-lieu'}-chu-lon.pdf"
        path = save_file(self, FileKind.PDF, "In chữ lớn ra PDF", suggested, "Tệp PDF (*.pdf)")
        if path:
            from ui.documents.reading_view import print_document

            print_document(self.ctx, doc_id, Path(path))

    def _original_saved(self, dest: Path) -> None:
        if str(dest).lower().endswith(".pdf"):  # a scan is read in a PDF viewer: offer it
            offer_pdf(self, self.ctx.message, str(dest), title="Đã lưu tệp")
        else:
            self.ctx.message.info("Đã lưu tệp", f"Đã lưu tệp gốc: {dest}")

    def export_selected(self) -> None:
        doc_id = self.selected_id()
        if not doc_id:
            return
        doc = documents.get(self.ctx.book, document_id=doc_id)
        # MIME's keys are suffixes without the dot ("pdf").
        known = {v: f".{k}" for k, v in MIME.items()}
        suffix = Path(doc.filename).suffix or known.get(doc.mime, "")
        path = save_file(
            self,
            FileKind.DOCUMENT_COPY,
            "Lưu tệp gốc",
            # The name came from outside (the server, an import): valid on Windows.
            safe_file_name(doc.filename, fallback="tai-lieu"),
            f"*{suffix}" if suffix else "",
        )
        if not path:
            return
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: documents.export_file(book, document_id=doc_id, dest=Path(path)),
            on_success=self._original_saved,
            on_failure=lambda exc: self.ctx.message.error("Không lưu được", str(exc)),
            label="Đang lưu tệp…",
        )

    def remove_selected(self) -> None:
        doc_id = self.selected_id()
        if not doc_id:
            return
        doc = documents.get(self.ctx.book, document_id=doc_id)
        if not self.ctx.message.ask(
            "Xóa tài liệu",
            f"Xóa “{doc.label}” khỏi thư viện? Nhật ký thay đổi vẫn ghi lại việc này.",
        ):
            return
        documents.remove(self.ctx.book, document_id=doc_id)
        changes = OpChanges.of(Entity.DOCUMENT, ids=(doc_id,))
        self.refresh(changes)
        self.changed.emit(changes)

"""Nhập danh sách đảng viên từ Excel: choose the file, check the column mapping, look at the
preview row by row, then import the valid rows in one go (with progress)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.importers import members_table
from app.importers.columns import FIELD_LABELS, IGNORE, Column
from app.importers.members_table import ImportReport, LoadedFile, RowResult
from app.services import members
from ui.qt import QtCore, QtWidgets, Signal
from ui.style import error_label, set_role
from ui.widgets.file_dialogs import FileKind, open_file
from ui.widgets.fit_on_show import fit_on_show
from ui.widgets.list_model import CENTER, ListTableModel
from ui.widgets.list_model import Column as TableColumn
from ui.widgets.section import AppContext

OUTCOME_COLOURS = {
    "error": "#b00020",
    "warning": "#8a5a00",
    "new": "#1b5e20",
    "updated": "#0d47a1",
    "unchanged": "#555555",
}
FILTERS = [
    ("Tất cả các dòng", None),
    ("Dòng lỗi", "error"),
    ("Dòng có cảnh báo", "warning"),
    ("Thêm mới", "new"),
    ("Cập nhật", "updated"),
    ("Không đổi", "unchanged"),
]
FILE_PATTERN = "Bảng tính (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;Tất cả các tệp (*)"


def row_details(row: RowResult) -> str:
    parts = [*row.errors, *row.warnings, *row.changes]
    if row.repairs:
        parts.append("Đã sửa: " + "; ".join(row.repairs))
    return "\n".join(parts)


class ImportPreviewModel(ListTableModel[RowResult]):
    """The rows of an import, filtered by outcome."""

    columns: Sequence[TableColumn[RowResult]] = (
        TableColumn("Dòng", lambda r: str(r.row), align=CENTER),
        TableColumn(
            "Kết quả", lambda r: r.outcome_label, foreground=lambda r: OUTCOME_COLOURS[r.outcome]
        ),
        TableColumn("Họ và tên", lambda r: r.full_name),
        TableColumn("Chi tiết", row_details),
    )
    text_as_tooltip = True

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[RowResult] = []
        self.outcome: str | None = None

    def set_report(self, report: ImportReport | None) -> None:
        self.all_rows = list(report.rows) if report else []
        self._refilter()

    def set_filter(self, outcome: str | None) -> None:
        self.outcome = outcome
        self._refilter()

    def _refilter(self) -> None:
        self.set_items([r for r in self.all_rows if self.outcome in (None, r.outcome)])


class _Progress(QtCore.QObject):
    """Carries progress from the worker thread to the GUI thread (a queued signal)."""

    changed = Signal(int, int)

    def __call__(self, done: int, total: int) -> None:
        self.changed.emit(done, total)


class ImportDialog(QtWidgets.QDialog):
    """After a successful import, `report` holds the result and `imported` is emitted."""

    imported = Signal(object)

    PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_DONE = range(4)

    def __init__(
        self, ctx: AppContext, *, path: Path | None = None, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: LoadedFile | None = None
        self.preview_report: ImportReport | None = None
        self.report: ImportReport | None = None
        self.mapping: dict[str, str] = {}
        self.setWindowTitle("Nhập danh sách đảng viên từ Excel")
        self.progress_relay = _Progress(self)
        self.progress_relay.changed.connect(self._show_progress)

        layout = QtWidgets.QVBoxLayout(self)
        self.step = QtWidgets.QLabel("")
        set_role(self.step, "heading")
        layout.addWidget(self.step)
        self.pages = QtWidgets.QStackedWidget()
        layout.addWidget(self.pages, 1)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.status = QtWidgets.QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self._build_file_page()
        self._build_mapping_page()
        self._build_preview_page()
        self._build_done_page()

        buttons = QtWidgets.QHBoxLayout()
        self.back_button = QtWidgets.QPushButton("← Quay lại")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QtWidgets.QPushButton("Xem trước →")
        self.next_button.clicked.connect(self.go_next)
        self.close_button = QtWidgets.QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        # Enter presses the step's own button (Xem trước, Nhập N đảng viên; Xong at the end),
        # never "Đóng" or "Quay lại" even when the caret was left on them (N2).
        for button in (self.back_button, self.close_button):
            button.setAutoDefault(False)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        metrics = self.fontMetrics()
        fit_on_show(self, metrics.averageCharWidth() * 120, metrics.height() * 32)
        self._show_page(self.PAGE_FILE)
        if path is not None:
            self.load_file(Path(path))

    # -- pages -----------------------------------------------------------------------------
    def _build_file_page(self) -> None:
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        intro = QtWidgets.QLabel(
            "Chọn tệp Excel (.xlsx) hoặc CSV chứa danh sách đảng viên của chi bộ. Tệp có thể "
            "có phần tiêu đề phía trên bảng; chương trình tự tìm dòng tên cột (“Họ và tên”, "
            "“Ngày sinh”, “Số thẻ đảng viên”…) và sửa các lỗi Excel hay gây ra (mất số 0 ở "
            "đầu, ngày dạng chữ…). Chưa có gì được ghi vào sổ cho đến bước cuối."
        )
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.choose_button = QtWidgets.QPushButton("Chọn tệp…")
        self.choose_button.clicked.connect(self.choose_file)
        box.addWidget(self.choose_button, alignment=QtCore.Qt.AlignmentFlag.AlignLeft)
        self.file_error = error_label()
        box.addWidget(self.file_error)
        box.addStretch(1)
        self.pages.addWidget(page)

    def _build_mapping_page(self) -> None:
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        self.file_info = QtWidgets.QLabel("")
        self.file_info.setWordWrap(True)
        box.addWidget(self.file_info)
        hint = QtWidgets.QLabel(
            "Kiểm tra mỗi cột của tệp được ghép với thông tin nào; chọn lại nếu chưa đúng, "
            "hoặc chọn “(không dùng)” để bỏ qua cột."
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        box.addWidget(hint)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QtWidgets.QWidget()
        self.mapping_form = QtWidgets.QFormLayout(holder)
        scroll.setWidget(holder)
        box.addWidget(scroll, 1)
        self.mapping_boxes: dict[str, QtWidgets.QComboBox] = {}
        self.file_notes = QtWidgets.QLabel("")
        self.file_notes.setWordWrap(True)
        set_role(self.file_notes, "hint")
        box.addWidget(self.file_notes)
        self.pages.addWidget(page)

    def _build_preview_page(self) -> None:
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        self.preview_summary = QtWidgets.QLabel("")
        self.preview_summary.setWordWrap(True)
        set_role(self.preview_summary, "heading")
        box.addWidget(self.preview_summary)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(QtWidgets.QLabel("Xem:"))
        self.filter = QtWidgets.QComboBox()
        for text, value in FILTERS:
            self.filter.addItem(text, value)
        self.filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        row.addWidget(self.filter)
        row.addStretch(1)
        box.addLayout(row)
        self.preview_model = ImportPreviewModel()
        self.preview_table = QtWidgets.QTableView()
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setWordWrap(True)
        self.preview_table.verticalHeader().setVisible(False)
        header = self.preview_table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.preview_table.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows
        )
        box.addWidget(self.preview_table, 1)
        self.preview_notes = QtWidgets.QLabel("")
        self.preview_notes.setWordWrap(True)
        set_role(self.preview_notes, "hint")
        box.addWidget(self.preview_notes)
        self.pages.addWidget(page)

    def _filter_changed(self) -> None:
        self.preview_model.set_filter(self.filter.currentData())
        if self.preview_model.rowCount() <= 2000:
            self.preview_table.resizeRowsToContents()

    def _build_done_page(self) -> None:
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        self.done_summary = QtWidgets.QLabel("")
        self.done_summary.setWordWrap(True)
        set_role(self.done_summary, "heading")
        box.addWidget(self.done_summary)
        self.not_imported = QtWidgets.QPlainTextEdit()
        self.not_imported.setReadOnly(True)
        box.addWidget(self.not_imported, 1)
        self.pages.addWidget(page)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        titles = {
            self.PAGE_FILE: "Bước 1/3: Chọn tệp",
            self.PAGE_MAPPING: "Bước 2/3: Ghép cột",
            self.PAGE_PREVIEW: "Bước 3/3: Xem trước và nhập",
            self.PAGE_DONE: "Đã nhập xong",
        }
        self.step.setText(titles[index])
        self.back_button.setVisible(index in (self.PAGE_MAPPING, self.PAGE_PREVIEW))
        self.next_button.setVisible(index in (self.PAGE_MAPPING, self.PAGE_PREVIEW))
        if index == self.PAGE_MAPPING:
            self.next_button.setText("Xem trước →")
            self.next_button.setEnabled(True)
        elif index == self.PAGE_PREVIEW:
            write = self.preview_report.to_write if self.preview_report else 0
            self.next_button.setText(f"Nhập {write} đảng viên")
            self.next_button.setEnabled(write > 0)
        self.close_button.setText("Xong" if index == self.PAGE_DONE else "Đóng")
        on_step = index in (self.PAGE_MAPPING, self.PAGE_PREVIEW)
        self.next_button.setDefault(on_step)
        self.close_button.setDefault(index == self.PAGE_DONE)

    # -- steps -----------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = open_file(self, FileKind.MEMBER_LIST, "Chọn tệp danh sách đảng viên", FILE_PATTERN)
        if path:
            self.load_file(Path(path))

    def _busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        for button in (self.back_button, self.next_button, self.choose_button):
            button.setEnabled(not busy)
        self.status.setText(text)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def load_file(self, path: Path) -> None:
        self.file_error.setText("")
        self._busy(True, f"Đang đọc tệp {path.name}…")
        relay = self.progress_relay  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: members_table.load(path, progress=relay),
            on_success=self._loaded,
            on_failure=self._load_failed,
            label="Đang đọc tệp…",
        )

    def _load_failed(self, error: BaseException) -> None:
        self._busy(False)
        self.file_error.setText(str(error))
        self._show_page(self.PAGE_FILE)

    def _loaded(self, loaded: LoadedFile) -> None:
        self._busy(False)
        self.loaded = loaded
        self.mapping = {}
        table = loaded.table
        where = f"trang “{table.sheet}”, " if table.kind == "xlsx" else ""
        self.file_info.setText(
            f"Tệp {loaded.name}: {where}dòng tiêu đề cột là dòng {loaded.header.row}."
        )
        self.file_notes.setText("\n".join(loaded.notes))
        self._fill_mapping(loaded.header.columns)
        self._show_page(self.PAGE_MAPPING)

    def _fill_mapping(self, columns: tuple[Column, ...]) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_boxes = {}
        for column in columns:
            combo = QtWidgets.QComboBox()
            combo.addItem("(không dùng)", IGNORE)
            for code, label in FIELD_LABELS.items():
                combo.addItem(label, code)
            combo.setCurrentIndex(max(0, combo.findData(column.field or IGNORE)))
            combo.currentIndexChanged.connect(
                lambda _i, letter=column.letter, box=combo: self.set_column(
                    letter, box.currentData()
                )
            )
            title = column.title or "(không có tên)"
            self.mapping_form.addRow(f"Cột {column.letter}: “{title}”", combo)
            self.mapping_boxes[column.letter] = combo

    def set_column(self, letter: str, field: str) -> None:
        """The user's choice for one column (also what a test calls)."""
        self.mapping[letter] = field
        box = self.mapping_boxes.get(letter)
        if box is not None and box.currentData() != field:
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(field)))
            box.blockSignals(False)
        if field != IGNORE and self.loaded is not None:
            # A field feeds from one column: clear it elsewhere, as the service will.
            for other, other_box in self.mapping_boxes.items():
                if other != letter and other_box.currentData() == field:
                    other_box.blockSignals(True)
                    other_box.setCurrentIndex(0)
                    other_box.blockSignals(False)
                    self.mapping[other] = IGNORE

    def go_next(self) -> None:
        if self.pages.currentIndex() == self.PAGE_MAPPING:
            self.run_preview()
        elif self.pages.currentIndex() == self.PAGE_PREVIEW:
            self.run_import()

    def go_back(self) -> None:
        if self.pages.currentIndex() == self.PAGE_PREVIEW:
            self._show_page(self.PAGE_MAPPING)
        elif self.pages.currentIndex() == self.PAGE_MAPPING:
            self._show_page(self.PAGE_FILE)

    def run_preview(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        mapping = dict(self.mapping)
        self._busy(True, "Đang kiểm tra từng dòng…")
        book = self.ctx.book  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: members_table.preview(book, loaded, mapping=mapping),
            on_success=self._previewed,
            on_failure=self._step_failed,
            label="Đang kiểm tra…",
        )

    def _step_failed(self, error: BaseException) -> None:
        self._busy(False)
        self.status.setText(str(error))
        set_role(self.status, "error")

    def _previewed(self, report: ImportReport) -> None:
        self._busy(False)
        set_role(self.status, "")
        self.preview_report = report
        self.preview_summary.setText(report.summary())
        self.preview_model.set_report(report)
        self.filter.setCurrentIndex(1 if report.counts()["error"] else 0)
        self._filter_changed()
        self.preview_notes.setText("\n".join(report.notes))
        if len(report.rows) <= 2000:  # measuring every row of a huge file would stall
            self.preview_table.resizeRowsToContents()
        self._show_page(self.PAGE_PREVIEW)

    def run_import(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        mapping = dict(self.mapping)
        self._busy(True, "Đang nhập vào sổ…")
        self.ctx.runner.run(
            self,
            lambda: members_table.apply(
                self.ctx.book, loaded, mapping=mapping, progress=self.progress_relay
            ),
            on_success=self._imported,
            on_failure=self._step_failed,
            label="Đang nhập danh sách…",
        )

    def _imported(self, report: ImportReport) -> None:
        self._busy(False)
        self.report = report
        self.done_summary.setText(report.summary())
        left = [r for r in report.rows if r.outcome == "error"]
        if left:
            lines = ["Các dòng chưa nhập (hãy sửa trong tệp rồi nhập lại):"]
            lines += [
                f"Dòng {r.row} — {r.full_name or '(không tên)'}: {'; '.join(r.errors)}"
                for r in left
            ]
        else:
            lines = ["Mọi dòng hợp lệ đã được nhập."]
        self.not_imported.setPlainText("\n".join(lines))
        ids = tuple(r.member_id for r in report.rows if r.member_id and r.action != "none")
        self.imported.emit(members.op_changes(*ids))
        self._show_page(self.PAGE_DONE)

"""Báo cáo: reports to the upper committee — drafted from the book's data, edited, numbered,
printed in the HD 36 layout and submitted by sync. A submitted report is changed only with a
reason, as a new revision that is submitted again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KnownError
from app.file_writes import words_file_name
from app.models.report import REPORT_KINDS
from app.services import upward_reports
from app.services.upward_reports import DraftResult, ReportEdit, ReportSection, ReportView
from app.vocab import Entity
from ui.qt import QtCore, QtGui, QtWidgets
from ui.reports.model import ReportsModel
from ui.reports.section_editor import SectionEditor
from ui.style import comfortable_width, error_label, set_role
from ui.widgets.columns import fit_table
from ui.widgets.date_edit import DateEdit
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import ask_pdf_path, offer_pdf
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.changes import OpChanges

RELEVANT = frozenset(
    {
        Entity.REPORT,
        Entity.MEETING,
        Entity.ATTENDANCE_EVENT,
        Entity.FEEDBACK,
        Entity.MEMBER,
        Entity.SUPPORT_SESSION,
    }
)


def default_period(kind: str, today: dt.date | None = None) -> str:
    """The period a secretary most likely reports on now."""
    today = today or dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    if kind == "deployment":
        return f"{today:%Y-%m}"
    if kind == "quarterly":
        q = (last.month - 1) // 3 + 1
        return f"{last.year}-Q{q}"
    if kind == "yearly":
        return str(today.year - 1 if today.month == 1 else today.year)
    return f"{last:%Y-%m}"


def shown_period(kind: str, today: dt.date | None = None) -> str:
    """The default period as the secretary writes it: "12/2026", "Q4/2026", "2026"."""
    return upward_reports.period_text(default_period(kind, today))


def report_file_name(report: ReportView) -> str:
    """The PDF name suggested for a report, in the Vietnamese words of its kind and period
    (no marks, for any computer or mail): "bao-cao-thang-12-2026.pdf",
    "bao-cao-quy-q4-2026.pdf", "bao-cao-nam-2026.pdf"."""
    words = f"{report.kind_label} {upward_reports.period_text(report.period)}"
    return words_file_name(words, suffix=".pdf", fallback="bao-cao")


class WrappedSectionEditor(SectionEditor):
    """A report section whose numbered title wraps onto a second line: a group box's own
    title never wraps, and "III. Hỗ trợ đảng viên cao tuổi, …" made the editor 812 px wide
    in large text (the panel scrolled sideways at 1024 and at 1366 wide)."""

    def __init__(self, section: ReportSection, number: int | None) -> None:
        super().__init__(section, number)
        self._title = super().title()
        self.setTitle("")
        self.heading = QtWidgets.QLabel(self._title)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        layout = self.layout()
        if isinstance(layout, QtWidgets.QBoxLayout):
            layout.insertWidget(0, self.heading)

    def title(self) -> str:
        return self._title


class ReportsSection(Section):
    title = "Báo cáo"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # Tests replace this to choose the output file without a modal dialog.
        self.ask_path: Callable[[str, str], Path | None] = self._ask_path
        self.report: ReportView | None = None
        self.editors: list[WrappedSectionEditor] = []
        self._as_shown: tuple[object, ...] | None = None  # the editor as loaded / last saved
        outer = QtWidgets.QVBoxLayout(self)
        heading = QtWidgets.QLabel("Báo cáo gửi cấp ủy cấp trên")
        set_role(heading, "title")
        outer.addWidget(heading)

        draft_row = QtWidgets.QHBoxLayout()
        self.kind = QtWidgets.QComboBox()
        for code, label in REPORT_KINDS.items():
            self.kind.addItem(label, code)
        # As wide as a usual kind, not the longest: the row fits beside the navigation at
        # 1024 wide in large text (the open list shows every name whole).
        self.kind.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind.setMinimumContentsLength(16)
        self.period = QtWidgets.QLineEdit(shown_period("monthly"))
        self.period.setPlaceholderText("MM/YYYY")
        self.period.setToolTip(
            "Kỳ báo cáo: tháng ghi MM/YYYY (ví dụ 12/2026), quý ghi Qn/YYYY (ví dụ Q4/2026), "
            "năm ghi YYYY."
        )
        self.period.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/0000") + 24)
        self.period.setMaximumWidth(self.fontMetrics().horizontalAdvance("Q0/00000") + 32)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.period.editingFinished.connect(lambda: self.refresh(None))
        self.draft_button = QtWidgets.QPushButton("Soạn báo cáo")
        self.draft_button.clicked.connect(lambda: self.draft())
        draft_row.addWidget(QtWidgets.QLabel("Loại:"))
        draft_row.addWidget(self.kind)
        draft_row.addWidget(QtWidgets.QLabel("Kỳ:"))
        draft_row.addWidget(self.period)
        draft_row.addWidget(self.draft_button)
        draft_row.addStretch(1)
        outer.addLayout(draft_row)
        # What is due, on its own line (the page's width, not squeezed beside the deadline).
        self.due_label = QtWidgets.QLabel("")
        self.due_label.setWordWrap(True)
        self.due_label.setVisible(False)
        outer.addWidget(self.due_label)
        due_row = QtWidgets.QHBoxLayout()
        due_caption = QtWidgets.QLabel("Hạn báo cáo triển khai Sổ tay điện tử:")
        due_caption.setWordWrap(True)  # two lines rather than a page wider than the screen
        due_caption.setAlignment(
            QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
        )
        due_row.addWidget(due_caption, 1)
        self.deployment_due = DateEdit()
        self.deployment_due.edit.setToolTip(
            "Theo kế hoạch của cấp ủy cấp trên. Mặc định theo Kế hoạch 18-KH/ĐU: ngày 15 của "
            "tháng báo cáo (báo cáo tháng 11/2025 trước 15/11/2025). Cấp ủy đặt ngày khác: "
            "gõ ngày (ngày/tháng/năm) hoặc chọn trên lịch rồi bấm “Đặt hạn”."
        )
        self.due_button = QtWidgets.QPushButton("Đặt hạn")
        self.due_button.clicked.connect(lambda: self.set_deployment_due())
        due_row.addWidget(self.deployment_due)
        due_row.addWidget(self.due_button)
        outer.addLayout(due_row)
        self.notice = QtWidgets.QLabel("")
        self.notice.setWordWrap(True)
        set_role(self.notice, "hint")
        self.notice.setVisible(False)  # no empty band above the list: shown with a notice
        outer.addWidget(self.notice)

        # The editor beside the list when both have room, below it otherwise (1024 wide in
        # large text): the editor keeps a comfortable width and never scrolls sideways.
        splitter = self.splitter = QtWidgets.QSplitter()
        self.model = ReportsModel(self)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._selected_changed())
        splitter.addWidget(self.view)

        editor_scroll = self.editor_scroll = QtWidgets.QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor = QtWidgets.QWidget()
        editor_scroll.setWidget(editor)
        self.editor_layout = QtWidgets.QVBoxLayout(editor)
        self.state_label = QtWidgets.QLabel("Chọn hoặc soạn một báo cáo.")
        set_role(self.state_label, "heading")
        self.state_label.setWordWrap(True)
        self.editor_layout.addWidget(self.state_label)
        form = QtWidgets.QFormLayout()
        # A label above its field when the panel is narrow, rather than a field cut short.
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        number_row = QtWidgets.QHBoxLayout()
        self.number = QtWidgets.QLineEdit()
        # Short enough to read whole beside the list (1366 wide, large text).
        self.number.setPlaceholderText("Để trống: tự cấp số")
        self.number.setToolTip(
            "Để trống thì khi bấm “Cấp số” (hoặc khi gửi) báo cáo nhận số tiếp theo trong năm."
        )
        self.number_button = QtWidgets.QPushButton("Cấp số")
        self.number_button.clicked.connect(lambda: self.assign_number())
        number_row.addWidget(self.number, 1)
        number_row.addWidget(self.number_button)
        form.addRow("Số:", number_row)
        self.issued_on = DateEdit(dt.date.today())
        form.addRow("Ngày ban hành:", self.issued_on)
        self.subtitle = QtWidgets.QLineEdit()
        form.addRow("Trích yếu:", self.subtitle)
        self.editor_layout.addLayout(form)
        self.sections_box = QtWidgets.QVBoxLayout()
        self.editor_layout.addLayout(self.sections_box)
        form2 = QtWidgets.QFormLayout()
        form2.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.recipients = QtWidgets.QPlainTextEdit()
        self.recipients.setFixedHeight(self.fontMetrics().height() * 4)
        form2.addRow("Nơi nhận\n(mỗi nơi một dòng):", self.recipients)
        self.signer = QtWidgets.QLineEdit()
        form2.addRow("Người ký (Bí thư):", self.signer)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("Bắt buộc khi sửa báo cáo đã gửi")
        form2.addRow("Lý do sửa:", self.reason)
        self.editor_layout.addLayout(form2)
        self.history_label = QtWidgets.QLabel("")
        self.history_label.setWordWrap(True)
        set_role(self.history_label, "hint")
        self.editor_layout.addWidget(self.history_label)
        self.error = error_label()
        self.editor_layout.addWidget(self.error)
        self.editor_layout.addStretch(1)
        splitter.addWidget(editor_scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        # The number and the state whole; the title takes the rest and wraps onto a second
        # line rather than shrinking to "B…" (1366×768 in large text, F12).
        fit_table(self.view, text=(1, 2), main=1)
        self.view.setWordWrap(True)
        self.view.verticalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        # Titles readable in large text too (they were squeezed to "B… c… t…").
        self.view.setMinimumWidth(comfortable_width(self.view, 34))
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)

        # Wraps onto a second line rather than widening the page (1024 wide, large text).
        buttons = FlowLayout(spacing=6)
        self.save_button = QtWidgets.QPushButton("Lưu")
        self.redraft_button = QtWidgets.QPushButton("Cập nhật số liệu")
        self.print_button = QtWidgets.QPushButton("In PDF…")
        self.submit_button = QtWidgets.QPushButton("Gửi cấp trên")
        self.remove_button = QtWidgets.QPushButton("Xóa bản nháp")
        self.save_button.clicked.connect(lambda: self.save())
        self.redraft_button.clicked.connect(lambda: self.redraft())
        self.print_button.clicked.connect(lambda: self.print_pdf())
        self.submit_button.clicked.connect(lambda: self.submit())
        self.remove_button.clicked.connect(lambda: self.remove())
        for b in (
            self.save_button,
            self.redraft_button,
            self.print_button,
            self.submit_button,
            self.remove_button,
        ):
            buttons.addWidget(b)
        # "Đã lưu lúc …": Lưu confirms what it did.
        self.saved_label = QtWidgets.QLabel("")
        set_role(self.saved_label, "success")
        buttons.addWidget(self.saved_label)
        outer.addLayout(buttons)
        self._enable()

    # -- arrangement ---------------------------------------------------------------------------
    def _arrange(self) -> None:
        """The list beside the editor when the page is wide enough for both (the list at its
        least, the editor at about 40 characters), else the list above it, two rows high (the
        handle between them drags).
        Depends on the page's width and the font only."""
        editor = self.editor_scroll.widget()
        room_for_editor = max(
            comfortable_width(self, 40),
            editor.minimumSizeHint().width() if editor is not None else 0,
        )
        need = (
            comfortable_width(self.view, 34)
            + room_for_editor
            + self.editor_scroll.verticalScrollBar().sizeHint().width()
            + self.splitter.handleWidth()
            + 24
        )
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QtCore.QMargins()
        width = self.width() - margins.left() - margins.right()
        want = QtCore.Qt.Orientation.Vertical if width < need else QtCore.Qt.Orientation.Horizontal
        if self.splitter.orientation() == want:
            return
        self.splitter.setOrientation(want)
        if want == QtCore.Qt.Orientation.Vertical:
            # The list shrinks to its rows (not to its 34-character width).
            self.view.setMinimumWidth(0)
            rows = self.view.verticalHeader().defaultSectionSize() * 2
            top = self.view.horizontalHeader().sizeHint().height() + rows + 6
            self.splitter.setSizes([top, max(top, self.splitter.height() - top)])
        else:
            self.view.setMinimumWidth(comfortable_width(self.view, 34))
            total = max(1, self.splitter.width())
            self.splitter.setSizes([total * 2 // 5, total - total * 2 // 5])

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def text_size_changed(self) -> None:
        self._arrange()

    def _kind_changed(self, _index: int) -> None:
        self.period.setText(shown_period(str(self.kind.currentData())))
        self.refresh(None)

    def _due_period(self) -> str | None:
        return self.period.text() if self.kind.currentData() == "deployment" else None

    # -- loading -------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not (changes.entities & RELEVANT):
            return
        book = self.ctx.book
        period = self._due_period()

        def load() -> tuple[list[ReportView], list[upward_reports.DueReport], dt.date]:
            try:
                deadline = upward_reports.deployment_due(book, period=period)
            except KnownError:  # a period still being typed
                deadline = upward_reports.deployment_due(book)
            return (
                upward_reports.list_reports(book),
                upward_reports.due_reports(book),
                deadline,
            )

        self.ctx.runner.run(self, load, on_success=self._show_list, label="")

    def _show_list(
        self, data: tuple[list[ReportView], list[upward_reports.DueReport], dt.date]
    ) -> None:
        items, due, deadline = data
        self.deployment_due.set_date(deadline)
        current = self.report.id if self.report else None
        self.model.set_items(items)
        self.view.resizeRowsToContents()
        if due:
            self.due_label.setText("Cần gửi cấp trên: " + "; ".join(d.message() for d in due) + ".")
            set_role(self.due_label, "error")
        else:
            self.due_label.setText("")
        self.due_label.setVisible(bool(due))
        if current:
            self.select(current)

    def select(self, report_id: str) -> bool:
        for row, item in enumerate(self.model.items):
            if item.id == report_id:
                self.view.selectRow(row)
                return True
        return False

    def _selected_changed(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.items):
            return
        item = self.model.items[rows[0].row()]
        if self.report is None or item.id != self.report.id or item.version != self.report.version:
            # Opening another report would throw away what was typed: offer to save it first.
            if (
                self.report is not None
                and item.id != self.report.id
                and self.has_unsaved_changes()
                and self.ctx.message.ask(
                    "Báo cáo chưa lưu",
                    f"{self.report.title} có thay đổi chưa lưu. Lưu trước khi mở báo cáo khác? "
                    "(Chọn “Không” để bỏ các thay đổi này.)",
                )
            ):
                self.save(then=lambda: self._open_item(item.id))
                return
            self.show_report(item)

    def _open_item(self, report_id: str) -> None:
        for item in self.model.items:
            if item.id == report_id:
                self.show_report(item)
                self.select(report_id)
                return

    def show_report(self, r: ReportView) -> None:
        self.report = r
        self.error.setText("")
        self.reason.clear()
        number = f"số {r.number}" if r.number else "chưa cấp số"
        self.state_label.setText(f"{r.title} ({number}) — {r.state_label}")
        self.number.setText(r.number)
        self.issued_on.set_date(r.issued_on)
        self.subtitle.setText(r.subtitle)
        self.subtitle.setCursorPosition(0)  # a long subtitle shows its beginning
        self.recipients.setPlainText("\n".join(r.recipients))
        self.signer.setText(r.signer_name)
        for editor in self.editors:
            editor.setParent(None)
            editor.deleteLater()
        self.editors = []
        number_index = 0
        for sec in r.sections:
            editor = WrappedSectionEditor(sec, number_index if sec.title else None)
            if sec.title:
                number_index += 1
            self.sections_box.addWidget(editor)
            self.editors.append(editor)
        history = []
        if r.revision > 1:
            history.append(f"Phiên bản {r.revision}; lý do sửa: {r.amend_reason}.")
        for h in r.history:
            sent = f"gửi ngày {h.submitted_at:%d/%m/%Y}" if h.submitted_at else "đã gửi"
            history.append(f"Bản {h.revision} ({sent}) được giữ lại; sửa vì: {h.replaced_reason}.")
        if r.notices:
            history.extend(r.notices)
        self.history_label.setText("\n".join(history))
        self._as_shown = self._snapshot()
        self._enable()

    # -- what is on screen ---------------------------------------------------------------
    def _snapshot(self) -> tuple[object, ...]:
        return (
            self.subtitle.text(),
            self.issued_on.edit.text().strip(),
            tuple(e.body.toPlainText() for e in self.editors),
            self.recipients.toPlainText(),
            self.signer.text(),
        )

    def has_unsaved_changes(self) -> bool:
        """True when the editor shows text that is not in the book."""
        return (
            self.report is not None
            and self._as_shown is not None
            and self._snapshot() != self._as_shown
        )

    def may_leave(self) -> bool:
        """Before the report on screen is dropped (another section, lock, close): save it,
        drop the edits, or stay. False means stay."""
        if not self.has_unsaved_changes() or self.report is None:
            return True
        answer = self.ctx.message.choose(
            "Báo cáo chưa lưu",
            f"{self.report.title} có thay đổi chưa lưu.",
            [("save", "Lưu"), ("discard", "Không lưu"), ("stay", "Ở lại sửa tiếp")],
            default="save",
            escape="stay",
            kind="warning",
            parent=self,
        )
        if answer == "stay":
            return False
        if answer == "save":
            self.save()
        else:
            self._as_shown = self._snapshot()
        return True

    def save_unsaved(self) -> None:
        if self.has_unsaved_changes() and self.report is not None:
            self.save()

    def hideEvent(self, event: QtGui.QHideEvent) -> None:
        # Switching to another section while the window stays open: offer to save.
        # Navigation cannot be undone from here, so only two choices; nothing typed is lost
        # either way (the editor keeps its text until the report is saved or replaced).
        window = self.window()
        if (
            not event.spontaneous()
            and window is not self
            and window.isVisible()
            and self.has_unsaved_changes()
            and self.report is not None
            and self.ctx.message.ask(
                "Báo cáo chưa lưu",
                f"{self.report.title} có thay đổi chưa lưu. Lưu ngay? (Chọn “Không”: nội dung "
                "đang sửa vẫn còn trên trang Báo cáo nhưng chưa được ghi vào sổ.)",
            )
        ):
            self.save()
        super().hideEvent(event)

    def _enable(self) -> None:
        r = self.report
        has = r is not None
        for w in (self.save_button, self.redraft_button, self.print_button):
            w.setEnabled(has)
        self.submit_button.setEnabled(has and r is not None and r.state != "submitted")
        self.remove_button.setEnabled(has and r is not None and r.version == 0)
        self.number_button.setEnabled(has and r is not None and r.state != "submitted")
        self.number.setReadOnly(not (has and r is not None and r.state != "submitted"))
        for field in (self.issued_on, self.subtitle, self.recipients, self.signer, self.reason):
            field.setEnabled(has)

    # -- actions -------------------------------------------------------------------------
    def _failed(self, error: BaseException) -> None:
        self.error.setText(error.message if isinstance(error, KnownError) else str(error))

    def _after(self, r: ReportView) -> None:
        self.report = None
        self.show_report(r)
        self.refresh(None)
        self.changed.emit(upward_reports.op_changes(r.id))

    def draft(self) -> None:
        if self.has_unsaved_changes() and self.ctx.message.ask(
            "Báo cáo chưa lưu",
            "Báo cáo đang sửa có thay đổi chưa lưu. Lưu trước khi soạn báo cáo mới? "
            "(Chọn “Không” để bỏ các thay đổi này.)",
        ):
            self.save(then=self._draft)
            return
        self._draft()

    def _draft(self) -> None:
        kind, period, book = str(self.kind.currentData()), self.period.text(), self.ctx.book

        def done(result: DraftResult) -> None:
            self._set_notice("\n".join(result.notices))
            self._after(result.report)

        def failed(error: BaseException) -> None:
            self._set_notice(error.message if isinstance(error, KnownError) else str(error))

        self.ctx.runner.run(
            self,
            lambda: upward_reports.draft(book, kind=kind, period=period),
            on_success=done,
            on_failure=failed,
            label="Đang soạn báo cáo từ số liệu…",
        )

    def set_deployment_due(self) -> None:
        if not self.deployment_due.is_acceptable("Hạn báo cáo triển khai"):
            return
        book, day = self.ctx.book, self.deployment_due.required_date()
        self.ctx.runner.run(
            self,
            lambda: upward_reports.set_deployment_due(book, due=day),
            on_success=lambda _r: self.refresh(None),
            on_failure=self._failed,
            label="Đang lưu…",
        )

    def edit_data(self) -> ReportEdit:
        return ReportEdit(
            subtitle=self.subtitle.text(),
            issued_on=self.issued_on.required_date(),
            sections=[e.value() for e in self.editors],
            recipients=self.recipients.toPlainText().splitlines(),
            signer_name=self.signer.text(),
        )

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the editor; `then` runs once it is in the book (print, number, submit)."""
        if self.report is None:
            return
        if not self.issued_on.is_acceptable("Ngày ban hành"):
            return  # the field says what is wrong; nothing is saved, printed or sent
        data, reason, book, rid = (
            self.edit_data(),
            self.reason.text(),
            self.ctx.book,
            self.report.id,
        )

        def done(r: ReportView) -> None:
            self._after(r)
            self.saved_label.setText(f"Đã lưu lúc {dt.datetime.now():%H:%M}.")
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            self.saved_label.setText("")
            self._failed(error)

        self.ctx.runner.run(
            self,
            lambda: upward_reports.update(book, report_id=rid, data=data, reason=reason),
            on_success=done,
            on_failure=failed,
            label="Đang lưu…",
        )

    def _saved_first(self, action: Callable[[], None]) -> None:
        """Run `action` on what is on screen: save unsaved edits first."""
        if self.has_unsaved_changes():
            self.save(then=action)
        else:
            action()

    def redraft(self) -> None:
        if self.report is None:
            return
        if not self.ctx.message.ask(
            "Cập nhật số liệu",
            "Soạn lại các mục của báo cáo theo số liệu mới nhất trong sổ? Nội dung đã sửa tay "
            "trong các mục sẽ được thay.",
        ):
            return
        reason, book, rid = self.reason.text(), self.ctx.book, self.report.id
        self.ctx.runner.run(
            self,
            lambda: upward_reports.redraft(book, report_id=rid, reason=reason),
            on_success=self._after,
            on_failure=self._failed,
            label="Đang cập nhật số liệu…",
        )

    def assign_number(self) -> None:
        if self.report is None:
            return
        typed = self.number.text().strip()
        number = typed if typed and typed != self.report.number else None
        book, rid = self.ctx.book, self.report.id

        def assign() -> None:
            self.ctx.runner.run(
                self,
                lambda: upward_reports.assign_number(book, report_id=rid, number=number),
                on_success=self._after,
                on_failure=self._failed,
                label="Đang cấp số…",
            )

        self._saved_first(assign)

    def submit(self) -> None:
        r = self.report
        if r is None:
            return
        if not self.ctx.message.ask(
            "Gửi cấp trên",
            f"Gửi {r.title[0].lower()}{r.title[1:]} lên cấp ủy cấp trên? Báo cáo sẽ đi ở "
            "lần đồng bộ tới. Sau khi gửi, muốn sửa phải ghi lý do và gửi lại.",
        ):
            return
        book = self.ctx.book

        def send() -> None:
            self.ctx.runner.run(
                self,
                lambda: upward_reports.submit(book, report_id=r.id),
                on_success=self._after,
                on_failure=self._failed,
                label="Đang gửi…",
            )

        self._saved_first(send)

    def remove(self) -> None:
        r = self.report
        if r is None or not self.ctx.message.ask(
            "Xóa bản nháp", f"Xóa bản nháp {r.title[0].lower()}{r.title[1:]}?"
        ):
            return
        book = self.ctx.book

        def work() -> None:
            upward_reports.remove(book, report_id=r.id)

        def done(_result: None) -> None:
            self.report = None
            for editor in self.editors:
                editor.setParent(None)
            self.editors = []
            self.state_label.setText("Đã xóa bản nháp.")
            self._enable()
            self.refresh(None)
            self.changed.emit(upward_reports.op_changes(r.id))

        self.ctx.runner.run(self, work, on_success=done, on_failure=self._failed, label="Đang xóa…")

    def print_pdf(self, path: Path | None = None) -> Path | None:
        r = self.report
        if r is None:
            return None
        path = path or self.ask_path("In báo cáo", report_file_name(r))
        if path is None:
            return None
        from reports.printing import write_report_pdf

        book, target = self.ctx.book, path

        def write() -> None:
            self.ctx.runner.run(
                self,
                lambda: write_report_pdf(book, report_id=r.id, path=target),
                on_success=lambda p: offer_pdf(self, self.ctx.message, str(p), title="Đã in"),
                on_failure=self._failed,
                label="Đang in…",
            )

        # What is printed is what is on screen: typed text is saved first.
        self._saved_first(write)
        return path

    def _ask_path(self, title: str, suggested: str) -> Path | None:
        path = ask_pdf_path(self, title, suggested)
        return Path(path) if path else None

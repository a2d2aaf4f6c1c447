"""Ý kiến: members' góp ý, phản ánh, đề xuất — taken down for the member, handled, forwarded
to the committee, answered, the answer printed in large print for the member — and, in a
second tab, the support given to elderly members (ui.support.page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KnownError
from app.models.feedback import FEEDBACK_STATES
from app.services import feedback
from app.services.feedback import FeedbackView
from app.vocab import Entity
from ui.feedback.answer_dialog import AnswerDialog
from ui.feedback.feedback_dialog import FeedbackDialog
from ui.feedback.model import FeedbackModel
from ui.qt import QtCore, QtWidgets
from ui.style import set_role
from ui.support.page import SupportPage
from ui.widgets.columns import fit_table
from ui.widgets.file_dialogs import FileKind, save_file
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.changes import OpChanges

SORT_BY_COLUMN = ("received_on", "member", "kind", None, "channel", "state")
# The default list: what waits for an answer and what was answered lately, so an answer just
# recorded stays in view to be printed in large type and handed over.
RECENT = "__recent__"
RECENT_DAYS = 30
FILTERS: tuple[tuple[str, Any], ...] = (
    ("Tất cả", None),
    ("Chờ và mới trả lời", RECENT),
    ("Chờ trả lời", feedback.WAITING_STATES),
    *((label, code) for code, label in FEEDBACK_STATES.items()),
)
RELEVANT = frozenset({Entity.FEEDBACK, Entity.MEMBER, Entity.SUPPORT_SESSION})


class FeedbackSection(Section):
    title = "Ý kiến"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        # Tests replace these to answer dialogs and file choosers without a modal loop.
        self.open_dialog: Callable[[QtWidgets.QDialog], int] = lambda d: d.exec()
        self.ask_text: Callable[[str, str], str | None] = self._ask_text
        self.ask_path: Callable[[str, str], Path | None] = self._ask_path
        outer = QtWidgets.QVBoxLayout(self)
        self.tabs = QtWidgets.QTabWidget()
        outer.addWidget(self.tabs)

        page = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(page)
        heading = QtWidgets.QLabel("Ý kiến góp ý, phản ánh, đề xuất của đảng viên")
        heading.setWordWrap(True)  # large text: two lines rather than a page wider than the screen
        set_role(heading, "title")
        layout.addWidget(heading)
        bar = QtWidgets.QHBoxLayout()
        self.filter = QtWidgets.QComboBox()
        for label, _value in FILTERS:
            self.filter.addItem(label)
        self.filter.setCurrentIndex(1)
        self.filter.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter.setMinimumContentsLength(14)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Tìm theo tên đảng viên")
        self.filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.textChanged.connect(lambda _t: self.reload())
        bar.addWidget(QtWidgets.QLabel("Hiện:"))
        bar.addWidget(self.filter)
        bar.addWidget(self.search, 1)
        layout.addLayout(bar)

        actions = FlowLayout()  # wraps in large text instead of running off the right edge
        self.add_button = QtWidgets.QPushButton("Ghi ý kiến…")
        self.handle_button = QtWidgets.QPushButton("Đang xử lý")
        self.forward_button = QtWidgets.QPushButton("Chuyển cấp trên")
        self.answer_button = QtWidgets.QPushButton("Ghi trả lời…")
        self.print_button = QtWidgets.QPushButton("In trả lời (chữ lớn)…")
        self.remove_button = QtWidgets.QPushButton("Xóa…")
        self.add_button.clicked.connect(lambda: self.add_feedback())
        self.handle_button.clicked.connect(lambda: self.start_handling())
        self.forward_button.clicked.connect(lambda: self.forward())
        self.answer_button.clicked.connect(lambda: self.answer())
        self.print_button.clicked.connect(lambda: self.print_answer())
        self.remove_button.clicked.connect(lambda: self.remove())
        for b in (
            self.add_button,
            self.handle_button,
            self.forward_button,
            self.answer_button,
            self.print_button,
            self.remove_button,
        ):
            actions.addWidget(b)
        layout.addLayout(actions)

        self.model = FeedbackModel(self)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        # Rows of at most two lines, the rest elided (the whole text is the tooltip and below).
        self.view.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setVisible(False)
        # Date, kind, channel and state whole on one line; the member's name and the
        # content share the rest, the content taking the most (see fit_table). On a narrow
        # page the channel (also said in the details below) gives its place to the content.
        fit_table(self.view, text=(1, 3), main=3, optional=(4,))
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._show_detail())
        self.view.doubleClicked.connect(lambda _i: self.answer())
        layout.addWidget(self.view, 1)
        self.detail = QtWidgets.QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long feedback scrolls in a few lines instead of pushing the list off the page.
        self.detail_area = QtWidgets.QScrollArea()
        self.detail_area.setWidgetResizable(True)
        self.detail_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.detail_area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_area.setWidget(self.detail)
        self.detail_area.setVisible(False)  # shown with the selected feedback
        layout.addWidget(self.detail_area)
        self.status = QtWidgets.QLabel("")
        set_role(self.status, "hint")
        layout.addWidget(self.status)
        self.tabs.addTab(page, "Ý kiến đảng viên")

        self.support_page = SupportPage(ctx, on_changed=self._support_changed)
        self.tabs.addTab(self.support_page, "Hỗ trợ đảng viên cao tuổi")
        self.text_size_changed()
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        self.order = "received_on"
        self.descending = True

    # -- loading -------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not (changes.entities & RELEVANT):
            return
        self.reload()
        if self.tabs.currentWidget() is self.support_page:
            self.support_page.refresh()

    def _tab_shown(self) -> None:
        if self.tabs.currentWidget() is self.support_page:
            self.support_page.refresh()

    def reload(self) -> None:
        state = FILTERS[self.filter.currentIndex()][1]
        search = self.search.text().strip() or None
        book, order, descending = self.ctx.book, self.order, self.descending

        def load() -> list[FeedbackView]:
            found = feedback.list_feedback(
                book,
                state=None if state == RECENT else state,
                search=search,
                order=order,
                descending=descending,
            )
            if state != RECENT:
                return found
            since = dt.date.today() - dt.timedelta(days=RECENT_DAYS)
            return [i for i in found if i.is_waiting or (i.answered_on and i.answered_on >= since)]

        self.ctx.runner.run(
            self,
            load,
            on_success=self._show,
            label="",
        )

    def _show(self, items: list[FeedbackView]) -> None:
        selected = self.selected()
        self.model.set_items(items)
        waiting = sum(1 for i in items if i.is_waiting)
        self.status.setText(f"{len(items)} ý kiến; {waiting} đang chờ trả lời.")
        if selected is not None:
            self.select(selected.id)
        self._show_detail()

    def text_size_changed(self) -> None:
        line = self.fontMetrics().lineSpacing()
        self.view.verticalHeader().setDefaultSectionSize(line * 2 + 8)
        self.detail_area.setMaximumHeight(line * 4 + 8)
        self.support_page.size_rows()

    def _sort_by(self, column: int) -> None:
        key = SORT_BY_COLUMN[column] if 0 <= column < len(SORT_BY_COLUMN) else None
        if key is None:
            return
        self.descending = not self.descending if key == self.order else key == "received_on"
        self.order = key
        self.reload()

    def selected(self) -> FeedbackView | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.items):
            return None
        return self.model.items[rows[0].row()]

    def select(self, feedback_id: str) -> bool:
        for row, item in enumerate(self.model.items):
            if item.id == feedback_id:
                self.view.selectRow(row)
                return True
        return False

    def _show_detail(self) -> None:
        item = self.selected()
        if item is None:
            self.detail.setText("")
            self.detail_area.setVisible(False)
            self._enable(None)
            return
        lines = [
            f"{item.kind_label} của đồng chí {item.member_name}, nhận ngày "
            f"{item.received_on:%d/%m/%Y} ({item.channel_label.lower()}) — {item.state_label}.",
            item.content,
        ]
        if item.handling_note:
            lines.append(f"Xử lý: {item.handling_note}")
        if item.forwarded_on:
            lines.append(f"Đã chuyển cấp trên ngày {item.forwarded_on:%d/%m/%Y}.")
        if item.answer:
            when = f" ngày {item.answered_on:%d/%m/%Y}" if item.answered_on else ""
            lines.append(f"Trả lời của {item.answered_by}{when}: {item.answer}")
        self.detail.setText("\n".join(lines))
        self.detail_area.setVisible(True)
        self._enable(item)

    def _enable(self, item: FeedbackView | None) -> None:
        has = item is not None
        self.handle_button.setEnabled(has and item is not None and item.state == "received")
        self.forward_button.setEnabled(
            has and item is not None and item.state in ("received", "handling")
        )
        self.answer_button.setEnabled(has)
        self.print_button.setEnabled(has and item is not None and item.state == "answered")
        self.remove_button.setEnabled(has)

    # -- actions -------------------------------------------------------------------------
    def _done(self, item: FeedbackView | None = None) -> None:
        changes = feedback.op_changes(*((item.id,) if item else ()))
        self.reload()
        if item is not None:
            self.select(item.id)
        self.changed.emit(changes)

    def _support_changed(self) -> None:
        self.reload()
        self.changed.emit(feedback.op_changes())

    def _need_selection(self, title: str) -> FeedbackView | None:
        item = self.selected()
        if item is None:
            self.ctx.message.info(title, "Hãy chọn một ý kiến trong danh sách.")
        return item

    def add_feedback(self) -> FeedbackDialog:
        dialog = FeedbackDialog(self.ctx, parent=self)
        if self.open_dialog(dialog) == QtWidgets.QDialog.DialogCode.Accepted and dialog.saved:
            self._done(dialog.saved)
        return dialog

    def _run(self, fn: Callable[[], FeedbackView], title: str) -> None:
        self.ctx.runner.run(
            self,
            fn,
            on_success=self._done,
            on_failure=lambda e: self.ctx.message.error(
                title, e.message if isinstance(e, KnownError) else str(e)
            ),
            label="Đang lưu…",
        )

    def start_handling(self) -> None:
        item = self._need_selection("Xử lý ý kiến")
        if item is None:
            return
        note = self.ask_text("Xử lý ý kiến", "Chi bộ xử lý thế nào (có thể để trống)?")
        if note is None:
            return
        book = self.ctx.book
        self._run(
            lambda: feedback.start_handling(book, feedback_id=item.id, note=note), "Xử lý ý kiến"
        )

    def forward(self) -> None:
        item = self._need_selection("Chuyển cấp trên")
        if item is None:
            return
        if not self.ctx.message.ask(
            "Chuyển cấp trên",
            f"Chuyển ý kiến của đồng chí {item.member_name} lên cấp ủy cấp trên? Ý kiến sẽ được "
            "gửi đi ở lần đồng bộ tới; câu trả lời của cấp trên sẽ về qua đồng bộ.",
        ):
            return
        book = self.ctx.book
        self._run(lambda: feedback.forward(book, feedback_id=item.id), "Chuyển cấp trên")

    def answer(self) -> AnswerDialog | None:
        item = self._need_selection("Ghi trả lời")
        if item is None:
            return None
        dialog = AnswerDialog(self.ctx, item, parent=self)
        if self.open_dialog(dialog) == QtWidgets.QDialog.DialogCode.Accepted and dialog.saved:
            self._done(dialog.saved)
        return dialog

    def print_answer(self, path: Path | None = None) -> Path | None:
        item = self._need_selection("In trả lời")
        if item is None:
            return None
        path = path or self.ask_path(
            "In câu trả lời chữ lớn", f"tra-loi-y-kien-{item.received_on:%Y%m%d}.pdf"
        )
        if path is None:
            return None
        from reports.printing import write_answer_pdf

        book = self.ctx.book
        target = path
        self.ctx.runner.run(
            self,
            lambda: write_answer_pdf(book, feedback_id=item.id, path=target),
            on_success=lambda p: offer_pdf(self, self.ctx.message, str(p), title="Đã in"),
            on_failure=lambda e: self.ctx.message.error(
                "Không in được", e.message if isinstance(e, KnownError) else str(e)
            ),
            label="Đang in…",
        )
        return path

    def remove(self) -> None:
        item = self._need_selection("Xóa ý kiến")
        if item is None:
            return
        reason = self.ask_text("Xóa ý kiến", "Lý do xóa (ghi nhầm, trùng…):")
        if reason is None:
            return
        book = self.ctx.book

        def work() -> None:
            feedback.remove(book, feedback_id=item.id, reason=reason)

        self.ctx.runner.run(
            self,
            work,
            on_success=lambda _r: self._done(None),
            on_failure=lambda e: self.ctx.message.error(
                "Xóa ý kiến", e.message if isinstance(e, KnownError) else str(e)
            ),
            label="Đang xóa…",
        )

    # -- small prompts -------------------------------------------------------------------
    def _ask_text(self, title: str, label: str) -> str | None:
        text, ok = QtWidgets.QInputDialog.getText(self, title, label)
        return text if ok else None

    def _ask_path(self, title: str, suggested: str) -> Path | None:
        path = save_file(self, FileKind.PDF, title, suggested, "Tệp PDF (*.pdf)")
        return Path(path) if path else None

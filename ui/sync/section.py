"""Đồng bộ: the link with the upper committee's server.

Shows where the book syncs to, how many changes wait, the last successful sync and the items
needing attention (a conflict with both versions side by side, a rejected change with its
reason). Sync runs on the task runner (never on the GUI thread); `AutoSync` repeats it in the
background while the program is open, so work goes on offline and goes up when a connection
appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services import sync_state
from app.services.changes import OpChanges
from app.vocab import Entity
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import set_role
from ui.sync.auto_sync import AutoSync
from ui.sync.enrol_dialog import EnrolDialog
from ui.sync.labels import (
    when_text,
)
from ui.sync.model import ProblemsModel, VersionsModel
from ui.widgets.columns import fit_table
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.sync_state import Problem, SyncStatus
    from sync.client import SyncReport

# What a pull can change here: the views showing these refresh after one.
SYNCED_ENTITIES = frozenset(
    {Entity.MEMBER, Entity.DOCUMENT, Entity.MEETING, Entity.FEEDBACK, Entity.SYNC}
)


class SyncSection(Section):
    title = "Đồng bộ"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.auto = (
            ctx.auto_sync if isinstance(ctx.auto_sync, AutoSync) else AutoSync(ctx, parent=self)
        )
        self._shown_error: str | None = None
        self.auto.finished.connect(self._synced)
        self.auto.failed.connect(self._sync_failed)
        layout = QtWidgets.QVBoxLayout(self)
        heading = QtWidgets.QLabel("Đồng bộ với Đảng ủy cấp trên")
        set_role(heading, "title")
        layout.addWidget(heading)

        # A grid, not a form: a form gave "Máy này chưa đăng ký với máy chủ đồng bộ" one line
        # of height where it wraps to two (1024 wide, large text), cutting the second.
        grid = QtWidgets.QGridLayout()
        grid.setColumnStretch(1, 1)
        self.values: dict[str, QtWidgets.QLabel] = {}
        for key, label in (
            ("server", "Máy chủ"),
            ("pending", "Thay đổi chờ gửi"),
            ("last_sync", "Đồng bộ thành công lần cuối"),
            ("attention", "Mục cần xử lý"),
            ("last_error", "Lần thử gần nhất"),
        ):
            value = QtWidgets.QLabel("…")
            value.setWordWrap(True)
            value.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            row = grid.rowCount()
            name = QtWidgets.QLabel(f"{label}:")
            name.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
        layout.addLayout(grid)

        buttons = QtWidgets.QHBoxLayout()
        self.sync_button = QtWidgets.QPushButton("Đồng bộ ngay")
        self.sync_button.clicked.connect(self.sync_now)
        self.enrol_button = QtWidgets.QPushButton("Đăng ký máy…")
        self.enrol_button.clicked.connect(self.enrol)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.enrol_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.outcome = QtWidgets.QLabel("")
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)

        layout.addWidget(QtWidgets.QLabel("Các mục cần xử lý:"))
        self.problems = ProblemsModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.problems)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        # Kind and time whole; what and why share the rest (see fit_table).
        fit_table(self.table, text=(1, 2), main=2)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        layout.addWidget(self.table, 2)

        self.detail = QtWidgets.QLabel("")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.versions = VersionsModel(self)
        self.versions_view = QtWidgets.QTableView()
        self.versions_view.setModel(self.versions)
        # The field's name whole; the two versions share the rest.
        fit_table(self.versions_view, text=(1, 2), main=1)
        layout.addWidget(self.versions_view, 2)

        # Wraps onto a second line rather than widening the page (1024 wide, large text).
        actions = FlowLayout(spacing=6)
        self.keep_mine = QtWidgets.QPushButton("Giữ bản của chi bộ")
        self.keep_mine.clicked.connect(lambda: self.resolve("mine"))
        self.take_theirs = QtWidgets.QPushButton("Lấy bản trên máy chủ")
        self.take_theirs.clicked.connect(lambda: self.resolve("theirs"))
        self.dismiss_button = QtWidgets.QPushButton("Đã xem, bỏ qua")
        self.dismiss_button.clicked.connect(self.dismiss)
        for button in (self.keep_mine, self.take_theirs, self.dismiss_button):
            button.setEnabled(False)
            actions.addWidget(button)
        layout.addLayout(actions)
        self.auto.start()

    # -- loading ------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not changes.entities:
            return
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: (sync_state.status(book), sync_state.problems(book)),
            on_success=self._show,
        )

    def _show(self, data: tuple[SyncStatus, list[Problem]]) -> None:
        state, items = data
        if state.enrolled:
            self.values["server"].setText(f"{state.server_url} — chi bộ {state.branch_code}")
        else:
            self.values["server"].setText("Máy này chưa đăng ký với máy chủ đồng bộ.")
        self.values["pending"].setText(str(state.pending))
        self.values["last_sync"].setText(when_text(state.last_sync_at))
        self.values["attention"].setText(str(state.needing_attention))
        if state.last_error and state.last_error == self._shown_error:
            # Already said just above the list (the outcome line): not twice.
            self.values["last_error"].setText("Không thành công (xem thông báo bên dưới).")
        else:
            self.values["last_error"].setText(state.last_error or "Không có lỗi.")
        self.sync_button.setEnabled(state.enrolled and not self.auto.running)
        self.enrol_button.setText("Đăng ký lại…" if state.enrolled else "Đăng ký máy…")
        self.problems.set_items(items)
        self._selected()
        QtCore.QTimer.singleShot(0, self, self._fit_values)

    def _fit_values(self) -> None:
        """Each value at least as tall as its wrapped text at its width: when the page is
        short of height, the layout would give a wrapped label one line and cut the rest."""
        for value in self.values.values():
            width = value.width()
            if width > 0:
                value.setMinimumHeight(value.heightForWidth(width))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        QtCore.QTimer.singleShot(0, self, self._fit_values)

    def _current(self) -> Problem | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.problems.items):
            return None
        return self.problems.items[index.row()]

    def _selected(self) -> None:
        item = self._current()
        self.versions.set_problem(item if item is not None and item.kind == "conflict" else None)
        is_conflict = item is not None and item.kind == "conflict"
        self.keep_mine.setEnabled(is_conflict)
        self.take_theirs.setEnabled(is_conflict and item is not None and item.theirs is not None)
        self.dismiss_button.setEnabled(item is not None and item.kind != "conflict")
        if item is None:
            self.detail.setText("")
        elif item.kind == "conflict":
            text = (
                f"{item.label}: đã được sửa ở cả hai nơi. Chọn giữ bản của chi bộ (sẽ gửi lại lên "
                "máy chủ) hoặc lấy bản trên máy chủ (ghi đè vào sổ). Các dòng in đậm là chỗ khác nhau."
            )
            mine = item.mine or {}
            if sync_state.keep_committee_answer(item.entity, mine, item.theirs) != mine:
                text += " Giữ bản của chi bộ vẫn giữ câu trả lời của cấp trên."
            self.detail.setText(text)
        else:
            self.detail.setText(f"{item.label}: {item.reason}")

    # -- actions ------------------------------------------------------------------------
    def sync_now(self) -> None:
        self.outcome.setText("Đang đồng bộ…")
        self.sync_button.setEnabled(False)
        if not self.auto.run_now():
            self.outcome.setText("Đang có một lần đồng bộ chạy, hoặc máy chưa đăng ký.")
            self.refresh(None)

    def _synced(self, report: SyncReport | None) -> None:
        if report is not None:
            data = report.as_json()
            text = (
                f"Đã gửi {data['sent']} thay đổi ({data['acknowledged']} được ghi nhận, "
                f"{data['rejected']} bị từ chối, {data['conflicts']} xung đột); "
                f"nhận {data['pulled']} thay đổi từ cấp trên"
            )
            answers = data.get("pulled_feedback") or 0
            if answers:
                text += f" (trong đó {answers} trả lời của cấp trên cho ý kiến đã gửi)"
            text += "."
            if data["files_uploaded"]:
                text += f" Đã gửi {data['files_uploaded']} tệp văn bản kèm theo."
            if data["files_too_large"]:
                text += (
                    f" {data['files_too_large']} tệp văn bản quá lớn nên máy chủ không nhận "
                    "(thông tin của văn bản vẫn được gửi)."
                )
            self._shown_error = None
            self.outcome.setText(text)
            if data["pulled"]:
                self.changed.emit(OpChanges(entities=SYNCED_ENTITIES))
        self.changed.emit(OpChanges.of(Entity.SYNC))
        self.refresh(None)

    def _sync_failed(self, exc: BaseException) -> None:
        self._shown_error = str(exc)
        self.outcome.setText(str(exc))
        self.refresh(None)

    def enrol(self) -> None:
        dialog = EnrolDialog(self.ctx, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.outcome.setText(dialog.result_text)
            self.refresh(None)

    def resolve(self, keep: str) -> None:
        item = self._current()
        if item is None:
            return
        question = (
            "Giữ bản của chi bộ và gửi lại lên máy chủ?"
            if keep == "mine"
            else "Lấy bản trên máy chủ và ghi đè thông tin trong sổ?"
        )
        if not self.ctx.message.ask("Giải quyết xung đột", f"{item.label}\n\n{question}"):
            return
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: sync_state.resolve_conflict(book, op_id=item.op_id, keep=keep),
            on_success=self._after_change,
        )

    def dismiss(self) -> None:
        item = self._current()
        if item is None:
            return
        book = self.ctx.book
        self.ctx.runner.run(
            self, lambda: sync_state.dismiss(book, op_id=item.op_id), on_success=self._after_change
        )

    def _after_change(self, changes: OpChanges) -> None:
        self.changed.emit(changes)
        self.refresh(None)

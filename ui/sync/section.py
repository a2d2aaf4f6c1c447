"""Đồng bộ: the link with the upper committee's server.

Shows where the book syncs to, how many changes wait, the last successful sync and the items
needing attention (a conflict with both versions side by side, a rejected change with its
reason). Sync runs on the task runner (never on the GUI thread); `AutoSync` repeats it in the
background while the program is open, so work goes on offline and goes up when a connection
appears.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.models.document import DOCUMENT_TYPES
from app.models.feedback import FEEDBACK_CHANNELS, FEEDBACK_KINDS, FEEDBACK_STATES
from app.models.meeting import MEETING_KINDS, MEETING_STATES
from app.models.member import ACCOUNT_STATES, MEMBER_STATUSES
from app.models.report import REPORT_KINDS, REPORT_STATES
from app.models.study import CAMPAIGN_STATES
from app.services import sync_state
from app.services.changes import OpChanges
from app.services.members import FIELD_LABELS as MEMBER_LABELS
from app.vocab import Entity
from ui.qt import QtCore, QtWidgets, Signal
from ui.style import set_role
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.sync_state import Problem, SyncStatus
    from sync.client import SyncReport

PROBLEM_HEADERS = ("Loại", "Nội dung", "Lý do", "Thời điểm")
VERSION_HEADERS = ("Thông tin", "Bản của chi bộ", "Bản trên máy chủ")
KIND_LABELS = {"conflict": "Xung đột", "rejected": "Bị từ chối", "pull": "Chưa nhận được"}
HIDDEN_FIELDS = frozenset({"id", "name_search", "name_sort", "version", "created_at", "updated_at"})
FIELD_LABELS: dict[str, str] = {
    **MEMBER_LABELS,
    "topic": "Chủ đề",
    "starts_at": "Bắt đầu",
    "ends_at": "Kết thúc",
    "place": "Địa điểm",
    "state": "Trạng thái",
    "title": "Trích yếu",
    "number": "Số hiệu",
    "deleted_at": "Đã xóa lúc",
    "minutes_json": "Biên bản",
    "kind": "Loại",
    "member_id": "Mã đảng viên",
    "meeting_id": "Mã cuộc họp",
    "document_id": "Mã tài liệu",
    # documents
    "doc_type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "issued_on": "Ngày ban hành",
    "summary": "Tóm tắt",
    "tags": "Từ khóa",
    "filename": "Tệp",
    "text_content": "Nội dung văn bản",
    # feedback
    "content": "Nội dung ý kiến",
    "received_on": "Ngày nhận",
    "channel": "Hình thức tiếp nhận",
    "handling_note": "Ghi chú xử lý",
    "forwarded_on": "Ngày chuyển cấp trên",
    "answer": "Nội dung trả lời",
    "answered_on": "Ngày trả lời",
    "answered_by": "Người trả lời",
    "recorded_by": "Người ghi",
    "support_session_id": "Buổi hỗ trợ",
    # support sessions
    "held_on": "Ngày hỗ trợ",
    "helpers": "Người hỗ trợ",
    "attendees_json": "Đảng viên được hỗ trợ",
    # reports
    "period": "Kỳ báo cáo",
    "subtitle": "Tiêu đề",
    "sections_json": "Nội dung báo cáo",
    "recipients": "Nơi nhận",
    "signer_name": "Người ký",
    "figures_json": "Số liệu",
    "revision": "Lần sửa",
    "amend_reason": "Lý do sửa",
    "submitted_at": "Gửi cấp trên lúc",
    "history_json": "Các bản đã gửi trước",
    # absence requests, study
    "reason": "Lý do",
    "resolutions": "Nghị quyết học tập",
    "presenter": "Báo cáo viên",
    "grade": "Xếp loại",
    "score": "Điểm",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": {**MEMBER_STATUSES, **MEETING_STATES},
    "app_account": ACCOUNT_STATES,
    "state": MEETING_STATES,
    "doc_type": DOCUMENT_TYPES,
}
# Values whose meaning depends on the entity (a feedback's state is not a meeting's).
ENTITY_VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "meeting": {"kind": MEETING_KINDS, "state": MEETING_STATES},
    "feedback": {"kind": FEEDBACK_KINDS, "channel": FEEDBACK_CHANNELS, "state": FEEDBACK_STATES},
    "report": {"kind": REPORT_KINDS, "state": REPORT_STATES},
    "study_campaign": {"state": CAMPAIGN_STATES},
}
# What a pull can change here: the views showing these refresh after one.
SYNCED_ENTITIES = frozenset(
    {Entity.MEMBER, Entity.DOCUMENT, Entity.MEETING, Entity.FEEDBACK, Entity.SYNC}
)
AUTO_SYNC_MINUTES = 10


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return "chưa có"
    local = value.replace(tzinfo=dt.UTC).astimezone()
    return f"{local:%H:%M ngày %d/%m/%Y}"


def _shown(key: str, value: Any, entity: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    text = str(value)
    by_entity = ENTITY_VALUE_LABELS.get(entity, {})
    if key in by_entity:
        return by_entity[key].get(text, text)
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(text, text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
        except ValueError:
            return text
    return text if len(text) <= 120 else text[:117] + "…"


class ProblemsModel(QtCore.QAbstractTableModel):
    """Items needing attention, as the service lists them."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[Problem] = []

    def set_items(self, items: list[Problem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PROBLEM_HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(PROBLEM_HEADERS)
        ):
            return PROBLEM_HEADERS[section]
        return None

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return KIND_LABELS.get(item.kind, item.kind)
            if column == 1:
                return item.label
            if column == 2:
                return item.reason
            if column == 3:
                return _when(item.created_at)
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return item.reason
        return None


class VersionsModel(QtCore.QAbstractTableModel):
    """Both versions of a conflicting row, field by field (differences first)."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str, str, bool]] = []

    def set_problem(self, problem: Problem | None) -> None:
        self.beginResetModel()
        self.rows = []
        if problem is not None:
            mine, theirs = problem.mine or {}, problem.theirs or {}
            keys = [k for k in dict.fromkeys([*mine, *theirs]) if k not in HIDDEN_FIELDS]
            rows = [
                (
                    FIELD_LABELS.get(k, k),
                    _shown(k, mine.get(k), problem.entity) if problem.mine is not None else "—",
                    _shown(k, theirs.get(k), problem.entity) if problem.theirs is not None else "—",
                    mine.get(k) != theirs.get(k),
                )
                for k in keys
            ]
            self.rows = sorted(rows, key=lambda r: not r[3])
        self.endResetModel()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(VERSION_HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(VERSION_HEADERS)
        ):
            return VERSION_HEADERS[section]
        return None

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        label, mine, theirs, differs = self.rows[index.row()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return (label, mine, theirs)[index.column()]
        if role == QtCore.Qt.ItemDataRole.FontRole and differs:
            font = QtWidgets.QApplication.font()
            font.setBold(True)
            return font
        return None


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
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Chọn tệp chứng chỉ gốc", "", "Chứng chỉ (*.pem *.crt *.cer);;Mọi tệp (*)"
        )
        if path:
            self.ca_bundle.setText(path)

    def submit(self) -> None:
        from sync.client import enrol

        server, code = self.server.text().strip(), self.code.text().strip()
        if not server or not code:
            self.error.setText("Vui lòng nhập địa chỉ máy chủ và mã đăng ký.")
            return
        bundle = self.ca_bundle.text().strip() or None
        book = self.ctx.book
        self.ok.setEnabled(False)
        self.error.setText("")

        def done(result: Any) -> None:
            self.ok.setEnabled(True)
            self.result_text = f"Đã đăng ký: {result.branch_name} ({result.branch_code})."
            self.accept()

        def failed(exc: BaseException) -> None:
            self.ok.setEnabled(True)
            self.error.setText(str(exc))

        self.ctx.runner.run(
            lambda: enrol(book, server_url=server, code=code, ca_bundle=bundle),
            on_success=done,
            on_failure=failed,
            label="Đang đăng ký với máy chủ…",
        )


class AutoSync(QtCore.QObject):
    """Sync in the background every few minutes while enrolled, and on demand.

    A run that fails because the network is away is quiet (it will try again); one that needs
    the secretary (enrol again, update) is reported through `failed`.
    """

    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # KnownError

    def __init__(self, ctx: AppContext, *, minutes: int = AUTO_SYNC_MINUTES) -> None:
        super().__init__()
        self.ctx = ctx
        self.running = False
        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(lambda: self.run_now(quiet=True))

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run_now(self, *, quiet: bool = False) -> bool:
        if self.running or not self.ctx.book.is_open:
            return False
        if not sync_state.load_config(self.ctx.book).enrolled:
            return False
        from sync.client import run_sync

        book = self.ctx.book
        self.running = True

        def done(report: SyncReport) -> None:
            self.running = False
            self.finished.emit(report)

        def failed(exc: BaseException) -> None:
            self.running = False
            if not (quiet and getattr(exc, "retry_later", False)):
                self.failed.emit(exc)
            else:
                self.finished.emit(None)

        self.ctx.runner.run(
            lambda: run_sync(book), on_success=done, on_failure=failed, label="Đang đồng bộ…"
        )
        return True


class SyncSection(Section):
    title = "Đồng bộ"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.auto = ctx.auto_sync if isinstance(ctx.auto_sync, AutoSync) else AutoSync(ctx)
        self.auto.finished.connect(self._synced)
        self.auto.failed.connect(self._sync_failed)
        layout = QtWidgets.QVBoxLayout(self)
        heading = QtWidgets.QLabel("Đồng bộ với Đảng ủy cấp trên")
        set_role(heading, "title")
        layout.addWidget(heading)

        grid = QtWidgets.QFormLayout()
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
            grid.addRow(f"{label}:", value)
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
        self.table.horizontalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        layout.addWidget(self.table, 2)

        self.detail = QtWidgets.QLabel("")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.versions = VersionsModel(self)
        self.versions_view = QtWidgets.QTableView()
        self.versions_view.setModel(self.versions)
        self.versions_view.horizontalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        self.versions_view.horizontalHeader().setSectionResizeMode(
            0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        layout.addWidget(self.versions_view, 2)

        actions = QtWidgets.QHBoxLayout()
        self.keep_mine = QtWidgets.QPushButton("Giữ bản của chi bộ")
        self.keep_mine.clicked.connect(lambda: self.resolve("mine"))
        self.take_theirs = QtWidgets.QPushButton("Lấy bản trên máy chủ")
        self.take_theirs.clicked.connect(lambda: self.resolve("theirs"))
        self.dismiss_button = QtWidgets.QPushButton("Đã xem, bỏ qua")
        self.dismiss_button.clicked.connect(self.dismiss)
        for button in (self.keep_mine, self.take_theirs, self.dismiss_button):
            button.setEnabled(False)
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.auto.start()

    # -- loading ------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not changes.entities:
            return
        book = self.ctx.book
        self.ctx.runner.run(
            lambda: (sync_state.status(book), sync_state.problems(book)), on_success=self._show
        )

    def _show(self, data: tuple[SyncStatus, list[Problem]]) -> None:
        state, items = data
        if state.enrolled:
            self.values["server"].setText(f"{state.server_url} — chi bộ {state.branch_code}")
        else:
            self.values["server"].setText("Máy này chưa đăng ký với máy chủ đồng bộ.")
        self.values["pending"].setText(str(state.pending))
        self.values["last_sync"].setText(_when(state.last_sync_at))
        self.values["attention"].setText(str(state.needing_attention))
        self.values["last_error"].setText(state.last_error or "Không có lỗi.")
        self.sync_button.setEnabled(state.enrolled and not self.auto.running)
        self.enrol_button.setText("Đăng ký lại…" if state.enrolled else "Đăng ký máy…")
        self.problems.set_items(items)
        self._selected()

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
                f"nhận {data['pulled']} thay đổi từ cấp trên."
            )
            if data["files_uploaded"]:
                text += f" Đã gửi {data['files_uploaded']} tệp văn bản kèm theo."
            if data["files_too_large"]:
                text += (
                    f" {data['files_too_large']} tệp văn bản quá lớn nên máy chủ không nhận "
                    "(thông tin của văn bản vẫn được gửi)."
                )
            self.outcome.setText(text)
            if data["pulled"]:
                self.changed.emit(OpChanges(entities=SYNCED_ENTITIES))
        self.changed.emit(OpChanges.of(Entity.SYNC))
        self.refresh(None)

    def _sync_failed(self, exc: BaseException) -> None:
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
            lambda: sync_state.resolve_conflict(book, op_id=item.op_id, keep=keep),
            on_success=self._after_change,
        )

    def dismiss(self) -> None:
        item = self._current()
        if item is None:
            return
        book = self.ctx.book
        self.ctx.runner.run(
            lambda: sync_state.dismiss(book, op_id=item.op_id), on_success=self._after_change
        )

    def _after_change(self, changes: OpChanges) -> None:
        self.changed.emit(changes)
        self.refresh(None)

"""Sinh hoạt: the branch's meetings — call one, take leave requests, run the roll call, write
the minutes, print the paperwork, see the attendance figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.models.meeting_extra import ABSENCE_CHANNELS
from app.services import attendance, meeting_stats, meetings, members, voting_rules
from app.services.changes import OpChanges
from app.services.meetings import AttachedDocument, MeetingInput, MeetingSummary, MeetingView
from app.text import clean, fold
from app.vocab import Entity, MeetingKind
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import set_role
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.attendance import AbsenceRequestView, RollCall

MEETING_ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
MEETING_HEADERS = ("Thời gian", "Cuộc họp", "Địa điểm", "Trạng thái", "Có mặt", "Tài liệu")
PAPER_TITLES = {
    "invitation": ("Thông báo mời họp", "thong-bao-moi-hop"),
    "signin": ("Danh sách ký tên", "danh-sach-ky-ten"),
    "minutes": ("Biên bản", "bien-ban"),
}
MEETING_ENTITIES = frozenset(
    {Entity.MEETING, Entity.ATTENDANCE_EVENT, Entity.ABSENCE_REQUEST, Entity.MEETING_DOCUMENT}
)


class MeetingsModel(QtCore.QAbstractTableModel):
    """The meeting list (filtered and ordered by the service)."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[MeetingSummary] = []

    def set_items(self, items: list[MeetingSummary]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MEETING_HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(MEETING_HEADERS)
        ):
            return MEETING_HEADERS[section]
        return None

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        m = item.meeting
        col = index.column()
        if role == MEETING_ID_ROLE:
            return m.id
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{m.starts_at:%H:%M} {m.starts_at:%d/%m/%Y}"
            if col == 1:
                return m.title
            if col == 2:
                return m.place
            if col == 3:
                return m.state_label
            if col == 4:
                return f"{item.present}/{item.expected}" if item.marked else "–"
            if col == 5:
                return str(item.documents) if item.documents else ""
        if role == QtCore.Qt.ItemDataRole.FontRole and m.state == "open":
            font = QtGui.QFont()
            font.setBold(True)
            return font
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole and col in (4, 5):
            return int(QtCore.Qt.AlignmentFlag.AlignCenter)
        return None


def _names_for_combos(ctx: AppContext) -> list[str]:
    return [
        v.full_name for v in members.list_members(ctx.book, status=list(voting_rules.ROSTER_ROLES))
    ]


class DocumentPicker(QtWidgets.QDialog):
    """Choose a document from the library to send with the meeting."""

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gửi kèm tài liệu họp")
        self.resize(720, 520)
        layout = QtWidgets.QVBoxLayout(self)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Gõ số hoặc tên tài liệu (không cần dấu)")
        layout.addWidget(self.search)
        self.list = QtWidgets.QListWidget()
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        self.empty = QtWidgets.QLabel("")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        buttons = QtWidgets.QDialogButtonBox()
        buttons.addButton("Gửi kèm", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._docs: list[tuple[str, str]] = []
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        try:
            from app.services import documents
        except ImportError:  # the library is a later part of the program
            docs = []
        else:
            docs = [(d.id, d.label) for d in documents.list_documents(ctx.book, limit=1000)]
        self._docs = docs
        if not docs:
            self.empty.setText(
                "Thư viện tài liệu chưa có tài liệu nào. Hãy nhập tài liệu ở phần “Tài liệu”."
            )
        self._filter("")

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        self.list.clear()
        for doc_id, label in self._docs:
            if all(w in fold(label) for w in words):
                item = QtWidgets.QListWidgetItem(label)
                item.setData(QtCore.Qt.ItemDataRole.UserRole, doc_id)
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def chosen(self) -> tuple[str, str] | None:
        """(document id, label) of the highlighted document."""
        item = self.list.currentItem()
        if item is None:
            return None
        return str(item.data(QtCore.Qt.ItemDataRole.UserRole)), item.text()


class MeetingDialog(QtWidgets.QDialog):
    """Create or edit a meeting; the agenda is pre-filled from HD 09 / HD 12 and editable."""

    def __init__(
        self,
        ctx: AppContext,
        meeting: MeetingView | None = None,
        *,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting = meeting
        self.result_meeting: MeetingView | None = None
        self.attached: list[AttachedDocument] = []
        self.pending_docs: list[str] = []
        self.doc_labels: dict[str, str] = {}
        self.setWindowTitle("Sửa cuộc họp" if meeting else "Tạo cuộc họp")
        self.resize(860, 820)
        outer = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        outer.addLayout(form)

        self.kind = QtWidgets.QComboBox()
        for kind in MeetingKind:
            self.kind.addItem(kind.label, kind.value)
        form.addRow("Loại cuộc họp:", self.kind)
        when = QtWidgets.QHBoxLayout()
        self.date = QtWidgets.QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.time = QtWidgets.QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        when.addWidget(self.date)
        when.addWidget(QtWidgets.QLabel("lúc"))
        when.addWidget(self.time)
        when.addStretch(1)
        form.addRow("Ngày giờ:", when)
        self.place = QtWidgets.QLineEdit()
        form.addRow("Địa điểm:", self.place)
        self.topic = QtWidgets.QLineEdit()
        self.topic.setPlaceholderText("Bắt buộc với sinh hoạt chuyên đề")
        form.addRow("Chủ đề:", self.topic)
        names = _names_for_combos(ctx)
        self.chair = QtWidgets.QComboBox()
        self.chair.setEditable(True)
        self.chair.addItems(names)
        form.addRow("Chủ trì:", self.chair)
        self.secretary = QtWidgets.QComboBox()
        self.secretary.setEditable(True)
        self.secretary.addItems(names)
        form.addRow("Thư ký:", self.secretary)
        self.guests = QtWidgets.QPlainTextEdit()
        self.guests.setPlaceholderText("Mỗi khách mời một dòng")
        self.guests.setMaximumHeight(80)
        form.addRow("Khách mời:", self.guests)
        agenda_box = QtWidgets.QVBoxLayout()
        self.agenda = QtWidgets.QPlainTextEdit()
        self.agenda.setPlaceholderText("Mỗi mục chương trình một dòng")
        agenda_box.addWidget(self.agenda)
        self.standard_button = QtWidgets.QPushButton("Dùng chương trình mẫu (HD 09, HD 12)")
        self.standard_button.clicked.connect(self.use_standard_agenda)
        agenda_box.addWidget(self.standard_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        form.addRow("Chương trình:", agenda_box)

        docs_box = QtWidgets.QVBoxLayout()
        self.docs = QtWidgets.QListWidget()
        self.docs.setMaximumHeight(110)
        docs_box.addWidget(self.docs)
        drow = QtWidgets.QHBoxLayout()
        self.attach_button = QtWidgets.QPushButton("Gửi kèm tài liệu…")
        self.attach_button.clicked.connect(self.pick_document)
        self.detach_button = QtWidgets.QPushButton("Bỏ tài liệu đang chọn")
        self.detach_button.clicked.connect(self.detach_selected)
        drow.addWidget(self.attach_button)
        drow.addWidget(self.detach_button)
        drow.addStretch(1)
        docs_box.addLayout(drow)
        form.addRow("Tài liệu họp:", docs_box)

        self.amend_reason = QtWidgets.QLineEdit()
        self.amend_reason.setPlaceholderText(
            "Bắt buộc: cuộc họp đã kết thúc, thay đổi là đính chính"
        )
        self.amend_label = QtWidgets.QLabel("Lý do đính chính:")
        form.addRow(self.amend_label, self.amend_reason)

        self.error = QtWidgets.QLabel("")
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        outer.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok_button = buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        self._last_standard: list[str] = []
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.topic.textChanged.connect(self._topic_changed)
        self._fill()

    # -- filling -----------------------------------------------------------------------------
    def _fill(self) -> None:
        m = self.meeting
        closed = m is not None and m.is_closed
        self.amend_label.setVisible(closed)
        self.amend_reason.setVisible(closed)
        if m is None:
            info = self.ctx.book.branch()
            nxt = dt.date.today() + dt.timedelta(days=7)
            self.date.setDate(QtCore.QDate(nxt.year, nxt.month, nxt.day))
            self.time.setTime(QtCore.QTime(19, 30))
            self.place.setText(info.address)
            self.chair.setCurrentText(info.secretary_name)
            self.secretary.setCurrentText("")
            self._set_standard_agenda()
            self._kind_changed()
            return
        self.kind.setCurrentIndex(max(0, self.kind.findData(m.kind)))
        self.kind.setEnabled(m.state == "draft")
        d = m.starts_at
        self.date.setDate(QtCore.QDate(d.year, d.month, d.day))
        self.time.setTime(QtCore.QTime(d.hour, d.minute))
        self.place.setText(m.place)
        self.topic.setText(m.topic)
        self.chair.setCurrentText(m.chair_name)
        self.secretary.setCurrentText(m.secretary_name)
        self.guests.setPlainText(m.guests)
        self.agenda.setPlainText("\n".join(m.agenda))
        self._last_standard = meetings.standard_agenda(m.kind, m.topic)
        self.topic.setEnabled(m.kind == "chuyen_de")
        self.attached = meetings.documents(self.ctx.book, meeting_id=m.id)
        self.attach_button.setEnabled(not closed)
        self.detach_button.setEnabled(not closed)
        self._show_docs()

    def _agenda_lines(self) -> list[str]:
        return [clean(line) for line in self.agenda.toPlainText().splitlines() if clean(line)]

    def _set_standard_agenda(self) -> None:
        code = str(self.kind.currentData())
        self._last_standard = meetings.standard_agenda(code, self.topic.text())
        self.agenda.setPlainText("\n".join(self._last_standard))

    def use_standard_agenda(self) -> None:
        self._set_standard_agenda()

    def _kind_changed(self, *_args: object) -> None:
        code = str(self.kind.currentData())
        self.topic.setEnabled(code == "chuyen_de")
        # Follow the kind only while the agenda is still the untouched standard one.
        if not self._agenda_lines() or self._agenda_lines() == self._last_standard:
            self._set_standard_agenda()

    def _topic_changed(self, *_args: object) -> None:
        if self._agenda_lines() == self._last_standard:
            self._set_standard_agenda()

    # -- documents --------------------------------------------------------------------------
    def _show_docs(self) -> None:
        self.docs.clear()
        for d in self.attached:
            label = f"{d.number}: {d.title}" if d.number else d.title
            item = QtWidgets.QListWidgetItem(label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, d.document_id)
            self.docs.addItem(item)
        for doc_id in self.pending_docs:
            label = self.doc_labels.get(doc_id, doc_id)
            item = QtWidgets.QListWidgetItem(f"{label} (gửi kèm khi lưu)")
            item.setData(QtCore.Qt.ItemDataRole.UserRole, doc_id)
            self.docs.addItem(item)

    def pick_document(self) -> None:
        picker = DocumentPicker(self.ctx, self)
        if picker.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        chosen = picker.chosen()
        if chosen:
            self.doc_labels[chosen[0]] = chosen[1]
            self.attach(chosen[0])

    def attach(self, document_id: str) -> None:
        if self.meeting is None:
            if document_id not in self.pending_docs:
                self.pending_docs.append(document_id)
            self._show_docs()
            return
        meeting_id = self.meeting.id
        book = self.ctx.book

        def work() -> list[AttachedDocument]:
            meetings.attach_document(book, meeting_id=meeting_id, document_id=document_id)
            return meetings.documents(book, meeting_id=meeting_id)

        self.ctx.runner.run(work, on_success=self._docs_loaded, on_failure=self._doc_failed)

    def _docs_loaded(self, docs: list[AttachedDocument]) -> None:
        self.error.clear()
        self.attached = docs
        self._show_docs()

    def _doc_failed(self, error: BaseException) -> None:
        self.error.setText(str(error))

    def detach_selected(self) -> None:
        item = self.docs.currentItem()
        if item is None:
            return
        doc_id = str(item.data(QtCore.Qt.ItemDataRole.UserRole))
        if doc_id in self.pending_docs:
            self.pending_docs.remove(doc_id)
            self._show_docs()
            return
        if self.meeting is None:
            return
        meeting_id = self.meeting.id
        book = self.ctx.book

        def work() -> list[AttachedDocument]:
            meetings.detach_document(book, meeting_id=meeting_id, document_id=doc_id)
            return meetings.documents(book, meeting_id=meeting_id)

        self.ctx.runner.run(work, on_success=self._docs_loaded, on_failure=self._doc_failed)

    # -- saving ------------------------------------------------------------------------------
    def collect(self) -> MeetingInput:
        d = self.date.date()
        t = self.time.time()
        starts = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return MeetingInput(
            kind=str(self.kind.currentData()),
            starts_at=starts,
            place=self.place.text(),
            topic=self.topic.text() if self.topic.isEnabled() else "",
            chair_name=self.chair.currentText(),
            secretary_name=self.secretary.currentText(),
            guests=self.guests.toPlainText(),
            agenda=self._agenda_lines(),
            ends_at=self.meeting.ends_at if self.meeting else None,
        )

    def save(self) -> None:
        data = self.collect()
        book = self.ctx.book
        existing = self.meeting
        reason = self.amend_reason.text()
        pending = list(self.pending_docs)

        def work() -> MeetingView:
            if existing is None:
                created = meetings.create(book, data=data)
                for doc_id in pending:
                    meetings.attach_document(book, meeting_id=created.id, document_id=doc_id)
                return created
            return meetings.update(book, meeting_id=existing.id, data=data, reason=reason)

        def done(m: MeetingView) -> None:
            self.result_meeting = m
            self.accept()

        # Bad input keeps the dialog open with everything typed still there.
        self.ctx.runner.run(
            work,
            on_success=done,
            on_failure=lambda e: self.error.setText(str(e)),
            label="Đang lưu…",
        )


class AbsenceRequestDialog(QtWidgets.QDialog):
    """Báo cáo xin phép vắng họp: who, why, and how it came."""

    def __init__(
        self, ctx: AppContext, meeting_id: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.setWindowTitle("Xin phép vắng họp")
        self.resize(760, 560)
        layout = QtWidgets.QVBoxLayout(self)
        form = QtWidgets.QFormLayout()
        self.member = QtWidgets.QComboBox()
        form.addRow("Đảng viên:", self.member)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("ví dụ: ốm, đi công tác, chăm người nhà nằm viện")
        form.addRow("Lý do:", self.reason)
        self.channel = QtWidgets.QComboBox()
        for code, label in ABSENCE_CHANNELS.items():
            self.channel.addItem(label, code)
        form.addRow("Hình thức báo:", self.channel)
        layout.addLayout(form)
        self.add_button = QtWidgets.QPushButton("Ghi đơn xin vắng")
        self.add_button.clicked.connect(self.add)
        layout.addWidget(self.add_button, 0, QtCore.Qt.AlignmentFlag.AlignLeft)
        self.error = QtWidgets.QLabel("")
        set_role(self.error, "error")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(QtWidgets.QLabel("Đã nhận:"))
        self.list = QtWidgets.QListWidget()
        self.list.setWordWrap(True)
        layout.addWidget(self.list, 1)
        row = QtWidgets.QHBoxLayout()
        self.withdraw_button = QtWidgets.QPushButton("Hủy đơn đang chọn")
        self.withdraw_button.clicked.connect(self.withdraw)
        close = QtWidgets.QPushButton("Đóng")
        close.clicked.connect(self.accept)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.reload()

    def reload(self) -> None:
        book = self.ctx.book

        def load() -> tuple[RollCall, list[AbsenceRequestView]]:
            return (
                attendance.roll_call(book, meeting_id=self.meeting_id),
                attendance.list_requests(book, meeting_id=self.meeting_id),
            )

        self.ctx.runner.run(load, on_success=self._loaded)

    def _loaded(self, result: tuple[RollCall, list[AbsenceRequestView]]) -> None:
        call, requests = result
        current = self.member.currentData()
        self.member.clear()
        for r in call.rows:
            if r.role != voting_rules.EXEMPT:
                self.member.addItem(r.full_name, r.member_id)
        if current is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(current)))
        self.list.clear()
        for req in requests:
            item = QtWidgets.QListWidgetItem(
                f"{req.member_name} — {req.reason} ({req.channel_label}, {req.received_at:%H:%M %d/%m/%Y})"
            )
            item.setData(QtCore.Qt.ItemDataRole.UserRole, req.id)
            self.list.addItem(item)

    def add(self) -> None:
        book = self.ctx.book
        member_id = self.member.currentData()
        reason = self.reason.text()
        channel = str(self.channel.currentData())

        def done(_req: object) -> None:
            self.error.clear()
            self.reason.clear()
            self.reload()

        self.ctx.runner.run(
            lambda: attendance.request_absence(
                book,
                meeting_id=self.meeting_id,
                member_id=str(member_id or ""),
                reason=reason,
                channel=channel,
            ),
            on_success=done,
            on_failure=lambda e: self.error.setText(str(e)),
        )

    def withdraw(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        request_id = str(item.data(QtCore.Qt.ItemDataRole.UserRole))
        self.ctx.runner.run(
            lambda: attendance.withdraw_request(self.ctx.book, request_id=request_id),
            on_success=lambda _r: self.reload(),
            on_failure=lambda e: self.error.setText(str(e)),
        )


class MeetingsSection(Section):
    title = "Sinh hoạt"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        heading = QtWidgets.QLabel("Sinh hoạt chi bộ")
        set_role(heading, "title")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QtWidgets.QLabel("Năm:"))
        self.year = QtWidgets.QComboBox()
        self.year.addItem("Tất cả", None)
        this_year = dt.date.today().year
        for y in range(this_year + 1, this_year - 6, -1):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(self.year.findData(this_year))
        self.year.currentIndexChanged.connect(lambda _i: self.refresh(None))
        top.addWidget(self.year)
        layout.addLayout(top)

        row1 = row2 = FlowLayout()
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for row, key, label, slot in (
            (row1, "create", "Tạo cuộc họp…", self.create_meeting),
            (row1, "edit", "Sửa…", self.edit_meeting),
            (row1, "leave", "Xin phép vắng…", self.absence_requests),
            (row1, "roll", "Điểm danh", self.roll_call),
            (row1, "paper", "Nhập từ danh sách giấy", self.paper_entry),
            (row1, "minutes", "Biên bản…", self.minutes),
            (row2, "invitation", "In thông báo mời họp…", lambda: self.print_paper("invitation")),
            (row2, "signin", "In danh sách ký tên…", lambda: self.print_paper("signin")),
            (row2, "minutes_pdf", "In biên bản…", lambda: self.print_paper("minutes")),
            (row2, "stats", "Thống kê dự sinh hoạt…", self.stats),
            (row2, "rules", "Quy tắc tính…", self.rules),
            (row2, "delete", "Xóa cuộc họp", self.delete_meeting),
        ):
            button = QtWidgets.QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        layout.addLayout(row1)

        self.model = MeetingsModel(self)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 1)
        self.empty = QtWidgets.QLabel("")
        self.empty.setWordWrap(True)
        set_role(self.empty, "hint")
        layout.addWidget(self.empty)
        self.warnings = QtWidgets.QLabel("")
        self.warnings.setWordWrap(True)
        layout.addWidget(self.warnings)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not (changes.entities & (MEETING_ENTITIES | {Entity.MEMBER})):
            return
        book = self.ctx.book
        year = self.year.currentData()

        def load() -> tuple[list[MeetingSummary], list[meeting_stats.Warning]]:
            return meetings.summaries(book, year=year), meeting_stats.early_warnings(book)

        self.ctx.runner.run(load, on_success=self._loaded, label="Đang tải danh sách cuộc họp…")

    def _loaded(self, result: tuple[list[MeetingSummary], list[meeting_stats.Warning]]) -> None:
        items, warnings = result
        selected = self.selected_id()
        self.model.set_items(items)
        height = int(self.view.fontMetrics().height() * 2.0)
        self.view.verticalHeader().setDefaultSectionSize(max(30, height))
        if selected:
            self.select(selected)
        elif items:
            self.select(items[0].meeting.id)  # the newest meeting, ready to work on
        self.empty.setText(
            ""
            if items
            else "Chưa có cuộc họp nào trong năm này. Bấm “Tạo cuộc họp…” để chuẩn bị cuộc họp "
            "tới: chương trình mẫu theo HD 09, HD 12 được điền sẵn."
        )
        if warnings:
            lines = [f"• {w.message}" for w in warnings[:6]]
            if len(warnings) > 6:
                lines.append(f"… và {len(warnings) - 6} cảnh báo khác (xem Thống kê dự sinh hoạt).")
            self.warnings.setText("Cần chú ý:\n" + "\n".join(lines))
        else:
            self.warnings.setText("")
        self._update_buttons()

    def _selected_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.model.items):
            return -1
        return rows[0].row()

    def selected_id(self) -> str | None:
        row = self._selected_row()
        if row < 0:
            return None
        value = self.model.data(self.model.index(row, 0), MEETING_ID_ROLE)
        return str(value) if value else None

    def selected(self) -> MeetingView | None:
        row = self._selected_row()
        return self.model.items[row].meeting if row >= 0 else None

    def select(self, meeting_id: str) -> None:
        for row, item in enumerate(self.model.items):
            if item.meeting.id == meeting_id:
                self.view.selectRow(row)
                self.view.setCurrentIndex(self.model.index(row, 0))
                return

    def _update_buttons(self) -> None:
        m = self.selected()
        for key in (
            "edit",
            "leave",
            "roll",
            "paper",
            "minutes",
            "invitation",
            "signin",
            "minutes_pdf",
        ):
            self.buttons[key].setEnabled(m is not None)
        self.buttons["leave"].setEnabled(m is not None and not m.is_closed)
        self.buttons["delete"].setEnabled(m is not None and not m.is_closed)

    def _changed(self, meeting_id: str | None = None) -> None:
        changes = OpChanges(entities=MEETING_ENTITIES, ids=(meeting_id,) if meeting_id else ())
        self.changed.emit(changes)
        self.refresh(None)

    # -- commands ------------------------------------------------------------------------------
    def create_meeting(self) -> None:
        dialog = MeetingDialog(self.ctx, parent=self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted and dialog.result_meeting:
            self._changed(dialog.result_meeting.id)
            self.select(dialog.result_meeting.id)

    def edit_meeting(self) -> None:
        m = self.selected()
        if m is None:
            return
        dialog = MeetingDialog(self.ctx, m, parent=self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self._changed(m.id)
        else:
            self.refresh(None)  # documents may have been attached meanwhile

    def absence_requests(self) -> None:
        m = self.selected()
        if m is not None:
            AbsenceRequestDialog(self.ctx, m.id, parent=self).exec()
            self._changed(m.id)

    def roll_call(self, *, paper: bool = False) -> None:
        from ui.meetings.roll_call import RollCallDialog

        m = self.selected()
        if m is None:
            return
        dialog = RollCallDialog(self.ctx, m.id, paper=paper, parent=self)
        dialog.setWindowState(QtCore.Qt.WindowState.WindowMaximized)  # every row in view
        dialog.exec()
        self._changed(m.id)

    def paper_entry(self) -> None:
        self.roll_call(paper=True)

    def open_selected(self) -> None:
        m = self.selected()
        if m is None:
            return
        if m.is_closed:
            self.minutes()
        else:
            self.roll_call()

    def minutes(self) -> None:
        from ui.meetings.minutes_editor import MinutesEditor

        m = self.selected()
        if m is None:
            return
        MinutesEditor(self.ctx, m.id, parent=self).exec()
        self._changed(m.id)

    def print_paper(self, kind: str) -> None:
        m = self.selected()
        if m is None:
            return
        title, slug = PAPER_TITLES[kind]
        suggested = str(Path.home() / f"{slug}-{m.starts_at:%Y-%m-%d}.pdf")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, f"In {title.lower()}", suggested, "Tệp PDF (*.pdf)"
        )
        if path:
            self.write_paper(kind, path)

    def write_paper(self, kind: str, path: str) -> None:
        from cli.meetings_cmds import write_meeting_pdf

        m = self.selected()
        if m is None:
            return
        book = self.ctx.book
        large = kind == "signin" and bool(self.ctx.settings.large_text)
        title = PAPER_TITLES[kind][0]

        def printed(p: Any) -> None:
            if kind == "invitation":  # the dashboard no longer asks for the invitation
                self.changed.emit(OpChanges.of(Entity.MEETING, ids=(m.id,)))
            self.ctx.message.info(title, f"Đã ghi {title.lower()} vào {p}.")

        self.ctx.runner.run(
            lambda: write_meeting_pdf(
                book, meeting_id=m.id, kind=kind, output=path, large_print=large
            ),
            on_success=printed,
            on_failure=lambda e: self.ctx.message.error(f"Không ghi được {title.lower()}", str(e)),
            label=f"Đang tạo {title.lower()}…",
        )

    def stats(self) -> None:
        from ui.meetings.attendance_stats import AttendanceStatsDialog

        year = self.year.currentData() or dt.date.today().year
        AttendanceStatsDialog(self.ctx, year=int(year), parent=self).exec()

    def rules(self) -> None:
        from ui.meetings.attendance_stats import RulesDialog

        if RulesDialog(self.ctx, parent=self).exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self._changed(None)

    def delete_meeting(self) -> None:
        m = self.selected()
        if m is None:
            return
        if not self.ctx.message.ask(
            "Xóa cuộc họp",
            f"Xóa cuộc họp “{m.title}” lúc {m.starts_at:%H:%M %d/%m/%Y}? Điểm danh đã ghi vẫn "
            "được giữ trong nhật ký.",
        ):
            return
        self.ctx.runner.run(
            lambda: meetings.delete(self.ctx.book, meeting_id=m.id, reason="Xóa trên giao diện"),
            on_success=lambda _r: self._changed(m.id),
            on_failure=lambda e: self.ctx.message.error("Không xóa được", str(e)),
        )

"""Create or edit a meeting, and choose the documents sent with it."""

from __future__ import annotations

import datetime as dt

from app.services import meetings, members, voting_rules
from app.services.meetings import AttachedDocument, MeetingInput, MeetingView
from app.text import clean, fold
from app.vocab import MeetingKind
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import error_label
from ui.widgets.date_edit import DateEdit, TimeEdit
from ui.widgets.fit import fit_to_screen
from ui.widgets.section import AppContext


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
        self._fitted = False
        # The form scrolls; the error line and the buttons below it always stay on screen.
        outer = QtWidgets.QVBoxLayout(self)
        self.scroll_area = QtWidgets.QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        # The frame never takes the keyboard: the dialog opens with the caret in a field.
        self.scroll_area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        body = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(body)
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)

        self.kind = QtWidgets.QComboBox()
        for kind in MeetingKind:
            self.kind.addItem(kind.label, kind.value)
        form.addRow("Loại cuộc họp:", self.kind)
        when = QtWidgets.QHBoxLayout()
        self.date = DateEdit()
        self.time = TimeEdit()
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

        self.error = error_label()
        outer.addWidget(self.error)
        buttons = QtWidgets.QDialogButtonBox()
        self.ok_button = buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        for button in (self.standard_button, self.attach_button, self.detach_button):
            button.setAutoDefault(False)

        self._last_standard: list[str] = []
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.topic.textChanged.connect(self._topic_changed)
        self._fill()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self, 860, 820)
            # The date first: the proposed date (next month's regular meeting) or the date
            # being corrected is what the secretary checks and changes first; the kind is
            # usually right as proposed (and fixed once the meeting is no longer a draft).
            self.date.setFocus()
        super().showEvent(event)

    # -- filling -----------------------------------------------------------------------------
    def _fill(self) -> None:
        m = self.meeting
        closed = m is not None and m.is_closed
        self.amend_label.setVisible(closed)
        self.amend_reason.setVisible(closed)
        if m is None:
            info = self.ctx.book.branch()
            # The next month without a regular meeting, on the branch's usual day and time.
            nxt = meetings.next_regular(self.ctx.book).proposed
            self.date.setDate(QtCore.QDate(nxt.year, nxt.month, nxt.day))
            self.time.setTime(QtCore.QTime(nxt.hour, nxt.minute))
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
        self.topic.setEnabled(m.kind == MeetingKind.THEMATIC)
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
        self.topic.setEnabled(code == MeetingKind.THEMATIC)
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

        self.ctx.runner.run(self, work, on_success=self._docs_loaded, on_failure=self._doc_failed)

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

        self.ctx.runner.run(self, work, on_success=self._docs_loaded, on_failure=self._doc_failed)

    # -- saving ------------------------------------------------------------------------------
    def collect(self) -> MeetingInput:
        starts = dt.datetime.combine(self.date.required_date(), self.time.required_time())
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
        if not (self.date.is_acceptable("Ngày họp") and self.time.is_acceptable("Giờ họp")):
            return
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
            self,
            work,
            on_success=done,
            on_failure=lambda e: self.error.setText(str(e)),
            label="Đang lưu…",
        )

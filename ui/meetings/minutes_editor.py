"""Biên bản: the minutes editor.

Sections follow the agenda; each has its content, the discussion (speaker + what was said)
and the chair's conclusion. Votes are checked against the official members present as they
are typed. "Thông qua biên bản" saves, adopts and closes the meeting; after that every change
is an amendment with a reason (kept in the audit trail).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.errors import KnownError
from app.services import attendance, meetings, members, voting_rules
from app.services.attendance import RollCall
from app.services.meetings import (
    MeetingView,
    Minutes,
    MinutesSection,
)
from ui.meetings.minutes_models import DiscussionModel, VotesModel
from ui.qt import QtCore, QtGui, QtWidgets, Signal
from ui.style import error_label, set_role
from ui.widgets.columns import fit_table
from ui.widgets.date_edit import TimeEdit
from ui.widgets.fit import fit_to_screen
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import ask_pdf_path, offer_pdf
from ui.widgets.section import AppContext


def _lines_high(edit: QtWidgets.QPlainTextEdit, lines: int) -> int:
    """The height of `edit` showing `lines` lines of its text (frame and margins included)."""
    margins = edit.contentsMargins()
    return (
        edit.fontMetrics().lineSpacing() * lines
        + int(2 * edit.document().documentMargin())
        + margins.top()
        + margins.bottom()
    )


class MinutesEditor(QtWidgets.QDialog):
    """Write, adopt and (later) amend the minutes of one meeting."""

    saved = Signal(object)

    def __init__(
        self, ctx: AppContext, meeting_id: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.meeting: MeetingView | None = None
        self.call: RollCall | None = None
        self.sections: list[MinutesSection] = []
        self.current = -1
        # An opinion typed under a section but not yet added ("Thêm ý kiến"): (speaker, text)
        # by section row. It stays with its section and comes back when the user returns.
        self._pending: dict[int, tuple[str, str]] = {}
        self._as_loaded: dict[str, Any] | None = None
        self.setWindowTitle("Biên bản cuộc họp")
        self._fitted = False

        # Everything but the error line and the buttons scrolls: the buttons stay on screen.
        outer = QtWidgets.QVBoxLayout(self)
        self.scroll_area = QtWidgets.QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        # The frame never takes the keyboard: the dialog opens with the caret in a field.
        self.scroll_area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        body = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)
        self.heading = QtWidgets.QLabel("")
        set_role(self.heading, "title")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.attendance_line = QtWidgets.QLabel("")
        self.attendance_line.setWordWrap(True)
        layout.addWidget(self.attendance_line)
        self.banner = QtWidgets.QLabel("")
        self.banner.setWordWrap(True)
        set_role(self.banner, "success")
        layout.addWidget(self.banner)

        top = QtWidgets.QFormLayout()
        top.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.number = QtWidgets.QLineEdit()
        self.number.setPlaceholderText("ví dụ 05-BB/CB (có thể để trống)")
        top.addRow("Số biên bản:", self.number)
        self.ends_at = TimeEdit()
        self.has_end = QtWidgets.QCheckBox("Đã kết thúc lúc")
        # Typing a time means the meeting ended then: the box follows the field.
        self.ends_at.edit.textEdited.connect(lambda _text: self.has_end.setChecked(True))
        # What the last "Thông qua biên bản…" refused (shown on the red line under the form).
        self._close_problems: list[KnownError] = []
        self.has_end.toggled.connect(self._end_changed)
        self.ends_at.changed.connect(self._end_changed)
        end_row = QtWidgets.QHBoxLayout()
        end_row.addWidget(self.has_end)
        end_row.addWidget(self.ends_at)
        end_row.addStretch(1)
        top.addRow("Giờ kết thúc:", end_row)
        self.amend_reason = QtWidgets.QLineEdit()
        self.amend_reason.setPlaceholderText("Bắt buộc khi sửa biên bản đã thông qua")
        self.amend_label = QtWidgets.QLabel("Lý do đính chính:")
        top.addRow(self.amend_label, self.amend_reason)
        layout.addLayout(top)

        tabs = QtWidgets.QTabWidget()
        layout.addWidget(tabs, 1)

        # --- contents: sections list + editor ---
        contents = QtWidgets.QWidget()
        split = QtWidgets.QHBoxLayout(contents)
        left = QtWidgets.QVBoxLayout()
        sections_caption = QtWidgets.QLabel("Các mục (theo chương trình):")
        sections_caption.setWordWrap(True)  # two lines rather than sideways scrolling
        left.addWidget(sections_caption)
        self.section_list = QtWidgets.QListWidget()
        self.section_list.setWordWrap(True)
        self.section_list.setSpacing(3)
        self.section_list.currentRowChanged.connect(self._select_section)
        left.addWidget(self.section_list, 1)
        row = FlowLayout(spacing=6)  # one under the other rather than a wider dialog
        self.add_section_button = QtWidgets.QPushButton("Thêm mục")
        self.add_section_button.clicked.connect(self.add_section)
        self.remove_section_button = QtWidgets.QPushButton("Bỏ mục")
        self.remove_section_button.clicked.connect(self.remove_section)
        row.addWidget(self.add_section_button)
        row.addWidget(self.remove_section_button)
        left.addLayout(row)
        split.addLayout(left, 2)  # the agenda readable: about 2/7 of the width

        right = QtWidgets.QFormLayout()
        # Narrow (1024 wide in large text): a label above its field, not a dialog that
        # scrolls sideways.
        right.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.section_title = QtWidgets.QLineEdit()
        right.addRow("Tên mục:", self.section_title)
        self.section_content = QtWidgets.QPlainTextEdit()
        self.section_content.setPlaceholderText("Nội dung được trình bày")
        right.addRow("Nội dung:", self.section_content)
        speak = QtWidgets.QHBoxLayout()
        self.speaker = QtWidgets.QComboBox()
        self.speaker.setEditable(True)
        # Room for a usual name, in any text size, without widening the dialog.
        self.speaker.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.speaker.setMinimumContentsLength(14)
        self.speech = QtWidgets.QLineEdit()
        self.speech.setPlaceholderText("Ý kiến phát biểu (Enter để thêm)")
        self.speech.returnPressed.connect(self.add_speech)
        self.add_speech_button = QtWidgets.QPushButton("Thêm ý kiến")
        self.add_speech_button.clicked.connect(self.add_speech)
        speak.addWidget(self.speaker)
        speak.addWidget(self.speech, 1)
        speak.addWidget(self.add_speech_button)
        right.addRow("Thảo luận:", speak)
        self.discussion = DiscussionModel(self)
        self.discussion_view = QtWidgets.QTableView()
        self.discussion_view.setModel(self.discussion)
        self.discussion_view.verticalHeader().setVisible(False)
        self.discussion_view.horizontalHeader().setSectionResizeMode(
            0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        self.discussion_view.horizontalHeader().setStretchLastSection(True)
        self.discussion_view.setWordWrap(True)
        right.addRow("", self.discussion_view)
        self.remove_speech_button = QtWidgets.QPushButton("Xóa ý kiến đang chọn")
        self.remove_speech_button.clicked.connect(
            lambda: self.discussion.remove(self.discussion_view.currentIndex().row())
        )
        right.addRow("", self.remove_speech_button)
        self.section_conclusion = QtWidgets.QPlainTextEdit()
        self.section_conclusion.setPlaceholderText("Kết luận của đồng chí chủ trì về mục này")
        self.section_conclusion.setMaximumHeight(110)
        right.addRow("Kết luận:", self.section_conclusion)
        split.addLayout(right, 5)
        tabs.addTab(contents, "Nội dung và thảo luận")

        # --- conclusion and votes ---
        closing = QtWidgets.QWidget()
        form = QtWidgets.QVBoxLayout(closing)
        form.addWidget(QtWidgets.QLabel("Kết luận chung của đồng chí chủ trì:"))
        self.conclusion = QtWidgets.QPlainTextEdit()
        # About five lines (beyond that it scrolls), so "Thêm biểu quyết" below stays in
        # sight at 1024×768 in large text.
        self.conclusion.setMaximumHeight(_lines_high(self.conclusion, 5))
        form.addWidget(self.conclusion)
        self.vote_info = QtWidgets.QLabel("")
        self.vote_info.setWordWrap(True)
        form.addWidget(self.vote_info)
        self.votes = VotesModel(self)
        self.votes_view = QtWidgets.QTableView()
        self.votes_view.setModel(self.votes)
        self.votes_view.verticalHeader().setVisible(False)
        # The counts as wide as their (two-line) headings, never cut; the subject and the
        # result share the rest (elided, whole in the tooltip).
        fit_table(self.votes_view, text=(0, 4), main=0)
        self.votes_view.setMinimumHeight(self.votes_view.fontMetrics().height() * 6)
        # Wraps onto a second line rather than scrolling sideways (1024 wide, large text).
        vrow = FlowLayout(spacing=6)
        # The kind of the selected vote decides its rule (two thirds for kết nạp, công nhận).
        vrow.addWidget(QtWidgets.QLabel("Loại biểu quyết:"))
        self.vote_kind = QtWidgets.QComboBox()
        for kind in voting_rules.VoteKind:
            self.vote_kind.addItem(kind.label, kind.value)
        self.vote_kind.currentIndexChanged.connect(self._kind_chosen)
        vrow.addWidget(self.vote_kind)
        self.add_vote_button = QtWidgets.QPushButton("Thêm biểu quyết")
        self.add_vote_button.clicked.connect(self.add_vote)
        self.remove_vote_button = QtWidgets.QPushButton("Bỏ biểu quyết đang chọn")
        self.remove_vote_button.clicked.connect(
            lambda: self.votes.remove(self.votes_view.currentIndex().row())
        )
        vrow.addWidget(self.add_vote_button)
        vrow.addWidget(self.remove_vote_button)
        # Above the table, so "Thêm biểu quyết" is in sight without scrolling the tab.
        form.addLayout(vrow)
        form.addWidget(self.votes_view, 1)
        self.vote_result = QtWidgets.QLabel("")
        self.vote_result.setWordWrap(True)
        form.addWidget(self.vote_result)
        self.votes_view.selectionModel().currentRowChanged.connect(self._vote_selected)
        self.votes.dataChanged.connect(lambda *_: self._show_vote_result())
        tabs.addTab(closing, "Kết luận và biểu quyết")

        self.error = error_label()
        outer.addWidget(self.error)
        buttons = QtWidgets.QHBoxLayout()
        self.save_button = QtWidgets.QPushButton("Lưu biên bản")
        self.save_button.clicked.connect(lambda: self.save())
        # Short labels: the four buttons fit a 1024-wide screen in large text.
        self.adopt_button = QtWidgets.QPushButton("Thông qua biên bản…")
        self.adopt_button.setToolTip("Thông qua biên bản và kết thúc cuộc họp (hỏi lại trước).")
        self.adopt_button.clicked.connect(self.adopt)
        self.pdf_button = QtWidgets.QPushButton("In biên bản…")
        self.pdf_button.setToolTip("Lưu (nếu còn thay đổi) rồi tạo tệp PDF để in.")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.close_button = QtWidgets.QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.adopt_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)
        # No default button: Enter in a field (the discussion line above all) never presses
        # "Thêm mục" or any other button of the dialog.
        for button in self.findChildren(QtWidgets.QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.reload()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self, 1150, 820)
            # The caret in the first section's content (what the secretary writes), not in
            # the optional minutes number above it.
            self.section_content.setFocus()
        super().showEvent(event)

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        book = self.ctx.book

        def load() -> tuple[MeetingView, Minutes, RollCall, list[str]]:
            m = meetings.get(book, meeting_id=self.meeting_id)
            names = [
                v.full_name
                for v in members.list_members(book, status=list(voting_rules.ROSTER_ROLES))
            ]
            return (
                m,
                meetings.get_minutes(book, meeting_id=self.meeting_id),
                attendance.roll_call(book, meeting_id=self.meeting_id),
                names,
            )

        self.ctx.runner.run(
            self,
            load,
            on_success=self._loaded,
            on_failure=lambda e: self.ctx.message.error("Không mở được biên bản", str(e)),
            label="Đang tải biên bản…",
        )

    def _loaded(self, result: tuple[MeetingView, Minutes, RollCall, list[str]]) -> None:
        m, minutes, call, names = result
        self.meeting, self.call = m, call
        self.heading.setText(f"Biên bản — {m.title}")
        f = call.figures
        self.attendance_line.setText(
            f"{m.starts_at:%H:%M} ngày {m.starts_at:%d/%m/%Y} tại {m.place}. Chủ trì: "
            f"{m.chair_name or '(chưa ghi)'}; thư ký: {m.secretary_name or '(chưa ghi)'}. "
            f"Có mặt {f.present}/{f.expected}; vắng có lý do {f.absent_excused}; vắng không lý "
            f"do {f.absent_unexcused}; chưa điểm danh {f.unmarked}."
        )
        closed = m.is_closed
        self.banner.setText(
            "Biên bản đã được thông qua. Mọi thay đổi là đính chính: ghi lý do đính chính, "
            "thay đổi được lưu trong nhật ký và in kèm biên bản."
            if closed
            else ""
        )
        self.banner.setVisible(closed)  # no empty line above the fields of an open meeting
        self.amend_label.setVisible(closed)
        self.amend_reason.setVisible(closed)
        self.adopt_button.setEnabled(not closed)
        self.number.setText(minutes.number)
        end = minutes.ends_at or m.ends_at
        self.has_end.setChecked(end is not None)
        default_end = m.starts_at + dt.timedelta(hours=2)
        shown = end or default_end
        self.ends_at.setTime(QtCore.QTime(shown.hour, shown.minute))
        self.conclusion.setPlainText(minutes.conclusion)
        self.sections = list(minutes.sections)
        self._keep_pending()  # a reload after saving keeps opinions not yet added
        self._pending = {r: v for r, v in self._pending.items() if r < len(self.sections)}
        self.current = -1
        self.section_list.blockSignals(True)
        self.section_list.clear()
        for sec in self.sections:
            self.section_list.addItem(sec.title)
        self.section_list.blockSignals(False)
        present = [r.full_name for r in call.rows if r.is_present]
        others = [n for n in names if n not in present]
        self.speaker.clear()
        self.speaker.addItems(present + others)
        self.speaker.setCurrentIndex(-1)
        self.votes.rules = voting_rules.get_rules(self.ctx.book)
        self.votes.set_votes(list(minutes.votes), f)
        self.vote_info.setText(
            f"Đảng viên chính thức có mặt được biểu quyết: {f.voting_present}; số đảng viên "
            f"chính thức được tính: {f.counted_official} (nghị quyết cần trên một nửa: ít nhất "
            f"{f.needed} phiếu tán thành). Đảng viên dự bị không biểu quyết."
        )
        if self.sections:
            self.section_list.setCurrentRow(0)
        self._as_loaded = self._comparable(self.collect())

    # -- sections --------------------------------------------------------------------------
    def _store_current(self) -> None:
        if not 0 <= self.current < len(self.sections):
            return
        self.sections[self.current] = MinutesSection(
            title=self.section_title.text().strip(),
            content=self.section_content.toPlainText(),
            discussion=tuple(self.discussion.entries),
            conclusion=self.section_conclusion.toPlainText(),
        )
        item = self.section_list.item(self.current)
        if item is not None and self.sections[self.current].title:
            item.setText(self.sections[self.current].title)

    def _keep_pending(self) -> None:
        """Keep the opinion typed but not added under the current section with it."""
        if not 0 <= self.current < len(self.sections):
            return
        text = self.speech.text()
        if text.strip():
            self._pending[self.current] = (self.speaker.currentText(), text)
        else:
            self._pending.pop(self.current, None)

    def _show_pending(self, row: int) -> None:
        """The opinion left unfinished under `row`, or an empty line for a new one."""
        pending = self._pending.get(row)
        if pending is None:
            self.speech.clear()
            return
        speaker, text = pending
        self.speaker.setCurrentText(speaker)
        self.speech.setText(text)

    def _select_section(self, row: int) -> None:
        self._store_current()
        self._keep_pending()
        self.error.clear()  # a refusal about the section left behind
        self.current = row
        self._show_pending(row)
        if not 0 <= row < len(self.sections):
            for w in (self.section_title,):
                w.clear()
            self.section_content.clear()
            self.section_conclusion.clear()
            self.discussion.set_entries([])
            return
        sec = self.sections[row]
        self.section_title.setText(sec.title)
        self.section_title.setCursorPosition(0)  # a long title shows its beginning
        self.section_content.setPlainText(sec.content)
        self.section_conclusion.setPlainText(sec.conclusion)
        self.discussion.set_entries(list(sec.discussion))

    def add_section(self) -> None:
        self._store_current()
        self.sections.append(MinutesSection(title="Mục mới"))
        self.section_list.addItem("Mục mới")
        self.section_list.setCurrentRow(len(self.sections) - 1)
        self.section_title.setFocus()
        self.section_title.selectAll()

    def remove_section(self) -> None:
        row = self.section_list.currentRow()
        if not 0 <= row < len(self.sections):
            return
        self._store_current()
        sec = self.sections[row]
        said = len(sec.discussion)
        detail = f" cùng {said} ý kiến thảo luận" if said else ""
        if not self.ctx.message.ask(
            "Bỏ mục",
            f"Bỏ mục “{sec.title or '(chưa đặt tên)'}”{detail} khỏi biên bản? "
            "Thay đổi chỉ được ghi vào sổ khi bấm “Lưu biên bản”.",
        ):
            return
        self.current = -1
        del self.sections[row]
        self._pending = {(r if r < row else r - 1): v for r, v in self._pending.items() if r != row}
        self.section_list.takeItem(row)
        self.section_list.setCurrentRow(min(row, len(self.sections) - 1))

    def add_speech(self) -> None:
        speaker = self.speaker.currentText().strip()
        text = self.speech.text().strip()
        if not text:
            return
        if not speaker:
            self.error.setText("Vui lòng chọn hoặc ghi tên người phát biểu.")
            self.speaker.setFocus()
            return
        if not 0 <= self.current < len(self.sections):
            self.error.setText("Vui lòng chọn một mục của biên bản trước khi ghi ý kiến.")
            return
        self.error.clear()
        self.discussion.add(speaker, text)
        self._pending.pop(self.current, None)
        self.speech.clear()
        self.speech.setFocus()

    def _vote_selected(self, current: QtCore.QModelIndex, *_: Any) -> None:
        row = current.row()
        if 0 <= row < len(self.votes.votes):
            self.vote_kind.blockSignals(True)
            self.vote_kind.setCurrentIndex(
                max(0, self.vote_kind.findData(self.votes.votes[row].kind))
            )
            self.vote_kind.blockSignals(False)
        self._show_vote_result()

    def _kind_chosen(self, _index: int) -> None:
        self.votes.set_kind(self.votes_view.currentIndex().row(), str(self.vote_kind.currentData()))
        self._show_vote_result()

    def _show_vote_result(self) -> None:
        """The selected vote's result line as it will be printed (base and threshold)."""
        row = self.votes_view.currentIndex().row()
        if 0 <= row < len(self.votes.votes):
            vote = self.votes.votes[row]
            self.vote_result.setText(self.votes.problem(vote) or self.votes.explanation(vote))
        else:
            self.vote_result.clear()

    def add_vote(self) -> None:
        voters = self.call.figures.voting_present if self.call else 0
        kind = str(self.vote_kind.currentData() or voting_rules.VoteKind.RESOLUTION.value)
        subject = (
            "Thông qua nghị quyết"
            if kind == voting_rules.VoteKind.RESOLUTION
            else voting_rules.VoteKind(kind).label
        )
        self.votes.add(subject, voters, kind)
        index = self.votes.index(self.votes.rowCount() - 1, 0)
        self.votes_view.setCurrentIndex(index)
        self.votes_view.edit(index)

    # -- saving ------------------------------------------------------------------------------
    def collect(self) -> Minutes:
        self._store_current()
        ends_at = None
        t = self.ends_at.time()
        if self.has_end.isChecked() and self.meeting is not None and t is not None:
            ends_at = dt.datetime.combine(self.meeting.starts_at.date(), t)
            if ends_at <= self.meeting.starts_at:
                ends_at += dt.timedelta(days=1)  # a meeting running past midnight
        return Minutes(
            number=self.number.text(),
            sections=tuple(self.sections),
            conclusion=self.conclusion.toPlainText(),
            votes=tuple(self.votes.votes),
            ends_at=ends_at,
        )

    def save(self, then: Any = None) -> None:
        if self.has_end.isChecked() and not self.ends_at.is_acceptable("Giờ kết thúc"):
            return
        minutes = self.collect()
        for vote in minutes.votes:
            problem = self.votes.problem(vote)
            if problem:
                self.error.setText(problem)
                return
        book = self.ctx.book
        reason = self.amend_reason.text()

        def done(result: Minutes) -> None:
            self.error.clear()
            self._as_loaded = self._comparable(minutes)
            self.saved.emit(result)
            if then is not None:
                then()
            else:
                self.reload()

        self.ctx.runner.run(
            self,
            lambda: meetings.save_minutes(
                book, meeting_id=self.meeting_id, minutes=minutes, reason=reason
            ),
            on_success=done,
            on_failure=lambda e: self.error.setText(str(e)),
            label="Đang lưu biên bản…",
        )

    def _show_end_time(self) -> None:
        """Bring the end time into sight and put the cursor in it."""
        self.scroll_area.ensureWidgetVisible(self.ends_at)
        self.ends_at.setFocus()
        self.ends_at.edit.selectAll()

    def adopt(self) -> None:
        # Everything the close would refuse is said before the user is asked to confirm,
        # checked by the close's own rules (meetings.close_problems).
        if self.has_end.isChecked() and not self.ends_at.is_acceptable("Giờ kết thúc"):
            self._show_end_time()
            return
        book = self.ctx.book
        meeting_id = self.meeting_id
        ends_at = self.collect().ends_at  # the end the minutes are saved with
        self.ctx.runner.run(
            self,
            lambda: meetings.close_problems(
                book, meeting_id=meeting_id, ends_at=ends_at, keep_stored_end=False
            ),
            on_success=self._confirm_adopt,
            on_failure=lambda e: self.error.setText(str(e)),
            label="Đang kiểm tra biên bản…",
        )

    def _show_close_problems(self, problems: list[KnownError]) -> None:
        self._close_problems = problems
        self.error.setText("\n".join(str(p) for p in problems))

    def _end_changed(self, *_: object) -> None:
        """The end time is ticked and has a time: a refusal for want of it goes from the red
        line (the others stay until they are fixed elsewhere and the user tries again)."""
        shown = "\n".join(str(p) for p in self._close_problems)
        if not shown or self.error.text() != shown:
            return
        if self.has_end.isChecked() and self.ends_at.time() is not None:
            self._show_close_problems(
                [p for p in self._close_problems if getattr(p, "field", None) != "ends_at"]
            )

    def _confirm_adopt(self, problems: list[KnownError]) -> None:
        if problems:
            self._show_close_problems(problems)
            if any(getattr(p, "field", None) == "ends_at" for p in problems):
                self._show_end_time()
            return
        self._show_close_problems([])
        if not self.ctx.message.ask(
            "Thông qua biên bản",
            "Biên bản đã được đọc lại trước chi bộ và thông qua? Sau khi thông qua, cuộc họp "
            "kết thúc; mọi sửa đổi về sau là đính chính và phải ghi lý do.",
        ):
            return
        book = self.ctx.book
        meeting_id = self.meeting_id

        def close_and_back_up() -> MeetingView:
            from app.services import backups

            closed = meetings.close(book, meeting_id=meeting_id)
            backups.after_meeting_closed(book)  # like Anki: a backup after each meeting
            return closed

        def close() -> None:
            self.ctx.runner.run(
                self,
                close_and_back_up,
                on_success=self._closed,
                on_failure=lambda e: self.error.setText(str(e)),
                label="Đang thông qua biên bản…",
            )

        self.save(then=close)

    def _closed(self, meeting: MeetingView) -> None:
        self.saved.emit(meeting)
        self.reload()

    @staticmethod
    def _comparable(minutes: Minutes) -> dict[str, Any]:
        data = minutes.to_json()
        data.pop("adopted_at", None)
        return data

    def has_unsaved_changes(self) -> bool:
        if self._as_loaded is None:
            return False
        self._keep_pending()
        if self._pending:  # an opinion typed but not added is work the user would lose
            return True
        return self._comparable(self.collect()) != self._as_loaded

    def reject(self) -> None:
        if self.has_unsaved_changes() and not self.ctx.message.ask(
            "Biên bản chưa lưu", "Biên bản có thay đổi chưa lưu. Vẫn đóng và bỏ các thay đổi này?"
        ):
            return
        super().reject()

    def export_pdf(self) -> None:
        if self.meeting is None:
            return
        suggested = f"bien-ban-{self.meeting.starts_at:%Y-%m-%d}.pdf"
        path = ask_pdf_path(self, "In biên bản", suggested)
        if path:
            self.write_pdf(path)

    def write_pdf(self, path: str) -> None:
        """Print what is on screen: unsaved edits are saved first."""
        if self.has_unsaved_changes():
            self.save(then=lambda: self._write_pdf(path))
        else:
            self._write_pdf(path)

    def _write_pdf(self, path: str) -> None:
        from reports.output import write_pdf
        from reports.printing import meeting_pdf

        book = self.ctx.book
        meeting_id_now = self.meeting_id  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: write_pdf(path, meeting_pdf(book, meeting_id=meeting_id_now, kind="minutes")),
            on_success=lambda p: offer_pdf(self, self.ctx.message, str(p), title="Đã in biên bản"),
            on_failure=lambda e: self.ctx.message.error("Không ghi được biên bản", str(e)),
            label="Đang tạo biên bản…",
        )

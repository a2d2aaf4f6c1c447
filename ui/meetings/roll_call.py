"""Điểm danh: the roll call, made for speed.

The whole roster in large rows; one click on a row's "Có mặt" cell marks the member present
(other cells: late, absent with reason, absent without reason). Each mark is committed by
the service (one fsync'd transaction) before the screen shows it, so what is on screen
survives a power cut. Marks are sent one at a time in click order.

"Từ danh sách giấy" mode enters a paper sign-in sheet afterwards: everyone starts as present
(or absent with reason when they asked leave), the secretary clicks the absentees, and one
save commits the whole sheet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections import deque
from typing import TYPE_CHECKING

from app.services import attendance, meetings, voting_rules
from app.services.attendance import MarkInput, RollCall
from app.services.voting_rules import AttendanceFigures, RuleConfig
from app.vocab import AttendanceMark
from ui.meetings.roll_call_model import (
    ACTION_COLUMNS,
    COL_NAME,
    COL_REASON,
    MARK_TEXTS,
    RollCallModel,
)
from ui.qt import QtCore, QtGui, QtWidgets, Signal
from ui.style import set_role
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.fit import available_rect, fit_to_screen
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.section import AppContext

if TYPE_CHECKING:
    from ui.dues.sheet import DuesSheetDialog

# The longest verdict there can be: its height at the dialog's width is reserved, so reaching
# the quorum (a shorter text) never moves the table.
LONGEST_VERDICT = (
    "✘ Chưa đủ điều kiện thông qua nghị quyết: 88/88 đảng viên chính thức được tính có mặt "
    "(cần ít nhất 88)."
)
KEY_HELP = "Phím: 1 có mặt · 2 đến muộn · 3 vắng có lý do (gõ lý do rồi Enter) · 4 vắng không lý do"
# Keys that reach the table while not editing and must do nothing (Enter would otherwise
# press a button of the dialog; letters would jump between rows).
_ENTER_KEYS = (int(QtCore.Qt.Key.Key_Return), int(QtCore.Qt.Key.Key_Enter))

KEY_STATUS: dict[int, AttendanceMark] = {
    int(QtCore.Qt.Key.Key_1): AttendanceMark.PRESENT,
    int(QtCore.Qt.Key.Key_2): AttendanceMark.LATE,
    int(QtCore.Qt.Key.Key_3): AttendanceMark.EXCUSED,
    int(QtCore.Qt.Key.Key_4): AttendanceMark.UNEXCUSED,
}


class RollCallDialog(QtWidgets.QDialog):
    """The roll call of one meeting (also the paper sign-in sheet entry)."""

    marked = Signal(object)  # OpChanges-like: emitted after each committed mark

    def __init__(
        self,
        ctx: AppContext,
        meeting_id: str,
        *,
        paper: bool = False,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.paper = paper
        self.rules = RuleConfig()
        self.meeting: meetings.MeetingView | None = None
        self.call: RollCall | None = None
        self._queue: deque[tuple[str, str, str]] = deque()
        self._busy = False
        self.saved_count = 0
        self.setWindowTitle("Nhập từ danh sách ký tên" if paper else "Điểm danh")
        self._walking_row = -1  # the row whose reason is being typed after key 3 / a click
        self._walking_by_key = False
        self._fitted = False

        # Compact header so the table gets the height: ≥ 12 rows in large text at 1366×768.
        # Nothing above the table changes height while marking.
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        # The meeting and its time and place in one label of whole words, on as many lines as
        # the screen needs (one at 1366 px in large text; never "Nhà v…"). The window's title
        # says "Điểm danh". Set once, when the meeting is loaded: marking never changes it.
        self.heading = QtWidgets.QLabel("")
        self.heading.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.banner = QtWidgets.QLabel("")
        self.banner.setWordWrap(True)
        set_role(self.banner, "hint")
        layout.addWidget(self.banner)

        amend_row = QtWidgets.QHBoxLayout()
        self.amend_label = QtWidgets.QLabel("Lý do đính chính (bắt buộc):")
        self.amend_reason = QtWidgets.QLineEdit()
        self.amend_reason.setPlaceholderText("Bắt buộc khi sửa điểm danh của cuộc họp đã kết thúc")
        amend_row.addWidget(self.amend_label)
        amend_row.addWidget(self.amend_reason, 1)
        # Shown once the meeting is known to be closed: until then it must not widen the
        # dialog (beside "mark all present" it made the window 1026 px on a 1024 screen).
        self.amend_label.setVisible(False)
        self.amend_reason.setVisible(False)
        # (on the buttons' line, below: a closed meeting keeps its rows)

        # The figures flow on one line (two on a narrow screen in large text); each value keeps
        # a fixed width, so marking never changes their arrangement.
        figures = FlowLayout(spacing=4)
        self.figures: dict[str, QtWidgets.QLabel] = {}
        for key, caption_text in [
            ("total", "Tổng số"),
            (AttendanceMark.PRESENT, AttendanceMark.PRESENT.label),
            (AttendanceMark.EXCUSED, AttendanceMark.EXCUSED.label),
            (AttendanceMark.UNEXCUSED, AttendanceMark.UNEXCUSED.label),
            ("exempted", "Miễn sinh hoạt"),
            ("unmarked", "Chưa điểm danh"),
        ]:
            pair = QtWidgets.QWidget()
            pair_layout = QtWidgets.QHBoxLayout(pair)
            pair_layout.setContentsMargins(0, 0, 12, 0)
            pair_layout.setSpacing(4)
            caption = QtWidgets.QLabel(caption_text + ":")
            value = QtWidgets.QLabel("–")
            value.setAlignment(
                QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
            )
            value.setStyleSheet("font-weight: bold;")
            pair_layout.addWidget(caption)
            pair_layout.addWidget(value)
            figures.addWidget(pair)
            self.figures[key] = value
        layout.addLayout(figures)
        # The verdict always reserves two lines: reaching quorum never moves the table.
        self.verdict = QtWidgets.QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setAlignment(
            QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop
        )
        self.verdict.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.verdict)
        self.verdict.setToolTip(
            "Nghị quyết cần quá một nửa số đảng viên chính thức được tính. Cách tính có phần có "
            "thể cấu hình (Sinh hoạt → Quy tắc tính)."
        )

        self.model = RollCallModel(self)
        self.model.reason_edited.connect(self._reason_edited)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)  # names stay on one line, their column fits them
        # A click never scrolls the table (a half-visible last row would otherwise move every
        # row under the pointer); the keyboard path scrolls explicitly.
        self.view.setAutoScroll(False)
        self.view.setTabKeyNavigation(False)
        self.view.setToolTip(KEY_HELP)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_REASON, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionsClickable(False)
        self.view.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.view.clicked.connect(self._clicked)
        self.view.installEventFilter(self)
        self.view.itemDelegate().closeEditor.connect(self._editor_closed)
        layout.addWidget(self.view, 1)

        # The keys, whole and word-wrapped: on the buttons' line in two lines when they fit
        # there (1366 px), else on their own line below the rows (1024 px in large text). Where
        # it goes and its height depend on the dialog's width only (see _place_key_help):
        # marking never moves the rows.
        self.key_help = QtWidgets.QLabel(KEY_HELP)
        self.key_help.setWordWrap(True)
        self.key_help.setAlignment(
            QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
        )
        set_role(self.key_help, "hint")
        self._key_help_on_buttons: bool | None = None

        # The last save, on the buttons' line, one line of constant height.
        # Ends in "…" (whole in the tooltip) when the line is short, never cut mid-word.
        self.status = ElidedLabel("")
        self.status.setWordWrap(False)
        self.status.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed
        )

        buttons = QtWidgets.QHBoxLayout()
        self.all_present = QtWidgets.QPushButton("Đánh dấu &tất cả còn lại có mặt")
        self.all_present.setToolTip("Alt+T. Hỏi lại trước khi lưu.")
        self.all_present.clicked.connect(self.mark_remaining_present)
        self.save_paper = QtWidgets.QPushButton("Lưu kết quả từ danh sách giấy")
        self.save_paper.clicked.connect(self.save_paper_sheet)
        self.close_button = QtWidgets.QPushButton("Đóng")
        self.close_button.clicked.connect(self.reject)
        # Đảng phí is collected at the opening of the meeting: the sheet of its month.
        self.dues_button = QtWidgets.QPushButton("Đảng phí…")
        self.dues_button.setToolTip("Mở sổ thu đảng phí của tháng họp")
        self.dues_button.clicked.connect(self.open_dues)
        buttons.addLayout(amend_row, 2)
        buttons.addWidget(self.all_present)
        buttons.addWidget(self.save_paper)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.dues_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._layout = layout
        self._buttons = buttons
        # Enter never presses a button of this dialog (it confirmed "mark everyone" before).
        for button in (self.all_present, self.save_paper, self.dues_button, self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.all_present.setVisible(not paper)
        self.save_paper.setVisible(paper)
        self.reload()

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        book = self.ctx.book

        def load() -> tuple[meetings.MeetingView, RollCall]:
            return (
                meetings.get(book, meeting_id=self.meeting_id),
                attendance.roll_call(book, meeting_id=self.meeting_id),
            )

        self.ctx.runner.run(
            self,
            load,
            on_success=self._loaded,
            on_failure=lambda e: self.ctx.message.error("Không mở được điểm danh", str(e)),
            label="Đang tải danh sách…",
        )

    def _loaded(self, result: tuple[meetings.MeetingView, RollCall]) -> None:
        self.meeting, self.call = result
        self.rules = self.call.rules
        m = self.meeting
        when = f"{m.starts_at:%H:%M} ngày {m.starts_at:%d/%m/%Y} tại {m.place}"
        self.heading.setText(f"<b>{html.escape(m.title)}</b> · {html.escape(when)}")
        closed = m.is_closed
        # Hide before showing: Qt lays the row out at once when a child appears, and with
        # both in it the dialog grew wider than a 1024 screen.
        self.all_present.setEnabled(not closed)
        self.all_present.setVisible(not closed and not self.paper)
        self.amend_label.setVisible(closed)
        self.amend_reason.setVisible(closed)
        banner = []
        if closed:
            self.amend_reason.setToolTip(
                "Cuộc họp đã kết thúc, biên bản đã thông qua: mọi thay đổi điểm danh là đính "
                "chính, ghi lý do ở đây. Thay đổi được lưu trong nhật ký."
            )
            # Short enough to be read whole at 1024 px in large text; the sentence is in
            # the tooltip above.
            self.amend_reason.setPlaceholderText("Ghi lý do")
        if self.paper:
            banner.append(
                "Mọi người được đánh dấu sẵn “Có mặt” (người đã xin phép: “Vắng có lý do”). "
                "Chỉ cần bấm vào ô của người vắng hoặc đến muộn theo danh sách giấy, rồi bấm "
                "“Lưu kết quả từ danh sách giấy”. Dấu ✔* là chưa lưu."
            )
        self.banner.setText(" ".join(banner))
        self.banner.setVisible(bool(banner))
        self.setToolTip(
            "Bấm một lần vào ô “Có mặt” của từng người (hoặc chọn dòng rồi bấm phím 1: có "
            "mặt, 2: đến muộn, 3: vắng có lý do, 4: vắng không lý do). Mỗi lần bấm được "
            "lưu ngay vào sổ. Đảng viên dự bị có mặt nhưng không biểu quyết; cách tính số "
            "được biểu quyết có phần có thể cấu hình (Sinh hoạt → Quy tắc tính)."
        )
        pending: dict[str, tuple[str, str]] = {}
        if self.paper:
            for row in self.call.rows:
                if row.status is None and row.role != voting_rules.EXEMPT:
                    pending[row.member_id] = (
                        (AttendanceMark.EXCUSED, row.request_reason)
                        if row.request_reason
                        else (AttendanceMark.PRESENT, "")
                    )
        self.model.editable = True
        current = self.view.currentIndex()
        self.model.set_rows(list(self.call.rows), pending)
        self._update_figures()
        self._fit_rows()
        if self.model.rowCount():
            keep = min(max(current.row(), 0), self.model.rowCount() - 1)
            self.view.setCurrentIndex(self.model.index(keep, COL_NAME))

    # -- figures ------------------------------------------------------------------------------
    def current_figures(self) -> AttendanceFigures:
        participants = []
        for row in self.model.rows:
            status, _reason, _pending = self.model.shown_status(row)
            participants.append(voting_rules.Participant(role=row.role, status=status))
        return voting_rules.figures(participants, self.rules)

    def _update_figures(self) -> None:
        f = self.current_figures()
        values = {
            "total": f.total,
            AttendanceMark.PRESENT: f.present,
            AttendanceMark.EXCUSED: f.absent_excused,
            AttendanceMark.UNEXCUSED: f.absent_unexcused,
            "exempted": f.exempted,
            "unmarked": f.unmarked,
        }
        for key, value in values.items():
            self.figures[key].setText(str(value))
        if f.counted_official == 0:
            self.verdict.setText("Chưa có đảng viên chính thức nào trong danh sách.")
            set_role(self.verdict, "heading")
            return
        counted = (
            f"{f.voting_present}/{f.counted_official} đảng viên chính thức được tính có mặt "
            f"(cần ít nhất {f.needed})"
        )
        if f.can_adopt:
            self.verdict.setText(f"✔ Đủ điều kiện thông qua nghị quyết: {counted}.")
            self.verdict.setStyleSheet("font-weight: bold; color: #1b5e20;")
        else:
            self.verdict.setText(f"✘ Chưa đủ điều kiện thông qua nghị quyết: {counted}.")
            self.verdict.setStyleSheet("font-weight: bold; color: #b00020;")

    # -- clicks --------------------------------------------------------------------------------
    def _clicked(self, index: QtCore.QModelIndex) -> None:
        if not index.isValid() or index.column() not in ACTION_COLUMNS:
            return
        self.choose(index.row(), ACTION_COLUMNS[index.column()])

    def choose(self, row_index: int, status: str, *, by_key: bool = False) -> None:
        """What one click on a row's mark cell (or one key 1–4) does."""
        if not 0 <= row_index < len(self.model.rows):
            return
        row = self.model.rows[row_index]
        shown, reason, _pending = self.model.shown_status(row)
        if status == AttendanceMark.EXCUSED:
            reason = reason if shown == AttendanceMark.EXCUSED else (row.request_reason or "")
        elif status == AttendanceMark.LATE:
            reason = reason if shown == AttendanceMark.LATE else ""
        else:
            reason = ""
        self.mark(row.member_id, status, reason)
        if status == AttendanceMark.EXCUSED and (by_key or not reason):
            self.edit_reason(row_index, by_key=by_key)

    def edit_reason(self, row_index: int, *, by_key: bool = False) -> None:
        """Open the row's reason field; it keeps the keyboard until Enter (which commits the
        reason and, on the keyboard path, moves to the next member) or Esc. Opened by a click,
        nothing scrolls: the rows stay where the pointer expects them."""
        index = self.model.index(row_index, COL_REASON)
        self._walking_row = row_index
        self._walking_by_key = by_key
        self.view.setCurrentIndex(index)
        if by_key:
            self.view.scrollTo(index)
        self.view.edit(index)

    def _editor_closed(self, _editor: QtWidgets.QWidget, hint: object) -> None:
        row, self._walking_row = self._walking_row, -1
        if row < 0:
            return
        submit = QtWidgets.QAbstractItemDelegate.EndEditHint.SubmitModelCache
        self._go_to(row + 1 if hint == submit and self._walking_by_key else row, scroll=False)
        if self._walking_by_key:
            self.view.scrollTo(self.view.currentIndex())
        self.view.setFocus()

    def _go_to(self, row: int, *, scroll: bool = True) -> None:
        row = min(max(row, 0), self.model.rowCount() - 1)
        if row < 0:
            return
        index = self.model.index(row, COL_NAME)
        self.view.setCurrentIndex(index)
        if scroll:
            self.view.scrollTo(index)

    def _reason_edited(self, member_id: str, text: str) -> None:
        index = self.model.row_of(member_id)
        if index < 0:
            return
        row = self.model.rows[index]
        status, _reason, _pending = self.model.shown_status(row)
        self.mark(member_id, status or AttendanceMark.EXCUSED, text)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.view and event.type() == QtCore.QEvent.Type.KeyPress:
            key_event = event
            assert isinstance(key_event, QtGui.QKeyEvent)
            if self.view.state() == QtWidgets.QAbstractItemView.State.EditingState:
                # Keys typed in the reason field (or its Enter travelling up) mark nobody.
                return int(key_event.key()) in _ENTER_KEYS
            key = int(key_event.key())
            if key in (int(QtCore.Qt.Key.Key_Home), int(QtCore.Qt.Key.Key_End)):
                # (Ctrl+)Home/End: first or last member, scrolled into view (the table does not
                # auto-scroll, so that a click never moves the rows under the pointer).
                self._go_to(0 if key == int(QtCore.Qt.Key.Key_Home) else self.model.rowCount() - 1)
                return True
            status = KEY_STATUS.get(key)
            if status is not None:
                current = self.view.currentIndex()
                if current.isValid():
                    row = current.row()
                    self.choose(row, status, by_key=True)
                    if status != AttendanceMark.EXCUSED:
                        self._go_to(row + 1)
                return True
            if key in _ENTER_KEYS or key_event.text().strip():
                return True  # no default button, no jumping between rows by letter
        return super().eventFilter(watched, event)

    # -- committing ------------------------------------------------------------------------------
    def mark(self, member_id: str, status: str, reason: str = "") -> None:
        """Queue one mark; marks are committed one after another, in click order."""
        if (
            self.meeting is not None
            and self.meeting.is_closed
            and not self.amend_reason.text().strip()
        ):
            self.ctx.message.warning(
                "Cần lý do đính chính",
                "Cuộc họp đã kết thúc. Vui lòng ghi lý do đính chính trước khi sửa điểm danh.",
            )
            self.amend_reason.setFocus()
            return
        if self.paper:
            self.model.set_pending(member_id, status, reason)
            self._update_figures()
            return
        self._queue.append((member_id, status, reason))
        self._pump()

    def _pump(self) -> None:
        if self._busy or not self._queue:
            return
        member_id, status, reason = self._queue.popleft()
        self._busy = True
        book = self.ctx.book
        amend = self.amend_reason.text()
        self.status.setText("Đang lưu…")

        def work() -> attendance.Mark:
            return attendance.mark(
                book,
                meeting_id=self.meeting_id,
                member_id=member_id,
                status=status,
                reason=reason,
                amend_reason=amend,
            )

        self.ctx.runner.run(self, work, on_success=self._committed, on_failure=self._failed)

    def _committed(self, mark: attendance.Mark) -> None:
        self._busy = False
        index = self.model.row_of(mark.member_id)
        if index >= 0:
            row = self.model.rows[index]
            self.model.replace_row(
                mark.member_id,
                dataclasses.replace(
                    row, status=mark.status, reason=mark.reason, marked_at=mark.recorded_at
                ),
            )
            when = dt.datetime.now().strftime("%H:%M:%S")
            self.status.setText(
                f"Đã lưu lúc {when}: {row.full_name} — {AttendanceMark(mark.status).label}"
                + (f" ({mark.reason})" if mark.reason else "")
            )
        self.saved_count += 1
        self._update_figures()
        self.marked.emit(mark)
        self._pump()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._queue.clear()
        self.status.setText("Chưa lưu được lần bấm vừa rồi.")
        self.ctx.message.error("Không lưu được điểm danh", str(error))

    def mark_remaining_present(self) -> None:
        remaining = [
            r
            for r in self.model.rows
            if self.model.shown_status(r)[0] is None and r.role != voting_rules.EXEMPT
        ]
        if not remaining:
            self.ctx.message.info("Điểm danh", "Mọi người đã được điểm danh.")
            return
        names = ", ".join(r.full_name for r in remaining[:8])
        more = f" và {len(remaining) - 8} đồng chí khác" if len(remaining) > 8 else ""
        if not self.ctx.message.ask(
            "Đánh dấu tất cả còn lại có mặt",
            f"Đánh dấu {len(remaining)} đồng chí chưa điểm danh là có mặt: {names}{more}?",
        ):
            return
        book = self.ctx.book
        meeting_id_now = self.meeting_id  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: attendance.mark_remaining_present(book, meeting_id=meeting_id_now),
            on_success=self._bulk_saved,
            on_failure=lambda e: self.ctx.message.error("Không lưu được điểm danh", str(e)),
            label="Đang lưu điểm danh…",
        )

    def _bulk_saved(self, count: int) -> None:
        self.saved_count += count
        self.status.setText(f"Đã lưu: {count} đồng chí có mặt.")
        self.marked.emit(None)
        self.reload()

    def unsaved(self) -> int:
        """Paper mode: rows whose mark differs from what is stored."""
        count = 0
        for row in self.model.rows:
            if row.member_id in self.model.pending:
                status, reason = self.model.pending[row.member_id]
                if (status, reason) != (row.status, row.reason):
                    count += 1
        return count

    def save_paper_sheet(self) -> None:
        if (
            self.meeting is not None
            and self.meeting.is_closed
            and not self.amend_reason.text().strip()
        ):
            self.ctx.message.warning(
                "Cần lý do đính chính",
                "Cuộc họp đã kết thúc. Vui lòng ghi lý do đính chính trước khi lưu.",
            )
            return
        marks = [
            MarkInput(member_id, status, reason)
            for member_id, (status, reason) in self.model.pending.items()
        ]
        if not marks:
            self.ctx.message.info("Danh sách giấy", "Không có thay đổi nào cần lưu.")
            return
        book = self.ctx.book
        amend = self.amend_reason.text()
        self.ctx.runner.run(
            self,
            lambda: attendance.mark_many(
                book, meeting_id=self.meeting_id, marks=marks, amend_reason=amend
            ),
            on_success=self._bulk_saved,
            on_failure=lambda e: self.ctx.message.error("Không lưu được danh sách", str(e)),
            label="Đang lưu danh sách…",
        )

    def open_dues(self) -> DuesSheetDialog | None:
        """The dues sheet of the meeting's month (collected at the meeting's opening)."""
        if self.meeting is None:
            return None
        from ui.dues.sheet import DuesSheetDialog

        month = f"{self.meeting.starts_at:%Y-%m}"
        dialog = DuesSheetDialog(self.ctx, month, parent=self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- window ------------------------------------------------------------------------------------
    def _fit_rows(self) -> None:
        """Fixed row heights and column widths, computed from the font and the whole roster
        once — never from the marks, so marking never moves anything."""
        metrics = self.view.fontMetrics()
        line = metrics.height()
        self.view.verticalHeader().setDefaultSectionSize(max(36, int(line * 1.45)))
        header = self.view.horizontalHeader()
        pad = max(16, line)

        def width(*texts: str) -> int:
            return max(metrics.horizontalAdvance(t) for t in texts) + pad

        bold = QtGui.QFont(header.font())
        bold.setBold(True)
        head = QtGui.QFontMetrics(bold)

        def head_width(col: int) -> int:
            text = str(self.model.headerData(col, QtCore.Qt.Orientation.Horizontal, 0))
            return max(head.horizontalAdvance(part) for part in text.split("\n")) + pad

        names = [r.full_name for r in self.model.rows] or ["Nguyễn Văn Aaaaa"]
        roles = [r.role_label for r in self.model.rows] or ["Chính thức"]
        header.setMinimumSectionSize(20)
        header.resizeSection(0, max(width(str(len(names) + 1)), head_width(0)))
        header.resizeSection(1, max(width(*names), head_width(1)))
        header.resizeSection(2, max(width(*roles), head_width(2)))
        # Mark cells wide enough to hit comfortably with the mouse and for every mark text
        # (an unsaved one too) at this font: marking never widens a column.
        for col in ACTION_COLUMNS:
            header.resizeSection(col, max(width(*MARK_TEXTS), head_width(col), int(line * 3.2)))
        self._reserve_verdict()
        self.status.setFixedHeight(metrics.lineSpacing() + 6)
        for value in self.figures.values():
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("888") + 4)

    def _reserve_verdict(self) -> None:
        """Room for the longest verdict and for the whole key help at the current width
        (depends on the width only: marking never changes it)."""
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QtCore.QMargins(8, 0, 8, 0)
        width = max(200, self.width() - margins.left() - margins.right())
        rect = self.verdict.fontMetrics().boundingRect(
            QtCore.QRect(0, 0, width, 10000), int(QtCore.Qt.TextFlag.TextWordWrap), LONGEST_VERDICT
        )
        self.verdict.setFixedHeight(rect.height() + 4)
        self._place_key_help(width)

    def _place_key_help(self, width: int) -> None:
        """Put the whole key help where it costs no row: in two lines on the buttons' line,
        beside room for the last save, when they fit; else on its own line below the rows."""
        label = self.key_help
        label.ensurePolished()  # the "hint" role's font, from the style sheet
        metrics = label.fontMetrics()
        flags = int(QtCore.Qt.TextFlag.TextWordWrap)

        def height_at(w: int) -> int:
            return metrics.boundingRect(QtCore.QRect(0, 0, w, 10000), flags, KEY_HELP).height()

        two_lines = height_at(10000) + metrics.lineSpacing() + 1
        beside = [
            w
            for w in (
                self.amend_label,
                self.amend_reason,
                self.all_present,
                self.save_paper,
                self.dues_button,
                self.close_button,
            )
            if not w.isHidden()
        ]
        spacing = max(0, self._buttons.spacing())
        room = (
            width
            - sum(w.sizeHint().width() for w in beside)
            - spacing * (len(beside) + 2)
            - metrics.horizontalAdvance("Đã lưu lúc 19:30:00")  # the last save (its tooltip: all)
        )
        on_buttons = room > 0 and height_at(room) <= two_lines
        if on_buttons:
            # The narrowest width that keeps two lines: the rest is the last save's.
            low, high = 1, room
            while low < high:
                middle = (low + high) // 2
                if height_at(middle) <= two_lines:
                    high = middle
                else:
                    low = middle + 1
            label.setFixedWidth(high)
            label.setFixedHeight(height_at(high) + 2)
        else:
            label.setMinimumWidth(0)
            label.setMaximumWidth(16777215)
            label.setFixedHeight(height_at(width) + 2)
        if on_buttons != self._key_help_on_buttons:
            self._key_help_on_buttons = on_buttons
            self._layout.removeWidget(label)
            self._buttons.removeWidget(label)
            if on_buttons:
                self._buttons.insertWidget(self._buttons.indexOf(self.status), label)
            else:
                self._layout.insertWidget(self._layout.indexOf(self.view) + 1, label)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self._reserve_verdict()
        super().resizeEvent(event)

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        if not self._fitted:
            # As large as the screen allows: the table is the stretching part.
            self._fitted = True
            avail = available_rect(self)
            fit_to_screen(self, max(1100, avail.width()), max(760, avail.height()))
            self.view.setFocus()
        super().showEvent(event)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange):
            self._fit_rows()
        super().changeEvent(event)

    def _may_close(self) -> bool:
        if not (self.paper and self.unsaved()):
            return True
        return self.ctx.message.ask(
            "Chưa lưu",
            f"Có {self.unsaved()} dòng từ danh sách giấy chưa lưu. Vẫn đóng và bỏ các thay đổi "
            "này?",
        )

    def reject(self) -> None:
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)

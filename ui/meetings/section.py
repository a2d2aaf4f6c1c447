"""Sinh hoạt: the branch's meetings — call one, take leave requests, run the roll call, write
the minutes, print the paperwork, see the attendance figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.services import meeting_stats, meetings
from app.services.changes import OpChanges
from app.services.meetings import MeetingSummary, MeetingView
from app.vocab import Entity
from ui.meetings.absence_dialog import AbsenceRequestDialog
from ui.meetings.meeting_dialog import MeetingDialog
from ui.meetings.model import MEETING_ID_ROLE, MeetingsModel, list_name_head
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import set_role
from ui.widgets.columns import fit_table
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import ask_pdf_path, offer_pdf
from ui.widgets.section import AppContext, Section

# The default year filter: this year and every meeting still to come (a meeting called for
# January next year must not vanish behind "this year").
RECENT = "recent"

PAPER_TITLES = {
    "invitation": ("Thông báo mời họp", "thong-bao-moi-hop"),
    "signin": ("Danh sách ký tên", "danh-sach-ky-ten"),
    "minutes": ("Biên bản", "bien-ban"),
}
# MeetingsModel's "Cuộc họp", "Địa điểm" and "Tài liệu"
NAME_COLUMN, PLACE_COLUMN, DOCUMENTS_COLUMN = 1, 2, 5
# What makes room for the meeting's name, in turn, until it fits on one line.
GIVE_WAY: tuple[frozenset[int], ...] = (
    frozenset(),
    frozenset({DOCUMENTS_COLUMN}),
    frozenset({DOCUMENTS_COLUMN, PLACE_COLUMN}),
)
MEETING_ENTITIES = frozenset(
    {Entity.MEETING, Entity.ATTENDANCE_EVENT, Entity.ABSENCE_REQUEST, Entity.MEETING_DOCUMENT}
)


class MeetingsSection(Section):
    title = "Sinh hoạt"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        heading = QtWidgets.QLabel("Sinh hoạt chi bộ")
        set_role(heading, "title")
        heading.setWordWrap(True)  # two lines rather than cut, beside the year in large text
        top.addWidget(heading, 1)
        top.addWidget(QtWidgets.QLabel("Năm:"))
        self.year = QtWidgets.QComboBox()
        this_year = dt.date.today().year
        self.year.addItem(f"Năm {this_year} và sắp tới", RECENT)
        self.year.addItem("Tất cả", None)
        for y in range(this_year + 1, this_year - 6, -1):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(0)
        self._want_selected: str | None = None
        self.year.currentIndexChanged.connect(lambda _i: self.refresh(None))
        top.addWidget(self.year)
        layout.addLayout(top)

        # The everyday work as buttons (call a meeting, the roll call, the minutes); the papers
        # under one "In giấy tờ" button, the rest under "Thêm": one row even at 1024 wide in
        # large text, so the list keeps its rows. Alt + the underlined letter opens each one.
        actions = FlowLayout()
        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        for key, label, slot in (
            ("create", "&Tạo cuộc họp…", self.create_meeting),
            ("roll", "Điểm &danh", self.roll_call),
            ("minutes", "&Biên bản…", self.minutes),
        ):
            button = QtWidgets.QPushButton(label)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            actions.addWidget(button)
            self.buttons[key] = button
        self.menu_actions: dict[str, QtGui.QAction] = {}
        for key, label, tip, entries in (
            (
                "print",
                "&In giấy tờ",
                "In thông báo mời họp, danh sách ký tên, biên bản",
                (
                    (
                        "invitation",
                        "In &thông báo mời họp…",
                        lambda: self.print_paper("invitation"),
                    ),
                    ("signin", "In danh sách &ký tên…", lambda: self.print_paper("signin")),
                    ("minutes_pdf", "In &biên bản…", lambda: self.print_paper("minutes")),
                ),
            ),
            (
                "more",
                "Thê&m",
                "Sửa, xin phép vắng, nhập điểm danh từ giấy, thống kê, quy tắc tính, xóa",
                (
                    ("edit", "&Sửa cuộc họp…", self.edit_meeting),
                    ("leave", "&Xin phép vắng…", self.absence_requests),
                    ("paper", "&Nhập từ danh sách giấy", self.paper_entry),
                    None,
                    ("stats", "&Thống kê dự sinh hoạt…", self.stats),
                    ("rules", "&Quy tắc tính…", self.rules),
                    None,
                    ("delete", "Xóa cuộc &họp", self.delete_meeting),
                ),
            ),
        ):
            button = QtWidgets.QPushButton(label)
            button.setToolTip(tip)
            menu = QtWidgets.QMenu(button)
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                    continue
                action_key, text, action_slot = entry
                action = menu.addAction(text)
                action.triggered.connect(lambda _checked=False, s=action_slot: s())
                self.menu_actions[action_key] = action
            button.setMenu(menu)
            actions.addWidget(button)
            self.buttons[key] = button
        layout.addLayout(actions)

        self.model = MeetingsModel(self)
        self.model.text_as_tooltip = True  # a title or place ending in "…" is whole here
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        # Columns share the view's width by fit_table's rule (see _size_rows): no sideways
        # scrolling at 1024 wide in large text; a name or place too long for one line wraps
        # into a second when the rows have two.
        self.view.setWordWrap(True)
        self._fitted_width = -1
        self.view.horizontalHeader().sectionResized.connect(
            lambda *_: QtCore.QTimer.singleShot(0, self, self._columns_moved)
        )
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
            if year == RECENT:
                this_year = dt.date.today().year
                items = [
                    item
                    for item in meetings.summaries(book, year=None)
                    if item.meeting.starts_at.year >= this_year
                ]
            else:
                items = meetings.summaries(book, year=year)
            return items, meeting_stats.early_warnings(book)

        self.ctx.runner.run(
            self, load, on_success=self._loaded, label="Đang tải danh sách cuộc họp…"
        )

    def _loaded(self, result: tuple[list[MeetingSummary], list[meeting_stats.Warning]]) -> None:
        items, warnings = result
        # A meeting just created (or edited) is the one to work on next.
        selected, self._want_selected = self._want_selected or self.selected_id(), None
        self.model.set_items(items)
        self._size_rows()
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

    def _size_rows(self) -> None:
        """Columns fitted to the view's width with the meeting's name (its short form keeps
        the month: "Thường kỳ tháng 11/2026") as the main column. When its kind and month do
        not fit on one line, the document count and then the place make room (both are in
        the meeting's own window); when even that is not enough, rows have two lines."""
        view = self.view
        if self.model.rowCount():
            for hidden in GIVE_WAY:
                for column in (DOCUMENTS_COLUMN, PLACE_COLUMN):
                    if view.isColumnHidden(column) != (column in hidden):
                        view.setColumnHidden(column, column in hidden)
                fit_table(view, text=(NAME_COLUMN, PLACE_COLUMN), main=NAME_COLUMN)
                if self._name_lines() == 1:
                    break
        self._fitted_width = view.viewport().width()
        self._fit_row_height()

    def _columns_moved(self) -> None:
        """fit_table refits the columns on its own (a scroll bar came, the rows changed):
        the name's room is weighed again when the width changed, else the rows' height."""
        narrow = self._name_lines() == 2 and not all(
            self.view.isColumnHidden(c) for c in GIVE_WAY[-1]
        )
        if narrow or self.view.viewport().width() != self._fitted_width:
            self._size_rows()
        else:
            self._fit_row_height()

    def _name_lines(self) -> int:
        """1 when every meeting's kind and month fit the name column on one line, else 2
        (the name wraps after the kind, "tháng 11/2026" together; a long topic after them
        ends in "…", whole in the tooltip)."""
        view = self.view
        margin = view.style().pixelMetric(
            QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, view
        )
        room = view.columnWidth(NAME_COLUMN) - 2 * (margin + 1)
        for row, item in enumerate(self.model.items):
            font = self.model.index(row, NAME_COLUMN).data(QtCore.Qt.ItemDataRole.FontRole)
            metrics = QtGui.QFontMetrics(font or view.font())
            if metrics.horizontalAdvance(list_name_head(item.meeting)) > room:
                return 2
        return 1

    def _fit_row_height(self) -> None:
        """One line a row with room around it, two when a meeting's name needs them."""
        view = self.view
        lines = self._name_lines() if self.model.rowCount() else 1
        height = max(30, int(view.fontMetrics().lineSpacing() * (lines + 0.5)) + 6)
        if view.verticalHeader().defaultSectionSize() != height:
            view.verticalHeader().setDefaultSectionSize(height)

    def text_size_changed(self) -> None:
        self._size_rows()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_rows()

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
        chosen = m is not None
        for key in ("roll", "minutes"):
            self.buttons[key].setEnabled(chosen)
        for key in ("edit", "paper", "invitation", "signin", "minutes_pdf"):
            self.menu_actions[key].setEnabled(chosen)
        self.buttons["print"].setEnabled(chosen)
        still_open = m is not None and not m.is_closed
        self.menu_actions["leave"].setEnabled(still_open)
        self.menu_actions["delete"].setEnabled(still_open)

    def _changed(self, meeting_id: str | None = None) -> None:
        changes = OpChanges(entities=MEETING_ENTITIES, ids=(meeting_id,) if meeting_id else ())
        self.changed.emit(changes)
        self.refresh(None)

    # -- commands ------------------------------------------------------------------------------
    def create_meeting(self) -> None:
        dialog = MeetingDialog(self.ctx, parent=self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted and dialog.result_meeting:
            self.show_meeting(dialog.result_meeting)

    def show_meeting(self, meeting: MeetingView) -> None:
        """List and select `meeting` (switching the year filter if it hides it), so the next
        command — Điểm danh above all — acts on it."""
        year = self.year.currentData()
        if year not in (None, RECENT) and year != meeting.starts_at.year:
            index = self.year.findData(meeting.starts_at.year)
            self.year.blockSignals(True)
            self.year.setCurrentIndex(index if index >= 0 else 0)
            self.year.blockSignals(False)
        elif year == RECENT and meeting.starts_at.year < dt.date.today().year:
            self.year.blockSignals(True)
            self.year.setCurrentIndex(self.year.findData(None))
            self.year.blockSignals(False)
        self._want_selected = meeting.id
        self._changed(meeting.id)

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
        path = ask_pdf_path(self, f"In {title.lower()}", f"{slug}-{m.starts_at:%Y-%m-%d}.pdf")
        if path:
            self.write_paper(kind, path)

    def write_paper(self, kind: str, path: str) -> None:
        from reports.printing import write_meeting_pdf

        m = self.selected()
        if m is None:
            return
        book = self.ctx.book
        large = kind == "signin" and bool(self.ctx.settings.large_text)
        title = PAPER_TITLES[kind][0]

        def printed(p: Any) -> None:
            if kind == "invitation":  # the dashboard no longer asks for the invitation
                self.changed.emit(OpChanges.of(Entity.MEETING, ids=(m.id,)))
            offer_pdf(self, self.ctx.message, str(p), title=f"Đã in {title.lower()}")

        self.ctx.runner.run(
            self,
            lambda: write_meeting_pdf(
                book, meeting_id=m.id, kind=kind, output=path, large_print=large
            ),
            on_success=printed,
            on_failure=lambda e: self.ctx.message.error(f"Không ghi được {title.lower()}", str(e)),
            label=f"Đang tạo {title.lower()}…",
        )

    def stats(self) -> None:
        from ui.meetings.attendance_stats import AttendanceStatsDialog

        year = self.year.currentData()
        if not isinstance(year, int):
            year = dt.date.today().year
        AttendanceStatsDialog(self.ctx, year=year, parent=self).exec()

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
        book = self.ctx.book  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: meetings.delete(book, meeting_id=m.id, reason="Xóa trên giao diện"),
            on_success=lambda _r: self._changed(m.id),
            on_failure=lambda e: self.ctx.message.error("Không xóa được", str(e)),
        )

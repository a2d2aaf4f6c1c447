"""Học tập nghị quyết: study campaigns, each member's result in a grid (attended the study
session, handed in the thu hoạch, grade, score, notes), progress, and the results report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from app.errors import KnownError
from app.file_writes import words_file_name
from app.models.study import STUDY_GRADES
from app.services import study
from app.services.changes import OpChanges
from app.services.study import CampaignView, ParticipantView
from app.vocab import Entity
from ui.qt import QtCore, QtGui, QtWidgets
from ui.study.campaign_dialog import CampaignDialog
from ui.study.delegates import CheckCellDelegate, GradeDelegate
from ui.study.model import (
    CAMPAIGN_ID_ROLE,
    COL_ATTENDED,
    COL_GRADE,
    COL_NAME,
    COL_NOTES,
    COL_SUBMITTED,
    CampaignsModel,
    ParticipantsModel,
)
from ui.style import set_role
from ui.widgets.columns import fit_table
from ui.widgets.file_dialogs import FileKind, save_file
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext, Section

STUDY_ENTITIES = frozenset({Entity.STUDY_CAMPAIGN, Entity.STUDY_PARTICIPANT, Entity.MEMBER})


def study_file_name(campaign: CampaignView, suffix: str) -> str:
    """The name suggested for a campaign's results, in the campaign's own words (its title
    without a leading "Học tập", else the month it starts): "ket-qua-hoc-tap-nghi-quyet-so-
    57-nq-tw.pdf", "ket-qua-hoc-tap-thang-03-2026.xlsx"."""
    title = re.sub(r"^\s*học\s+tập\b[\s:,.-]*", "", campaign.title.strip(), flags=re.IGNORECASE)
    if not title and campaign.starts_on is not None:
        title = f"tháng {campaign.starts_on:%m/%Y}"
    return words_file_name(f"Kết quả học tập {title}", suffix=suffix, fallback="ket-qua-hoc-tap")


class StudySection(Section):
    title = "Học tập nghị quyết"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.campaign: CampaignView | None = None
        self.dialog: CampaignDialog | None = None
        layout = QtWidgets.QVBoxLayout(self)
        margins = layout.contentsMargins()
        layout.setContentsMargins(margins.left(), 4, margins.right(), 4)
        heading = QtWidgets.QLabel("Học tập, quán triệt nghị quyết")
        set_role(heading, "title")
        heading.setWordWrap(True)  # large text at 1024 wide: two lines, never cut
        layout.addWidget(heading)
        # With the other buttons below the grid (a line of its own under the heading took
        # the height of a member's row and more in large text).
        self.new_button = QtWidgets.QPushButton("Tạo đợt học tập…")

        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        layout.addWidget(split, 1)
        self.campaigns = CampaignsModel(self)
        self.campaign_view = QtWidgets.QTableView()
        self.campaign_view.setModel(self.campaigns)
        self._style_table(self.campaign_view)
        # The period, state and counts whole; the campaign's name takes the rest (elided,
        # whole as tooltip): the list never scrolls sideways (see fit_table).
        fit_table(self.campaign_view, text=(0,))
        split.addWidget(self.campaign_view)

        detail = QtWidgets.QWidget()
        detail_layout = QtWidgets.QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.campaign_title = QtWidgets.QLabel("Chọn một đợt học tập để ghi kết quả.")
        self.campaign_title.setWordWrap(True)
        set_role(self.campaign_title, "heading")
        detail_layout.addWidget(self.campaign_title)
        self.campaign_info = QtWidgets.QLabel("")
        self.campaign_info.setWordWrap(True)
        self.campaign_info.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        # Many resolutions scroll in a few lines instead of pushing the grid off the page.
        info_area = QtWidgets.QScrollArea()
        info_area.setWidgetResizable(True)
        info_area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        info_area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        info_area.setWidget(self.campaign_info)
        self.info_area = info_area
        detail_layout.addWidget(info_area)
        bars = QtWidgets.QHBoxLayout()
        self.attended_bar = QtWidgets.QProgressBar()
        self.submitted_bar = QtWidgets.QProgressBar()
        self.graded_bar = QtWidgets.QProgressBar()
        for bar, label in (
            (self.attended_bar, "Dự học tập"),
            (self.submitted_bar, "Nộp thu hoạch"),
            (self.graded_bar, "Đã xếp loại"),
        ):
            bar.setFormat(f"{label}: %v/%m (%p%)")
            bar.setProperty("label", label)
            bar.setTextVisible(True)
            # A progress bar's least width is its text's: three of them in large text made
            # the page wider than a 1024 screen. They may narrow; _fit_bars shortens the text.
            bar.setMinimumWidth(1)
            bars.addWidget(bar)
        detail_layout.addLayout(bars)
        self.grade_label = QtWidgets.QLabel("")
        set_role(self.grade_label, "hint")
        self.grade_label.setWordWrap(True)
        detail_layout.addWidget(self.grade_label)

        self.participants = ParticipantsModel(self)
        self.participants.on_edit = self._record
        self.grid = QtWidgets.QTableView()
        self.grid.setModel(self.participants)
        self._style_table(self.grid)
        self.grid.verticalHeader().setVisible(True)
        # One line per member (notes elided, whole as tooltip): many members on screen.
        self.grid.setWordWrap(False)
        self.grid.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.grid.setItemDelegateForColumn(COL_GRADE, GradeDelegate(self.grid))
        for column in (COL_ATTENDED, COL_SUBMITTED):
            self.grid.setItemDelegateForColumn(column, CheckCellDelegate(self.grid))
        self.grid.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.SelectedClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
            | QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # Marks, grade and score whole; the name (the most) and the notes share the rest.
        fit_table(self.grid, text=(COL_NAME, COL_NOTES), main=COL_NAME)
        detail_layout.addWidget(self.grid, 1)
        self.grid_hint = QtWidgets.QLabel(
            "Bấm ô vuông để đánh dấu; bấm đúp ô Xếp loại, Điểm, Ghi chú để sửa. Lưu ngay."
        )
        self.grid_hint.setToolTip(
            "Bấm ô vuông để đánh dấu dự học tập và nộp thu hoạch; bấm đúp vào ô Xếp loại, Điểm, "
            "Ghi chú để sửa. Mỗi thay đổi được lưu ngay. Thang xếp loại và thang điểm 10 là "
            "gợi ý, có thể khác theo hướng dẫn của cấp ủy."
        )
        self.grid_hint.setWordWrap(True)
        set_role(self.grid_hint, "hint")
        self.grid.setToolTip(self.grid_hint.toolTip())
        # The column headings say what to do; the hint is the grid's tooltip, and its line
        # goes to the members' rows.
        self.grid_hint.setVisible(False)
        detail_layout.addWidget(self.grid_hint)

        actions = FlowLayout()  # wraps instead of widening the page past the screen
        self.edit_button = QtWidgets.QPushButton("Sửa đợt học tập…")
        self.all_attended_button = QtWidgets.QPushButton("Đánh dấu cả chi bộ dự học")
        self.add_members_button = QtWidgets.QPushButton("Thêm đảng viên mới")
        self.close_button = QtWidgets.QPushButton("Kết thúc đợt")
        self.add_members_button.setToolTip("Thêm vào đợt này các đảng viên mới sinh hoạt")
        self.pdf_button = QtWidgets.QPushButton("Báo cáo (PDF)…")
        self.pdf_button.setToolTip("Báo cáo kết quả học tập của đợt, ra tệp PDF")
        self.xlsx_button = QtWidgets.QPushButton("Xuất Excel…")
        for b in (
            self.new_button,
            self.edit_button,
            self.all_attended_button,
            self.add_members_button,
            self.close_button,
            self.pdf_button,
            self.xlsx_button,
        ):
            actions.addWidget(b)
        detail_layout.addLayout(actions)
        split.addWidget(detail)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setCollapsible(1, False)
        line = self.fontMetrics().height()
        # The campaigns list is short (a few a year); the members' grid takes the height.
        self.campaign_view.setWordWrap(False)
        self.campaign_view.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self._size_rows()
        split.setSizes([line * 3, line * 60])

        self.new_button.clicked.connect(self.new_campaign)
        self.edit_button.clicked.connect(self.edit_campaign)
        self.all_attended_button.clicked.connect(self.mark_all_attended)
        self.add_members_button.clicked.connect(self.add_new_members)
        self.close_button.clicked.connect(self.toggle_state)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.xlsx_button.clicked.connect(self.save_xlsx)
        self.campaign_view.selectionModel().selectionChanged.connect(lambda *_a: self._selected())
        self._show_campaign(None)

    def _size_rows(self) -> None:
        """Row heights from the font (again when large-text mode is switched)."""
        line = self.fontMetrics().lineSpacing()
        self.grid.verticalHeader().setDefaultSectionSize(line + 6)
        row = line + 12
        self.campaign_view.verticalHeader().setDefaultSectionSize(row)
        # At least the heading and one whole campaign.
        self.campaign_view.setMinimumHeight(
            self.campaign_view.horizontalHeader().sizeHint().height()
            + row
            + 2 * self.campaign_view.frameWidth()
            + 2
        )

    def text_size_changed(self) -> None:
        self._size_rows()
        self._fit_info()

    def _style_table(self, view: QtWidgets.QTableView) -> None:
        view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 2 + 6)
        view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)

    # -- loading -------------------------------------------------------------------------------
    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not (changes.entities & STUDY_ENTITIES):
            return
        keep = self.campaign.id if self.campaign else None
        self.campaigns.set_items(study.list_campaigns(self.ctx.book))
        row = next((i for i, c in enumerate(self.campaigns.items) if c.id == keep), None)
        if row is None and self.campaigns.items:
            row = 0
        if row is not None:
            self.campaign_view.selectRow(row)
            self._selected()
        else:
            self._show_campaign(None)

    def _selected(self) -> None:
        rows = self.campaign_view.selectionModel().selectedRows()
        if not rows:
            self._show_campaign(None)
            return
        campaign_id = str(rows[0].data(CAMPAIGN_ID_ROLE))
        self._show_campaign(study.get_campaign(self.ctx.book, campaign_id=campaign_id))

    def _show_campaign(self, campaign: CampaignView | None) -> None:
        self.campaign = campaign
        has = campaign is not None
        for b in (
            self.edit_button,
            self.all_attended_button,
            self.add_members_button,
            self.close_button,
            self.pdf_button,
            self.xlsx_button,
        ):
            b.setEnabled(has)
        if campaign is None:
            self.campaign_title.setVisible(True)
            self.participants.set_items([], editable=False)
            self.campaign_title.setText(
                "Chưa có đợt học tập nào. Bấm “Tạo đợt học tập…” để bắt đầu."
                if not self.campaigns.items
                else "Chọn một đợt học tập để ghi kết quả."
            )
            self.campaign_info.setText("")
            self._fit_info()
            self._show_progress(study.StudyProgress())
            return
        is_open = campaign.state == "open"
        self.campaign_title.setText(campaign.title)
        # The list above already names the selected campaign; a long name is not repeated.
        self.campaign_title.setVisible(False)
        info = [line for line in campaign.resolutions.split("\n") if line.strip()]
        if campaign.period_label:
            info.append(f"Thời gian: {campaign.period_label}")
        if campaign.session_at:
            where = f" tại {campaign.place}" if campaign.place else ""
            info.append(f"Buổi học tập: {campaign.session_at:%H:%M %d/%m/%Y}{where}")
        if campaign.submission_due:
            info.append(f"Hạn nộp thu hoạch: {campaign.submission_due:%d/%m/%Y}")
        if not is_open:
            info.append("Đợt học tập đã kết thúc: kết quả chỉ xem, muốn sửa hãy mở lại.")
        # One paragraph (two lines at most on screen, scrolling beyond) rather than a line each.
        self.campaign_info.setText("; ".join(info) + ".")
        self._fit_info()
        self.close_button.setText("Kết thúc đợt" if is_open else "Mở lại đợt")
        self.all_attended_button.setEnabled(is_open)
        self.add_members_button.setEnabled(is_open)
        self.participants.set_items(
            study.participants(self.ctx.book, campaign_id=campaign.id), editable=is_open
        )
        self._show_progress(campaign.progress)

    def _fit_info(self) -> None:
        """The campaign's details take one or two lines (scrolling beyond), never more."""
        text = self.campaign_info.text()
        metrics = self.campaign_info.fontMetrics()
        width = max(200, self.info_area.viewport().width() or self.width() - 40)
        lines = 0 if not text else (1 if metrics.horizontalAdvance(text) < width - 8 else 2)
        self.info_area.setFixedHeight(metrics.lineSpacing() * lines + (4 if lines else 0))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_info()
        self._fit_bars()

    def _fit_bars(self) -> None:
        """The progress bars say "Dự học tập: 12/28 (43%)" when they have the room, else
        "Dự học tập: 12/28" (the whole in the tooltip): never wider than the page."""
        for bar in (self.attended_bar, self.submitted_bar, self.graded_bar):
            label, full = str(bar.property("label")), bar.format()
            if "%v" not in full:
                continue
            room = bar.width() - 16
            wide = f"{label}: %v/%m (%p%)"
            text = wide.replace("%v", str(bar.value())).replace("%m", str(bar.maximum()))
            text = text.replace("%p", "100")
            fits = bar.fontMetrics().horizontalAdvance(text) <= room
            bar.setFormat(wide if fits else f"{label}: %v/%m")

    def _show_progress(self, p: study.StudyProgress) -> None:
        for bar, value in (
            (self.attended_bar, p.attended),
            (self.submitted_bar, p.submitted),
            (self.graded_bar, p.graded),
        ):
            bar.setRange(0, max(1, p.participants))
            bar.setValue(value)
            # Nobody to count (no campaign chosen): no made-up "0/1 (0%)".
            label = str(bar.property("label"))
            bar.setFormat(f"{label}: %v/%m (%p%)" if p.participants else f"{label}: —")
            bar.setToolTip(f"{label}: {value}/{p.participants}" if p.participants else label)
        self._fit_bars()
        grades = [f"{STUDY_GRADES.get(k, k)}: {v}" for k, v in p.by_grade.items() if v]
        self.grade_label.setText("Xếp loại — " + "; ".join(grades) if grades else "")
        self.grade_label.setVisible(bool(grades))  # no empty line above the grid

    def _update_progress(self) -> None:
        if self.campaign is None:
            return
        progress = study.progress(self.ctx.book, campaign_id=self.campaign.id)
        self._show_progress(progress)
        for row, c in enumerate(self.campaigns.items):
            if c.id == self.campaign.id:
                self.campaigns.items[row] = study.get_campaign(self.ctx.book, campaign_id=c.id)
                self.campaigns.dataChanged.emit(
                    self.campaigns.index(row, 0),
                    self.campaigns.index(row, self.campaigns.columnCount() - 1),
                )

    # -- editing --------------------------------------------------------------------------------
    def _record(self, p: ParticipantView, change: dict[str, Any]) -> ParticipantView | None:
        try:
            updated = study.record_result(self.ctx.book, participant_id=p.id, **change)
        except KnownError as exc:
            self.ctx.message.error("Không ghi được kết quả", exc.message)
            return None
        self._update_progress()
        self.changed.emit(OpChanges.of(Entity.STUDY_PARTICIPANT, ids=(p.id,)))
        return updated

    def new_campaign(self) -> None:
        self._open_dialog(None)

    def edit_campaign(self) -> None:
        if self.campaign is not None:
            self._open_dialog(self.campaign)

    def _open_dialog(self, campaign: CampaignView | None) -> None:
        dialog = CampaignDialog(self.ctx, campaign, parent=self)
        dialog.accepted.connect(lambda: self._dialog_done(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_done(self, dialog: CampaignDialog) -> None:
        if dialog.result_campaign is None:
            return
        self.campaign = dialog.result_campaign
        changes = OpChanges.of(Entity.STUDY_CAMPAIGN, ids=(self.campaign.id,))
        self.refresh(changes)
        self.changed.emit(changes)

    def mark_all_attended(self) -> None:
        if self.campaign is None:
            return
        ids = [p.member_id for p in self.participants.items]
        try:
            study.mark_attendance(self.ctx.book, campaign_id=self.campaign.id, member_ids=ids)
        except KnownError as exc:
            self.ctx.message.error("Không ghi được", exc.message)
            return
        self._show_campaign(study.get_campaign(self.ctx.book, campaign_id=self.campaign.id))
        self._update_progress()

    def add_new_members(self) -> None:
        if self.campaign is None:
            return
        try:
            added = study.add_participants(self.ctx.book, campaign_id=self.campaign.id)
        except KnownError as exc:
            self.ctx.message.error("Không thêm được", exc.message)
            return
        if added:
            names = ", ".join(p.full_name for p in added)
            self.ctx.message.info("Đã thêm đảng viên", f"Đã thêm vào đợt học tập: {names}.")
        else:
            self.ctx.message.info(
                "Không có ai cần thêm", "Mọi đảng viên đang sinh hoạt đã có trong đợt này."
            )
        self.refresh(OpChanges.of(Entity.STUDY_PARTICIPANT))

    def toggle_state(self) -> None:
        if self.campaign is None:
            return
        closing = self.campaign.state == "open"
        if closing and not self.ctx.message.ask(
            "Kết thúc đợt học tập",
            f"Kết thúc “{self.campaign.title}”? Sau khi kết thúc, kết quả chỉ xem được; "
            "có thể mở lại khi cần sửa.",
        ):
            return
        study.set_state(
            self.ctx.book, campaign_id=self.campaign.id, state="closed" if closing else "open"
        )
        changes = OpChanges.of(Entity.STUDY_CAMPAIGN, ids=(self.campaign.id,))
        self.refresh(changes)
        self.changed.emit(changes)

    # -- reports --------------------------------------------------------------------------------
    def _save_path(self, title: str, suffix: str, pattern: str) -> Path | None:
        assert self.campaign is not None
        suggested = study_file_name(self.campaign, suffix)
        kind = FileKind.EXCEL_EXPORT if suffix == ".xlsx" else FileKind.PDF
        path = save_file(self, kind, title, suggested, pattern)
        return Path(path) if path else None

    def save_pdf(self) -> None:
        path = self._save_path("Báo cáo kết quả học tập", ".pdf", "PDF (*.pdf)")
        if path is not None:
            self.write_report(path)

    def save_xlsx(self) -> None:
        path = self._save_path("Xuất kết quả học tập ra Excel", ".xlsx", "Excel (*.xlsx)")
        if path is not None:
            self.write_report(path)

    def _report_written(self, dest: Path) -> None:
        if dest.suffix.lower() == ".pdf":
            offer_pdf(self, self.ctx.message, str(dest), title="Đã ghi báo cáo")
        else:
            self.ctx.message.info("Đã ghi báo cáo", f"Đã ghi: {dest}")

    def write_report(self, path: Path) -> None:
        """The results report as PDF or .xlsx (by the file's suffix), in the background."""
        if self.campaign is None:
            return
        book, campaign_id = self.ctx.book, self.campaign.id

        def work() -> Path:
            report = study.results_report(book, campaign_id=campaign_id)
            if path.suffix.lower() == ".xlsx":
                from app.exporters.study_xlsx import write_study_xlsx

                return write_study_xlsx(report, path)
            from reports.output import write_pdf
            from reports.printing import study_report_pdf

            return write_pdf(path, study_report_pdf(report))

        self.ctx.runner.run(
            self,
            work,
            on_success=self._report_written,
            on_failure=lambda exc: self.ctx.message.error("Không ghi được báo cáo", str(exc)),
            label="Đang tạo báo cáo…",
        )

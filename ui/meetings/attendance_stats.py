"""Thống kê dự sinh hoạt (per member, per month / quarter / year, HD 12 figures, early warnings,
the yearly report as PDF or .xlsx) and the rules dialog (the configurable counting rules)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from app.services import meeting_stats, voting_rules
from app.services.meeting_stats import AttendanceStats
from app.services.voting_rules import RuleConfig
from ui.meetings.attendance_models import MemberStatsModel, PeriodStatsModel, percent_text
from ui.qt import QtCore, QtWidgets
from ui.style import error_label, set_role
from ui.widgets.file_dialogs import FileKind, save_file
from ui.widgets.fit import ScrollingDialog, fit_to_screen
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext
from ui.widgets.wrapping_check import WrappingCheckBox


class AttendanceStatsDialog(QtWidgets.QDialog):
    def __init__(
        self, ctx: AppContext, *, year: int, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stats: AttendanceStats | None = None
        self.setWindowTitle("Thống kê đảng viên dự sinh hoạt")
        fit_to_screen(self, 1100, 780)
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        heading = QtWidgets.QLabel("Thống kê đảng viên dự sinh hoạt")
        set_role(heading, "title")
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(QtWidgets.QLabel("Năm:"))
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, dt.date.today().year + 1)
        self.year.setValue(year)
        self.year.valueChanged.connect(lambda _v: self.reload())
        top.addWidget(self.year)
        layout.addLayout(top)
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        set_role(self.summary, "heading")
        layout.addWidget(self.summary)
        self.hd12 = QtWidgets.QLabel("")
        self.hd12.setWordWrap(True)
        layout.addWidget(self.hd12)
        tabs = QtWidgets.QTabWidget()
        self.members = MemberStatsModel(self)
        self.members_view = QtWidgets.QTableView()
        self.members_view.setModel(self.members)
        self.members_view.verticalHeader().setVisible(False)
        self.members_view.horizontalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        self.members_view.horizontalHeader().setSectionResizeMode(
            0, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        tabs.addTab(self.members_view, "Từng đảng viên")
        self.periods = PeriodStatsModel(self)
        self.periods_view = QtWidgets.QTableView()
        self.periods_view.setModel(self.periods)
        self.periods_view.verticalHeader().setVisible(False)
        self.periods_view.horizontalHeader().setSectionResizeMode(
            QtWidgets.QHeaderView.ResizeMode.ResizeToContents
        )
        self.periods_view.horizontalHeader().setSectionResizeMode(
            0, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        tabs.addTab(self.periods_view, "Theo tháng, quý, năm")
        self.warnings = QtWidgets.QListWidget()
        self.warnings.setWordWrap(True)
        tabs.addTab(self.warnings, "Cảnh báo")
        layout.addWidget(tabs, 1)
        note = QtWidgets.QLabel(
            "Chỉ tính sinh hoạt chi bộ (thường kỳ, chuyên đề, bất thường) đã điểm danh; đảng viên "
            "miễn sinh hoạt không tính. Các ngưỡng (85%, 3 lần liên tiếp, 3 tháng) có thể cấu "
            "hình trong “Quy tắc tính”."
        )
        note.setWordWrap(True)
        set_role(note, "hint")
        layout.addWidget(note)
        buttons = QtWidgets.QHBoxLayout()
        self.pdf_button = QtWidgets.QPushButton("Xuất báo cáo PDF…")
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.xlsx_button = QtWidgets.QPushButton("Xuất Excel (.xlsx)…")
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        close = QtWidgets.QPushButton("Đóng")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.xlsx_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        book = self.ctx.book
        year = self.year.value()
        self.ctx.runner.run(
            self,
            lambda: meeting_stats.year_stats(book, year=year),
            on_success=self._loaded,
            on_failure=lambda e: self.ctx.message.error("Không tính được thống kê", str(e)),
            label="Đang tính thống kê…",
        )

    def _loaded(self, st: AttendanceStats) -> None:
        self.stats = st
        flagged = {w.member_id for w in st.warnings if w.serious}
        self.members.set_rows(list(st.members), flagged)
        self.periods.set_rows([*st.months, *st.quarters, st.total])
        self.warnings.clear()
        for w in st.warnings:
            self.warnings.addItem(w.message)
        if not st.warnings:
            self.warnings.addItem("Không có đảng viên nào cần cảnh báo.")
        hd = st.hd12
        target = f"{hd.target_percent:g}".replace(".", ",")
        if not st.meetings:
            self.summary.setText(
                f"Năm {st.start.year} chưa có cuộc sinh hoạt chi bộ nào được điểm danh."
            )
            self.hd12.setText("")
            self.pdf_button.setEnabled(False)
            self.xlsx_button.setEnabled(False)
            return
        self.pdf_button.setEnabled(True)
        self.xlsx_button.setEnabled(True)
        verdict = "đạt" if hd.meets_target else "chưa đạt"
        self.summary.setText(
            f"{len(st.meetings)} cuộc sinh hoạt; tỷ lệ dự {percent_text(hd.attendance_percent)}% — "
            f"{verdict} yêu cầu trên {target}% (HD 12)."
        )
        parts = [f"Lượt vắng không lý do: {hd.unexcused_total}."]
        if hd.members_absent_running:
            parts.append(
                f"Vắng {st.rules.max_absent_running} lần liên tiếp: "
                + ", ".join(hd.members_absent_running)
                + "."
            )
        if hd.months_without_regular:
            parts.append(
                "Tháng chưa có sinh hoạt thường kỳ: "
                + ", ".join(str(m) for m in hd.months_without_regular)
                + "."
            )
        if hd.quarters_without_thematic:
            parts.append(
                "Quý chưa có sinh hoạt chuyên đề: "
                + ", ".join(
                    meeting_stats.QUARTER_NAMES[q - 1] for q in hd.quarters_without_thematic
                )
                + "."
            )
        self.hd12.setText(" ".join(parts))

    def export(self, suffix: str) -> None:
        year = self.year.value()
        kind = "Excel" if suffix == ".xlsx" else "PDF"
        pattern = "Excel (*.xlsx)" if suffix == ".xlsx" else "Tệp PDF (*.pdf)"
        file_kind = FileKind.EXCEL_EXPORT if suffix == ".xlsx" else FileKind.PDF
        path = save_file(self, file_kind, f"Xuất {kind}", f"du-sinh-hoat-{year}{suffix}", pattern)
        if path:
            self.write_report(Path(path))

    def _written(self, path: object) -> None:
        if str(path).lower().endswith(".pdf"):
            offer_pdf(self, self.ctx.message, str(path), title="Đã xuất báo cáo")
        else:
            self.ctx.message.info("Đã xuất báo cáo", f"Đã ghi {path}.")

    def write_report(self, path: Path) -> None:
        from reports.printing import write_attendance_report

        book = self.ctx.book
        year = self.year.value()
        self.ctx.runner.run(
            self,
            lambda: write_attendance_report(book, year=year, path=path),
            on_success=self._written,
            on_failure=lambda e: self.ctx.message.error("Không xuất được báo cáo", str(e)),
            label="Đang xuất báo cáo…",
        )


class RulesDialog(ScrollingDialog):
    """The counting rules: the parts DOMAIN.md marks uncertain, and the HD 12 thresholds.

    The labels are long sentences: each wraps in its own label beside a narrow control, so
    the dialog fits a 1024-wide screen in large text; the form scrolls, the buttons stay."""

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            parent,
            title="Quy tắc tính số lượng dự họp và biểu quyết",
            preferred=QtCore.QSize(820, 620),
        )
        self.ctx = ctx
        layout = self.body_layout
        fixed = QtWidgets.QLabel(
            "Cố định theo Điều lệ Đảng: nghị quyết được thông qua khi quá một nửa số đảng viên "
            "chính thức được tính tán thành; đảng viên dự bị có mặt nhưng không biểu quyết."
        )
        fixed.setWordWrap(True)
        layout.addWidget(fixed)
        note = QtWidgets.QLabel(voting_rules.UNCERTAIN_NOTE)
        note.setWordWrap(True)
        set_role(note, "hint")
        layout.addWidget(note)
        form = QtWidgets.QVBoxLayout()
        self.checks: dict[str, QtWidgets.QCheckBox] = {}
        self.numbers: dict[str, QtWidgets.QAbstractSpinBox] = {}
        config = voting_rules.get_rules(ctx.book)
        for f in dataclasses.fields(RuleConfig):
            value = getattr(config, f.name)
            text = voting_rules.CONFIG_LABELS.get(f.name, f.name)
            if isinstance(value, bool):
                box = WrappingCheckBox(text)
                box.setChecked(value)
                self.checks[f.name] = box
                form.addWidget(box)
                continue
            spin: QtWidgets.QAbstractSpinBox
            if isinstance(value, float):
                dspin = QtWidgets.QDoubleSpinBox()
                dspin.setRange(1, 100)
                dspin.setDecimals(1)
                dspin.setValue(value)
                spin = dspin
            else:
                ispin = QtWidgets.QSpinBox()
                ispin.setRange(1, 12)
                ispin.setValue(int(value))
                spin = ispin
            self.numbers[f.name] = spin
            spin.setMaximumWidth(spin.fontMetrics().averageCharWidth() * 14)
            label = QtWidgets.QLabel(text + ":")
            label.setWordWrap(True)
            label.setBuddy(spin)
            form.addWidget(label)
            form.addWidget(spin)
        layout.addLayout(form)
        reason_label = QtWidgets.QLabel("Lý do thay đổi:")
        layout.addWidget(reason_label)
        self.reason = QtWidgets.QLineEdit()
        self.reason.setPlaceholderText("ví dụ: theo hướng dẫn của đảng ủy phường")
        reason_label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        buttons = self.buttons
        save = buttons.addButton("Lưu", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        save.setAutoDefault(False)
        reset = buttons.addButton("Về mặc định", QtWidgets.QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton("Hủy", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        reset.clicked.connect(self.reset_defaults)

    def reset_defaults(self) -> None:
        defaults = RuleConfig()
        for name, box in self.checks.items():
            box.setChecked(bool(getattr(defaults, name)))
        for name, spin in self.numbers.items():
            if isinstance(spin, QtWidgets.QDoubleSpinBox):
                spin.setValue(float(getattr(defaults, name)))
            elif isinstance(spin, QtWidgets.QSpinBox):
                spin.setValue(int(getattr(defaults, name)))

    def collect(self) -> RuleConfig:
        values: dict[str, Any] = {name: box.isChecked() for name, box in self.checks.items()}
        for name, spin in self.numbers.items():
            if isinstance(spin, QtWidgets.QDoubleSpinBox):
                values[name] = float(spin.value())
            elif isinstance(spin, QtWidgets.QSpinBox):
                values[name] = int(spin.value())
        return RuleConfig(**values)

    def save(self) -> None:
        config = self.collect()
        reason = self.reason.text()
        book = self.ctx.book  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: voting_rules.set_rules(book, config=config, reason=reason),
            on_success=lambda _c: self.accept(),
            on_failure=lambda e: self.error.setText(str(e)),
        )

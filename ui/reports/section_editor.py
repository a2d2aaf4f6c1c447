"""One section of a report being edited: its numbered title and its text."""

from __future__ import annotations

from app.services.upward_reports import ReportSection
from ui.qt import QtWidgets
from ui.style import set_role

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


class SectionEditor(QtWidgets.QGroupBox):
    """One section: its (numbered) title and its text; the drafted table is kept as is."""

    def __init__(self, section: ReportSection, number: int | None) -> None:
        title = (
            f"{ROMAN[number] if number < len(ROMAN) else number + 1}. {section.title}"
            if number is not None
            else "Phần mở đầu"
        )
        super().__init__(title)
        self.section = section
        layout = QtWidgets.QVBoxLayout(self)
        self.body = QtWidgets.QPlainTextEdit(section.body)
        lines = max(3, min(14, section.body.count("\n") + 2 + len(section.body) // 90))
        self.body.setMinimumHeight(self.fontMetrics().height() * lines)
        layout.addWidget(self.body)
        if section.table is not None:
            note = QtWidgets.QLabel(
                f"Kèm bảng số liệu ({len(section.table.rows)} dòng: "
                f"{', '.join(section.table.columns)}) — cập nhật bằng nút “Cập nhật số liệu”."
            )
            note.setWordWrap(True)
            set_role(note, "hint")
            layout.addWidget(note)

    def value(self) -> ReportSection:
        return ReportSection(self.section.title, self.body.toPlainText(), self.section.table)

"""Small pieces of the dues window: the month picker, amounts typed the Vietnamese way, the
save dialog for PDF or .xlsx (starting in Documents)."""

from __future__ import annotations

import datetime as dt

from app.errors import ValidationError
from app.services.dues import money
from ui.qt import QtCore, QtWidgets, Signal
from ui.widgets.file_dialogs import FileKind, save_file_and_filter

MONTH_NAMES = [f"Tháng {i}" for i in range(1, 13)]


def this_month(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


class MonthPicker(QtWidgets.QWidget):
    """A month as MM/YYYY: the month from a list, the year in a box, and ◀ ▶ to step.
    `month()` is "YYYY-MM"; `changed` says the new month."""

    changed = Signal(str)

    def __init__(
        self,
        month: str | None = None,
        parent: QtWidgets.QWidget | None = None,
        *,
        steps: bool = True,
    ) -> None:
        super().__init__(parent)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.previous = QtWidgets.QToolButton()
        self.previous.setText("◀")
        self.previous.setToolTip("Tháng trước")
        self.month_box = QtWidgets.QComboBox()
        self.month_box.addItems(MONTH_NAMES)
        self.month_box.setMaxVisibleItems(12)
        self.year_box = QtWidgets.QSpinBox()
        self.year_box.setRange(1930, 2200)
        self.year_box.setAccessibleName("Năm")
        self.next = QtWidgets.QToolButton()
        self.next.setText("▶")
        self.next.setToolTip("Tháng sau")
        if steps:
            row.addWidget(self.previous)
        row.addWidget(self.month_box)
        row.addWidget(QtWidgets.QLabel("/"))
        row.addWidget(self.year_box)
        if steps:
            row.addWidget(self.next)
        row.addStretch(1)
        self.previous.setVisible(steps)
        self.next.setVisible(steps)
        self.set_month(month or this_month())
        self.month_box.currentIndexChanged.connect(self._emit)
        self.year_box.valueChanged.connect(self._emit)
        self.previous.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))

    def month(self) -> str:
        return f"{self.year_box.value():04d}-{self.month_box.currentIndex() + 1:02d}"

    def set_month(self, month: str) -> None:
        year, mon = (int(p) for p in month.split("-"))
        if month == getattr(self, "_last", None):
            return
        for box in (self.month_box, self.year_box):
            box.blockSignals(True)
        self.year_box.setValue(year)
        self.month_box.setCurrentIndex(mon - 1)
        for box in (self.month_box, self.year_box):
            box.blockSignals(False)
        self._emit()

    def step(self, count: int) -> None:
        year, mon = (int(p) for p in self.month().split("-"))
        index = year * 12 + mon - 1 + count
        self.set_month(f"{index // 12:04d}-{index % 12 + 1:02d}")

    def _emit(self, *_args: object) -> None:
        current = self.month()
        if current != getattr(self, "_last", None):
            self._last = current
            self.changed.emit(current)


def parse_amount(text: str, *, field: str = "amount", what: str = "Số tiền") -> int | None:
    """ "52000", "52.000", "52,000 đ" → 52000; empty → None; anything else a clear sentence."""
    raw = text.strip().lower().removesuffix("đồng").removesuffix("đ").strip()
    raw = raw.replace(".", "").replace(",", "").replace(" ", "")
    if not raw:
        return None
    if raw.startswith("-"):
        raise ValidationError(f"{what} không được âm (nhận được {text.strip()}).", field=field)
    if not raw.isdigit():
        raise ValidationError(
            f"Không hiểu {what.lower()} “{text.strip()}”; hãy ghi số đồng, ví dụ 52.000.",
            field=field,
        )
    return int(raw)


def amount_text(value: int | None) -> str:
    return "" if value is None else money(value)


def group_digits_as_typed(edit: QtWidgets.QLineEdit) -> None:
    """Show an amount with thousands dots while it is typed ("8000000" → "8.000.000"), the
    cursor staying after the same digit; anything that is not plain digits is left alone
    (parse_amount then says what is wrong)."""

    def regroup(text: str) -> None:
        raw = text.replace(".", "").replace(" ", "")
        if not raw.isdigit():
            return
        grouped = money(int(raw)) if len(raw) < 16 else raw
        if grouped == text:
            return
        digits_before = sum(ch.isdigit() for ch in text[: edit.cursorPosition()])
        edit.setText(grouped)
        pos, seen = 0, 0
        while pos < len(grouped) and seen < digits_before:
            seen += grouped[pos].isdigit()
            pos += 1
        edit.setCursorPosition(pos)

    edit.textEdited.connect(regroup)


PDF_FILTER = "Tệp PDF (*.pdf)"
XLSX_FILTER = "Bảng tính Excel (*.xlsx)"


def ask_save_path(
    parent: QtWidgets.QWidget | None, title: str, suggested: str, *, xlsx: bool = False
) -> str:
    """A save dialog starting where the last paper went (else Documents), for a PDF (or an
    .xlsx when allowed); the chosen filter decides the suffix when none was typed. '' when
    cancelled."""
    filters = f"{PDF_FILTER};;{XLSX_FILTER}" if xlsx else PDF_FILTER
    path, chosen = save_file_and_filter(parent, FileKind.PDF, title, suggested, filters)
    if not path:
        return ""
    lower = path.lower()
    if lower.endswith(".pdf") or (xlsx and lower.endswith(".xlsx")):
        return path
    return path + (".xlsx" if chosen == XLSX_FILTER else ".pdf")


def fixed_line_height(label: QtWidgets.QLabel, lines: int = 1) -> None:
    """Keep a status or figures label at a constant height (the layout never moves)."""
    label.setFixedHeight(label.fontMetrics().lineSpacing() * lines + 6)
    label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)


def align_right() -> QtCore.Qt.AlignmentFlag:
    return QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter

"""Date and time fields typed in one go: "05/11/2025", "5/11/2025", "05112025", "19:30".

QDateEdit makes the user type day, month and year segment by segment and opens its calendar
at January 2000 when it has no date. `DateEdit` is a plain text field that reads the whole
date when the user leaves it (or presses Enter), rewrites it as dd/mm/yyyy, and says in red
under the field what is wrong ("31/02/2026 không phải là ngày có thật."). Its calendar
button opens a Vietnamese calendar at the field's date, or — when empty — at the related
"từ" field's date (`follow`) or today.
"""

from __future__ import annotations

import datetime as dt
import re

from app.errors import ValidationError
from ui.qt import QtCore, QtWidgets, Signal
from ui.style import error_label

DATE_HINT = "ngày/tháng/năm, ví dụ 05/11/2025"
TIME_HINT = "giờ:phút, ví dụ 19:30"

_SEPARATED = re.compile(r"^\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})\s*$")
_DIGITS = re.compile(r"^\s*(\d{2})(\d{2})(\d{4}|\d{2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:[:hHgG.]\s*(\d{1,2})?\s*(?:p|ph|phút)?)?\s*$")
_TIME_DIGITS = re.compile(r"^\s*(\d{1,2})(\d{2})\s*$")


def _full_year(year: str) -> int:
    value = int(year)
    if len(year) == 2:  # "25" → 2025; "95" → 1995 (birth years)
        century = 2000 if value <= dt.date.today().year % 100 + 10 else 1900
        value += century
    return value


def parse_date(text: str) -> dt.date | None:
    """The date typed as dd/mm/yyyy (also d/m/yyyy, dd.mm.yyyy, dd-mm-yyyy, ddmmyyyy or a
    two-digit year); None when empty. Raises ValidationError with a Vietnamese sentence."""
    text = text.strip()
    if not text:
        return None
    match = _SEPARATED.match(text) or _DIGITS.match(text)
    if match is None:
        raise ValidationError(f"“{text}” chưa đúng dạng ngày. Hãy gõ {DATE_HINT}.")
    day, month, year = int(match.group(1)), int(match.group(2)), _full_year(match.group(3))
    if not 1 <= month <= 12:
        raise ValidationError(f"“{text}”: tháng {month} không có. Tháng phải từ 1 đến 12.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"“{text}” không phải là ngày có thật (tháng {month}/{year})."
        ) from None


def parse_time(text: str) -> dt.time | None:
    """The time typed as 19:30 (also 19h30, 19.30, 1930, 19); None when empty."""
    text = text.strip()
    if not text:
        return None
    match = _TIME_DIGITS.match(text) or _TIME.match(text)
    if match is None:
        raise ValidationError(f"“{text}” chưa đúng dạng giờ. Hãy gõ {TIME_HINT}.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValidationError(
            f"“{text}” không phải là giờ có thật. Giờ từ 0 đến 23, phút từ 0 đến 59."
        )
    return dt.time(hour, minute)


def format_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


class _TypedField(QtWidgets.QWidget):
    """A line edit plus a red message line under it; the value is read when editing ends."""

    changed = Signal(object)

    def __init__(
        self, parent: QtWidgets.QWidget | None, *, optional: bool, hint: str, width_text: str
    ) -> None:
        super().__init__(parent)
        self.optional = optional
        self._value: object | None = None
        self._problem = ""
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.row = QtWidgets.QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.edit = QtWidgets.QLineEdit()
        self.edit.setPlaceholderText(width_text)
        self.edit.setToolTip(f"Gõ {hint}." + (" Để trống nếu không có." if optional else ""))
        self.edit.setAccessibleDescription(hint)
        metrics = self.edit.fontMetrics()
        self.edit.setMinimumWidth(metrics.horizontalAdvance(width_text + "MM") + 12)
        self.edit.editingFinished.connect(self._read)
        self.edit.textEdited.connect(self._typing)
        self.row.addWidget(self.edit)
        outer.addLayout(self.row)
        self.message = error_label()
        self.message.hide()
        outer.addWidget(self.message)
        self.setFocusProxy(self.edit)

    # parsing and display are the subclass's
    def _parse(self, text: str) -> object | None:
        raise NotImplementedError

    def _format(self, value: object | None) -> str:
        raise NotImplementedError

    def _typing(self, _text: str) -> None:
        if self._problem:  # the user is fixing it: no red while typing
            self._show_problem("")

    def _read(self) -> bool:
        """Read the typed text; True when it is a value (or an allowed empty)."""
        try:
            value = self._parse(self.edit.text())
        except ValidationError as error:
            self._show_problem(str(error))
            if self._value is not None:  # what is shown is not a value: nothing is kept
                self._value = None
                self.changed.emit(None)
            return False
        self._show_problem("")
        if value is not None:
            self.edit.setText(self._format(value))
        if value != self._value:
            self._value = value
            self.changed.emit(value)
        return True

    def _show_problem(self, text: str) -> None:
        self._problem = text
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.edit.setProperty("invalid", bool(text))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)

    def problem(self) -> str:
        """What is wrong with the typed text ('' when nothing)."""
        return self._problem

    def is_acceptable(self, label: str = "") -> bool:
        """Read the text now; False (with the message shown and focus here) when it is not a
        value, or empty where one is required."""
        if not self._read():
            self.edit.setFocus()
            return False
        if self._value is None and not self.optional:
            name = label.rstrip(":") or "Ô này"
            self._show_problem(f"{name} chưa có. Hãy gõ {self._hint()}.")
            self.edit.setFocus()
            return False
        return True

    def _hint(self) -> str:
        return DATE_HINT

    def clear(self) -> None:
        self.edit.clear()
        self._show_problem("")
        if self._value is not None:
            self._value = None
            self.changed.emit(None)


class DateEdit(_TypedField):
    """A date typed in one go, with a Vietnamese calendar button. `date()` is None when empty
    (allowed only with optional=True) or when the typed text is not a date."""

    def __init__(
        self,
        value: dt.date | None = None,
        parent: QtWidgets.QWidget | None = None,
        *,
        optional: bool = False,
        follow: DateEdit | None = None,
    ) -> None:
        super().__init__(parent, optional=optional, hint=DATE_HINT, width_text="dd/mm/yyyy")
        self.follow = follow
        self.minimum: dt.date | None = None
        self.maximum: dt.date | None = None
        self.button = QtWidgets.QToolButton()
        self.button.setText("Lịch…")
        self.button.setToolTip("Chọn ngày trên lịch")
        self.button.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.open_calendar)
        self.row.addWidget(self.button)
        self.calendar: QtWidgets.QCalendarWidget | None = None
        self._popup: QtWidgets.QFrame | None = None
        self.set_date(value)

    def _parse(self, text: str) -> dt.date | None:
        day = parse_date(text)
        if day is not None and self.minimum is not None and day < self.minimum:
            raise ValidationError(f"Ngày {format_date(day)} sớm hơn {format_date(self.minimum)}.")
        if day is not None and self.maximum is not None and day > self.maximum:
            raise ValidationError(f"Ngày {format_date(day)} muộn hơn {format_date(self.maximum)}.")
        return day

    def _format(self, value: object | None) -> str:
        return format_date(value if isinstance(value, dt.date) else None)

    def date(self) -> dt.date | None:
        return self._value if isinstance(self._value, dt.date) else None

    def required_date(self) -> dt.date:
        """The date, for a required field already checked with is_acceptable()."""
        day = self.date()
        if day is None:
            raise ValidationError(f"Chưa có ngày. Hãy gõ {DATE_HINT}.")
        return day

    def set_date(self, day: dt.date | None) -> None:
        self.edit.setText(format_date(day))
        self._show_problem("")
        if day != self._value:
            self._value = day
            self.changed.emit(day)

    def setDate(self, value: QtCore.QDate | dt.date | None) -> None:
        """QDateEdit's setter, so code written for it keeps working."""
        if isinstance(value, QtCore.QDate):
            value = dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
        self.set_date(value)

    def set_range(self, minimum: dt.date | None, maximum: dt.date | None) -> None:
        self.minimum, self.maximum = minimum, maximum

    def start_date(self) -> dt.date:
        """Where the calendar opens: this date, else the "từ" date it follows, else today."""
        day = self.date()
        if day is None and self.follow is not None:
            day = self.follow.date()
        day = day or dt.date.today()
        if self.minimum is not None and day < self.minimum:
            day = self.minimum
        if self.maximum is not None and day > self.maximum:
            day = self.maximum
        return day

    def open_calendar(self) -> None:
        self._read()
        popup = QtWidgets.QFrame(self, QtCore.Qt.WindowType.Popup)
        popup.setFrameShape(QtWidgets.QFrame.Shape.Box)
        layout = QtWidgets.QVBoxLayout(popup)
        layout.setContentsMargins(2, 2, 2, 2)
        calendar = QtWidgets.QCalendarWidget()
        calendar.setLocale(
            QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)
        )
        calendar.setFirstDayOfWeek(QtCore.Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        calendar.setVerticalHeaderFormat(
            QtWidgets.QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader
        )
        if self.minimum is not None:
            calendar.setMinimumDate(_qdate(self.minimum))
        if self.maximum is not None:
            calendar.setMaximumDate(_qdate(self.maximum))
        start = self.start_date()
        calendar.setSelectedDate(_qdate(start))
        calendar.setCurrentPage(start.year, start.month)
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        layout.addWidget(calendar)
        self.calendar, self._popup = calendar, popup
        popup.adjustSize()
        below = self.edit.mapToGlobal(QtCore.QPoint(0, self.edit.height()))
        screen = self.screen().availableGeometry()
        x = min(max(below.x(), screen.left()), screen.right() - popup.width())
        y = (
            below.y()
            if below.y() + popup.height() <= screen.bottom()
            else (self.edit.mapToGlobal(QtCore.QPoint(0, 0)).y() - popup.height())
        )
        popup.move(x, max(y, screen.top()))
        popup.show()
        calendar.setFocus()

    def _picked(self, value: QtCore.QDate) -> None:
        self.set_date(dt.date(value.year(), value.month(), value.day()))
        if self._popup is not None:
            self._popup.close()
            self._popup.deleteLater()
            self._popup, self.calendar = None, None
        self.edit.setFocus()


class TimeEdit(_TypedField):
    """A time typed in one go: "19:30" (also "1930", "19h30", "19")."""

    def __init__(
        self,
        value: dt.time | None = None,
        parent: QtWidgets.QWidget | None = None,
        *,
        optional: bool = False,
    ) -> None:
        super().__init__(parent, optional=optional, hint=TIME_HINT, width_text="hh:mm")
        self.set_time(value)

    def _hint(self) -> str:
        return TIME_HINT

    def _parse(self, text: str) -> dt.time | None:
        return parse_time(text)

    def _format(self, value: object | None) -> str:
        return f"{value:%H:%M}" if isinstance(value, dt.time) else ""

    def time(self) -> dt.time | None:
        return self._value if isinstance(self._value, dt.time) else None

    def required_time(self) -> dt.time:
        value = self.time()
        if value is None:
            raise ValidationError(f"Chưa có giờ. Hãy gõ {TIME_HINT}.")
        return value

    def setTime(self, value: QtCore.QTime | dt.time | None) -> None:
        """QTimeEdit's setter, so code written for it keeps working."""
        if isinstance(value, QtCore.QTime):
            value = dt.time(value.hour(), value.minute()) if value.isValid() else None
        self.set_time(value)

    def set_time(self, value: dt.time | None) -> None:
        if value is not None:
            value = value.replace(second=0, microsecond=0)
        self.edit.setText(self._format(value))
        self._show_problem("")
        if value != self._value:
            self._value = value
            self.changed.emit(value)


def _qdate(day: dt.date) -> QtCore.QDate:
    return QtCore.QDate(day.year, day.month, day.day)

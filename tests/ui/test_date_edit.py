"""Dates typed in one go, impossible ones refused with a visible message, calendars at today."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import ValidationError
from ui.qt import QtCore, QtWidgets
from ui.translations import install_vietnamese
from ui.widgets.date_edit import DateEdit, TimeEdit, parse_date, parse_time


@pytest.fixture
def vi(qapp: QtWidgets.QApplication) -> QtWidgets.QApplication:
    install_vietnamese(qapp)
    return qapp


def _type(field: DateEdit | TimeEdit, text: str) -> None:
    field.edit.setFocus()
    field.edit.setText(text)
    field.edit.editingFinished.emit()


@pytest.mark.parametrize("text", ["05/11/2025", "5/11/2025", "05112025", "5.11.2025", "5-11-25"])
def test_a_date_is_typed_in_one_go(vi: QtWidgets.QApplication, text: str) -> None:
    field = DateEdit()
    field.show()
    _type(field, text)
    assert field.date() == dt.date(2025, 11, 5)
    assert field.edit.text() == "05/11/2025"
    assert field.message.isHidden()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31/02/2026", "không phải là ngày có thật"),
        ("12/13/2026", "tháng 13 không có"),
        ("hôm qua", "chưa đúng dạng ngày"),
    ],
)
def test_an_impossible_date_is_refused_with_a_visible_message(
    vi: QtWidgets.QApplication, text: str, says: str
) -> None:
    field = DateEdit(dt.date(2026, 1, 1))
    field.show()
    _type(field, text)
    assert field.date() is None
    assert field.edit.text() == text  # what she typed stays, to be corrected
    assert field.message.isVisible()
    assert says in field.message.text()
    assert not field.is_acceptable("Ngày nhận:")
    _type(field, "28/02/2026")
    assert field.date() == dt.date(2026, 2, 28)
    assert field.message.isHidden()


def test_empty_is_allowed_only_when_optional(vi: QtWidgets.QApplication) -> None:
    optional, required = DateEdit(optional=True), DateEdit()
    optional.show()
    required.show()
    assert optional.is_acceptable("Hạn nộp:") and optional.date() is None
    assert not required.is_acceptable("Ngày nhận:")
    assert required.message.text().startswith("Ngày nhận chưa có.")


def test_an_empty_picker_opens_at_today(vi: QtWidgets.QApplication) -> None:
    field = DateEdit(optional=True)
    field.show()
    field.open_calendar()
    assert field.calendar is not None
    today = dt.date.today()
    assert (field.calendar.yearShown(), field.calendar.monthShown()) == (today.year, today.month)
    assert field.calendar.locale().language() == QtCore.QLocale.Language.Vietnamese
    field.calendar.clicked.emit(QtCore.QDate(today.year, today.month, 1))
    assert field.date() == today.replace(day=1)
    assert field.edit.text() == f"01/{today:%m/%Y}"


def test_an_empty_until_field_opens_at_its_from_date(vi: QtWidgets.QApplication) -> None:
    start = DateEdit(dt.date(2027, 3, 14))
    until = DateEdit(optional=True, follow=start)
    until.show()
    until.open_calendar()
    assert until.calendar is not None
    assert (until.calendar.yearShown(), until.calendar.monthShown()) == (2027, 3)


def test_times_are_typed_in_one_go(vi: QtWidgets.QApplication) -> None:
    field = TimeEdit()
    field.show()
    for text in ("19:30", "1930", "19h30", "19.30"):
        _type(field, text)
        assert field.time() == dt.time(19, 30)
        assert field.edit.text() == "19:30"
    _type(field, "25:00")
    assert field.time() is None and "không phải là giờ có thật" in field.message.text()


def test_parsers_refuse_what_is_not_a_date_or_time() -> None:
    assert parse_date("") is None and parse_time(" ") is None
    assert parse_date("29/02/2028") == dt.date(2028, 2, 29)
    with pytest.raises(ValidationError):
        parse_date("29/02/2027")
    with pytest.raises(ValidationError):
        parse_time("19:75")

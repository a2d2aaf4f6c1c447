"""Sinh hoạt list: a meeting called for next January is listed by default, a new meeting is
selected so Điểm danh acts on it, and the create dialog fits the screen with its message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.book import Book
from tests.app.test_meetings_support import days_ago, make_branch, new_meeting
from ui.meetings import section as section_module
from ui.meetings.section import MeetingDialog, MeetingsSection
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext


def _section(qtbot: object, ctx: AppContext) -> MeetingsSection:
    section = MeetingsSection(ctx)
    qtbot.addWidget(section)  # type: ignore[attr-defined]
    section.show()
    section.refresh(None)
    return section


def test_a_meeting_next_january_is_listed_by_default(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    this_year = dt.date.today().year
    old = new_meeting(book, at=dt.datetime(this_year - 1, 6, 5, 19, 30))
    recent = new_meeting(book, at=days_ago(3))
    january = new_meeting(book, at=dt.datetime(this_year + 1, 1, 8, 19, 30))
    section = _section(qtbot, ctx)
    listed = {item.meeting.id for item in section.model.items}
    assert january.id in listed and recent.id in listed
    assert old.id not in listed  # last year's meetings: choose the year or "Tất cả"
    section.year.setCurrentIndex(section.year.findData(this_year - 1))
    assert {item.meeting.id for item in section.model.items} == {old.id}


def test_after_creating_a_meeting_it_is_selected_for_the_roll_call(
    qtbot: object, ctx: AppContext, book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_branch(book)
    older = new_meeting(book, at=days_ago(10))
    section = _section(qtbot, ctx)
    section.select(older.id)
    assert section.selected_id() == older.id
    when = dt.date(dt.date.today().year + 1, 1, 3)

    class Filled(MeetingDialog):
        def exec(self) -> int:
            self.place.setText("Nhà văn hóa khu phố 3")
            self.date.setDate(QtCore.QDate(when.year, when.month, when.day))
            self.save()
            return self.result()

    monkeypatch.setattr(section_module, "MeetingDialog", Filled)
    section.create_meeting()
    chosen = section.selected()
    assert chosen is not None and chosen.starts_at.date() == when
    opened: list[str] = []

    class FakeRollCall:
        def __init__(self, _ctx: Any, meeting_id: str, **_kw: Any) -> None:
            opened.append(meeting_id)

        def setWindowState(self, _state: Any) -> None:
            pass

        def exec(self) -> int:
            return 0

    import ui.meetings.roll_call as roll_call_module

    monkeypatch.setattr(roll_call_module, "RollCallDialog", FakeRollCall)
    section.buttons["roll"].click()
    assert opened == [chosen.id]


def test_create_dialog_fits_and_shows_its_message(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    dialog = MeetingDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitExposed(dialog)  # type: ignore[attr-defined]
    avail = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= avail.height()
    dialog.place.clear()
    dialog.save()
    assert dialog.error.text()
    qtbot.wait(10)  # type: ignore[attr-defined]
    bottom = dialog.error.mapTo(dialog, dialog.error.rect().bottomLeft()).y()
    assert dialog.error.isVisible() and bottom <= dialog.height()
    ok = dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().bottomLeft()).y()
    assert ok <= dialog.height()
    assert isinstance(dialog.scroll_area, QtWidgets.QScrollArea)

"""Minutes editor, as a new secretary meets it: an opinion typed under one agenda item stays
with that item (F5); adopting checks the end time before asking, and shows the field (F6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.book import Book
from app.services import attendance, meetings
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.meetings.minutes_editor import MinutesEditor
from ui.qt import QtCore
from ui.widgets.section import AppContext


def _editor(qtbot: Any, ctx: AppContext, meeting_id: str) -> MinutesEditor:
    editor = MinutesEditor(ctx, meeting_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    return editor


def _click_item(qtbot: Any, editor: MinutesEditor, row: int) -> None:
    view = editor.section_list
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=rect.center())


def test_an_opinion_typed_under_item_one_stays_with_item_one(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)
    editor = _editor(qtbot, ctx, m.id)
    _click_item(qtbot, editor, 0)
    assert editor.section_list.currentRow() == 0
    opinion = "Đề nghị bổ sung danh sách đảng viên cao tuổi được miễn sinh hoạt."
    editor.speech.insert(opinion)  # as typed (keyClicks sends Latin-1 only)
    qtbot.keyClick(editor.speech, QtCore.Qt.Key.Key_Return)
    assert editor.error.text() == "Vui lòng chọn hoặc ghi tên người phát biểu."

    _click_item(qtbot, editor, 1)  # on to item 2: its own, empty opinion line
    assert editor.section_list.currentRow() == 1
    assert editor.speech.text() == ""
    assert editor.error.text() == ""
    assert editor.discussion.rowCount() == 0

    _click_item(qtbot, editor, 0)  # back to item 1: the unfinished opinion is there again
    assert editor.speech.text() == opinion
    editor.speaker.setCurrentText("Lê Văn Tám")
    qtbot.mouseClick(editor.add_speech_button, QtCore.Qt.MouseButton.LeftButton)
    assert editor.error.text() == ""
    assert editor.speech.text() == ""
    editor.save()
    assert editor.error.text() == ""
    saved = meetings.get_minutes(book, meeting_id=m.id).sections
    assert [(d.speaker, d.text) for d in saved[0].discussion] == [("Lê Văn Tám", opinion)]
    assert saved[1].discussion == ()


def test_an_opinion_left_unadded_counts_as_unsaved_work(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    editor = _editor(qtbot, ctx, m.id)
    _click_item(qtbot, editor, 0)
    editor.speech.insert("Ý kiến ghi dở")
    _click_item(qtbot, editor, 1)
    assert editor.has_unsaved_changes()
    ctx.message.auto_answer = False
    editor.reject()
    assert editor.isVisible()
    assert ctx.message.shown[-1][1] == "Biên bản chưa lưu"


def test_adopt_without_an_end_time_says_so_before_asking_and_shows_the_field(
    qtbot: Any, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)
    editor = _editor(qtbot, ctx, m.id)
    editor.resize(1100, 460)  # a short screen: the top of the form scrolls out of sight
    qtbot.waitExposed(editor)
    bar = editor.scroll_area.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    viewport = editor.scroll_area.viewport()

    def in_sight() -> bool:
        top_left = editor.ends_at.mapTo(viewport, QtCore.QPoint(0, 0))
        return viewport.rect().contains(QtCore.QRect(top_left, editor.ends_at.edit.size()))

    assert not in_sight()
    assert not editor.has_end.isChecked()
    ctx.message.auto_answer = True
    editor.adopt()
    assert ctx.message.shown == []  # not asked to confirm first
    assert editor.error.text() == (
        "Vui lòng ghi giờ kết thúc cuộc họp trước khi thông qua biên bản."
    )
    assert in_sight()
    assert editor.focusWidget() is editor.ends_at.edit
    assert meetings.get(book, meeting_id=m.id).state != "closed"

    editor.ends_at.edit.clear()
    qtbot.keyClicks(editor.ends_at.edit, "21:45")  # typing the time ticks its box
    assert editor.has_end.isChecked()
    editor.adopt()
    assert [title for _kind, title, _text in ctx.message.shown] == ["Thông qua biên bản"]
    closed = meetings.get(book, meeting_id=m.id)
    assert closed.state == "closed"
    assert closed.ends_at is not None and closed.ends_at.time() == dt.time(21, 45)

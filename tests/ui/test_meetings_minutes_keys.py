"""Minutes editor on a real screen: Enter adds an opinion (never a section), removing a section
asks, the dialog fits a 1366×768 screen, printing prints what is on screen."""

from __future__ import annotations

from pathlib import Path

from app.book import Book
from app.services import meetings
from tests.app.test_meetings_support import make_branch, new_meeting, pdf_text
from ui.meetings.minutes_editor import MinutesEditor
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext


def _editor(qtbot: object, ctx: AppContext, meeting_id: str) -> MinutesEditor:
    editor = MinutesEditor(ctx, meeting_id)
    qtbot.addWidget(editor)  # type: ignore[attr-defined]
    editor.show()
    editor.activateWindow()
    # waitActive is a context manager: called bare it waits for nothing.
    qtbot.waitUntil(editor.isActiveWindow)  # type: ignore[attr-defined]
    return editor


def test_enter_in_the_discussion_adds_an_opinion_not_a_section(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    editor = _editor(qtbot, ctx, m.id)
    sections = editor.section_list.count()
    editor.section_list.setCurrentRow(1)
    editor.speaker.setCurrentText("Lê Văn Tám")
    editor.speech.setFocus()
    qtbot.keyClicks(editor.speech, "De nghi hoc tap buoi sang")  # type: ignore[attr-defined]
    qtbot.keyClick(editor.speech, QtCore.Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.keyClicks(editor.speech, "Dong y")  # type: ignore[attr-defined]
    qtbot.keyClick(editor.speech, QtCore.Qt.Key.Key_Enter)  # type: ignore[attr-defined]
    assert editor.section_list.count() == sections
    assert editor.section_list.currentRow() == 1
    assert [e.text for e in editor.discussion.entries] == ["De nghi hoc tap buoi sang", "Dong y"]
    assert not [
        b for b in editor.findChildren(QtWidgets.QPushButton) if b.isDefault() or b.autoDefault()
    ]


def test_removing_a_section_asks_first(qtbot: object, ctx: AppContext, book: Book) -> None:
    make_branch(book)
    m = new_meeting(book)
    editor = _editor(qtbot, ctx, m.id)
    count = editor.section_list.count()
    editor.section_list.setCurrentRow(0)
    ctx.message.auto_answer = False
    editor.remove_section_button.click()
    assert editor.section_list.count() == count
    assert ctx.message.shown[-1][:2] == ("ask", "Bỏ mục")
    ctx.message.auto_answer = True
    editor.remove_section_button.click()
    assert editor.section_list.count() == count - 1


def test_editor_fits_the_screen_with_its_buttons_visible(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    editor = _editor(qtbot, ctx, m.id)
    avail = editor.screen().availableGeometry()
    assert editor.frameGeometry().height() <= avail.height()
    assert editor.frameGeometry().width() <= avail.width()
    for button in (editor.save_button, editor.adopt_button, editor.pdf_button, editor.close_button):
        bottom = button.mapTo(editor, button.rect().bottomRight())
        assert button.isVisible() and bottom.y() <= editor.height(), button.text()


def test_printing_prints_the_text_on_screen(
    qtbot: object, ctx: AppContext, book: Book, tmp_path: Path
) -> None:
    make_branch(book)
    m = new_meeting(book)
    editor = _editor(qtbot, ctx, m.id)
    editor.conclusion.setPlainText("Chi bộ thống nhất tổ chức học tập vào sáng Chủ nhật.")
    out = tmp_path / "bien-ban.pdf"
    editor.write_pdf(str(out))  # no Lưu pressed before
    text = " ".join(pdf_text(out.read_bytes()))
    assert "tổ chức học tập vào sáng Chủ nhật" in text
    assert meetings.get_minutes(book, meeting_id=m.id).conclusion.startswith("Chi bộ thống nhất")
    assert ctx.message.shown[-1][0] == "info" and str(out) in ctx.message.shown[-1][2]

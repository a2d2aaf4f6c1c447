"""The minutes editor: sections from the agenda, discussion, checked votes, adopt, amend."""

from __future__ import annotations

from pathlib import Path

from app.book import Book
from app.services import attendance, audit, meetings
from tests.app.test_meetings_support import make_branch, new_meeting, pdf_text
from ui.meetings.minutes_editor import MinutesEditor
from ui.widgets.section import AppContext


def _editor(qtbot: object, ctx: AppContext, meeting_id: str) -> MinutesEditor:
    editor = MinutesEditor(ctx, meeting_id)
    qtbot.addWidget(editor)  # type: ignore[attr-defined]
    editor.show()
    return editor


def test_sections_follow_the_agenda_and_discussion_is_recorded(
    qtbot: object, qtmodeltester: object, ctx: AppContext, book: Book
) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.mark(book, meeting_id=m.id, member_id=branch.id("Phạm Thị Lan"), status="unexcused")
    attendance.mark_remaining_present(book, meeting_id=m.id)
    editor = _editor(qtbot, ctx, m.id)
    assert editor.section_list.count() == len(m.agenda)
    assert editor.section_list.item(1).text() == m.agenda[1]
    assert editor.speaker.itemText(0) != ""  # present members first in the speaker list
    editor.section_list.setCurrentRow(1)
    editor.section_content.setPlainText("Phổ biến Nghị quyết 57-NQ/TW.")
    editor.speaker.setCurrentText("Lê Văn Tám")
    editor.speech.setText("Đề nghị học tập vào buổi sáng cho đảng viên cao tuổi.")
    editor.add_speech()
    qtmodeltester.check(editor.discussion)  # type: ignore[attr-defined]
    assert editor.discussion.rowCount() == 1
    editor.section_conclusion.setPlainText("Học tập vào sáng Chủ nhật.")
    editor.section_list.setCurrentRow(2)  # moving on keeps what was typed
    editor.number.setText("05-BB/CB")
    editor.save()
    assert editor.error.text() == ""
    saved = meetings.get_minutes(book, meeting_id=m.id)
    sec = saved.sections[1]
    assert sec.content == "Phổ biến Nghị quyết 57-NQ/TW."
    assert [(d.speaker, d.text) for d in sec.discussion] == [
        ("Lê Văn Tám", "Đề nghị học tập vào buổi sáng cho đảng viên cao tuổi.")
    ]
    assert sec.conclusion == "Học tập vào sáng Chủ nhật."
    assert saved.number == "05-BB/CB"


def test_votes_are_checked_live_and_on_save(
    qtbot: object, qtmodeltester: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)  # 5 official present
    editor = _editor(qtbot, ctx, m.id)
    editor.add_vote()
    qtmodeltester.check(editor.votes)  # type: ignore[attr-defined]
    assert editor.votes.index(0, 1).data() == 5
    assert editor.votes.index(0, 4).data() == "Thông qua"
    editor.votes.setData(editor.votes.index(0, 2), "2")  # 5 + 2 > 5 present official members
    assert editor.votes.index(0, 4).data().startswith("Sai")
    editor.save()
    assert "nhiều hơn số đảng viên chính thức có mặt" in editor.error.text()
    assert meetings.get_minutes(book, meeting_id=m.id).votes == ()
    editor.votes.setData(editor.votes.index(0, 1), "3")
    editor.save()
    assert editor.error.text() == ""
    [vote] = meetings.get_minutes(book, meeting_id=m.id).votes
    assert (vote.in_favour, vote.against, vote.abstain) == (3, 2, 0)


def test_adopt_closes_and_later_changes_need_a_reason(
    qtbot: object, ctx: AppContext, book: Book, tmp_path: Path
) -> None:
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)
    editor = _editor(qtbot, ctx, m.id)
    editor.has_end.setChecked(True)
    editor.conclusion.setPlainText("Chi bộ thống nhất các nội dung.")
    editor.adopt()
    assert meetings.get(book, meeting_id=m.id).state == "closed"
    assert not editor.adopt_button.isEnabled()
    assert editor.amend_reason.isVisible()

    editor.conclusion.setPlainText("Chi bộ thống nhất; giao chi ủy hoàn thiện nghị quyết.")
    editor.save()
    assert "lý do đính chính" in editor.error.text()
    assert (
        meetings.get_minutes(book, meeting_id=m.id).conclusion == "Chi bộ thống nhất các nội dung."
    )
    editor.amend_reason.setText("Bổ sung kết luận")
    editor.save()
    assert meetings.get_minutes(book, meeting_id=m.id).conclusion.endswith("hoàn thiện nghị quyết.")
    assert [
        e.reason
        for e in audit.history(book, entity="meeting", entity_id=m.id)
        if e.action == "amend"
    ] == ["Bổ sung kết luận"]
    out = tmp_path / "bien-ban.pdf"
    editor.write_pdf(str(out))
    text = " ".join(pdf_text(out.read_bytes()))
    assert "giao chi ủy hoàn thiện nghị quyết" in text and "Bổ sung kết luận" in text


def test_closing_with_unsaved_changes_asks_first(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    editor = _editor(qtbot, ctx, m.id)
    assert not editor.has_unsaved_changes()
    editor.conclusion.setPlainText("Ghi dở")
    assert editor.has_unsaved_changes()
    ctx.message.auto_answer = False
    editor.reject()
    assert editor.isVisible()
    assert ctx.message.shown[-1][1] == "Biên bản chưa lưu"

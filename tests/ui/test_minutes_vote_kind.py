"""The minutes editor offers the kind of each vote; two thirds of the branch's official
members for a recognition, with the base and threshold shown."""

from __future__ import annotations

from app.book import Book
from app.services import attendance, meetings
from tests.app.test_meetings_support import make_branch, new_meeting
from ui.meetings.minutes_editor import MinutesEditor
from ui.widgets.section import AppContext


def test_vote_kind_combo_sets_the_rule_and_is_saved(
    qtbot: object, ctx: AppContext, book: Book
) -> None:
    make_branch(book)
    m = new_meeting(book)
    attendance.mark_remaining_present(book, meeting_id=m.id)  # the 5 official members present
    editor = MinutesEditor(ctx, m.id)
    qtbot.addWidget(editor)  # type: ignore[attr-defined]
    editor.show()
    labels = [editor.vote_kind.itemText(i) for i in range(editor.vote_kind.count())]
    assert "Công nhận đảng viên chính thức" in labels and "Kết nạp đảng viên" in labels
    editor.add_vote()
    editor.votes.setData(editor.votes.index(0, 1), "4")
    assert editor.votes.index(0, 4).data() == "Thông qua"  # a resolution: 4 of 5 counted
    editor.vote_kind.setCurrentIndex(editor.vote_kind.findData("recognition"))
    # Two thirds of the branch's official members (the exempted one, absent, left out): 4 of 5.
    assert editor.votes.votes[0].kind == "recognition"
    assert "hai phần ba" in editor.vote_result.text()
    editor.votes.setData(editor.votes.index(0, 1), "3")
    assert editor.votes.index(0, 4).data() == "Không thông qua"
    assert editor.vote_result.text().startswith("3/5 đảng viên chính thức tán thành, chưa đạt")
    editor.save()
    assert editor.error.text() == ""
    [vote] = meetings.get_minutes(book, meeting_id=m.id).votes
    assert (vote.kind, vote.in_favour) == ("recognition", 3)

"""The demo branch someone sees on first start with `--demo`: believable and complete."""

from __future__ import annotations

from pathlib import Path

from app.demo import DEMO_PASSWORD, create_demo_book
from app.services import documents, feedback, meetings, members
from app.unlock import unlock


def test_demo_branch_has_members_meetings_documents_and_feedback(tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []
    book = create_demo_book(
        tmp_path / "mau", progress=lambda done, total: steps.append((done, total))
    )
    book.close()
    assert steps[-1][0] == steps[-1][1]  # progress reached the end
    book = unlock(tmp_path / "mau", password=DEMO_PASSWORD)
    try:
        people = members.list_members(book)
        assert len(people) == 28
        assert {m.status for m in people} >= {"chinh_thuc"}
        held = [m for m in meetings.list_meetings(book) if m.state == "closed"]
        assert len(held) >= 3
        upcoming = [m for m in meetings.list_meetings(book) if m.state == "draft"]
        assert len(upcoming) == 1
        results = documents.search(book, query="so tay dang vien dien tu")
        assert results, "the demo library is searchable without marks"
        assert any(d.number == "18-KH/ĐU" for d in documents.list_documents(book))
        assert len(feedback.list_feedback(book)) == 2
    finally:
        book.close()

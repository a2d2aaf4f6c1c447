"""The committee's answer to a member's feedback comes down end to end: recorded on the
desktop, sent up, answered on the real server (CLI and API), pulled, shown as answered."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from srvkit import PROTO, Srv
from synckit import FAST, enrolled, reopen

from app.book import Book
from app.services import feedback as fb
from app.services import sync_state
from app.services.audit import ACTION_LABELS
from sync.client import run_sync
from tests.app.test_feedback_kit import make_branch

ANSWER = "Phường đã đưa việc sửa đèn đường tổ 5 vào kế hoạch quý I; dự kiến xong trước Tết."


def _forwarded(book: Book, content: str = "Đề nghị sửa đèn đường ở tổ 5, tối rất tối.") -> str:
    branch = make_branch(book)
    item = fb.add(
        book,
        data=fb.FeedbackInput(member_id=branch.id("Lê Văn Tám"), kind="de_xuat", content=content),
    )
    fb.forward(book, feedback_id=item.id)
    return item.id


def test_answer_published_on_the_server_is_pulled_and_shown(
    book: Book, srv_any: Srv, data_dir: Path
) -> None:
    srv = srv_any
    code = enrolled(book, srv)
    feedback_id = _forwarded(book)
    first = run_sync(book, policy=FAST).as_json()
    assert first["rejected"] == 0 and first["pending"] == 0

    # The committee sees the feedback, with the member's name, and answers it.
    (listed,) = srv.cli_json("feedback", "list", "--branch", code, "--state", "forwarded")
    assert listed["feedback_id"] == feedback_id
    assert listed["member_name"] == "Lê Văn Tám" and listed["kind_label"] == "Đề xuất"
    out = srv.cli_json(
        "publish", "answer", "--branch", code, "--feedback", feedback_id,
        "--answer", ANSWER, "--by", "Đảng ủy phường Quy Nhơn",
    )  # fmt: skip
    assert out["entity"] == "feedback" and out["version"] == 3

    second = run_sync(book, policy=FAST).as_json()
    assert second["pulled"] == 1 and second["pulled_feedback"] == 1
    assert second["pull_problems"] == 0 and second["needing_attention"] == 0
    book.close()

    again = reopen(data_dir)
    try:
        item = fb.get(again, feedback_id=feedback_id)
        assert item.state == "answered" and item.state_label == "Đã trả lời"
        assert item.answer == ANSWER and item.answered_by == "Đảng ủy phường Quy Nhơn"
        assert item.version == 3
        assert item.content == "Đề nghị sửa đèn đường ở tổ 5, tối rất tối."  # never touched
        latest = fb.history(again, feedback_id=feedback_id)[0]
        assert latest.actor == sync_state.UPSTREAM_ACTOR and "Cấp trên trả lời" in latest.summary
        assert latest.action_label == ACTION_LABELS["update"]
        # The answer prints for the member.
        paper = fb.answer_paper(again, feedback_id=feedback_id)
        assert ANSWER in paper.body_text
        # Nothing went back up for the pulled answer; the next local change builds on it.
        assert sync_state.status(again).pending == 0
        fb.update(
            again,
            feedback_id=feedback_id,
            content="Đề nghị sửa đèn đường ở tổ 5 (đoạn gần chợ).",
            reason="Ghi rõ vị trí theo lời đồng chí Tám",
        )
        third = run_sync(again, policy=FAST).as_json()
        assert third["acknowledged"] == 1 and third["conflicts"] == 0
    finally:
        again.close()
    (answered,) = srv.cli_json("feedback", "list", "--branch", code, "--state", "answered")
    assert answered["answer"] == ANSWER and answered["version"] == 4
    assert answered["content"] == "Đề nghị sửa đèn đường ở tổ 5 (đoạn gần chợ)."


def test_answer_through_the_api_needs_the_admin_token(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    feedback_id = _forwarded(book)
    run_sync(book, policy=FAST)
    path = f"{srv.url}/api/v1/admin/branches/{code}/feedback/{feedback_id}/answer"
    body = {"answer": "Đã chuyển phòng Kinh tế phường giải quyết.", "answered_on": "2025-01-02"}
    refused = srv.http.post(path, json=body, headers=PROTO)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    admin = {**PROTO, "Authorization": f"Bearer {srv.admin_token()}"}
    # An answer dated before the branch received the feedback is refused, in Vietnamese.
    early = srv.http.post(path, json=body, headers=admin)
    assert early.status_code == 400 and "trước ngày chi bộ nhận ý kiến" in early.json()["message"]
    body["answered_on"] = None
    done = srv.http.post(path, json=body, headers=admin)
    assert done.status_code == 200, done.text
    assert done.json()["version"] == 3
    # A correction of the answer is one more version; the desktop ends with the last one.
    body["answer"] = "Phòng Kinh tế phường đã sửa xong đèn đường ngày 20/12."
    assert srv.http.post(path, json=body, headers=admin).json()["version"] == 4
    report = run_sync(book, policy=FAST).as_json()
    assert report["pulled_feedback"] == 2
    item = fb.get(book, feedback_id=feedback_id)
    assert item.answer == body["answer"] and item.answered_by == "Đảng ủy cấp trên"
    assert item.version == 4
    listed = srv.http.get(
        f"{srv.url}/api/v1/admin/feedback", headers=admin, params={"branch": code}
    )
    assert listed.json()["feedback"][0]["state"] == "answered"


def test_unknown_feedback_or_empty_answer_is_one_vietnamese_line(
    srv: Srv, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.cli import main as server_main

    code, _enrolment = srv.new_branch()
    capsys.readouterr()
    args = ["publish", "answer", "--branch", code, "--feedback", "khong-co", "--answer", "Trả lời"]
    assert server_main([*args, "--db", srv.db_url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "chưa gửi ý kiến mã khong-co" in err[0]
    args[-1] = "   "
    assert server_main([*args, "--db", srv.db_url]) == 2
    assert "Cần nội dung trả lời" in capsys.readouterr().err


def test_keeping_the_branch_version_keeps_the_committee_answer(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    feedback_id = _forwarded(book)
    run_sync(book, policy=FAST)
    srv.cli("publish", "answer", "--branch", code, "--feedback", feedback_id, "--answer", ANSWER)
    # Before pulling the answer the secretary corrects what was taken down: both changed.
    fb.update(book, feedback_id=feedback_id, content="Sửa đèn đường tổ 5.", reason="Ghi ngắn lại")
    report = run_sync(book, policy=FAST).as_json()
    assert report["conflicts"] == 1 and report["pulled_feedback"] == 1
    (problem,) = sync_state.problems(book)
    assert problem.label == "Ý kiến đảng viên “Sửa đèn đường tổ 5.”"
    assert problem.theirs is not None and problem.theirs["answer"] == ANSWER
    sync_state.resolve_conflict(book, op_id=problem.op_id, keep="mine")
    assert run_sync(book, policy=FAST).as_json()["acknowledged"] == 1
    item = fb.get(book, feedback_id=feedback_id)
    assert (item.content, item.state, item.answer) == ("Sửa đèn đường tổ 5.", "answered", ANSWER)
    (held,) = srv.cli_json("feedback", "list", "--branch", code)
    assert (held["content"], held["state"], held["answer"]) == (item.content, "answered", ANSWER)


def test_answer_paper_prints_in_large_print(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    feedback_id = _forwarded(book)
    run_sync(book, policy=FAST)
    srv.cli("publish", "answer", "--branch", code, "--feedback", feedback_id, "--answer", ANSWER)
    run_sync(book, policy=FAST)
    from reports.printing import answer_pdf

    data = answer_pdf(fb.answer_paper(book, feedback_id=feedback_id))
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)
    assert "Đảng ủy cấp trên" in text and "Tết" in text


def test_sync_panel_shows_the_feedback_conflict_in_vietnamese(
    qtbot,  # type: ignore[no-untyped-def]
    qtmodeltester,  # type: ignore[no-untyped-def]
    book: Book,
    srv: Srv,
) -> None:
    from app.settings import Settings
    from ui.messages import Messages
    from ui.sync.section import SyncSection
    from ui.tasks import TaskRunner
    from ui.widgets.section import AppContext

    code = enrolled(book, srv)
    feedback_id = _forwarded(book)
    run_sync(book, policy=FAST)
    srv.cli("publish", "answer", "--branch", code, "--feedback", feedback_id, "--answer", ANSWER)
    fb.update(book, feedback_id=feedback_id, content="Sửa đèn đường tổ 5.", reason="Ghi ngắn")
    run_sync(book, policy=FAST)
    messages = Messages()
    messages.auto_answer = True
    ctx = AppContext(
        book=book, runner=TaskRunner(synchronous=True), settings=Settings(), message=messages
    )
    section = SyncSection(ctx)
    qtbot.addWidget(section)
    section.auto.stop()
    section.refresh(None)
    section.table.selectRow(0)
    qtmodeltester.check(section.versions)
    assert section.problems.data(section.problems.index(0, 1), 0).startswith("Ý kiến đảng viên")
    rows = {r[0]: (r[1], r[2]) for r in section.versions.rows}
    assert rows["Trạng thái"] == ("Đã chuyển cấp ủy cấp trên", "Đã trả lời")
    assert rows["Nội dung trả lời"] == ("—", ANSWER)
    assert rows["Loại"] == ("Đề xuất", "Đề xuất")
    assert "vẫn giữ câu trả lời của cấp trên" in section.detail.text()

"""Conflicts shown with both versions, rejected changes that do not block, and the pull."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from srvkit import Srv
from synckit import FAST, add_members, enrolled

from app.book import Book
from app.errors import ValidationError
from app.models import AuditEntry, Document, DocumentFile, Member, OutboxEntry
from app.services import changes, members, sync_state
from sync.client import run_sync
from sync.errors import ServerUnreachable
from sync.pull import pull
from sync.transport import Transport


def _transfer_while_editing(book: Book, srv: Srv) -> tuple[str, str]:
    code = enrolled(book, srv)
    (mid,) = add_members(book, 1, prefix="Võ Thị")
    run_sync(book, policy=FAST)
    # Upstream: the committee transfers the member out ...
    srv.cli("publish", "member", "--branch", code, "--member-id", mid, "--status", "chuyen_di",
            "--note", "Chuyển sinh hoạt về Chi bộ Khu phố 5")  # fmt: skip
    # ... while the secretary, offline, corrects the phone number.
    data = members.get(book, member_id=mid).to_input()
    data.phone = "0905 111 222"
    members.update(book, member_id=mid, data=data)
    return code, mid


def test_conflict_is_kept_with_both_versions(book: Book, srv: Srv) -> None:
    _code, mid = _transfer_while_editing(book, srv)
    report = run_sync(book, policy=FAST).as_json()
    assert report["conflicts"] == 1 and report["needing_attention"] == 1
    assert report["pulled"] == 1 and report["pulled_members"] == 1
    (problem,) = sync_state.problems(book)
    assert problem.kind == "conflict" and problem.entity == "member" and problem.entity_id == mid
    assert problem.mine is not None and problem.theirs is not None
    assert problem.mine["phone"] == "0905111222" and problem.mine["status"] == "chinh_thuc"
    assert problem.theirs["status"] == "chuyen_di" and problem.theirs["phone"] is None
    assert problem.server_version == 2
    assert "Đảng viên Võ Thị" in problem.label and problem.reason
    with pytest.raises(ValidationError):  # a conflict is resolved, never just dismissed
        sync_state.dismiss(book, op_id=problem.op_id)
    # The upstream change itself was applied locally, by the committee, without an outbox entry.
    with book.read_session() as s:
        row = s.get(Member, mid)
        assert row is not None and row.status == "chuyen_di"
        audit = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_id == mid, AuditEntry.actor == sync_state.UPSTREAM_ACTOR
            )
        ).one()
        assert "Chuyển sinh hoạt" in audit.summary
        pending = s.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")
        )
        assert pending == 0


def test_keep_mine_goes_up_on_the_servers_version(book: Book, srv: Srv) -> None:
    code, mid = _transfer_while_editing(book, srv)
    run_sync(book, policy=FAST)
    (problem,) = sync_state.problems(book)
    sync_state.resolve_conflict(book, op_id=problem.op_id, keep="mine")
    assert sync_state.status(book).needing_attention == 0
    report = run_sync(book, policy=FAST).as_json()
    assert report["acknowledged"] == 1 and report["conflicts"] == 0
    with book.read_session() as s:
        row = s.get(Member, mid)
        assert row is not None and row.phone == "0905111222" and row.status == "chinh_thuc"
        assert row.version == 3
    held = _server_fields(srv, code, mid)
    assert held["phone"] == "0905111222" and held["status"] == "chinh_thuc"


def test_take_theirs_writes_the_server_copy(book: Book, srv: Srv) -> None:
    code, mid = _transfer_while_editing(book, srv)
    run_sync(book, policy=FAST)
    (problem,) = sync_state.problems(book)
    sync_state.resolve_conflict(book, op_id=problem.op_id, keep="theirs")
    with book.read_session() as s:
        row = s.get(Member, mid)
        assert row is not None and row.status == "chuyen_di" and row.phone is None
        assert row.version == 2
    assert sync_state.status(book).needing_attention == 0
    report = run_sync(book, policy=FAST).as_json()
    assert report["sent"] == 0
    # Later edits go up on the server's version without a conflict.
    data = members.get(book, member_id=mid).to_input()
    data.notes = "Đã bàn giao hồ sơ"
    members.update(book, member_id=mid, data=data)
    assert run_sync(book, policy=FAST).as_json()["acknowledged"] == 1
    assert _server_fields(srv, code, mid)["notes"] == "Đã bàn giao hồ sơ"


def _server_fields(srv: Srv, code: str, entity_id: str) -> dict:
    import json

    from sqlalchemy import create_engine

    from server.models import Branch, Record

    engine = create_engine(srv.db_url)
    with engine.connect() as conn:
        bid = conn.execute(select(Branch.id).where(Branch.code == code)).scalar_one()
        raw = conn.execute(
            select(Record.fields_json).where(Record.branch_id == bid, Record.entity_id == entity_id)
        ).scalar_one()
    engine.dispose()
    return dict(json.loads(raw))


def test_rejected_change_does_not_block_the_queue(book: Book, srv: Srv, tmp_path: Path) -> None:
    code = enrolled(book, srv)
    out = srv.cli_json("publish", "directive", "--branch", code, "--number", "05-CT/TW",
                       "--title", "Chỉ thị về học tập và làm theo tư tưởng Hồ Chí Minh")  # fmt: skip
    run_sync(book, policy=FAST)
    # A local edit of the committee's directive (it is read-only for the branch) ...
    with book.session() as s:
        doc = s.get(Document, out["entity_id"])
        assert doc is not None and doc.source == "committee"
        base = changes.bump(doc)
        doc.tags = "học tập"
        changes.record(s, actor="Bí thư", action="update", entity="document", row=doc,
                       summary="Sửa nhãn văn bản", base_version=base)  # fmt: skip
    add_members(book, 4)  # ... followed by other work.
    report = run_sync(book, policy=FAST).as_json()
    assert report["rejected"] == 1 and report["acknowledged"] == 4
    assert srv.branch_row(code)["members"] == 4
    (problem,) = sync_state.problems(book)
    assert problem.kind == "rejected" and "Đảng ủy cấp trên" in problem.reason
    assert problem.label.startswith("Văn bản")
    # A later edit of the same document waits with it instead of going up on a wrong base.
    with book.session() as s:
        doc = s.get(Document, out["entity_id"])
        assert doc is not None
        base = changes.bump(doc)
        doc.tags = "học tập, 2025"
        changes.record(s, actor="Bí thư", action="update", entity="document", row=doc,
                       summary="Sửa nhãn", base_version=base)  # fmt: skip
    add_members(book, 1)
    report = run_sync(book, policy=FAST).as_json()
    assert report["acknowledged"] == 1 and report["sent"] == 1
    (problem,) = sync_state.problems(book)
    assert len(problem.op_ids) == 2
    sync_state.dismiss(book, op_id=problem.op_id)
    assert sync_state.status(book).needing_attention == 0 and sync_state.problems(book) == []


def test_pull_by_cursor_documents_and_files(book: Book, srv: Srv, tmp_path: Path) -> None:
    code = enrolled(book, srv)
    text = tmp_path / "nq57.txt"
    text.write_text(
        "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ", encoding="utf-8"
    )
    for i in range(5):
        srv.cli("publish", "document", "--branch", code, "--type", "NQ", "--number", f"{57 + i}-NQ/TW",
                "--title", f"Nghị quyết số {57 + i}", "--file", str(text))  # fmt: skip
    token = sync_state.device_token(book)
    transport = Transport(srv.url, token=token, policy=FAST)
    report = pull(book, transport, page_size=2)
    assert (report.pulled, report.pages, report.documents) == (5, 3, 5)
    with book.read_session() as s:
        docs = list(s.scalars(select(Document).order_by(Document.number)))
        assert [d.number for d in docs] == [f"{57 + i}-NQ/TW" for i in range(5)]
        assert {d.source for d in docs} == {"committee"}
        assert "khoa học" in docs[0].text_content
        blob = s.get(DocumentFile, docs[0].id)
        assert blob is not None and hashlib.sha256(blob.data).hexdigest() == docs[0].sha256
        cursor = sync_state.kv_get(s, sync_state.KEY_CURSOR)
        pulled_audit = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor == sync_state.UPSTREAM_ACTOR)
        )
        outbox = s.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.entity == "document")
        )
    assert cursor and pulled_audit == 5 and outbox == 0
    # Nothing new: nothing applied twice.
    assert pull(book, transport).pulled == 0
    srv.cli("publish", "notice", "--branch", code, "--title", "Thông báo lịch sinh hoạt tháng 12")
    assert pull(book, transport).pulled == 1


def test_pull_stops_cleanly_when_the_server_goes_away(book: Book, srv: Srv) -> None:
    """Page 1 is applied with its cursor; the rest comes on the next run, never twice."""
    code = enrolled(book, srv)
    for i in range(4):
        srv.cli("publish", "notice", "--branch", code, "--title", f"Thông báo số {i + 1}")
    token = sync_state.device_token(book)
    transport = Transport(srv.url, token=token, policy=FAST)
    calls = {"n": 0}
    original = transport.get_json

    def flaky(path: str, params: dict | None = None) -> dict:
        calls["n"] += 1
        if calls["n"] == 2:
            srv.thread.stop()  # the real server goes away between pages
        return original(path, params)

    transport.get_json = flaky  # type: ignore[method-assign]
    with pytest.raises(ServerUnreachable, match="Không kết nối được"):
        pull(book, transport, page_size=2)
    assert calls["n"] == 2
    with book.read_session() as s:
        titles = sorted(d.title for d in s.scalars(select(Document)))
    assert titles == ["Thông báo số 1", "Thông báo số 2"]


def test_upstream_transfer_in_creates_the_member(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    srv.cli("publish", "member", "--branch", code, "--full-name", "Đặng Thị Mai",
            "--status", "sinh_hoat_tam_thoi", "--set", "birth_date=1956-03-08", "--set", "gender=nữ")  # fmt: skip
    report = run_sync(book, policy=FAST).as_json()
    assert report["pulled_members"] == 1
    with book.read_session() as s:
        row = s.scalars(select(Member).where(Member.full_name == "Đặng Thị Mai")).one()
        assert row.status == "sinh_hoat_tam_thoi" and row.birth_date is not None
        assert row.name_search == "dang thi mai"

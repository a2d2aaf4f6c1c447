"""The same client against the server on PostgreSQL (when SOTAY_TEST_PG_URL is set)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from srvkit import Srv, pg_base_url
from synckit import FAST, add_members, enrolled

from app.book import Book
from app.services import members, sync_state
from server.runner import ServerThread, pg_create_schema, pg_drop_schema, pg_schema_url
from sync.client import run_sync

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_srv() -> Iterator[Srv]:
    base = pg_base_url()
    assert base is not None
    schema = "sotay_sync_" + uuid.uuid4().hex[:10]
    pg_create_schema(base, schema)
    url = pg_schema_url(base, schema)
    thread = ServerThread(url).start()
    try:
        yield Srv(thread, url)
    finally:
        thread.stop()
        pg_drop_schema(base, schema)


def test_round_trip_on_postgres(book: Book, pg_srv: Srv) -> None:
    code = enrolled(book, pg_srv)
    ids = add_members(book, 450)
    report = run_sync(book, policy=FAST).as_json()
    assert report["acknowledged"] == 451 and report["batches"] == 3
    assert pg_srv.branch_row(code)["members"] == 450
    pg_srv.cli(
        "publish", "member", "--branch", code, "--member-id", ids[0], "--status", "chuyen_di"
    )
    pg_srv.cli("publish", "notice", "--branch", code, "--title", "Thông báo họp chi bộ tháng 12")
    data = members.get(book, member_id=ids[0]).to_input()
    data.notes = "Sửa khi chưa nhận thay đổi từ cấp trên"
    members.update(book, member_id=ids[0], data=data)
    report = run_sync(book, policy=FAST).as_json()
    assert report["conflicts"] == 1 and report["pulled"] == 2
    (problem,) = sync_state.problems(book)
    sync_state.resolve_conflict(book, op_id=problem.op_id, keep="mine")
    assert run_sync(book, policy=FAST).as_json()["acknowledged"] == 1

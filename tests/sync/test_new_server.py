"""A book enrolled with a new or rebuilt server sends the whole book again (issue 14).

The server names itself in /api/v1/info (a random id kept in its database); the book records
the id it last synced with. Another id — or a server holding nothing of a branch that has
sent before — makes the next sync queue a snapshot of every synced row, so the new server
ends with exactly what the book holds, and sending it twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from srvkit import Srv
from synckit import FAST, add_members, enrolled

from app.book import Book
from app.models import Document, Meeting, Member
from app.services import members
from server.db import Database
from server.models import Branch, Record
from server.runner import ServerThread
from sync.client import enrol, run_sync
from sync.upload import UploadReport
from tests.sync.test_every_entity import _one_of_each


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Srv, Srv]]:
    started: list[ServerThread] = []
    try:
        servers = []
        for name in ("a", "b"):
            url = f"sqlite:///{tmp_path / f'server-{name}.db'}"
            thread = ServerThread(url).start()
            started.append(thread)
            servers.append(Srv(thread, url))
        yield servers[0], servers[1]
    finally:
        for thread in started:
            thread.stop()


def _held(srv: Srv, code: str) -> dict[tuple[str, str], tuple[int, Any, bool]]:
    """What the server holds of one branch: (entity, id) → (version, fields, deleted)."""
    db = Database(srv.db_url)
    try:
        with db.sessions() as s:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == code))
            rows = s.execute(
                select(Record.entity, Record.entity_id, Record.version, Record.fields_json,
                       Record.deleted).where(Record.branch_id == branch_id)
            ).all()  # fmt: skip
    finally:
        db.dispose()
    out: dict[tuple[str, str], tuple[int, Any, bool]] = {}
    for entity, entity_id, version, fields_json, deleted in rows:
        fields = json.loads(fields_json)
        if deleted:  # a tombstone: when it was deleted is the book's, either way
            fields.pop("deleted_at", None)
        out[(entity, entity_id)] = (version, fields, bool(deleted))
    return out


def _book_ids(book: Book, model: Any) -> set[str]:
    with book.read_session() as s:
        return set(s.scalars(select(model.id)))


def test_a_book_enrolled_with_a_new_server_sends_everything(
    book: Book, two_servers: tuple[Srv, Srv]
) -> None:
    a, b = two_servers
    code_a = enrolled(book, a)
    _one_of_each(book)
    add_members(book, 12)
    first = run_sync(book, policy=FAST)
    assert first.snapshot == 0 and first.upload.rejected == 0 and first.pending == 0
    on_a = _held(a, code_a)
    assert (
        a.http.get(f"{a.url}/api/v1/info").json()["server_id"]
        != (b.http.get(f"{b.url}/api/v1/info").json()["server_id"])
    )

    # The committee moved to a new server: the book is enrolled there and syncs.
    code_b = enrolled(book, b)
    again = run_sync(book, policy=FAST)
    assert again.snapshot > 0
    assert again.upload.rejected == 0 and again.upload.conflict == 0 and again.pending == 0
    on_b = _held(b, code_b)
    assert on_b == on_a  # every row, its version, its fields, its tombstone
    kinds = {entity for entity, _id in on_b}
    assert {"member", "meeting", "document", "attendance_event", "report"} <= kinds
    assert {i for e, i in on_b if e == "member"} == _book_ids(book, Member)
    assert {i for e, i in on_b if e == "meeting"} == _book_ids(book, Meeting)
    assert {i for e, i in on_b if e == "document"} == _book_ids(book, Document)
    # The document's file went to the new server with it.
    assert again.upload.files_uploaded == 1

    # Nothing more to send; a later change goes up as usual on top of the snapshot.
    quiet = run_sync(book, policy=FAST)
    assert quiet.snapshot == 0 and quiet.upload.sent == 0
    new = members.create(book, data=members.MemberInput(full_name="Lê Văn Mới", phone="0905123456"))
    edit = run_sync(book, policy=FAST)
    assert edit.upload.applied == 1 and edit.upload.conflict == 0
    assert _held(b, code_b)[("member", new.id)][1]["phone"] == "0905123456"


def test_an_interrupted_snapshot_finishes_and_resending_it_changes_nothing(
    book: Book, two_servers: tuple[Srv, Srv]
) -> None:
    a, b = two_servers
    code_a = enrolled(book, a)
    _one_of_each(book)
    add_members(book, 30)
    run_sync(book, policy=FAST)
    code_b = enrolled(book, b)

    class Stop(Exception):
        pass

    def stop_after_first_batch(_report: UploadReport) -> None:
        raise Stop

    with pytest.raises(Stop):
        run_sync(book, policy=FAST, batch_size=10, progress=stop_after_first_batch)
    rest = run_sync(book, policy=FAST, batch_size=10)
    assert rest.snapshot == 0  # queued once, then sent
    assert rest.upload.rejected == 0 and rest.upload.conflict == 0 and rest.pending == 0
    assert _held(b, code_b) == _held(a, code_a)

    # Back to the first server (it kept everything): the snapshot is answered as duplicates.
    again = a.cli_json("branches", "new-code", "--code", code_a)["enrolment_code"]
    enrol(book, server_url=a.url, code=again, policy=FAST)
    back = run_sync(book, policy=FAST)
    assert back.snapshot > 0
    assert back.upload.applied + back.upload.conflict + back.upload.rejected == 0
    assert back.upload.duplicate == back.upload.sent


def test_a_server_that_lost_the_branch_data_gets_it_again(
    book: Book, two_servers: tuple[Srv, Srv]
) -> None:
    a, _b = two_servers
    code = enrolled(book, a)
    add_members(book, 5)
    run_sync(book, policy=FAST)
    before = _held(a, code)
    assert {e for e, _i in before} == {"member", "branch"} and len(before) == 6
    db = Database(a.db_url)
    with db.sessions.begin() as s:  # the server's records of the branch are gone
        s.execute(delete(Record))
    db.dispose()
    report = run_sync(book, policy=FAST)
    assert report.snapshot == 6 and report.upload.applied == 6
    assert _held(a, code) == before

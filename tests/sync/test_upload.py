"""Upload against the real server: acknowledgements, replays, order, limits."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import func, select
from srvkit import Srv
from synckit import FAST, add_members, enrolled, reopen

from app.book import Book
from app.models import OutboxEntry
from app.services import attendance, meetings, members, sync_state
from sync.client import run_sync
from sync.transport import Transport
from sync.upload import next_batch


def _states(book: Book) -> dict[str, int]:
    with book.read_session() as s:
        rows = s.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all()
    return {state: int(n) for state, n in rows}


def _meeting(book: Book) -> meetings.MeetingView:
    return meetings.create(
        book,
        data=meetings.MeetingInput(
            kind="thuong_ky",
            starts_at=dt.datetime(2025, 11, 5, 8, 0),
            place="Nhà văn hóa khu phố 3",
            chair_name="Nguyễn Văn An",
            secretary_name="Trần Thị Bình",
        ),
    )


def test_enrol_then_everything_goes_up_once(book: Book, srv: Srv, data_dir) -> None:
    code = enrolled(book, srv)
    add_members(book, 5)
    _meeting(book)

    report = run_sync(book, policy=FAST).as_json()
    total = sum(_states(book).values())
    assert report["sent"] == total and report["acknowledged"] == total
    assert report["rejected"] == 0 and report["pending"] == 0
    assert _states(book) == {"applied": total}

    row = srv.branch_row(code)
    assert row["members"] == 5 and row["meetings"] == 1
    # Nothing left to send: a second run sends nothing and the server holds the same.
    again = run_sync(book, policy=FAST).as_json()
    assert again["sent"] == 0
    assert srv.branch_row(code)["members"] == 5
    state = sync_state.status(book)
    assert state.pending == 0 and state.last_sync_at is not None and state.needing_attention == 0


def test_attendance_marks_reach_the_server(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    ids = add_members(book, 2)
    meeting = _meeting(book)
    attendance.mark(book, meeting_id=meeting.id, member_id=ids[0], status="present")
    attendance.mark(book, meeting_id=meeting.id, member_id=ids[1], status="excused", reason="Ốm")
    report = run_sync(book, policy=FAST).as_json()
    assert report["rejected"] == 0
    att = srv.branch_row(code)["attendance"]
    assert att["events"] == 2 and att["present"] == 1 and att["excused"] == 1


def test_lost_answer_is_replayed_not_duplicated(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    add_members(book, 30)
    batch = next_batch(book, limit=200, skip=set())
    assert batch is not None
    # The batch reaches the server but its answer is lost (as if the client died here).
    token = sync_state.device_token(book)
    transport = Transport(srv.url, token=token, policy=FAST)
    body = {"batch_id": batch.batch_id, "branch_code": code, "changes": batch.changes}
    status, first = transport.post_gzip("/api/v1/batches", json.dumps(body).encode())
    assert status == 200 and first["replayed"] is False
    assert _states(book) == {"pending": 31}  # the branch row too

    report = run_sync(book, policy=FAST).as_json()
    assert report["replayed_batches"] == 1 and report["acknowledged"] == 31
    assert srv.branch_row(code)["members"] == 30
    assert _states(book) == {"applied": 31}
    # The replayed answer is exactly what the server said the first time.
    status, again = transport.post_gzip("/api/v1/batches", json.dumps(body).encode())
    assert again["replayed"] is True and again["results"] == first["results"]


def test_out_of_order_batches(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    run_sync(book, policy=FAST)  # the branch row
    (mid,) = add_members(book, 1, prefix="Trần Thị")
    data = members.get(book, member_id=mid).to_input()
    data.phone = "0905123456"
    members.update(book, member_id=mid, data=data)
    with book.read_session() as s:
        rows = list(
            s.scalars(
                select(OutboxEntry).where(OutboxEntry.state == "pending").order_by(OutboxEntry.seq)
            )
        )
    assert [r.base_version for r in rows] == [0, 1]
    token = sync_state.device_token(book)
    transport = Transport(srv.url, token=token, policy=FAST)

    def send(row: OutboxEntry) -> dict:
        change = {
            "op_id": row.op_id, "entity": row.entity, "entity_id": row.entity_id, "op": row.op,
            "fields": json.loads(row.fields_json), "base_version": row.base_version, "version": row.version,
        }  # fmt: skip
        body = {"batch_id": str(uuid.uuid4()), "branch_code": code, "changes": [change]}
        return transport.post_gzip("/api/v1/batches", json.dumps(body).encode())[1]["results"][0]

    assert send(rows[1])["result"] == "deferred"  # the update arrives before the create
    assert send(rows[0])["result"] == "applied"
    report = run_sync(book, policy=FAST).as_json()
    assert report["acknowledged"] == 2 and report["conflicts"] == 0
    assert _states(book) == {"applied": 3} or _states(book) == {"applied": 2, "duplicate": 1}
    pulled = srv.branch_row(code)
    assert pulled["members"] == 1


def test_oversized_change_is_rejected_alone(book: Book, srv: Srv) -> None:
    enrolled(book, srv)
    add_members(book, 3)
    with book.session() as s:
        s.add(
            OutboxEntry(
                op_id=str(uuid.uuid4()), entity="document", entity_id=str(uuid.uuid4()), op="upsert",
                fields_json=json.dumps({"title": "Tệp rất lớn", "text_content": "x" * (1100 * 1024)}),
                base_version=0, version=1,
            )
        )  # fmt: skip
    add_members(book, 3, prefix="Lê Văn")
    report = run_sync(book, policy=FAST).as_json()
    assert report["rejected"] == 1 and report["acknowledged"] == 7
    (problem,) = sync_state.problems(book)
    assert problem.kind == "rejected" and "quá lớn" in problem.reason


def test_data_survives_a_restart_of_the_program(book: Book, srv: Srv, data_dir) -> None:
    enrolled(book, srv)
    add_members(book, 2)
    run_sync(book, policy=FAST)
    book.close()
    again = reopen(data_dir)
    try:
        state = sync_state.status(again)
        assert state.enrolled and state.pending == 0 and state.last_sync_at is not None
        assert sync_state.device_token(again)
    finally:
        again.close()


@pytest.mark.parametrize("size", [1, 7])
def test_small_batches(book: Book, srv: Srv, size: int) -> None:
    code = enrolled(book, srv)
    add_members(book, 15)
    report = run_sync(book, policy=FAST, batch_size=size).as_json()
    assert report["acknowledged"] == 16 and report["batches"] == -(-16 // size)
    assert srv.branch_row(code)["members"] == 15


def test_closed_meeting_amendments_are_accepted(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    ids = add_members(book, 2)
    meeting = _meeting(book)
    for mid in ids:
        attendance.mark(book, meeting_id=meeting.id, member_id=mid, status="present")
    meetings.close(book, meeting_id=meeting.id, ends_at=dt.datetime(2025, 11, 5, 10, 30))
    assert run_sync(book, policy=FAST).as_json()["rejected"] == 0
    # An amendment after adoption (the desktop asks for a reason and audits it).
    changed = meetings.MeetingInput(
        kind="thuong_ky",
        starts_at=dt.datetime(2025, 11, 5, 8, 0),
        place="Hội trường UBND phường",
        chair_name="Nguyễn Văn An",
        secretary_name="Trần Thị Bình",
        ends_at=dt.datetime(2025, 11, 5, 10, 30),
    )
    meetings.update(book, meeting_id=meeting.id, data=changed, reason="Ghi nhầm địa điểm")
    report = run_sync(book, policy=FAST).as_json()
    assert report["acknowledged"] == 1 and report["rejected"] == 0
    row = srv.branch_row(code)
    assert row["meetings"] == 1 and row["attendance"]["present"] == 2

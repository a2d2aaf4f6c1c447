"""A server that lost a branch's records but kept its op log takes them back from the book.

A botched cleanup deletes the branch's rows of srv_record; srv_op still holds every op id the
branch sent. /me then reports 0 records, the book queues a snapshot, and the events and
report versions it replays under their own op ids must be stored again, not answered
`duplicate` from the op log. The kept report versions may have survived (then none is stored
twice) or gone with the rows (then each comes back with its op id). SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select
from srvkit import Srv
from synckit import FAST, add_members, enrolled

from app.book import Book
from app.services import attendance, meetings, sync_state
from app.services import upward_reports as ur
from server.db import Database
from server.models import Branch, Op, Record, RecordVersion
from sync.client import run_sync
from tests.app.test_feedback_kit import make_branch, month_before
from tests.sync.test_new_server import _held
from tests.sync.test_snapshot_report_versions import _amend, _versions

REASON = "Bản sửa đổi lần 1: bổ sung số đảng viên dự sinh hoạt"


def _a_synced_branch(book: Book, srv: Srv) -> str:
    """Members, a meeting with attendance marks, a report submitted then amended: all synced."""
    code = enrolled(book, srv)
    make_branch(book)
    ids = add_members(book, 4)
    meeting = meetings.create(
        book,
        data=meetings.MeetingInput(
            kind="thuong_ky",
            starts_at=dt.datetime(2025, 11, 5, 8, 0),
            place="Nhà văn hóa khu phố 3",
            chair_name="Nguyễn Văn An",
            secretary_name="Trần Thị Bình",
        ),
    )
    attendance.mark(book, meeting_id=meeting.id, member_id=ids[0], status="present")
    attendance.mark(book, meeting_id=meeting.id, member_id=ids[1], status="excused", reason="Ốm")
    attendance.mark(book, meeting_id=meeting.id, member_id=ids[2], status="present")
    report = ur.draft(book, kind="monthly", period=f"{month_before(dt.date.today()):%Y-%m}")
    ur.submit(book, report_id=report.report.id)
    first = run_sync(book, policy=FAST)
    assert (first.upload.rejected, first.upload.conflict, first.pending) == (0, 0, 0)
    _amend(book, report.report.id, REASON, "Chi bộ đề nghị hỗ trợ loa.")
    ur.submit(book, report_id=report.report.id)
    second = run_sync(book, policy=FAST)
    assert (second.upload.applied, second.upload.rejected, second.upload.conflict) == (1, 0, 0)
    return code


def _lose_records(srv: Srv, code: str, *, versions_too: bool) -> int:
    """The botched cleanup: the branch's srv_record rows deleted (and its kept versions)."""
    db = Database(srv.db_url)
    try:
        with db.sessions.begin() as s:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == code))
            gone = s.execute(delete(Record).where(Record.branch_id == branch_id))
            if versions_too:
                s.execute(delete(RecordVersion).where(RecordVersion.branch_id == branch_id))
            ops = s.scalar(select(Op.op_id).where(Op.branch_id == branch_id).limit(1))
            assert ops is not None  # the op log is still there
    finally:
        db.dispose()
    return int(gone.rowcount)  # type: ignore[attr-defined]


@pytest.mark.parametrize("versions_too", [False, True], ids=["versions-kept", "versions-lost"])
def test_a_server_that_lost_its_records_gets_everything_back(
    book: Book, srv_any: Srv, versions_too: bool
) -> None:
    srv = srv_any
    code = _a_synced_branch(book, srv)
    before = _held(srv, code)
    kinds = sorted(entity for entity, _id in before)
    assert kinds.count("attendance_event") == 3 and kinds.count("member") >= 4
    assert kinds.count("meeting") == 1 and kinds.count("report") == 1
    versions = _versions(srv, code)
    assert [(v, f["amend_reason"]) for _r, v, _op, f in versions] == [(1, ""), (2, REASON)]

    assert _lose_records(srv, code, versions_too=versions_too) == len(before)
    token = sync_state.device_token(book)
    assert token is not None
    assert srv.get("/api/v1/me", token).json()["records"] == 0

    again = run_sync(book, policy=FAST)
    assert again.snapshot > 0  # the book saw a server holding nothing of the branch
    up = again.upload
    assert (up.rejected, up.conflict, up.deferred, again.pending) == (0, 0, 0, 0)
    assert _held(srv, code) == before  # every row back: events and the report included
    assert _versions(srv, code) == versions  # both versions, same op ids, stored once

    quiet = run_sync(book, policy=FAST)  # nothing more to send; the server holds the same
    assert (quiet.snapshot, quiet.upload.sent) == (0, 0)
    assert _held(srv, code) == before

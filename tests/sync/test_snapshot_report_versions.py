"""A rebuilt (or new) server gets every submitted version of a report back.

The committee's server keeps each version a branch submitted (the first, then every
amendment with its reason). When the book meets a new server it replays, from its outbox,
each version the old server acknowledged — same op ids, fields and version numbers, in
order — so the new server's history of the report equals the old one's, not only the latest.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from srvkit import Srv, batch, change, pg_base_url
from synckit import FAST, enrolled, reopen

import sync.upload
from app.book import Book
from app.services import sync_state
from app.services import upward_reports as ur
from cli import main as sotay
from server.db import Database
from server.models import Branch, Record, RecordVersion
from server.records import report_versions
from server.runner import ServerThread, pg_create_schema, pg_drop_schema, pg_schema_url
from sync.client import enrol, run_sync
from sync.upload import UploadReport
from tests.app.test_feedback_kit import make_branch, month_before

AMENDMENTS = (
    ("Bản sửa đổi lần 1: bổ sung số đảng viên dự sinh hoạt", "Chi bộ đề nghị hỗ trợ loa."),
    ("Bản sửa đổi lần 2: sửa số liệu đảng phí", "Đã thu đủ đảng phí quý."),
)
NOT_SUBMITTED = "Đoạn mới sửa trên máy, chưa gửi lại cấp trên."


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Srv, Srv]]:
    """Two fresh servers (two databases) of the same kind: the old one and the rebuilt one."""
    started: list[ServerThread] = []
    schemas: list[str] = []
    base = pg_base_url() if request.param == "postgres" else None
    try:
        servers = []
        for name in ("old", "new"):
            if base is None:
                url = f"sqlite:///{tmp_path / f'server-{name}.db'}"
            else:
                schemas.append("sotay_snap_" + uuid.uuid4().hex[:10])
                pg_create_schema(base, schemas[-1])
                url = pg_schema_url(base, schemas[-1])
            started.append(ServerThread(url).start())
            servers.append(Srv(started[-1], url))
        yield servers[0], servers[1]
    finally:
        for thread in started:
            thread.stop()
        for schema in schemas:
            assert base is not None
            pg_drop_schema(base, schema)


def _versions(srv: Srv, code: str) -> list[tuple[str, int, str, dict[str, Any]]]:
    """Every version of every report the server keeps for the branch, as the committee reads
    them: (report id, version, op id, fields); when it was received is the server's own."""
    db = Database(srv.db_url)
    try:
        with db.sessions() as s:
            rows = report_versions(s, branch=code, with_fields=True)
            ops = {(r.entity_id, r.version): r.op_id for r in s.scalars(select(RecordVersion))}
    finally:
        db.dispose()
    return [
        (r["report_id"], r["version"], ops[(r["report_id"], r["version"])], r["fields"])
        for r in rows
    ]


def _record_count(srv: Srv, code: str) -> tuple[int, int]:
    """(rows the server holds for the branch, of which reports)."""
    db = Database(srv.db_url)
    try:
        with db.sessions() as s:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == code))
            entities = list(s.scalars(select(Record.entity).where(Record.branch_id == branch_id)))
    finally:
        db.dispose()
    return len(entities), entities.count("report")


def _amend(book: Book, report_id: str, reason: str, text: str) -> None:
    r = ur.get(book, report_id=report_id)
    last = r.sections[-1]
    edit = ur.ReportEdit(
        r.subtitle,
        r.issued_on,
        (*r.sections[:-1], ur.ReportSection(last.title, f"{last.body}\n{text}")),
        r.recipients,
        r.signer_name,
    )
    ur.update(book, report_id=report_id, data=edit, reason=reason)


def _three_versions(book: Book) -> str:
    """A monthly report submitted, then amended and submitted again twice, each synced."""
    make_branch(book)
    period = f"{month_before(dt.date.today()):%Y-%m}"
    report = ur.draft(book, kind="monthly", period=period).report
    ur.submit(book, report_id=report.id)
    assert run_sync(book, policy=FAST).upload.applied >= 1
    for reason, text in AMENDMENTS:
        _amend(book, report.id, reason, text)
        ur.submit(book, report_id=report.id)
        sent = run_sync(book, policy=FAST)
        assert (sent.upload.applied, sent.upload.rejected, sent.upload.conflict) == (1, 0, 0)
    return report.id


def _sync_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    code = sotay(["--data-dir", str(data_dir), "sync", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return dict(json.loads(out.out))


def test_a_rebuilt_server_gets_every_submitted_version_back(
    book: Book,
    two_servers: tuple[Srv, Srv],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = two_servers
    code_old = enrolled(book, old)
    report_id = _three_versions(book)
    on_old = _versions(old, code_old)
    assert [(rid, v) for rid, v, _op, _f in on_old] == [
        (report_id, 1),
        (report_id, 2),
        (report_id, 3),
    ]
    assert [f["amend_reason"] for *_x, f in on_old] == ["", AMENDMENTS[0][0], AMENDMENTS[1][0]]
    # Edited again but not submitted, and a report still a draft: neither was ever sent.
    _amend(book, report_id, "Bản sửa đổi lần 3: chưa gửi", NOT_SUBMITTED)
    draft = ur.draft(book, kind="monthly", period=f"{month_before(dt.date.today(), 2):%Y-%m}")
    held_old, reports_old = _record_count(old, code_old)
    assert reports_old == 1

    code_new = enrolled(book, new)
    book.close()
    report = _sync_json(data_dir, capsys)
    # What was queued: every row the old server held again, the report once per version.
    assert report["snapshot"] == held_old - reports_old + len(on_old)
    assert report["sent"] == report["acknowledged"] == report["snapshot"]
    assert (report["rejected"], report["conflicts"], report["pending"]) == (0, 0, 0)

    on_new = _versions(new, code_new)
    assert on_new == on_old  # same versions, same fields, same op ids, in order
    listed = new.cli_json("reports", "list", "--branch", code_new)
    assert [(r["version"], r["revision"], r["amend_reason"]) for r in listed] == [
        (1, 1, ""),
        (2, 2, AMENDMENTS[0][0]),
        (3, 3, AMENDMENTS[1][0]),
    ]
    assert NOT_SUBMITTED not in json.dumps(on_new, ensure_ascii=False)
    assert _record_count(new, code_new) == (held_old, 1)  # the draft stayed on this computer
    assert draft.report.id not in {rid for rid, *_x in on_new}

    # Nothing more to send; the edit, submitted now, becomes version 4 on the new server.
    book2 = reopen(data_dir)
    try:
        quiet = run_sync(book2, policy=FAST)
        assert (quiet.snapshot, quiet.upload.sent) == (0, 0)
        ur.submit(book2, report_id=report_id)
        fourth = run_sync(book2, policy=FAST)
        assert (fourth.upload.applied, fourth.upload.conflict, fourth.upload.deferred) == (1, 0, 0)
    finally:
        book2.close()
    after = _versions(new, code_new)
    assert after[:3] == on_old and [v for _r, v, *_x in after] == [1, 2, 3, 4]
    assert NOT_SUBMITTED in json.dumps(after[3][3], ensure_ascii=False)


def test_a_replay_killed_midway_goes_on_and_sending_it_again_changes_nothing(
    book: Book, two_servers: tuple[Srv, Srv], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = two_servers
    code_old = enrolled(book, old)
    report_id = _three_versions(book)
    on_old = _versions(old, code_old)
    code_new = enrolled(book, new)

    # Killed after the server stored the batch holding version 2, before the book recorded
    # its answer: the next sync sends that batch again and the server answers from memory.
    class Killed(Exception):
        pass

    recorded = sync.upload.record_results

    def die_after_version_2(bk: Book, sent: Any, results: Any, rep: UploadReport) -> set[int]:
        if any(c["entity"] == "report" and c["version"] == 2 for c in sent.changes):
            raise Killed
        return recorded(bk, sent, results, rep)

    monkeypatch.setattr(sync.upload, "record_results", die_after_version_2)
    with pytest.raises(Killed):
        run_sync(book, policy=FAST, batch_size=1)
    monkeypatch.setattr(sync.upload, "record_results", recorded)
    assert [v for _r, v, *_x in _versions(new, code_new)] == [1, 2]

    rest = run_sync(book, policy=FAST, batch_size=1)
    assert rest.snapshot == 0 and rest.upload.replayed_batches == 1
    assert (rest.upload.rejected, rest.upload.conflict, rest.upload.deferred) == (0, 0, 0)
    assert rest.pending == 0
    assert _versions(new, code_new) == on_old  # no version twice, none missing

    # Back to the old server (it kept everything): the replay is answered as duplicates.
    again = old.cli_json("branches", "new-code", "--code", code_old)["enrolment_code"]
    enrol(book, server_url=old.url, code=again, policy=FAST)
    back = run_sync(book, policy=FAST)
    assert back.snapshot > 0 and back.upload.duplicate == back.upload.sent == back.snapshot
    assert back.upload.applied + back.upload.conflict + back.upload.rejected == 0
    assert _versions(old, code_old) == on_old
    listed = old.cli_json("reports", "list", "--branch", code_old)
    assert [r["version"] for r in listed] == [1, 2, 3]
    assert report_id in {r["report_id"] for r in listed}


def test_a_submission_still_waiting_goes_after_the_versions_replayed(
    book: Book, two_servers: tuple[Srv, Srv]
) -> None:
    old, new = two_servers
    code_old = enrolled(book, old)
    report_id = _three_versions(book)
    on_old = _versions(old, code_old)
    _amend(book, report_id, "Bản sửa đổi lần 3: bổ sung kiến nghị", NOT_SUBMITTED)
    ur.submit(book, report_id=report_id)  # version 4, not synced before the server changed

    code_new = enrolled(book, new)
    report = run_sync(book, policy=FAST)
    held_old, reports_old = _record_count(old, code_old)
    # The waiting submission was queued already: the snapshot counts what it added.
    assert report.snapshot == held_old - reports_old + 3
    assert report.upload.applied == report.snapshot + 1 and report.pending == 0
    assert (report.upload.conflict, report.upload.deferred, report.upload.rejected) == (0, 0, 0)
    on_new = _versions(new, code_new)
    assert on_new[:3] == on_old and [v for _r, v, *_x in on_new] == [1, 2, 3, 4]
    assert NOT_SUBMITTED in json.dumps(on_new[3][3], ensure_ascii=False)
    assert len(_versions(old, code_old)) == 3  # the old server never had version 4


def test_a_version_built_on_another_devices_goes_up_on_the_last_replayed(
    book: Book, two_servers: tuple[Srv, Srv]
) -> None:
    """Version 2 came from another device of the branch; the book's own revision conflicted
    and the secretary kept it (version 3 on base 2). The book never held version 2, so the
    new server gets 1 and 3 — the same fields and numbers — and nothing waits for 2."""
    old, new = two_servers
    code_old = enrolled(book, old)
    make_branch(book)
    report = ur.draft(book, kind="monthly", period=f"{month_before(dt.date.today()):%Y-%m}").report
    ur.submit(book, report_id=report.id)
    run_sync(book, policy=FAST)
    other = old.enrol(old.cli_json("branches", "new-code", "--code", code_old)["enrolment_code"])
    first = _versions(old, code_old)[0][3]
    theirs = {**first, "amend_reason": "Máy khác sửa", "revision": 2}
    sent = old.post_batch(
        other.json()["device_token"],
        batch(code_old, change("report", report.id, fields=theirs, base=1, version=2)),
    )
    assert sent.json()["results"][0]["result"] == "applied"
    _amend(book, report.id, AMENDMENTS[0][0], AMENDMENTS[0][1])
    ur.submit(book, report_id=report.id)
    clash = run_sync(book, policy=FAST)
    assert clash.upload.conflict == 1
    (problem,) = sync_state.problems(book)
    sync_state.resolve_conflict(book, op_id=problem.op_id, keep="mine")
    assert run_sync(book, policy=FAST).upload.applied == 1
    on_old = _versions(old, code_old)
    assert [v for _r, v, *_x in on_old] == [1, 2, 3]

    code_new = enrolled(book, new)
    again = run_sync(book, policy=FAST)
    assert (again.upload.conflict, again.upload.deferred, again.upload.rejected) == (0, 0, 0)
    assert again.pending == 0 and again.needing_attention == 0
    on_new = _versions(new, code_new)
    assert [(v, f) for _r, v, _op, f in on_new] == [(v, f) for _r, v, _op, f in on_old if v != 2]

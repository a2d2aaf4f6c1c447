"""Feedback, support sessions and reports go up through the real sync client to the real
reference server on 127.0.0.1, and the server keeps each submitted report version."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.book import Book
from app.services import feedback as fb
from app.services import support
from app.services import upward_reports as ur
from server.models import Record
from server.runner import ServerThread
from sync.client import enrol, run_sync
from sync.transport import RetryPolicy
from tests.app.test_feedback_kit import make_branch, month_before, outbox
from tests.server.srvkit import Srv

FAST = RetryPolicy(attempts=2, backoff=0.05, connect_timeout=2.0, read_timeout=20.0)


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[Srv]:
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    thread = ServerThread(db_url).start()
    try:
        yield Srv(thread, db_url)
    finally:
        thread.stop()


def _held(srv: Srv, entity: str, entity_id: str) -> Record:
    engine = create_engine(srv.db_url)
    try:
        with Session(engine) as s:
            row = s.scalars(
                select(Record).where(Record.entity == entity, Record.entity_id == entity_id)
            ).one()
            s.expunge(row)
            return row
    finally:
        engine.dispose()


def test_everything_goes_up_and_the_server_keeps_the_submitted_report(book: Book, srv: Srv) -> None:
    _code, enrolment = srv.new_branch()
    enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    branch = make_branch(book)
    item = fb.add(
        book,
        data=fb.FeedbackInput(
            member_id=branch.id("Lê Văn Tám"), kind="phan_anh", content="Đèn đường hỏng."
        ),
    )
    fb.forward(book, feedback_id=item.id)
    session = support.create_session(
        book,
        data=support.SessionInput(
            held_on=dt.date.today(),
            place="Nhà văn hóa",
            attendees=(support.HelpInput(branch.id("Nguyễn Thị Hòa"), ("phe_duyet",)),),
        ),
    )
    report = ur.draft(book, kind="monthly", period=f"{month_before(dt.date.today()):%Y-%m}").report
    ur.submit(book, report_id=report.id)

    first = run_sync(book, policy=FAST).as_json()
    assert first["rejected"] == 0 and first["pending"] == 0
    assert {e.state for e in outbox(book, "feedback")} == {"applied"}
    assert _held(srv, "feedback", item.id).version == 2
    assert json.loads(_held(srv, "feedback", item.id).fields_json)["state"] == "forwarded"
    held_session = json.loads(_held(srv, "support_session", session.id).fields_json)
    assert branch.id("Nguyễn Thị Hòa") in held_session["attendees_json"]
    held = _held(srv, "report", report.id)
    assert held.version == 1
    assert json.loads(held.fields_json)["number"] == "01-BC/CB"

    # A change after submission is a new version with a reason; the server takes it in turn.
    r = ur.get(book, report_id=report.id)
    edit = ur.ReportEdit(
        r.subtitle,
        r.issued_on,
        (*r.sections[:-1], ur.ReportSection(r.sections[-1].title, "Xin kinh phí sửa loa.")),
        r.recipients,
        r.signer_name,
    )
    ur.update(book, report_id=report.id, data=edit, reason="Bổ sung kiến nghị")
    ur.submit(book, report_id=report.id)
    second = run_sync(book, policy=FAST).as_json()
    assert second["rejected"] == 0 and second["pending"] == 0
    held = _held(srv, "report", report.id)
    fields = json.loads(held.fields_json)
    assert held.version == 2
    assert fields["revision"] == 2
    assert fields["amend_reason"] == "Bổ sung kiến nghị"
    assert "Xin kinh phí sửa loa." in fields["sections_json"]
    assert json.loads(fields["history_json"])[0]["revision"] == 1

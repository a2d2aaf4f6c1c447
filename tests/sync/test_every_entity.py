"""Every kind of row the desktop writes reaches the real server and is applied.

One of each is made through the services (no list of entity names is typed here: the
entities are whatever the services wrote to the outbox), synced to the reference server on
127.0.0.1, and every change must come back `applied`. Each of those entities must have a
Vietnamese label for the Đồng bộ panel and one written conflict rule on the server; every
action in the audit trail must have a label in the history views.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from srvkit import Srv
from synckit import FAST, enrolled

from app.book import Book
from app.models import AuditEntry, Base, OutboxEntry, SyncedMixin
from app.services import (
    attendance,
    branch,
    documents,
    meetings,
    members,
    study,
    support,
    sync_state,
)
from app.services import feedback as fb
from app.services import upward_reports as ur
from app.services.audit import ACTION_LABELS
from server.models import Record
from server.protocol import ENTITY_RULES
from sync.client import run_sync
from tests.app.test_feedback_kit import held_meeting, make_branch, month_before
from tests.app.test_meetings_support import days_ago

ROOT = Path(__file__).resolve().parents[2]


def _one_of_each(book: Book) -> None:
    people = make_branch(book)
    branch.update(book, secretary_name="Trần Văn Bình")
    # A meeting held, everyone marked, closed; then a mark corrected with a reason.
    held = held_meeting(book, people, at=days_ago(3))
    meetings.close(book, meeting_id=held.id, ends_at=held.starts_at + dt.timedelta(hours=2))
    attendance.mark(
        book,
        meeting_id=held.id,
        member_id=people.id("Võ Thị Sáu"),
        status="late",
        amend_reason="Đồng chí đến muộn 15 phút, ghi nhầm là có mặt",
    )
    # The next meeting: its invitation (a real PDF) in the library, sent with the meeting; an
    # absence request received, then withdrawn.
    upcoming = meetings.create(
        book,
        data=meetings.MeetingInput(
            kind="thuong_ky", starts_at=days_ago(-35), place="Nhà văn hóa khu phố 3"
        ),
    )
    from reports.printing import meeting_pdf

    pdf = meeting_pdf(book, meeting_id=upcoming.id, kind="invitation")
    outcome = documents.import_bytes(book, data=pdf, filename="thong-bao-moi-hop.pdf")
    assert outcome.document is not None
    meetings.attach_document(book, meeting_id=upcoming.id, document_id=outcome.document.id)
    request = attendance.request_absence(
        book, meeting_id=upcoming.id, member_id=people.id("Phạm Thị Lan"), reason="Đi khám bệnh"
    )
    attendance.withdraw_request(book, request_id=request.id, reason="Đồng chí đi họp được")
    # Study: a campaign, its participants, one result.
    campaign = study.create_campaign(
        book,
        data=study.CampaignInput(
            title="Học tập Nghị quyết 57", resolutions="Nghị quyết số 57-NQ/TW"
        ),
        member_ids=[people.id("Trần Văn Bình"), people.id("Nguyễn Thị Hòa")],
    )
    first = study.participants(book, campaign_id=campaign.id)[0]
    study.record_result(book, participant_id=first.id, attended=True, submitted=True)
    # Feedback forwarded; another taken down by mistake and removed.
    item = fb.add(
        book,
        data=fb.FeedbackInput(
            member_id=people.id("Lê Văn Tám"), kind="phan_anh", content="Đèn đường tổ 5 hỏng."
        ),
    )
    fb.forward(book, feedback_id=item.id)
    wrong = fb.add(
        book,
        data=fb.FeedbackInput(member_id=people.id("Lê Văn Tám"), kind="gop_y", content="Nhầm."),
    )
    fb.remove(book, feedback_id=wrong.id, reason="Ghi nhầm người")
    # A support session for elderly members.
    support.create_session(
        book,
        data=support.SessionInput(
            held_on=dt.date.today(),
            place="Nhà văn hóa",
            helpers="Võ Thị Sáu",
            attendees=(support.HelpInput(people.id("Nguyễn Thị Hòa"), ("phe_duyet",)),),
        ),
    )
    # The monthly report, submitted.
    report = ur.draft(book, kind="monthly", period=f"{month_before(dt.date.today()):%Y-%m}")
    ur.submit(book, report_id=report.report.id)
    # Đảng phí: a member's setting, a payment, a month paid by mistake and cancelled, the
    # month's dues remitted upward.
    from app.services import dues

    this_month = f"{dt.date.today():%Y-%m}"
    dues.set_setting(book, member=people.id("Phạm Thị Lan"), basis="salary", income=6_000_000)
    dues.pay(book, member=people.id("Phạm Thị Lan"), months=[this_month])
    dues.pay(book, member=people.id("Võ Thị Sáu"), months=[this_month], amount=5_000)
    dues.cancel(book, member=people.id("Võ Thị Sáu"), month=this_month, reason="Ghi nhầm người")
    dues.remit(book, period=this_month)
    # A member added by mistake and removed.
    extra = members.create(book, data=members.MemberInput(full_name="Phan Văn Thử"))
    members.remove(book, member_id=extra.id, reason="Nhập nhầm")


def _server_entities(srv: Srv) -> set[str]:
    engine = create_engine(srv.db_url)
    try:
        with Session(engine) as s:
            return set(s.scalars(select(Record.entity).distinct()))
    finally:
        engine.dispose()


def test_every_entity_the_services_write_is_applied_by_the_server(book: Book, srv_any: Srv) -> None:
    enrolled(book, srv_any)
    _one_of_each(book)
    report = run_sync(book, policy=FAST).as_json()
    assert report["rejected"] == 0 and report["conflicts"] == 0 and report["pending"] == 0
    assert report["files_uploaded"] == 1  # the invitation PDF went with its document

    with book.read_session() as s:
        rows = list(s.scalars(select(OutboxEntry)))
        actions = set(s.scalars(select(AuditEntry.action).distinct()))
    written = {r.entity for r in rows}
    not_applied = [(r.entity, r.op, r.state, r.last_error) for r in rows if r.state != "applied"]
    assert not_applied == []
    assert sync_state.problems(book) == []

    # Every synced table was exercised (a new one must be added to this walk).
    synced_tables = {
        m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, SyncedMixin)
    }
    assert synced_tables | {"attendance_event"} <= written
    # ... reached the server, has a rule there, and a label for the secretary.
    assert written <= _server_entities(srv_any)
    assert written <= set(ENTITY_RULES)
    missing_labels = written - set(sync_state.ENTITY_LABELS)
    assert missing_labels == set()
    for entity in written:
        assert sync_state.ENTITY_LABELS[entity][0].isupper()
    # Every action in the audit trail reads in Vietnamese in the history views.
    assert actions - set(ACTION_LABELS) == set()


def _literal_actions(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _literal_actions(node.body) | _literal_actions(node.orelse)
    return set()


_WRITERS = ("record", "AuditEntry", "create", "update", "append", "audit_only", "resend")


def test_every_action_string_in_the_code_has_a_label() -> None:
    """Actions written only on rare paths (a conflict resolved, a paper printed) too."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            # changes.record and the helpers services write through (app/services/changes.py)
            if name not in _WRITERS:
                continue
            for kw in node.keywords:
                if kw.arg == "action":
                    for action in _literal_actions(kw.value):
                        found.setdefault(action, f"{path.relative_to(ROOT)}:{node.lineno}")
    assert {"create", "update", "delete", "print", "resolve", "close", "amend"} <= set(found)
    unlabelled = {a: where for a, where in found.items() if a not in ACTION_LABELS}
    assert unlabelled == {}


def test_unknown_entities_are_rejected_with_a_reason(srv: Srv) -> None:
    from srvkit import batch, change

    code, token = srv.enrolled_branch()
    sent = srv.post_batch(token, batch(code, change("vote_secret", fields={"x": 1})))
    (result,) = sent.json()["results"]
    assert result["result"] == "rejected" and result["reason_code"] == "unknown_entity"
    assert "chưa có quy tắc" in result["reason"]
    assert json.dumps(result, ensure_ascii=False).count("vote_secret") == 1

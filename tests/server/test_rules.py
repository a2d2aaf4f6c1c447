"""One conflict rule per entity (docs/sync-protocol.md §6), through the real API."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import create_engine, select
from srvkit import Srv, batch, change

from server.models import Branch, Record


def _send(srv: Srv, token: str, code: str, *changes: dict) -> list[dict]:
    resp = srv.post_batch(token, batch(code, *changes))
    assert resp.status_code == 200, resp.text
    return list(resp.json()["results"])


def test_member_base_version_must_match(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    mid = str(uuid.uuid4())
    _send(srv, token, code, change("member", mid, fields={"full_name": "Võ Thị Hoa"}))
    # The committee moves the member out: the server's copy is now version 2.
    srv.cli("publish", "member", "--branch", code, "--member-id", mid, "--status", "chuyen_di")
    stale = change(
        "member", mid, fields={"full_name": "Võ Thị Hoa", "phone": "0905000111"}, base=1, version=2
    )
    follow = change("member", mid, fields={"full_name": "Võ Thị Hoa B"}, base=2, version=3)
    result, after = _send(srv, token, code, stale, follow)
    assert result["result"] == "conflict" and result["reason_code"] == "version_mismatch"
    assert result["server_version"] == 2
    assert result["server_fields"]["status"] == "chuyen_di"
    # The next change of the same row must not slip in on a version that matches by chance.
    assert after["result"] == "conflict" and after["reason_code"] == "depends_on_conflict"
    # Keeping mine: sent again on the server's version, it applies.
    keep = change(
        "member", mid, fields={"full_name": "Võ Thị Hoa", "phone": "0905000111"}, base=2, version=3
    )
    assert _send(srv, token, code, keep)[0]["result"] == "applied"


def test_attendance_is_append_only_and_never_conflicts(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    fields = {"meeting_id": "m1", "member_id": "p1", "status": "present", "seq": 1}
    mark = change("attendance_event", op="append", fields=fields)
    later = change("attendance_event", op="append", fields=fields | {"status": "late", "seq": 2})
    assert [r["result"] for r in _send(srv, token, code, mark, later)] == ["applied", "applied"]
    same_event = dict(mark, op_id=str(uuid.uuid4()))
    assert _send(srv, token, code, same_event)[0]["result"] == "duplicate"
    edited = dict(mark, op_id=str(uuid.uuid4()), fields=fields | {"status": "unexcused"})
    result = _send(srv, token, code, edited)[0]
    assert result["result"] == "rejected" and result["reason_code"] == "immutable"
    upsert = change("attendance", fields=fields)
    assert _send(srv, token, code, upsert)[0]["reason_code"] == "append_only"
    att = srv.branch_row(code)["attendance"]
    assert att["events"] == 2 and att["marks"] == 1 and att["present"] == 1 and att["rate"] == 1.0


def test_closed_meeting_takes_amendments_only(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    mid = str(uuid.uuid4())
    minutes = '{"roster": [{"member_id": "p1"}], "adopted_at": "2025-10-05T10:00:00"}'
    base = {"topic": "Sinh hoạt tháng 10", "state": "closed", "closed_at": "2025-10-05T10:00:00",
            "minutes_json": minutes, "place": "Nhà văn hóa", "deleted_at": None}  # fmt: skip
    _send(srv, token, code, change("meeting", mid, fields=base))
    amended_minutes = json.dumps(json.loads(minutes) | {"conclusion": "Đính chính kết luận"})
    amend = change(
        "meeting",
        mid,
        fields=base | {"place": "UBND phường", "minutes_json": amended_minutes},
        base=1,
        version=2,
    )
    assert _send(srv, token, code, amend)[0]["result"] == "applied"
    kept = amend["fields"]
    reopen = change("meeting", mid, fields=kept | {"state": "open"}, base=2, version=3)
    result = _send(srv, token, code, reopen)[0]
    assert result["result"] == "rejected" and result["reason_code"] == "meeting_closed"
    assert "Cuộc họp đã kết thúc" in result["reason"]
    roster = change(
        "meeting",
        mid,
        fields=kept | {"minutes_json": '{"roster": [], "adopted_at": "2025-10-05T10:00:00"}'},
        base=2,
        version=3,
    )
    assert _send(srv, token, code, roster)[0]["reason_code"] == "meeting_closed"
    delete = change(
        "meeting",
        mid,
        op="delete",
        fields=kept | {"deleted_at": "2025-11-01T00:00:00"},
        base=2,
        version=3,
    )
    assert _send(srv, token, code, delete)[0]["reason_code"] == "meeting_closed"
    note = change(
        "meeting_amendment", op="append", fields={"meeting_id": mid, "text": "Đính chính"}
    )
    assert _send(srv, token, code, note)[0]["result"] == "applied"


def test_committee_documents_are_read_only(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    out = srv.cli_json(
        "publish",
        "directive",
        "--branch",
        code,
        "--number",
        "05-CT/TW",
        "--title",
        "Chỉ thị về học tập",
    )
    doc_id = out["entity_id"]
    edit = change("document", doc_id, fields={"title": "sửa"}, base=1, version=2)
    result = _send(srv, token, code, edit)[0]
    assert result["result"] == "rejected" and result["reason_code"] == "read_only"
    own = change("document", fields={"title": "Biên bản họp chi bộ", "doc_type": "BB"})
    assert _send(srv, token, code, own)[0]["result"] == "applied"


def test_delete_leaves_a_tombstone_and_bad_ops_are_rejected(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    mid = str(uuid.uuid4())
    _send(srv, token, code, change("member", mid, fields={"full_name": "Đặng Văn Em"}))
    assert srv.branch_row(code)["members"] == 1
    assert (
        _send(srv, token, code, change("member", mid, op="delete", base=1, version=2))[0]["result"]
        == "applied"
    )
    assert srv.branch_row(code)["members"] == 0
    results = _send(
        srv,
        token,
        code,
        change("member", op="merge"),
        change("Bad Entity"),
        change("member", base=3, version=3),
    )
    assert [r["reason_code"] for r in results] == ["invalid_op", "invalid_entity", "bad_version"]
    assert all(r["result"] == "rejected" and r["reason"] for r in results)


def test_malformed_records_are_rejected_and_do_not_block_the_rest(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    not_uuid = change("member", "x", fields={"full_name": "Hacker"}, bare=True)
    missing = change("member", fields={"full_name": "Hacker"}, bare=True)
    wrong_type = change("member", fields={"full_name": 42, "status": "chinh_thuc"})
    bad_flag = change("member", fields={"has_smartphone": "có"})
    bad_seq = change("attendance_event", op="append", fields={"seq": "một"})
    good = change("member", fields={"full_name": "Lê Thị Mai", "ghi_chu_moi": [1, 2]})
    results = _send(srv, token, code, not_uuid, missing, wrong_type, bad_flag, bad_seq, good)
    assert [r["result"] for r in results] == ["rejected"] * 5 + ["applied"]
    assert [r.get("reason_code") for r in results] == [
        "invalid_entity_id",
        "invalid_fields",
        "invalid_fields",
        "invalid_fields",
        "invalid_fields",
        None,
    ]
    assert "UUID" in results[0]["reason"]
    assert "đảng viên thiếu trường “status”" in results[1]["reason"]
    assert "“full_name” phải là chuỗi chữ, nhận được số" in results[2]["reason"]
    assert "“has_smartphone” phải là đúng/sai" in results[3]["reason"]
    assert "“seq” phải là số nguyên" in results[4]["reason"]
    # Only the good one is stored, with the field this server does not know kept as sent.
    row = srv.branch_row(code)
    assert row["members"] == 1 and row["attendance"]["events"] == 0
    engine = create_engine(srv.db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(
                select(Record.entity_id, Record.fields_json)
                .join(Branch, Branch.id == Record.branch_id)
                .where(Branch.code == code)
            ).all()
    finally:
        engine.dispose()
    assert [entity_id for entity_id, _ in stored] == [good["entity_id"]]
    assert json.loads(stored[0][1])["ghi_chu_moi"] == [1, 2]


def test_every_entity_with_a_rule_has_a_schema() -> None:
    from srvkit import DESKTOP_FIELDS

    from app.vocab import Entity
    from protocol.schemas import SCHEMAS

    assert set(SCHEMAS) == set(Entity.synced())
    assert set(DESKTOP_FIELDS) == set(Entity.synced())

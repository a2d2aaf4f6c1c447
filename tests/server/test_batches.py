"""Upload: per-change results, replays answered from storage, op-level idempotency."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, func, select
from srvkit import Srv, batch, change

from server.models import Batch, Op, Record


def _count(srv: Srv, model: type, **where: str) -> int:
    engine = create_engine(srv.db_url)
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(model)
            for key, value in where.items():
                query = query.where(getattr(model, key) == value)
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


def test_batch_applies_and_replay_answers_the_same(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    member = change("member", fields={"full_name": "Nguyễn Văn An", "status": "chinh_thuc"})
    meeting = change("meeting", fields={"topic": "Sinh hoạt tháng 11", "state": "draft"})
    mark = change(
        "attendance",
        op="append",
        fields={
            "meeting_id": meeting["entity_id"],
            "member_id": member["entity_id"],
            "status": "present",
        },
    )
    body = batch(code, member, meeting, mark)
    first = srv.post_batch(token, body)
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["replayed"] is False
    assert [r["result"] for r in answer["results"]] == ["applied"] * 3
    assert [r["op_id"] for r in answer["results"]] == [c["op_id"] for c in body["changes"]]

    again = srv.post_batch(token, body)
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["results"] == answer["results"]

    row = srv.branch_row(code)
    assert (row["members"], row["meetings"], row["attendance"]["events"]) == (1, 1, 1)
    assert row["last_sync_at"]
    assert _count(srv, Batch, batch_id=body["batch_id"]) == 1
    assert _count(srv, Op, batch_id=body["batch_id"]) == 3


def test_same_batch_id_with_other_content_is_409(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    body = batch(code, change("member", fields={"full_name": "A"}))
    assert srv.post_batch(token, body).status_code == 200
    body["changes"][0]["fields"] = {"full_name": "B"}
    resp = srv.post_batch(token, body)
    assert resp.status_code == 409 and resp.json()["error"] == "batch_reused"


def test_op_sent_again_in_a_new_batch_is_duplicate(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    op = change("member", fields={"full_name": "Trần Thị Bình"})
    assert srv.post_batch(token, batch(code, op)).json()["results"][0]["result"] == "applied"
    other = change("member", fields={"full_name": "Lê Văn Cường"})
    results = srv.post_batch(token, batch(code, op, other)).json()["results"]
    assert [r["result"] for r in results] == ["duplicate", "applied"]
    # The same op id with different content is refused, not applied.
    forged = dict(op, fields={"full_name": "Người khác"})
    result = srv.post_batch(token, batch(code, forged)).json()["results"][0]
    assert result["result"] == "rejected" and result["reason_code"] == "op_id_reused"
    assert srv.branch_row(code)["members"] == 2


def test_out_of_order_batches_lose_nothing(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    mid = str(uuid.uuid4())
    v1 = change("member", mid, fields={"full_name": "Phạm Văn Dũng"}, base=0, version=1)
    v2 = change(
        "member",
        mid,
        fields={"full_name": "Phạm Văn Dũng", "phone": "0905123456"},
        base=1,
        version=2,
    )
    later = batch(code, v2)
    earlier = batch(code, v1)
    first = srv.post_batch(token, later).json()["results"][0]
    assert first["result"] == "deferred"  # its base has not arrived yet: nothing stored
    assert srv.post_batch(token, earlier).json()["results"][0]["result"] == "applied"
    # The client sends the deferred change again, in a new batch.
    assert srv.post_batch(token, batch(code, v2)).json()["results"][0]["result"] == "applied"
    rec = _record(srv, code, "member", mid)
    assert rec.version == 2 and '"phone":"0905123456"' in rec.fields_json


def _record(srv: Srv, code: str, entity: str, entity_id: str) -> Record:
    from server.models import Branch

    engine = create_engine(srv.db_url)
    try:
        with engine.connect() as conn:
            branch_id = conn.execute(select(Branch.id).where(Branch.code == code)).scalar_one()
            row = conn.execute(
                select(Record).where(
                    Record.branch_id == branch_id,
                    Record.entity == entity,
                    Record.entity_id == entity_id,
                )
            ).one()
            return Record(version=row.version, fields_json=row.fields_json, deleted=row.deleted)
    finally:
        engine.dispose()


def test_same_batch_sent_concurrently_is_applied_once(srv: Srv) -> None:
    from concurrent.futures import ThreadPoolExecutor

    code, token = srv.enrolled_branch()
    body = batch(
        code, *[change("member", fields={"full_name": f"Đảng viên {i}"}) for i in range(50)]
    )

    def send(_: int) -> dict:
        resp = srv.post_batch(token, body)
        assert resp.status_code == 200, resp.text
        return dict(resp.json())

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))
    assert sum(not a["replayed"] for a in answers) == 1
    assert all(a["results"] == answers[0]["results"] for a in answers)
    assert srv.branch_row(code)["members"] == 50
    assert _count(srv, Op, batch_id=body["batch_id"]) == 50

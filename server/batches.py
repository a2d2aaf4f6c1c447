"""Receiving a batch: parse, check, apply change by change in one transaction, store the answer.

A batch id already stored is answered from what was stored (a replay); an op id already
decided is answered from that decision. Nothing is applied twice.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from protocol import MAX_BODY_BYTES, MAX_CHANGE_BYTES, MAX_CHANGES
from protocol.entities import keeps_versions
from protocol.schemas import is_uuid as _is_uuid
from server.limits import json_problem, loads
from server.models import Batch, Branch, DeviceToken, Op, Record, RecordVersion, iso, utcnow
from server.protocol import ApiError, malformed, too_large
from server.rules import Change, Decision, Held, canonical, decide

CHUNK = 500
# A batch of real changes inflates a few times, a run of near-identical attendance marks a few
# dozen; a thousandfold is a bomb. Below the floor any ratio is accepted.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 4 * 1024 * 1024


def decompress(body: bytes, encoding: str | None) -> bytes:
    """gunzip with a ceiling, so a small bomb cannot fill the memory."""
    if (encoding or "").lower() not in ("gzip", "x-gzip") and body[:2] != b"\x1f\x8b":
        raise malformed("Gói dữ liệu đồng bộ phải được nén gzip (Content-Encoding: gzip).")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    ceiling = min(MAX_BODY_BYTES, max(RATIO_FLOOR_BYTES, MAX_RATIO * len(body)))
    try:
        out = inflater.decompress(body, ceiling + 1)
        if len(out) > ceiling or inflater.unconsumed_tail:
            raise too_large(
                "Gói dữ liệu đồng bộ quá lớn sau khi giải nén (tối đa 32 MB, và không quá "
                f"{MAX_RATIO} lần kích thước đã nén)."
            )
        out += inflater.flush()
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise malformed("Gói dữ liệu đồng bộ không giải nén được (gzip hỏng).") from exc
    if not inflater.eof:
        raise malformed("Gói dữ liệu đồng bộ bị cắt cụt.")
    return out


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def parse_batch(raw: bytes) -> tuple[str, str, list[Change]]:
    try:
        doc = loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise malformed("Gói dữ liệu đồng bộ không phải JSON hợp lệ.") from exc
    if not isinstance(doc, dict):
        raise malformed("Gói dữ liệu đồng bộ phải là một đối tượng JSON.")
    batch_id, branch_code, items = doc.get("batch_id"), doc.get("branch_code"), doc.get("changes")
    if not _is_uuid(batch_id):
        raise malformed("Thiếu mã gói (batch_id) dạng UUID.")
    if not isinstance(branch_code, str) or not branch_code:
        raise malformed("Thiếu mã chi bộ (branch_code).")
    if not isinstance(items, list):
        raise malformed("Thiếu danh sách thay đổi (changes).")
    if len(items) > MAX_CHANGES:
        raise too_large(f"Một gói chỉ được tối đa {MAX_CHANGES} thay đổi.")
    changes: list[Change] = []
    for index, item in enumerate(items):
        changes.append(_parse_change(index, item))
    return str(batch_id), branch_code, changes


def _parse_change(index: int, item: Any) -> Change:
    where = f"Thay đổi thứ {index + 1}"
    if not isinstance(item, dict):
        raise malformed(f"{where} không phải đối tượng JSON.")
    if not _is_uuid(item.get("op_id")):
        raise malformed(f"{where}: thiếu op_id dạng UUID.")
    for key in ("entity", "entity_id", "op"):
        if not isinstance(item.get(key), str):
            raise malformed(f"{where}: thiếu trường {key}.")
    fields = item.get("fields", {})
    if not isinstance(fields, dict):
        raise malformed(f"{where}: trường fields phải là đối tượng.")
    base, version = item.get("base_version", 0), item.get("version")
    if not _int(base) or not _int(version):
        raise malformed(f"{where}: base_version và version phải là số nguyên không âm.")
    seq = item.get("seq")
    if len(_utf8(canonical(fields))) > MAX_CHANGE_BYTES:
        raise too_large(f"{where} quá lớn (tối đa 1 MB mỗi thay đổi).")
    entity, entity_id, op = item["entity"], item["entity_id"], item["op"]
    # Values no desktop sends (NUL, a lone surrogate, NaN, nesting too deep) make this one
    # change `rejected`; the rest of the batch, and of the branch's queue, goes on.
    problem = json_problem([entity, entity_id, op, fields])
    if problem:
        entity, entity_id, op = _printable(entity), _printable(entity_id), _printable(op)
    return Change(
        op_id=item["op_id"],
        entity=entity,
        entity_id=entity_id,
        op=op,
        fields=fields,
        base_version=int(base),
        version=item["version"],
        seq=seq if _int(seq) else None,
        invalid=problem or "",
    )


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _printable(text: str) -> str:
    """Text that any database stores: lone surrogates and NUL replaced by U+FFFD."""
    return _utf8(text).decode("utf-8", "replace").replace("\x00", "\ufffd")


def content_hash(value: Any) -> str:
    return hashlib.sha256(_utf8(canonical(value))).hexdigest()


def _stored_answer(batch: Batch, branch_id: int, digest: str) -> dict[str, Any]:
    if batch.branch_id != branch_id:
        raise ApiError(403, "wrong_branch", "Mã gói này thuộc chi bộ khác.")
    if batch.content_hash != digest:
        raise ApiError(
            409,
            "batch_reused",
            "Mã gói đã được dùng cho nội dung khác; máy khách cần gửi lại với mã gói mới.",
        )
    answer: dict[str, Any] = json.loads(batch.response_json)
    answer["replayed"] = True
    return answer


def receive_batch(
    sessions: sessionmaker[Session], device: DeviceToken, raw: bytes
) -> dict[str, Any]:
    batch_id, branch_code, changes = parse_batch(raw)
    hashes = [content_hash(c.content()) for c in changes]
    digest = content_hash(
        [branch_code, [[c.op_id, h] for c, h in zip(changes, hashes, strict=True)]]
    )
    for attempt in range(3):
        with sessions() as session:
            branch = session.get(Branch, device.branch_id)
            if branch is None or branch.code != branch_code:
                raise ApiError(
                    403,
                    "wrong_branch",
                    "Gói dữ liệu ghi mã chi bộ khác với chi bộ đã đăng ký của máy này.",
                )
            stored = session.get(Batch, batch_id)
            if stored is not None:
                return _stored_answer(stored, branch.id, digest)
            # Serialise batches of one branch (PostgreSQL row lock; SQLite locks the file).
            session.execute(select(Branch.id).where(Branch.id == branch.id).with_for_update())
            try:
                answer = _apply(session, branch, device, batch_id, digest, changes, hashes)
                session.commit()
                return answer
            except IntegrityError:
                # The same batch (or op) committed concurrently: answer from what is stored.
                session.rollback()
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


@dataclass
class _SeenOp:
    content_hash: str
    result: str
    reason_code: str
    reason: str


@dataclass
class _Row:
    """A record as held while a batch is applied: its id (None if new) and its state."""

    id: int | None
    held: Held
    dirty: bool = False


def _load_ops(session: Session, op_ids: list[str]) -> dict[str, _SeenOp]:
    found: dict[str, _SeenOp] = {}
    for i in range(0, len(op_ids), CHUNK):
        query = select(Op.op_id, Op.content_hash, Op.result, Op.reason_code, Op.reason).where(
            Op.op_id.in_(op_ids[i : i + CHUNK])
        )
        for op_id, digest, result, code, reason in session.execute(query):
            found[op_id] = _SeenOp(digest, result, code, reason)
    return found


def _load_records(
    session: Session, branch_id: int, changes: list[Change]
) -> dict[tuple[str, str], _Row]:
    ids = sorted({c.entity_id for c in changes})
    wanted = {(c.entity, c.entity_id) for c in changes}
    found: dict[tuple[str, str], _Row] = {}
    cols = (Record.id, Record.entity, Record.entity_id, Record.version, Record.fields_json,
            Record.deleted, Record.origin)  # fmt: skip
    for i in range(0, len(ids), CHUNK):
        query = select(*cols).where(
            Record.branch_id == branch_id, Record.entity_id.in_(ids[i : i + CHUNK])
        )
        for rid, entity, entity_id, version, fields_json, deleted, origin in session.execute(query):
            if (entity, entity_id) in wanted:
                held = Held(version, json.loads(fields_json), bool(deleted), origin)
                found[(entity, entity_id)] = _Row(rid, held)
    return found


def _conflict_body(row: _Row | None) -> dict[str, Any]:
    if row is None:
        return {"server_version": 0, "server_fields": None, "server_deleted": False}
    return {
        "server_version": row.held.version,
        "server_fields": row.held.fields,
        "server_deleted": row.held.deleted,
    }


def _apply(
    session: Session,
    branch: Branch,
    device: DeviceToken,
    batch_id: str,
    digest: str,
    changes: list[Change],
    hashes: list[str],
) -> dict[str, Any]:
    now = utcnow()
    known_ops = _load_ops(session, [c.op_id for c in changes])
    records = _load_records(session, branch.id, changes)
    results: list[dict[str, Any]] = []
    new_ops: list[dict[str, Any]] = []
    kept_versions: list[dict[str, Any]] = []
    # A row whose change conflicted takes no later change of this batch: a later change's
    # base version could match the server's by accident and overwrite the other side.
    blocked: set[tuple[str, str]] = set()
    for change, op_hash in zip(changes, hashes, strict=True):
        key = (change.entity, change.entity_id)
        previous = known_ops.get(change.op_id)
        restore = previous is not None and _lost(previous, op_hash, records.get(key), change)
        if restore:
            # Applied once, but the row it wrote is gone (a server that lost its records and
            # kept its op log): applied again, answered as before when it no longer fits.
            redo = decide(change, _held(records.get(key)))
            if redo.result == "applied" and key not in blocked:
                _keep(records, kept_versions, branch.id, change, redo, now)
                results.append({"op_id": change.op_id, "result": "applied"})
                continue
        if previous is not None:
            seen = _answer_seen(previous, op_hash, records.get(key), change)
            if seen["result"] == "conflict":
                blocked.add(key)
            results.append(seen)
            continue
        if key in blocked and change.op != "append":
            decision = Decision(
                "conflict",
                "depends_on_conflict",
                "Thay đổi này nối tiếp một thay đổi đang xung đột của cùng bản ghi.",
            )
        else:
            current = records.get(key)
            decision = decide(change, current.held if current is not None else None)
        if decision.result == "conflict":
            blocked.add(key)
        result: dict[str, Any] = {"op_id": change.op_id, "result": decision.result}
        if decision.reason:
            result["reason"] = decision.reason
            result["reason_code"] = decision.reason_code
        if decision.result == "applied":
            _keep(records, kept_versions, branch.id, change, decision, now)
        elif decision.result == "conflict":
            result.update(_conflict_body(records.get(key)))
        result.update(decision.extra)
        results.append(result)
        if decision.result != "deferred":
            new_ops.append(
                {
                    "op_id": change.op_id,
                    "branch_id": branch.id,
                    "batch_id": batch_id,
                    "entity": change.entity[:40],
                    "entity_id": change.entity_id[:64],
                    "content_hash": op_hash,
                    "result": decision.result,
                    "reason_code": decision.reason_code,
                    "reason": decision.reason,
                    "received_at": now,
                }
            )
            known_ops[change.op_id] = _SeenOp(
                op_hash, decision.result, decision.reason_code, decision.reason
            )
    _write_records(session, branch.id, records, now)
    if new_ops:
        session.execute(insert(Op), new_ops)
    kept_versions = _versions_not_held(session, branch.id, kept_versions)
    if kept_versions:
        session.execute(insert(RecordVersion), kept_versions)
    answer = {"batch_id": batch_id, "replayed": False, "received_at": iso(now), "results": results}
    session.add(
        Batch(
            batch_id=batch_id,
            branch_id=branch.id,
            device_id=device.id,
            content_hash=digest,
            change_count=len(changes),
            received_at=now,
            response_json=json.dumps(answer, ensure_ascii=False),
        )
    )
    branch.last_sync_at = now
    dev = session.get(DeviceToken, device.id)
    if dev is not None:
        dev.last_seen_at = now
    return answer


def _held(row: _Row | None) -> Held | None:
    return row.held if row is not None else None


def _lost(previous: _SeenOp, op_hash: str, row: _Row | None, change: Change) -> bool:
    """An op this server applied (same content) whose result it no longer holds: the row is
    gone, or is older than the version the op wrote (only a lost row goes back in version)."""
    if previous.content_hash != op_hash or previous.result not in ("applied", "duplicate"):
        return False
    if change.op not in ("upsert", "append"):
        return False
    return row is None or (change.op == "upsert" and row.held.version < change.version)


def _keep(
    records: dict[tuple[str, str], _Row],
    kept_versions: list[dict[str, Any]],
    branch_id: int,
    change: Change,
    decision: Decision,
    now: Any,
) -> None:
    """An applied change: the row's new state, and the version kept for a report."""
    assert decision.new_state is not None
    key = (change.entity, change.entity_id)
    current = records.get(key)
    records[key] = _Row(current.id if current else None, decision.new_state, dirty=True)
    if keeps_versions(change.entity):
        kept_versions.append(
            {
                "branch_id": branch_id,
                "entity": change.entity,
                "entity_id": change.entity_id,
                "version": decision.new_state.version,
                "fields_json": canonical(decision.new_state.fields),
                "op_id": change.op_id,
                "received_at": now,
            }
        )


def _versions_not_held(
    session: Session, branch_id: int, kept: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The kept versions to insert, less those the server holds already: a row lost while
    its versions survived is restored without a second copy of a version (one per number,
    uq_srv_record_version_key); the version first received stays."""
    if not kept:
        return kept
    ids = sorted({v["entity_id"] for v in kept})
    held: set[tuple[str, str, int]] = set()
    for i in range(0, len(ids), CHUNK):
        query = select(RecordVersion.entity, RecordVersion.entity_id, RecordVersion.version).where(
            RecordVersion.branch_id == branch_id, RecordVersion.entity_id.in_(ids[i : i + CHUNK])
        )
        held.update((e, i_, int(v)) for e, i_, v in session.execute(query))
    out = []
    for v in kept:
        mark = (v["entity"], v["entity_id"], int(v["version"]))
        if mark not in held:
            held.add(mark)
            out.append(v)
    return out


def _write_records(
    session: Session, branch_id: int, records: dict[tuple[str, str], _Row], now: Any
) -> None:
    """The final state of every row the batch changed: one INSERT and one UPDATE, many rows."""
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for (entity, entity_id), row in records.items():
        if not row.dirty:
            continue
        values = {
            "version": row.held.version,
            "fields_json": canonical(row.held.fields),
            "deleted": row.held.deleted,
            "origin": row.held.origin,
            "updated_at": now,
        }
        if row.id is None:
            inserts.append(
                {"branch_id": branch_id, "entity": entity, "entity_id": entity_id, **values}
            )
        else:
            updates.append({"id": row.id, **values})
    if inserts:
        session.execute(insert(Record), inserts)
    if updates:
        session.execute(update(Record), updates)


def _answer_seen(
    previous: _SeenOp, op_hash: str, row: _Row | None, change: Change
) -> dict[str, Any]:
    result: dict[str, Any] = {"op_id": change.op_id}
    if previous.content_hash != op_hash:
        result.update(
            result="rejected",
            reason_code="op_id_reused",
            reason="Mã thay đổi đã được dùng cho một thay đổi khác.",
        )
    elif previous.result in ("applied", "duplicate"):
        result["result"] = "duplicate"
    elif previous.result == "conflict":
        result.update(result="conflict", reason_code=previous.reason_code, reason=previous.reason)
        result.update(_conflict_body(row))
    else:
        result.update(result="rejected", reason_code=previous.reason_code, reason=previous.reason)
    return result

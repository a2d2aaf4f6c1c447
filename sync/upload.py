"""Upload: pending outbox rows, in seq order, as gzip'd batches of about 200 changes.

Crash safety comes from the order of the steps:
  1. a batch id is given to the rows and committed *before* anything is sent;
  2. the batch is POSTed (a lost answer means: send the same rows under the same id again,
     and the server answers from what it stored);
  3. every result and acknowledgement of the batch is recorded in ONE local transaction.
A row the server rejects keeps its reason and never blocks the rows after it.

A document the branch created travels with its file: before a batch goes, the files of the
documents in it that the server does not hold yet are PUT (content-addressed by SHA-256, so
sending one again is harmless); the document's change follows in the batch.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import DocumentFile, OutboxEntry, utcnow
from app.services.sync_state import PROBLEM_STATES, THEIRS_PREFIX, kv_set
from app.vocab import Entity
from sync.errors import FileTooLarge, ServerRefused, UnexpectedResponse
from sync.transport import Transport

if TYPE_CHECKING:
    from app.book import Book

BATCH_SIZE = 200
MAX_DEFERRALS = 5
RESULTS = ("applied", "duplicate", "conflict", "rejected", "deferred")
DEPENDENT_REASON = {
    "conflict": "Chờ giải quyết xung đột trước đó của cùng bản ghi.",
    "rejected": "Không gửi được vì thay đổi trước đó của cùng bản ghi đã bị máy chủ từ chối.",
}


@dataclass
class UploadReport:
    sent: int = 0
    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    deferred: int = 0
    batches: int = 0
    replayed_batches: int = 0
    files_uploaded: int = 0
    file_bytes: int = 0
    files_too_large: int = 0

    @property
    def acknowledged(self) -> int:
        return self.applied + self.duplicate


@dataclass
class PreparedBatch:
    batch_id: str
    seqs: list[int]
    changes: list[dict[str, Any]] = field(default_factory=list)


def _blocked_keys(s: Session) -> dict[tuple[str, str], str]:
    rows = s.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.state).where(
            OutboxEntry.state.in_(PROBLEM_STATES), OutboxEntry.acked_at.is_(None)
        )
    ).all()
    return {(e, i): st for e, i, st in rows}


def _change(row: Any) -> dict[str, Any]:
    return {
        "op_id": row.op_id,
        "seq": row.seq,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "op": row.op,
        "fields": json.loads(row.fields_json or "{}"),
        "base_version": row.base_version,
        "version": row.version,
    }


_COLUMNS = (
    OutboxEntry.seq,
    OutboxEntry.op_id,
    OutboxEntry.entity,
    OutboxEntry.entity_id,
    OutboxEntry.op,
    OutboxEntry.fields_json,
    OutboxEntry.base_version,
    OutboxEntry.version,
)


def next_batch(book: Book, *, limit: int, skip: set[int]) -> PreparedBatch | None:
    """The batch to send now: an unfinished one (same id, same rows) or a new one."""
    with book.session() as s:
        unfinished = s.scalar(
            select(OutboxEntry.batch_id)
            .where(OutboxEntry.state == "pending", OutboxEntry.batch_id.is_not(None))
            .order_by(OutboxEntry.seq)
            .limit(1)
        )
        if unfinished is not None:
            rows = s.execute(
                select(*_COLUMNS)
                .where(OutboxEntry.state == "pending", OutboxEntry.batch_id == unfinished)
                .order_by(OutboxEntry.seq)
            ).all()
            return PreparedBatch(str(unfinished), [r.seq for r in rows], [_change(r) for r in rows])
        blocked = _blocked_keys(s)
        seqs: list[int] = []
        changes: list[dict[str, Any]] = []
        held_back: list[dict[str, Any]] = []
        after = 0
        while len(seqs) < limit:
            candidates = s.execute(
                select(*_COLUMNS)
                .where(
                    OutboxEntry.state == "pending",
                    OutboxEntry.batch_id.is_(None),
                    OutboxEntry.seq > after,
                )
                .order_by(OutboxEntry.seq)
                .limit(limit)
            ).all()
            if not candidates:
                break
            for row in candidates:
                after = row.seq
                if row.seq in skip:
                    continue
                key = (row.entity, row.entity_id)
                if key in blocked:
                    state = blocked[key]
                    held_back.append(
                        {"seq": row.seq, "state": state, "last_error": DEPENDENT_REASON[state]}
                    )
                    continue
                try:
                    change = _change(row)
                except ValueError:
                    reason = "Dữ liệu của thay đổi này bị hỏng, không gửi được."
                    held_back.append({"seq": row.seq, "state": "rejected", "last_error": reason})
                    blocked[key] = "rejected"
                    continue
                seqs.append(row.seq)
                changes.append(change)
                if len(seqs) >= limit:
                    break
        if held_back:
            s.execute(update(OutboxEntry), held_back)
        if not seqs:
            return None
        batch_id = str(uuid.uuid4())
        s.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq.in_(seqs))
            .values(batch_id=batch_id)
            .execution_options(synchronize_session=False)
        )
        return PreparedBatch(batch_id, seqs, changes)


def _release(book: Book, seqs: list[int]) -> None:
    """Forget the batch id of these rows, so they go out again under a new one."""
    with book.session() as s:
        for row in s.scalars(select(OutboxEntry).where(OutboxEntry.seq.in_(seqs))):
            if row.state == "pending":
                row.batch_id = None


def _reject_locally(book: Book, seq: int, reason: str) -> None:
    with book.session() as s:
        row = s.get(OutboxEntry, seq)
        if row is not None:
            row.state = "rejected"
            row.last_error = reason
            row.attempts += 1


def record_results(
    book: Book, batch: PreparedBatch, results: list[dict[str, Any]], report: UploadReport
) -> set[int]:
    """All results and acknowledgements of one batch, in one transaction. Returns the
    seqs answered 'deferred' (left pending for a later batch)."""
    by_op = {r.get("op_id"): r for r in results}
    if len(results) != len(batch.changes) or any(c["op_id"] not in by_op for c in batch.changes):
        raise UnexpectedResponse(detail="batch answer does not list every change")
    if any(r.get("result") not in RESULTS for r in results):
        raise UnexpectedResponse(detail="unknown result in batch answer")
    deferred: set[int] = set()
    now = utcnow()
    with book.session() as s:
        attempts = dict(
            s.execute(
                select(OutboxEntry.op_id, OutboxEntry.attempts).where(
                    OutboxEntry.seq.in_(batch.seqs), OutboxEntry.state == "pending"
                )
            ).all()
        )
        updates: list[dict[str, Any]] = []
        for change, seq in zip(batch.changes, batch.seqs, strict=True):
            if change["op_id"] not in attempts:
                continue  # no longer pending: nothing to record
            result = by_op[change["op_id"]]
            kind = str(result["result"])
            reason = str(result.get("reason") or "")
            tries = int(attempts[change["op_id"]] or 0) + 1
            values: dict[str, Any] = {"seq": seq, "attempts": tries}
            if kind in ("applied", "duplicate"):
                values.update(state=kind, acked_at=now, last_error="")
            elif kind == "conflict":
                values.update(
                    state="conflict", last_error=reason or "Xung đột phiên bản với máy chủ."
                )
                theirs = {
                    "server_version": result.get("server_version"),
                    "server_fields": result.get("server_fields"),
                    "server_deleted": bool(result.get("server_deleted")),
                    "reason_code": result.get("reason_code"),
                }
                kv_set(s, THEIRS_PREFIX + change["op_id"], json.dumps(theirs, ensure_ascii=False))
            elif kind == "rejected":
                values.update(
                    state="rejected", last_error=reason or "Máy chủ từ chối thay đổi này."
                )
            elif tries >= MAX_DEFERRALS:
                kind = "rejected"
                values.update(
                    state="rejected",
                    batch_id=None,
                    last_error="Máy chủ vẫn chưa nhận được thay đổi trước đó của bản ghi này sau "
                    f"{tries} lần gửi.",
                )
            else:
                values.update(batch_id=None, last_error=reason)
                deferred.add(seq)
            updates.append(values)
            setattr(report, kind, getattr(report, kind) + 1)
        _bulk_update(s, updates)
    return deferred


def _bulk_update(s: Session, updates: list[dict[str, Any]]) -> None:
    """UPDATE by primary key, one executemany per set of columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:
        groups.setdefault(tuple(sorted(values)), []).append(values)
    for rows in groups.values():
        s.execute(update(OutboxEntry), rows)


def _document_files(batch: PreparedBatch) -> list[tuple[str, str, str]]:
    """(document id, sha256, mime) of each document in the batch that has a file."""
    out: list[tuple[str, str, str]] = []
    for change in batch.changes:
        fields = change["fields"]
        if change["entity"] != Entity.DOCUMENT or change["op"] != "upsert":
            continue
        sha = str(fields.get("sha256") or "").lower()
        if not sha or fields.get("deleted_at") or fields.get("source") == "committee":
            continue
        out.append((change["entity_id"], sha, str(fields.get("mime") or "")))
    return out


def upload_files(
    book: Book, transport: Transport, batch: PreparedBatch, report: UploadReport
) -> None:
    """Send the files of the batch's documents that the server does not hold yet."""
    wanted = _document_files(batch)
    if not wanted:
        return
    try:
        answer = transport.post_json(
            "/api/v1/files/check", {"sha256": sorted({sha for _d, sha, _m in wanted})}
        )
    except ServerRefused as exc:
        if exc.status in (404, 405):  # a server that takes no files: the data still goes
            return
        raise
    missing, limit = answer.get("missing"), answer.get("max_bytes")
    if not isinstance(missing, list):
        raise UnexpectedResponse(detail="file check answer without missing")
    todo = {str(sha) for sha in missing}
    for document_id, sha, mime in wanted:
        if sha not in todo:
            continue
        with book.read_session() as s:
            data = s.scalar(
                select(DocumentFile.data).where(DocumentFile.document_id == document_id)
            )
        if data is None or hashlib.sha256(data).hexdigest() != sha:
            continue  # no file in the book for it: the document's data goes alone
        if isinstance(limit, int) and len(data) > limit:
            # Not even tried: a server cutting a large body short looks like a network
            # failure, which would stop every later sync. The document's data still goes.
            report.files_too_large += 1
            continue
        try:
            transport.put_bytes(f"/api/v1/files/{sha}", data, mime)
        except FileTooLarge:
            report.files_too_large += 1
            continue
        todo.discard(sha)
        report.files_uploaded += 1
        report.file_bytes += len(data)


def upload(
    book: Book,
    transport: Transport,
    *,
    branch_code: str,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[UploadReport], None] | None = None,
) -> UploadReport:
    report = UploadReport()
    skip: set[int] = set()
    limit = batch_size
    while True:
        batch = next_batch(book, limit=limit, skip=skip)
        if batch is None:
            return report
        upload_files(book, transport, batch, report)
        body = {"batch_id": batch.batch_id, "branch_code": branch_code, "changes": batch.changes}
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        status, answer = transport.post_gzip("/api/v1/batches", payload)
        report.sent += len(batch.changes)
        if status == 200:
            results = answer.get("results")
            if not isinstance(results, list):
                raise UnexpectedResponse(detail="batch answer without results")
            report.batches += 1
            report.replayed_batches += bool(answer.get("replayed"))
            skip |= record_results(book, batch, results, report)
            if progress is not None:
                progress(report)
            continue
        report.sent -= len(batch.changes)
        code, message = str(answer.get("error", "")), str(answer.get("message", ""))
        if status == 409 and code == "batch_reused":
            _release(book, batch.seqs)
        elif status in (400, 413) and len(batch.seqs) > 1:
            # Find the change the server cannot take by halving; the rest still go up.
            _release(book, batch.seqs)
            limit = max(1, len(batch.seqs) // 2)
        elif status in (400, 413):
            _reject_locally(book, batch.seqs[0], message or "Máy chủ không nhận thay đổi này.")
            report.rejected += 1
        else:
            raise ServerRefused(status, code, message)

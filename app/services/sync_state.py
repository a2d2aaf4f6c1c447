"""Sync state kept in the book, and the items that need the secretary's attention.

Everything lives in existing tables, so sync needs no schema of its own:
  * `kv`: server address, branch code, pull cursor, CA bundle, last sync, the device token
    when there is no OS keyring (the book is SQLCipher-encrypted, so it is then wrapped by
    the book's key), and the server's side of each conflict (`sync.theirs.<op_id>`);
  * `sync_outbox`: a change the server refused stays there with state `conflict` or
    `rejected` and its reason in `last_error`; `acked_at` stays empty until the secretary
    has dealt with it. That is what "needing attention" counts.

Resolving a conflict (keep mine / take theirs) and applying a committee change to a local
row are here too, because they write rows, audit entries and outbox entries like any service.
This module imports no HTTP library; the client in sync/ uses it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    and_,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.errors import KnownError, NotFoundError, ValidationError
from app.models import Base, KeyValue, Member, OutboxEntry, new_id, utcnow
from app.models.base import to_json_value
from app.services import changes
from app.services.changes import OpChanges
from app.storage.keys import keyring_available, keyring_delete, keyring_get, keyring_set
from app.text import clean, fold, name_sort_key, nfc
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book

KEY_SERVER = "sync.server_url"
KEY_BRANCH_CODE = "sync.branch_code"
KEY_BRANCH_NAME = "sync.branch_name"
KEY_DEVICE_ID = "sync.device_id"
KEY_TOKEN = "sync.device_token"  # only when there is no OS keyring
KEY_TOKEN_STORE = "sync.token_store"  # "keyring" | "book"
KEY_CURSOR = "sync.cursor"
KEY_CA_BUNDLE = "sync.ca_bundle"
KEY_LAST_SUCCESS = "sync.last_success_at"
KEY_LAST_ATTEMPT = "sync.last_attempt_at"
KEY_LAST_ERROR = "sync.last_error"
KEY_SERVER_ID = "sync.server_id"  # the server's identity (/api/v1/info) at the last sync
THEIRS_PREFIX = "sync.theirs."
PULL_PROBLEM_PREFIX = "sync.pull_problem."

UPSTREAM_ACTOR = "Đảng ủy cấp trên (đồng bộ)"
PROBLEM_STATES = ("conflict", "rejected")

# Every entity the desktop sends (and the server has a rule for, server/protocol.py), as the
# secretary reads it in the Đồng bộ panel and in `sotay sync problems`.
ENTITY_LABELS: dict[str, str] = {e.value: e.label for e in Entity.synced()}


class SyncStateError(KnownError):
    pass


# -- kv ------------------------------------------------------------------------------------
def kv_get(s: Session, key: str) -> str | None:
    row = s.get(KeyValue, key)
    return None if row is None else row.value


def kv_set(s: Session, key: str, value: str | None) -> None:
    row = s.get(KeyValue, key)
    if value is None:
        if row is not None:
            s.delete(row)
        return
    if row is None:
        s.add(KeyValue(key=key, value=value))
    else:
        row.value = value


def _iso(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


# -- configuration and the device token ----------------------------------------------------
@dataclass(frozen=True)
class SyncConfig:
    server_url: str | None
    branch_code: str | None
    branch_name: str | None
    device_id: str | None
    ca_bundle: str | None
    cursor: str

    @property
    def enrolled(self) -> bool:
        return bool(self.server_url and self.branch_code)


def load_config(book: Book) -> SyncConfig:
    with book.read_session() as s:
        return SyncConfig(
            server_url=kv_get(s, KEY_SERVER),
            branch_code=kv_get(s, KEY_BRANCH_CODE),
            branch_name=kv_get(s, KEY_BRANCH_NAME),
            device_id=kv_get(s, KEY_DEVICE_ID),
            ca_bundle=kv_get(s, KEY_CA_BUNDLE),
            cursor=kv_get(s, KEY_CURSOR) or "",
        )


def _keyring_account(book: Book) -> str:
    return f"sync-token:{book.book_id}"


def save_enrolment(
    book: Book,
    *,
    server_url: str,
    branch_code: str,
    branch_name: str,
    device_id: str,
    token: str,
) -> str:
    """Remember the server and the device token. Returns where the token went.

    The OS keyring when there is one; otherwise the book's kv table (encrypted by the book).
    A new enrolment to another branch or server starts the pull from the beginning.
    """
    store = "book"
    if keyring_available():
        try:
            keyring_set(_keyring_account(book), token)
            store = "keyring"
        except KnownError:
            store = "book"
    with book.session() as s:
        previous = (kv_get(s, KEY_SERVER), kv_get(s, KEY_BRANCH_CODE))
        kv_set(s, KEY_SERVER, server_url)
        kv_set(s, KEY_BRANCH_CODE, branch_code)
        kv_set(s, KEY_BRANCH_NAME, branch_name)
        kv_set(s, KEY_DEVICE_ID, device_id)
        kv_set(s, KEY_TOKEN_STORE, store)
        kv_set(s, KEY_TOKEN, token if store == "book" else None)
        kv_set(s, KEY_LAST_ERROR, None)
        if previous != (server_url, branch_code):
            kv_set(s, KEY_CURSOR, None)
        changes.audit_only(
            s,
            actor=book.actor,
            action="enrol",
            entity=Entity.SYNC,
            entity_id="",
            summary=f"Đăng ký máy với máy chủ {server_url} (chi bộ {branch_code})",
        )
    return store


def device_token(book: Book) -> str | None:
    with book.read_session() as s:
        store = kv_get(s, KEY_TOKEN_STORE)
        in_book = kv_get(s, KEY_TOKEN)
    if store == "keyring":
        return keyring_get(_keyring_account(book))
    return in_book


def forget_token(book: Book) -> None:
    """After a 401: the token is useless; the secretary must enrol again."""
    with book.session() as s:
        kv_set(s, KEY_TOKEN, None)
        kv_set(s, KEY_TOKEN_STORE, None)
    keyring_delete(_keyring_account(book))


def set_ca_bundle(book: Book, path: str | None) -> None:
    with book.session() as s:
        kv_set(s, KEY_CA_BUNDLE, path or None)


# -- a new or rebuilt server: the whole book again ------------------------------------------
SNAPSHOT_NOTE = "Máy chủ mới hoặc đã mất dữ liệu: đã gửi lại bản hiện tại của sổ."


def note_server(book: Book, *, server_id: str, server_records: int | None) -> int:
    """Remember the server synced with; queue a full snapshot when it is not the one the book
    last synced with, or when it holds nothing of a branch that has sent before.

    Returns how many changes the snapshot queued (0 when none was needed). The snapshot is
    queued in one transaction with the new server id, so a sync interrupted after it simply
    goes on sending the queued rows; a snapshot row the server already holds is answered
    `duplicate` (same fields), so sending it again is harmless.
    """
    with book.session() as s:
        last = kv_get(s, KEY_SERVER_ID)
        sent_before = bool(
            s.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.state.in_(("applied", "duplicate")))
            )
        )
        lost = server_records == 0 and sent_before
        if last == server_id and not lost:
            return 0
        if last is None and not lost:  # first sync, or a book from before server ids
            kv_set(s, KEY_SERVER_ID, server_id)
            return 0
        queued = _queue_snapshot(s)
        kv_set(s, KEY_SERVER_ID, server_id)
        changes.audit_only(
            s,
            actor=book.actor,
            action="sync",
            entity=Entity.SYNC,
            entity_id="",
            summary=f"{SNAPSHOT_NOTE} ({queued} thay đổi, máy chủ {server_id})",
        )
        return queued


def _queue_snapshot(s: Session) -> int:
    """Every synced row as it is now (versioned entities: an upsert on version 0 carrying the
    row's version), every event sent before again under its own op id, and every version of
    a report the old server acknowledged, in order (`_report_versions`)."""
    now = utcnow()
    appendable = [e.value for e in Entity.synced() if e.append_only]
    snapshot: list[OutboxEntry] = []
    replay: list[int] = []
    keep: set[int] = set()
    for entity in Entity.synced():
        model = model_for(entity)
        if model is None or entity.append_only:
            continue
        if entity.keeps_versions:
            again, waiting, copies = _report_versions(s, entity, model, now)
            replay += again
            keep |= waiting
            snapshot += copies
            continue
        for row in s.scalars(select(model)):
            if entity == Entity.DOCUMENT and getattr(row, "source", "") == "committee":
                continue  # the committee's own publication: theirs to publish again
            snapshot.append(
                _snapshot_entry(
                    entity.value,
                    row.id,
                    json.dumps(row.sync_fields(), ensure_ascii=False, default=str),
                    base_version=0,
                    version=max(1, int(row.version or 0)),
                    now=now,
                )
            )
    covered = {(entry.entity, entry.entity_id) for entry in snapshot}
    covered |= {
        (entity.value, row_id)
        for entity in Entity.synced()
        if entity.keeps_versions
        for row_id in s.scalars(select(OutboxEntry.entity_id).where(OutboxEntry.entity == entity))
    }
    # What was still waiting (or refused by the old server) for these rows is in the snapshot
    # (a report's submission still waiting stays: it goes after the versions replayed).
    superseded = [
        {"seq": seq, "state": "duplicate" if state == "pending" else state, "acked_at": now,
         "batch_id": None, "last_error": SNAPSHOT_NOTE}
        for seq, entity_name, entity_id, state in s.execute(
            select(OutboxEntry.seq, OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.state)
            .where(
                OutboxEntry.acked_at.is_(None),
                OutboxEntry.state.in_(("pending", *PROBLEM_STATES)),
            )
        )
        if (entity_name, entity_id) in covered and seq not in keep
    ]  # fmt: skip
    if superseded:
        s.execute(update(OutboxEntry), superseded)
    if keep:  # not sent to the new server yet, whatever the old one was given
        s.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq.in_(keep))
            .values(batch_id=None, attempts=0)
            .execution_options(synchronize_session=False)
        )
    # Events are immutable, and so is a version of a report the server acknowledged: the very
    # changes sent before, same op ids, queued again (a server that has them answers
    # `duplicate`).
    replayed = s.execute(
        update(OutboxEntry)
        .where(
            or_(
                and_(
                    OutboxEntry.entity.in_(appendable),
                    OutboxEntry.state.in_(("applied", "duplicate")),
                ),
                OutboxEntry.seq.in_(replay),
            )
        )
        .values(state="pending", acked_at=None, batch_id=None, attempts=0, last_error="")
        .execution_options(synchronize_session=False)
    )
    s.add_all(snapshot)
    s.flush()
    return len(snapshot) + int(replayed.rowcount or 0)  # type: ignore[attr-defined]


def _snapshot_entry(
    entity: str,
    entity_id: str,
    fields_json: str,
    *,
    base_version: int,
    version: int,
    now: dt.datetime,
) -> OutboxEntry:
    return OutboxEntry(
        op_id=new_id(),
        entity=entity,
        entity_id=entity_id,
        op="upsert",
        fields_json=fields_json,
        base_version=base_version,
        version=version,
        created_at=now,
        state="pending",
    )


def _report_versions(
    s: Session, entity: Entity, model: type[Any], now: dt.datetime
) -> tuple[list[int], set[int], list[OutboxEntry]]:
    """A report's history for a new server: the server keeps every submitted version, so the
    new one must receive each version the old one acknowledged, with the same fields and
    version numbers, in order — not only the latest.

    The book's outbox is that record (it is never pruned): the report's upserts a server
    answered `applied`/`duplicate` (not the ones a snapshot closed unsent), then the
    submissions still waiting. Each one built on the version before it goes again under its
    **own** op id, unchanged (so the old server, or a new one that has it, answers
    `duplicate`); one built on a version the book has no record of sending (a conflict kept
    "mine") is copied with its fields and version on the last one before it, and so is every
    later one of that report, to keep the order. Last, the row itself when its submitted
    version is none of these. A draft, or an edit not submitted again, never goes up.

    Returns the seqs to queue again, the waiting seqs to keep, and the new entries."""
    entries: dict[str, list[OutboxEntry]] = {}
    for entry in s.scalars(
        select(OutboxEntry)
        .where(
            OutboxEntry.entity == entity,
            OutboxEntry.op == "upsert",
            or_(
                and_(
                    OutboxEntry.state.in_(("applied", "duplicate")),
                    OutboxEntry.last_error != SNAPSHOT_NOTE,
                ),
                and_(OutboxEntry.state == "pending", OutboxEntry.acked_at.is_(None)),
            ),
        )
        .order_by(OutboxEntry.seq)
    ):
        entries.setdefault(entry.entity_id, []).append(entry)
    rows = {row.id: row for row in s.scalars(select(model).where(model.version > 0))}
    replay: list[int] = []
    keep: set[int] = set()
    copies: list[OutboxEntry] = []
    for row_id in sorted(set(entries) | set(rows)):
        last, copying = 0, False
        for entry in entries.get(row_id, []):
            if entry.version <= last:
                continue  # that version is already in (a snapshot of it, a duplicate)
            copying = copying or entry.base_version != last
            if copying:
                copies.append(
                    _snapshot_entry(
                        entity.value,
                        row_id,
                        entry.fields_json,
                        base_version=last,
                        version=entry.version,
                        now=now,
                    )
                )
            elif entry.state == "pending":
                keep.add(entry.seq)
            else:
                replay.append(entry.seq)
            last = entry.version
        row = rows.get(row_id)
        if row is None or int(row.version) <= last:
            continue
        fields_json = _submitted_fields(s, entity, row)
        if fields_json is not None:
            copies.append(
                _snapshot_entry(
                    entity.value,
                    row_id,
                    fields_json,
                    base_version=last,
                    version=int(row.version),
                    now=now,
                )
            )
    return replay, keep, copies


def _submitted_fields(s: Session, entity: Entity, row: Any) -> str | None:
    """What the report's current version carried when it was submitted: the row itself while
    it is `submitted`; after an edit not yet submitted, that submission's change."""
    if row.state == "submitted":
        return json.dumps(row.sync_fields(), ensure_ascii=False, default=str)
    return s.scalar(
        select(OutboxEntry.fields_json)
        .where(
            OutboxEntry.entity == entity,
            OutboxEntry.entity_id == row.id,
            OutboxEntry.op == "upsert",
            OutboxEntry.version == row.version,
        )
        .order_by(OutboxEntry.seq.desc())
        .limit(1)
    )


def note_attempt(book: Book, *, error: str | None, success: bool) -> None:
    with book.session() as s:
        now = _iso(utcnow())
        kv_set(s, KEY_LAST_ATTEMPT, now)
        kv_set(s, KEY_LAST_ERROR, error)
        if success:
            kv_set(s, KEY_LAST_SUCCESS, now)


# -- status --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None
    branch_code: str | None
    pending: int
    needing_attention: int
    last_sync_at: dt.datetime | None  # last successful sync, UTC
    last_attempt_at: dt.datetime | None
    last_error: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "enrolled": self.enrolled,
            "server": self.server_url,
            "branch_code": self.branch_code,
            "pending": self.pending,
            "needing_attention": self.needing_attention,
            "last_sync_at": _iso(self.last_sync_at) + "Z" if self.last_sync_at else None,
            "last_attempt_at": _iso(self.last_attempt_at) + "Z" if self.last_attempt_at else None,
            "last_error": self.last_error,
        }


def status(book: Book) -> SyncStatus:
    with book.read_session() as s:
        pending = s.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")
        )
        return SyncStatus(
            enrolled=bool(kv_get(s, KEY_SERVER) and kv_get(s, KEY_BRANCH_CODE)),
            server_url=kv_get(s, KEY_SERVER),
            branch_code=kv_get(s, KEY_BRANCH_CODE),
            pending=int(pending or 0),
            needing_attention=_attention_count(s),
            last_sync_at=_parse_time(kv_get(s, KEY_LAST_SUCCESS)),
            last_attempt_at=_parse_time(kv_get(s, KEY_LAST_ATTEMPT)),
            last_error=kv_get(s, KEY_LAST_ERROR),
        )


def _attention_count(s: Session) -> int:
    keys = s.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id)
        .where(OutboxEntry.state.in_(PROBLEM_STATES), OutboxEntry.acked_at.is_(None))
        .distinct()
    ).all()
    pulled = s.scalar(
        select(func.count())
        .select_from(KeyValue)
        .where(KeyValue.key.startswith(PULL_PROBLEM_PREFIX))
    )
    return len(keys) + int(pulled or 0)


# -- problems ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One row the server refused (or a committee change that could not be applied)."""

    kind: str  # conflict | rejected | pull
    op_id: str  # the outbox op id (the kv key's suffix for 'pull')
    entity: str
    entity_id: str
    label: str  # Vietnamese: "Đảng viên Nguyễn Văn An"
    reason: str  # Vietnamese
    mine: dict[str, Any] | None
    theirs: dict[str, Any] | None
    server_version: int | None
    server_deleted: bool
    created_at: dt.datetime | None
    op_ids: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "op_id": self.op_id,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "label": self.label,
            "reason": self.reason,
            "mine": self.mine,
            "theirs": self.theirs,
            "server_version": self.server_version,
            "server_deleted": self.server_deleted,
            "created_at": _iso(self.created_at) if self.created_at else None,
            "op_ids": list(self.op_ids),
        }


def _describe(entity: str, fields: dict[str, Any] | None) -> str:
    label = ENTITY_LABELS.get(entity, entity)
    f = fields or {}
    name = (
        f.get("full_name") or f.get("title") or f.get("topic") or f.get("number") or f.get("name")
    )
    if not name and f.get("content"):  # feedback: the start of what the member said
        text = " ".join(str(f["content"]).split())
        name = "“" + (text if len(text) <= 40 else text[:39].rstrip() + "…") + "”"
    if not name and f.get("held_on"):  # a support session
        name = _day(str(f["held_on"]))
    if not name and f.get("period"):  # a report not numbered yet
        name = f"kỳ {f['period']}"
    return f"{label} {name}" if name else label


def _day(value: str) -> str:
    try:
        return f"{dt.date.fromisoformat(value[:10]):%d/%m/%Y}"
    except ValueError:
        return value


def problems(book: Book) -> list[Problem]:
    """Items needing attention, one per row (all refused changes of one row together)."""
    with book.read_session() as s:
        rows = list(
            s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.state.in_(PROBLEM_STATES), OutboxEntry.acked_at.is_(None))
                .order_by(OutboxEntry.seq)
            )
        )
        grouped: dict[tuple[str, str], list[OutboxEntry]] = {}
        for row in rows:
            grouped.setdefault((row.entity, row.entity_id), []).append(row)
        out: list[Problem] = []
        for (entity, entity_id), group in grouped.items():
            out.append(_problem_for(s, entity, entity_id, group))
        for kv in s.scalars(
            select(KeyValue)
            .where(KeyValue.key.startswith(PULL_PROBLEM_PREFIX))
            .order_by(KeyValue.key)
        ):
            info = json.loads(kv.value)
            out.append(
                Problem(
                    kind="pull",
                    op_id=kv.key[len(PULL_PROBLEM_PREFIX) :],
                    entity=info.get("entity", ""),
                    entity_id=info.get("entity_id", ""),
                    label=_describe(info.get("entity", ""), info.get("fields")),
                    reason=info.get("reason", ""),
                    mine=None,
                    theirs=info.get("fields"),
                    server_version=info.get("version"),
                    server_deleted=False,
                    created_at=_parse_time(info.get("at")),
                    op_ids=(),
                )
            )
        return out


def _problem_for(s: Session, entity: str, entity_id: str, group: list[OutboxEntry]) -> Problem:
    latest = group[-1]
    mine = json.loads(latest.fields_json or "{}")
    if latest.op == "delete":
        mine = {**mine, "deleted_at": mine.get("deleted_at") or "(xóa)"}
    theirs_info: dict[str, Any] | None = None
    for row in group:
        raw = kv_get(s, THEIRS_PREFIX + row.op_id)
        if raw:
            theirs_info = json.loads(raw)
    kind = "conflict" if any(r.state == "conflict" for r in group) else "rejected"
    first = next((r for r in group if r.state == kind), group[0])
    return Problem(
        kind=kind,
        op_id=first.op_id,
        entity=entity,
        entity_id=entity_id,
        label=_describe(entity, mine or (theirs_info or {}).get("server_fields")),
        reason=first.last_error,
        mine=mine,
        theirs=(theirs_info or {}).get("server_fields"),
        server_version=(theirs_info or {}).get("server_version"),
        server_deleted=bool((theirs_info or {}).get("server_deleted")),
        created_at=first.acked_at or first.created_at,
        op_ids=tuple(r.op_id for r in group),
    )


def _unresolved(s: Session, entity: str, entity_id: str) -> list[OutboxEntry]:
    """The row's refused changes not yet dealt with, and its changes not yet sent."""
    return list(
        s.scalars(
            select(OutboxEntry)
            .where(
                OutboxEntry.entity == entity,
                OutboxEntry.entity_id == entity_id,
                OutboxEntry.acked_at.is_(None),
                or_(
                    OutboxEntry.state.in_(PROBLEM_STATES),
                    and_(OutboxEntry.state == "pending", OutboxEntry.batch_id.is_(None)),
                ),
            )
            .order_by(OutboxEntry.seq)
        )
    )


def _problem_rows(s: Session, op_id: str) -> tuple[OutboxEntry, list[OutboxEntry]]:
    row = s.scalar(select(OutboxEntry).where(OutboxEntry.op_id == op_id))
    if row is None or row.state not in PROBLEM_STATES or row.acked_at is not None:
        raise NotFoundError("Không tìm thấy mục đồng bộ cần xử lý này (có thể đã được xử lý).")
    group = _unresolved(s, row.entity, row.entity_id)
    return row, group


def _close_rows(s: Session, group: list[OutboxEntry], note: str) -> None:
    now = utcnow()
    for row in group:
        if row.state == "pending":
            row.state = "conflict"  # folded into the resolution, never sent as it was
        row.acked_at = now
        row.last_error = (row.last_error + " — " if row.last_error else "") + note
        kv_set(s, THEIRS_PREFIX + row.op_id, None)


def resolve_conflict(book: Book, *, op_id: str, keep: str) -> OpChanges:
    """The secretary's choice for a conflict: keep "mine" or take "theirs" (the server's).

    mine: the row keeps the branch's latest values and goes up again on the server's
    version. theirs: the server's values are written to the row; nothing goes up.
    """
    if keep not in ("mine", "theirs"):
        raise ValidationError("Chọn giữ bản của chi bộ (mine) hoặc lấy bản trên máy chủ (theirs).")
    with book.session() as s:
        row, group = _problem_rows(s, op_id)
        if row.state != "conflict":
            raise ValidationError("Mục này không phải xung đột; chỉ có thể bỏ qua.")
        info: dict[str, Any] = {}
        for r in group:
            raw = kv_get(s, THEIRS_PREFIX + r.op_id)
            if raw:
                info = json.loads(raw)
        server_version = int(info.get("server_version") or 0)
        latest = group[-1]
        mine = json.loads(latest.fields_json or "{}")
        model = model_for(row.entity)
        if keep == "mine":
            mine = keep_committee_answer(row.entity, mine, info.get("server_fields"))
            new_version = server_version + 1
            local = s.get(model, row.entity_id) if model is not None else None
            if local is not None:
                assign_fields(local, mine)
                local.version = new_version
                local.updated_at = utcnow()
            _close_rows(s, group, "Đã giải quyết: giữ bản của chi bộ")
            s.flush()
            changes.resend(
                s,
                actor=book.actor,
                entity=Entity(row.entity),
                entity_id=row.entity_id,
                summary=f"Giải quyết xung đột đồng bộ: giữ bản của chi bộ ({_describe(row.entity, mine)})",
                op=latest.op if latest.op in ("upsert", "delete") else "upsert",
                fields=mine,
                base_version=server_version,
                version=new_version,
            )
        else:
            theirs = info.get("server_fields")
            if theirs is None:
                raise ValidationError(
                    "Máy chủ không gửi kèm bản của họ; chỉ có thể giữ bản của chi bộ."
                )
            local = s.get(model, row.entity_id) if model is not None else None
            if model is None:
                raise SyncStateError(
                    f"Không áp dụng được bản trên máy chủ cho loại dữ liệu {row.entity}."
                )
            before = (
                local.sync_fields() if local is not None and hasattr(local, "sync_fields") else None
            )
            local = _write_remote(
                s, model, row.entity_id, theirs, server_version, bool(info.get("server_deleted"))
            )
            _close_rows(s, group, "Đã giải quyết: lấy bản trên máy chủ")
            changes.audit_only(
                s,
                actor=book.actor,
                action="resolve",
                entity=Entity(row.entity),
                entity_id=row.entity_id,
                summary=f"Giải quyết xung đột đồng bộ: lấy bản trên máy chủ ({_describe(row.entity, theirs)})",
                changes=changes.diff(before, _fields_of(local)),
            )
        return OpChanges.of(Entity(row.entity), Entity.SYNC, ids=(row.entity_id,))


# What only the committee writes on a member's feedback: keeping the branch's version of a
# feedback the committee has answered keeps that answer (an answer is never lost that way).
COMMITTEE_ANSWER_FIELDS = ("state", "answer", "answered_on", "answered_by")


def keep_committee_answer(entity: str, mine: dict[str, Any], theirs: Any) -> dict[str, Any]:
    if (
        entity != Entity.FEEDBACK
        or not isinstance(theirs, dict)
        or theirs.get("state") != "answered"
    ):
        return mine
    if mine.get("state") == "answered" or mine.get("deleted_at"):
        return mine  # the branch's own answer (or its removal) is what the secretary keeps
    return {**mine, **{k: theirs[k] for k in COMMITTEE_ANSWER_FIELDS if k in theirs}}


def dismiss(book: Book, *, op_id: str) -> OpChanges:
    """The secretary has read a rejected change (or a committee change that failed)."""
    with book.session() as s:
        key = PULL_PROBLEM_PREFIX + op_id
        if kv_get(s, key) is not None:
            kv_set(s, key, None)
            return OpChanges.of(Entity.SYNC)
        row, group = _problem_rows(s, op_id)
        if any(r.state == "conflict" for r in group):
            raise ValidationError(
                "Đây là xung đột: hãy chọn giữ bản của chi bộ hoặc lấy bản trên máy chủ, "
                "để hai bên không lệch nhau."
            )
        _close_rows(s, group, "Đã xem, bỏ qua")
        changes.audit_only(
            s,
            actor=book.actor,
            action="dismiss",
            entity=Entity(row.entity),
            entity_id=row.entity_id,
            summary="Bỏ qua thay đổi bị máy chủ từ chối: " + row.last_error,
        )
        return OpChanges.of(Entity.SYNC, ids=(row.entity_id,))


# -- writing server values into local rows --------------------------------------------------
def model_for(entity: str) -> type[Any] | None:
    """The mapped class whose table has this entity's name (entities are table names)."""
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__tablename__", None) == entity:
            return cls
    if entity == Entity.ATTENDANCE:  # what older desktops called a roll-call mark
        return model_for(Entity.ATTENDANCE_EVENT)
    return None


LOCAL_COLUMNS = frozenset({"version", "created_at", "updated_at", "name_search", "name_sort"})


def _convert(column: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(str(value).replace("Z", "")).replace(tzinfo=None)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(str(value)[:10])
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, Integer):
        return int(value)
    return nfc(value) if isinstance(value, str) else value


def assign_fields(row: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Write JSON field values onto a mapped row (known columns only); returns the diff."""
    columns = row.__table__.columns
    delta: dict[str, list[Any]] = {}
    for key, value in fields.items():
        if key in LOCAL_COLUMNS or key == "id" or key not in columns:
            continue
        new = _convert(columns[key], value)
        old = getattr(row, key)
        if to_json_value(old) != to_json_value(new):
            delta[key] = [to_json_value(old), to_json_value(new)]
            setattr(row, key, new)
    if isinstance(row, Member) and "full_name" in delta:
        row.name_search = fold(row.full_name)
        row.name_sort = name_sort_key(row.full_name)
    return delta


def _fields_of(row: Any) -> dict[str, Any]:
    return dict(row.sync_fields()) if hasattr(row, "sync_fields") else {}


def _new_row(s: Session, model: type[Any], entity_id: str, fields: dict[str, Any]) -> Any:
    row = model(id=entity_id)
    if isinstance(row, Member):
        row.full_name = clean(str(fields.get("full_name") or ""))
        row.name_search = fold(row.full_name)
        row.name_sort = name_sort_key(row.full_name)
    s.add(row)
    return row


def _write_remote(
    s: Session,
    model: type[Any],
    entity_id: str,
    fields: dict[str, Any],
    version: int,
    deleted: bool,
) -> Any:
    row = s.get(model, entity_id)
    if row is None:
        row = _new_row(s, model, entity_id, fields)
    assign_fields(row, fields)
    if hasattr(row, "version"):
        row.version = version
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()
    if deleted and hasattr(row, "deleted_at") and row.deleted_at is None:
        row.deleted_at = utcnow()
    s.flush()
    return row


def apply_upstream(
    s: Session,
    *,
    entity: str,
    entity_id: str,
    fields: dict[str, Any],
    version: int,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> tuple[Any, dict[str, list[Any]]]:
    """A change the committee published, written to the local row in the caller's transaction.

    Recorded in the audit trail as done by the upper committee; no outbox entry (it came
    from the server). Returns the row and what changed.
    """
    model = model_for(entity)
    if model is None:
        raise SyncStateError(f"Chương trình chưa biết loại dữ liệu “{entity}” do cấp trên gửi.")
    local: Any = s.get(model, entity_id)
    created = local is None
    if created:
        local = _new_row(s, model, entity_id, fields)
    delta = assign_fields(local, {**fields, **(extra or {})})
    if hasattr(local, "version"):
        local.version = max(int(local.version or 0), int(version))
    if hasattr(local, "updated_at"):
        local.updated_at = utcnow()
    s.flush()
    label = _describe(entity, _fields_of(local) or fields)
    summary = ("Cấp trên gửi mới: " if created else "Cấp trên cập nhật: ") + label
    if note:
        summary += f" — {note}"
    changes.audit_only(
        s,
        actor=UPSTREAM_ACTOR,
        action="create" if created else "update",
        entity=Entity(entity),
        entity_id=entity_id,
        summary=summary,
        changes=delta,
        reason=note,
    )
    return local, delta


def record_pull_problem(
    s: Session,
    *,
    cursor: str,
    entity: str,
    entity_id: str,
    fields: dict[str, Any],
    version: int,
    reason: str,
) -> None:
    kv_set(
        s,
        PULL_PROBLEM_PREFIX + (cursor or new_id()),
        json.dumps(
            {
                "entity": entity,
                "entity_id": entity_id,
                "fields": fields,
                "version": version,
                "reason": reason,
                "at": _iso(utcnow()),
            },
            ensure_ascii=False,
        ),
    )


def clear_pull_problems(s: Session) -> None:
    s.execute(delete(KeyValue).where(KeyValue.key.startswith(PULL_PROBLEM_PREFIX)))

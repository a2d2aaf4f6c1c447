"""The one place a change is recorded: audit entry + sync outbox entry, same transaction.

Services call `record` inside their session; nothing else writes audit_log or sync_outbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEntry, OutboxEntry, SyncedMixin, new_id, utcnow
from app.models.base import to_json_value
from app.vocab import Entity


@dataclass(frozen=True)
class OpChanges:
    """What a write touched, so each view can decide whether to refresh (like Anki)."""

    entities: frozenset[Entity] = field(default_factory=frozenset)
    ids: tuple[str, ...] = ()

    def touches(self, *entities: Entity) -> bool:
        return any(e in self.entities for e in entities)

    @classmethod
    def of(cls, *entities: Entity, ids: tuple[str, ...] = ()) -> OpChanges:
        return cls(entities=frozenset(entities), ids=ids)


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    before = before or {}
    out: dict[str, list[Any]] = {}
    for key, new in after.items():
        old = before.get(key)
        if to_json_value(old) != to_json_value(new):
            out[key] = [to_json_value(old), to_json_value(new)]
    return out


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: Entity,
    row: SyncedMixin | None = None,
    entity_id: str | None = None,
    summary: str,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    sync_op: str | None = "upsert",
    sync_fields: dict[str, Any] | None = None,
    base_version: int | None = None,
) -> None:
    """Write the audit entry and (unless sync_op is None) the outbox entry for a change."""
    eid = entity_id or (row.id if row is not None else "")
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=eid,
            summary=summary,
            changes_json=json.dumps(changes or {}, ensure_ascii=False),
            reason=reason,
        )
    )
    if sync_op is None:
        return
    fields = sync_fields if sync_fields is not None else (row.sync_fields() if row else {})
    version = row.version if row is not None else 1
    _queue(
        session,
        entity=entity,
        entity_id=eid,
        op=sync_op,
        fields=fields,
        base_version=base_version if base_version is not None else max(0, version - 1),
        version=version,
    )


def _queue(
    session: Session,
    *,
    entity: Entity,
    entity_id: str,
    op: str,
    fields: dict[str, Any],
    base_version: int,
    version: int,
) -> None:
    session.add(
        OutboxEntry(
            op_id=new_id(),
            entity=entity,
            entity_id=entity_id,
            op=op,
            fields_json=json.dumps(fields, ensure_ascii=False, default=str),
            base_version=base_version,
            version=version,
            created_at=utcnow(),
            state="pending",
        )
    )


def bump(row: SyncedMixin) -> int:
    """Advance a row's version and timestamp before recording its change; returns the base."""
    base = row.version or 0
    row.version = base + 1
    row.updated_at = utcnow()
    return base


# The shared change helpers: every service writes a change through one of these four, so the
# row, its audit entry and its outbox entry are always made the same way, in one transaction.


def create(
    session: Session,
    row: SyncedMixin,
    *,
    actor: str,
    entity: Entity,
    summary: str,
    reason: str = "",
    changes: dict[str, list[Any]] | None = None,
    sync: bool = True,
    action: str = "create",
) -> None:
    """Add a new synced row: audited as `action` ("create"), queued as its first version."""
    session.add(row)
    if row.id is None:  # the id (and column defaults) come with the flush; entries name it
        session.flush()
    record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        row=row,
        summary=summary,
        changes=changes if changes is not None else diff(None, row.sync_fields()),
        reason=reason,
        sync_op="upsert" if sync else None,
        base_version=0,
    )


def update(
    session: Session,
    row: SyncedMixin,
    *,
    actor: str,
    entity: Entity,
    summary: str,
    delta: dict[str, list[Any]],
    reason: str = "",
    action: str = "update",
    sync: bool = True,
) -> bool:
    """Record an edit already applied to `row` (`delta` from `diff`); False when nothing changed."""
    if not delta:
        return False
    base = bump(row)
    record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        row=row,
        summary=summary,
        changes=delta,
        reason=reason,
        sync_op="upsert" if sync else None,
        base_version=base,
    )
    return True


def tombstone(
    session: Session,
    row: SyncedMixin,
    *,
    actor: str,
    entity: Entity,
    summary: str,
    reason: str = "",
) -> None:
    """Soft-delete a synced row: it keeps its id, gets `deleted_at`, and the delete is sent."""
    base = bump(row)
    row.deleted_at = utcnow()
    record(
        session,
        actor=actor,
        action="delete",
        entity=entity,
        row=row,
        summary=summary,
        reason=reason,
        sync_op="delete",
        base_version=base,
    )


def append(
    session: Session,
    *,
    actor: str,
    entity: Entity,
    entity_id: str,
    fields: dict[str, Any],
    summary: str,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
    action: str = "create",
) -> None:
    """Record an immutable event (an attendance mark, an amendment): never a conflict."""
    record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        changes=changes,
        reason=reason,
        sync_op="append",
        sync_fields=fields,
        base_version=0,
    )


def audit_only(
    session: Session,
    *,
    actor: str,
    entity: Entity,
    entity_id: str,
    action: str,
    summary: str,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
) -> None:
    """A change that stays on this desktop (settings, imports, sync bookkeeping): audit only."""
    record(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary,
        changes=changes,
        reason=reason,
        sync_op=None,
    )


def resend(
    session: Session,
    *,
    actor: str,
    entity: Entity,
    entity_id: str,
    op: str,
    fields: dict[str, Any],
    base_version: int,
    version: int,
    summary: str,
    action: str = "resolve",
) -> None:
    """Send the branch's version again over the server's (a conflict resolved "keep mine"):
    audited, queued as `version` on top of the server's `base_version`, whether or not the
    row still exists on this desktop."""
    audit_only(
        session, actor=actor, entity=entity, entity_id=entity_id, action=action, summary=summary
    )
    _queue(
        session,
        entity=entity,
        entity_id=entity_id,
        op=op,
        fields=fields,
        base_version=base_version,
        version=version,
    )

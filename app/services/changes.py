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


@dataclass(frozen=True)
class OpChanges:
    """What a write touched, so each view can decide whether to refresh (like Anki)."""

    entities: frozenset[str] = field(default_factory=frozenset)
    ids: tuple[str, ...] = ()

    def touches(self, entity: str) -> bool:
        return entity in self.entities


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
    entity: str,
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
    session.add(
        OutboxEntry(
            op_id=new_id(),
            entity=entity,
            entity_id=eid,
            op=sync_op,
            fields_json=json.dumps(fields, ensure_ascii=False, default=str),
            base_version=base_version if base_version is not None else max(0, version - 1),
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

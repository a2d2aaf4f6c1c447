"""Rules and settings a branch keeps in its own book (the kv table), changed with an audit
entry and never synced: the counting rules, the dues rules, the badge rules."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.models import KeyValue
from app.services import changes
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book


def save_json_setting(
    book: Book,
    *,
    key: str,
    current: dict[str, Any],
    new: dict[str, Any],
    summary: str,
    reason: str = "",
) -> bool:
    """Store `new` under `key` when it differs from `current` (the values in force), with
    the difference in the audit log. False when nothing changed."""
    delta = changes.diff(current, new)
    if not delta:
        return False
    with book.session() as s:
        row = s.get(KeyValue, key)
        if row is None:
            row = KeyValue(key=key, value="")
            s.add(row)
        row.value = json.dumps(new)
        changes.audit_only(
            s,
            actor=book.actor,
            action="update",
            entity=Entity.SETTINGS,
            entity_id=key,
            summary=summary,
            changes=delta,
            reason=reason,
        )
    return True

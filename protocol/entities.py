"""How the committee's server keeps each synced entity, from `app.vocab.Entity`.

An entity with no `SyncRule` stays on the desktop; a server rejects it ("unknown_entity"):
it does not guess how to keep it.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.vocab import Entity, SyncRule

# Every entity the desktop sends, with its rule (docs/sync-protocol.md §6).
ENTITY_RULES: Mapping[Entity, SyncRule] = {
    entity: rule for entity in Entity.synced() if (rule := entity.sync_rule) is not None
}

# A roll-call mark, under its name today and the one older desktops used.
ATTENDANCE_ENTITIES = (Entity.ATTENDANCE, Entity.ATTENDANCE_EVENT)


def entity_of(name: str) -> Entity | None:
    """The synced entity a change names, or None when no desktop sends such an entity."""
    try:
        entity = Entity(name)
    except ValueError:
        return None
    return entity if entity.is_synced else None


def rule_of(name: str) -> SyncRule | None:
    entity = entity_of(name)
    return entity.sync_rule if entity is not None else None


def keeps_versions(name: str) -> bool:
    """The server keeps every applied version of this entity's rows, not only the latest."""
    entity = entity_of(name)
    return entity is not None and entity.keeps_versions

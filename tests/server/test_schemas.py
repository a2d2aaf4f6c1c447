"""The server checks each entity's fields against what the desktop really sends.

The schemas in `protocol.schemas` come from the desktop's models; these tests fill one row of
every synced table, take its `sync_fields()` (what the outbox carries) and make sure the
server's schema names exactly those fields and accepts their JSON types, so a column added on
one side only fails here rather than as a rejected change on a branch's machine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, DateTime, Float, Integer

from app.models import Base, SyncedMixin
from app.vocab import Entity
from protocol.schemas import SCHEMAS, TABLE_ENTITIES, check_fields, synced_tables


def _filled(model: Any, *, nulls: bool) -> Any:
    """A row with every column set (nullable ones to None when `nulls`)."""
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        if nulls and column.nullable:
            values[column.key] = None
        elif isinstance(column.type, Boolean):
            values[column.key] = True
        elif isinstance(column.type, Integer):
            values[column.key] = 3
        elif isinstance(column.type, Float):
            values[column.key] = 8.5
        elif isinstance(column.type, DateTime):
            values[column.key] = dt.datetime(2025, 11, 5, 19, 30)
        elif isinstance(column.type, Date):
            values[column.key] = dt.date(2025, 11, 5)
        else:
            values[column.key] = "x"
    return model(**values)


def test_every_synced_entity_has_a_schema_and_every_synced_table_an_entity() -> None:
    assert set(SCHEMAS) == set(Entity.synced())
    synced_models = {m.class_ for m in Base.registry.mappers if issubclass(m.class_, SyncedMixin)}
    tables = synced_tables()
    assert synced_models <= set(tables.values()), "a SyncedMixin table with no synced Entity"
    assert set(tables) == set(TABLE_ENTITIES)


@pytest.mark.parametrize("entity", sorted(TABLE_ENTITIES), ids=str)
@pytest.mark.parametrize("nulls", [False, True], ids=["filled", "nulls"])
def test_what_the_desktop_sends_matches_the_servers_schema(entity: Entity, nulls: bool) -> None:
    row = _filled(synced_tables()[entity], nulls=nulls)
    sent = row.sync_fields()
    assert set(sent) == set(SCHEMAS[entity].fields)
    assert check_fields(entity, "upsert", sent) is None


def test_a_wrong_type_is_named_in_vietnamese() -> None:
    row = _filled(synced_tables()[Entity.STUDY_PARTICIPANT], nulls=False)
    sent = row.sync_fields() | {"score": "tám"}
    assert check_fields("study_participant", "upsert", sent) == (
        "Dữ liệu kết quả học tập: trường “score” phải là số hoặc để trống (null), "
        "nhận được chuỗi chữ."
    )
    assert check_fields("khong_co", "upsert", sent) is None  # unknown entities: rules decide

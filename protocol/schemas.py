"""The least a server checks of each change before storing it (docs/sync-protocol.md §6a).

Every record a branch sends is keyed by a UUID the desktop made, and carries the fields the
desktop always writes for that entity. The server stores records it does not otherwise
interpret, so it checks only that much: the id is a UUID, the fields every desktop sends are
present with the right JSON types, and any other field it knows has the right type when
present. Unknown extra fields are kept as sent (a newer desktop may add some).

The fields and their JSON types come from the desktop's own models (the columns its
`sync_fields()` sends); only what cannot be read from a table is written here: each entity's
Vietnamese label and which fields every desktop sends, plus the three entities that have no
table (the older roll-call name, amendments and audit entries).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, String

from app.models import Base
from app.vocab import Entity
from protocol.entities import entity_of

# JSON types, by the name used in the messages; "|null" when the field may be null.
STR = "str"
INT = "int"
NUMBER = "number"
BOOL = "bool"
NULL = "|null"
STR_OR_NULL = STR + NULL
INT_OR_NULL = INT + NULL
NUMBER_OR_NULL = NUMBER + NULL

_BASE_LABELS = {
    STR: "chuỗi chữ",
    INT: "số nguyên",
    NUMBER: "số",
    BOOL: "đúng/sai (true/false)",
}


def type_label(kind: str) -> str:
    base = kind.removesuffix(NULL)
    label = _BASE_LABELS[base]
    return f"{label} hoặc để trống (null)" if kind.endswith(NULL) else label


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def has_type(value: Any, kind: str) -> bool:
    if kind.endswith(NULL):
        return value is None or has_type(value, kind.removesuffix(NULL))
    if kind == STR:
        return isinstance(value, str)
    if kind == INT:
        return _is_int(value)
    if kind == NUMBER:
        return _is_int(value) or isinstance(value, float)
    if kind == BOOL:
        return isinstance(value, bool)
    raise ValueError(kind)


def _json_type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "số"
    if isinstance(value, str):
        return "chuỗi chữ"
    if isinstance(value, list):
        return "danh sách"
    return "đối tượng"


@dataclass(frozen=True)
class Schema:
    """What one entity's fields must look like."""

    label: str  # Vietnamese, for the messages
    required: Mapping[str, str] = field(default_factory=dict)  # sent by every desktop
    optional: Mapping[str, str] = field(default_factory=dict)  # type checked when present
    dates: tuple[str, ...] = ()  # calendar days, sent as YYYY-MM-DD

    @property
    def fields(self) -> dict[str, str]:
        """Every field this schema knows, with its JSON type."""
        return {**self.optional, **self.required}


def column_kind(column: Column[Any]) -> str:
    """The JSON type a column's value travels as (dates and times as ISO strings)."""
    sql_type = column.type
    if isinstance(sql_type, Boolean):
        kind = BOOL
    elif isinstance(sql_type, Integer):
        kind = INT
    elif isinstance(sql_type, Float):
        kind = NUMBER
    elif isinstance(sql_type, String | Date | DateTime):
        kind = STR
    else:
        raise TypeError(f"{column.key}: no JSON type for {sql_type!r}")
    return kind + NULL if column.nullable else kind


def synced_tables() -> dict[Entity, Any]:
    """The desktop's model class of each synced entity that has a table of its own."""
    names = {entity.value: entity for entity in Entity.synced()}
    found: dict[Entity, Any] = {}
    for mapper in Base.registry.mappers:
        model = mapper.class_
        entity = names.get(getattr(model, "__tablename__", ""))
        if entity is not None:
            found[entity] = model
    return found


# The row's own keys come first in the messages, as they always have.
_ROW_KEYS = ("id", "deleted_at")


def _sent_columns(model: Any) -> list[Column[Any]]:
    local_only: frozenset[str] = getattr(model, "LOCAL_ONLY", frozenset())
    columns = [c for c in model.__table__.columns if c.key not in local_only]
    return sorted(columns, key=lambda c: _ROW_KEYS.index(c.key) if c.key in _ROW_KEYS else 2)


def _from_model(model: Any, label: str, required: tuple[str, ...]) -> Schema:
    columns = {c.key: c for c in _sent_columns(model)}
    unknown = [name for name in required if name not in columns]
    if unknown:
        raise LookupError(f"{model.__name__} has no column {unknown}")
    kinds = {name: column_kind(column) for name, column in columns.items()}
    return Schema(
        label,
        required={name: kinds[name] for name in required},
        optional={name: kind for name, kind in kinds.items() if name not in required},
        dates=tuple(n for n, c in columns.items() if isinstance(c.type, Date)),
    )


# Each synced table's Vietnamese label and the fields every desktop sends for it.
TABLE_ENTITIES: dict[Entity, tuple[str, tuple[str, ...]]] = {
    Entity.BRANCH: ("thông tin chi bộ", ("name",)),
    Entity.MEMBER: ("đảng viên", ("full_name", "status")),
    Entity.MEETING: ("cuộc họp", ("kind", "starts_at", "state")),
    Entity.MEETING_DOCUMENT: ("tài liệu gửi kèm cuộc họp", ("meeting_id", "document_id")),
    Entity.ABSENCE_REQUEST: ("đơn xin phép vắng họp", ("meeting_id", "member_id", "reason")),
    Entity.ATTENDANCE_EVENT: ("điểm danh", ("meeting_id", "member_id", "status", "seq")),
    Entity.DOCUMENT: ("văn bản", ("title", "doc_type")),
    Entity.STUDY_CAMPAIGN: ("đợt học tập nghị quyết", ("title", "state")),
    Entity.STUDY_PARTICIPANT: (
        "kết quả học tập",
        ("campaign_id", "member_id", "attended", "submitted"),
    ),
    Entity.FEEDBACK: ("ý kiến đảng viên", ("member_id", "kind", "content", "state")),
    Entity.SUPPORT_SESSION: ("buổi hỗ trợ đảng viên", ("held_on", "attendees_json")),
    Entity.REPORT: ("báo cáo gửi cấp trên", ("kind", "period", "state")),
    Entity.DUES_SETTING: ("mức đóng đảng phí", ("member_id", "effective_from", "basis")),
    Entity.DUES_PAYMENT: ("đóng đảng phí", ("member_id", "month", "amount", "channel")),
    Entity.DUES_REMITTANCE: ("nộp đảng phí lên cấp trên", ("period", "amount", "remitted_on")),
}


def _build() -> dict[Entity, Schema]:
    tables = synced_tables()
    missing = set(TABLE_ENTITIES) - set(tables)
    if missing:
        raise LookupError(f"no table for {sorted(missing)}")
    schemas = {
        entity: _from_model(tables[entity], label, required)
        for entity, (label, required) in TABLE_ENTITIES.items()
    }
    event = schemas[Entity.ATTENDANCE_EVENT]
    # The name older desktops used for a roll-call mark: the same event, seq optional.
    schemas[Entity.ATTENDANCE] = replace(
        event,
        required={k: v for k, v in event.required.items() if k != "seq"},
        optional={**event.optional, "seq": event.required["seq"]},
    )
    schemas[Entity.MEETING_AMENDMENT] = Schema(
        "đính chính cuộc họp", required={"meeting_id": STR}, optional={"reason": STR}
    )
    schemas[Entity.AUDIT] = Schema("nhật ký thay đổi")
    return schemas


SCHEMAS: dict[Entity, Schema] = _build()


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_entity_id(entity_id: str) -> str | None:
    """A Vietnamese reason when the record id is not a UUID, else None."""
    if is_uuid(entity_id):
        return None
    return "Mã bản ghi (entity_id) phải là UUID do máy của chi bộ tạo ra."


def check_fields(entity: str, op: str, fields: Mapping[str, Any]) -> str | None:
    """A Vietnamese reason naming the first field that is wrong, else None.

    A delete is checked for types only: the desktop sends the row as it was, but a tombstone
    needs nothing more than the id.
    """
    known = entity_of(entity)
    schema = SCHEMAS.get(known) if known is not None else None
    if schema is None:
        return None
    if op != "delete":
        for name, kind in schema.required.items():
            if name not in fields:
                return f"Dữ liệu {schema.label} thiếu trường “{name}” (phải là {type_label(kind)})."
    for name, kind in schema.fields.items():
        if name in fields and not has_type(fields[name], kind):
            return (
                f"Dữ liệu {schema.label}: trường “{name}” phải là {type_label(kind)}, "
                f"nhận được {_json_type_name(fields[name])}."
            )
    return None

"""The least the server checks of each change before storing it (docs/sync-protocol.md §6a).

Every record a branch sends is keyed by a UUID the desktop made, and carries the fields the
desktop always writes for that entity. The server stores records it does not otherwise
interpret, so it checks only that much: the id is a UUID, the fields every desktop sends are
present with the right JSON types, and any other field it knows has the right type when
present. Unknown extra fields are kept as sent (a newer desktop may add some).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# JSON types, by the name used in the messages.
STR = "str"
STR_OR_NULL = "str|null"
INT = "int"
INT_OR_NULL = "int|null"
NUMBER_OR_NULL = "number|null"
BOOL = "bool"

_TYPE_LABELS = {
    STR: "chuỗi chữ",
    STR_OR_NULL: "chuỗi chữ hoặc để trống (null)",
    INT: "số nguyên",
    INT_OR_NULL: "số nguyên hoặc để trống (null)",
    NUMBER_OR_NULL: "số hoặc để trống (null)",
    BOOL: "đúng/sai (true/false)",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def has_type(value: Any, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == STR_OR_NULL:
        return value is None or isinstance(value, str)
    if kind == INT:
        return _is_int(value)
    if kind == INT_OR_NULL:
        return value is None or _is_int(value)
    if kind == NUMBER_OR_NULL:
        return value is None or _is_int(value) or isinstance(value, float)
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


_ROW = {"id": STR, "deleted_at": STR_OR_NULL}

SCHEMAS: dict[str, Schema] = {
    "branch": Schema(
        "thông tin chi bộ",
        required={"name": STR},
        optional={
            **_ROW,
            "committee": STR,
            "address": STR,
            "place_name": STR,
            "code": STR_OR_NULL,
            "secretary_name": STR,
            "notes": STR,
        },
    ),
    "member": Schema(
        "đảng viên",
        required={"full_name": STR, "status": STR},
        optional={
            **_ROW,
            "name_search": STR,
            "name_sort": STR,
            "birth_date": STR_OR_NULL,
            "gender": STR_OR_NULL,
            "admission_date": STR_OR_NULL,
            "official_date": STR_OR_NULL,
            "card_number": STR_OR_NULL,
            "personal_id": STR_OR_NULL,
            "phone": STR_OR_NULL,
            "branch_label": STR,
            "position": STR,
            "address": STR,
            "notes": STR,
            "has_smartphone": BOOL,
            "app_account": STR,
            "needs_support": BOOL,
        },
    ),
    "meeting": Schema(
        "cuộc họp",
        required={"kind": STR, "starts_at": STR, "state": STR},
        optional={
            **_ROW,
            "topic": STR,
            "ends_at": STR_OR_NULL,
            "place": STR,
            "chair_name": STR,
            "secretary_name": STR,
            "guests": STR,
            "agenda_json": STR,
            "minutes_json": STR,
            "closed_at": STR_OR_NULL,
        },
    ),
    "meeting_document": Schema(
        "tài liệu gửi kèm cuộc họp",
        required={"meeting_id": STR, "document_id": STR},
        optional={**_ROW, "position": INT},
    ),
    "absence_request": Schema(
        "đơn xin phép vắng họp",
        required={"meeting_id": STR, "member_id": STR, "reason": STR},
        optional={**_ROW, "channel": STR, "received_at": STR, "notes": STR},
    ),
    "attendance_event": Schema(
        "điểm danh",
        required={"meeting_id": STR, "member_id": STR, "status": STR, "seq": INT},
        optional={"id": STR, "reason": STR, "recorded_at": STR},
    ),
    # The name older desktops used for a roll-call mark; the same event, seq optional.
    "attendance": Schema(
        "điểm danh",
        required={"meeting_id": STR, "member_id": STR, "status": STR},
        optional={"id": STR, "reason": STR, "recorded_at": STR, "seq": INT},
    ),
    "meeting_amendment": Schema(
        "đính chính cuộc họp", required={"meeting_id": STR}, optional={"reason": STR}
    ),
    "audit": Schema("nhật ký thay đổi"),
    "document": Schema(
        "văn bản",
        required={"title": STR, "doc_type": STR},
        optional={
            **_ROW,
            "number": STR,
            "issuer": STR,
            "issued_on": STR_OR_NULL,
            "place": STR,
            "summary": STR,
            "tags": STR,
            "filename": STR,
            "mime": STR,
            "size": INT,
            "sha256": STR,
            "text_content": STR,
            "source": STR,
        },
    ),
    "study_campaign": Schema(
        "đợt học tập nghị quyết",
        required={"title": STR, "state": STR},
        optional={
            **_ROW,
            "resolutions": STR,
            "document_ids_json": STR,
            "starts_on": STR_OR_NULL,
            "ends_on": STR_OR_NULL,
            "session_at": STR_OR_NULL,
            "place": STR,
            "presenter": STR,
            "submission_due": STR_OR_NULL,
            "notes": STR,
        },
    ),
    "study_participant": Schema(
        "kết quả học tập",
        required={"campaign_id": STR, "member_id": STR, "attended": BOOL, "submitted": BOOL},
        optional={
            **_ROW,
            "submitted_on": STR_OR_NULL,
            "grade": STR,
            "score": NUMBER_OR_NULL,
            "notes": STR,
        },
    ),
    "feedback": Schema(
        "ý kiến đảng viên",
        required={"member_id": STR, "kind": STR, "content": STR, "state": STR},
        optional={
            **_ROW,
            "received_on": STR,
            "channel": STR,
            "handling_note": STR,
            "forwarded_on": STR_OR_NULL,
            "answer": STR,
            "answered_on": STR_OR_NULL,
            "answered_by": STR,
            "recorded_by": STR,
            "support_session_id": STR_OR_NULL,
        },
    ),
    "support_session": Schema(
        "buổi hỗ trợ đảng viên",
        required={"held_on": STR, "attendees_json": STR},
        optional={**_ROW, "place": STR, "helpers": STR, "notes": STR},
    ),
    "report": Schema(
        "báo cáo gửi cấp trên",
        required={"kind": STR, "period": STR, "state": STR},
        optional={
            **_ROW,
            "period_start": STR,
            "period_end": STR,
            "subtitle": STR,
            "number": STR,
            "number_year": INT_OR_NULL,
            "number_seq": INT_OR_NULL,
            "issued_on": STR,
            "sections_json": STR,
            "recipients": STR,
            "signer_name": STR,
            "figures_json": STR,
            "revision": INT,
            "amend_reason": STR,
            "submitted_at": STR_OR_NULL,
            "history_json": STR,
        },
    ),
}


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
    schema = SCHEMAS.get(entity)
    if schema is None:
        return None
    if op != "delete":
        for name, kind in schema.required.items():
            if name not in fields:
                return (
                    f"Dữ liệu {schema.label} thiếu trường “{name}” (phải là {_TYPE_LABELS[kind]})."
                )
    for name, kind in {**schema.optional, **schema.required}.items():
        if name in fields and not has_type(fields[name], kind):
            return (
                f"Dữ liệu {schema.label}: trường “{name}” phải là {_TYPE_LABELS[kind]}, "
                f"nhận được {_json_type_name(fields[name])}."
            )
    return None

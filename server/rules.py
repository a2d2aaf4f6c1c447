"""One conflict rule per entity (docs/sync-protocol.md §6), as pure functions.

`decide` looks at one incoming change and what the server holds of that row, and says what
happens. It changes nothing itself; the batch module applies the decision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.vocab import SyncRule
from protocol import (
    ENTITY_RE,
    MAX_ENTITY_ID,
    MEETING_FROZEN_FIELDS,
    MEETING_FROZEN_MINUTES_KEYS,
    OPS,
)
from protocol.entities import rule_of
from protocol.schemas import check_entity_id, check_fields


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Change:
    op_id: str
    entity: str
    entity_id: str
    op: str
    fields: dict[str, Any]
    base_version: int
    version: int
    seq: int | None = None
    invalid: str = ""  # why the values cannot be stored (NUL, lone surrogate, NaN, too deep)

    def content(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "entity_id": self.entity_id,
            "op": self.op,
            "fields": self.fields,
            "base_version": self.base_version,
            "version": self.version,
        }


@dataclass
class Held:
    """What the server holds of one row (a snapshot the decision is made on)."""

    version: int
    fields: dict[str, Any]
    deleted: bool
    origin: str


@dataclass
class Decision:
    result: str  # applied | duplicate | conflict | rejected | deferred
    reason_code: str = ""
    reason: str = ""
    # For 'applied': the row as it must be stored afterwards.
    new_state: Held | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _rejected(code: str, reason: str) -> Decision:
    return Decision("rejected", code, reason)


def _is_deleted(change: Change) -> bool:
    return change.op == "delete" or bool(change.fields.get("deleted_at"))


def decide(change: Change, held: Held | None) -> Decision:
    if change.invalid:
        return _rejected("invalid_fields", change.invalid)
    if not ENTITY_RE.match(change.entity):
        return _rejected("invalid_entity", f"Loại dữ liệu “{change.entity[:40]}” không hợp lệ.")
    if not change.entity_id or len(change.entity_id) > MAX_ENTITY_ID:
        return _rejected("invalid_entity_id", "Mã bản ghi trống hoặc quá dài.")
    if change.op not in OPS:
        return _rejected("invalid_op", f"Thao tác “{change.op[:20]}” không được hỗ trợ.")
    rule = rule_of(change.entity)
    if rule is None:
        return _rejected(
            "unknown_entity",
            f"Máy chủ chưa có quy tắc cho loại dữ liệu “{change.entity}”; "
            "thay đổi vẫn được giữ trong sổ của chi bộ.",
        )
    bad_id = check_entity_id(change.entity_id)
    if bad_id is not None:
        return _rejected("invalid_entity_id", bad_id)
    bad_fields = check_fields(change.entity, change.op, change.fields)
    if bad_fields is not None:
        return _rejected("invalid_fields", bad_fields)
    if rule is SyncRule.APPEND_ONLY or change.op == "append":
        return _decide_append(change, held)
    return _decide_versioned(change, held, rule)


def _decide_append(change: Change, held: Held | None) -> Decision:
    """Attendance and other events: immutable, never a conflict."""
    if change.op != "append":
        return _rejected(
            "append_only",
            "Dữ liệu điểm danh và các sự kiện chỉ được ghi thêm, không được sửa hay xóa.",
        )
    if held is None:
        return Decision(
            "applied", new_state=Held(max(1, change.version), change.fields, False, "event")
        )
    if held.origin != "event":
        return _rejected("not_appendable", "Bản ghi này không phải sự kiện ghi thêm.")
    if canonical(held.fields) == canonical(change.fields):
        return Decision("duplicate")
    return _rejected("immutable", "Sự kiện đã ghi không được thay đổi nội dung.")


def _decide_versioned(change: Change, held: Held | None, rule: SyncRule) -> Decision:
    if change.version <= change.base_version:
        return _rejected("bad_version", "Số phiên bản của thay đổi không hợp lệ.")
    if held is not None and held.origin == "event":
        return _rejected("append_only", "Bản ghi này chỉ được ghi thêm, không được sửa.")
    if rule is SyncRule.DOCUMENT and held is not None and held.origin == "committee":
        return _rejected(
            "read_only",
            "Văn bản do Đảng ủy cấp trên ban hành; chi bộ không được sửa hay xóa.",
        )
    if rule is SyncRule.REPORT and _is_deleted(change):
        return _rejected(
            "report_submitted",
            "Báo cáo đã gửi Đảng ủy cấp trên không xóa được; nếu có sai sót, hãy sửa kèm lý do "
            "và gửi lại.",
        )
    server_version = held.version if held is not None else 0
    if change.base_version > server_version:
        return Decision(
            "deferred",
            "missing_base",
            "Máy chủ chưa nhận thay đổi trước đó của bản ghi này; sẽ gửi lại sau.",
        )
    if change.base_version < server_version:
        assert held is not None
        # Nothing to choose between: the same fields, or both sides deleted the row.
        same = (held.deleted and _is_deleted(change)) or (
            canonical(held.fields) == canonical(change.fields)
            and held.deleted == _is_deleted(change)
        )
        if same:
            return Decision("duplicate", extra={"server_version": held.version})
        return Decision(
            "conflict",
            "version_mismatch",
            "Bản ghi đã được thay đổi ở nơi khác (phiên bản trên máy chủ mới hơn).",
        )
    if rule is SyncRule.MEETING and held is not None:
        closed = _meeting_closed_violation(change, held)
        if closed is not None:
            return closed
    fields = held.fields if change.op == "delete" and held is not None else change.fields
    origin = held.origin if held is not None else "branch"
    return Decision("applied", new_state=Held(change.version, fields, _is_deleted(change), origin))


def _minutes(fields: dict[str, Any]) -> dict[str, Any]:
    raw = fields.get("minutes_json")
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _meeting_closed_violation(change: Change, held: Held) -> Decision | None:
    """A closed meeting takes amendments only: no delete, no re-opening, frozen roster."""
    if held.fields.get("state") != "closed" or held.deleted:
        return None
    message = (
        "Cuộc họp đã kết thúc, biên bản đã thông qua: chỉ được đính chính; "
        "không mở lại, không xóa, không đổi danh sách dự họp đã chốt."
    )
    if _is_deleted(change):
        return _rejected("meeting_closed", message)
    for key in MEETING_FROZEN_FIELDS:
        if canonical(held.fields.get(key)) != canonical(change.fields.get(key)):
            return _rejected("meeting_closed", message)
    old, new = _minutes(held.fields), _minutes(change.fields)
    for key in MEETING_FROZEN_MINUTES_KEYS:
        if canonical(old.get(key)) != canonical(new.get(key)):
            return _rejected("meeting_closed", message)
    return None

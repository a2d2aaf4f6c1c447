"""Reading the audit trail (who changed what, when)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.models import AuditEntry

if TYPE_CHECKING:
    from app.book import Book

# Every action string the services write to the audit trail (a test walks them).
ACTION_LABELS = {
    "create": "Thêm",
    "update": "Sửa",
    "delete": "Xóa",
    "amend": "Đính chính",
    "import": "Nhập",
    "close": "Kết thúc",
    "print": "In",
    "submit": "Gửi cấp trên",
    "answer": "Trả lời",
    "resolve": "Giải quyết xung đột",
    "dismiss": "Bỏ qua",
    "enrol": "Đăng ký đồng bộ",
    "sync": "Đồng bộ",
}


@dataclass(frozen=True)
class AuditView:
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    summary: str
    changes: dict[str, Any]
    reason: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def history(
    book: Book, *, entity: str | None = None, entity_id: str | None = None, limit: int = 500
) -> list[AuditView]:
    q = select(AuditEntry)
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if entity_id:
        q = q.where(AuditEntry.entity_id == entity_id)
    q = q.order_by(AuditEntry.id.desc()).limit(limit)
    with book.read_session() as s:
        return [
            AuditView(
                id=r.id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                entity=r.entity,
                entity_id=r.entity_id,
                summary=r.summary,
                changes=json.loads(r.changes_json or "{}"),
                reason=r.reason,
            )
            for r in s.scalars(q)
        ]

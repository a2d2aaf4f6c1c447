"""The change helpers (app/services/changes.py): each writes the row, its audit entry and its
outbox entry the one way, in the caller's transaction."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.book import Book
from app.models import AuditEntry, Branch, OutboxEntry
from app.services import changes
from app.vocab import Entity


def _entries(book: Book, entity_id: str) -> tuple[list[AuditEntry], list[OutboxEntry]]:
    with book.read_session() as s:
        audit = list(s.scalars(select(AuditEntry).where(AuditEntry.entity_id == entity_id)))
        outbox = list(
            s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.entity_id == entity_id)
                .order_by(OutboxEntry.seq)
            )
        )
    return audit, outbox


def _branch(s: Session, row_id: str) -> Branch:
    row = s.get(Branch, row_id)
    assert row is not None
    return row


def test_create_update_tombstone_version_the_row_and_queue_each_step(book: Book) -> None:
    with book.session() as s:
        row = Branch(name="Chi bộ Thử", committee="Đảng ủy", notes="", version=1)
        changes.create(s, row, actor="Bí thư", entity=Entity.BRANCH, summary="Tạo")
        row_id = row.id
    with book.session() as s:
        row = _branch(s, row_id)
        before = row.sync_fields()
        row.address = "Khu phố 3"
        assert changes.update(
            s,
            row,
            actor="Bí thư",
            entity=Entity.BRANCH,
            summary="Sửa",
            delta=changes.diff(before, row.sync_fields()),
            reason="Đổi địa chỉ",
        )
        # Nothing differed: no version, no entries.
        assert not changes.update(
            s, row, actor="Bí thư", entity=Entity.BRANCH, summary="Sửa", delta={}
        )
    with book.session() as s:
        row = _branch(s, row_id)
        changes.tombstone(s, row, actor="Bí thư", entity=Entity.BRANCH, summary="Xóa")
    with book.read_session() as s:
        row = _branch(s, row_id)
        assert row.deleted_at is not None and row.version == 3
    audit, outbox = _entries(book, row_id)
    assert [(a.action, a.entity, a.reason) for a in audit] == [
        ("create", "branch", ""),
        ("update", "branch", "Đổi địa chỉ"),
        ("delete", "branch", ""),
    ]
    assert json.loads(audit[0].changes_json)["name"] == [None, "Chi bộ Thử"]
    assert json.loads(audit[1].changes_json) == {"address": ["", "Khu phố 3"]}
    assert [(o.op, o.base_version, o.version) for o in outbox] == [
        ("upsert", 0, 1),
        ("upsert", 1, 2),
        ("delete", 2, 3),
    ]
    assert json.loads(outbox[2].fields_json)["deleted_at"] is not None


def test_append_and_audit_only(book: Book) -> None:
    with book.session() as s:
        changes.append(
            s,
            actor="Thư ký",
            entity=Entity.ATTENDANCE_EVENT,
            entity_id="ev-1",
            fields={"status": "present"},
            summary="Điểm danh",
            action="amend",
            reason="Ghi nhầm",
        )
        changes.audit_only(
            s,
            actor="Thư ký",
            entity=Entity.SETTINGS,
            entity_id="rules",
            action="update",
            summary="Sửa quy tắc",
            changes={"x": [1, 2]},
        )
    audit, outbox = _entries(book, "ev-1")
    assert [(a.action, a.reason) for a in audit] == [("amend", "Ghi nhầm")]
    assert [(o.entity, o.op, o.base_version, o.version) for o in outbox] == [
        ("attendance_event", "append", 0, 1)
    ]
    assert json.loads(outbox[0].fields_json) == {"status": "present"}
    audit, outbox = _entries(book, "rules")
    assert [(a.entity, a.action) for a in audit] == [("settings", "update")]
    assert json.loads(audit[0].changes_json) == {"x": [1, 2]}
    assert outbox == []


@pytest.mark.parametrize("op", ["upsert", "delete"])
def test_resend_queues_the_branchs_version_over_the_servers(book: Book, op: str) -> None:
    # A conflict resolved "keep mine" for a row this desktop no longer holds: the version sent
    # is the one given, not a guess from a row.
    with book.session() as s:
        changes.resend(
            s,
            actor="Bí thư",
            entity=Entity.MEMBER,
            entity_id="gone-1",
            op=op,
            fields={"full_name": "Lê Văn An"},
            base_version=7,
            version=8,
            summary="Giải quyết xung đột đồng bộ: giữ bản của chi bộ",
        )
    audit, outbox = _entries(book, "gone-1")
    assert [(a.action, a.entity, a.changes_json) for a in audit] == [("resolve", "member", "{}")]
    assert [(o.op, o.base_version, o.version, o.state) for o in outbox] == [(op, 7, 8, "pending")]
    assert json.loads(outbox[0].fields_json) == {"full_name": "Lê Văn An"}


def test_create_can_name_its_action(book: Book) -> None:
    with book.session() as s:
        row = Branch(name="Chi bộ Nhập", committee="Đảng ủy", notes="", version=1)
        changes.create(
            s, row, actor="Bí thư", entity=Entity.BRANCH, summary="Nhập", action="import"
        )
        row_id = row.id
    audit, outbox = _entries(book, row_id)
    assert [a.action for a in audit] == ["import"]
    assert [(o.op, o.base_version, o.version) for o in outbox] == [("upsert", 0, 1)]

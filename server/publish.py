"""What the committee publishes for branches to pull: documents, notices, directives and
member changes made upstream (a transfer). Each publication is a feed entry per branch and
the server's record of that row (so a branch's later edit is checked against it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.vocab import Entity, MemberStatus
from protocol import MAX_FILE_BYTES
from protocol.schemas import SCHEMAS, Schema
from server.accounts import AdminError, get_branch
from server.models import Branch, FeedChange, FileBlob, FileGrant, Record, iso, utcnow
from server.rules import canonical

# What the committee may set: the desktop's fields, less what only the desktop derives or
# decides (the row's tombstone and origin of a document; the search keys of a member's name).
DOCUMENT_SCHEMA = SCHEMAS[Entity.DOCUMENT]
DOCUMENT_FIELDS = frozenset(DOCUMENT_SCHEMA.fields) - {"id", "deleted_at", "source"}
MEMBER_SCHEMA = SCHEMAS[Entity.MEMBER]
MEMBER_FIELDS = frozenset(MEMBER_SCHEMA.fields) - {"id", "name_search", "name_sort"}


@dataclass(frozen=True)
class Published:
    entity: Entity
    entity_id: str
    version: int
    branches: list[str]

    def as_json(self) -> dict[str, object]:
        return {
            "entity": self.entity,
            "entity_id": self.entity_id,
            "version": self.version,
            "branches": self.branches,
        }


def _branches(session: Session, codes: list[str] | str) -> list[Branch]:
    if codes == "all":
        found = list(session.scalars(select(Branch).order_by(Branch.code)))
        if not found:
            raise AdminError("Máy chủ chưa có chi bộ nào.")
        return found
    if isinstance(codes, str) or not codes:
        raise AdminError("Cần chỉ rõ chi bộ nhận (mã chi bộ, hoặc “all” cho tất cả).")
    return [get_branch(session, code) for code in codes]


def _check_dates(fields: dict[str, Any], schema: Schema) -> None:
    for key in schema.dates:
        value = fields.get(key)
        if value in (None, ""):
            continue
        try:
            dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise AdminError(
                f"Ngày không hợp lệ ở trường {key}: {value} (cần YYYY-MM-DD)."
            ) from exc


def _record(session: Session, branch_id: int, entity: str, entity_id: str) -> Record | None:
    return session.scalar(
        select(Record).where(
            Record.branch_id == branch_id, Record.entity == entity, Record.entity_id == entity_id
        )
    )


def store_file(session: Session, data: bytes, mime: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise AdminError("Tệp quá lớn (tối đa 64 MB).")
    digest = hashlib.sha256(data).hexdigest()
    if session.get(FileBlob, digest) is None:
        session.add(
            FileBlob(
                sha256=digest, size=len(data), mime=mime or "application/octet-stream", data=data
            )
        )
    return digest


def publish_document(
    session: Session,
    *,
    branches: list[str] | str,
    fields: dict[str, Any],
    file_data: bytes | None = None,
    entity_id: str | None = None,
    note: str = "",
) -> Published:
    unknown = set(fields) - DOCUMENT_FIELDS
    if unknown:
        raise AdminError(f"Trường không hỗ trợ cho văn bản: {', '.join(sorted(unknown))}.")
    clean = {k: v for k, v in fields.items() if v is not None}
    if not str(clean.get("title", "")).strip() and not str(clean.get("number", "")).strip():
        raise AdminError("Văn bản cần ít nhất số hiệu hoặc trích yếu (tiêu đề).")
    _check_dates(clean, DOCUMENT_SCHEMA)
    if file_data is not None:
        clean["sha256"] = store_file(session, file_data, str(clean.get("mime", "")))
        clean["size"] = len(file_data)
    clean.setdefault("doc_type", "KHAC")
    eid = entity_id or str(uuid.uuid4())
    targets = _branches(session, branches)
    version = 1
    now = utcnow()
    for branch in targets:
        rec = _record(session, branch.id, Entity.DOCUMENT, eid)
        if rec is not None and rec.origin != "committee":
            raise AdminError("Mã văn bản này trùng với một văn bản do chi bộ tạo.")
        if rec is None:
            rec = Record(branch_id=branch.id, entity=Entity.DOCUMENT, entity_id=eid, version=0)
            session.add(rec)
            merged = dict(clean)
        else:
            merged = json.loads(rec.fields_json) | clean
        rec.version = (rec.version or 0) + 1
        rec.fields_json = canonical(merged)
        rec.origin = "committee"
        rec.deleted = False
        rec.updated_at = now
        version = max(version, rec.version)
        if clean.get("sha256") and file_data is not None:
            _grant(session, branch.id, str(clean["sha256"]))
        session.add(
            FeedChange(
                branch_id=branch.id,
                entity=Entity.DOCUMENT,
                entity_id=eid,
                op="upsert",
                version=rec.version,
                fields_json=canonical(merged),
                note=note,
                published_at=now,
            )
        )
    return Published(Entity.DOCUMENT, eid, version, [b.code for b in targets])


def _grant(session: Session, branch_id: int, sha256: str) -> None:
    session.flush()
    if session.get(FileGrant, (branch_id, sha256)) is None:
        session.add(FileGrant(branch_id=branch_id, sha256=sha256))


def publish_member(
    session: Session,
    *,
    branch: str,
    fields: dict[str, Any],
    entity_id: str | None = None,
    note: str = "",
) -> Published:
    """A member change made upstream: a transfer out (status chuyen_di) or in (a new row)."""
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise AdminError(f"Trường không hỗ trợ cho đảng viên: {', '.join(sorted(unknown))}.")
    if not fields:
        raise AdminError("Cần ít nhất một trường thay đổi của đảng viên.")
    status = fields.get("status")
    if status is not None and status not in tuple(MemberStatus):
        raise AdminError(f"Trạng thái đảng viên không hợp lệ: {status}.")
    _check_dates(fields, MEMBER_SCHEMA)
    target = get_branch(session, branch)
    now = utcnow()
    rec = _record(session, target.id, Entity.MEMBER, entity_id) if entity_id else None
    if rec is None:
        if entity_id and not fields.get("full_name"):
            raise AdminError(
                "Chi bộ chưa gửi đảng viên này lên máy chủ; muốn chuyển đến một đảng viên mới "
                "thì cần họ tên (--full-name)."
            )
        if not fields.get("full_name"):
            raise AdminError("Đảng viên mới cần họ tên.")
        eid = entity_id or str(uuid.uuid4())
        rec = Record(
            branch_id=target.id, entity=Entity.MEMBER, entity_id=eid, version=0, origin="branch"
        )
        session.add(rec)
        merged = {"id": eid, **fields}
        sent = merged
    else:
        eid = rec.entity_id
        merged = json.loads(rec.fields_json) | fields
        sent = dict(fields)
    rec.version = (rec.version or 0) + 1
    rec.fields_json = canonical(merged)
    rec.deleted = bool(merged.get("deleted_at"))
    rec.updated_at = now
    session.add(
        FeedChange(
            branch_id=target.id,
            entity=Entity.MEMBER,
            entity_id=eid,
            op="upsert",
            version=rec.version,
            fields_json=canonical(sent),
            note=note,
            published_at=now,
        )
    )
    return Published(Entity.MEMBER, eid, rec.version, [target.code])


def feed_page(session: Session, branch_id: int, since: int, limit: int) -> dict[str, Any]:
    rows = list(
        session.scalars(
            select(FeedChange)
            .where(FeedChange.branch_id == branch_id, FeedChange.id > since)
            .order_by(FeedChange.id)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        {
            "cursor": str(row.id),
            "entity": row.entity,
            "entity_id": row.entity_id,
            "op": row.op,
            "version": row.version,
            "origin": "committee",
            "published_at": iso(row.published_at),
            "fields": json.loads(row.fields_json),
            "note": row.note,
        }
        for row in rows
    ]
    next_cursor = str(rows[-1].id) if rows else (str(since) if since else "")
    return {"changes": changes, "next_cursor": next_cursor, "has_more": has_more}


def file_for_branch(session: Session, branch_id: int, sha256: str) -> FileBlob | None:
    if session.get(FileGrant, (branch_id, sha256)) is None:
        return None
    return session.get(FileBlob, sha256)


MAX_ANSWER = 10_000
ANSWERED_BY_DEFAULT = "Đảng ủy cấp trên"


def publish_feedback_answer(
    session: Session,
    *,
    branch: str,
    feedback_id: str,
    answer: str,
    answered_by: str = "",
    answered_on: str | None = None,
    note: str = "",
) -> Published:
    """The committee's answer to a member's feedback the branch sent up.

    The server's record of that feedback takes a new version (state answered, the answer,
    who answered, when) and the branch pulls the change; the desktop applies it with
    `feedback.apply_from_committee`. What the member said is never changed here.
    """
    text = "\n".join(line.rstrip() for line in answer.replace("\r\n", "\n").split("\n")).strip()
    if not text:
        raise AdminError("Cần nội dung trả lời (--answer).")
    if len(text) > MAX_ANSWER:
        raise AdminError(f"Nội dung trả lời quá dài (tối đa {MAX_ANSWER} ký tự).")
    today = dt.date.today()  # the committee's own calendar day
    try:
        day_value = dt.date.fromisoformat(answered_on) if answered_on else today
    except ValueError as exc:
        raise AdminError(f"Ngày trả lời không hợp lệ: {answered_on} (cần YYYY-MM-DD).") from exc
    if day_value > today + dt.timedelta(days=1):
        raise AdminError(f"Ngày trả lời ({day_value.isoformat()}) chưa đến.")
    day = day_value.isoformat()
    target = get_branch(session, branch)
    rec = _record(session, target.id, Entity.FEEDBACK, feedback_id.strip())
    if rec is None:
        raise AdminError(
            f"Chi bộ {target.code} chưa gửi ý kiến mã {feedback_id} lên máy chủ "
            "(xem danh sách bằng “sotay-server feedback list”)."
        )
    if rec.deleted:
        raise AdminError("Ý kiến này đã bị chi bộ xóa (ghi nhầm); không trả lời được.")
    held = json.loads(rec.fields_json)
    if day < str(held.get("received_on") or ""):
        raise AdminError(
            f"Ngày trả lời ({day}) trước ngày chi bộ nhận ý kiến ({held.get('received_on')})."
        )
    sent = {
        "state": "answered",
        "answer": text,
        "answered_on": day,
        "answered_by": " ".join(answered_by.split()) or ANSWERED_BY_DEFAULT,
    }
    now = utcnow()
    rec.version = (rec.version or 0) + 1
    rec.fields_json = canonical(held | sent)
    rec.updated_at = now
    session.add(
        FeedChange(
            branch_id=target.id,
            entity=Entity.FEEDBACK,
            entity_id=rec.entity_id,
            op="upsert",
            version=rec.version,
            fields_json=canonical(sent),
            note=note,
            published_at=now,
        )
    )
    return Published(Entity.FEEDBACK, rec.entity_id, rec.version, [target.code])

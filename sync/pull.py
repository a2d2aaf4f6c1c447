"""Pull: what the committee published, page by page; each page applied with its cursor in
ONE local transaction, so a crash leaves either both or neither.

Document files are fetched (and their SHA-256 checked) before the transaction opens, so the
transaction itself never waits on the network.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.errors import KnownError
from app.models import DocumentFile
from app.services import feedback
from app.services.sync_state import KEY_CURSOR, apply_upstream, kv_get, kv_set, record_pull_problem
from app.vocab import Entity
from protocol import DEFAULT_PULL_LIMIT
from sync.errors import UnexpectedResponse
from sync.transport import Transport

if TYPE_CHECKING:
    from app.book import Book

PAGE_SIZE = DEFAULT_PULL_LIMIT
MAX_PAGES = 1000  # a safety stop per run; the next run goes on from the saved cursor


@dataclass
class PullReport:
    pulled: int = 0
    pages: int = 0
    documents: int = 0
    members: int = 0
    feedback: int = 0
    problems: int = 0


def _check_page(page: dict[str, Any]) -> tuple[list[dict[str, Any]], str, bool]:
    changes, cursor, more = page.get("changes"), page.get("next_cursor"), page.get("has_more")
    if not isinstance(changes, list) or not isinstance(cursor, str) or not isinstance(more, bool):
        raise UnexpectedResponse(detail="pull page without changes/next_cursor/has_more")
    for ch in changes:
        if not isinstance(ch, dict) or not isinstance(ch.get("fields"), dict):
            raise UnexpectedResponse(detail="pull change without fields")
        if not isinstance(ch.get("entity"), str) or not isinstance(ch.get("entity_id"), str):
            raise UnexpectedResponse(detail="pull change without entity")
    return changes, cursor, more


def _fetch_files(transport: Transport, changes: list[dict[str, Any]]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for ch in changes:
        sha = str(ch["fields"].get("sha256") or "")
        if ch["entity"] != Entity.DOCUMENT or not sha or sha in files:
            continue
        data = transport.get_bytes(f"/api/v1/files/{sha}")
        if data is not None and hashlib.sha256(data).hexdigest() == sha:
            files[sha] = data
    return files


def _apply_one(s: Session, ch: dict[str, Any], files: dict[str, bytes], report: PullReport) -> None:
    entity, entity_id, fields = ch["entity"], ch["entity_id"], ch["fields"]
    version = int(ch.get("version") or 1)
    note = str(ch.get("note") or "")
    if entity == Entity.DOCUMENT:
        apply_upstream(
            s,
            entity=entity,
            entity_id=entity_id,
            fields=fields,
            version=version,
            note=note,
            extra={"source": "committee"},
        )
        data = files.get(str(fields.get("sha256") or ""))
        if data is not None:
            s.merge(DocumentFile(document_id=entity_id, data=data))
        report.documents += 1
    elif entity == Entity.MEMBER:
        apply_upstream(
            s, entity=entity, entity_id=entity_id, fields=fields, version=version, note=note
        )
        report.members += 1
    elif entity == Entity.FEEDBACK:
        # The committee's answer to a member's feedback: only the committee's fields are
        # taken; what the member said stays as the branch recorded it.
        feedback.apply_from_committee(s, fields, entity_id=entity_id, version=version, note=note)
        report.feedback += 1
    else:
        apply_upstream(
            s, entity=entity, entity_id=entity_id, fields=fields, version=version, note=note
        )


def _apply_page(
    book: Book,
    changes: list[dict[str, Any]],
    files: dict[str, bytes],
    cursor: str,
    report: PullReport,
) -> None:
    with book.session() as s:
        for ch in changes:
            savepoint = s.begin_nested()
            try:
                _apply_one(s, ch, files, report)
                savepoint.commit()
            except (IntegrityError, KnownError, ValueError, TypeError, SQLAlchemyError) as exc:
                savepoint.rollback()
                reason = (
                    exc.message
                    if isinstance(exc, KnownError)
                    else (
                        "Không áp dụng được thay đổi từ cấp trên vào sổ (trùng hoặc sai dữ liệu)."
                    )
                )
                record_pull_problem(
                    s,
                    cursor=str(ch.get("cursor") or ""),
                    entity=ch["entity"],
                    entity_id=ch["entity_id"],
                    fields=ch["fields"],
                    version=int(ch.get("version") or 0),
                    reason=reason,
                )
                report.problems += 1
        kv_set(s, KEY_CURSOR, cursor)
    report.pulled += len(changes)
    report.pages += 1


def pull(book: Book, transport: Transport, *, page_size: int = PAGE_SIZE) -> PullReport:
    report = PullReport()
    for _ in range(MAX_PAGES):
        with book.read_session() as s:
            cursor = kv_get(s, KEY_CURSOR) or ""
        page = transport.get_json("/api/v1/changes", params={"since": cursor, "limit": page_size})
        changes, next_cursor, has_more = _check_page(page)
        if changes:
            files = _fetch_files(transport, changes)
            _apply_page(book, changes, files, next_cursor, report)
        if not has_more or not changes:
            break
    return report

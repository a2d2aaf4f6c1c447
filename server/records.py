"""What the branches sent, read back for the committee: every submitted version of each
report, and the members' feedback waiting for (or given) an answer.

The server stores rows generically (srv_record: the latest version; srv_record_version:
every applied version of a report), so these are views over those tables.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.feedback import FEEDBACK_KINDS, FEEDBACK_STATES
from app.models.report import REPORT_KINDS
from app.vocab import Entity
from server.accounts import AdminError, get_branch
from server.models import Branch, Record, RecordVersion, iso


def _loads(raw: str | None, default: Any) -> Any:
    try:
        return json.loads(raw or "")
    except ValueError:
        return default


def _report_row(
    code: str, entity_id: str, version: int, fields: dict[str, Any], received: Any
) -> dict[str, Any]:
    return {
        "branch": code,
        "report_id": entity_id,
        "number": str(fields.get("number") or ""),
        "kind": str(fields.get("kind") or ""),
        "kind_label": REPORT_KINDS.get(str(fields.get("kind") or ""), str(fields.get("kind"))),
        "period": str(fields.get("period") or ""),
        "version": version,
        "revision": fields.get("revision"),
        "state": fields.get("state"),
        "submitted_at": fields.get("submitted_at"),
        "amend_reason": str(fields.get("amend_reason") or ""),
        "received_at": iso(received),
    }


def _branch_filter(session: Session, branch: str | None) -> int | None:
    return get_branch(session, branch).id if branch else None


def report_versions(
    session: Session, *, branch: str | None = None, with_fields: bool = False
) -> list[dict[str, Any]]:
    """Every submitted version of every report (oldest first within a report).

    A report received before the server kept versions shows its latest version only.
    """
    branch_id = _branch_filter(session, branch)
    codes = dict(session.execute(select(Branch.id, Branch.code)).all())
    q = select(RecordVersion).where(RecordVersion.entity == Entity.REPORT)
    if branch_id is not None:
        q = q.where(RecordVersion.branch_id == branch_id)
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for row in session.scalars(q):
        fields = _loads(row.fields_json, {})
        item = _report_row(
            codes[row.branch_id], row.entity_id, row.version, fields, row.received_at
        )
        if with_fields:
            item["fields"] = fields
        out.append(item)
        seen.add((row.branch_id, row.entity_id))
    q2 = select(Record).where(Record.entity == Entity.REPORT)
    if branch_id is not None:
        q2 = q2.where(Record.branch_id == branch_id)
    for rec in session.scalars(q2):
        if (rec.branch_id, rec.entity_id) in seen:
            continue
        fields = _loads(rec.fields_json, {})
        item = _report_row(codes[rec.branch_id], rec.entity_id, rec.version, fields, rec.updated_at)
        if with_fields:
            item["fields"] = fields
        out.append(item)
    out.sort(key=lambda r: (r["branch"], r["period"], r["number"], r["report_id"], r["version"]))
    return out


def report_detail(
    session: Session, *, report: str, branch: str | None = None, version: int | None = None
) -> list[dict[str, Any]]:
    """The versions of one report, found by its id or its number ("05-BC/CB"), with their
    sections; only `version` when it is given."""
    key = report.strip()
    rows = [
        r
        for r in report_versions(session, branch=branch, with_fields=True)
        if key in (r["report_id"], r["number"])
    ]
    if not rows:
        where = f" của chi bộ {branch}" if branch else ""
        raise AdminError(f"Máy chủ không có báo cáo “{key}”{where}.")
    if version is not None:
        rows = [r for r in rows if r["version"] == version]
        if not rows:
            raise AdminError(f"Báo cáo “{key}” không có phiên bản {version} trên máy chủ.")
    for row in rows:
        fields = row.pop("fields")
        row["issued_on"] = fields.get("issued_on")
        row["subtitle"] = fields.get("subtitle") or ""
        row["signer_name"] = fields.get("signer_name") or ""
        row["recipients"] = fields.get("recipients") or ""
        row["sections"] = _loads(fields.get("sections_json"), [])
        row["figures"] = _loads(fields.get("figures_json"), {})
    return rows


def feedback_items(
    session: Session, *, branch: str | None = None, state: str | None = None
) -> list[dict[str, Any]]:
    """Members' feedback the branches sent up (removed ones left out), oldest first."""
    if state is not None and state not in FEEDBACK_STATES:
        raise AdminError(f"Trạng thái không hợp lệ: {state} (chọn: {', '.join(FEEDBACK_STATES)}).")
    branch_id = _branch_filter(session, branch)
    codes = dict(session.execute(select(Branch.id, Branch.code)).all())
    q = select(Record).where(Record.entity == Entity.FEEDBACK, Record.deleted.is_(False))
    if branch_id is not None:
        q = q.where(Record.branch_id == branch_id)
    rows = list(session.scalars(q))
    member_ids = {str(_loads(r.fields_json, {}).get("member_id") or "") for r in rows}
    names: dict[tuple[int, str], str] = {}
    if member_ids:
        for rec in session.scalars(
            select(Record).where(Record.entity == Entity.MEMBER, Record.entity_id.in_(member_ids))
        ):
            names[(rec.branch_id, rec.entity_id)] = str(
                _loads(rec.fields_json, {}).get("full_name") or ""
            )
    out: list[dict[str, Any]] = []
    for rec in rows:
        f = _loads(rec.fields_json, {})
        if state is not None and f.get("state") != state:
            continue
        member_id = str(f.get("member_id") or "")
        out.append(
            {
                "branch": codes[rec.branch_id],
                "feedback_id": rec.entity_id,
                "version": rec.version,
                "member_id": member_id,
                "member_name": names.get((rec.branch_id, member_id), ""),
                "kind": f.get("kind"),
                "kind_label": FEEDBACK_KINDS.get(str(f.get("kind")), str(f.get("kind"))),
                "received_on": f.get("received_on"),
                "channel": f.get("channel"),
                "content": f.get("content") or "",
                "state": f.get("state"),
                "state_label": FEEDBACK_STATES.get(str(f.get("state")), str(f.get("state"))),
                "forwarded_on": f.get("forwarded_on"),
                "answer": f.get("answer") or "",
                "answered_on": f.get("answered_on"),
                "answered_by": f.get("answered_by") or "",
            }
        )
    out.sort(key=lambda r: (r["branch"], str(r["received_on"] or ""), r["feedback_id"]))
    return out

"""The committee's view: each branch with what it holds and its attendance figures."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.vocab import AttendanceMark, Entity
from protocol.entities import ATTENDANCE_ENTITIES
from server.models import Branch, BranchFile, DeviceToken, Record, iso

# What the committee's overview counts per branch.
COUNTED = (Entity.MEMBER, Entity.MEETING, Entity.DOCUMENT)


def attendance_figures(session: Session, branch_id: int) -> dict[str, Any]:
    """Events received, and marks = the latest event per (meeting, member)."""
    latest: dict[tuple[str, str], tuple[str, int, str]] = {}
    events = 0
    rows = session.scalars(
        select(Record.fields_json).where(
            Record.branch_id == branch_id,
            Record.entity.in_(ATTENDANCE_ENTITIES),
            Record.deleted.is_(False),
        )
    )
    for raw in rows:
        events += 1
        fields = json.loads(raw)
        key = (str(fields.get("meeting_id", "")), str(fields.get("member_id", "")))
        order = (str(fields.get("recorded_at", "")), int(fields.get("seq") or 0))
        current = latest.get(key)
        if current is None or (current[2], current[1]) <= (order[0], order[1]):
            latest[key] = (str(fields.get("status", "")), order[1], order[0])
    statuses = [value[0] for value in latest.values()]
    marks = len(statuses)
    present_marks = AttendanceMark.present()
    present = sum(1 for s in statuses if s in present_marks)
    return {
        "events": events,
        "marks": marks,
        "meetings": len({k[0] for k in latest}),
        "present": present,
        "excused": statuses.count(AttendanceMark.EXCUSED),
        "unexcused": statuses.count(AttendanceMark.UNEXCUSED),
        "rate": round(present / marks, 4) if marks else None,
    }


def _amount(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def dues_totals(session: Session, branch_id: int) -> dict[str, Any]:
    """Đảng phí per month: collected (payments received that month, by their paid_on day)
    and remitted upward (by the remittance's day), from what the branch synced."""
    months: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(Record.entity, Record.fields_json).where(
            Record.branch_id == branch_id,
            Record.entity.in_((Entity.DUES_PAYMENT, Entity.DUES_REMITTANCE)),
            Record.deleted.is_(False),
        )
    )
    for entity, raw in rows:
        fields = json.loads(raw)
        if entity == Entity.DUES_PAYMENT:
            if fields.get("channel") == "excused":
                continue
            day, key = str(fields.get("paid_on") or ""), "collected"
        else:
            day, key = str(fields.get("remitted_on") or ""), "remitted"
        month = day[:7]
        if len(month) != 7:
            continue
        entry = months.setdefault(month, {"collected": 0, "remitted": 0})
        entry[key] += _amount(fields.get("amount"))
    ordered = [{"month": m, **months[m]} for m in sorted(months)]
    return {
        "months": ordered,
        "collected": sum(m["collected"] for m in ordered),
        "remitted": sum(m["remitted"] for m in ordered),
    }


def _counts(session: Session) -> dict[tuple[int, str], int]:
    query = (
        select(Record.branch_id, Record.entity, func.count())
        .where(Record.deleted.is_(False), Record.entity.in_(COUNTED))
        .group_by(Record.branch_id, Record.entity)
    )
    return {(b, e): int(n) for b, e, n in session.execute(query).all()}


def _files(session: Session) -> dict[int, tuple[int, int]]:
    """Document files each branch uploaded: (how many, bytes)."""
    query = select(BranchFile.branch_id, func.count(), func.coalesce(func.sum(BranchFile.size), 0))
    return {
        int(b): (int(n), int(size))
        for b, n, size in session.execute(query.group_by(BranchFile.branch_id)).all()
    }


def branches_overview(session: Session) -> list[dict[str, Any]]:
    counts = _counts(session)
    files = _files(session)
    devices = dict(
        session.execute(
            select(DeviceToken.branch_id, func.count())
            .where(DeviceToken.revoked_at.is_(None))
            .group_by(DeviceToken.branch_id)
        ).all()
    )
    out: list[dict[str, Any]] = []
    for branch in session.scalars(select(Branch).order_by(Branch.code)):
        out.append(
            {
                "code": branch.code,
                "name": branch.name,
                "last_sync_at": iso(branch.last_sync_at),
                "members": counts.get((branch.id, Entity.MEMBER), 0),
                "meetings": counts.get((branch.id, Entity.MEETING), 0),
                "documents": counts.get((branch.id, Entity.DOCUMENT), 0),
                "files": files.get(branch.id, (0, 0))[0],
                "file_bytes": files.get(branch.id, (0, 0))[1],
                "attendance": attendance_figures(session, branch.id),
                "dues": dues_totals(session, branch.id),
                "devices": int(devices.get(branch.id, 0)),
            }
        )
    return out

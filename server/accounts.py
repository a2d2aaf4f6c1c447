"""Branches, enrolment codes, device tokens and admin tokens (only hashes are stored)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.vocab import Entity
from server.models import AdminToken, Branch, DeviceToken, EnrolmentCode, Record, iso, utcnow
from server.protocol import ApiError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: easy to read aloud
BRANCH_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")
DEFAULT_CODE_DAYS = 14


class AdminError(Exception):
    """A CLI/admin failure with a Vietnamese message."""


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1")


def new_enrolment_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class IssuedCode:
    branch_code: str
    branch_name: str
    enrolment_code: str
    expires_at: dt.datetime

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.branch_code,
            "name": self.branch_name,
            "enrolment_code": self.enrolment_code,
            "expires_at": iso(self.expires_at),
        }


def get_branch(session: Session, code: str) -> Branch:
    branch = session.scalar(select(Branch).where(Branch.code == code))
    if branch is None:
        raise AdminError(f"Không có chi bộ mã {code} trên máy chủ.")
    return branch


def issue_code(session: Session, branch: Branch, *, days: int = DEFAULT_CODE_DAYS) -> IssuedCode:
    code = new_enrolment_code()
    if days < 1:
        raise AdminError(f"Mã đăng ký phải còn hiệu lực ít nhất 1 ngày (nhận được {days}).")
    expires = utcnow() + dt.timedelta(days=days)
    session.add(
        EnrolmentCode(
            branch_id=branch.id,
            code_hash=token_hash(normalise_code(code)),
            created_at=utcnow(),
            expires_at=expires,
        )
    )
    return IssuedCode(branch.code, branch.name, code, expires)


def add_branch(
    session: Session, *, code: str, name: str, days: int = DEFAULT_CODE_DAYS
) -> IssuedCode:
    code = code.strip()
    name = " ".join(name.split())
    if not BRANCH_CODE_RE.match(code):
        raise AdminError("Mã chi bộ chỉ gồm chữ không dấu, số, dấu gạch; tối đa 50 ký tự.")
    if not name:
        raise AdminError("Cần tên chi bộ.")
    if session.scalar(select(Branch.id).where(Branch.code == code)) is not None:
        raise AdminError(f"Đã có chi bộ mã {code}.")
    branch = Branch(code=code, name=name, created_at=utcnow())
    session.add(branch)
    session.flush()
    return issue_code(session, branch, days=days)


@dataclass(frozen=True)
class Enrolled:
    device_id: str
    device_token: str
    branch_code: str
    branch_name: str
    # 1 for the branch's first device ever enrolled on this server, 2 for the next, ...
    # (revoked devices count: their receipts are still held here).
    device_ordinal: int = 1
    # The receipt series (ký hiệu) of the branch's dues receipts this server holds.
    receipt_series_in_use: tuple[str, ...] = ()


MAX_SERIES_LISTED = 200


def receipt_series_in_use(session: Session, branch_id: int) -> tuple[str, ...]:
    """Every non-empty receipt series among the branch's dues payments held here (voided
    ones too: their numbers were printed)."""
    found: set[str] = set()
    rows = session.scalars(
        select(Record.fields_json).where(
            Record.branch_id == branch_id, Record.entity == Entity.DUES_PAYMENT.value
        )
    )
    for raw in rows:
        try:
            fields = json.loads(raw)
        except ValueError:
            continue
        series = fields.get("receipt_series") if isinstance(fields, dict) else None
        if isinstance(series, str) and series:
            found.add(series[:8])
    return tuple(sorted(found)[:MAX_SERIES_LISTED])


def enrol(session: Session, *, code: str, device_name: str) -> Enrolled:
    row = session.scalar(
        select(EnrolmentCode).where(EnrolmentCode.code_hash == token_hash(normalise_code(code)))
    )
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at < now:
        raise ApiError(
            403,
            "bad_enrolment_code",
            "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn. "
            "Vui lòng xin Đảng ủy cấp trên cấp mã mới.",
        )
    # Claim the code atomically: a second concurrent use finds used_at set.
    claimed = session.execute(
        update(EnrolmentCode)
        .where(EnrolmentCode.id == row.id, EnrolmentCode.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ApiError(403, "bad_enrolment_code", "Mã đăng ký này vừa được dùng.")
    # Lock the branch row (PostgreSQL; SQLite already holds the write lock from the claim) so
    # two devices enrolling at once never get the same ordinal.
    branch = session.scalar(select(Branch).where(Branch.id == row.branch_id).with_for_update())
    assert branch is not None
    before = session.scalar(
        select(func.count()).select_from(DeviceToken).where(DeviceToken.branch_id == branch.id)
    )
    secret = "sotay_" + secrets.token_urlsafe(32)
    device = DeviceToken(
        id=str(uuid.uuid4()),
        branch_id=branch.id,
        token_hash=token_hash(secret),
        device_name=device_name[:200],
        created_at=now,
    )
    session.add(device)
    return Enrolled(
        device.id,
        secret,
        branch.code,
        branch.name,
        device_ordinal=int(before or 0) + 1,
        receipt_series_in_use=receipt_series_in_use(session, branch.id),
    )


def device_for_token(session: Session, secret: str) -> DeviceToken | None:
    device = session.scalar(select(DeviceToken).where(DeviceToken.token_hash == token_hash(secret)))
    if device is None or device.revoked_at is not None:
        return None
    return device


def revoke_tokens(
    session: Session, *, branch_code: str | None = None, device_id: str | None = None
) -> int:
    query = update(DeviceToken).where(DeviceToken.revoked_at.is_(None))
    if device_id:
        query = query.where(DeviceToken.id == device_id)
    elif branch_code:
        query = query.where(DeviceToken.branch_id == get_branch(session, branch_code).id)
    else:
        raise AdminError("Cần --code (mã chi bộ) hoặc --device-id.")
    return int(session.execute(query.values(revoked_at=utcnow())).rowcount)  # type: ignore[attr-defined]


def list_tokens(session: Session, branch_code: str | None = None) -> list[dict[str, object]]:
    query = select(DeviceToken, Branch).join(Branch, Branch.id == DeviceToken.branch_id)
    if branch_code:
        query = query.where(Branch.code == branch_code)
    out: list[dict[str, object]] = []
    for device, branch in session.execute(query.order_by(DeviceToken.created_at)).all():
        out.append(
            {
                "device_id": device.id,
                "branch": branch.code,
                "device_name": device.device_name,
                "created_at": iso(device.created_at),
                "last_seen_at": iso(device.last_seen_at),
                "revoked_at": iso(device.revoked_at),
            }
        )
    return out


def create_admin_token(session: Session, name: str) -> str:
    secret = "sotayadm_" + secrets.token_urlsafe(32)
    session.add(AdminToken(name=name, token_hash=token_hash(secret), created_at=utcnow()))
    return secret


def admin_token_valid(session: Session, secret: str) -> bool:
    row = session.scalar(select(AdminToken).where(AdminToken.token_hash == token_hash(secret)))
    return row is not None and row.revoked_at is None

"""Files a branch uploads (the bytes of a document it created), content-addressed by SHA-256.

Uploading is idempotent: the same bytes sent twice are stored once. A branch may download
a file only once it has sent the bytes itself (or the committee published the file to it):
knowing a hash is not enough to obtain someone else's file.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import BranchFile, FileBlob, FileGrant, utcnow
from server.protocol import ApiError, malformed

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_CHECK = 1000


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{max(1, round(size / 1024))} KB"


def check_digest(value: str) -> str:
    digest = value.strip().lower()
    if not SHA256_RE.match(digest):
        raise malformed("Mã SHA-256 của tệp không hợp lệ (cần 64 ký tự hệ 16).")
    return digest


def missing(session: Session, branch_id: int, digests: list[str]) -> list[str]:
    """Which of these files the server does not yet hold for this branch."""
    wanted = sorted({check_digest(d) for d in digests})
    if len(wanted) > MAX_CHECK:
        raise malformed(f"Chỉ kiểm tra tối đa {MAX_CHECK} tệp một lần.")
    if not wanted:
        return []
    held = set(
        session.scalars(
            select(FileGrant.sha256).where(
                FileGrant.branch_id == branch_id, FileGrant.sha256.in_(wanted)
            )
        )
    )
    return [d for d in wanted if d not in held]


def receive(session: Session, branch_id: int, digest: str, data: bytes, mime: str) -> bool:
    """Store the bytes under their SHA-256 for this branch. Returns True when the branch
    had not sent them before."""
    digest = check_digest(digest)
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest:
        raise ApiError(
            400,
            "hash_mismatch",
            "Nội dung tệp không khớp mã SHA-256 đã khai; tệp có thể bị hỏng trên đường truyền. "
            "Máy sẽ gửi lại ở lần đồng bộ sau.",
        )
    if session.get(FileBlob, digest) is None:
        session.add(
            FileBlob(
                sha256=digest,
                size=len(data),
                mime=(mime or "application/octet-stream")[:100],
                data=data,
            )
        )
        session.flush()
    new = session.get(BranchFile, (branch_id, digest)) is None
    if new:
        session.add(
            BranchFile(branch_id=branch_id, sha256=digest, size=len(data), uploaded_at=utcnow())
        )
    if session.get(FileGrant, (branch_id, digest)) is None:
        session.add(FileGrant(branch_id=branch_id, sha256=digest))
    return new

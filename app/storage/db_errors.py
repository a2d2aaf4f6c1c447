"""SQLite/SQLCipher failures a secretary can meet (full disk, damaged file, locked file),
turned into Vietnamese messages. Anything else stays a bug for the crash handler."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlcipher3
from sqlalchemy import exc as sa_exc

from app.errors import BookError, KnownError

DISK_FULL = (
    "Ổ đĩa đã đầy nên không ghi được vào sổ. Thay đổi vừa rồi chưa được lưu; dữ liệu cũ "
    "không bị ảnh hưởng. Hãy giải phóng chỗ trống trên ổ đĩa rồi thử lại."
)
DAMAGED = (
    "Sổ bị hỏng ở một phần dữ liệu (có thể do mất điện hoặc ổ đĩa lỗi). Hãy khôi phục từ "
    "bản sao lưu gần nhất (sotay restore)."
)
BUSY = "Sổ đang bận vì một chương trình khác đang ghi. Vui lòng thử lại sau ít giây."
READ_ONLY = "Không ghi được vào sổ: thư mục dữ liệu chỉ cho đọc. Hãy kiểm tra quyền ghi."


def translate(error: BaseException) -> KnownError | None:
    """A KnownError for a storage failure the user can act on, else None."""
    raw = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if not isinstance(raw, sqlcipher3.DatabaseError):
        return None
    text = str(raw).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return KnownError(DISK_FULL)
    if "malformed" in text or "not a database" in text or "hmac check failed" in text:
        return BookError(DAMAGED)
    if "database is locked" in text or "database is busy" in text:
        return KnownError(BUSY)
    if "readonly" in text or "read-only" in text:
        return KnownError(READ_ONLY)
    if "disk i/o error" in text:
        return BookError(DAMAGED)
    return None


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Re-raise storage failures the user can act on as KnownError."""
    try:
        yield
    except (sa_exc.DBAPIError, sqlcipher3.DatabaseError) as error:
        known = translate(error)
        if known is None:
            raise
        raise known from error

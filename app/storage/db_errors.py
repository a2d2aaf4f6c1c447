"""SQLite/SQLCipher failures a secretary can meet (full disk, damaged file, locked file),
turned into Vietnamese messages. Anything else stays a bug for the crash handler."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

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
OPEN_DISK_FULL = (
    "Ổ đĩa chứa sổ đã đầy nên chưa mở được sổ; dữ liệu trong sổ không bị ảnh hưởng. Hãy giải "
    "phóng chỗ trống trên ổ đĩa rồi mở lại."
)

# SQLite needs a 32 KiB page for the WAL index and room for WAL frames; below this much free
# space an I/O error is the full disk, not a damaged file (a real full disk gives "disk I/O
# error" when the -shm file cannot grow, not "database or disk is full").
LOW_SPACE_BYTES = 64 * 1024


def disk_is_full(folder: Path | None) -> bool:
    """True when the disk holding `folder` has (almost) no room left for this user."""
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False


def is_full_or_io(error: BaseException) -> bool:
    """SQLite's answer when it could not write: a full disk or an I/O error."""
    raw = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    text = str(raw).lower()
    return "disk is full" in text or "disk i/o error" in text


def translate(error: BaseException, folder: Path | None = None) -> KnownError | None:
    """A KnownError for a storage failure the user can act on, else None.

    `folder` is the book's folder: with it, an I/O error on a full disk is told as a full
    disk rather than as damage (which would push the secretary toward a needless restore)."""
    raw = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if not isinstance(raw, sqlcipher3.DatabaseError):
        return None
    text = str(raw).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return KnownError(DISK_FULL)
    if "disk i/o error" in text and disk_is_full(folder):
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
def translated(folder: Path | None = None) -> Iterator[None]:
    """Re-raise storage failures the user can act on as KnownError."""
    try:
        yield
    except (sa_exc.DBAPIError, sqlcipher3.DatabaseError) as error:
        known = translate(error, folder)
        if known is None:
            raise
        raise known from error

"""Writing the book's data out to files other programs open (Excel)."""

from __future__ import annotations

from pathlib import Path

from app.errors import KnownError
from app.file_writes import write_atomic


def write_workbook(data: bytes, path: Path) -> Path:
    """Write a workbook whole or not at all (a half-written file never replaces a good one),
    owner-only like every export; an Excel that holds the file open is said plainly."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data, private=True)
    except KnownError:
        raise
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise KnownError(
                f"Không ghi được {target.name}: tệp đang mở trong Excel hoặc thư mục không cho ghi."
            ) from exc
        raise KnownError(f"Không ghi được tệp {target}: {exc.strerror or exc}.") from exc
    return target

"""Replacing the book's files as one step, even across a power cut.

A restore swaps book.db (and its WAL) and book.keys. A crash between two renames would
leave a database and a key file that do not belong together, so the swap is journalled:
the new files are staged as *.restoring, a marker lists them, then they are renamed into
place. If the marker is still there at the next start, the swap is finished first.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from app.paths import BOOK_FILE
from app.storage.files import fsync_dir, replace

MARKER = "restore.pending"
SUFFIX = ".restoring"


def _fsync_dir(folder: Path) -> None:
    fsync_dir(folder)  # where the platform allows it (not on Windows)


def swap_in(data_dir: Path, staged: dict[str, Path]) -> None:
    """Move `staged` files (final name → staged path) into data_dir atomically as a set."""
    for name, source in staged.items():
        target = data_dir / (name + SUFFIX)
        with open(source, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    marker = data_dir / MARKER
    marker.write_text(json.dumps(sorted(staged)), encoding="utf-8")
    _fsync_dir(data_dir)
    finish(data_dir)


def finish(data_dir: Path) -> bool:
    """Complete an interrupted swap. True when there was one."""
    marker = data_dir / MARKER
    if not marker.exists():
        return False
    try:
        names = list(json.loads(marker.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        names = []
    if names:
        # The old WAL and index belong to the old database: never replay them on the new one.
        for stale in (BOOK_FILE + "-wal", BOOK_FILE + "-shm"):
            if stale not in names:
                with contextlib.suppress(FileNotFoundError):
                    (data_dir / stale).unlink()
        for name in names:
            staged = data_dir / (name + SUFFIX)
            if staged.exists():
                replace(staged, data_dir / name)  # retried while held open (Windows)
    _fsync_dir(data_dir)
    marker.unlink()
    return True

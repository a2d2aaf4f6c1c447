"""Crash logs that say where a bug is without repeating the data it was working on.

Exception messages can carry a member's name or ID number (a database error quotes the
statement's parameters), and the log lives unencrypted in the data folder, so only the
exception types and the stack (file, line, function) are written.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import traceback
from pathlib import Path


def safe_trace(error: BaseException) -> str:
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("caused by / during:")
    return "\n".join(lines)


def write(path: Path, error: BaseException) -> bool:
    """Append a sanitised report; False when even that cannot be written (e.g. full disk)."""
    logging.raiseExceptions = False  # a failing log write must not print its own traceback
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
            fh.write(safe_trace(error) + "\n")
    except OSError:
        return False
    return True

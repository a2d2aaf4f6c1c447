"""Writing a built PDF to disk. No reportlab here, so callers can import it cheaply."""

from __future__ import annotations

import os
from pathlib import Path

from app.file_writes import write_atomic


def write_pdf(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write the PDF bytes to `path` atomically (a temporary file in the same folder, then
    a rename), so a half-written file never replaces a good one. Returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # fsync on the writing handle; the rename retried while a PDF viewer holds the old file.
    write_atomic(target, data)
    return target

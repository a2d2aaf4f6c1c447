"""Writing a built PDF to disk. No reportlab here, so callers can import it cheaply."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_pdf(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write the PDF bytes to `path` atomically (a temporary file in the same folder, then
    a rename), so a half-written file never replaces a good one. Returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target

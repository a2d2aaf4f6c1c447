"""File permissions for the data folder: only the user who owns it may read it.

The book is encrypted anyway; this keeps other accounts on a shared office PC from even
copying it for an offline guessing attack. No-ops on Windows, where ACLs of the user's
profile folder already do this.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

# Durable, Windows-safe writes live in app.file_writes (reports/ may not import storage);
# re-exported here for storage and the services.
from app.file_writes import FileBusyError as FileBusyError
from app.file_writes import fsync_dir as fsync_dir
from app.file_writes import replace as replace
from app.file_writes import safe_file_name as safe_file_name
from app.file_writes import write_atomic as write_atomic


def restrict(path: Path) -> None:
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)


def restrict_folder(path: Path) -> None:
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)

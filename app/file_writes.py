"""Writing files so that they survive a power cut and work on Windows.

Durable writes (temp file, fsync on the writing handle, replace, folder fsync where the
platform allows), os.replace retried while another program holds the target open, and
file names that are valid on Windows for names the program did not choose.

No storage, Qt or reportlab imports: reports/ and the front ends use it too.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
import unicodedata
from pathlib import Path

from app.errors import KnownError
from app.text import fold

# -- durable writes (Windows-safe) ----------------------------------------------------------
# On Windows os.fsync is FlushFileBuffers, which needs a handle open for writing: every fsync
# here happens on the writing handle, before it is closed. A folder cannot be opened (nor
# fsynced) on Windows; renames there are journalled by NTFS, so the folder fsync is skipped.

FOLDER_FSYNC = os.name == "posix"  # Windows cannot open a folder to flush it
REPLACE_WAIT_SECONDS = 2.0
_REPLACE_FIRST_PAUSE = 0.05


class FileBusyError(KnownError):
    """The target is held open by another program (a PDF viewer, antivirus, Excel…)."""


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable where the platform allows it (not on Windows)."""
    if not FOLDER_FSYNC:
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network shares) refuse a folder fsync; the rename stands
    finally:
        os.close(fd)


def replace(source: Path | str, target: Path | str) -> None:
    """os.replace, retried while the target is held open (Windows: PermissionError).

    Windows refuses to replace a file another program has open without FILE_SHARE_DELETE
    (a PDF viewer, the antivirus scanning it). That is usually brief: retry with backoff for
    about two seconds, then say so in Vietnamese.
    """
    pause = _REPLACE_FIRST_PAUSE
    waited = 0.0
    while True:
        try:
            os.replace(source, target)
            return
        except PermissionError as exc:
            if waited >= REPLACE_WAIT_SECONDS:
                # The source stays: the caller removes it (or, for a journalled restore,
                # finishes the swap at the next start).
                raise FileBusyError(
                    f"Không ghi được {Path(target).name}: tệp đang được một chương trình khác "
                    "mở (trình xem PDF, Excel hoặc phần mềm diệt virus). Hãy đóng chương trình "
                    "đó rồi thử lại."
                ) from exc
            time.sleep(pause)
            waited += pause
            pause = min(pause * 2, 0.5)


def write_atomic(target: Path, data: bytes, *, private: bool = False) -> None:
    """Write `data` to `target` whole or not at all: temp file, fsync, replace, folder fsync."""
    target = Path(target)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # on the writing handle (Windows needs write access)
        if private and os.name == "posix":
            os.chmod(tmp_name, 0o600)
        replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(target.parent)


# -- names the program did not choose -----------------------------------------------------
_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
MAX_NAME_CHARS = 150  # leaves room for the folder in Windows' 260-character paths


def safe_file_name(name: str, *, fallback: str = "tep") -> str:
    """A file name that is valid on Windows (and everywhere else), from any text.

    For names that come from outside (the server, an imported file, a title): characters
    Windows forbids become "_", reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9,
    with or without an extension) get a "_" prefix, trailing dots and spaces go, the name is
    NFC and at most MAX_NAME_CHARS long, keeping its extension.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # never a path: only its last part
    name = "".join("_" if ch in _FORBIDDEN else ch for ch in name).strip()
    name = name.rstrip(". ")
    if not name or set(name) <= {"_", "."}:
        name = fallback
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10 or " " in ext:
        stem, ext = name, ""
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    if len(stem) + len(ext) + 1 > MAX_NAME_CHARS:
        stem = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(". ")
    return f"{stem}.{ext}" if ext else stem


_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_WORDS_CHARS = 80  # a suggested name stays readable in a file dialog


def words_file_name(words: str, *, suffix: str = "", fallback: str = "tep") -> str:
    """The file name the program suggests, from Vietnamese words: no marks, lower case, words
    joined by "-" (for any computer or mail): ("Báo cáo tháng 12/2026", ".pdf") →
    "bao-cao-thang-12-2026.pdf". A long text is cut at a word, at most MAX_WORDS_CHARS."""
    slug = _NOT_WORD.sub("-", fold(words)).strip("-")
    if len(slug) > MAX_WORDS_CHARS:
        slug = slug[: MAX_WORDS_CHARS + 1].rsplit("-", 1)[0]
    return safe_file_name(f"{slug or fallback}{suffix}", fallback=fallback)

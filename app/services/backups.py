"""Automatic backups (like Anki's) and what a backup file says about itself.

* After each closed meeting an encrypted backup is written (`after_meeting_closed`), and at
  most once a day otherwise (`backup_if_due`, called when the book is unlocked or locked).
* They live in `<data dir>/backups/tu-dong/`; only the newest `KEEP` are kept.
* `describe(path)` names the branch and the date of any backup file (automatic or chosen by
  the secretary) without its password, so the window (and the CLI) can say what a restore
  would bring back before anything is replaced.

No Qt here: the window calls these on its task runner.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.paths import BACKUP_DIR

if TYPE_CHECKING:
    from app.book import Book

log = logging.getLogger("sotay.backups")

AUTO_DIR = "tu-dong"
KEEP = 30
DAILY = dt.timedelta(days=1)
PREFIX_MEETING = "sau-hop"
PREFIX_DAILY = "hang-ngay"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    branch_name: str | None  # None for a backup written before the name was recorded
    created_at: dt.datetime | None
    book_id: str | None
    automatic: bool

    @property
    def when_text(self) -> str:
        return "không rõ ngày" if self.created_at is None else f"{self.created_at:%H:%M %d/%m/%Y}"

    @property
    def branch_text(self) -> str:
        return self.branch_name or "(bản sao lưu cũ, chưa ghi tên chi bộ)"


def auto_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR / AUTO_DIR


def describe(path: Path) -> BackupInfo:
    """The branch and date a backup file holds; raises KnownError when it is no backup."""
    from app.book import read_backup

    manifest, keyfile = read_backup(Path(path))
    created: dt.datetime | None = None
    raw = manifest.get("created_at")
    if isinstance(raw, str):
        try:
            created = dt.datetime.fromisoformat(raw)
        except ValueError:
            created = None
    branch = manifest.get("branch")
    book_id = manifest.get("book_id")
    return BackupInfo(
        path=Path(path),
        branch_name=branch if isinstance(branch, str) and branch else None,
        created_at=created,
        book_id=book_id if isinstance(book_id, str) else keyfile.book_id,
        automatic=Path(path).parent.name == AUTO_DIR,
    )


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Every readable backup in the book's folder (automatic ones and those kept before a
    restore or an upgrade), newest first."""
    from app.book import BACKUP_SUFFIX
    from app.errors import KnownError

    found: list[BackupInfo] = []
    root = Path(data_dir) / BACKUP_DIR
    for folder in (auto_dir(data_dir), root):
        if not folder.is_dir():
            continue
        for path in folder.glob(f"*{BACKUP_SUFFIX}"):
            try:
                found.append(describe(path))
            except KnownError:
                log.warning("Skipping unreadable backup %s", path.name)
    found.sort(key=lambda b: (b.created_at or dt.datetime.min, b.path.name), reverse=True)
    return found


def _auto_files(data_dir: Path) -> list[Path]:
    from app.book import BACKUP_SUFFIX

    folder = auto_dir(data_dir)
    if not folder.is_dir():
        return []
    # Names carry the time (prefix-YYYYmmdd-HHMMSS[-n]); sort on the time part.
    return sorted(folder.glob(f"*{BACKUP_SUFFIX}"), key=lambda p: (_stamp(p), p.name))


def _stamp(path: Path) -> str:
    parts = path.stem.split("-")
    digits = [p for p in parts if p.isdigit()]
    return "-".join(digits)


def prune(data_dir: Path, keep: int = KEEP) -> list[Path]:
    """Delete the oldest automatic backups beyond `keep`; returns what was deleted."""
    files = _auto_files(data_dir)
    doomed = files[: max(0, len(files) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def last_auto_backup_at(data_dir: Path) -> dt.datetime | None:
    files = _auto_files(data_dir)
    if not files:
        return None
    return dt.datetime.fromtimestamp(files[-1].stat().st_mtime)


def make_auto_backup(book: Book, prefix: str, *, keep: int = KEEP) -> Path:
    """Write one automatic backup now and prune the old ones."""
    from app.book import BACKUP_SUFFIX

    folder = auto_dir(book.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    dest = folder / f"{prefix}-{stamp}{BACKUP_SUFFIX}"
    n = 1
    while dest.exists():  # two in the same second (a meeting closed right after unlock)
        n += 1
        dest = folder / f"{prefix}-{stamp}-{n}{BACKUP_SUFFIX}"
    written = book.backup(dest)
    prune(book.data_dir, keep)
    return written


def backup_if_due(book: Book, *, now: dt.datetime | None = None) -> Path | None:
    """The daily backup: written when the newest automatic one is a day old or missing."""
    now = now or dt.datetime.now()
    last = last_auto_backup_at(book.data_dir)
    if last is not None and now - last < DAILY:
        return None
    return make_auto_backup(book, PREFIX_DAILY)


def after_meeting_closed(book: Book) -> Path | None:
    """The backup after a meeting is closed (its roll call and minutes are now final).

    The meeting is closed whatever happens here: a backup that cannot be written (disk full)
    is logged and tried again at the next daily check, never turned into a failed close."""
    from app.errors import KnownError

    try:
        return make_auto_backup(book, PREFIX_MEETING)
    except KnownError as exc:
        log.warning("Automatic backup after a meeting failed: %s", exc)
        return None

"""Automatic backups (like Anki's) and what a backup file says about itself.

* After each closed meeting an encrypted backup is written (`after_meeting_closed`), and at
  most once a day otherwise (`backup_if_due`, called when the book is unlocked or locked).
* They live in `<data dir>/backups/tu-dong/`; only the newest `KEEP` are kept. A new book
  with nothing in it yet gets no daily backup.
* `describe(path)` names the branch and the date of any backup file (automatic or chosen by
  the secretary) without its password, so the window (and the CLI) can say what a restore
  would bring back before anything is replaced.

No Qt here: the window calls these on its task runner.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import KnownError
from app.paths import BACKUP_DIR
from app.storage import backup_meta
from app.storage.files import restrict_folder
from app.text import fold

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
    # From the manifest's "contents" (app.storage.backup_meta); None for an older backup.
    members: int | None = None
    meetings: int | None = None
    last_change: dt.datetime | None = None

    @property
    def empty(self) -> bool:
        return self.members == 0 and self.meetings == 0

    @property
    def contents_text(self) -> str:
        """What it holds, in words: "sổ trống", or the counts and the last change."""
        if self.members is None or self.meetings is None:
            return "không ghi số đảng viên, cuộc họp (bản sao lưu cũ)"
        if self.empty:
            return "sổ trống"
        text = f"{self.members} đảng viên, {self.meetings} cuộc họp"
        if self.last_change is not None:
            text += f", thay đổi cuối {self.last_change:%H:%M %d/%m/%Y}"
        return text

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
    held = manifest.get("contents")
    members = meetings = None
    last_change = None
    if isinstance(held, dict):
        m, n = held.get("members"), held.get("meetings")
        if isinstance(m, int) and isinstance(n, int):
            members, meetings = m, n
        last_change = backup_meta.parse_local(held.get("last_change"))
    return BackupInfo(
        path=Path(path),
        branch_name=branch if isinstance(branch, str) and branch else None,
        created_at=created,
        book_id=book_id if isinstance(book_id, str) else keyfile.book_id,
        automatic=Path(path).parent.name == AUTO_DIR,
        members=members,
        meetings=meetings,
        last_change=last_change,
    )


def list_backups(data_dir: Path, extra_folders: Iterable[Path] = ()) -> list[BackupInfo]:
    """Every readable backup in the book's folder (automatic ones and those kept before a
    restore or an upgrade) and in `extra_folders` (where the secretary saved hers with
    Sổ → Sao lưu sổ…), newest first."""
    from app.book import BACKUP_SUFFIX

    found: list[BackupInfo] = []
    seen: set[Path] = set()
    root = Path(data_dir) / BACKUP_DIR
    for folder in (auto_dir(data_dir), root, *(Path(f) for f in extra_folders)):
        if not folder.is_dir():
            continue
        for path in folder.glob(f"*{BACKUP_SUFFIX}"):
            key = path.resolve()
            if key in seen or not path.is_file():
                continue
            seen.add(key)
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
    restrict_folder(folder.parent)  # backups/ and backups/tu-dong/: owner only
    restrict_folder(folder)
    stamp = f"{dt.datetime.now():%Y%m%d-%H%M%S}"
    dest = folder / f"{prefix}-{stamp}{BACKUP_SUFFIX}"
    n = 1
    while dest.exists():  # two in the same second (a meeting closed right after unlock)
        n += 1
        dest = folder / f"{prefix}-{stamp}-{n}{BACKUP_SUFFIX}"
    written = book.backup(dest)
    prune(book.data_dir, keep)
    return written


def book_contents(book: Book) -> backup_meta.Contents | None:
    """What the open book holds now (the same words a backup of it would carry)."""
    assert book.engine is not None
    return backup_meta.contents(book.engine)


def backup_if_due(book: Book, *, now: dt.datetime | None = None) -> Path | None:
    """The daily backup: written when the newest automatic one is a day old or missing.

    A book with no member and no meeting yet (just created) is not backed up: such a
    backup would only stand first in the restore list and bring back an empty book."""
    now = now or dt.datetime.now()
    last = last_auto_backup_at(book.data_dir)
    if last is not None and now - last < DAILY:
        return None
    held = book_contents(book)
    if held is not None and held["members"] == 0 and held["meetings"] == 0:
        return None
    return make_auto_backup(book, PREFIX_DAILY)


def after_meeting_closed(book: Book) -> Path | None:
    """The backup after a meeting is closed (its roll call and minutes are now final).

    The meeting is closed whatever happens here: a backup that cannot be written (disk full)
    is logged and tried again at the next daily check, never turned into a failed close."""
    try:
        return make_auto_backup(book, PREFIX_MEETING)
    except KnownError as exc:
        log.warning("Automatic backup after a meeting failed: %s", exc)
        return None


RESTORE_HINT_LIMIT = 5


def way_out(data_dir: Path) -> str:
    """The sentence that follows "the book is damaged": restore, and from which backups."""
    found = list_backups(data_dir)
    if not found:
        return (
            "Hãy khôi phục từ bản sao lưu (sotay restore TỆP, hoặc trong cửa sổ: Sổ → Khôi phục từ bản sao lưu…): trong thư mục "
            "dữ liệu không có bản sao lưu nào, hãy dùng bản đã chép ra USB hoặc thư mục khác."
        )
    shown = "; ".join(
        f"{b.path} ({b.branch_text}, {b.when_text})" for b in found[:RESTORE_HINT_LIMIT]
    )
    more = (
        f" và {len(found) - RESTORE_HINT_LIMIT} bản cũ hơn"
        if len(found) > RESTORE_HINT_LIMIT
        else ""
    )
    return (
        "Hãy khôi phục từ bản sao lưu (sotay restore TỆP, hoặc trong cửa sổ: Sổ → Khôi phục từ bản sao lưu…). "
        f"Các bản sao lưu tìm thấy, mới nhất trước: {shown}{more}."
    )


@dataclass(frozen=True)
class RestorePreview:
    """What a restore would do, told before anything is replaced."""

    backup: BackupInfo
    has_current: bool  # a book.db is there now (it will be kept as a backup first)
    current_branch: str | None  # None when it cannot be read (damaged, other password)
    same_book: bool | None  # None when the current key file is missing or damaged

    @property
    def other_branch(self) -> bool:
        mine, theirs = self.current_branch, self.backup.branch_name
        if mine and theirs:
            return fold(mine) != fold(theirs)
        return self.same_book is False

    def lines(self) -> list[str]:
        b = self.backup
        out = [f"Bản sao lưu {b.path.name}: {b.branch_text}, lập lúc {b.when_text}."]
        if self.other_branch:
            if self.current_branch and b.branch_name:
                out.append(
                    f"CHÚ Ý: Bản sao lưu này của {b.branch_name}, không phải "
                    f"{self.current_branch} hiện tại."
                )
            else:
                out.append("CHÚ Ý: Bản sao lưu này thuộc một sổ khác với sổ hiện tại.")
        if self.has_current:
            current = f" ({self.current_branch})" if self.current_branch else ""
            out.append(
                f"Sổ hiện tại{current} sẽ được thay bằng bản sao lưu này; sổ hiện tại được giữ "
                "lại thành một tệp trong thư mục backups."
            )
        return out


def preview_restore(data_dir: Path, backup_file: Path, *, password: str) -> RestorePreview:
    """Name the backup's branch and date and the current book's branch, writing nothing.

    The current branch is read with `password` when it opens the current book (a copy of the
    key file takes any failed try, so the real one's counter is untouched); otherwise it is
    taken from the newest backup of the same book in the data folder."""
    from app.paths import BOOK_FILE, KEYS_FILE
    from app.storage.keys import KeyFile

    info = describe(backup_file)
    data_dir = Path(data_dir)
    book_file = data_dir / BOOK_FILE
    has_current = book_file.exists()
    current_id: str | None = None
    with contextlib.suppress(KnownError):
        current_id = KeyFile.load(data_dir / KEYS_FILE).book_id
    name = _current_branch_name(data_dir, password) if current_id and has_current else None
    if name is None and current_id:
        name = next(
            (
                b.branch_name
                for b in list_backups(data_dir)
                if b.book_id == current_id and b.branch_name
            ),
            None,
        )
    return RestorePreview(
        backup=info,
        has_current=has_current,
        current_branch=name,
        same_book=None if current_id is None or not has_current else current_id == info.book_id,
    )


def _current_branch_name(data_dir: Path, password: str) -> str | None:
    import shutil
    import tempfile

    import sqlcipher3

    from app.paths import BOOK_FILE, KEYS_FILE
    from app.storage.db import connect_raw
    from app.storage.keys import KeyFile

    book_file = data_dir / BOOK_FILE
    if book_file.stat().st_size == 0:  # opening it would write a schema over the evidence
        return None
    tmp = Path(tempfile.mkdtemp(prefix="sotay-preview-"))
    try:
        shutil.copyfile(data_dir / KEYS_FILE, tmp / KEYS_FILE)
        key = KeyFile.load(tmp / KEYS_FILE).unlock_with_password(password)
        conn = connect_raw(book_file, key)
        try:
            row = conn.execute(
                "SELECT name FROM branch WHERE deleted_at IS NULL LIMIT 1"
            ).fetchone()
        finally:
            conn.close()
        return str(row[0]) if row and row[0] else None
    except (KnownError, OSError, sqlcipher3.Error):
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

"""The branch book: one encrypted SQLCipher file plus its key file, in the data folder.

`Book` is the open (unlocked) book. Create it with `create_book`, open it with `open_book`.
Everything a user can do goes through app.services.*, which take a Book.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from app import __version__
from app.errors import BookError, KnownError, ValidationError
from app.models import Branch
from app.paths import BACKUP_DIR, BOOK_FILE, KEYS_FILE
from app.storage import backup_meta, db_errors, migrate, restore_journal
from app.storage.db import (
    export_encrypted_copy,
    has_fts5,
    integrity_check,
    make_engine,
    make_sessionmaker,
)
from app.storage.files import fsync_dir, replace, restrict, restrict_folder
from app.storage.instance_lock import InstanceLock
from app.storage.keys import DATA_KEY_BYTES, MIN_PASSWORD_LENGTH, KeyFile
from app.text import clean
from app.unlock import book_exists

BACKUP_FORMAT = 1
BACKUP_DISK_FULL = (
    "Ổ đĩa đã đầy, không sao lưu được. Sổ không bị ảnh hưởng; "
    "hãy giải phóng chỗ trống hoặc chọn ổ khác."
)
BACKUP_SUFFIX = ".sotaybak"
LOCK_FILE = "book.lock"
BOOK_FILES = (KEYS_FILE, BOOK_FILE, BOOK_FILE + "-wal", BOOK_FILE + "-shm")


@dataclass(frozen=True)
class BranchInfo:
    id: str
    name: str
    committee: str
    address: str
    place_name: str
    secretary_name: str
    code: str | None


class Book:
    """An unlocked book. Call close() to lock it: the key and engine are dropped whole."""

    def __init__(self, data_dir: Path, keyfile: KeyFile, data_key: bytes, engine: Engine) -> None:
        self.data_dir = data_dir
        self.keyfile = keyfile
        self._key: bytearray | None = bytearray(data_key)
        self.engine: Engine | None = engine
        self._sessions: sessionmaker[Session] | None = make_sessionmaker(engine, write=True)
        self._readers: sessionmaker[Session] | None = make_sessionmaker(engine)
        self.actor = "Bí thư chi bộ"

    # -- state -------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.engine is not None

    @property
    def path(self) -> Path:
        return self.data_dir / BOOK_FILE

    @property
    def book_id(self) -> str:
        return self.keyfile.book_id

    def _require_key(self) -> bytes:
        if self._key is None:
            raise BookError("Sổ đã khóa. Vui lòng mở khóa lại.")
        return bytes(self._key)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one operation: commits on success, rolls back on error."""
        if self._sessions is None:
            raise BookError("Sổ đã khóa. Vui lòng mở khóa lại.")
        with db_errors.translated(self.data_dir), self._sessions() as s, s.begin():
            yield s

    @contextlib.contextmanager
    def read_session(self) -> Iterator[Session]:
        if self._readers is None:
            raise BookError("Sổ đã khóa. Vui lòng mở khóa lại.")
        with db_errors.translated(self.data_dir), self._readers() as s:
            yield s

    def close(self) -> None:
        """Lock: dispose every pooled connection and forget the key."""
        if self.engine is not None:
            self.engine.dispose()
        self.engine = None
        self._sessions = None
        self._readers = None
        if self._key is not None:
            for i in range(len(self._key)):
                self._key[i] = 0
        self._key = None

    def branch(self) -> BranchInfo:
        with self.read_session() as s:
            row = s.scalars(select(Branch).where(Branch.deleted_at.is_(None))).first()
            if row is None:
                raise BookError("Sổ chưa có thông tin chi bộ.")
            return BranchInfo(
                id=row.id,
                name=row.name,
                committee=row.committee,
                address=row.address,
                place_name=row.place_name,
                secretary_name=row.secretary_name,
                code=row.code,
            )

    # -- keys ----------------------------------------------------------------------------
    def change_password(self, *, new_password: str) -> None:
        check_new_password(new_password)
        self.keyfile.set_password(self._require_key(), new_password)
        self.keyfile.save()

    def remember_on_this_computer(self) -> None:
        self.keyfile.remember_on_this_computer(self._require_key())

    def forget_on_this_computer(self) -> None:
        self.keyfile.forget_on_this_computer()

    def check(self) -> list[str]:
        assert self.engine is not None
        return integrity_check(self.engine)

    # -- backup --------------------------------------------------------------------------
    def _branch_name(self) -> str | None:
        try:
            return self.branch().name
        except BookError:  # a book from before the first-start wizard finished
            return None

    def backup(self, dest: Path) -> Path:
        """Write a consistent, still-encrypted backup file (works while the GUI has it open)."""
        assert self.engine is not None
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / default_backup_name()
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".sotay-backup-") as tmp:
                snapshot = Path(tmp) / BOOK_FILE
                export_encrypted_copy(self.engine, snapshot, self._require_key())
                manifest = {
                    "format": BACKUP_FORMAT,
                    "book_id": self.book_id,
                    # Shown before a restore replaces anything (app/services/backups.py).
                    "branch": self._branch_name(),
                    "contents": backup_meta.contents(self.engine),
                    "created_at": dt.datetime.now().isoformat(timespec="seconds"),
                    "schema": migrate.current_revision(self.engine),
                    "app_version": __version__,
                }
                partial = Path(tmp) / "backup.partial"
                # fsync while the file is open for writing: Windows' FlushFileBuffers
                # refuses a read-only handle.
                with open(partial, "wb") as fh:
                    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
                        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
                        zf.writestr(KEYS_FILE, self.keyfile.to_json())
                        zf.write(snapshot, BOOK_FILE)
                    fh.flush()
                    os.fsync(fh.fileno())
                replace(partial, dest)
                fsync_dir(dest.parent)
                restrict(dest)
        except (sa_exc.DBAPIError, sqlcipher3.DatabaseError) as exc:
            known = db_errors.translate(exc)
            if isinstance(known, KnownError) and known.message == db_errors.DISK_FULL:
                raise KnownError(BACKUP_DISK_FULL) from exc
            if known is not None:
                raise known from exc
            raise
        except OSError as exc:
            with contextlib.suppress(OSError):
                if dest.exists() and dest.stat().st_size == 0:
                    dest.unlink()
            if exc.errno == errno.ENOSPC:
                raise KnownError(BACKUP_DISK_FULL) from exc
            raise KnownError(f"Không ghi được tệp sao lưu: {exc.strerror or exc}.") from exc
        return dest


def default_backup_name(prefix: str = "sotay") -> str:
    return f"{prefix}-{dt.datetime.now():%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.", field="password"
        )


def create_book(
    data_dir: Path,
    *,
    password: str,
    branch_name: str,
    committee: str,
    address: str = "",
    place_name: str = "",
    secretary_name: str = "",
) -> tuple[Book, str]:
    """Create the encrypted book. Returns the open book and the recovery key (shown once)."""
    data_dir = Path(data_dir)
    leftovers = [n for n in BOOK_FILES if (data_dir / n).exists()]
    if book_exists(data_dir):
        raise BookError(f"Đã có sổ trong thư mục {data_dir}. Không tạo đè lên sổ cũ.")
    if leftovers:
        # Half a book (e.g. book.db without its key file) may still be recoverable: the key
        # file inside any backup opens it. Never delete or overwrite it.
        raise BookError(
            f"Thư mục {data_dir} còn tệp của một sổ cũ ({', '.join(leftovers)}). Không tạo sổ "
            "mới đè lên: hãy khôi phục từ bản sao lưu (sotay restore) hoặc chọn thư mục khác."
        )
    branch_name = clean(branch_name)
    committee = clean(committee)
    if not branch_name:
        raise ValidationError("Vui lòng nhập tên chi bộ.", field="branch_name")
    if not committee:
        raise ValidationError("Vui lòng nhập tên đảng bộ cấp trên.", field="committee")
    check_new_password(password)
    data_dir.mkdir(parents=True, exist_ok=True)
    restrict_folder(data_dir)
    data_key = os.urandom(DATA_KEY_BYTES)
    keyfile, recovery = KeyFile.create(data_dir / KEYS_FILE, data_key, password)
    engine = make_engine(data_dir / BOOK_FILE, data_key)
    try:
        migrate.upgrade(engine)
        book = Book(data_dir, keyfile, data_key, engine)
        from app.services import branch as branch_service

        branch_service.create(
            book,
            name=branch_name,
            committee=committee,
            address=address,
            place_name=place_name,
            secretary_name=secretary_name,
        )
        keyfile.save()  # last: a key file exists only for a complete book
        for name in BOOK_FILES:
            if (data_dir / name).exists():
                restrict(data_dir / name)
    except BaseException:
        engine.dispose()
        for name in BOOK_FILES:  # none of them existed before we started (checked above)
            with contextlib.suppress(OSError):
                (data_dir / name).unlink()
        raise
    return book, recovery


def open_book(
    data_dir: Path,
    *,
    password: str | None = None,
    recovery_key: str | None = None,
    use_keyring: bool = False,
) -> Book:
    """Unlock the book with a password, a recovery key or the keyring; migrate if needed."""
    data_dir = Path(data_dir)
    restore_journal.finish(data_dir)
    if not (data_dir / KEYS_FILE).exists():
        raise BookError(f"Chưa có sổ trong thư mục {data_dir}. Hãy tạo sổ mới (sotay init).")
    if not (data_dir / BOOK_FILE).exists():
        raise BookError("Không tìm thấy tệp sổ (book.db). Hãy khôi phục từ bản sao lưu.")
    keyfile = KeyFile.load(data_dir / KEYS_FILE)
    data_key: bytes | None = None
    if use_keyring:
        data_key = keyfile.unlock_with_keyring()
    if data_key is None and recovery_key is not None:
        data_key = keyfile.unlock_with_recovery(recovery_key)
    if data_key is None:
        if password is None:
            raise BookError("Cần mật khẩu để mở sổ.")
        data_key = keyfile.unlock_with_password(password)
    return open_unwrapped(data_dir, keyfile, data_key)


def open_unwrapped(data_dir: Path, keyfile: KeyFile, data_key: bytes) -> Book:
    """Open with an already unwrapped data key: connect, check, migrate if needed."""
    if not (data_dir / BOOK_FILE).exists():
        raise BookError("Không tìm thấy tệp sổ (book.db). Hãy khôi phục từ bản sao lưu.")
    if (data_dir / BOOK_FILE).stat().st_size == 0:
        # SQLite would take an empty file for a new database and write a fresh schema over
        # the evidence: a book with a key file is never empty, so this is damage.
        from app.services.backups import way_out

        raise BookError(
            "Tệp sổ (book.db) trống rỗng (0 byte) dù vẫn còn tệp khóa: sổ đã bị hỏng hoặc bị "
            "ghi đè, không phải sổ mới. " + way_out(data_dir)
        )
    engine = make_engine(data_dir / BOOK_FILE, data_key)
    try:
        with db_errors.translated(data_dir):
            _check_and_migrate(data_dir, keyfile, data_key, engine)
    except BaseException:
        engine.dispose()
        raise
    return Book(data_dir, keyfile, data_key, engine)


def _check_and_migrate(data_dir: Path, keyfile: KeyFile, data_key: bytes, engine: Engine) -> None:
    if not has_fts5(engine):
        raise BookError(
            "Bản SQLCipher của chương trình thiếu FTS5 (tìm kiếm tài liệu). "
            "Hãy cài lại Sổ tay Chi bộ."
        )
    migrate.upgrade(
        engine,
        before_migrating=lambda cur, _head: _backup_before_migrate(
            data_dir, keyfile, data_key, engine, cur
        ),
    )


def _backup_before_migrate(
    data_dir: Path, keyfile: KeyFile, data_key: bytes, engine: Engine, current: str | None
) -> None:
    book = Book(data_dir, keyfile, data_key, engine)
    book.backup(data_dir / BACKUP_DIR / default_backup_name(f"truoc-nang-cap-{current}"))


def recover(data_dir: Path, *, recovery_key: str, new_password: str) -> Book:
    """Forgotten password: open with the printed recovery key and set a new password."""
    check_new_password(new_password)
    book = open_book(data_dir, recovery_key=recovery_key)
    book.change_password(new_password=new_password)
    return book


def read_backup(path: Path) -> tuple[dict[str, object], KeyFile]:
    """Validate a backup file; returns its manifest and key file (nothing is written)."""
    path = Path(path)
    not_backup = KnownError(f"Tệp {path.name} không phải bản sao lưu của Sổ tay Chi bộ.")
    if not path.is_file():
        raise KnownError(f"Không tìm thấy tệp {path}.")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if not {"manifest.json", KEYS_FILE, BOOK_FILE} <= names:
                raise not_backup
            manifest = json.loads(zf.read("manifest.json"))
            keys_json = zf.read(KEYS_FILE).decode("utf-8")
    except (zipfile.BadZipFile, ValueError, UnicodeDecodeError, OSError) as exc:
        raise not_backup from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise not_backup
    tmp = Path(tempfile.mkdtemp(prefix="sotay-keys-"))
    try:
        (tmp / KEYS_FILE).write_text(keys_json, encoding="utf-8")
        keyfile = KeyFile.load(tmp / KEYS_FILE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest, keyfile


def restore(data_dir: Path, backup_file: Path, *, password: str) -> Path | None:
    """Replace the book with a backup, after checking that the backup opens with `password`.

    The current book (if any) is kept as a backup file first; returns that file's path.
    """
    data_dir = Path(data_dir)
    read_backup(backup_file)
    if InstanceLock(data_dir / LOCK_FILE).held_elsewhere():
        raise BookError("Sổ đang mở trong chương trình. Hãy đóng chương trình rồi khôi phục.")
    staging = Path(
        tempfile.mkdtemp(
            prefix=".sotay-restore-", dir=data_dir.parent if data_dir.parent.exists() else None
        )
    )
    try:
        with zipfile.ZipFile(backup_file) as zf:
            for name in (KEYS_FILE, BOOK_FILE, BOOK_FILE + "-wal"):
                if name in zf.namelist():
                    zf.extract(name, staging)
        trial = open_book(staging, password=password)
        problems = trial.check()
        trial.close()
        if problems:
            raise BookError("Bản sao lưu bị hỏng (kiểm tra toàn vẹn không đạt); không khôi phục.")
        kept: Path | None = None
        data_dir.mkdir(parents=True, exist_ok=True)
        if (data_dir / BOOK_FILE).exists():  # even without (or with a damaged) book.keys
            kept = data_dir / BACKUP_DIR / default_backup_name("truoc-khoi-phuc")
            _archive_raw(data_dir, kept)
        staged = {
            n: staging / n
            for n in (BOOK_FILE, BOOK_FILE + "-wal", KEYS_FILE)
            if (staging / n).exists()
        }
        restore_journal.swap_in(data_dir, staged)
        for name in staged:
            restrict(data_dir / name)
        if kept is not None:
            restrict_folder(kept.parent)
            restrict(kept)
        return kept
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _archive_raw(data_dir: Path, dest: Path) -> None:
    """Keep the current (encrypted) files as a backup without needing its password.

    A damaged or missing book.keys must not block the restore that repairs it: the key file
    is kept byte for byte as it is (the backup brings its own)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    restrict_folder(dest.parent)
    keys_path = data_dir / KEYS_FILE
    try:
        book_id: str | None = KeyFile.load(keys_path).book_id
    except BookError:
        book_id = None
    manifest = {
        "format": BACKUP_FORMAT,
        "book_id": book_id,
        "created_at": dt.datetime.now().isoformat(timespec="seconds"),
        "schema": None,
        "app_version": __version__,
    }
    with open(dest, "wb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr("manifest.json", json.dumps(manifest, indent=2))
            if keys_path.exists():
                zf.write(keys_path, KEYS_FILE)
            zf.write(data_dir / BOOK_FILE, BOOK_FILE)
            wal = data_dir / (BOOK_FILE + "-wal")
            if wal.exists():  # committed pages not yet checkpointed (e.g. after a crash)
                zf.write(wal, BOOK_FILE + "-wal")
        fh.flush()
        os.fsync(fh.fileno())  # on the writing handle (Windows)
    fsync_dir(dest.parent)

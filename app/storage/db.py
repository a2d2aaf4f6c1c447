"""Opening the SQLCipher database through SQLAlchemy with a raw 32-byte key.

The key never goes into a URL: each new DB-API connection is keyed in the creator with
`PRAGMA key = "x'...'"` (well under a millisecond, no KDF) before anything else touches it.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.errors import BookError, KnownError
from app.storage import db_errors

BUSY_TIMEOUT_MS = 10_000
SHM_PAGE = 32 * 1024  # a -shm file in use by any connection is at least this long


def raw_key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_raw(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A keyed DB-API connection in autocommit mode (SQLAlchemy emits BEGIN itself)."""
    sidecars = [Path(f"{path}-shm"), Path(f"{path}-wal")]
    existed = {p for p in sidecars if p.exists()}
    conn = sqlcipher3.connect(
        str(path), check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # errors become our own messages
        # The bundled SQLCipher's default, pinned: ON (wipe and lock every allocation) makes
        # searches about 15x slower (docs/performance.md, docs/security-model.md).
        conn.execute("PRAGMA cipher_memory_security = OFF")
        conn.execute(raw_key_pragma(key))
        # Reading the schema is what actually checks the key.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA temp_store = MEMORY")  # temp files are not encrypted
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        _remove_unused(set(sidecars) - existed)
        if db_errors.is_full_or_io(exc) and db_errors.disk_is_full(path.parent):
            raise KnownError(db_errors.OPEN_DISK_FULL) from exc
        raise BookError(
            "Không mở được sổ: tệp sổ bị hỏng, bị cắt cụt hoặc không khớp với khóa."
        ) from exc
    return conn


def _remove_unused(created: set[Path]) -> None:
    """Drop the -shm/-wal a failed open left (a 3-byte -shm on a full disk). Only files this
    open created and nobody uses: an empty WAL, a WAL index shorter than one page."""
    for extra in created:
        with contextlib.suppress(OSError):
            size = extra.stat().st_size
            if size == 0 or (extra.name.endswith("-shm") and size < SHM_PAGE):
                extra.unlink()


def make_engine(path: Path, key: bytes) -> Engine:
    key_copy = bytes(key)

    def creator() -> Any:
        return connect_raw(path, key_copy)

    engine = create_engine(
        "sqlite://",
        # Errors must not quote statement parameters (members' names, ID numbers): they can
        # end up in a crash log outside the encrypted book.
        hide_parameters=True,
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )

    # pysqlite-style drivers defer BEGIN; emit it ourselves so transactions (and DDL in
    # migrations) are really atomic. Writers take the write lock up front (IMMEDIATE) so two
    # writers queue instead of failing to upgrade; readers never block writers (WAL).
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        write = conn.get_execution_options().get("sotay_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_sessionmaker(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    bind = engine.execution_options(sotay_write=True) if write else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


def integrity_check(engine: Engine) -> list[str]:
    """Problems found by SQLCipher's HMAC check and SQLite's own, in Vietnamese (they are
    shown to the secretary as they are); empty when all is well."""
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            for (row,) in conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall():
                problems.append(_cipher_problem(str(row)))
            rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
            found = [str(r[0]) for r in rows if r[0] != "ok"]
            if found:
                problems.append(
                    f"cấu trúc dữ liệu bên trong sổ có {len(found)} chỗ lỗi (bảng hoặc chỉ mục "
                    "không khớp nhau)"
                )
    except (sa_exc.DBAPIError, sqlcipher3.DatabaseError):
        problems.append("có trang của tệp sổ hỏng đến mức không đọc được")
    return problems


def _cipher_problem(text: str) -> str:
    """One row of `PRAGMA cipher_integrity_check` (English) told in Vietnamese."""
    page = re.search(r"page (\d+)", text)
    where = f"Trang {page.group(1)} của tệp sổ" if page else "Một trang của tệp sổ"
    if "hmac" in text.lower():
        return f"{where} không đúng mã kiểm tra: tệp bị hỏng hoặc bị sửa ở chỗ đó"
    return f"{where} bị hỏng (sai kích thước hoặc không đọc được)"


def has_fts5(engine: Engine) -> bool:
    """The SQLCipher build must include FTS5 (document search); checked at unlock."""
    with engine.connect() as conn:
        options = {r[0] for r in conn.exec_driver_sql("PRAGMA compile_options").fetchall()}
    return "ENABLE_FTS5" in options


def export_encrypted_copy(engine: Engine, dest: Path, key: bytes) -> None:
    """A consistent copy, encrypted with the same key, even while others use the book.

    sqlcipher_export runs inside one read transaction, so the copy is a single snapshot.
    """
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{key.hex()}'\"", (str(dest),))
        try:
            raw.execute("SELECT sqlcipher_export('backup')")
            version = raw.execute("PRAGMA main.user_version").fetchone()[0]
            raw.execute(f"PRAGMA backup.user_version = {int(version)}")
        finally:
            raw.execute("DETACH DATABASE backup")

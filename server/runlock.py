"""A running `sotay-server serve` and a `key rotate` exclude each other (docs/security-model.md,
"Rotating the key").

Every serving process (each uvicorn worker, and the parent of `--workers N`) holds a *shared*
lock for its whole life; a rotation takes the same lock *exclusive* for its whole run, without
waiting. So a rotation refuses while any server runs, and a server refuses to start while a
rotation runs. A process that dies, however it dies, lets go of its lock:

- SQLite: `flock` on `<db file>.lock` beside the database. The kernel drops it with the
  process's last descriptor; a stale file on disk locks nothing.
- PostgreSQL: a session-level advisory lock (pg_try_advisory_lock[_shared]) taken on a
  connection of its own, outside the engine's pool, kept open for the process's life. The
  backend drops it when the session ends; TCP keepalives end the session of a machine that
  vanished. The lock is per database; its key names the schema the tables are in, so two
  servers in two schemas of one database do not block each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from app.errors import KnownError

LOCK_CLASS = 0x53544159  # the first key of the two-key advisory lock: "STAY"

SERVER_RUNNING = (
    "Máy chủ đang chạy trên cơ sở dữ liệu này (sotay-server serve). Hãy dừng máy chủ (mọi tiến "
    "trình phục vụ) rồi chạy lại sotay-server key rotate; đổi khóa khi máy chủ đang chạy thì "
    "dữ liệu máy chủ ghi bằng khóa cũ sẽ không đọc được khi xóa tệp khóa cũ."
)
ROTATING = (
    "Đang đổi khóa máy chủ (sotay-server key rotate) trên cơ sở dữ liệu này ở một tiến trình "
    "khác. Hãy chờ lệnh đó chạy xong rồi khởi động lại máy chủ."
)


class RunLockError(KnownError):
    """A server is running while a rotation wants to start, or the other way round."""


class RunLock:
    """One lock held; `release` lets go (also done by the process ending)."""

    def __init__(self, fd: int | None = None, conn: Connection | None = None,
                 engine: Engine | None = None) -> None:  # fmt: skip
        self._fd, self._conn, self._engine = fd, conn, engine

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._conn is not None:
            with contextlib.suppress(Exception):  # a lost connection has let go already
                self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def serving(url: str, engine: Engine) -> RunLock | None:
    """The lock a serving process holds; refuses while a rotation runs."""
    return _take(url, engine, exclusive=False, refused=ROTATING)


def rotating(url: str, engine: Engine) -> RunLock | None:
    """The lock a rotation holds; refuses while any server runs."""
    return _take(url, engine, exclusive=True, refused=SERVER_RUNNING)


def _take(url: str, engine: Engine, *, exclusive: bool, refused: str) -> RunLock | None:
    from server.db import sqlite_path

    if engine.dialect.name == "postgresql":
        return _pg(engine, exclusive=exclusive, refused=refused)
    path = sqlite_path(url)
    if path is None:  # an in-memory database: one process only
        return None
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise RunLockError(refused) from None
    except BaseException:
        os.close(fd)
        raise
    return RunLock(fd=fd)


KEEPALIVE: dict[str, Any] = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def _pg(engine: Engine, *, exclusive: bool, refused: str) -> RunLock:
    own = create_engine(engine.url, poolclass=NullPool, connect_args=KEEPALIVE)
    try:
        conn = own.connect().execution_options(isolation_level="AUTOCOMMIT")
    except BaseException:
        own.dispose()
        raise
    held = RunLock(conn=conn, engine=own)
    try:
        where = conn.execute(text("SELECT current_database(), current_schema()")).one()
        digest = hashlib.sha256(f"sotay-server\0{where[0]}\0{where[1]}".encode()).digest()
        key = int.from_bytes(digest[:4], "big", signed=True)
        take = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
        got = conn.execute(text(f"SELECT {take}(:c, :k)"), {"c": LOCK_CLASS, "k": key}).scalar()
    except BaseException:
        held.release()
        raise
    if not got:
        held.release()
        raise RunLockError(refused)
    return held

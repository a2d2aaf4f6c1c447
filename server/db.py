"""Engine and sessions: SQLite file by default, PostgreSQL by URL; schema by create_all."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from server import runlock
from server.models import Base, Meta
from server.runlock import RunLock
from server.sealing import reseal_batches, sealed_columns
from server.vault import PREFIX, Vault, key_path, load_key, settle

KEY_ID = "key_id"  # srv_meta: the fingerprint of the key every value is sealed with
KEY_NEXT = "key_next"  # srv_meta: the key a rotation under way is moving to (server/keys.py)

DEFAULT_DB_FILE = "sotay-server.db"


def resolve_db_url(db: str | None = None) -> str:
    """--db, else SOTAY_SERVER_DB, else a SQLite file in the current folder.

    A value with '://' is a SQLAlchemy URL; anything else is a SQLite file path.
    """
    value = db or os.environ.get("SOTAY_SERVER_DB") or DEFAULT_DB_FILE
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def owner_only(path: Path) -> None:
    """The SQLite file and its WAL/SHM companions: readable by the server's account only."""
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            os.chmod(candidate, 0o600)
        except FileNotFoundError:
            continue


def make_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created owner-only before SQLite opens it; SQLite gives -wal/-shm the same mode.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        owner_only(path)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA busy_timeout = 30000")
            cur.close()
            if path is not None:
                owner_only(path)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Writers queue up here instead of failing to upgrade a read lock later.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


SCHEMA_LOCK = 0x50746179  # PostgreSQL advisory lock: workers starting at once create once


def init_schema(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            Base.metadata.create_all(conn)
    else:
        Base.metadata.create_all(engine)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


class Database:
    """One engine and its session factory; what the app and the CLI share."""

    def __init__(
        self, url: str, *, key_file: str | Path | None = None, serving: bool = False
    ) -> None:
        self.url = url
        self.key_path = key_path(url, key_file)  # None: the key is SOTAY_SERVER_KEY
        self.vault = Vault(load_key(url, key_file))
        self.engine = make_engine(url)
        self.run_lock: RunLock | None = None
        if serving:  # held until dispose(); refused while a key rotation runs (server/runlock.py)
            try:
                self.run_lock = runlock.serving(url, self.engine)
            except BaseException:
                self.engine.dispose()
                raise
        self.engine.dialect.sotay_vault = self.vault  # type: ignore[attr-defined]
        init_schema(self.engine)
        self.sessions = make_sessionmaker(self.engine)
        self.server_id = self._identity()

    def _identity(self) -> str:
        """The server's stable random id, and the check that the key is this database's."""
        with self.sessions.begin() as session:
            if self.engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            facts = {m.key: m.value for m in session.scalars(select(Meta))}
            # Refuses a key that is not this database's; mid-rotation, seals with the new one.
            self.vault = settle(self.vault, self.key_path, facts.get(KEY_ID), facts.get(KEY_NEXT))
            self.engine.dialect.sotay_vault = self.vault  # type: ignore[attr-defined]
            if KEY_ID not in facts:
                session.add(Meta(key=KEY_ID, value=self.vault.key_id))
            if "server_id" not in facts:
                facts["server_id"] = str(uuid.uuid4())
                session.add(Meta(key="server_id", value=facts["server_id"]))
        _seal_legacy_rows(self.engine, self.vault)
        return facts["server_id"]

    def hold_for_rotation(self) -> None:
        """The exclusive lock of `key rotate`: refused while any server runs."""
        self.run_lock = runlock.rotating(self.url, self.engine)

    def dispose(self) -> None:
        if self.run_lock is not None:
            self.run_lock.release()
            self.run_lock = None
        self.engine.dispose()


def _seal_legacy_rows(engine: Engine, vault: Vault) -> None:
    """Rows written in clear by a server from before sealing: sealed now, once."""
    for spec in sealed_columns():
        for _count in reseal_batches(engine, spec, vault, skip_prefix=PREFIX):
            pass

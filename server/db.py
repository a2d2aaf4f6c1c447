"""Engine and sessions: SQLite file by default, PostgreSQL by URL; schema by create_all."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from server.models import Base, Batch, FeedChange, Meta, Record, RecordVersion
from server.vault import PREFIX, ServerKeyError, Vault, load_key

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

    def __init__(self, url: str, *, key_file: str | Path | None = None) -> None:
        self.url = url
        self.vault = Vault(load_key(url, key_file))
        self.engine = make_engine(url)
        self.engine.dialect.sotay_vault = self.vault  # type: ignore[attr-defined]
        init_schema(self.engine)
        self.sessions = make_sessionmaker(self.engine)
        self.server_id = self._identity()

    def _identity(self) -> str:
        """The server's stable random id, and the check that the key is this database's."""
        with self.sessions.begin() as session:
            if self.engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
            facts = {m.key: m for m in session.scalars(select(Meta))}
            if "key_id" in facts and facts["key_id"].value != self.vault.key_id:
                raise ServerKeyError(
                    "Khóa máy chủ không phải khóa đã dùng để mã hóa cơ sở dữ liệu này. Hãy dùng "
                    "đúng tệp khóa (hoặc SOTAY_SERVER_KEY) đã sao lưu cùng cơ sở dữ liệu."
                )
            if "key_id" not in facts:
                session.add(Meta(key="key_id", value=self.vault.key_id))
            if "server_id" not in facts:
                facts["server_id"] = Meta(key="server_id", value=str(uuid.uuid4()))
                session.add(facts["server_id"])
            _seal_legacy_rows(session)
            return facts["server_id"].value

    def dispose(self) -> None:
        self.engine.dispose()


def _seal_legacy_rows(session: Session) -> None:
    """Rows written in clear by a server from before sealing: sealed now, once."""
    sealed: tuple[tuple[Any, str, str, str], ...] = (
        (Record, "srv_record", "id", "fields_json"),
        (RecordVersion, "srv_record_version", "id", "fields_json"),
        (FeedChange, "srv_feed", "id", "fields_json"),
        (Batch, "srv_batch", "batch_id", "response_json"),
    )
    for model, table, key, column in sealed:
        # Raw SQL: the column as stored, not opened by SealedText.
        rows = session.execute(
            text(f"SELECT {key}, {column} FROM {table} WHERE {column} NOT LIKE :p"),
            {"p": PREFIX + "%"},
        ).all()
        if rows:
            session.execute(update(model), [{key: pk, column: value} for pk, value in rows])

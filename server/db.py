"""Engine and sessions: SQLite file by default, PostgreSQL by URL; schema by create_all."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from server.models import Base

DEFAULT_DB_FILE = "sotay-server.db"


def resolve_db_url(db: str | None = None) -> str:
    """--db, else SOTAY_SERVER_DB, else a SQLite file in the current folder.

    A value with '://' is a SQLAlchemy URL; anything else is a SQLite file path.
    """
    value = db or os.environ.get("SOTAY_SERVER_DB") or DEFAULT_DB_FILE
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
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

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Writers queue up here instead of failing to upgrade a read lock later.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def init_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


class Database:
    """One engine and its session factory; what the app and the CLI share."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        init_schema(self.engine)
        self.sessions = make_sessionmaker(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

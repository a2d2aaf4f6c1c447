"""The real sync client against the real reference server on 127.0.0.1.

Books are real SQLCipher books (SOTAY_KDF_PROFILE=test keeps creating them fast); changes
are made through the app's services, so the outbox is what the desktop really writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from srvkit import pg_base_url
from synckit import PASSWORD, Srv

from app.book import Book, create_book
from server.runner import ServerThread, pg_create_schema, pg_drop_schema, pg_schema_url


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOTAY_KDF_PROFILE", "test")
    monkeypatch.setenv("SOTAY_PASSWORD", PASSWORD)


@pytest.fixture
def srv(tmp_path: Path) -> Iterator[Srv]:
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    thread = ServerThread(db_url).start()
    try:
        yield Srv(thread, db_url)
    finally:
        thread.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def srv_any(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Srv]:
    """A fresh server on SQLite, then on PostgreSQL (its own schema, dropped after)."""
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'server-any.db'}"
        thread = ServerThread(db_url).start()
        try:
            yield Srv(thread, db_url)
        finally:
            thread.stop()
        return
    base = pg_base_url()
    assert base is not None
    schema = "sotay_sync_" + uuid.uuid4().hex[:10]
    pg_create_schema(base, schema)
    url = pg_schema_url(base, schema)
    thread = ServerThread(url).start()
    try:
        yield Srv(thread, url)
    finally:
        thread.stop()
        pg_drop_schema(base, schema)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "book"


@pytest.fixture
def book(data_dir: Path) -> Iterator[Book]:
    os.environ["SOTAY_KDF_PROFILE"] = "test"
    created, _recovery = create_book(
        data_dir,
        password=PASSWORD,
        branch_name="Chi bộ Khu phố 3",
        committee="Đảng bộ phường Quy Nhơn",
        place_name="Quy Nhơn",
    )
    try:
        yield created
    finally:
        created.close()

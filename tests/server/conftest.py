"""The reference server on 127.0.0.1 (uvicorn in a thread), on SQLite and on PostgreSQL.

PostgreSQL runs when SOTAY_TEST_PG_URL is set (each run in its own schema, dropped after);
with SOTAY_REQUIRE_PG=1 and no URL those tests fail instead of being skipped, so CI notices.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from srvkit import Srv, pg_base_url

from server.runner import ServerThread, pg_create_schema, pg_drop_schema, pg_schema_url


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    base = pg_base_url()
    assert base is not None
    schema = "sotay_t_" + uuid.uuid4().hex[:10]
    pg_create_schema(base, schema)
    try:
        yield pg_schema_url(base, schema)
    finally:
        pg_drop_schema(base, schema)


def _serve(db_url: str) -> Iterator[Srv]:
    thread = ServerThread(db_url).start()
    try:
        yield Srv(thread, db_url)
    finally:
        thread.stop()


@pytest.fixture(scope="session")
def sqlite_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    path: Path = tmp_path_factory.mktemp("srv") / "server.db"
    yield from _serve(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def pg_srv(pg_url: str) -> Iterator[Srv]:
    yield from _serve(pg_url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def srv(request: pytest.FixtureRequest) -> Srv:
    name = "sqlite_srv" if request.param == "sqlite" else "pg_srv"
    return request.getfixturevalue(name)

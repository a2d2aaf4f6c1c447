"""`sotay-server key rotate` and a running `sotay-server serve` exclude each other (server/
runlock.py): real processes, on SQLite and on PostgreSQL (a schema of its own).

A rotation refuses while a server runs and changes nothing; a server killed with SIGKILL does
not block the rotation after it; a server does not start while a rotation runs (the rotation
process stopped mid-way with SIGSTOP), and starts once it has finished.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from srvkit import pg_base_url

from server.db import KEY_ID, KEY_NEXT, Database
from server.models import Branch, Meta, Record
from server.runlock import ROTATING, SERVER_RUNNING
from server.runner import ROOT, ServerProcess, pg_create_schema, pg_drop_schema, pg_schema_url
from server.vault import read_key_file


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    base = pg_base_url()
    assert base is not None
    schema = "sotay_l_" + uuid.uuid4().hex[:10]
    pg_create_schema(base, schema)
    try:
        yield pg_schema_url(base, schema)
    finally:
        pg_drop_schema(base, schema)


def _fill(url: str, key: Path, members: int) -> list[str]:
    db = Database(url, key_file=key)
    try:
        with db.sessions.begin() as s:
            branch = Branch(code="CB-" + uuid.uuid4().hex[:6], name="Chi bộ Khu phố 3")
            s.add(branch)
            s.flush()
            s.add_all(
                Record(branch_id=branch.id, entity="member", entity_id=str(uuid.uuid4()),
                       fields_json=json.dumps({"full_name": f"Lê Văn Tám {i}"},
                                              ensure_ascii=False))
                for i in range(members)
            )  # fmt: skip
        return _names(db)
    finally:
        db.dispose()


def _names(db: Database) -> list[str]:
    with db.sessions.begin() as s:
        return sorted(s.scalars(select(Record.fields_json)))


def _meta(url: str, key: Path) -> dict[str, str]:
    db = Database(url, key_file=key)
    try:
        with db.sessions.begin() as s:
            return {m.key: m.value for m in s.scalars(select(Meta))}
    finally:
        db.dispose()


def _rotate(url: str, key: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "server", "key", "rotate", "--db", url, "--key-file", str(key),
            *extra]  # fmt: skip


def _serve_cmd(url: str, port: int) -> list[str]:
    return [sys.executable, "-m", "server", "serve", "--db", url, "--host", "127.0.0.1",
            "--port", str(port)]  # fmt: skip


def test_a_rotation_refuses_while_a_server_runs_and_goes_ahead_after_a_crash(
    db_url: str, tmp_path: Path
) -> None:
    key = tmp_path / "server.key"
    before = _fill(db_url, key, 30)
    old = read_key_file(key)
    assert old is not None
    server = ServerProcess(db_url, env={"SOTAY_SERVER_KEY_FILE": str(key)}).start()
    try:
        assert requests.get(f"{server.url}/api/v1/info", timeout=10).status_code == 200
        refused = subprocess.run(_rotate(db_url, key), cwd=str(ROOT), capture_output=True,
                                 text=True, timeout=120)  # fmt: skip
        assert refused.returncode == 3, refused.stderr
        assert refused.stderr.strip() == SERVER_RUNNING
        assert "Máy chủ đang chạy trên cơ sở dữ liệu này" in refused.stderr
        # Nothing moved: same key file, no next key, no rotation recorded in the database.
        current = read_key_file(key)
        assert current is not None and current.key_id == old.key_id
        assert not key.with_name("server.key.new").exists()
        meta = _meta(db_url, key)
        assert meta[KEY_ID] == old.key_id and KEY_NEXT not in meta
    finally:
        server.kill()  # a crash: SIGKILL, no shutdown code runs
    assert server.proc is not None and server.proc.returncode == -signal.SIGKILL

    done = subprocess.run(_rotate(db_url, key), cwd=str(ROOT), capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    new = read_key_file(key)
    assert new is not None and new.key_id != old.key_id
    assert _meta(db_url, key)[KEY_ID] == new.key_id
    key.with_name("server.key.old").unlink()  # the operator removes it; all still reads
    db = Database(db_url, key_file=key)
    try:
        assert _names(db) == before
    finally:
        db.dispose()


def test_a_server_does_not_start_while_a_rotation_runs(db_url: str, tmp_path: Path) -> None:
    key = tmp_path / "server.key"
    before = _fill(db_url, key, 400)
    rotation = subprocess.Popen(
        _rotate(db_url, key, "--batch", "5"), cwd=str(ROOT), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert rotation.stdout is not None
    try:
        for line in rotation.stdout:
            if line.strip().startswith("srv_record.fields_json:"):
                done, total = line.split(":")[1].strip().replace(".", "").split("/")
                if 0 < int(done) < int(total):
                    break
        rotation.send_signal(signal.SIGSTOP)  # mid-way, holding its lock
        port = ServerProcess(db_url).port
        refused = subprocess.run(
            _serve_cmd(db_url, port), cwd=str(ROOT), capture_output=True, text=True, timeout=120,
            env={**ServerProcess(db_url).env, "SOTAY_SERVER_KEY_FILE": str(key)},
        )  # fmt: skip
        assert refused.returncode == 3, refused.stderr
        assert refused.stderr.strip() == ROTATING
        rotation.send_signal(signal.SIGCONT)
        _out, err = rotation.communicate(timeout=300)
        assert rotation.returncode == 0, err
    finally:
        if rotation.poll() is None:
            rotation.send_signal(signal.SIGCONT)
            rotation.kill()
            rotation.wait(timeout=30)
    new = read_key_file(key)
    assert new is not None and _meta(db_url, key)[KEY_ID] == new.key_id
    with ServerProcess(db_url, env={"SOTAY_SERVER_KEY_FILE": str(key)}) as server:
        assert requests.get(f"{server.url}/api/v1/info", timeout=10).status_code == 200
    db = Database(db_url, key_file=key)
    try:
        assert _names(db) == before
    finally:
        db.dispose()

"""The server's data at rest, its identity, its CLI and its enrolment limit (issue 14).

* what identifies a person (số định danh, phone, names and the search keys derived from them)
  is sealed with a server key kept outside the database: a dump of the SQLite file (WAL
  included) or of the PostgreSQL tables holds none of it in clear, while the committee's
  views, the conflict answers and the pull still show it;
* the SQLite files and the key file are owner-only; a wrong key is refused at start;
* /api/v1/info names the server with a random id that survives a restart;
* `serve` takes its database from SOTAY_SERVER_DB alone, `--valid-days` below 1 is refused;
* the enrolment limit lives in the database (a restart, or another worker, keeps counting)
  and X-Forwarded-For is believed only from a configured proxy.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from srvkit import PROTO, Srv, batch, change, pg_base_url

from server.cli import main as server_main
from server.db import Database
from server.limits import parse_proxies
from server.runner import (
    ROOT,
    ServerThread,
    free_port,
    pg_create_schema,
    pg_drop_schema,
    pg_schema_url,
    wait_listening,
)
from server.vault import ServerKeyError

PERSONAL_ID = "079203001234"
PHONE = "0912345678"
NAME = "Hoàng Thị Bảo Mật"
FOLDED = "hoang thi bao mat"
SECRETS = (PERSONAL_ID, PHONE, NAME, FOLDED)


def _person(srv: Srv) -> tuple[str, str, str]:
    """A member with a national id and a phone, a conflict on it (the answer quotes the
    server's copy), a feedback of theirs, and a committee change published with a phone."""
    code, token = srv.enrolled_branch()
    member_id = str(uuid.uuid4())
    fields = {"full_name": NAME, "personal_id": PERSONAL_ID, "phone": PHONE,
              "name_search": FOLDED, "name_sort": "mat bao thi hoang"}  # fmt: skip
    first = srv.post_batch(token, batch(code, change("member", member_id, fields=fields)))
    assert first.json()["results"][0]["result"] == "applied"
    again = change("member", member_id, fields={**fields, "notes": "sửa"}, base=0, version=1)
    answer = srv.post_batch(token, batch(code, again)).json()["results"][0]
    assert answer["result"] == "conflict"
    assert answer["server_fields"]["personal_id"] == PERSONAL_ID  # shown decrypted
    feedback = change("feedback", fields={"member_id": member_id})
    assert srv.post_batch(token, batch(code, feedback)).json()["results"][0]["result"] == "applied"
    srv.cli_json("publish", "member", "--branch", code, "--member-id", member_id,
                 "--set", f"phone={PHONE}", "--set", f"personal_id={PERSONAL_ID}")  # fmt: skip
    return code, token, member_id


def _committee_sees_it(srv: Srv, code: str, token: str) -> None:
    (item,) = srv.cli_json("feedback", "list", "--branch", code)
    assert item["member_name"] == NAME
    pulled = srv.http.get(
        f"{srv.url}/api/v1/changes", headers={**PROTO, "Authorization": f"Bearer {token}"}
    ).json()["changes"]
    assert pulled[-1]["fields"]["phone"] == PHONE
    assert pulled[-1]["fields"]["personal_id"] == PERSONAL_ID


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_person_data_in_the_sqlite_file_or_its_wal(sqlite_srv: Srv) -> None:
    code, token, _member = _person(sqlite_srv)
    _committee_sees_it(sqlite_srv, code, token)
    db_file = Path(sqlite_srv.db_url.removeprefix("sqlite:///"))
    files = [p for p in db_file.parent.iterdir() if p.name.startswith(db_file.name)]
    assert {p.name for p in files} >= {db_file.name, db_file.name + "-wal"}
    for path in files:
        if path.suffix == ".key":
            continue
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data, (path.name, secret)
        assert _mode(path) == 0o600, path.name


@pytest.mark.postgres
def test_no_person_data_in_a_postgresql_dump(pg_srv: Srv) -> None:
    code, token, _member = _person(pg_srv)
    _committee_sees_it(pg_srv, code, token)
    engine = create_engine(pg_srv.db_url)
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        dumped = []
        for table in ("srv_record", "srv_record_version", "srv_feed", "srv_batch", "srv_op"):
            dumped += [row[0] for row in conn.execute(text(f"SELECT t::text FROM {table} t"))]
    engine.dispose()
    joined = "\n".join(dumped)
    assert "enc1:" in joined
    for secret in SECRETS:
        assert secret not in joined, secret
    if shutil.which("pg_dump") is None:
        return  # the tables' text above is what a dump holds; pg_dump itself is optional
    base = pg_base_url()
    assert base is not None
    dsn = base.replace("postgresql+psycopg://", "postgresql://")
    dump = subprocess.run(
        ["pg_dump", "--data-only", "-n", schema, dsn], capture_output=True, check=True
    ).stdout.decode()
    assert "srv_record" in dump
    for secret in SECRETS:
        assert secret not in dump, secret


def test_key_file_is_owner_only_and_a_wrong_key_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SOTAY_SERVER_KEY_FILE", raising=False)
    monkeypatch.delenv("SOTAY_SERVER_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    db.dispose()
    key = tmp_path / "server.db.key"  # the default: beside the database file
    assert _mode(key) == 0o600 and _mode(tmp_path / "server.db") == 0o600
    with pytest.raises(ServerKeyError):
        Database(url, key_file=tmp_path / "other.key")
    monkeypatch.setenv("SOTAY_SERVER_KEY", "A" * 43 + "=")
    code = server_main(["branches", "list", "--db", url])
    assert code == 3 and "Khóa máy chủ không phải khóa" in capsys.readouterr().err


def test_rows_written_in_clear_by_an_older_server_are_sealed_at_start(sqlite_srv: Srv) -> None:
    code, _token, member_id = _person(sqlite_srv)
    engine = create_engine(sqlite_srv.db_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE srv_record SET fields_json = :f WHERE entity_id = :i"),
            {"f": f'{{"full_name": "{NAME}", "personal_id": "{PERSONAL_ID}"}}', "i": member_id},
        )
    Database(sqlite_srv.db_url).dispose()  # a restart
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT fields_json FROM srv_record WHERE entity_id = :i"), {"i": member_id}
        ).scalar_one()
    engine.dispose()
    assert stored.startswith("enc1:") and PERSONAL_ID not in stored
    (item,) = sqlite_srv.cli_json("feedback", "list", "--branch", code)
    assert item["member_name"] == NAME


def test_the_server_id_is_random_and_survives_a_restart(tmp_path: Path) -> None:
    first = ServerThread(f"sqlite:///{tmp_path / 'a.db'}").start()
    try:
        info = requests.get(f"{first.url}/api/v1/info", timeout=5).json()
    finally:
        first.stop()
    assert uuid.UUID(info["server_id"])
    again = ServerThread(f"sqlite:///{tmp_path / 'a.db'}").start()
    other = ServerThread(f"sqlite:///{tmp_path / 'b.db'}").start()
    try:
        assert (
            requests.get(f"{again.url}/api/v1/info", timeout=5).json()["server_id"]
            == (info["server_id"])
        )
        assert (
            requests.get(f"{other.url}/api/v1/info", timeout=5).json()["server_id"]
            != (info["server_id"])
        )
    finally:
        again.stop()
        other.stop()


def test_me_tells_how_much_the_server_holds_of_the_branch(sqlite_srv: Srv) -> None:
    code, token = sqlite_srv.enrolled_branch()
    headers = {**PROTO, "Authorization": f"Bearer {token}"}
    assert (
        sqlite_srv.http.get(f"{sqlite_srv.url}/api/v1/me", headers=headers).json()["records"] == 0
    )
    sqlite_srv.post_batch(token, batch(code, change("member"), change("member")))
    me = sqlite_srv.http.get(f"{sqlite_srv.url}/api/v1/me", headers=headers).json()
    assert me["records"] == 2 and me["server_id"]


# -- the CLI -----------------------------------------------------------------------------------
def test_serve_takes_the_database_from_the_environment(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SOTAY_SERVER_DB": str(tmp_path / "env.db")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--port", str(port)],
        cwd=str(ROOT), env=env, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_listening("127.0.0.1", port, timeout=20)
        answer = requests.get(f"http://127.0.0.1:{port}/api/v1/info", timeout=5)
        assert answer.status_code == 200 and answer.json()["service"] == "sotay-server"
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=15)
    assert b"AttributeError" not in err
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize("days", ["-3", "0"])
def test_a_code_valid_for_no_days_is_refused(
    tmp_path: Path, days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    with pytest.raises(SystemExit) as refused:
        server_main(["branches", "add", "--code", "CB-1", "--name", "Chi bộ 1",
                     "--valid-days", days, "--db", db])  # fmt: skip
    assert refused.value.code == 2
    assert "ít nhất 1 ngày" in capsys.readouterr().err
    assert server_main(["branches", "list", "--json", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "[]"  # nothing was issued


# -- the enrolment limit ---------------------------------------------------------------------
def _wrong(client: Any, forwarded: str | None = None) -> int:
    headers = {**PROTO}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    answer = client.post("/api/v1/enrol", json={"code": "SAI0-SAI0-SAI0"}, headers=headers)
    return int(answer.status_code)


def test_the_enrolment_limit_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    with ServerThread(url) as first:
        client = _Live(requests.Session(), first.url)
        assert [_wrong(client) for _ in range(10)] == [403] * 10
        assert _wrong(client) == 429
    with ServerThread(url) as restarted:
        assert _wrong(_Live(requests.Session(), restarted.url)) == 429


def test_forwarded_addresses_count_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    thread = ServerThread(f"sqlite:///{tmp_path / 'a.db'}").start()
    try:
        http = requests.Session()
        # A loopback peer that is not a configured proxy: its rotating X-Forwarded-For is
        # ignored, every guess counts against the peer.
        statuses = [_wrong(_Live(http, thread.url), f"10.0.0.{i}") for i in range(11)]
        assert statuses == [403] * 10 + [429]
    finally:
        thread.stop()
    thread = ServerThread(f"sqlite:///{tmp_path / 'b.db'}").start()
    thread.app.state.trusted_proxies = parse_proxies(["127.0.0.1/32"])
    try:
        http = requests.Session()
        live = _Live(http, thread.url)
        assert [_wrong(live, f"203.0.113.{i}") for i in range(12)] == [403] * 12
        assert [_wrong(live, "198.51.100.7, 127.0.0.1") for _ in range(11)][-1] == 429
        assert _wrong(live, "198.51.100.8") == 403  # another client behind the proxy
    finally:
        thread.stop()


class _Live:
    """requests against a live server, with the TestClient's post(path, ...) shape."""

    def __init__(self, http: requests.Session, url: str) -> None:
        self.http, self.url = http, url

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.post(self.url + path, timeout=10, **kwargs)


@pytest.mark.postgres
def test_several_workers_on_postgresql_share_the_identity_and_the_limit() -> None:
    base = pg_base_url()
    assert base is not None
    schema = "sotay_w_" + uuid.uuid4().hex[:10]
    pg_create_schema(base, schema)
    url = pg_schema_url(base, schema)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "serve", "--db", url, "--port", str(port),
         "--workers", "2"],
        cwd=str(ROOT), stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_listening("127.0.0.1", port, timeout=30)
        time.sleep(1.0)  # both workers up
        live = _Live(requests.Session(), f"http://127.0.0.1:{port}")
        ids = set()
        for _ in range(8):
            fresh = requests.get(f"{live.url}/api/v1/info", timeout=5)  # new connections
            ids.add(fresh.json()["server_id"])
        assert len(ids) == 1
        statuses = []
        for _ in range(11):
            statuses.append(_wrong(_Live(requests.Session(), live.url)))
        assert statuses == [403] * 10 + [429]
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
        pg_drop_schema(base, schema)

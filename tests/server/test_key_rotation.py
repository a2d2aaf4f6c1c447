"""`sotay-server key rotate` and `key status` (docs/security-model.md, "Rotating the key").

A rotation killed part way (SIGKILL of the real command) leaves a database that still opens
and reads every record; the rerun finishes it; afterwards every record reads back exactly,
no stored value is sealed with the old key, the key file holds the new key and the old one is
kept beside it as `.old`. On SQLite and on PostgreSQL (a schema of its own).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from srvkit import pg_base_url

from server.cli import main as server_main
from server.db import KEY_ID, KEY_NEXT, Database
from server.models import Batch, Branch, FeedChange, Meta, Record, RecordVersion
from server.runner import ROOT, pg_create_schema, pg_drop_schema, pg_schema_url
from server.sealing import sealed_columns
from server.vault import read_key_file

MEMBERS = 6000


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    base = pg_base_url()
    assert base is not None
    schema = "sotay_k_" + uuid.uuid4().hex[:10]
    pg_create_schema(base, schema)
    try:
        yield pg_schema_url(base, schema)
    finally:
        pg_drop_schema(base, schema)


def _person(i: int) -> str:
    return json.dumps(
        {"full_name": f"Trần Thị Mật {i}", "personal_id": f"0792030{i:05d}", "phone": "0912345678"},
        ensure_ascii=False,
    )


def _fill(url: str, key: Path, members: int = MEMBERS) -> dict[str, dict[object, str]]:
    """Members in srv_record and a few rows in every other sealed column; what each holds."""
    db = Database(url, key_file=key)
    try:
        with db.sessions.begin() as s:
            branch = Branch(code="CB-" + uuid.uuid4().hex[:6], name="Chi bộ Khu phố 3")
            s.add(branch)
            s.flush()
            s.add_all(
                Record(branch_id=branch.id, entity="member", entity_id=str(uuid.uuid4()),
                       fields_json=_person(i))
                for i in range(members)
            )  # fmt: skip
            for i in range(3):
                s.add(RecordVersion(branch_id=branch.id, entity="report", entity_id="r",
                                    version=i + 1, fields_json=_person(i)))  # fmt: skip
                s.add(FeedChange(branch_id=branch.id, entity="member", entity_id=f"m{i}",
                                 fields_json=_person(i)))  # fmt: skip
                s.add(Batch(batch_id=str(uuid.uuid4()), branch_id=branch.id, content_hash="h",
                            response_json=json.dumps({"server_fields": _person(i)})))  # fmt: skip
        return _read(db)
    finally:
        db.dispose()


def _read(db: Database) -> dict[str, dict[object, str]]:
    """Every sealed value, opened, by table and row key (through the models)."""
    with db.sessions.begin() as s:
        queries = {
            "record": select(Record.id, Record.fields_json),
            "version": select(RecordVersion.id, RecordVersion.fields_json),
            "feed": select(FeedChange.id, FeedChange.fields_json),
            "batch": select(Batch.batch_id, Batch.response_json),
        }
        return {name: {k: v for k, v in s.execute(q)} for name, q in queries.items()}


def _read_with(url: str, key: Path) -> dict[str, dict[object, str]]:
    db = Database(url, key_file=key)
    try:
        return _read(db)
    finally:
        db.dispose()


def _tags(url: str) -> dict[str, int]:
    """How many stored values each key tag sealed, over every sealed column (raw SQL)."""
    engine = create_engine(url)
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            for spec in sealed_columns():
                for (value,) in conn.execute(text(f"SELECT {spec.column} FROM {spec.table}")):
                    assert value.startswith("enc1:"), value[:20]
                    tag = value.split(":")[1]
                    counts[tag] = counts.get(tag, 0) + 1
    finally:
        engine.dispose()
    return counts


def _rotate_cmd(url: str, key: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "server", "key", "rotate", "--db", url, "--key-file", str(key),
            *extra]  # fmt: skip


def _meta(url: str, key: Path) -> dict[str, str]:
    db = Database(url, key_file=key)
    try:
        with db.sessions.begin() as s:
            return {m.key: m.value for m in s.scalars(select(Meta))}
    finally:
        db.dispose()


def test_a_rotation_killed_part_way_reads_and_finishes_on_rerun(
    db_url: str, tmp_path: Path
) -> None:
    key = tmp_path / "server.key"
    before = _fill(db_url, key)
    assert sum(len(v) for v in before.values()) == MEMBERS + 9
    old = read_key_file(key)
    assert old is not None and _tags(db_url) == {old.tag: MEMBERS + 9}

    proc = subprocess.Popen(
        _rotate_cmd(db_url, key, "--batch", "20"), cwd=str(ROOT), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip().startswith("srv_record.fields_json:"):
            done, total = line.split(":")[1].strip().replace(".", "").split("/")
            if 0 < int(done) < int(total):
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    # Half done: both keys in the tables, and every record still opens.
    new = read_key_file(key.with_name("server.key.new"))
    assert new is not None
    half = _tags(db_url)
    assert half[old.tag] > 0 and half[new.tag] > 0, half
    assert _read_with(db_url, key) == before
    meta = _meta(db_url, key)
    assert (meta[KEY_ID], meta[KEY_NEXT]) == (old.key_id, new.key_id)

    rerun = subprocess.run(_rotate_cmd(db_url, key), cwd=str(ROOT), capture_output=True,
                           text=True, timeout=300)  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    assert "Đã làm nốt lần đổi khóa trước" in rerun.stdout
    assert f"Khóa cũ được giữ ở {key}.old" in rerun.stdout

    assert _tags(db_url) == {new.tag: MEMBERS + 9}  # nothing sealed with the old key remains
    current, kept = read_key_file(key), read_key_file(key.with_name("server.key.old"))
    assert current is not None and current.key_id == new.key_id
    assert kept is not None and kept.key_id == old.key_id
    assert not key.with_name("server.key.new").exists()
    meta = _meta(db_url, key)
    assert meta[KEY_ID] == new.key_id and KEY_NEXT not in meta
    os.unlink(key.with_name("server.key.old"))  # the operator removes it: not needed to read
    assert _read_with(db_url, key) == before


def test_killed_after_the_key_files_switched_it_still_opens_and_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, key = f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "server.key"
    before = _fill(url, key, 50)
    old = read_key_file(key)
    assert old is not None
    assert server_main(["key", "rotate", "--db", url, "--key-file", str(key)]) == 0
    new = read_key_file(key)
    assert new is not None and new.key_id != old.key_id
    # As if killed between the key file switch and the fingerprint switch.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE srv_meta SET value = :v WHERE key = 'key_id'"), {"v": old.key_id})
        conn.execute(text("INSERT INTO srv_meta VALUES ('key_next', :v)"), {"v": new.key_id})
    engine.dispose()
    assert _read_with(url, key) == before
    capsys.readouterr()
    assert server_main(["key", "status", "--db", url, "--key-file", str(key)]) == 0
    assert "Đang đổi khóa dở dang" in capsys.readouterr().out
    assert server_main(["key", "rotate", "--db", url, "--key-file", str(key)]) == 0
    assert "Đã làm nốt" in capsys.readouterr().out
    assert _meta(url, key)[KEY_ID] == new.key_id
    assert _read_with(url, key) == before


def test_status_counts_each_key_and_a_second_rotation_waits_for_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, key = f"sqlite:///{tmp_path / 'server.db'}", tmp_path / "server.key"
    _fill(url, key, 50)
    args = ["--db", url, "--key-file", str(key)]
    assert server_main(["key", "status", *args, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    old = read_key_file(key)
    assert old is not None and status["key_id"] == old.key_id
    by_column = {f"{c['table']}.{c['column']}": c["by_key"] for c in status["columns"]}
    assert by_column == {
        "srv_batch.response_json": {old.tag: 3},
        "srv_feed.fields_json": {old.tag: 3},
        "srv_record.fields_json": {old.tag: 50},
        "srv_record_version.fields_json": {old.tag: 3},
    }
    assert server_main(["key", "rotate", *args]) == 0
    capsys.readouterr()
    assert server_main(["key", "status", *args]) == 0
    shown = capsys.readouterr().out
    new = read_key_file(key)
    assert new is not None
    rows = [line.split() for line in shown.splitlines() if line.startswith("srv_record.")]
    assert rows == [["srv_record.fields_json", new.tag, "(hiện", "tại)", "50"]]
    assert old.tag not in shown.split("Bảng.cột")[1]
    assert f"Khóa cũ còn giữ ở {key}.old" in shown
    assert server_main(["key", "rotate", *args]) == 3
    assert f"Tệp khóa cũ {key}.old của lần đổi khóa trước vẫn còn" in capsys.readouterr().err


def test_a_key_from_the_environment_is_not_rotated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    monkeypatch.setenv("SOTAY_SERVER_KEY", base64.b64encode(os.urandom(32)).decode())
    Database(url).dispose()
    assert server_main(["key", "rotate", "--db", url]) == 3
    err = capsys.readouterr().err
    assert "Khóa máy chủ đang lấy từ biến môi trường SOTAY_SERVER_KEY" in err
    assert "--key-file" in err
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".key", ".new", ".old"))]

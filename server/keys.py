"""`sotay-server key status` and `key rotate`: the server key's fingerprint, what each key
sealed, and the change to a new key (docs/security-model.md, "Rotating the key").

A rotation re-seals every `SealedText` column (server/sealing.py) with a new key, one
committed batch at a time, then switches the key file and the fingerprint. It may be killed
at any point and run again: each value names the key that sealed it (`enc1:<key tag>:`), the
database names the key the rotation moves to (srv_meta.key_next), and every state in between
opens with the files present (server/vault.py `settle`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from server.db import KEY_ID, KEY_NEXT, Database
from server.models import Meta
from server.sealing import (
    SealedColumn,
    count_by_prefix,
    count_not_sealed_with,
    key_prefix,
    reseal_batches,
    sealed_columns,
)
from server.vault import (
    ENV_KEY,
    NEW_SUFFIX,
    OLD_SUFFIX,
    WRONG_KEY,
    ServerKeyError,
    Vault,
    companion,
    create_key_file,
    read_key_file,
)

Progress = Callable[[SealedColumn, int, int], None]


def _meta(db: Database) -> dict[str, str]:
    with db.sessions.begin() as session:
        return {m.key: m.value for m in session.scalars(select(Meta))}


def _set_meta(db: Database, values: dict[str, str | None]) -> None:
    with db.sessions.begin() as session:
        for key, value in values.items():
            session.execute(delete(Meta).where(Meta.key == key))
            if value is not None:
                session.add(Meta(key=key, value=value))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- status ----------------------------------------------------------------------------------
def key_status(db: Database) -> dict[str, Any]:
    meta = _meta(db)
    stored, pending = meta.get(KEY_ID, ""), meta.get(KEY_NEXT)
    names = {stored[:8]: "hiện tại"}
    old_file = companion(db.key_path, OLD_SUFFIX) if db.key_path is not None else None
    if old_file is not None and old_file.exists():
        old = read_key_file(old_file)
        if old is not None and old.tag != stored[:8]:
            names[old.tag] = "cũ"
    if pending:
        names[pending[:8]] = "mới"
    columns = []
    with db.engine.connect() as conn:
        for spec in sealed_columns():
            counts = count_by_prefix(conn, spec)
            columns.append({"table": spec.table, "column": spec.column, "by_key": counts})
    return {
        "key_id": stored,
        "key_file": str(db.key_path) if db.key_path is not None else None,
        "rotating_to": pending,
        "old_key_file": str(old_file) if old_file is not None and old_file.exists() else None,
        "key_names": names,
        "columns": columns,
    }


# -- rotate ----------------------------------------------------------------------------------
@dataclass
class Rotation:
    old_id: str
    new_id: str
    key_file: Path
    old_file: Path
    resealed: dict[str, int] = field(default_factory=dict)
    resumed: bool = False
    seconds: float = 0.0


def _start(db: Database, path: Path) -> tuple[Vault, Vault, bool]:
    """The key to leave and the key to reach; records the rotation in the database first."""
    meta = _meta(db)
    stored, pending = meta[KEY_ID], meta.get(KEY_NEXT)
    new_file, old_file = companion(path, NEW_SUFFIX), companion(path, OLD_SUFFIX)
    if pending is not None:  # a rotation killed part way: carry on
        here = read_key_file(path)
        switched = here is not None and here.key_id == pending  # the key file holds the new key
        old = read_key_file(old_file) if switched else here
        if old is None or old.key_id != stored or db.vault.key_id != pending:
            raise ServerKeyError(WRONG_KEY)  # settle() has refused this already
        return old, db.vault, True
    if old_file.exists():
        raise ServerKeyError(
            f"Tệp khóa cũ {old_file} của lần đổi khóa trước vẫn còn. Hãy xóa nó (khi máy chủ "
            "đã chạy tốt với khóa hiện tại) rồi đổi khóa lại."
        )
    old = db.vault
    new = read_key_file(new_file)  # left by a run killed before it wrote key_next
    while new is None or new.tag == old.tag:
        new_file.unlink(missing_ok=True)
        create_key_file(new_file)
        new = read_key_file(new_file)
    _fsync_dir(path.parent)
    _set_meta(db, {KEY_NEXT: new.key_id})
    return old, new, False


def _finish(db: Database, path: Path, old: Vault, new: Vault) -> None:
    """Keep the old key as `<key file>.old`, put the new one in the key file, then switch
    the fingerprint; each step survives a kill (server/vault.py `settle`)."""
    new_file, old_file = companion(path, NEW_SUFFIX), companion(path, OLD_SUFFIX)
    current = read_key_file(path)
    if current is not None and current.key_id == old.key_id:
        if not old_file.exists():
            os.link(path, old_file)
        kept = read_key_file(old_file)
        if kept is None or kept.key_id != old.key_id:
            raise ServerKeyError(f"Tệp {old_file} không chứa khóa cũ; không đổi khóa tiếp.")
        os.replace(new_file, path)
        _fsync_dir(path.parent)
    _set_meta(db, {KEY_ID: new.key_id, KEY_NEXT: None})


def rotate(
    url: str, key_file: str | None = None, *, batch: int = 1000, progress: Progress | None = None
) -> Rotation:
    began = time.monotonic()
    db = Database(url, key_file=key_file)
    try:
        path = db.key_path
        if path is None:
            raise ServerKeyError(
                f"Khóa máy chủ đang lấy từ biến môi trường {ENV_KEY}. Để đổi khóa, hãy ghi khóa "
                "đó vào một tệp (chỉ chủ sở hữu đọc được), bỏ biến môi trường và chạy lại với "
                "--key-file TỆP; xong thì đưa khóa mới trong tệp vào nơi cất bí mật."
            )
        # Held to the end: no server starts meanwhile, and none may be running now (a server
        # started before keeps sealing with the old key; server/runlock.py).
        db.hold_for_rotation()
        old, new, resumed = _start(db, path)
        done = Rotation(old.key_id, new.key_id, path, companion(path, OLD_SUFFIX), resumed=resumed)
        skip = key_prefix(new)
        for _attempt in range(5):  # a value a running server wrote meanwhile: another pass
            left = 0
            for spec in sealed_columns():
                with db.engine.connect() as conn:
                    total = count_not_sealed_with(conn, spec, skip)
                count = 0
                for step in reseal_batches(db.engine, spec, new, skip_prefix=skip, batch=batch):
                    count += step
                    if progress is not None:
                        progress(spec, count, total)
                done.resealed[spec.name] = done.resealed.get(spec.name, 0) + count
                with db.engine.connect() as conn:
                    left += count_not_sealed_with(conn, spec, skip)
            if left == 0:
                break
        else:
            raise ServerKeyError(
                "Vẫn còn dữ liệu mã hóa bằng khóa cũ sau nhiều lượt: hãy dừng máy chủ "
                "(sotay-server serve) rồi chạy lại sotay-server key rotate."
            )
        _finish(db, path, old, new)
        done.seconds = time.monotonic() - began
        return done
    finally:
        db.dispose()


def print_progress(spec: SealedColumn, count: int, total: int) -> None:
    line = f"  {spec.name}: {count:,}/{total:,}".replace(",", ".")
    if sys.stdout.isatty():
        end = "\n" if count >= total else "\r"
        print(line, end=end, flush=True)
    else:
        print(line, flush=True)

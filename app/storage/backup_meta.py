"""What a backup holds, written into its manifest so it can be told without the password.

`contents(engine)` counts the members and meetings of the book and names its last change;
`Book.backup` stores it as the manifest's "contents". A backup written before this key
existed simply has none (its contents are then "not recorded", never guessed).
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc


class Contents(TypedDict):
    members: int
    meetings: int
    last_change: str | None  # local time, ISO (the manifest's created_at is local too)


def contents(engine: Engine) -> Contents | None:
    """Members and meetings not deleted, and the time of the newest audit entry; None when
    they cannot be read (a book at an old schema, backed up before its upgrade): the backup
    is written all the same, its contents "not recorded"."""
    try:
        return _read(engine)
    except sa_exc.DBAPIError:
        return None


def _read(engine: Engine) -> Contents:
    with engine.connect() as conn:
        members = conn.execute(
            text("SELECT count(*) FROM member WHERE deleted_at IS NULL")
        ).scalar_one()
        meetings = conn.execute(
            text("SELECT count(*) FROM meeting WHERE deleted_at IS NULL")
        ).scalar_one()
        last = conn.execute(text("SELECT max(at) FROM audit_log")).scalar_one()
    return Contents(
        members=int(members or 0),
        meetings=int(meetings or 0),
        last_change=_local_iso(last),
    )


def _local_iso(value: object) -> str | None:
    """audit_log.at is naive UTC (app.models.base.utcnow); told in local time."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    local = value.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    # Whole precision: "the book changed after this backup" compares it with the book's own.
    return local.isoformat()


def parse_local(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None

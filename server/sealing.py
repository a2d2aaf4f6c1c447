"""Every sealed column of the server's tables, found from the models (a `SealedText` column),
and the re-sealing of its stored values in batches: rows written in clear by an older server
(server/db.py) and every value during a key rotation (server/keys.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, column, func, select, table, update
from sqlalchemy.sql.expression import bindparam
from sqlalchemy.types import Text

from server.models import Base
from server.vault import PREFIX, SealedText, Vault


@dataclass(frozen=True)
class SealedColumn:
    table: str
    key: str  # the table's one-column primary key
    column: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.column}"

    def raw(self) -> tuple[Any, Any, Any]:
        """The table with the column as stored (plain text: SealedText does not run)."""
        source: Table = Base.metadata.tables[self.table]
        key_type = source.c[self.key].type
        raw = table(self.table, column(self.key, key_type), column(self.column, Text()))
        return raw, raw.c[self.key], raw.c[self.column]


def sealed_columns() -> list[SealedColumn]:
    found = []
    for source in Base.metadata.sorted_tables:
        for col in source.columns:
            if isinstance(col.type, SealedText):
                keys: list[Column[Any]] = list(source.primary_key.columns)
                if len(keys) != 1:  # pragma: no cover - a model change this module must follow
                    raise RuntimeError(f"{source.name}: a sealed column needs a one-column key")
                found.append(SealedColumn(source.name, keys[0].name, col.name))
    return found


def key_prefix(vault: Vault) -> str:
    """How every value sealed with `vault` begins."""
    return f"{PREFIX}{vault.tag}:"


def count_not_sealed_with(conn: Connection, spec: SealedColumn, prefix: str) -> int:
    raw, _key, value = spec.raw()
    query = select(func.count()).select_from(raw)
    return int(
        conn.execute(query.where(value.is_not(None), value.not_like(prefix + "%"))).scalar_one()
    )


def count_by_prefix(conn: Connection, spec: SealedColumn) -> dict[str, int]:
    """How many values of the column each key sealed: {key tag: count}, "" for clear text."""
    _raw, _key, value = spec.raw()
    head = func.substr(value, 1, len(PREFIX) + 9)
    rows = conn.execute(select(head, func.count()).where(value.is_not(None)).group_by(head))
    counts: dict[str, int] = {}
    for start, count in rows:
        text = str(start)
        tag = text[len(PREFIX) : len(PREFIX) + 8] if text.startswith(PREFIX) else ""
        counts[tag] = counts.get(tag, 0) + int(count)
    return counts


def reseal_batches(
    engine: Engine,
    spec: SealedColumn,
    target: Vault,
    *,
    skip_prefix: str,
    batch: int = 1000,
    opener: Callable[[str], str] | None = None,
) -> Iterator[int]:
    """Seal with `target` every value of the column that does not start with `skip_prefix`,
    one committed transaction per batch; yields how many values each batch re-sealed.

    A row changed meanwhile (by a server still running) is left for the next pass: the update
    matches the value it read. Killed between batches, a rerun picks up where it stopped,
    since what is done already starts with `skip_prefix`.
    """
    raw, key, value = spec.raw()
    open_value = opener or target.open
    write = (
        update(raw)
        .where(key == bindparam("k"), value == bindparam("was"))
        .values({spec.column: bindparam("now")})
    )
    last: Any = None
    while True:
        with engine.begin() as conn:
            query = select(key, value).where(value.is_not(None), value.not_like(skip_prefix + "%"))
            if last is not None:
                query = query.where(key > last)
            rows = conn.execute(query.order_by(key).limit(batch)).all()
            if not rows:
                return
            conn.execute(
                write,
                [{"k": k, "was": v, "now": target.seal(open_value(str(v)))} for k, v in rows],
            )
        last = rows[-1][0]
        yield len(rows)

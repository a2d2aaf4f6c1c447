"""Declarative base and the columns every syncable row carries."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncedMixin:
    """UUID key made on the client, a version for optimistic concurrency, a tombstone."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    # Columns that are local bookkeeping and never travel in a sync change.
    LOCAL_ONLY: frozenset[str] = frozenset({"created_at", "updated_at", "version"})

    def sync_fields(self) -> dict[str, Any]:
        """The row's shareable fields as JSON-ready values."""
        table = self.__table__  # type: ignore[attr-defined]
        out: dict[str, Any] = {}
        for column in table.columns:
            if column.key in self.LOCAL_ONLY:
                continue
            out[column.key] = to_json_value(getattr(self, column.key))
        return out


def to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

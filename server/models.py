"""The reference server's tables (SQLAlchemy 2 typed models; created with create_all)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from server.vault import SealedText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Branch(Base):
    __tablename__ = "srv_branch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class EnrolmentCode(Base):
    __tablename__ = "srv_enrolment_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class DeviceToken(Base):
    __tablename__ = "srv_device_token"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AdminToken(Base):
    __tablename__ = "srv_admin_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Batch(Base):
    """Every batch received, with the answer given: a replay is answered from here."""

    __tablename__ = "srv_batch"

    batch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(36), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    change_count: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    response_json: Mapped[str] = mapped_column(SealedText)  # may quote a record (conflict)


class Op(Base):
    """Every change decided (all results but 'deferred'), unique by the client's op id."""

    __tablename__ = "srv_op"

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"), index=True)
    batch_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Record(Base):
    """What the server holds of a branch's row: version, JSON fields, tombstone, origin."""

    __tablename__ = "srv_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    fields_json: Mapped[str] = mapped_column(SealedText, default="{}")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(10), default="branch")  # branch | committee | event
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("branch_id", "entity", "entity_id", name="uq_srv_record_key"),
        Index("ix_srv_record_branch_entity", "branch_id", "entity", "deleted"),
    )


class FeedChange(Base):
    """What the committee published for a branch, in order; the id is the pull cursor."""

    __tablename__ = "srv_feed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(10), default="upsert")
    version: Mapped[int] = mapped_column(Integer, default=1)
    fields_json: Mapped[str] = mapped_column(SealedText, default="{}")
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (Index("ix_srv_feed_branch_id", "branch_id", "id"),)


class FileBlob(Base):
    __tablename__ = "srv_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FileGrant(Base):
    """Which branch may download which published file."""

    __tablename__ = "srv_file_grant"

    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("srv_file.sha256"), primary_key=True)


class RecordVersion(Base):
    """Every applied version of a row whose history the committee keeps (a submitted report:
    version 1, then its revision 2, ...); srv_record holds only the latest."""

    __tablename__ = "srv_record_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    fields_json: Mapped[str] = mapped_column(SealedText, default="{}")
    op_id: Mapped[str] = mapped_column(String(36), default="")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint(
            "branch_id", "entity", "entity_id", "version", name="uq_srv_record_version_key"
        ),
    )


class BranchFile(Base):
    """A file a branch uploaded (a document's bytes), content-addressed by SHA-256."""

    __tablename__ = "srv_branch_file"

    branch_id: Mapped[int] = mapped_column(ForeignKey("srv_branch.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("srv_file.sha256"), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Meta(Base):
    """Server-wide facts: its identity (server_id) and the fingerprint of its key."""

    __tablename__ = "srv_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class EnrolFailure(Base):
    """A wrong enrolment code from a client address: the limit of §3 counts these, so it holds
    across restarts and across the workers of one server."""

    __tablename__ = "srv_enrol_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_srv_enrol_failure_address_at", "address", "at"),)

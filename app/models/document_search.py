"""The library's catalogue and full-text index (local bookkeeping, never synced).

`document_fts` (an FTS5 virtual table made in migration 0004_documents) holds folded copies
of each document's number, title, details, summary and text. `document_search` gives each
live document the integer FTS5 keys rows by, remembers which version is indexed (so rows
written by sync are caught up before a search) and keeps a copy of the fields lists and
filters show. Lists, filters and counts read only this small table: a `document` row carries
the whole text, and SQLite would read its pages (or walk them to reach the columns stored
after it) for every row listed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.document import Document

FTS_TABLE = "document_fts"
FTS_COLUMNS = ("number", "title", "meta", "summary", "body")


class DocumentSearchEntry(Base):
    __tablename__ = "document_search"

    rowid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    number: Mapped[str] = mapped_column(String(60), default="")
    doc_type: Mapped[str] = mapped_column(String(8), default="KHAC")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(300), default="")
    filename: Mapped[str] = mapped_column(String(260), default="")
    mime: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(12), default="local")
    text_length: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_document_search_type", "doc_type"),
        Index("ix_document_search_issuer", "issuer"),
        Index("ix_document_search_year", "year"),
        Index("ix_document_search_order", "issued_on", "created_at"),
    )


# Fields copied from `document` into the catalogue (besides id, version and dates).
CATALOGUE_FIELDS = (
    "number", "doc_type", "issuer", "issued_on", "place", "title", "summary", "tags",
    "filename", "mime", "size", "sha256", "source",
)  # fmt: skip

# On `document` itself: the columns stored after its text, so that the catch-up check and
# lookups read them from this index instead of walking the text's pages.
DOCUMENT_LIVE_INDEX = Index(
    "ix_document_live",
    Document.deleted_at,
    Document.id,
    Document.version,
    Document.updated_at,
)

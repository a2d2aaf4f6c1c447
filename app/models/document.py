from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

DOCUMENT_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "QĐ": "Quy định / Quyết định",
    "KL": "Kết luận",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "CTr": "Chương trình",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "CV": "Công văn",
    "TT": "Tin tức",
    "KHAC": "Khác",
}


class Document(SyncedMixin, Base):
    __tablename__ = "document"

    number: Mapped[str] = mapped_column(String(60), default="")  # "339-QĐ/TW"
    doc_type: Mapped[str] = mapped_column(String(8), default="KHAC")
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(300), default="")
    filename: Mapped[str] = mapped_column(String(260), default="")
    mime: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    text_content: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(12), default="local")  # local | committee


class DocumentFile(Base):
    """The document's bytes, inside the encrypted book (so encrypted at rest)."""

    __tablename__ = "document_file"

    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)

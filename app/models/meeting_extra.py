"""What a meeting carries besides its row and roll call: absence requests and documents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin, utcnow

# How an absence request (báo cáo xin phép vắng họp) reached the secretary.
ABSENCE_CHANNELS: dict[str, str] = {
    "truc_tiep": "Trực tiếp",
    "dien_thoai": "Điện thoại",
    "tin_nhan": "Tin nhắn",
    "van_ban": "Giấy xin phép",
}


class AbsenceRequest(SyncedMixin, Base):
    """A member's request to be excused from one meeting, with the reason and the channel."""

    __tablename__ = "absence_request"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(12), default="truc_tiep")
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # local time
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_absence_request_meeting_member", "meeting_id", "member_id"),)


class MeetingDocument(SyncedMixin, Base):
    """A document sent with a meeting (gửi tài liệu họp); listed in the invitation."""

    __tablename__ = "meeting_document"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("meeting_id", "document_id"),)

"""Members' voices: góp ý, phản ánh, đề xuất recorded by the secretary for a member."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

FEEDBACK_KINDS: dict[str, str] = {
    "gop_y": "Góp ý",
    "phan_anh": "Phản ánh",
    "de_xuat": "Đề xuất",
}
# How the feedback reached the secretary.
FEEDBACK_CHANNELS: dict[str, str] = {
    "truc_tiep": "Trực tiếp",
    "dien_thoai": "Điện thoại",
    "tin_nhan": "Tin nhắn",
    "buoi_ho_tro": "Buổi hỗ trợ",
}
# The flow, in order: received → being handled → forwarded to the committee → answered.
FEEDBACK_STATES: dict[str, str] = {
    "received": "Đã tiếp nhận",
    "handling": "Đang xử lý",
    "forwarded": "Đã chuyển cấp ủy cấp trên",
    "answered": "Đã trả lời",
}


class Feedback(SyncedMixin, Base):
    __tablename__ = "feedback"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)
    received_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(12), default="truc_tiep")
    state: Mapped[str] = mapped_column(String(10), default="received")
    handling_note: Mapped[str] = mapped_column(Text, default="")
    forwarded_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    # Set when the feedback was taken down at a support session (buổi hỗ trợ).
    support_session_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    __table_args__ = (Index("ix_feedback_state_received", "state", "received_on"),)

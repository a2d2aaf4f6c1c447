"""Support sessions for elderly members (buổi hỗ trợ đảng viên cao tuổi)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

# What was done for a member at a session.
SUPPORT_ACTIONS: dict[str, str] = {
    "cai_dat": "Cài đặt ứng dụng",
    "dang_ky": "Đăng ký tài khoản",
    "phe_duyet": "Phê duyệt tài khoản",
    "huong_dan": "Hướng dẫn sử dụng chức năng",
    "doc_tai_lieu": "Đọc tài liệu cho nghe",
    "ghi_y_kien": "Ghi nhận ý kiến",
}


class SupportSession(SyncedMixin, Base):
    """One session: when, where, who helped, and per member who came what was done.

    The attendees travel inside the row (`attendees_json`: a list of {member_id, actions,
    feature, document, note, feedback_ids}), so one sync change carries the whole session.
    A session dated after today is a planned one and has no attendees yet.
    """

    __tablename__ = "support_session"

    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    helpers: Mapped[str] = mapped_column(Text, default="")  # one name per line
    notes: Mapped[str] = mapped_column(Text, default="")
    attendees_json: Mapped[str] = mapped_column(Text, default="[]")

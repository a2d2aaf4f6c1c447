from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin
from app.vocab import MemberStatus

# Status codes (stored) and their Vietnamese labels (shown): app.vocab.MemberStatus.
MEMBER_STATUSES: dict[str, str] = MemberStatus.labels()
ACCOUNT_STATES: dict[str, str] = {
    "chua_dang_ky": "Chưa đăng ký",
    "da_dang_ky": "Đã đăng ký",
    "da_duyet": "Đã duyệt",
}
GENDERS = ("nam", "nữ")


class Member(SyncedMixin, Base):
    __tablename__ = "member"

    full_name: Mapped[str] = mapped_column(String(120))
    name_search: Mapped[str] = mapped_column(String(120), index=True)  # folded, for search
    name_sort: Mapped[str] = mapped_column(String(400), index=True)  # Vietnamese name order
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    gender: Mapped[str | None] = mapped_column(String(3), nullable=True)
    # Ngày vào Đảng: the admission ceremony (lễ kết nạp); probation runs from it.
    admission_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Ngày quyết định kết nạp: tuổi đảng (Huy hiệu Đảng) runs from it (migration 0006).
    admission_decision_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    official_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    card_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    personal_id: Mapped[str | None] = mapped_column(String(12), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(15), nullable=True)
    branch_label: Mapped[str] = mapped_column(String(200), default="")  # chi bộ đang sinh hoạt
    status: Mapped[str] = mapped_column(String(24), default=MemberStatus.OFFICIAL.value)
    position: Mapped[str] = mapped_column(String(60), default="")  # bí thư, chi ủy viên...
    address: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    has_smartphone: Mapped[bool] = mapped_column(Boolean, default=True)
    app_account: Mapped[str] = mapped_column(String(16), default="chua_dang_ky")
    needs_support: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bệnh hiểm nghèo: Huy hiệu Đảng may be awarded early (HD 01-HD/TW).
    serious_illness: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    death_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # từ trần
    # Chuyển đi / xóa tên: the date the member left the branch (dues are owed through its
    # month) and, for a transfer, the receiving chi bộ / đảng bộ (migration 0010).
    left_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    left_to: Mapped[str] = mapped_column(String(200), default="", server_default="")

    __table_args__ = (
        Index("ix_member_status", "status"),
        # Unique among live rows only: a removed member's numbers may be re-used.
        Index(
            "uq_member_card_number",
            "card_number",
            unique=True,
            sqlite_where=text("card_number IS NOT NULL AND deleted_at IS NULL"),
        ),
        # Search as you type and name-ordered pages (migration 0002_members).
        Index(
            "ix_member_live_search",
            "name_sort",
            "id",
            "status",
            "name_search",
            "card_number",
            "personal_id",
            "phone",
            "deleted_at",
            sqlite_where=text("deleted_at IS NULL"),
        ),
        Index(
            "uq_member_personal_id",
            "personal_id",
            unique=True,
            sqlite_where=text("personal_id IS NOT NULL AND deleted_at IS NULL"),
        ),
    )

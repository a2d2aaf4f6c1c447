"""Study campaigns (đợt học tập, quán triệt nghị quyết) and each member's result."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

CAMPAIGN_STATES: dict[str, str] = {
    "open": "Đang thực hiện",
    "closed": "Đã kết thúc",
}
# How a thu hoạch is graded. [uncertain] Committees use different scales (some Giỏi/Khá/
# Trung bình, some Đạt/Chưa đạt, some a score out of 10): this list is shown as a suggestion
# and a score may be recorded alongside.
STUDY_GRADES: dict[str, str] = {
    "gioi": "Giỏi",
    "kha": "Khá",
    "dat": "Đạt",
    "chua_dat": "Chưa đạt",
}


class StudyCampaign(SyncedMixin, Base):
    __tablename__ = "study_campaign"

    title: Mapped[str] = mapped_column(String(300))  # "Học tập Nghị quyết số 57-NQ/TW"
    resolutions: Mapped[str] = mapped_column(Text, default="")  # one per line, as written
    document_ids_json: Mapped[str] = mapped_column(Text, default="[]")  # library documents
    starts_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    session_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    presenter: Mapped[str] = mapped_column(String(120), default="")  # báo cáo viên
    submission_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(10), default="open")
    notes: Mapped[str] = mapped_column(Text, default="")


class StudyParticipant(SyncedMixin, Base):
    """One member in one campaign: attended the session, handed in the thu hoạch, result."""

    __tablename__ = "study_participant"

    campaign_id: Mapped[str] = mapped_column(ForeignKey("study_campaign.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    grade: Mapped[str] = mapped_column(String(16), default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index(
            "uq_study_participant_campaign_member",
            "campaign_id",
            "member_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

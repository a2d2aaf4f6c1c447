from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin, new_id, utcnow
from app.vocab import AttendanceMark, MeetingKind

MEETING_KINDS: dict[str, str] = MeetingKind.labels()
MEETING_STATES: dict[str, str] = {
    "draft": "Đang chuẩn bị",
    "open": "Đang họp",
    "closed": "Đã kết thúc",
}
ATTENDANCE_STATUSES: dict[str, str] = AttendanceMark.labels()


class Meeting(SyncedMixin, Base):
    __tablename__ = "meeting"

    kind: Mapped[str] = mapped_column(String(16), default=MeetingKind.REGULAR.value)
    topic: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)  # local wall-clock time
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    secretary_name: Mapped[str] = mapped_column(String(120), default="")  # minute-taker
    guests: Mapped[str] = mapped_column(Text, default="")
    agenda_json: Mapped[str] = mapped_column(Text, default="[]")
    minutes_json: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(10), default="draft")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (Index("ix_meeting_starts_at", "starts_at"),)


class AttendanceEvent(Base):
    """Append-only roll-call marks: the latest event per (meeting, member) is the state.

    Like Anki's review log, events are never edited, so sync has nothing to merge.
    """

    __tablename__ = "attendance_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meeting.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # order within a meeting

    __table_args__ = (Index("ix_attendance_meeting_member", "meeting_id", "member_id", "seq"),)

    def sync_fields(self) -> dict[str, object]:
        return {
            "id": self.id,
            "meeting_id": self.meeting_id,
            "member_id": self.member_id,
            "status": self.status,
            "reason": self.reason,
            "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
            "seq": self.seq,
        }

"""Reports to the upper committee (báo cáo gửi đảng ủy cấp trên)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

REPORT_KINDS: dict[str, str] = {
    "monthly": "Báo cáo tháng",
    "deployment": "Báo cáo triển khai ứng dụng Sổ tay đảng viên điện tử",
    "quarterly": "Báo cáo quý",
    "yearly": "Báo cáo năm",
}
REPORT_STATES: dict[str, str] = {
    "draft": "Bản nháp",
    "submitted": "Đã gửi cấp trên",
    "amended": "Đã sửa sau khi gửi, chờ gửi lại",
}


class Report(SyncedMixin, Base):
    """A report drafted from the book's data, edited by the secretary, numbered, submitted.

    Drafts stay on this computer (audited, not synced). Submitting sends the whole report
    up through the outbox; `version` advances only on a submission, so the server keeps
    each submitted version in turn. A change after submission needs a reason and makes a
    new revision; the submitted text is kept in `history_json`.
    """

    __tablename__ = "report"

    kind: Mapped[str] = mapped_column(String(12))
    period: Mapped[str] = mapped_column(String(8))  # "2025-11", "2025-Q4", "2025"
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    subtitle: Mapped[str] = mapped_column(String(400), default="")  # under "BÁO CÁO"
    number: Mapped[str] = mapped_column(String(30), default="")  # "05-BC/CB"
    number_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    number_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    sections_json: Mapped[str] = mapped_column(Text, default="[]")
    recipients: Mapped[str] = mapped_column(Text, default="")  # one per line
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    figures_json: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(10), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    amend_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    history_json: Mapped[str] = mapped_column(Text, default="[]")

    __table_args__ = (
        Index("ix_report_kind_period", "kind", "period"),
        Index(
            "uq_report_number",
            "number_year",
            "number_seq",
            unique=True,
            sqlite_where=text("number_seq IS NOT NULL AND deleted_at IS NULL"),
        ),
    )

"""Đảng phí (party dues): how each member pays, with its history, the payments and the
branch's remittances upward (DOMAIN.md, "Dues").

Months are kept as "YYYY-MM" text: a dues month is a month, not a day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin


class DuesSetting(SyncedMixin, Base):
    """How a member pays from `effective_from` on, until a later setting takes over."""

    __tablename__ = "dues_setting"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    effective_from: Mapped[str] = mapped_column(String(7))  # "YYYY-MM"
    basis: Mapped[str] = mapped_column(String(10))  # salary | pension | fixed | exempt
    income: Mapped[int | None] = mapped_column(Integer, nullable=True)  # đồng a month
    amount: Mapped[int | None] = mapped_column(Integer, nullable=True)  # fixed or voluntary
    exempt_kind: Mapped[str] = mapped_column(String(16), default="")
    reduce_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 30 | 50 | 70
    reduce_until: Mapped[str | None] = mapped_column(String(7), nullable=True)  # "YYYY-MM"
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (Index("ix_dues_setting_member_from", "member_id", "effective_from"),)


class DuesPayment(SyncedMixin, Base):
    """One member's dues for one month: paid (cash or DVCQG) or excused with a reason."""

    __tablename__ = "dues_payment"

    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # the dues month, "YYYY-MM"
    amount: Mapped[int] = mapped_column(Integer, default=0)  # đồng
    paid_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(8))  # cash | dvcqg | excused
    reference: Mapped[str] = mapped_column(String(80), default="")  # DVCQG / bank reference
    batch_id: Mapped[str] = mapped_column(String(36))  # one payment action (one receipt)
    receipt_no: Mapped[int | None] = mapped_column(Integer, nullable=True)  # cash, per year
    # The desktop's receipt series (ký hiệu): each desktop numbers its own series, so two
    # desktops of one branch never issue the same number; "" on receipts made before series.
    receipt_series: Mapped[str] = mapped_column(String(8), default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="")  # the reason of an excused month
    recorded_by: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (
        Index(
            "uq_dues_payment_member_month",
            "member_id",
            "month",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
        ),
        Index("ix_dues_payment_paid_on", "paid_on"),
        Index("ix_dues_payment_month", "month"),
    )


class DuesRemittance(SyncedMixin, Base):
    """Dues the branch remitted to the upper committee for a month or a quarter."""

    __tablename__ = "dues_remittance"

    period: Mapped[str] = mapped_column(String(7))  # "YYYY-MM" or "YYYY-Qn"
    amount: Mapped[int] = mapped_column(Integer)
    remitted_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(120), default="")

    __table_args__ = (Index("ix_dues_remittance_period", "period"),)

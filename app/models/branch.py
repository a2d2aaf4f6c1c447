from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin


class Branch(SyncedMixin, Base):
    """The one branch (chi bộ) this book belongs to."""

    __tablename__ = "branch"

    name: Mapped[str] = mapped_column(String(200))  # "Chi bộ Khu phố 3"
    committee: Mapped[str] = mapped_column(String(200))  # "Đảng bộ phường Quy Nhơn"
    address: Mapped[str] = mapped_column(String(300), default="")
    place_name: Mapped[str] = mapped_column(String(100), default="")  # for "Quy Nhơn, ngày ..."
    code: Mapped[str | None] = mapped_column(String(50), nullable=True)  # server code
    secretary_name: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

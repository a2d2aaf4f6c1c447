"""Tổng quan: the active breakdown, and beside it who left the branch this month
("Chuyển đi trong tháng: 1"), only for the statuses with someone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.services import members
from ui.overview.section import OverviewSection
from ui.widgets.section import AppContext

TODAY = dt.date.today()


def _member(ctx: AppContext, name: str, **extra: Any) -> None:
    members.create(
        ctx.book,
        data=members.MemberInput(
            full_name=name,
            birth_date=dt.date(1960, 3, 2),
            admission_date=dt.date(1990, 11, 7),
            official_date=dt.date(1991, 11, 7),
            **extra,
        ),
    )


def test_overview_tells_who_left_this_month_apart(qtbot: Any, ctx: AppContext) -> None:
    _member(ctx, "Trần Văn Bình", status="chinh_thuc")
    _member(ctx, "Lê Thị Hoa", status="chinh_thuc")
    section = OverviewSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    assert section.details.text().startswith("Chính thức: 2.\n")
    assert "trong tháng" not in section.details.text()

    _member(
        ctx, "Phạm Văn Nam", status="chuyen_di", left_date=TODAY, left_to="Đảng bộ xã Phước Hòa"
    )
    # Left long ago: not this month's news.
    _member(ctx, "Võ Văn Cường", status="xoa_ten", left_date=dt.date(TODAY.year - 2, 5, 4))
    section.refresh(None)
    assert section._values["members"].text() == "2"
    first_line = section.details.text().splitlines()[0]
    assert first_line == "Chính thức: 2. Chuyển đi trong tháng: 1."
    assert "Xóa tên" not in section.details.text()

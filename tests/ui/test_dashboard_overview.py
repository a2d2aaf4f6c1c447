"""Tổng quan with the dashboard: next meeting and what is missing, the attendance chart,
members needing attention, feedback waiting, changes waiting to sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.services import dashboard, meetings
from app.services import feedback as fb
from tests.app.test_feedback_kit import held_meeting, make_branch, month_before
from ui.overview.section import OverviewSection
from ui.qt import QtGui
from ui.widgets.bar_chart import BarChart
from ui.widgets.section import AppContext

TODAY = dt.date.today()


def test_dashboard_on_the_overview_page(qtbot: Any, ctx: AppContext, qtmodeltester: Any) -> None:
    branch = make_branch(ctx.book)
    for back in (2, 1):
        held_meeting(
            ctx.book,
            branch,
            at=dt.datetime.combine(month_before(TODAY, back).replace(day=8), dt.time(19, 30)),
            absent={"Võ Thị Sáu": "unexcused"} if back == 1 else None,
        )
    meeting = meetings.create(
        ctx.book,
        data=meetings.MeetingInput(
            kind="thuong_ky",
            starts_at=dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(19, 30)),
            place="Nhà văn hóa khu phố 3",
            chair_name="Trần Văn Bình",
        ),
    )
    fb.add(
        ctx.book,
        data=fb.FeedbackInput(
            member_id=branch.id("Lê Văn Tám"), kind="de_xuat", content="Sửa loa."
        ),
    )
    section = OverviewSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    # The lead's figures still work.
    assert section.heading.text() == "Chi bộ Khu phố 3"
    assert section._values["members"].text() == "8"
    # Next meeting and what is missing.
    assert "Nhà văn hóa khu phố 3" in section.meeting_label.text()
    assert "Chưa in giấy mời họp" in section.missing_label.text()
    assert "Chưa có chương trình họp" not in section.missing_label.text()
    dashboard.record_paper_printed(ctx.book, meeting_id=meeting.id)
    section.refresh(None)
    assert "Chưa in giấy mời họp" not in section.missing_label.text()
    # The chart: one bar per month, the two months held, the target line.
    values = dict(section.chart.values())
    assert len(values) == 12
    assert values[f"{month_before(TODAY, 2).month}/{month_before(TODAY, 2).year % 100:02d}"] == 100
    assert values[f"{month_before(TODAY).month}/{month_before(TODAY).year % 100:02d}"] == (
        pytest.approx(100 * 6 / 7)
    )
    assert section.chart.target == 85
    # Members needing attention.
    qtmodeltester.check(section.attention_model)
    rows = [
        tuple(section.attention_model.data(section.attention_model.index(r, c)) for c in (0, 1))
        for r in range(section.attention_model.rowCount())
    ]
    assert ("Đặng Văn Đức", "Hết thời gian dự bị") in rows
    assert ("Lê Văn Tám", "Chưa có tài khoản Sổ tay điện tử") in rows
    assert "Hết thời gian dự bị: 1; Chưa có tài khoản Sổ tay điện tử: 4." in (
        section.attention_summary.text()
    )
    # Waiting work.
    assert "Ý kiến đảng viên chờ trả lời: 1" in section.feedback_label.text()
    assert "Sửa loa." in section.feedback_label.text()
    assert "Thay đổi chờ đồng bộ lên cấp trên:" in section.sync_label.text()
    assert "Chưa đồng bộ lần nào" in section.sync_label.text()


def test_empty_book_says_so(qtbot: Any, ctx: AppContext) -> None:
    section = OverviewSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    assert section.meeting_label.text() == "Chưa có cuộc họp nào được lên lịch."
    assert section.attention_summary.text() == "Không có đảng viên nào cần lưu ý."
    assert all(v is None for _label, v in section.chart.values())


def test_chart_grows_with_the_text(qtbot: Any) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_data([("1/26", 90.0), ("2/26", None), ("3/26", 70.0)], target=85)
    small = chart.sizeHint()
    font = QtGui.QFont(chart.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    chart.setFont(font)
    assert chart.sizeHint().height() > small.height()
    assert "2/26: không có" in chart.toolTip()
    chart.resize(600, 300)
    image = chart.grab().toImage()
    assert not image.isNull()


def test_changes_during_a_dashboard_run_ask_for_one_more_run(qtbot: Any, ctx: AppContext) -> None:
    import time

    section = OverviewSection(ctx)
    qtbot.addWidget(section)
    section.refresh(None)
    first = section.dashboard
    assert first is not None and first.feedback_waiting_total == 0
    branch = make_branch(ctx.book)
    fb.add(
        ctx.book,
        data=fb.FeedbackInput(member_id=branch.id("Lê Văn Tám"), kind="gop_y", content="Ý kiến."),
    )
    # A run is under way (as in the app, where it runs on a worker thread).
    section._dashboard_running = True
    section._dashboard_started = time.monotonic()
    section.refresh(None)
    section.refresh(None)
    assert section.dashboard is first  # not recomputed meanwhile
    section._dashboard_done(first)  # the run under way reports back...
    assert section.dashboard is not first  # ...and one more run picks up the change
    assert section.dashboard.feedback_waiting_total == 1
    assert not section._dashboard_running

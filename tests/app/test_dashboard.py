"""The home dashboard: the next meeting and what is missing, the attendance trend, members
needing attention, feedback waiting, changes waiting to sync."""

from __future__ import annotations

import datetime as dt

import pytest

from app.book import Book
from app.errors import ValidationError
from app.services import attendance, dashboard, meetings, members
from app.services import feedback as fb
from tests.app.test_feedback_kit import Branch, held_meeting, make_branch, month_before

TODAY = dt.date.today()


@pytest.fixture
def branch(book: Book) -> Branch:
    return make_branch(book)


def test_empty_book(book: Book) -> None:
    d = dashboard.dashboard(book)
    assert d.next_meeting is None
    assert len(d.trend) == dashboard.TREND_MONTHS
    assert all(p.percent is None for p in d.trend)
    assert d.attention == ()
    assert d.feedback_waiting_total == 0


def test_next_meeting_and_what_is_missing(book: Book, branch: Branch) -> None:
    at = dt.datetime.combine(TODAY + dt.timedelta(days=4), dt.time(19, 30))
    m = meetings.create(
        book,
        data=meetings.MeetingInput(kind="thuong_ky", starts_at=at, place="Nhà văn hóa", agenda=[]),
    )
    ready = dashboard.next_meeting(book)
    assert ready is not None and ready.meeting.id == m.id
    assert ready.missing == (
        "Chưa có chương trình họp",
        "Chưa phân công người chủ trì",
        "Chưa in giấy mời họp",
        "Chưa gửi kèm tài liệu họp",
    )
    assert ready.notes == ("Chưa có đảng viên nào xin vắng",)
    attendance.request_absence(
        book, meeting_id=m.id, member_id=branch.id("Phạm Thị Lan"), reason="đi khám bệnh"
    )
    dashboard.record_paper_printed(book, meeting_id=m.id, paper="invitation")
    with pytest.raises(ValidationError):
        dashboard.record_paper_printed(book, meeting_id=m.id, paper="thiep")
    ready = dashboard.next_meeting(book)
    assert ready is not None
    assert "Chưa in giấy mời họp" not in ready.missing
    assert ready.invitation_printed
    assert ready.notes == ("1 đơn xin vắng: Phạm Thị Lan (đi khám bệnh)",)
    assert ready.absence_requests == 1


def test_trend_attention_feedback_and_sync(book: Book, branch: Branch) -> None:
    # Three months in a row with an unexcused absence of Võ Thị Sáu: the xóa tên rule.
    for back in (3, 2, 1):
        day = month_before(TODAY, back).replace(day=8)
        held_meeting(
            book,
            branch,
            at=dt.datetime.combine(day, dt.time(19, 30)),
            absent={"Võ Thị Sáu": "unexcused"},
        )
    fb.add(
        book,
        data=fb.FeedbackInput(
            member_id=branch.id("Lê Văn Tám"), kind="de_xuat", content="Đề nghị sửa loa."
        ),
    )
    d = dashboard.dashboard(book)
    last = d.trend[-2]
    assert (last.month, last.meetings) == (month_before(TODAY).month, 1)
    assert last.percent == pytest.approx(100 * 6 / 7)
    assert d.trend[-1].percent is None  # nothing held this month yet
    assert d.target_percent == 85
    kinds = {(a.full_name, a.kind) for a in d.attention}
    assert ("Võ Thị Sáu", "absence") in kinds
    assert ("Đặng Văn Đức", "probation") in kinds  # admitted 400 days ago, still dự bị
    assert ("Lê Văn Tám", "no_account") in kinds
    assert ("Trần Văn Bình", "no_account") not in kinds  # approved account
    assert ("Hồ Thị Kỷ", "no_account") not in kinds  # exempt
    removal = next(a for a in d.attention if a.kind == "absence" and a.serious)
    assert "xóa tên" in removal.message
    assert d.attention[0].serious  # serious ones first
    probation = next(a for a in d.attention if a.kind == "probation")
    assert "hết 12 tháng dự bị" in probation.message
    assert d.feedback_waiting_total == 1
    assert d.feedback_waiting[0].content == "Đề nghị sửa loa."
    assert d.sync_pending > 0
    assert d.app_using == 2 and d.app_required == 7


def test_badge_due(book: Book) -> None:
    from app.services import milestones

    award = milestones.next_award_date(TODAY)
    members.create(
        book,
        data=members.MemberInput(
            full_name="Lão Thành Niên",
            birth_date=dt.date(award.year - 72, 1, 1),
            admission_date=milestones.add_years(award, -50) - dt.timedelta(days=1),
            app_account="da_duyet",
        ),
    )
    d = dashboard.dashboard(book)
    (badge,) = [a for a in d.attention if a.kind == "badge"]
    assert badge.kind_label == "Huy hiệu Đảng"
    assert "Huy hiệu 50 năm tuổi Đảng" in badge.message
    assert f"{award:%d/%m/%Y}" in badge.message

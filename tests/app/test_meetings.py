"""Meetings: calling one, its agenda, minutes, closing, amendments, documents, papers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.book import Book, open_book
from app.errors import ConflictError, ValidationError
from app.models import Meeting, OutboxEntry
from app.services import attendance, audit, meeting_papers, meetings, members
from app.services.meetings import DiscussionEntry, MeetingInput, Minutes, MinutesSection, VoteRecord
from tests.app.test_meetings_support import (
    add_document,
    days_ago,
    make_branch,
    new_meeting,
    pdf_text,
)
from tests.conftest import TEST_PASSWORD


def _count_meetings(book: Book) -> int:
    with book.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(Meeting)) or 0)


def test_new_meeting_has_the_standard_agenda_and_survives_reopening(
    book: Book, data_dir: Path
) -> None:
    m = new_meeting(book, at=dt.datetime(dt.date.today().year, 1, 5, 19, 30))
    assert m.title == f"Sinh hoạt chi bộ thường kỳ tháng 1 năm {dt.date.today().year}"
    assert m.agenda[0].startswith("Khai mạc")
    assert any("Hồ Chí Minh" in item for item in m.agenda)
    assert any("nhân dân" in item for item in m.agenda)
    assert m.state == "draft"
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        [listed] = meetings.list_meetings(again)
        assert listed.id == m.id
        assert listed.place == "Nhà văn hóa khu phố 3"
        assert listed.guest_list == ["Đồng chí Mai Văn Sơn, Đảng ủy viên phường"]
        with again.read_session() as s:
            ops = s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "meeting")).all()
        assert [o.op for o in ops] == ["upsert"]
    finally:
        again.close()


def test_thematic_meeting_needs_a_topic_and_puts_it_in_the_agenda(book: Book) -> None:
    with pytest.raises(ValidationError, match="chủ đề"):
        new_meeting(book, kind="chuyen_de")
    m = new_meeting(book, kind="chuyen_de", topic="Chuyển đổi số trong chi bộ")
    assert "Trình bày báo cáo chuyên đề: Chuyển đổi số trong chi bộ" in m.agenda


def test_edited_agenda_is_kept_as_written(book: Book) -> None:
    m = new_meeting(book)
    data = MeetingInput(
        kind=m.kind,
        starts_at=m.starts_at,
        place=m.place,
        chair_name=m.chair_name,
        secretary_name=m.secretary_name,
        agenda=["Khai mạc", "  Bầu   tổ trưởng tổ đảng  ", ""],
    )
    again = meetings.update(book, meeting_id=m.id, data=data)
    assert again.agenda == ("Khai mạc", "Bầu tổ trưởng tổ đảng")


@pytest.mark.parametrize("year_offset", [30, -40])
def test_a_meeting_dated_decades_away_is_refused_and_nothing_stored(
    book: Book, year_offset: int
) -> None:
    year = dt.date.today().year + year_offset
    with pytest.raises(ValidationError, match=f"{year}.*gõ nhầm") as info:
        new_meeting(book, at=dt.datetime(year, 3, 1, 19, 30))
    assert info.value.field == "starts_at"
    assert _count_meetings(book) == 0


def test_two_meetings_at_the_same_time_are_refused(book: Book) -> None:
    first = new_meeting(book, at=days_ago(10))
    with pytest.raises(ConflictError, match="cùng lúc"):
        new_meeting(book, at=days_ago(10), kind="chi_uy")
    # An hour earlier the same evening is fine (chi ủy before chi bộ).
    new_meeting(book, at=days_ago(10, hour=18, minute=30), kind="chi_uy")
    assert _count_meetings(book) == 2
    assert meetings.get(book, meeting_id=first.id).starts_at == days_ago(10)


def _at(text: str) -> dt.datetime:
    """“05/12 18:00” in December of next year (always within the accepted range)."""
    day, clock = text.split()
    return dt.datetime.strptime(f"{day}/{dt.date.today().year + 1} {clock}", "%d/%m/%Y %H:%M")


def _create(
    book: Book, kind: str, at: str, place: str = "Nhà văn hóa khu phố 3", end: str | None = None
) -> meetings.MeetingView:
    return meetings.create(
        book,
        data=MeetingInput(
            kind=kind, starts_at=_at(at), place=place, ends_at=_at(end) if end else None
        ),
    )


def test_overlapping_meetings_are_refused_naming_the_other(book: Book) -> None:
    year = dt.date.today().year + 1
    _create(book, "thuong_ky", "05/12 18:00")
    # A minute later at another place: the first meeting has no recorded end, so it is taken
    # to last two hours.
    with pytest.raises(ConflictError) as info:
        _create(book, "chi_uy", "05/12 18:01", place="Nhà bí thư")
    assert info.value.message == (
        f"Trùng giờ với cuộc họp “Sinh hoạt chi bộ thường kỳ tháng 12 năm {year}” từ 18:00 "
        f"đến 20:00 ngày 05/12/{year} tại Nhà văn hóa khu phố 3 (cuộc họp chưa ghi giờ kết "
        "thúc được tính là kéo dài 2 giờ). Hai cuộc họp không thể diễn ra cùng lúc; vui lòng "
        "chọn giờ khác."
    )
    with pytest.raises(ConflictError, match=r"Trùng giờ .* từ 18:00 đến 20:00"):
        _create(book, "bat_thuong", "05/12 19:59")
    # Late the same evening there is no clash, but it would be a second regular meeting.
    with pytest.raises(ConflictError) as info:
        _create(book, "thuong_ky", "05/12 23:59")
    assert info.value.message.startswith(
        f"Tháng 12/{year} đã có cuộc sinh hoạt chi bộ thường kỳ lúc 18:00 ngày 05/12/{year} "
        "tại Nhà văn hóa khu phố 3. Mỗi tháng chi bộ sinh hoạt thường kỳ một lần"
    )
    assert "“Họp bất thường”" in info.value.message
    assert _count_meetings(book) == 1
    # An extra meeting the same month is a bất thường one, after the first has ended.
    _create(book, "bat_thuong", "05/12 20:00")
    assert _count_meetings(book) == 2


def test_chi_uy_may_meet_right_before_the_branch_meeting(book: Book) -> None:
    # Made first or second, a chi ủy meeting with no recorded end ends when the chi bộ
    # meeting begins.
    _create(book, "chi_uy", "05/12 17:00")
    _create(book, "thuong_ky", "05/12 18:00")
    _create(book, "chi_uy", "12/12 16:30")
    _create(book, "bat_thuong", "12/12 17:30")
    _create(book, "bat_thuong", "19/12 18:00")
    # ... but not one that runs into it, nor one that starts after it.
    with pytest.raises(ConflictError, match="từ 18:00 đến 20:00 ngày 05/12"):
        _create(book, "chi_uy", "05/12 19:00")
    with pytest.raises(ConflictError, match=r"“Họp bất thường tháng 12 năm .*” từ 18:00 đến 20:00"):
        _create(book, "chi_uy", "19/12 17:00", end="19/12 18:30")
    assert _count_meetings(book) == 5


def test_a_recorded_end_replaces_the_assumed_two_hours(book: Book) -> None:
    _create(book, "thuong_ky", "05/12 18:00", end="05/12 18:45")
    _create(book, "bat_thuong", "05/12 19:00")
    with pytest.raises(ConflictError, match=r"từ 19:00 đến 21:00 .*kéo dài 2 giờ"):
        _create(book, "chi_uy", "05/12 18:50", end="05/12 19:30")
    assert _count_meetings(book) == 2


def test_one_regular_meeting_a_month_when_moving_one_too(book: Book) -> None:
    first = _create(book, "thuong_ky", "05/12 18:00")
    november = _create(book, "thuong_ky", "05/11 18:00")
    # Moving a meeting within its own month is fine; into a month that has one is not.
    moved = meetings.update(
        book,
        meeting_id=first.id,
        data=MeetingInput(kind="thuong_ky", starts_at=_at("06/12 19:30"), place=first.place),
    )
    assert moved.starts_at == _at("06/12 19:30")
    with pytest.raises(ConflictError, match="đã có cuộc sinh hoạt chi bộ thường kỳ"):
        meetings.update(
            book,
            meeting_id=november.id,
            data=MeetingInput(kind="thuong_ky", starts_at=_at("20/12 19:30"), place="X"),
        )
    assert meetings.get(book, meeting_id=november.id).starts_at == _at("05/11 18:00")
    # A meeting removed as made by mistake no longer counts.
    meetings.delete(book, meeting_id=november.id, reason="Tạo nhầm")
    _create(book, "thuong_ky", "20/11 19:30")


def test_meetings_kept_before_the_rules_can_still_be_corrected(book: Book) -> None:
    first = _create(book, "thuong_ky", "05/12 18:00")
    # A second regular meeting the same evening, as a book kept before these checks has it.
    with book.session() as s:
        row = Meeting(kind="thuong_ky", starts_at=_at("05/12 18:30"), place="Nhà bí thư")
        row.agenda_json, row.minutes_json, row.state, row.version = "[]", "{}", "draft", 1
        s.add(row)
        s.flush()
        old_id = row.id
    fixed = meetings.update(
        book,
        meeting_id=old_id,
        data=MeetingInput(kind="thuong_ky", starts_at=_at("05/12 18:30"), place="Nhà văn hóa"),
    )
    assert fixed.place == "Nhà văn hóa"
    with pytest.raises(ConflictError, match="Trùng giờ"):
        meetings.update(
            book,
            meeting_id=old_id,
            data=MeetingInput(kind="thuong_ky", starts_at=_at("05/12 18:45"), place="X"),
        )
    assert meetings.get(book, meeting_id=first.id).place == "Nhà văn hóa khu phố 3"


def _roll_call_all(
    book: Book, meeting_id: str, branch: object, absent: dict[str, tuple[str, str]]
) -> None:
    from tests.app.test_meetings_support import Branch

    assert isinstance(branch, Branch)
    for name, (status, reason) in absent.items():
        attendance.mark(
            book, meeting_id=meeting_id, member_id=branch.id(name), status=status, reason=reason
        )
    attendance.mark_remaining_present(book, meeting_id=meeting_id)


def test_votes_are_checked_against_official_members_present(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    _roll_call_all(book, m.id, branch, {"Võ Thị Sáu": ("unexcused", "")})
    # Official present: Bình, Hòa, Tám, Lan = 4 (Đức is dự bị, Châu attached temporarily).
    too_many = Minutes(votes=(VoteRecord("Thông qua nghị quyết tháng", 5, 0, 0),))
    with pytest.raises(ValidationError, match=r"nhiều hơn số đảng viên chính thức có mặt.*\(4\)"):
        meetings.save_minutes(book, meeting_id=m.id, minutes=too_many)
    assert meetings.get_minutes(book, meeting_id=m.id).votes == ()
    ok = Minutes(votes=(VoteRecord("Thông qua nghị quyết tháng", 3, 1, 0),))
    saved = meetings.save_minutes(book, meeting_id=m.id, minutes=ok)
    assert saved.votes == (VoteRecord("Thông qua nghị quyết tháng", 3, 1, 0),)


def _full_minutes(m: meetings.MeetingView) -> Minutes:
    return Minutes(
        number="05-BB/CB",
        sections=(
            MinutesSection(
                title=m.agenda[1],
                content="Phổ biến Nghị quyết 57-NQ/TW.",
                discussion=(DiscussionEntry("Lê Văn Tám", "Đề nghị học tập vào buổi sáng."),),
                conclusion="Học tập vào sáng Chủ nhật.",
            ),
        ),
        conclusion="Chi bộ thống nhất các nội dung.",
        votes=(VoteRecord("Thông qua nghị quyết tháng", 4, 0, 0),),
        ends_at=m.starts_at + dt.timedelta(hours=2),
    )


def test_closing_needs_everyone_marked_then_freezes_the_roster(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.mark(book, meeting_id=m.id, member_id=branch.id("Trần Văn Bình"), status="present")
    meetings.save_minutes(
        book, meeting_id=m.id, minutes=Minutes(ends_at=m.starts_at + dt.timedelta(hours=2))
    )
    with pytest.raises(ValidationError, match="chưa điểm danh"):
        meetings.close(book, meeting_id=m.id)
    assert meetings.get(book, meeting_id=m.id).state == "open"
    _roll_call_all(book, m.id, branch, {"Võ Thị Sáu": ("excused", "Ốm, nằm viện")})
    meetings.save_minutes(book, meeting_id=m.id, minutes=_full_minutes(m))
    closed = meetings.close(book, meeting_id=m.id)
    assert closed.state == "closed" and closed.closed_at is not None

    # A member moving away later does not change what was recorded.
    lan = branch.by_name["Phạm Thị Lan"]
    data = lan.to_input()
    data.status = "chuyen_di"
    members.update(book, member_id=lan.id, data=data)
    call = attendance.roll_call(book, meeting_id=m.id)
    row = call.row(lan.id)
    assert row is not None and row.member_status == "chinh_thuc" and row.status == "present"
    assert call.figures.absent_excused == 1


def test_closing_needs_chair_and_secretary(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book, chair="", secretary="")
    _roll_call_all(book, m.id, branch, {})
    with pytest.raises(ValidationError, match="chủ trì và thư ký"):
        meetings.close(book, meeting_id=m.id, ends_at=m.starts_at + dt.timedelta(hours=1))


def test_a_closed_meeting_changes_only_by_amendment_with_a_reason(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    _roll_call_all(book, m.id, branch, {})
    meetings.save_minutes(book, meeting_id=m.id, minutes=_full_minutes(m))
    meetings.close(book, meeting_id=m.id)

    changed = Minutes(
        number="05-BB/CB",
        sections=_full_minutes(m).sections,
        conclusion="Chi bộ thống nhất; giao chi ủy hoàn thiện nghị quyết.",
        votes=_full_minutes(m).votes,
        ends_at=m.starts_at + dt.timedelta(hours=2),
    )
    with pytest.raises(ValidationError, match="lý do đính chính"):
        meetings.save_minutes(book, meeting_id=m.id, minutes=changed)
    assert (
        meetings.get_minutes(book, meeting_id=m.id).conclusion == "Chi bộ thống nhất các nội dung."
    )

    meetings.save_minutes(
        book, meeting_id=m.id, minutes=changed, reason="Bổ sung kết luận theo ý kiến chi ủy"
    )
    assert meetings.get_minutes(book, meeting_id=m.id).conclusion.startswith(
        "Chi bộ thống nhất; giao"
    )
    [entry] = [
        e for e in audit.history(book, entity="meeting", entity_id=m.id) if e.action == "amend"
    ]
    assert entry.reason == "Bổ sung kết luận theo ý kiến chi ủy"
    assert entry.changes["conclusion"] == [
        "Chi bộ thống nhất các nội dung.",
        "Chi bộ thống nhất; giao chi ủy hoàn thiện nghị quyết.",
    ]

    data = MeetingInput(
        kind=m.kind, starts_at=m.starts_at, place="Hội trường UBND phường",
        chair_name=m.chair_name, secretary_name=m.secretary_name, agenda=list(m.agenda),
        ends_at=m.starts_at + dt.timedelta(hours=2),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="lý do đính chính"):
        meetings.update(book, meeting_id=m.id, data=data)
    meetings.update(book, meeting_id=m.id, data=data, reason="Ghi nhầm địa điểm")
    assert meetings.get(book, meeting_id=m.id).place == "Hội trường UBND phường"

    with pytest.raises(ConflictError, match="không xóa được"):
        meetings.delete(book, meeting_id=m.id)

    text = " ".join(pdf_text(_minutes_pdf(book, m.id)))
    assert "Ghi nhầm địa điểm" in text
    assert "Bổ sung kết luận theo ý kiến chi ủy" in text


def _minutes_pdf(book: Book, meeting_id: str) -> bytes:
    from reports.printing import meeting_pdf

    return meeting_pdf(book, meeting_id=meeting_id, kind="minutes")


def test_minutes_pdf_holds_the_attendance_absentees_and_votes(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.request_absence(
        book,
        meeting_id=m.id,
        member_id=branch.id("Võ Thị Sáu"),
        reason="Ốm, nằm viện",
        channel="dien_thoai",
    )
    _roll_call_all(
        book,
        m.id,
        branch,
        {
            "Võ Thị Sáu": ("excused", ""),
            "Phạm Thị Lan": ("unexcused", ""),
            "Lê Văn Tám": ("late", ""),
        },
    )
    meetings.save_minutes(
        book,
        meeting_id=m.id,
        minutes=Minutes(
            number="05-BB/CB",
            sections=_full_minutes(m).sections,
            conclusion="Chi bộ thống nhất các nội dung.",
            votes=(VoteRecord("Thông qua nghị quyết tháng", 3, 0, 0),),
            ends_at=m.starts_at + dt.timedelta(hours=1, minutes=45),
        ),
    )
    meetings.close(book, meeting_id=m.id)
    pages = pdf_text(_minutes_pdf(book, m.id))
    text = " ".join(pages)
    assert "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ" in text
    assert "Số 05-BB/CB" in text
    # 8 on the roster (the one who moved away is not): official 6 incl. the exempted one.
    assert (
        "Tổng số đảng viên của chi bộ: 8 đồng chí (chính thức: 6; dự bị: 1; sinh hoạt tạm thời: 1)"
        in text
    )
    assert "Có mặt: 5/7 đồng chí" in text
    assert "đến muộn: 1 đồng chí" in text
    assert "Đồng chí Võ Thị Sáu: Ốm, nằm viện" in text
    assert "Vắng mặt không có lý do: 1 đồng chí (đồng chí Phạm Thị Lan)" in text
    assert "Đồng chí Lê Văn Tám: Đề nghị học tập vào buổi sáng." in text
    assert "Tán thành: 3/4 đồng chí" in text  # 4 official members counted (Sáu excused)
    assert "21 giờ 15 phút" in text
    assert "THƯ KÝ" in text and "CHỦ TRÌ" in text
    assert "Nguyễn Thị Hòa" in pages[-1] and "Trần Văn Bình" in pages[-1]
    paper = meeting_papers.minutes_paper(book, meeting_id=m.id)
    assert paper.chair_role == "Bí thư chi bộ" and paper.adopted


def test_invitation_lists_time_place_agenda_documents_and_how_to_ask_leave(book: Book) -> None:
    make_branch(book)
    m = new_meeting(
        book, at=dt.datetime.combine(dt.date.today() + dt.timedelta(days=7), dt.time(19, 30))
    )
    doc_id = add_document(
        book, number="57-NQ/TW", title="Nghị quyết về đột phá phát triển khoa học, công nghệ"
    )
    meetings.attach_document(book, meeting_id=m.id, document_id=doc_id)
    meetings.attach_document(book, meeting_id=m.id, document_id=doc_id)  # twice: still once
    assert [d.number for d in meetings.documents(book, meeting_id=m.id)] == ["57-NQ/TW"]
    from reports.printing import meeting_pdf

    text = " ".join(pdf_text(meeting_pdf(book, meeting_id=m.id, kind="invitation")))
    assert "THÔNG BÁO MỜI HỌP" in text
    assert "19 giờ 30 phút" in text
    assert "Nhà văn hóa khu phố 3" in text
    assert "Học tập và làm theo tư tưởng" in text
    # Issue 13: cited "Nghị quyết số 57-NQ/TW …", not "Số 57-NQ/TW: Nghị quyết …".
    assert (
        "Nghị quyết số 57-NQ/TW của Ban Chấp hành Trung ương về đột phá phát triển khoa học, "
        "công nghệ" in text
    )
    assert "xin phép" in text and "0905123456" in text

    meetings.detach_document(book, meeting_id=m.id, document_id=doc_id)
    assert meetings.documents(book, meeting_id=m.id) == []
    meetings.attach_document(book, meeting_id=m.id, document_id=doc_id)
    assert len(meetings.documents(book, meeting_id=m.id)) == 1


def test_signin_sheet_lists_the_roster_with_requests(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.request_absence(
        book,
        meeting_id=m.id,
        member_id=branch.id("Lê Văn Tám"),
        reason="Đi công tác",
        channel="tin_nhan",
    )
    from reports.printing import meeting_pdf

    text = " ".join(pdf_text(meeting_pdf(book, meeting_id=m.id, kind="signin")))
    assert "DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT" in text
    for name in ("Trần Văn Bình", "Hồ Thị Kỷ", "Ngô Bảo Châu", "Đặng Văn Đức"):
        assert name in text
    assert "Bùi Thị Xuân" not in text  # moved away
    assert "Đi công tác" in text
    assert "1950" in text


def test_chi_uy_meeting_roster_is_the_committee(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book, kind="chi_uy")
    call = attendance.roll_call(book, meeting_id=m.id)
    assert {r.full_name for r in call.rows} == {"Trần Văn Bình", "Nguyễn Thị Hòa", "Lê Văn Tám"}
    with pytest.raises(ValidationError, match="không phải chi ủy viên"):
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id("Phạm Thị Lan"), status="present"
        )


def test_meeting_list_json_shape_from_summaries(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.mark(book, meeting_id=m.id, member_id=branch.id("Trần Văn Bình"), status="present")
    [item] = meetings.summaries(book)
    assert (item.present, item.expected, item.marked) == (1, 7, 1)
    assert json.loads(json.dumps(item.meeting.to_json()))["kind"] == "thuong_ky"

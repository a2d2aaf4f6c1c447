"""The roll call: durable append-only marks, who may be marked, quorum and voting rules."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.book import Book, open_book
from app.errors import ValidationError
from app.models import AttendanceEvent, OutboxEntry
from app.services import attendance, audit, meetings, voting_rules
from app.services.attendance import MarkInput
from app.services.meetings import Minutes
from app.services.voting_rules import Participant, RuleConfig
from tests.app.test_meetings_support import make_branch, new_meeting
from tests.conftest import TEST_PASSWORD


def _events(book: Book) -> int:
    with book.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(AttendanceEvent)) or 0)


def test_each_mark_is_durable_appended_and_the_latest_wins(book: Book, data_dir: Path) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    binh = branch.id("Trần Văn Bình")
    attendance.mark(book, meeting_id=m.id, member_id=binh, status="unexcused")
    attendance.mark(book, meeting_id=m.id, member_id=binh, status="late", reason="Đến muộn 10 phút")
    # Closing the book without any tidy-up, then reopening: the marks are there.
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        row = attendance.roll_call(again, meeting_id=m.id).row(binh)
        assert row is not None
        assert (row.status, row.reason, row.status_label) == (
            "late",
            "Đến muộn 10 phút",
            "Đến muộn",
        )
        assert meetings.get(again, meeting_id=m.id).state == "open"
        with again.read_session() as s:
            ops = s.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.entity == "attendance_event")
                .order_by(OutboxEntry.seq)
            ).all()
        assert [o.op for o in ops] == ["append", "append"]
        fields = [json.loads(o.fields_json) for o in ops]
        assert [f["status"] for f in fields] == ["unexcused", "late"]
        assert fields[1]["seq"] > fields[0]["seq"]
        assert {f["member_id"] for f in fields} == {binh}
        # Each outbox entry names its event, so the server can store and replay it.
        event_ids = [o.entity_id for o in ops]
        assert all(event_ids) and [f["id"] for f in fields] == event_ids
        with again.read_session() as s:
            stored = set(s.scalars(select(AttendanceEvent.id)))
        assert set(event_ids) == stored
    finally:
        again.close()


def test_a_member_not_in_the_branch_cannot_be_marked_and_nothing_is_written(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    with pytest.raises(ValidationError, match=r"Bùi Thị Xuân.*không thuộc danh sách.*Chuyển đi"):
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id("Bùi Thị Xuân"), status="present"
        )
    with pytest.raises(ValidationError, match="không có trong danh sách chi bộ"):
        attendance.mark(book, meeting_id=m.id, member_id="khong-co-ai", status="present")
    with pytest.raises(ValidationError, match="Trạng thái điểm danh không hợp lệ"):
        attendance.mark(book, meeting_id=m.id, member_id=branch.id("Trần Văn Bình"), status="ngu")
    assert _events(book) == 0
    assert meetings.get(book, meeting_id=m.id).state == "draft"


def test_absence_request_prefills_the_reason(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    sau = branch.id("Võ Thị Sáu")
    req = attendance.request_absence(
        book, meeting_id=m.id, member_id=sau, reason="Ốm, nằm viện", channel="dien_thoai"
    )
    assert req.channel_label == "Điện thoại"
    row = attendance.roll_call(book, meeting_id=m.id).row(sau)
    assert row is not None and row.status is None
    assert (row.request_reason, row.request_channel) == ("Ốm, nằm viện", "dien_thoai")
    mark = attendance.mark(book, meeting_id=m.id, member_id=sau, status="excused")
    assert mark.reason == "Ốm, nằm viện"
    with pytest.raises(ValidationError, match="lý do"):
        attendance.request_absence(
            book, meeting_id=m.id, member_id=sau, reason=" ", channel="tin_nhan"
        )
    with pytest.raises(ValidationError, match="Hình thức"):
        attendance.request_absence(
            book, meeting_id=m.id, member_id=sau, reason="Bận", channel="bo_cau"
        )
    [listed] = attendance.list_requests(book, meeting_id=m.id)
    assert listed.member_name == "Võ Thị Sáu"
    attendance.withdraw_request(book, request_id=listed.id)
    assert attendance.list_requests(book, meeting_id=m.id) == []


def test_mark_everyone_else_present_skips_the_marked_and_the_exempted(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.mark(book, meeting_id=m.id, member_id=branch.id("Phạm Thị Lan"), status="unexcused")
    n = attendance.mark_remaining_present(book, meeting_id=m.id)
    assert n == 6  # 8 on the roster, less Lan, less the exempted Hồ Thị Kỷ
    call = attendance.roll_call(book, meeting_id=m.id)
    by_name = {r.full_name: r.status for r in call.rows}
    assert by_name["Phạm Thị Lan"] == "unexcused"
    assert by_name["Hồ Thị Kỷ"] is None
    assert "Bùi Thị Xuân" not in by_name
    f = call.figures
    assert (f.total, f.expected, f.present, f.absent_unexcused, f.exempted, f.unmarked) == (
        8,
        7,
        6,
        1,
        1,
        0,
    )
    assert attendance.mark_remaining_present(book, meeting_id=m.id) == 0


def test_quorum_more_than_half_of_counted_official_members(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    # Official: Bình, Hòa, Tám, Lan, Sáu (5). Present: Bình, Hòa + the dự bị and the temporary.
    for name in ("Trần Văn Bình", "Nguyễn Thị Hòa", "Đặng Văn Đức", "Ngô Bảo Châu"):
        attendance.mark(book, meeting_id=m.id, member_id=branch.id(name), status="present")
    f = attendance.roll_call(book, meeting_id=m.id).figures
    assert (f.counted_official, f.voting_present, f.needed, f.can_adopt) == (5, 2, 3, False)
    # Two official members excused: by default (DOMAIN.md) they leave the count → 2 of 3.
    for name in ("Lê Văn Tám", "Phạm Thị Lan"):
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id(name), status="excused", reason="Đi công tác"
        )
    f = attendance.roll_call(book, meeting_id=m.id).figures
    assert (f.counted_official, f.voting_present, f.can_adopt) == (3, 2, True)


def test_uncertain_rules_are_configurable_and_kept_in_the_book(book: Book, data_dir: Path) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    for name in ("Trần Văn Bình", "Nguyễn Thị Hòa"):
        attendance.mark(book, meeting_id=m.id, member_id=branch.id(name), status="present")
    for name in ("Lê Văn Tám", "Phạm Thị Lan"):
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id(name), status="excused", reason="Ốm"
        )
    assert attendance.roll_call(book, meeting_id=m.id).figures.can_adopt
    voting_rules.set_rules(
        book,
        config=replace(RuleConfig(), subtract_excused=False),
        reason="Theo hướng dẫn của đảng ủy",
    )
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        assert voting_rules.get_rules(again).subtract_excused is False
        f = attendance.roll_call(again, meeting_id=m.id).figures
        assert (f.counted_official, f.voting_present, f.can_adopt) == (5, 2, False)
        [entry] = audit.history(again, entity="settings")
        assert entry.reason == "Theo hướng dẫn của đảng ủy"
    finally:
        again.close()
    with pytest.raises(ValidationError, match="100%"):
        voting_rules.validate_rules(replace(RuleConfig(), attendance_target_percent=120))


def test_rules_figures_exempt_and_temporary_members() -> None:
    people = [
        Participant(voting_rules.OFFICIAL, "present"),
        Participant(voting_rules.OFFICIAL, "unexcused"),
        Participant(voting_rules.EXEMPT, "present"),
        Participant(voting_rules.EXEMPT, None),
        Participant(voting_rules.TEMPORARY, "present"),
        Participant(voting_rules.PROBATIONARY, "late"),
    ]
    f = voting_rules.figures(people, RuleConfig())
    assert (f.total, f.expected, f.present, f.late, f.exempt_present) == (6, 4, 3, 1, 1)
    # Official 1 present + 1 absent, the exempted member who came counts and votes.
    assert (f.counted_official, f.voting_present, f.can_adopt) == (3, 2, True)
    g = voting_rules.figures(people, RuleConfig(exempt_present_votes=False, temporary_votes=True))
    assert (g.counted_official, g.voting_present) == (3, 2)
    check = voting_rules.check_vote(f, in_favour=2, against=0, abstain=0)
    assert check.adopted and check.eligible == 3
    with pytest.raises(ValidationError, match="dự bị không biểu quyết"):
        voting_rules.check_vote(f, in_favour=2, against=1, abstain=0)


def test_paper_sheet_entered_afterwards_all_or_nothing(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    good = [
        MarkInput(branch.id("Trần Văn Bình"), "present"),
        MarkInput(branch.id("Võ Thị Sáu"), "excused", "Ốm"),
    ]
    with pytest.raises(ValidationError, match="Bùi Thị Xuân"):
        attendance.mark_many(
            book, meeting_id=m.id, marks=[*good, MarkInput(branch.id("Bùi Thị Xuân"), "present")]
        )
    assert _events(book) == 0
    assert attendance.mark_many(book, meeting_id=m.id, marks=good) == 2
    assert (
        attendance.mark_many(book, meeting_id=m.id, marks=good) == 0
    )  # same marks again: nothing new
    assert _events(book) == 2


def test_marks_after_closing_are_amendments_with_a_reason(book: Book) -> None:
    branch = make_branch(book)
    m = new_meeting(book)
    attendance.mark(book, meeting_id=m.id, member_id=branch.id("Phạm Thị Lan"), status="unexcused")
    attendance.mark_remaining_present(book, meeting_id=m.id)
    meetings.save_minutes(
        book, meeting_id=m.id, minutes=Minutes(ends_at=m.starts_at + dt.timedelta(hours=2))
    )
    meetings.close(book, meeting_id=m.id)
    lan = branch.id("Phạm Thị Lan")
    with pytest.raises(ValidationError, match="lý do đính chính"):
        attendance.mark(book, meeting_id=m.id, member_id=lan, status="excused", reason="Ốm")
    with pytest.raises(ValidationError, match="hàng loạt"):
        attendance.mark_remaining_present(book, meeting_id=m.id)
    row = attendance.roll_call(book, meeting_id=m.id).row(lan)
    assert row is not None and row.status == "unexcused"
    attendance.mark(
        book, meeting_id=m.id, member_id=lan, status="excused", reason="Ốm",
        amend_reason="Đồng chí Lan đã báo ốm qua tổ trưởng, thư ký ghi sót",
    )  # fmt: skip
    row = attendance.roll_call(book, meeting_id=m.id).row(lan)
    assert row is not None and row.status == "excused"
    [entry] = [e for e in audit.history(book, entity="attendance_event") if e.action == "amend"]
    assert entry.reason.startswith("Đồng chí Lan đã báo ốm")
    assert entry.changes["status"] == ["unexcused", "excused"]

"""A member who leaves the branch (chuyển đi, từ trần, xóa tên): the date and destination the
form asks, the dues owed through that month, the Tổng quan breakdown of active members."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import inspect

from app.book import Book
from app.models import Member
from app.services import dues, members, overview
from app.services.members import MemberInput
from app.vocab import MemberStatus
from tests.app.dues_kit import DuesBranch, make_dues_branch

TODAY = dt.date.today()


def _messages(book: Book, data: MemberInput) -> dict[str, str]:
    return {i.field: i.message for i in members.validate(book, data=data) if i.is_error}


def test_leaving_asks_the_date_and_for_a_transfer_where_to(book: Book) -> None:
    luc = members.create(
        book, data=MemberInput(full_name="Ngô Văn Lực", admission_date=dt.date(1993, 3, 12))
    )
    data = dataclasses.replace(luc.to_input(), status=MemberStatus.TRANSFERRED)
    assert _messages(book, data) == {
        "left_date": "Vui lòng ghi ngày chuyển đi.",
        "left_to": "Vui lòng ghi nơi chuyển đến (chi bộ, đảng bộ nhận sinh hoạt).",
    }
    removed = dataclasses.replace(data, status=MemberStatus.REMOVED, left_to="")
    assert _messages(book, removed) == {"left_date": "Vui lòng ghi ngày xóa tên."}
    died = dataclasses.replace(data, status=MemberStatus.DECEASED, left_to="")
    assert _messages(book, died) == {"death_date": "Vui lòng ghi ngày từ trần."}

    future = dataclasses.replace(
        data, left_date=TODAY + dt.timedelta(days=3), left_to="Chi bộ Khu phố 5"
    )
    assert _messages(book, future) == {"left_date": "Ngày chuyển đi ở trong tương lai."}
    early = dataclasses.replace(future, left_date=dt.date(1990, 1, 1))
    assert _messages(book, early) == {"left_date": "Ngày chuyển đi phải sau ngày vào Đảng."}

    done = dataclasses.replace(
        future,
        left_date=dt.date(2026, 3, 15),
        left_to="  Chi bộ Khu phố 5,  Đảng bộ phường Nhơn Bình ",
    )
    assert _messages(book, done) == {}
    saved = members.update(book, member_id=luc.id, data=done, expected_version=luc.version)
    assert (saved.status, saved.left_date, saved.left_to) == (
        "chuyen_di",
        dt.date(2026, 3, 15),
        "Chi bộ Khu phố 5, Đảng bộ phường Nhơn Bình",
    )
    active = members.list_members(book, status=members.ACTIVE_STATUSES)
    assert luc.id not in {m.id for m in active}  # off the active list
    assert [m.id for m in members.list_members(book, status="chuyen_di")] == [luc.id]
    assert members.leaving_notice("chinh_thuc", saved) == (
        "Đồng chí Ngô Văn Lực đã chuyển khỏi danh sách đang sinh hoạt; "
        "xem lại ở bộ lọc “Chuyển đi”."
    )
    assert members.leaving_notice("chuyen_di", saved) is None  # already off the list
    assert members.leaving_notice(None, members.get(book, member_id=luc.id)) is not None
    # The history names what changed, in words.
    assert members.FIELD_LABELS["left_to"] == "Nơi chuyển đến"


def test_the_new_columns_are_synced_fields(book: Book) -> None:
    luc = members.create(
        book,
        data=MemberInput(
            full_name="Ngô Văn Lực",
            status=MemberStatus.TRANSFERRED,
            left_date=dt.date(2026, 3, 15),
            left_to="Chi bộ Khu phố 5",
        ),
    )
    with book.read_session() as s:
        row = s.get(Member, luc.id)
        assert row is not None
        sent = row.sync_fields()
        columns = {c["name"] for c in inspect(s.get_bind()).get_columns("member")}
    assert sent["left_date"] == "2026-03-15" and sent["left_to"] == "Chi bộ Khu phố 5"
    assert {"left_date", "left_to"} <= columns  # made by the migration, not create_all


def test_dues_are_owed_through_the_month_of_leaving(book: Book) -> None:
    branch: DuesBranch = make_dues_branch(book)
    an_id = branch.ids["Nguyễn Văn An"]
    an = members.get(book, member_id=an_id)
    assert dues.month_sheet(book, month="2026-11").row(an_id) is not None
    members.update(
        book,
        member_id=an_id,
        data=dataclasses.replace(
            an.to_input(),
            status=MemberStatus.TRANSFERRED,
            left_date=dt.date(2026, 5, 20),
            left_to="Chi bộ Khu phố 1",
        ),
    )
    # Recorded today, but he left on 20/05: May is still owed, June is not.
    assert dues.month_sheet(book, month="2026-05").row(an_id) is not None
    assert dues.month_sheet(book, month="2026-06").row(an_id) is None
    assert dues.month_sheet(book, month="2026-11").row(an_id) is None


def test_overview_breakdown_lists_active_members_only(book: Book) -> None:
    for name, status in (
        ("Trần Văn Một", MemberStatus.OFFICIAL),
        ("Trần Văn Hai", MemberStatus.OFFICIAL),
        ("Lê Thị Ba", MemberStatus.PROBATIONARY),
    ):
        members.create(book, data=MemberInput(full_name=name, status=status))
    members.create(
        book,
        data=MemberInput(
            full_name="Ngô Văn Lực",
            status=MemberStatus.TRANSFERRED,
            left_date=TODAY.replace(day=1),
            left_to="Chi bộ Khu phố 5",
        ),
    )
    members.create(
        book,
        data=MemberInput(
            full_name="Võ Văn Xưa",
            status=MemberStatus.TRANSFERRED,
            left_date=dt.date(2020, 1, 1),
            left_to="Chi bộ Khu phố 1",
        ),
    )
    figures = overview.overview(book, today=TODAY)
    assert figures.members_total == 3
    assert figures.members_by_status == {"chinh_thuc": 2, "du_bi": 1}
    assert sum(figures.members_by_status.values()) == figures.members_total
    assert figures.left_this_month == {"chuyen_di": 1}

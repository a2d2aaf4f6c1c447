"""Support sessions for elderly members and the onboarding board for the central app."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.errors import ValidationError
from app.services import audit, members, support
from app.services import feedback as fb
from tests.app.test_feedback_kit import Branch, fields_of, make_branch, outbox
from tests.conftest import TEST_PASSWORD

TODAY = dt.date.today()


@pytest.fixture
def branch(book: Book) -> Branch:
    return make_branch(book)


def _session(branch: Branch, **kw: object) -> support.SessionInput:
    return support.SessionInput(
        held_on=kw.get("held_on", TODAY - dt.timedelta(days=1)),  # type: ignore[arg-type]
        place="Nhà văn hóa khu phố 3",
        helpers="Nguyễn Thị Hòa\n  Đoàn viên Lê Minh  ",
        attendees=kw.get(  # type: ignore[arg-type]
            "attendees",
            (
                support.HelpInput(
                    member_id=branch.id("Lê Văn Tám"),
                    actions=("cai_dat", "dang_ky", "huong_dan"),
                    feature="đọc tài liệu",
                ),
                support.HelpInput(
                    member_id=branch.id("Nguyễn Thị Hòa"),
                    actions=("phe_duyet",),
                ),
                support.HelpInput(
                    member_id=branch.id("Phạm Thị Lan"),
                    actions=("doc_tai_lieu",),
                    document="Nghị quyết số 57-NQ/TW",
                    feedback_kind="de_xuat",
                    feedback_content="Đề nghị in tài liệu chữ to cho người cao tuổi.",
                ),
            ),
        ),
    )


def test_session_moves_accounts_forward_and_records_feedback(
    book: Book, branch: Branch, data_dir: Path
) -> None:
    session = support.create_session(book, data=_session(branch))
    assert session.helpers == ("Nguyễn Thị Hòa", "Đoàn viên Lê Minh")
    lan = next(a for a in session.attendees if a.full_name == "Phạm Thị Lan")
    assert lan.actions == ("doc_tai_lieu", "ghi_y_kien")
    assert lan.description == "Đọc tài liệu cho nghe (Nghị quyết số 57-NQ/TW); Ghi nhận ý kiến"
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        tam = members.get(again, member_id=branch.id("Lê Văn Tám"))
        assert tam.app_account == "da_dang_ky"
        assert tam.has_smartphone is True  # the app was installed on his phone
        assert members.get(again, member_id=branch.id("Nguyễn Thị Hòa")).app_account == "da_duyet"
        assert members.get(again, member_id=branch.id("Phạm Thị Lan")).app_account == "chua_dang_ky"
        # The member change went through the members service: audited and queued.
        history = members.history(again, member_id=branch.id("Lê Văn Tám"))
        assert "buổi hỗ trợ ngày" in history[0].summary
        member_fields = [fields_of(e) for e in outbox(again, "member")]
        assert any(
            f["id"] == branch.id("Lê Văn Tám") and f["app_account"] == "da_dang_ky"
            for f in member_fields
        )
        items = fb.list_feedback(again, member_id=branch.id("Phạm Thị Lan"))
        assert len(items) == 1
        assert items[0].channel_label == "Buổi hỗ trợ"
        assert items[0].support_session_id == session.id
        got = support.get_session(again, session_id=session.id)
        assert [a.full_name for a in got.attendees] == [
            "Nguyễn Thị Hòa",
            "Phạm Thị Lan",
            "Lê Văn Tám",
        ]
        assert next(a for a in got.attendees if a.full_name == "Phạm Thị Lan").feedback_ids == (
            items[0].id,
        )
        entries = outbox(again, "support_session")
        assert len(entries) == 1
        assert '"member_id"' in str(fields_of(entries[0])["attendees_json"])
        assert audit.history(again, entity="support_session")[0].summary.startswith(
            "Ghi buổi hỗ trợ đảng viên ngày"
        )
    finally:
        again.close()


def test_accounts_never_move_backwards_and_editing_does_not_duplicate(
    book: Book, branch: Branch
) -> None:
    session = support.create_session(book, data=_session(branch))
    data = session.to_input()
    extra = support.HelpInput(member_id=branch.id("Trần Văn Bình"), actions=("dang_ky",))
    data = support.SessionInput(
        held_on=data.held_on,
        place=data.place,
        helpers=data.helpers,
        notes="Mang theo máy chiếu",
        attendees=(*data.attendees, extra),
    )
    updated = support.update_session(book, session_id=session.id, data=data)
    assert len(updated.attendees) == 4
    # Trần Văn Bình was approved already: "registered" does not pull him back.
    assert members.get(book, member_id=branch.id("Trần Văn Bình")).app_account == "da_duyet"
    assert fb.count(book) == 1
    assert len(outbox(book, "support_session")) == 2


def test_planned_session_and_who_cannot_be_listed(book: Book, branch: Branch) -> None:
    with pytest.raises(ValidationError, match="chưa diễn ra") as err:
        support.create_session(book, data=_session(branch, held_on=TODAY + dt.timedelta(days=5)))
    assert err.value.field == "attendees"
    planned = support.create_session(
        book, data=_session(branch, held_on=TODAY + dt.timedelta(days=5), attendees=())
    )
    assert planned.is_planned()
    with pytest.raises(ValidationError, match="Bùi Thị Xuân đã chuyển sinh hoạt"):
        support.create_session(
            book,
            data=_session(
                branch,
                attendees=(support.HelpInput(branch.id("Bùi Thị Xuân"), actions=("cai_dat",)),),
            ),
        )
    with pytest.raises(ValidationError, match="Chưa ghi đã hỗ trợ đồng chí Lê Văn Tám"):
        support.create_session(
            book,
            data=_session(branch, attendees=(support.HelpInput(branch.id("Lê Văn Tám")),)),
        )
    with pytest.raises(ValidationError, match="Việc hỗ trợ không hợp lệ"):
        support.create_session(
            book,
            data=_session(
                branch, attendees=(support.HelpInput(branch.id("Lê Văn Tám"), ("nau_an",)),)
            ),
        )
    assert len(support.list_sessions(book)) == 1
    assert members.get(book, member_id=branch.id("Lê Văn Tám")).app_account == "chua_dang_ky"


def test_onboarding_board(book: Book, branch: Branch) -> None:
    planned_day = TODAY + dt.timedelta(days=6)
    support.create_session(
        book,
        data=support.SessionInput(held_on=planned_day, place="Nhà ông Tám", helpers=()),
    )
    board = support.onboarding_board(book)
    # chính thức 5 + dự bị 1 + tạm thời 1; Hồ Thị Kỷ is exempt; the two who left are not here.
    assert board.required == 7
    assert board.exempt == 1
    assert board.approved == board.using == 2
    assert board.registered == 3
    assert round(board.percent, 1) == 28.6
    reasons = {r.full_name: r for r in board.not_yet}
    assert set(reasons) == {
        "Nguyễn Thị Hòa",
        "Lê Văn Tám",
        "Phạm Thị Lan",
        "Võ Thị Sáu",
        "Đặng Văn Đức",
        "Hồ Thị Kỷ",
    }
    assert reasons["Nguyễn Thị Hòa"].reason_label == "Đã đăng ký, chờ chi ủy phê duyệt"
    assert reasons["Lê Văn Tám"].reason_label == "Chưa có điện thoại thông minh"
    assert reasons["Phạm Thị Lan"].reason_label == "Cần người hướng dẫn"
    assert f"{planned_day:%d/%m/%Y}" in reasons["Phạm Thị Lan"].next_step
    assert reasons["Võ Thị Sáu"].reason == "not_registered"
    assert reasons["Hồ Thị Kỷ"].reason_label.startswith("Miễn sinh hoạt")
    assert board.not_yet[-1].full_name == "Hồ Thị Kỷ"  # exempt ones last
    assert board.next_session is not None and board.next_session.held_on == planned_day
    # After a session the figures move.
    support.create_session(book, data=_session(branch))
    after = support.onboarding_board(book)
    assert after.approved == 3
    assert after.registered == 4
    assert after.members_helped == 3
    assert after.sessions_held == 1
    figures = support.figures(book, start=None, end=TODAY)
    assert figures.by_action["cai_dat"] == 1
    assert figures.by_action["ghi_y_kien"] == 1


def test_remove_session_needs_a_reason(book: Book, branch: Branch) -> None:
    s = support.create_session(book, data=_session(branch, attendees=()))
    with pytest.raises(ValidationError, match="lý do"):
        support.remove_session(book, session_id=s.id, reason="")
    support.remove_session(book, session_id=s.id, reason="Ghi nhầm ngày")
    assert support.list_sessions(book) == []
    assert outbox(book, "support_session")[-1].op == "delete"

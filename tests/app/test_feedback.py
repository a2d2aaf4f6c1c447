"""Members' feedback: recorded for a member, handled, forwarded, answered; synced upward;
answers from the committee applied; printable in large print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services import audit, members
from app.services import feedback as fb
from tests.app.test_feedback_kit import Branch, fields_of, make_branch, outbox
from tests.conftest import TEST_PASSWORD

TODAY = dt.date.today()


@pytest.fixture
def branch(book: Book) -> Branch:
    return make_branch(book)


def _add(book: Book, branch: Branch, name: str = "Lê Văn Tám", **kw: object) -> fb.FeedbackView:
    data = fb.FeedbackInput(
        member_id=branch.id(name),
        kind=str(kw.get("kind", "phan_anh")),
        content=str(
            kw.get(
                "content", "Đèn đường hẻm 5 bị hỏng hơn một tháng, đi lại ban đêm rất nguy hiểm."
            )
        ),
        channel=str(kw.get("channel", "dien_thoai")),
        received_on=kw.get("received_on", TODAY - dt.timedelta(days=3)),  # type: ignore[arg-type]
    )
    return fb.add(book, data=data)


def test_feedback_is_kept_after_reopening_and_queued_for_the_committee(
    book: Book, branch: Branch, data_dir: Path
) -> None:
    item = _add(book, branch, content="  Đề nghị   chi bộ\n\n\n tổ chức tham quan  ")
    assert item.state == "received"
    assert item.state_label == "Đã tiếp nhận"
    assert item.kind_label == "Phản ánh"
    assert item.channel_label == "Điện thoại"
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        got = fb.get(again, feedback_id=item.id)
        assert got.member_name == "Lê Văn Tám"
        assert got.content == "Đề nghị chi bộ\n\ntổ chức tham quan"
        assert got.received_on == TODAY - dt.timedelta(days=3)
        entries = outbox(again, "feedback")
        assert [e.op for e in entries] == ["upsert"]
        fields = fields_of(entries[0])
        assert fields["member_id"] == branch.id("Lê Văn Tám")
        assert fields["kind"] == "phan_anh"
        assert fields["state"] == "received"
        history = audit.history(again, entity="feedback", entity_id=item.id)
        assert "Lê Văn Tám" in history[0].summary
    finally:
        again.close()


@pytest.mark.parametrize(
    ("name", "words"),
    [("Bùi Thị Xuân", "đã chuyển sinh hoạt đi nơi khác"), ("Mạc Thị Bưởi", "đã từ trần")],
)
def test_member_who_left_gets_a_clear_message_and_nothing_is_written(
    book: Book, branch: Branch, name: str, words: str
) -> None:
    with pytest.raises(ValidationError) as err:
        _add(book, branch, name)
    assert name in err.value.message
    assert words in err.value.message
    assert err.value.field == "member_id"
    assert fb.count(book) == 0
    assert outbox(book, "feedback") == []


def test_removed_or_unknown_member(book: Book, branch: Branch) -> None:
    members.remove(book, member_id=branch.id("Võ Thị Sáu"), reason="nhập trùng")
    with pytest.raises(ValidationError, match="đã bị xóa khỏi danh sách chi bộ"):
        _add(book, branch, "Võ Thị Sáu")
    with pytest.raises(NotFoundError, match="Không tìm thấy đảng viên"):
        fb.add(book, data=fb.FeedbackInput(member_id="khong-co", kind="gop_y", content="x"))


def test_bad_input_messages(book: Book, branch: Branch) -> None:
    with pytest.raises(ValidationError, match="Loại ý kiến không hợp lệ") as err:
        _add(book, branch, kind="khieu_nai")
    assert err.value.field == "kind"
    with pytest.raises(ValidationError, match="Hình thức tiếp nhận không hợp lệ"):
        _add(book, branch, channel="fax")
    with pytest.raises(ValidationError, match="Chưa ghi nội dung"):
        _add(book, branch, content="   \n ")
    with pytest.raises(ValidationError, match="chưa đến"):
        _add(book, branch, received_on=TODAY + dt.timedelta(days=2))
    assert fb.count(book) == 0


def test_the_whole_flow_each_step_synced(book: Book, branch: Branch) -> None:
    item = _add(book, branch)
    item = fb.start_handling(book, feedback_id=item.id, note="Chi ủy đã báo tổ dân phố kiểm tra")
    assert item.state_label == "Đang xử lý"
    item = fb.forward(book, feedback_id=item.id, on=TODAY - dt.timedelta(days=1))
    assert item.state == "forwarded"
    assert item.forwarded_on == TODAY - dt.timedelta(days=1)
    with pytest.raises(ConflictError, match="không quay lại"):
        fb.start_handling(book, feedback_id=item.id)
    with pytest.raises(ConflictError, match="đã được chuyển"):
        fb.forward(book, feedback_id=item.id)
    item = fb.answer(book, feedback_id=item.id, text="Phường đã thay bóng đèn ngày 20.")
    assert item.state == "answered"
    assert item.answered_by == "Đảng ủy phường Quy Nhơn"  # forwarded: the committee answered
    assert item.answered_on == TODAY
    entries = outbox(book, "feedback")
    assert [fields_of(e)["state"] for e in entries] == [
        "received",
        "handling",
        "forwarded",
        "answered",
    ]
    assert [e.base_version for e in entries] == [0, 1, 2, 3]
    assert fields_of(entries[-1])["answer"] == "Phường đã thay bóng đèn ngày 20."
    # An answer already given is not changed silently.
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        fb.answer(book, feedback_id=item.id, text="Câu trả lời khác")
    fixed = fb.answer(
        book, feedback_id=item.id, text="Phường đã thay bóng đèn ngày 21.", reason="Gõ nhầm ngày"
    )
    assert fixed.answer.endswith("ngày 21.")
    history = audit.history(book, entity="feedback", entity_id=item.id)
    assert history[0].action == "amend"
    assert history[0].reason == "Gõ nhầm ngày"
    with pytest.raises(ConflictError, match="đã được trả lời"):
        fb.forward(book, feedback_id=item.id)


def test_branch_answers_itself(book: Book, branch: Branch) -> None:
    item = _add(book, branch, kind="gop_y")
    item = fb.answer(book, feedback_id=item.id, text="Chi bộ tiếp thu.")
    assert item.answered_by == "Chi bộ Khu phố 3"
    with pytest.raises(ValidationError, match="Chưa ghi nội dung trả lời"):
        fb.answer(book, feedback_id=item.id, text="  ")


def test_correcting_feedback_already_sent_up_needs_a_reason(book: Book, branch: Branch) -> None:
    item = _add(book, branch)
    item = fb.update(book, feedback_id=item.id, content="Đèn đường hẻm 7 bị hỏng.")
    assert item.content == "Đèn đường hẻm 7 bị hỏng."
    fb.forward(book, feedback_id=item.id)
    with pytest.raises(ValidationError, match="phải ghi lý do"):
        fb.update(book, feedback_id=item.id, kind="de_xuat")
    item = fb.update(book, feedback_id=item.id, kind="de_xuat", reason="Đồng chí Tám đề xuất")
    assert item.kind == "de_xuat"


def test_answer_from_the_committee_comes_down(book: Book, branch: Branch, data_dir: Path) -> None:
    item = _add(book, branch)
    fb.forward(book, feedback_id=item.id)
    sent = len(outbox(book, "feedback"))
    with book.session() as s:
        got = fb.apply_from_committee(
            s,
            {
                "id": item.id,
                "state": "answered",
                "answer": "Đảng ủy đã chỉ đạo UBND phường sửa đèn.",
                "answered_on": (TODAY - dt.timedelta(days=1)).isoformat(),
                "answered_by": "Đảng ủy phường Quy Nhơn",
                "content": "the committee may not change what the member said",
            },
            version=7,
        )
    assert got.state == "answered"
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        row = fb.get(again, feedback_id=item.id)
        assert row.state_label == "Đã trả lời"
        assert row.answer == "Đảng ủy đã chỉ đạo UBND phường sửa đèn."
        assert row.answered_by == "Đảng ủy phường Quy Nhơn"
        assert row.content.startswith("Đèn đường hẻm 5")
        assert row.version == 7
        assert len(outbox(again, "feedback")) == sent  # it came from the server
        last = audit.history(again, entity="feedback", entity_id=item.id)[0]
        assert last.actor == fb.UPSTREAM_ACTOR
        assert "trả lời" in last.summary
        # The next local change builds on the server's version.
        fb.answer(again, feedback_id=item.id, text="Đã sửa xong.", reason="Bổ sung kết quả")
        assert outbox(again, "feedback")[-1].base_version == 7
    finally:
        again.close()


def test_bad_answers_from_the_committee(book: Book, branch: Branch) -> None:
    item = _add(book, branch)
    with book.session() as s, pytest.raises(ValidationError, match="không kèm nội dung"):
        fb.apply_from_committee(s, {"state": "answered"}, entity_id=item.id)
    with book.session() as s, pytest.raises(ValidationError, match="không hợp lệ"):
        fb.apply_from_committee(s, {"state": "xong"}, entity_id=item.id)
    with book.session() as s, pytest.raises(NotFoundError):
        fb.apply_from_committee(s, {"id": "khong-co", "state": "answered", "answer": "x"})
    assert fb.get(book, feedback_id=item.id).state == "received"


def test_lists_filter_and_search_in_sql(book: Book, branch: Branch) -> None:
    a = _add(
        book, branch, "Nguyễn Thị Hòa", kind="gop_y", received_on=TODAY - dt.timedelta(days=10)
    )
    b = _add(book, branch, "Đặng Văn Đức", kind="de_xuat", received_on=TODAY - dt.timedelta(days=2))
    c = _add(book, branch, "Lê Văn Tám", kind="phan_anh", received_on=TODAY - dt.timedelta(days=5))
    fb.answer(book, feedback_id=c.id, text="Đã trả lời.")
    assert [x.id for x in fb.list_feedback(book)] == [b.id, c.id, a.id]
    assert [x.id for x in fb.waiting(book)] == [a.id, b.id]  # oldest first
    assert [x.id for x in fb.list_feedback(book, search="hoa")] == [a.id]
    assert [x.id for x in fb.list_feedback(book, search="dang duc")] == [b.id]
    assert [x.id for x in fb.list_feedback(book, kind="phan_anh")] == [c.id]
    assert fb.count(book, state=fb.WAITING_STATES) == 2
    assert [x.member_name for x in fb.list_feedback(book, order="member", descending=False)] == [
        "Đặng Văn Đức",
        "Nguyễn Thị Hòa",
        "Lê Văn Tám",
    ]
    counts = fb.counts(book, start=TODAY - dt.timedelta(days=7), end=TODAY)
    assert counts.total == 2
    assert counts.by_kind == {"de_xuat": 1, "phan_anh": 1}
    assert counts.answered == 1
    assert counts.waiting == 1
    fb.remove(book, feedback_id=a.id, reason="Ghi nhầm người")
    assert fb.count(book) == 2
    assert outbox(book, "feedback")[-1].op == "delete"
    with pytest.raises(ValidationError, match="lý do"):
        fb.remove(book, feedback_id=b.id, reason=" ")


def test_answer_paper_for_the_member(book: Book, branch: Branch) -> None:
    item = _add(book, branch)
    with pytest.raises(ValidationError, match="chưa được trả lời"):
        fb.answer_paper(book, feedback_id=item.id)
    fb.forward(book, feedback_id=item.id, on=TODAY - dt.timedelta(days=2))
    fb.answer(book, feedback_id=item.id, text="Phường đã thay bóng đèn.")
    paper = fb.answer_paper(book, feedback_id=item.id)
    assert paper.subtitle == "Phản ánh của đồng chí Lê Văn Tám"
    assert "Kính gửi đồng chí Lê Văn Tám," in paper.body_text
    assert "Đèn đường hẻm 5" in paper.body_text
    assert "chuyển ý kiến của đồng chí lên Đảng ủy phường Quy Nhơn" in paper.body_text
    assert "Phường đã thay bóng đèn." in paper.body_text

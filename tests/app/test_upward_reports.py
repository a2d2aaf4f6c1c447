"""Reports to the upper committee: drafted from the data, edited, numbered, submitted by
sync, never edited silently after submission."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update

from app.book import Book, open_book
from app.errors import ConflictError, ValidationError
from app.models import Branch as BranchRow
from app.services import audit, members, support
from app.services import feedback as fb
from app.services import upward_reports as ur
from tests.app.test_feedback_kit import (
    Branch,
    fields_of,
    held_meeting,
    make_branch,
    month_before,
    outbox,
)
from tests.conftest import TEST_PASSWORD

TODAY = dt.date.today()
LAST = month_before(TODAY)  # first day of last month
LAST_PERIOD = f"{LAST:%Y-%m}"


@pytest.fixture
def branch(book: Book) -> Branch:
    return make_branch(book)


def _text(report: ur.ReportView) -> str:
    return "\n".join(f"{s.title}\n{s.body}" for s in report.sections)


def _last_month_activity(book: Book, branch: Branch) -> None:
    held_meeting(
        book,
        branch,
        at=dt.datetime.combine(LAST.replace(day=10), dt.time(19, 30)),
        absent={"Võ Thị Sáu": "unexcused", "Phạm Thị Lan": "excused"},
    )
    fb.add(
        book,
        data=fb.FeedbackInput(
            member_id=branch.id("Lê Văn Tám"),
            kind="phan_anh",
            content="Đèn đường hẻm 5 bị hỏng.",
            received_on=LAST.replace(day=12),
        ),
    )
    members.create(
        book,
        data=members.MemberInput(
            full_name="Lý Văn Mới",
            status="du_bi",
            birth_date=dt.date(1998, 1, 1),
            admission_date=LAST.replace(day=15),
        ),
    )


def test_monthly_report_is_drafted_from_the_data(book: Book, branch: Branch) -> None:
    _last_month_activity(book, branch)
    result = ur.draft(book, kind="monthly", period=LAST_PERIOD)
    assert result.created
    assert result.notices == ()
    r = result.report
    assert r.state == "draft" and r.state_label == "Bản nháp"
    assert r.subtitle.startswith(f"Kết quả thực hiện nhiệm vụ tháng {LAST.month} năm {LAST.year}")
    assert r.recipients == ("Đảng ủy phường Quy Nhơn (b/c)", "Lưu chi bộ")
    assert r.signer_name == "Trần Văn Bình"
    titles = [s.title for s in r.sections]
    assert titles[1:] == [
        "Tình hình sinh hoạt chi bộ",
        "Công tác học tập, quán triệt nghị quyết",
        "Tiếp nhận ý kiến góp ý, phản ánh, đề xuất của đảng viên",
        "Công tác đảng viên",
        titles[5],
        "Đề xuất, kiến nghị",
    ]
    assert titles[5].startswith("Phương hướng, nhiệm vụ tháng")
    text = _text(r)
    assert f"sinh hoạt chi bộ thường kỳ ngày {LAST.replace(day=10):%d/%m/%Y}" in text
    assert "Tổng số lượt đảng viên phải dự: 7; có mặt: 5 (71,4%), chưa đạt yêu cầu trên 85%" in text
    assert "vắng có lý do: 1; vắng không lý do: 1" in text
    assert "tiếp nhận 1 ý kiến của đảng viên (góp ý: 0; phản ánh: 1; đề xuất: 0)" in text
    assert "Đồng chí Lê Văn Tám (phản ánh" in text
    assert "Kết nạp đảng viên mới: 1 (Lý Văn Mới)" in text
    assert "Xét công nhận đảng viên chính thức cho đồng chí Đặng Văn Đức" in text
    table = r.sections[1].table
    assert table is not None
    assert table.rows[0][2:6] == (7, 5, 1, 1)
    assert r.figures["attendance"]["present"] == 5
    assert r.figures["feedback"]["total"] == 1


def test_departures_come_from_the_status_changes(book: Book, branch: Branch) -> None:
    sau = members.get(book, member_id=branch.id("Võ Thị Sáu"))
    data = sau.to_input()
    data.status = "chuyen_di"
    members.update(book, member_id=sau.id, data=data)
    r = ur.draft(book, kind="monthly", period=f"{TODAY:%Y-%m}")
    assert "Chuyển đi: 1 (Võ Thị Sáu)" in _text(r.report)
    # The period is not over yet: said so.
    if r.report.period_end > TODAY:
        assert any("chưa kết thúc" in n for n in r.notices)


def test_period_without_data_still_gives_a_draft(book: Book, data_dir: Path) -> None:
    period = f"{TODAY.year - 2}-03"
    result = ur.draft(book, kind="monthly", period=period)
    assert result.created
    assert len(result.notices) == 1
    assert "chưa có dữ liệu nào" in result.notices[0]
    assert "tự điền" in result.notices[0]
    assert result.report.notices == result.notices
    assert "sổ chưa ghi cuộc họp chi bộ nào" in _text(result.report)
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        (kept,) = ur.list_reports(again)
        assert kept.period == period and kept.state == "draft"
        # A draft stays on this computer.
        assert outbox(again, "report") == []
    finally:
        again.close()


def test_bad_periods(book: Book) -> None:
    with pytest.raises(ValidationError, match="YYYY-MM"):
        ur.draft(book, kind="monthly", period="13/2025")  # "11/2025" is accepted (issue 11)
    with pytest.raises(ValidationError, match="YYYY-Qn"):
        ur.draft(book, kind="quarterly", period="2025-Q5")
    with pytest.raises(ValidationError, match="YYYY"):
        ur.draft(book, kind="yearly", period="năm ngoái")
    with pytest.raises(ValidationError, match="Loại báo cáo không hợp lệ"):
        ur.draft(book, kind="weekly", period="2025-11")
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        ur.draft(book, kind="monthly", period=f"{TODAY.year + 1}-01")
    assert ur.list_reports(book) == []


def test_drafting_again_keeps_the_secretary_s_edits(book: Book, branch: Branch) -> None:
    r = ur.draft(book, kind="monthly", period=LAST_PERIOD).report
    edited = ur.update(
        book,
        report_id=r.id,
        data=ur.ReportEdit(
            subtitle=r.subtitle,
            issued_on=r.issued_on,
            sections=(
                *r.sections[:-1],
                ur.ReportSection("Đề xuất, kiến nghị", "Xin kinh phí sửa nhà văn hóa."),
            ),
            recipients=r.recipients,
            signer_name=r.signer_name,
        ),
    )
    again = ur.draft(book, kind="monthly", period=LAST_PERIOD)
    assert not again.created
    assert again.report.id == r.id
    assert "mở bản đã có" in again.notices[0]
    assert again.report.sections[-1].body == "Xin kinh phí sửa nhà văn hóa."
    assert edited.sections == again.report.sections
    # Figures refreshed on request.
    _last_month_activity(book, branch)
    fresh = ur.redraft(book, report_id=r.id)
    assert "có mặt: 5" in _text(fresh)


def test_numbers_are_the_next_in_the_year_and_unique(book: Book) -> None:
    a = ur.draft(book, kind="monthly", period=LAST_PERIOD).report
    b = ur.draft(book, kind="deployment", period=f"{TODAY:%Y-%m}").report
    c = ur.draft(book, kind="yearly", period=str(TODAY.year - 1)).report
    assert ur.assign_number(book, report_id=a.id).number == "01-BC/CB"
    assert ur.assign_number(book, report_id=a.id).number == "01-BC/CB"  # kept
    assert ur.assign_number(book, report_id=b.id, number="Số 7 - bc/cb").number == "07-BC/CB"
    assert ur.next_number(book, year=TODAY.year) == "08-BC/CB"
    with pytest.raises(ValidationError, match="đã dùng") as err:
        ur.assign_number(book, report_id=c.id, number="07-BC/CB")
    assert err.value.field == "number"
    with pytest.raises(ValidationError, match="không đúng dạng"):
        ur.assign_number(book, report_id=c.id, number="BC-07")
    assert ur.submit(book, report_id=c.id).number == "08-BC/CB"  # numbered on submission


def test_a_numbered_report_prints_as_issued_not_as_a_draft(book: Book) -> None:
    """The secretary numbers the report, prints it, signs and stamps it, then sends it: the
    signed paper must not say "(Dự thảo)"; before it has a number, it is a draft."""
    r = ur.draft(book, kind="monthly", period=LAST_PERIOD).report
    assert ur.paper(book, report_id=r.id).draft
    numbered = ur.assign_number(book, report_id=r.id)
    paper = ur.paper(book, report_id=r.id)
    assert not paper.draft and paper.number == numbered.number == "01-BC/CB"
    assert numbered.state == "draft"  # numbered, not yet sent


def test_submit_sends_the_report_and_later_changes_are_new_versions(
    book: Book, branch: Branch, data_dir: Path
) -> None:
    _last_month_activity(book, branch)
    r = ur.draft(book, kind="monthly", period=LAST_PERIOD).report
    with pytest.raises(ValidationError, match="Chưa ghi trích yếu"):
        ur.update(book, report_id=r.id, data=ur.ReportEdit("", r.issued_on, r.sections, (), ""))
    assert outbox(book, "report") == []
    sent = ur.submit(book, report_id=r.id)
    assert sent.state == "submitted" and sent.number == "01-BC/CB"
    (entry,) = outbox(book, "report")
    assert (entry.op, entry.base_version, entry.version) == ("upsert", 0, 1)
    fields = fields_of(entry)
    assert fields["number"] == "01-BC/CB"
    assert fields["state"] == "submitted"
    assert "Tình hình sinh hoạt chi bộ" in str(fields["sections_json"])
    with pytest.raises(ConflictError, match="đã được gửi"):
        ur.submit(book, report_id=r.id)
    with pytest.raises(ConflictError, match="không xóa được"):
        ur.remove(book, report_id=r.id)
    new_sections = (
        *sent.sections[:-1],
        ur.ReportSection("Đề xuất, kiến nghị", "Bổ sung: xin sửa loa."),
    )
    edit = ur.ReportEdit(
        sent.subtitle, sent.issued_on, new_sections, sent.recipients, sent.signer_name
    )
    with pytest.raises(ValidationError, match="phải ghi lý do") as err:
        ur.update(book, report_id=r.id, data=edit)
    assert err.value.field == "reason"
    amended = ur.update(book, report_id=r.id, data=edit, reason="Bổ sung kiến nghị của chi ủy")
    assert amended.state == "amended"
    assert amended.revision == 2
    assert amended.number == "01-BC/CB"
    (old,) = amended.history
    assert old.revision == 1
    assert old.sections[-1].body == ""
    assert old.replaced_reason == "Bổ sung kiến nghị của chi ủy"
    assert len(outbox(book, "report")) == 1  # not sent until submitted again
    again = ur.submit(book, report_id=r.id)
    assert again.state_label == "Đã gửi cấp trên (bản sửa lần 1)"
    entries = outbox(book, "report")
    assert [(e.base_version, e.version) for e in entries] == [(0, 1), (1, 2)]
    assert fields_of(entries[-1])["revision"] == 2
    assert "Bổ sung: xin sửa loa." in str(fields_of(entries[-1])["sections_json"])
    paper = ur.paper(book, report_id=r.id)
    assert paper.revision_note == "(Bản sửa đổi lần 1: Bổ sung kiến nghị của chi ủy)"
    assert not paper.draft
    book.close()
    reopened = open_book(data_dir, password=TEST_PASSWORD)
    try:
        kept = ur.get(reopened, report_id=r.id)
        assert kept.revision == 2 and kept.history[0].revision == 1
        summaries = [h.summary for h in audit.history(reopened, entity="report", entity_id=r.id)]
        assert any("sau khi đã gửi" in s for s in summaries)
    finally:
        reopened.close()


def test_drafts_can_be_deleted(book: Book) -> None:
    r = ur.draft(book, kind="monthly", period=LAST_PERIOD).report
    ur.remove(book, report_id=r.id, reason="Soạn nhầm kỳ")
    assert ur.list_reports(book) == []


def test_deployment_report(book: Book, branch: Branch) -> None:
    support.create_session(
        book,
        data=support.SessionInput(
            held_on=TODAY,
            place="Nhà văn hóa",
            attendees=(
                support.HelpInput(branch.id("Nguyễn Thị Hòa"), ("phe_duyet",)),
                support.HelpInput(branch.id("Lê Văn Tám"), ("doc_tai_lieu",), document="QĐ 339"),
            ),
        ),
    )
    r = ur.draft(book, kind="deployment", period=f"{TODAY:%Y-%m}").report
    assert r.kind_label == "Báo cáo triển khai ứng dụng Sổ tay đảng viên điện tử"
    assert r.recipients[0] == "Ban Xây dựng đảng Đảng ủy phường Quy Nhơn (b/c)"
    text = _text(r)
    assert "Quy định số 339-QĐ/TW" in text
    assert "Tổng số đảng viên phải sử dụng ứng dụng: 7 đồng chí" in text
    assert "không tính 1 đồng chí được miễn sinh hoạt" in text
    assert "Đã được phê duyệt tài khoản, đang sử dụng: 3 đồng chí (42,9%)" in text
    assert "Chi bộ đã tổ chức 1 buổi hỗ trợ" in text
    assert "hỗ trợ 2 đồng chí" in text
    assert "Chưa có điện thoại thông minh: 1 đồng chí (Lê Văn Tám)" in text
    table = next(s.table for s in r.sections if s.table is not None)
    assert table.rows[2] == ("Đã được phê duyệt, đang sử dụng", 3, "42,9%")
    assert r.figures["app"] == {
        "required": 7,
        "registered": 3,
        "approved": 3,
        "using": 3,
        "exempt": 1,
    }


def test_quarterly_and_yearly_summaries(book: Book, branch: Branch) -> None:
    _last_month_activity(book, branch)
    q = (LAST.month - 1) // 3 + 1
    quarterly = ur.draft(book, kind="quarterly", period=f"{LAST.year}-Q{q}").report
    assert quarterly.subtitle.startswith(
        f"Kết quả thực hiện nhiệm vụ quý {ur.QUARTER_NAMES[q - 1]} năm {LAST.year}"
    )
    table = quarterly.sections[1].table
    assert table is not None
    first = dt.date(LAST.year, 3 * q - 2, 1)
    months_so_far = min(3, (TODAY.year - first.year) * 12 + TODAY.month - first.month + 1)
    assert len(table.rows) == months_so_far  # months still to come are not listed
    held_row = next(row for row in table.rows if row[0] == f"Tháng {LAST.month}")
    assert held_row[1:4] == (1, 7, 5)
    yearly = ur.draft(book, kind="yearly", period=str(LAST.year)).report
    assert yearly.subtitle.startswith(f"Tổng kết công tác năm {LAST.year}")
    assert any(s.title == "Triển khai ứng dụng “Sổ tay đảng viên điện tử”" for s in yearly.sections)


def test_reports_due(book: Book) -> None:
    assert all(d.kind != "monthly" for d in ur.due_reports(book))  # the book is new
    with book.session() as s:
        s.execute(update(BranchRow).values(created_at=dt.datetime(TODAY.year - 1, 1, 1)))
    due = ur.due_reports(book)
    monthly = next(d for d in due if d.kind == "monthly")
    assert monthly.period == LAST_PERIOD and monthly.state is None
    assert monthly.message().endswith("chưa soạn")
    ur.set_deployment_due(book, due=TODAY + dt.timedelta(days=10))
    deployment = next(d for d in ur.due_reports(book) if d.kind == "deployment")
    assert deployment.due_on == TODAY + dt.timedelta(days=10)
    r = ur.draft(book, kind="deployment", period=f"{TODAY:%Y-%m}").report
    ur.submit(book, report_id=r.id)
    assert all(d.kind != "deployment" for d in ur.due_reports(book))

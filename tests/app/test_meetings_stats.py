"""Attendance statistics, the HD 12 figures, the xóa tên early warning, the yearly report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.book import Book
from app.errors import KnownError
from app.services import attendance, meeting_stats
from app.services.attendance import MarkInput
from tests.app.test_feedback_kit import month_before
from tests.app.test_meetings_support import Branch, make_branch, new_meeting, pdf_text

YEAR = dt.date.today().year - 1

# Month → {name: status}; everyone else on the roster is present.
ABSENCES: dict[int, dict[str, str]] = {
    1: {"Phạm Thị Lan": "unexcused", "Võ Thị Sáu": "excused"},
    2: {"Phạm Thị Lan": "unexcused", "Võ Thị Sáu": "excused"},
    3: {"Võ Thị Sáu": "excused", "Lê Văn Tám": "unexcused"},
    4: {"Phạm Thị Lan": "unexcused"},
    5: {"Lê Văn Tám": "unexcused"},
    6: {},
}


def _year_of_meetings(book: Book, branch: Branch) -> None:
    roster = [r.member_id for r in attendance.roll_call(book, meeting_id=new_meeting(
        book, at=dt.datetime(YEAR, 7, 1, 8, 0)).id).rows]  # fmt: skip
    for month, absent in ABSENCES.items():
        m = new_meeting(book, at=dt.datetime(YEAR, month, 5, 19, 30))
        marks = [
            MarkInput(branch.id(name), status, "Ốm" if status == "excused" else "")
            for name, status in absent.items()
        ]
        marks += [
            MarkInput(mid, "present") for mid in roster if mid not in {branch.id(n) for n in absent}
        ]
        attendance.mark_many(book, meeting_id=m.id, marks=marks)
    # A chi ủy meeting does not count in the branch's figures.
    cu = new_meeting(book, at=dt.datetime(YEAR, 3, 20, 8, 0), kind="chi_uy")
    attendance.mark(book, meeting_id=cu.id, member_id=branch.id("Lê Văn Tám"), status="unexcused")
    # A thematic meeting in the second quarter.
    cd = new_meeting(
        book, at=dt.datetime(YEAR, 6, 20, 8, 0), kind="chuyen_de", topic="Chuyển đổi số"
    )
    attendance.mark_remaining_present(book, meeting_id=cd.id)


def test_year_figures_hd12_and_warnings(book: Book) -> None:
    branch = make_branch(book)
    _year_of_meetings(book, branch)
    st = meeting_stats.year_stats(book, year=YEAR)
    # 6 monthly + 1 thematic; the July draft meeting was never held (no marks).
    assert len(st.meetings) == 7
    by_name = {m.full_name: m for m in st.members}
    assert "Hồ Thị Kỷ" not in by_name  # exempted: left out of attendance figures
    lan = by_name["Phạm Thị Lan"]
    assert (lan.expected, lan.present, lan.unexcused, lan.unexcused_months) == (7, 4, 3, (1, 2, 4))
    sau = by_name["Võ Thị Sáu"]
    assert (sau.excused, sau.longest_absent_run) == (3, 3)
    assert by_name["Lê Văn Tám"].unexcused == 2  # the chi ủy absence does not count

    expected = 7 * 7  # 7 expected on each of the 7 meetings
    absent = 2 + 2 + 2 + 1 + 1
    assert (st.total.expected, st.total.present) == (expected, expected - absent)
    assert st.total.percent == pytest.approx(100 * 41 / 49)
    assert not st.hd12.meets_target  # 83.7% is not above 85%
    assert st.hd12.unexcused_total == 5
    assert st.hd12.members_absent_running == ("Võ Thị Sáu",)
    assert st.hd12.quarters_without_thematic == (1, 3, 4)
    assert st.hd12.months_without_regular == (7, 8, 9, 10, 11, 12)

    [jan] = [p for p in st.months if p.label == "Tháng 1"]
    assert (jan.meetings, jan.expected, jan.present, jan.excused, jan.unexcused) == (1, 7, 5, 1, 1)
    [q2] = [q for q in st.quarters if q.label == f"Quý II/{YEAR}"]
    assert q2.meetings == 4

    kinds = {(w.full_name, w.kind) for w in st.warnings}
    assert ("Phạm Thị Lan", "removal") in kinds
    assert ("Lê Văn Tám", "removal_soon") in kinds
    assert ("Võ Thị Sáu", "absent_running") in kinds
    [lan_warning] = [w for w in st.warnings if w.kind == "removal"]
    assert "xóa tên" in lan_warning.message and "tháng 1, 2, 4" in lan_warning.message


def test_yearly_report_as_xlsx_and_pdf(book: Book, tmp_path: Path) -> None:
    from reports.printing import write_attendance_report

    branch = make_branch(book)
    with pytest.raises(KnownError, match="chưa có cuộc sinh hoạt"):
        write_attendance_report(book, year=YEAR, path=tmp_path / "r.xlsx")
    _year_of_meetings(book, branch)
    xlsx = write_attendance_report(book, year=YEAR, path=tmp_path / "bao-cao.xlsx")
    wb = load_workbook(xlsx)
    ws = wb["Báo cáo"]
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "STT")
    assert header[1] == "Họ và tên" and header[2] == "T1" and header[-1] == "Tỷ lệ (%)"
    lan = next(r for r in rows if r and r[1] == "Phạm Thị Lan")
    assert lan[2] == "0/1 K" and lan[4] == "1/1"
    assert list(lan[-5:-1]) == [7, 4, 0, 3]
    assert "Theo kỳ" in wb.sheetnames

    pdf = write_attendance_report(book, year=YEAR, path=tmp_path / "bao-cao.pdf")
    text = " ".join(pdf_text(pdf.read_bytes()))
    assert "BÁO CÁO TÌNH HÌNH ĐẢNG VIÊN DỰ SINH HOẠT CHI BỘ" in text
    assert f"Năm {YEAR}" in text
    assert "Phạm Thị Lan" in text
    assert "chưa đạt yêu cầu trên 85% của HD 12" in text
    assert "xem xét xóa tên" in text


def test_early_warning_over_the_last_twelve_months(book: Book) -> None:
    branch = make_branch(book)
    today = dt.date.today()
    for back in (3, 2, 1):  # the 8th of each of the last three months
        day = month_before(today, back).replace(day=8)
        m = new_meeting(book, at=dt.datetime.combine(day, dt.time(19, 30)))
        attendance.mark(
            book, meeting_id=m.id, member_id=branch.id("Võ Thị Sáu"), status="unexcused"
        )
        attendance.mark_remaining_present(book, meeting_id=m.id)
    warnings = meeting_stats.early_warnings(book)
    kinds = {w.kind for w in warnings if w.full_name == "Võ Thị Sáu"}
    assert "absent_running" in kinds
    assert kinds & {"removal", "removal_soon"}

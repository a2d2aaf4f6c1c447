"""Rules on the register: status inferred on import (never silently), the end of probation
(12 months from the lễ kết nạp, 30 working days to consider recognition), CCCD century digits,
tuổi đảng from the admission decision, early and posthumous Huy hiệu Đảng."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.book import Book
from app.importers import members_table
from app.services import dashboard, members, milestones
from app.services.members import MemberInput
from app.validation.cccd import check_personal_id, describe
from app.validation.dates import check_dates
from tests.app.test_import import write_xlsx

HEADER = ["TT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Ghi chú"]
TODAY = dt.date(2025, 12, 5)


def _rows(report: members_table.ImportReport) -> dict[str, members_table.RowResult]:
    return {r.full_name: r for r in report.rows}


def test_import_infers_status_from_notes_and_dates_and_says_so(book: Book, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            [1, "Đặng Văn Giang", "12/03/1995", "07/11/2024", None, "dự bị"],
            [2, "Lê Thị Hoa", "01/02/1990", "10/06/2025", None, None],
            [3, "Trần Văn Khải", "01/02/1950", "03/02/1975", "03/02/1976", "miễn SH"],
            [4, "Phạm Văn Lộc", "01/02/1960", "19/05/1990", "19/05/1991", "Đã chuyển đi"],
            [5, "Võ Văn Minh", "01/02/1985", "02/09/2024", None, None],
            [6, "Ngô Thị Nga", "01/02/1988", "02/09/2010", "02/09/2011", "DB"],
        ],
    )
    report = members_table.import_file(book, path, dry_run=True, today=TODAY)
    rows = _rows(report)
    giang = rows["Đặng Văn Giang"]
    assert giang.to_json()["warnings"]  # dry-run JSON rows carry the warnings
    assert any("lấy từ ghi chú" in w for w in giang.warnings)
    # The day probation ended, said as such (not "từ <date>", which read as a start).
    assert any("đã hết 12 tháng dự bị ngày " in w for w in giang.warnings)
    # Admitted within 12 months, no official date: dự bị, with a note.
    assert any("ghi là đảng viên dự bị" in w for w in rows["Lê Thị Hoa"].warnings)
    # Past 12 months with a blank ngày chính thức: chính thức only tentatively, and said so.
    assert any("tạm ghi là chính thức" in w for w in rows["Võ Văn Minh"].warnings)
    # "DB" but an official date 14 years ago: the conflict is shown, not resolved silently.
    assert any(
        "Đã có ngày chính thức nhưng trạng thái vẫn là dự bị" in w
        for w in rows["Ngô Thị Nga"].warnings
    )

    members_table.import_file(book, path, today=TODAY)
    stored = {m.full_name: m.status for m in members.list_members(book, status=None)}
    assert stored["Đặng Văn Giang"] == "du_bi"
    assert stored["Lê Thị Hoa"] == "du_bi"
    assert stored["Trần Văn Khải"] == "mien_sinh_hoat"
    assert stored["Phạm Văn Lộc"] == "chuyen_di"
    assert stored["Võ Văn Minh"] == "chinh_thuc"


def test_status_from_note_reads_common_wordings() -> None:
    read = members_table.status_from_note
    assert read("dự bị")[0] == "du_bi"
    assert read("ĐV DB")[0] == "du_bi"
    assert read("Miễn sinh hoạt từ 2020")[0] == "mien_sinh_hoat"
    assert read("từ trần 3/2024")[0] == "tu_tran"
    assert read("chuyển đi P. Hải Châu")[0] == "chuyen_di"
    assert read("Tổ trưởng tổ dân phố") == (None, None)
    status, unclear = read("giới thiệu sinh hoạt tạm thời nơi khác")
    assert status is None and unclear
    assert read("dự bị; đã chuyển đi")[0] is None  # two statuses: ambiguous


def test_decision_date_column_is_mapped_and_used_for_both_when_alone(
    book: Book, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "qd.xlsx",
        [
            ["TT", "Họ và tên", "Ngày sinh", "Ngày quyết định kết nạp", "Ngày chính thức"],
            [1, "Bùi Thị Oanh", "01/01/1980", "15/01/2005", "20/01/2006"],
        ],
    )
    report = members_table.import_file(book, path, today=TODAY)
    (row,) = report.rows
    assert any("Chỉ có ngày quyết định kết nạp" in w for w in row.warnings)
    (m,) = members.list_members(book, search="oanh")
    assert m.admission_decision_date == dt.date(2005, 1, 15)
    assert m.admission_date == dt.date(2005, 1, 15)


def test_probation_warnings_overdue_and_thirty_working_days() -> None:
    case = milestones.probation_case(
        "1", "Đặng Văn Giang", ceremony=dt.date(2024, 11, 7), decision=None, today=TODAY
    )
    assert case is not None and case.ended
    assert case.overdue_days == 28
    # 30 working days (Mon–Fri) after Friday 07/11/2025 is Friday 19/12/2025.
    assert case.deadline == dt.date(2025, 12, 19)
    assert case.message.startswith(
        "Đặng Văn Giang: đã hết 12 tháng dự bị từ 07/11/2025, chi bộ cần xét công nhận chính "
        "thức; quá 28 ngày."
    )
    assert "19/12/2025" in case.message and "30 ngày làm việc" in case.message
    late = milestones.probation_case(
        "1", "X", ceremony=dt.date(2024, 11, 7), decision=None, today=dt.date(2025, 12, 29)
    )
    assert late is not None and late.past_deadline and "đã quá hạn 10 ngày" in late.message
    steps = {}
    for days in (120, 90, 61, 60, 30, 15, 8, 7, 1):
        c = milestones.probation_case(
            "1", "X", ceremony=dt.date(2025, 3, 1), decision=None,
            today=dt.date(2026, 3, 1) - dt.timedelta(days=days),
        )  # fmt: skip
        steps[days] = None if c is None else c.warn_step
    assert steps == {120: None, 90: 90, 61: 90, 60: 60, 30: 30, 15: 15, 8: 15, 7: 7, 1: 7}


def test_working_days_skip_weekends_and_fixed_holidays() -> None:
    # From Tuesday 29/4/2025: 30/4 and 1/5 are holidays, so 2 working days end on Monday 5/5.
    assert milestones.add_working_days(
        dt.date(2025, 4, 29), 2, milestones.solar_holidays(2025)
    ) == dt.date(2025, 5, 5)
    assert milestones.working_days_between(dt.date(2025, 12, 5), dt.date(2025, 12, 12)) == 5


def test_probation_runs_from_the_ceremony_and_shows_on_the_dashboard(book: Book) -> None:
    today = dt.date.today()
    ceremony = milestones.add_years(today, -1) - dt.timedelta(days=28)
    members.create(
        book,
        data=MemberInput(
            full_name="Đặng Văn Giang",
            birth_date=dt.date(1995, 3, 12),
            admission_decision_date=ceremony - dt.timedelta(days=20),
            admission_date=ceremony,
            status="du_bi",
        ),
    )
    soon = milestones.add_years(today, -1) + dt.timedelta(days=30)
    members.create(
        book,
        data=MemberInput(full_name="Lê Thị Hoa", admission_date=soon, status="du_bi"),
    )
    d = dashboard.dashboard(book, today=today)
    by_name = {a.full_name: a for a in d.attention if a.kind == "probation"}
    assert by_name["Đặng Văn Giang"].serious
    assert f"đã hết 12 tháng dự bị từ {milestones.add_years(ceremony, 1):%d/%m/%Y}" in (
        by_name["Đặng Văn Giang"].message
    )
    assert "quá 28 ngày" in by_name["Đặng Văn Giang"].message
    assert "còn 30 ngày" in by_name["Lê Thị Hoa"].message
    data = d.to_json()
    assert {"attention", "today", "sync_pending"} <= set(data)  # existing keys kept
    giang = next(p for p in data["probation"] if p["full_name"] == "Đặng Văn Giang")
    assert giang["overdue_days"] == 28 and giang["warn_days"] is None
    assert next(p for p in data["probation"] if p["full_name"] == "Lê Thị Hoa")["warn_days"] == 30


def test_cccd_century_digit_follows_circular_07_2016() -> None:
    assert describe("079858123456").endswith("nam, sinh năm 2358")
    assert describe("079958123456").endswith("nữ, sinh năm 2358")
    assert describe("001150012345").endswith("nữ, sinh năm 1950")
    # A 2300s birth year is not yet possible: a warning, not an 1800s reading.
    issues = check_personal_id("079858123456", birth_date=dt.date(1858, 1, 1))
    assert any("2358" in i.message and "chưa tới" in i.message for i in issues)
    assert len(issues) == 1  # not also read as a birth year mismatch


def test_decision_must_not_follow_the_ceremony() -> None:
    issues = check_dates(
        birth_date=dt.date(1990, 1, 1),
        admission_date=dt.date(2020, 5, 19),
        decision_date=dt.date(2020, 6, 1),
        official_date=None,
        today=TODAY,
    )
    assert any(i.is_error and i.field == "admission_decision_date" for i in issues)
    ok = check_dates(
        birth_date=dt.date(1990, 1, 1),
        admission_date=dt.date(2020, 5, 19),
        decision_date=dt.date(2020, 5, 2),
        official_date=dt.date(2021, 5, 19),
        today=TODAY,
    )
    assert ok == []


def _add(book: Book, name: str, **kw: object) -> None:
    members.create(
        book,
        data=MemberInput(full_name=name, birth_date=dt.date(1940, 1, 1), **kw),  # type: ignore[arg-type]
    )


def test_party_age_runs_from_the_decision_date(book: Book) -> None:
    # Decision 20/01/1996 (30 years on 20/01/2026) but lễ kết nạp 10/02/1996: the badge is due
    # on 3/2/2026, counted from the decision.
    _add(
        book, "Lê Văn Ba", admission_decision_date=dt.date(1996, 1, 20),
        admission_date=dt.date(1996, 2, 10), official_date=dt.date(1997, 2, 10),
    )  # fmt: skip
    _add(
        book,
        "Phạm Văn Năm",
        admission_date=dt.date(1996, 1, 25),
        official_date=dt.date(1997, 1, 25),
    )
    due = milestones.badges_due(book, award_date=dt.date(2026, 2, 3))
    by_name = {b.full_name: b for b in due}
    assert by_name["Lê Văn Ba"].years == 30 and by_name["Lê Văn Ba"].notes == ()
    assert by_name["Lê Văn Ba"].to_json()["party_age_from"] == "1996-01-20"
    # Only one date known: used, and the list says so.
    assert "chưa có ngày quyết định kết nạp" in by_name["Phạm Văn Năm"].notes[0]
    view = members.list_members(book, search="ba")[0]
    assert view.party_years(dt.date(2026, 1, 25)) == 30


def test_seriously_ill_member_gets_the_badge_early_within_the_configured_months(book: Book) -> None:
    # 50 years on 10/12/2026; seriously ill: up to 12 months early (30–65 years).
    _add(
        book, "Trần Thị Bốn", admission_decision_date=dt.date(1976, 12, 10),
        admission_date=dt.date(1976, 12, 10), official_date=dt.date(1977, 12, 10),
        serious_illness=True,
    )  # fmt: skip
    # 70 years on 1/9/2027: up to 24 months early.
    _add(
        book, "Hồ Văn Sáu", admission_date=dt.date(1957, 9, 1),
        official_date=dt.date(1958, 9, 1), serious_illness=True,
    )  # fmt: skip
    _add(
        book,
        "Võ Văn Bảy",
        admission_date=dt.date(1976, 12, 10),
        official_date=dt.date(1977, 12, 10),
    )
    due = {b.full_name: b for b in milestones.badges_due(book, award_date=dt.date(2026, 2, 3))}
    assert due["Trần Thị Bốn"].kind == "early" and due["Trần Thị Bốn"].years == 50
    assert "(có thể cấu hình)" in due["Trần Thị Bốn"].notes[-1]
    assert due["Hồ Văn Sáu"].years == 70 and due["Hồ Văn Sáu"].kind == "early"
    assert "Võ Văn Bảy" not in due  # not ill: due at 3/2/2027, after its 50 years on 10/12/2026
    earlier = {b.full_name for b in milestones.badges_due(book, award_date=dt.date(2025, 11, 7))}
    assert "Trần Thị Bốn" not in earlier  # more than 12 months before 10/12/2026
    assert "Hồ Văn Sáu" in earlier  # within 24 months of 1/9/2027
    milestones.set_badge_rules(
        book, rules=milestones.BadgeRules(early_months_high=12), reason="theo hướng dẫn"
    )
    later = {b.full_name for b in milestones.badges_due(book, award_date=dt.date(2026, 2, 3))}
    assert "Hồ Văn Sáu" not in later


def test_member_who_died_before_the_presentation_is_awarded_posthumously(book: Book) -> None:
    # 60 years on 10/12/2025, died 20/1/2026 before the 3/2/2026 presentation.
    _add(
        book, "Bùi Văn Tám", admission_date=dt.date(1965, 12, 10),
        official_date=dt.date(1966, 12, 10), status="tu_tran", death_date=dt.date(2026, 1, 20),
    )  # fmt: skip
    # Died before reaching the years (not seriously ill): no badge.
    _add(
        book, "Ngô Văn Chín", admission_date=dt.date(1966, 1, 25),
        official_date=dt.date(1967, 1, 25), status="tu_tran", death_date=dt.date(2026, 1, 20),
    )  # fmt: skip
    due = {b.full_name: b for b in milestones.badges_due(book, award_date=dt.date(2026, 2, 3))}
    assert due["Bùi Văn Tám"].kind == "posthumous" and due["Bùi Văn Tám"].years == 60
    assert "truy tặng" in due["Bùi Văn Tám"].notes[-1]
    assert "Ngô Văn Chín" not in due
    from reports.printing import badges_pdf
    from tests.app.test_feedback_kit import pdf_text

    printed = pdf_text(badges_pdf(book, award_date=dt.date(2026, 2, 3)))
    assert "Truy tặng (đã từ trần)" in " ".join(printed.split())
    milestones.set_badge_rules(book, rules=milestones.BadgeRules(posthumous=False))
    assert "Bùi Văn Tám" not in {
        b.full_name for b in milestones.badges_due(book, award_date=dt.date(2026, 2, 3))
    }


def test_cli_badges_and_dashboard_show_the_new_rules(tmp_path: Path) -> None:
    import json

    from tests.cli_runner import run_sotay

    data = tmp_path / "so"
    r = run_sotay(data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường")
    assert r.returncode == 0, r.stderr
    today = dt.date.today()
    ceremony = milestones.add_years(today, -1) - dt.timedelta(days=28)
    r = run_sotay(
        data, "members", "add", "--name", "Đặng Văn Giang", "--birth", "1995-03-12",
        "--admitted", ceremony.isoformat(), "--status", "du_bi",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    award = milestones.next_award_date(today)
    decision = milestones.add_years(award, -50) + dt.timedelta(days=200)  # 50 years after award
    r = run_sotay(
        data, "members", "add", "--name", "Trần Thị Bốn", "--birth", "1950-01-01",
        "--decision", decision.isoformat(), "--admitted", decision.isoformat(),
        "--official", milestones.add_years(decision, 1).isoformat(), "--serious-illness", "có",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = run_sotay(data, "dashboard", "--json")
    assert r.returncode == 0, r.stderr
    board = json.loads(r.stdout)
    (case,) = board["probation"]
    assert case["full_name"] == "Đặng Văn Giang" and case["overdue_days"] == 28
    assert "chi bộ cần xét công nhận chính thức; quá 28 ngày" in case["message"]
    assert any(a["kind"] == "probation" for a in board["attention"])
    r = run_sotay(data, "members", "badges", "--json")
    assert r.returncode == 0, r.stderr
    (due,) = json.loads(r.stdout)["members"]
    assert (due["full_name"], due["kind"], due["years"]) == ("Trần Thị Bốn", "early", 50)
    r = run_sotay(data, "members", "badges", "--set", "early_months_low=0", "--reason", "thử")
    assert r.returncode == 0, r.stderr
    assert "Không có đảng viên nào đủ mốc" in r.stdout
    assert "(có thể cấu hình): 0" in r.stdout


def test_status_column_short_forms_and_introduced_elsewhere() -> None:
    from app.importers.cells import parse_status

    assert parse_status("MSH").value == "mien_sinh_hoat"
    assert parse_status("miễn SH").value == "mien_sinh_hoat"
    assert parse_status("DB").value == "du_bi"
    assert parse_status("SHTT").value == "sinh_hoat_tam_thoi"
    # Issue 13: the status now exists (MemberStatus.AWAY); it was a warning with no status.
    elsewhere = parse_status("Giới thiệu sinh hoạt tạm thời nơi khác")
    assert elsewhere.value == "gioi_thieu_sh_noi_khac" and elsewhere.error is None

"""Đảng phí through the service API the window uses: what is due, payments (late, in
advance, on DVCQG), the refusals, the history of settings, warnings and imports."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.book import Book
from app.errors import KnownError, ValidationError
from app.models import AuditEntry, DuesPayment, OutboxEntry
from app.services import dashboard, dues, members
from tests.app.dues_kit import TODAY, DuesBranch, make_dues_branch


@pytest.fixture
def branch(book: Book) -> DuesBranch:
    return make_dues_branch(book)


def _rows(book: Book) -> tuple[int, int, int]:
    with book.read_session() as s:
        return (
            s.scalar(select(func.count()).select_from(DuesPayment)) or 0,
            s.scalar(select(func.count()).select_from(AuditEntry)) or 0,
            s.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        )


def test_due_follows_the_rates_rounding_and_automatic_exemption(
    book: Book, branch: DuesBranch
) -> None:
    sheet = dues.month_sheet(book, month="2026-11")
    by_name = {r.full_name: r for r in sheet.rows}
    # 1% of 5,234,000 = 52,340 → rounded to 1,000 đ (configurable).
    assert by_name["Nguyễn Văn An"].due == 52_000
    # 0.5% of a 6,000,000 pension.
    assert by_name["Trần Thị Bích"].due == 30_000
    # Admitted 1970: 50+ years of tuổi đảng, exempt whatever the setting says.
    assert by_name["Lê Văn Cường"].exempt and by_name["Lê Văn Cường"].due == 0
    assert "50 năm tuổi Đảng" in by_name["Lê Văn Cường"].exempt_reason
    # A fixed amount without one given takes the configurable default.
    assert by_name["Hoàng Văn Em"].due == 5_000
    assert sheet.total_due == 52_000 + 30_000 + 10_000 + 5_000
    # Rounding is a setting: without it the exact 1% is due.
    dues.set_rules(book, rules=dues.DuesRules(round_to=1))
    assert dues.month_sheet(book, month="2026-11").row(branch.ids["Nguyễn Văn An"]).due == 52_340  # type: ignore[union-attr]


def test_a_member_admitted_in_may_owes_nothing_before(book: Book, branch: DuesBranch) -> None:
    april = dues.month_sheet(book, month="2026-04")
    assert branch.ids["Phạm Thị Dung"] not in {r.member_id for r in april.rows}
    with pytest.raises(ValidationError, match=r"Tháng 4/2026 trước khi đồng chí Phạm Thị Dung"):
        dues.pay(book, member=branch.ids["Phạm Thị Dung"], months=["2026-04"], today=TODAY)


def test_late_and_advance_payments_in_one_action_with_one_receipt(
    book: Book, branch: DuesBranch
) -> None:
    an = branch.ids["Nguyễn Văn An"]
    done = dues.pay(book, member=an, months=dues.parse_months("2026-10..2027-01"), today=TODAY)
    assert [p.month for p in done.payments] == ["2026-10", "2026-11", "2026-12", "2027-01"]
    assert [p.timing for p in done.payments] == ["late", "late", "on_time", "advance"]
    assert done.total == 4 * 52_000 and done.receipt_no == 1
    receipts = dues.receipts(book, member=an)
    assert len(receipts) == 1 and receipts[0].months_text == "10, 11, 12/2026, 1/2027"
    # The next cash payment gets the next receipt number.
    other = dues.pay(book, member=branch.ids["Hoàng Văn Em"], months=["2026-12"], today=TODAY)
    assert other.receipt_no == 2


def test_dvcqg_needs_its_reference_and_is_not_a_receipt(book: Book, branch: DuesBranch) -> None:
    bich = branch.ids["Trần Thị Bích"]
    with pytest.raises(ValidationError, match="mã giao dịch"):
        dues.pay(book, member=bich, months=["2026-11"], via="dvcqg", today=TODAY)
    paid = dues.pay(
        book,
        member=bich,
        months=["2026-11"],
        via="dvcqg",
        reference="DVC-0099",
        paid_on=dt.date(2026, 11, 20),
        today=TODAY,
    )
    assert paid.receipt_no is None and paid.payments[0].reference == "DVC-0099"
    row = dues.month_sheet(book, month="2026-11").row(bich)
    assert row is not None and row.paid == 30_000 and row.channel == "dvcqg"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": -5_000}, "phải lớn hơn 0"),
        ({"amount": 0}, "phải lớn hơn 0"),
        ({"amount": 900_000_000}, "vượt quá mức hợp lý"),
        ({"amount": 10_000}, "thấp hơn đảng phí phải đóng"),
        ({"via": "the"}, "Hình thức đóng"),
        ({"paid_on": dt.date(2026, 12, 25)}, "chưa đến"),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_stored(
    book: Book, branch: DuesBranch, kwargs: dict[str, object], message: str
) -> None:
    before = _rows(book)
    with pytest.raises(KnownError, match=message):
        dues.pay(
            book,
            member=branch.ids["Nguyễn Văn An"],
            months=["2026-09", "2026-10"],
            today=TODAY,
            **kwargs,
        )  # type: ignore[arg-type]
    assert _rows(book) == before


def test_a_month_paid_twice_is_refused_whole(book: Book, branch: DuesBranch) -> None:
    an = branch.ids["Nguyễn Văn An"]
    dues.pay(book, member=an, months=["2026-10"], today=TODAY)
    before = _rows(book)
    with pytest.raises(
        ValidationError, match=r"đã đóng đảng phí tháng 10/2026 .*không ghi lần hai"
    ):
        dues.pay(book, member=an, months=dues.parse_months("2026-09..2026-11"), today=TODAY)
    assert _rows(book) == before  # 9 and 11 were not stored either


def test_a_month_after_the_member_left_is_refused(book: Book, branch: DuesBranch) -> None:
    em = branch.ids["Hoàng Văn Em"]
    view = members.get(book, member_id=em)
    data = members.MemberInput(
        full_name=view.full_name,
        admission_date=view.admission_date,
        card_number=view.card_number,
        personal_id=view.personal_id,
        status="chuyen_di",
    )
    members.update(book, member_id=em, data=data)
    left = dt.date.today()
    after = f"{left.year + (left.month == 12):04d}-{left.month % 12 + 1:02d}"
    with pytest.raises(ValidationError, match="đã thôi sinh hoạt"):
        dues.pay(book, member=em, months=[after], amount=5_000, today=TODAY)


def test_reductions_are_limited_to_twelve_months_with_a_reason(
    book: Book, branch: DuesBranch
) -> None:
    bich = branch.ids["Trần Thị Bích"]
    common = {
        "member": bich,
        "basis": "pension",
        "income": 6_000_000,
        "effective_from": "2026-03",
        "today": TODAY,
    }
    with pytest.raises(ValidationError, match="tối đa 12 tháng; từ 3/2026 đến 6/2027 là 16"):
        dues.set_setting(book, **common, reduce_percent=50, reduce_until="2027-06", reason="Đơn")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="30, 50 hoặc 70"):
        dues.set_setting(book, **common, reduce_percent=40, reduce_until="2026-12", reason="Đơn")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        dues.set_setting(book, **common, reduce_percent=50, reduce_until="2026-12")  # type: ignore[arg-type]
    dues.set_setting(
        book,
        **common,
        reduce_percent=50,
        reduce_until="2026-12",  # type: ignore[arg-type]
        reason="Đơn ngày 01/3/2026, ốm dài ngày",
    )
    months = {
        m: dues.month_sheet(book, month=m).row(bich) for m in ("2026-02", "2026-03", "2027-01")
    }
    assert [r.due for r in months.values() if r] == [30_000, 15_000, 30_000]
    history = dues.history(book, member=bich)
    assert [(h.effective_from, h.reduce_percent) for h in history] == [
        ("2026-01", None),
        ("2026-03", 50),
    ]


def test_voluntary_amounts_and_exemptions_on_application(book: Book, branch: DuesBranch) -> None:
    an = branch.ids["Nguyễn Văn An"]
    with pytest.raises(ValidationError, match=r"thấp hơn mức phải đóng 52\.000"):
        dues.set_setting(
            book,
            member=an,
            basis="salary",
            income=5_234_000,
            amount=40_000,
            effective_from="2026-12",
            today=TODAY,
        )
    dues.set_setting(
        book,
        member=an,
        basis="salary",
        income=5_234_000,
        amount=100_000,
        effective_from="2026-12",
        today=TODAY,
    )
    assert dues.month_sheet(book, month="2026-12").row(an).due == 100_000  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="cần ghi lý do"):
        dues.set_setting(
            book,
            member="79000105",
            basis="exempt",
            exempt_kind="poor",
            effective_from="2026-12",
            today=TODAY,
        )
    dues.set_setting(
        book,
        member="79000105",
        basis="exempt",
        exempt_kind="poor",
        reason="Giấy chứng nhận hộ nghèo số 12/2026",
        effective_from="2026-12",
        today=TODAY,
    )
    row = dues.month_sheet(book, month="2026-12").row(branch.ids["Hoàng Văn Em"])
    assert row is not None and row.exempt and "Hộ nghèo" in row.exempt_reason
    # November keeps the earlier setting (history, effective from a month).
    assert dues.month_sheet(book, month="2026-11").row(branch.ids["Hoàng Văn Em"]).due == 5_000  # type: ignore[union-attr]


def test_a_payment_is_audited_and_queued_for_sync_in_its_own_commit(
    book: Book, branch: DuesBranch
) -> None:
    dues.pay(book, member=branch.ids["Trần Thị Bích"], months=["2026-11"], today=TODAY)
    with book.read_session() as s:
        out = s.scalars(select(OutboxEntry).where(OutboxEntry.entity == "dues_payment")).all()
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "dues_payment")).all()
    assert len(out) == 1 and json.loads(out[0].fields_json)["amount"] == 30_000
    assert "Trần Thị Bích đóng đảng phí tháng 11/2026: 30.000 đ" in audit[0].summary


def test_three_unpaid_months_without_a_reason_are_listed_for_xoa_ten(
    book: Book, branch: DuesBranch
) -> None:
    an, bich = branch.ids["Nguyễn Văn An"], branch.ids["Trần Thị Bích"]
    dues.pay(book, member=an, months=dues.parse_months("2026-01..2026-08"), today=TODAY)
    dues.pay(book, member=bich, months=dues.parse_months("2026-01..2026-09"), today=TODAY)
    dues.excuse(book, member=bich, months=["2026-10"], reason="Nằm viện, gia đình báo", today=TODAY)
    unpaid = {u.member_id: u for u in dues.unpaid_members(book, today=TODAY)}
    assert unpaid[an].removal
    assert "chưa đóng đảng phí 3 tháng trong năm 2026: 9, 10, 11/2026" in unpaid[an].message
    # One month with a recorded reason: listed as unpaid, not for xóa tên.
    assert not unpaid[bich].removal and unpaid[bich].unpaid == ("2026-10", "2026-11")
    board = dashboard.dashboard(book, today=TODAY)
    kinds = {(a.member_id, a.kind) for a in board.attention}
    assert (an, "dues_removal") in kinds and (bich, "dues") in kinds
    as_json = board.to_json()
    listed = {u["member_id"]: u for u in as_json["dues_unpaid"]}
    assert listed[an]["months"] == ["2026-09", "2026-10", "2026-11"]
    assert "attention" in as_json and "trend" in as_json  # the existing keys stay
    # Paying one month takes the member below the rule.
    dues.pay(book, member=an, months=["2026-09"], today=TODAY)
    again = {u.member_id: u for u in dues.unpaid_members(book, today=TODAY)}
    assert not again[an].removal


def test_the_xoa_ten_window_can_be_twelve_months(book: Book, branch: DuesBranch) -> None:
    an = branch.ids["Nguyễn Văn An"]
    dues.pay(book, member=an, months=dues.parse_months("2026-02..2026-11"), today=TODAY)
    later = dt.date(2027, 2, 10)  # the last 12 months: 2/2026..1/2027; 12/2026, 1/2027 unpaid
    calendar = {u.member_id: u for u in dues.unpaid_members(book, today=later)}
    assert not calendar[an].removal  # only January in 2027
    dues.set_rules(book, rules=dues.DuesRules(removal_window="rolling12"))
    rolling = {u.member_id: u for u in dues.unpaid_members(book, today=later)}
    assert not rolling[an].removal  # 12/2026 and 1/2027: two months
    dues.set_rules(book, rules=dues.DuesRules(removal_window="rolling12", removal_months=2))
    rolling = {u.member_id: u for u in dues.unpaid_members(book, today=later)}
    assert rolling[an].removal and rolling[an].unexcused == ("2026-12", "2027-01")


def test_the_period_report_splits_collected_retained_and_remitted(
    book: Book, branch: DuesBranch
) -> None:
    dues.pay(
        book,
        member=branch.ids["Nguyễn Văn An"],
        months=dues.parse_months("2026-10..2026-12"),
        paid_on=dt.date(2026, 10, 5),
        today=TODAY,
    )
    dues.pay(
        book,
        member=branch.ids["Trần Thị Bích"],
        months=["2026-11"],
        via="dvcqg",
        reference="DVC-1",
        paid_on=dt.date(2026, 11, 3),
        today=TODAY,
    )
    dues.remit(
        book, period="2026-Q4", amount=100_000, remitted_on=dt.date(2026, 12, 1), today=TODAY
    )
    f = dues.period_report(book, period="2026-Q4")
    assert (f.collected_cash, f.collected_online, f.collected) == (156_000, 30_000, 186_000)
    assert (f.retained, f.to_remit, f.remitted, f.outstanding) == (55_800, 130_200, 100_000, 30_200)
    assert f.by_month == (("2026-10", 156_000, 0), ("2026-11", 0, 30_000), ("2026-12", 0, 0))
    with pytest.raises(ValidationError, match="quý"):
        dues.period_report(book, period="2026-Q5")


def _dvcqg_sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["DANH SÁCH NỘP ĐẢNG PHÍ TRÊN CỔNG DỊCH VỤ CÔNG QUỐC GIA"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Số CCCD", "Kỳ đóng", "Số tiền", "Mã giao dịch", "Ngày nộp"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_dvcqg_list_is_previewed_then_imported_once(
    book: Book, branch: DuesBranch, tmp_path: Path
) -> None:
    path = _dvcqg_sheet(
        tmp_path / "dvcqg.xlsx",
        [
            [
                1,
                "NGUYỄN VĂN AN",
                "052090001234",
                "Tháng 9-11/2026",
                156000,
                "DVC-001",
                "20/11/2026",
            ],
            [2, "Trần Thị Bích", "052085004321", "11/2026", 30000, "DVC-002", "21/11/2026"],
        ],
    )
    before = _rows(book)
    preview = dues.import_payments(book, path=path, dry_run=True, today=TODAY)
    assert [r.state for r in preview.rows] == ["new", "new"]
    assert preview.rows[0].months == ("2026-09", "2026-10", "2026-11")
    assert _rows(book) == before
    done = dues.import_payments(book, path=path, today=TODAY)
    assert done.stored and done.count("new") == 2
    row = dues.month_sheet(book, month="2026-10").row(branch.ids["Nguyễn Văn An"])
    assert row is not None and row.paid == 52_000 and row.channel == "dvcqg"
    again = dues.import_payments(book, path=path, today=TODAY)
    assert [r.state for r in again.rows] == ["already", "already"]
    assert _rows(book)[0] == before[0] + 4


def test_an_import_row_matching_nobody_or_two_people_stores_nothing(
    book: Book, branch: DuesBranch, tmp_path: Path
) -> None:
    members.create(book, data=members.MemberInput("Trần Thị Bích", card_number="79000199"))
    nobody = _dvcqg_sheet(
        tmp_path / "a.xlsx",
        [
            [1, "Nguyễn Văn An", "052090001234", "11/2026", 52000, "DVC-9", "20/11/2026"],
            [2, "Đỗ Văn Lạ", "052099999999", "11/2026", 30000, "DVC-10", "20/11/2026"],
        ],
    )
    before = _rows(book)
    with pytest.raises(
        ValidationError, match=r"Chưa nhập gì: 1 dòng cần sửa — Dòng 5: không có đảng viên"
    ):
        dues.import_payments(book, path=nobody, today=TODAY)
    assert _rows(book) == before
    two = _dvcqg_sheet(
        tmp_path / "b.xlsx",
        [
            [1, "Trần Thị Bích", "", "11/2026", 30000, "DVC-11", "20/11/2026"],
        ],
    )
    with pytest.raises(ValidationError, match="khớp với 2 đảng viên cùng tên"):
        dues.import_payments(book, path=two, today=TODAY)
    assert _rows(book) == before


def test_a_bank_statement_csv_is_matched_by_the_cccd_in_its_text(
    book: Book, branch: DuesBranch, tmp_path: Path
) -> None:
    path = tmp_path / "saoke.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Nội dung"])
        w.writerow(
            [
                "15/11/2026",
                "FT2611150001",
                "30.000",
                "TRAN THI BICH 052085004321 nop dang phi T11/2026",
            ]
        )
    done = dues.import_payments(book, path=path, today=TODAY)
    assert done.channel == "bank" and done.count("new") == 1
    row = dues.month_sheet(book, month="2026-11").row(branch.ids["Trần Thị Bích"])
    assert row is not None and row.paid == 30_000 and row.channel == "bank"

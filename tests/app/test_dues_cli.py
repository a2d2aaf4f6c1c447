"""`sotay dues …` run as real processes: the JSON contracts, the refusals as one Vietnamese
line, the yearly book and the period report as PDF (text read back) and as .xlsx (cells)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.book import open_book
from app.services import dues
from tests.app.dues_kit import make_dues_branch
from tests.app.test_feedback_kit import pdf_text
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay

THIS = dt.date.today()
MONTH = f"{THIS:%Y-%m}"
YEAR = THIS.year
BOOK_MONTH = 1 if THIS.month > 1 else 2  # paid in the fixture, never this month


def sotay(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_sotay(data_dir, *args, password=CLI_PASSWORD)


@pytest.fixture(scope="module")
def cli_branch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    data = tmp_path_factory.mktemp("dues") / "so"
    r = sotay(
        data,
        "init",
        "--branch",
        "Chi bộ Khu phố 3",
        "--committee",
        "Đảng bộ phường Quy Nhơn",
        "--place",
        "Quy Nhơn",
        "--secretary",
        "Trần Văn Bình",
    )
    assert r.returncode == 0, r.stderr
    book = open_book(data, password=CLI_PASSWORD)
    try:
        ids = make_dues_branch(book).ids
        # One month paid (cash) by one member: what the yearly book tests read.
        dues.pay(book, member=ids["Trần Thị Bích"], months=[f"{YEAR}-{BOOK_MONTH:02d}"])
    finally:
        book.close()
    return data, ids


def test_set_pay_and_the_month_sheet_as_json(cli_branch: tuple[Path, dict[str, str]]) -> None:
    data, ids = cli_branch
    r = sotay(
        data,
        "dues",
        "set",
        "79000101",
        "--basis",
        "salary",
        "--income",
        "6.100.000",
        "--from",
        MONTH,
        "--json",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["income"] == 6_100_000
    r = sotay(data, "dues", "pay", ids["Nguyễn Văn An"], "--month", MONTH, "--json")
    assert r.returncode == 0, r.stderr
    paid = json.loads(r.stdout)
    assert paid["total"] == 61_000 and paid["months"] == [MONTH]
    r = sotay(
        data,
        "dues",
        "pay",
        "Trần Thị Bích",
        "--month",
        MONTH,
        "--via",
        "dvcqg",
        "--ref",
        "DVC-77",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    r = sotay(data, "dues", "due", "--month", MONTH, "--json")
    assert r.returncode == 0, r.stderr
    sheet = json.loads(r.stdout)
    assert set(sheet) == {"month", "rows", "total_due", "total_paid", "owing_window"}
    rows = {row["full_name"]: row for row in sheet["rows"]}
    assert set(rows["Nguyễn Văn An"]) == {
        "member_id",
        "full_name",
        "due",
        "paid",
        "exempt",
        "channel",
        "owing",
        "owing_text",
    }
    owing = {"owing": [], "owing_text": ""}  # earlier unpaid months: tests/app/test_dues_year_*
    expected = {
        "member_id": "",
        "full_name": "Nguyễn Văn An",
        "due": 61_000,
        "paid": 61_000,
        "exempt": False,
        "channel": "cash",
    }
    assert rows["Nguyễn Văn An"] | {"member_id": ""} | owing == expected | owing
    assert rows["Trần Thị Bích"]["channel"] == "dvcqg" and rows["Trần Thị Bích"]["paid"] == 30_000
    assert rows["Lê Văn Cường"]["exempt"] is True and rows["Lê Văn Cường"]["due"] == 0
    assert sheet["total_paid"] == 91_000
    assert sheet["total_due"] == sum(row["due"] for row in sheet["rows"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pay", "79000105", "--month", MONTH, "--amount", "-5000"), "Số tiền không được âm"),
        (("pay", "79000105", "--month", "2026-13"), "Không hiểu tháng “2026-13”"),
        (("pay", "79000104", "--month", "2026-01"), "trước khi đồng chí Phạm Thị Dung vào Đảng"),
        (("pay", "Không Có Ai", "--month", MONTH), "Không tìm thấy đảng viên “Không Có Ai”"),
        (
            (
                "set",
                "79000105",
                "--basis",
                "fixed",
                "--reduce",
                "50",
                "--until",
                f"{YEAR + 2}-01",
                "--reason",
                "Đơn",
                "--from",
                MONTH,
            ),
            "tối đa 12 tháng",
        ),
        (("set", "79000105", "--basis", "salary"), "Cần nhập thu nhập hằng tháng"),
        (("book", "--year", str(YEAR), "-o", "so.docx"), "Tệp ra phải có đuôi .pdf hoặc .xlsx"),
    ],
)
def test_bad_input_is_one_vietnamese_line(
    cli_branch: tuple[Path, dict[str, str]], args: tuple[str, ...], message: str
) -> None:
    data, _ids = cli_branch
    assert message in one_line_error(sotay(data, "dues", *args))


def test_paying_a_month_twice_is_refused(cli_branch: tuple[Path, dict[str, str]]) -> None:
    data, _ids = cli_branch
    first = sotay(data, "dues", "pay", "79000105", "--month", MONTH, "--json")
    assert first.returncode == 0, first.stderr
    error = one_line_error(sotay(data, "dues", "pay", "79000105", "--month", MONTH))
    assert "không ghi lần hai" in error


def test_the_yearly_book_as_pdf_and_xlsx(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, _ids = cli_branch
    pdf = tmp_path / "so-dang-phi.pdf"
    r = sotay(data, "dues", "book", "--year", str(YEAR), "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    text = pdf_text(pdf.read_bytes())
    assert f"SỔ THEO DÕI THU, NỘP ĐẢNG PHÍ NĂM {YEAR}" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CHI BỘ KHU PHỐ 3" in text
    assert "Trần Thị Bích" in text and "30.000" in text and "Miễn" in text
    assert "T/M CHI BỘ" in text and "Trần Văn Bình" in text
    xlsx = tmp_path / "so-dang-phi.xlsx"
    r = sotay(data, "dues", "book", "--year", str(YEAR), "-o", str(xlsx))
    assert r.returncode == 0, r.stderr
    ws = load_workbook(xlsx).active
    assert ws is not None
    cells = {str(row[1].value): row for row in ws.iter_rows() if row[1].value}
    col = 1 + BOOK_MONTH  # the month's column holds the number
    assert cells["Trần Thị Bích"][col].value == 30_000
    assert cells["Lê Văn Cường"][col].value == "Miễn"
    assert cells["Nguyễn Văn An"][col].value is None  # not paid: an empty cell
    assert cells["Cộng"][col].value == 30_000


def test_the_period_report_receipt_and_member_page(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, ids = cli_branch
    paid = sotay(data, "dues", "pay", "79000104", "--month", MONTH, "--json")
    assert paid.returncode == 0, paid.stderr
    quarter = f"{YEAR}-Q{(THIS.month - 1) // 3 + 1}"
    r = sotay(data, "dues", "report", "--period", quarter, "--json")
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout)
    assert figures["collected"] >= 10_000
    assert figures["retained"] + figures["to_remit"] == figures["collected"]
    pdf = tmp_path / "bao-cao.pdf"
    assert sotay(data, "dues", "report", "--period", quarter, "-o", str(pdf)).returncode == 0
    text = pdf_text(pdf.read_bytes())
    assert "BÁO CÁO" in text and "Thu, nộp đảng phí quý" in text
    assert "Chi bộ được giữ lại (30%, có thể cấu hình)" in text
    assert "Số phải nộp lên cấp trên" in text and "Nơi nhận:" in text
    xlsx = tmp_path / "bao-cao.xlsx"
    assert sotay(data, "dues", "report", "--period", quarter, "-o", str(xlsx)).returncode == 0
    ws = load_workbook(xlsx).active
    assert ws is not None
    values = {str(row[1].value): row[2].value for row in ws.iter_rows() if row[1].value}
    assert values["Tổng số đảng phí thu được trong kỳ"] == figures["collected"]
    receipt = tmp_path / "bien-lai.pdf"
    r = sotay(data, "dues", "receipt", "--member", ids["Phạm Thị Dung"], "-o", str(receipt))
    assert r.returncode == 0, r.stderr
    text = pdf_text(receipt.read_bytes())
    assert "BIÊN LAI THU ĐẢNG PHÍ" in text and "Mười nghìn đồng" in text
    assert "Phạm Thị Dung" in text and f"{THIS.month}/{YEAR}" in text
    page = tmp_path / "trang-rieng.pdf"
    r = sotay(data, "dues", "member", "79000101", "--year", str(YEAR), "-o", str(page))
    assert r.returncode == 0, r.stderr
    text = pdf_text(page.read_bytes())
    assert f"ĐẢNG PHÍ NĂM {YEAR}" in text and "Đồng chí Nguyễn Văn An" in text


def test_import_dry_run_then_store(cli_branch: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    data, _ids = cli_branch
    path = tmp_path / "dvcqg.csv"
    nxt = f"{YEAR + (THIS.month == 12):04d}-{THIS.month % 12 + 1:02d}"
    label = f"{int(nxt[5:])}/{nxt[:4]}"
    path.write_text(
        "STT,Họ và tên,Số thẻ đảng viên,Kỳ đóng,Số tiền,Mã giao dịch\n"
        f"1,Hoàng Văn Em,79000105,{label},5000,DVC-5\n",
        encoding="utf-8",
    )
    r = sotay(data, "dues", "import", str(path), "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    preview = json.loads(r.stdout)
    assert preview["stored"] is False and preview["new"] == 1
    r = sotay(data, "dues", "import", str(path), "--json")
    assert json.loads(r.stdout)["stored"] is True
    r = sotay(data, "dues", "import", str(path), "--json")
    assert json.loads(r.stdout)["already"] == 1


def test_dashboard_json_lists_unpaid_members(cli_branch: tuple[Path, dict[str, str]]) -> None:
    data, _ids = cli_branch
    r = sotay(data, "dashboard", "--json")
    assert r.returncode == 0, r.stderr
    board = json.loads(r.stdout)
    assert "dues_unpaid" in board and "attention" in board and "next_meeting" in board
    if THIS.month > 1:  # months of this year already over and not paid
        names = {u["full_name"] for u in board["dues_unpaid"]}
        assert "Hoàng Văn Em" in names


def test_the_configurable_rules_say_so_and_can_be_changed(tmp_path: Path) -> None:
    data = tmp_path / "so"
    r = sotay(
        data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn"
    )
    assert r.returncode == 0, r.stderr
    r = sotay(data, "dues", "rules")
    assert r.returncode == 0, r.stderr
    assert "Làm tròn đến: 1.000 đ (có thể cấu hình)" in r.stdout
    assert "Chi bộ được giữ lại: 30% (có thể cấu hình)" in r.stdout
    r = sotay(data, "dues", "rules", "--round-to", "100", "--window", "rolling12", "--json")
    assert r.returncode == 0, r.stderr
    rules = json.loads(r.stdout)
    assert rules["round_to"] == 100 and rules["removal_window"] == "rolling12"
    assert "chỉ nhận 1 (không làm tròn), 100" in one_line_error(
        sotay(data, "dues", "rules", "--round-to", "300")
    )

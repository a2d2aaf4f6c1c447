"""`sotay feedback …`, `sotay reports …`, `sotay support …` run as real processes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from app.book import open_book
from tests.app.test_feedback_kit import make_branch, month_before, pdf_text
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = CLI_PASSWORD


def sotay(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_sotay(data_dir, *args, password=PASSWORD)


_one_line_error = one_line_error


@pytest.fixture
def cli_branch(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    data = tmp_path / "so"
    r = sotay(data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn",
              "--place", "Quy Nhơn", "--secretary", "Trần Văn Bình")  # fmt: skip
    assert r.returncode == 0, r.stderr
    book = open_book(data, password=PASSWORD)
    try:
        branch = make_branch(book)
    finally:
        book.close()
    return data, {name: v.id for name, v in branch.by_name.items()}


def test_feedback_from_the_command_line(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, ids = cli_branch
    r = sotay(data, "feedback", "add", "--member", ids["Lê Văn Tám"], "--kind", "phan_anh",
              "--content", "Đèn đường hẻm 5 bị hỏng.", "--channel", "dien_thoai", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    added = json.loads(r.stdout)
    assert added["kind_label"] == "Phản ánh"
    assert added["state"] == "received"
    error = _one_line_error(
        sotay(
            data,
            "feedback",
            "add",
            "--member",
            ids["Bùi Thị Xuân"],
            "--kind",
            "gop_y",
            "--content",
            "Ý kiến",
        )
    )
    assert "Bùi Thị Xuân đã chuyển sinh hoạt đi nơi khác" in error
    r = sotay(data, "feedback", "answer", added["id"], "--text", "Phường đã thay bóng đèn.",
              "-o", str(tmp_path / "tra-loi.pdf"))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "Phường đã thay bóng đèn." in pdf_text((tmp_path / "tra-loi.pdf").read_bytes())
    r = sotay(data, "feedback", "list", "--json")
    assert r.returncode == 0, r.stderr
    (item,) = json.loads(r.stdout)
    assert item["member_name"] == "Lê Văn Tám"
    assert item["state_label"] == "Đã trả lời"


def test_reports_and_support_from_the_command_line(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, ids = cli_branch
    today = dt.date.today()
    r = sotay(data, "support", "add", "--date", f"{today:%Y-%m-%d}", "--place", "Nhà văn hóa",
              "--helper", "Nguyễn Thị Hòa", "--member", f"{ids['Lê Văn Tám']}:cai_dat,dang_ky",
              "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["attendees"][0]["actions"] == ["cai_dat", "dang_ky"]
    r = sotay(data, "support", "board", "--json")
    board = json.loads(r.stdout)
    assert (board["required"], board["registered"], board["approved"]) == (7, 4, 2)
    period = f"{month_before(today):%Y-%m}"
    out = tmp_path / "bao-cao.pdf"
    r = sotay(
        data, "reports", "draft", "--kind", "monthly", "--period", period, "-o", str(out), "--json"
    )
    assert r.returncode == 0, r.stderr
    drafted = json.loads(r.stdout)
    assert drafted["created"] is True
    assert drafted["state"] == "draft"
    text = pdf_text(out.read_bytes())
    assert "BÁO CÁO" in text and "(Dự thảo)" in text
    assert "I. TÌNH HÌNH SINH HOẠT CHI BỘ" in text
    r = sotay(data, "reports", "submit", drafted["id"], "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["number"] == "01-BC/CB"
    error = _one_line_error(
        sotay(data, "reports", "edit", drafted["id"], "--section", "6", "--body", "Xin kinh phí.")
    )
    assert "phải ghi lý do" in error
    r = sotay(data, "reports", "edit", drafted["id"], "--section", "6", "--body", "Xin kinh phí.",
              "--reason", "Bổ sung kiến nghị", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["revision"] == 2
    r = sotay(data, "reports", "pdf", drafted["id"], "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = pdf_text(out.read_bytes())
    assert "Số 01-BC/CB" in text
    assert "Bản sửa đổi lần 1: Bổ sung kiến nghị" in text
    assert "Xin kinh phí." in text
    error = _one_line_error(
        sotay(data, "reports", "draft", "--kind", "monthly", "--period", "2025/11")
    )
    assert "YYYY-MM" in error

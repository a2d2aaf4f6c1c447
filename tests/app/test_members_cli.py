"""`sotay members ...` run as a real process: the JSON contracts and the error path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "data" / "danh_sach_dang_vien_mau.xlsx"
PASSWORD = "mat-khau-dong-lenh"
CONTRACT_KEYS = {
    "id",
    "full_name",
    "birth_date",
    "gender",
    "admission_date",
    "official_date",
    "card_number",
    "personal_id",
    "phone",
    "status",
}


def sotay(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {"SOTAY_DATA_DIR": str(data_dir), "SOTAY_KDF_PROFILE": "test", "SOTAY_PASSWORD": PASSWORD}
    )
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.fixture
def cli_dir(tmp_path: Path) -> Path:
    data = tmp_path / "so"
    result = sotay(
        data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn",
        "--secretary", "Trần Văn Bình", "--place", "Quy Nhơn",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return data


def test_import_dry_run_then_import_then_list(cli_dir: Path, tmp_path: Path) -> None:
    dry = sotay(cli_dir, "members", "import", str(SAMPLE), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["dry_run"] is True and report["header_row"] == 7
    rows = {r["row"]: r for r in report["rows"]}
    assert rows[41]["outcome"] == "error"
    assert "31/02/1961" in rows[41]["messages"][0]
    assert all({"row", "outcome", "messages"} <= set(r) for r in report["rows"])

    listed = sotay(cli_dir, "members", "list", "--json")
    assert json.loads(listed.stdout) == {"members": []}  # the dry run wrote nothing

    done = sotay(cli_dir, "members", "import", str(SAMPLE), "--json")
    assert json.loads(done.stdout)["applied"] is True

    listed = json.loads(sotay(cli_dir, "members", "list", "--json").stdout)["members"]
    assert len(listed) == 31
    assert all(set(m) >= CONTRACT_KEYS for m in listed)
    binh = next(m for m in listed if m["full_name"] == "Trần Đức Bình")
    assert binh["personal_id"] == "001047100037"  # the lost zeros are back
    assert binh["gender"] == "nam" and binh["birth_date"] == "1947-02-06"
    assert {m["gender"] for m in listed} == {"nam", "nữ"}

    found = sotay(cli_dir, "members", "list", "--search", "dang", "--json")
    assert [m["full_name"] for m in json.loads(found.stdout)["members"]] == [
        "Đặng Văn Nam",
        "Đặng Công Sơn",
    ]
    xlsx = tmp_path / "xuat.xlsx"
    assert sotay(cli_dir, "members", "export", "-o", str(xlsx)).returncode == 0
    again = json.loads(sotay(cli_dir, "members", "import", str(xlsx), "--dry-run", "--json").stdout)
    assert again["counts"]["unchanged"] == 31 and again["counts"]["new"] == 0

    pdf = tmp_path / "ds.pdf"
    printed = sotay(cli_dir, "members", "pdf", "-o", str(pdf), "--large")
    assert printed.returncode == 0, printed.stderr
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3" in text
    assert "Trần Đức Bình" in text and "Tổng số: 31 đồng chí" in text


def test_add_edit_status_filter_and_badges(cli_dir: Path) -> None:
    added = sotay(
        cli_dir, "members", "add", "--name", "Lê  Văn   Ba", "--birth", "10/01/1970",
        "--gender", "nam", "--admitted", "1996-01-10", "--official", "1997-01-10",
        "--phone", "912 345 678", "--json",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    member = json.loads(added.stdout)
    assert (member["full_name"], member["phone"]) == ("Lê Văn Ba", "0912345678")
    edited = sotay(cli_dir, "members", "edit", member["id"], "--status", "dự bị", "--json")
    assert json.loads(edited.stdout)["status"] == "du_bi"
    assert "Lưu ý" in edited.stderr  # a dự bị with an official date is warned about
    only = json.loads(sotay(cli_dir, "members", "list", "--status", "du_bi", "--json").stdout)
    assert [m["full_name"] for m in only["members"]] == ["Lê Văn Ba"]
    badges = json.loads(
        sotay(cli_dir, "members", "badges", "--date", "2026-02-03", "--json").stdout
    )
    assert badges["award_date"] == "2026-02-03"
    assert [(m["full_name"], m["years"]) for m in badges["members"]] == [("Lê Văn Ba", 30)]


def test_errors_are_one_vietnamese_line(cli_dir: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "khong_phai.xlsx"
    bogus.write_bytes(b"\x00\x01\x02 not a spreadsheet at all \xff\xfe\x00")
    for args in (
        ("members", "import", str(bogus)),
        ("members", "list", "--status", "không có"),
        ("members", "add", "--name", "Lê Văn A", "--phone", "12"),
        ("members", "import", str(SAMPLE), "--map", "B"),
    ):
        result = sotay(cli_dir, *args)
        assert result.returncode != 0
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(sotay(cli_dir, "members", "list", "--json").stdout) == {"members": []}

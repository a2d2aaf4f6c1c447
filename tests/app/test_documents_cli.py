"""`sotay documents ...` run as a real process: the JSON contracts and the messages."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.app.document_files import PARTY_PLAN, make_pdf, seed_text, write

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-dong-lenh"


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
def cli_book(tmp_path: Path) -> Path:
    data = tmp_path / "so"
    result = sotay(
        data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn"
    )
    assert result.returncode == 0, result.stderr
    return data


def test_import_search_show_export_and_print(cli_book: Path, tmp_path: Path) -> None:
    plan = write(tmp_path / "in" / "ke-hoach.pdf", make_pdf([PARTY_PLAN]))
    seed = write(tmp_path / "in" / "kh-tho-xuan.txt", seed_text("seed001_head.txt").encode())
    result = sotay(cli_book, "documents", "import", str(plan), str(seed), str(plan), "--json")
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)
    assert (imported["imported"], imported["duplicates"], imported["failed"]) == (2, 1, 0)
    assert imported["results"][2]["status"] == "duplicate"
    assert "trùng nội dung" in imported["results"][2]["message"]

    result = sotay(cli_book, "documents", "search", "339-QD/TW", "--json")
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout)["results"]
    assert {r["filename"] for r in results} == {"ke-hoach.pdf", "kh-tho-xuan.txt"}
    for r in results:
        assert set(r) >= {"id", "title", "number", "filename", "snippet", "score"}
        assert "«339-QĐ/TW»" in r["snippet"]
    assert results[0]["score"] >= results[1]["score"]

    plan_id = next(r["id"] for r in results if r["filename"] == "ke-hoach.pdf")
    result = sotay(cli_book, "documents", "show", plan_id, "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["number"] == "05-KH/CB"
    assert shown["type"] == "KH"
    # Issue 12: an issuer of two lines (the parent body and the branch) is kept whole.
    assert shown["issuer"] == "ĐẢNG BỘ PHƯỜNG QUY NHƠN CHI BỘ KHU PHỐ 3"
    assert shown["date"] == "2025-11-05"
    assert shown["title"] == "KẾ HOẠCH học tập, quán triệt Quy định số 339-QĐ/TW của Ban Bí thư"

    out = tmp_path / "ra" / "ban-sao.pdf"
    result = sotay(cli_book, "documents", "export", plan_id[:8], "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == plan.read_bytes()

    large = tmp_path / "ra" / "chu-lon.pdf"
    result = sotay(cli_book, "documents", "print", plan_id, "--large", "-o", str(large))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(io.BytesIO(large.read_bytes()))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert "KẾ HOẠCH HỌC TẬP" in text
    assert "đảng viên cao tuổi được hỗ trợ" in " ".join(text.split())
    sizes: list[float] = []
    reader.pages[0].extract_text(
        visitor_text=lambda t, cm, tm, font, size: sizes.append(size * tm[0]) if t.strip() else None
    )
    assert max(sizes) >= 16  # large print: 16-18 pt


def test_bad_files_get_one_line_each_and_a_non_zero_exit(cli_book: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "bang.xlsb", b"\x00\x01binary")
    good = write(tmp_path / "ke-hoach.pdf", make_pdf([PARTY_PLAN]))
    result = sotay(cli_book, "documents", "import", str(bad), str(good))
    assert result.returncode == 2
    assert "Đã nhập: 05-KH/CB" in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        "Không nhập được bang.xlsb: Chưa nhập được loại tệp “.xlsb” (bang.xlsb). "
        "Chương trình nhận PDF, Word (.docx, .doc), OpenDocument (.odt), RTF (.rtf), "
        "bảng tính (.xlsx, .xls, .ods) và văn bản (.txt)."
    ]
    result = sotay(cli_book, "documents", "show", "khong-co-ma-nay")
    assert result.returncode == 4
    assert result.stderr.strip() == "Không tìm thấy tài liệu “khong-co-ma-nay” trong thư viện."
    assert "Traceback" not in result.stderr

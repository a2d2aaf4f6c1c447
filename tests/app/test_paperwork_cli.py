"""The command-line fixes of issue 13: badges on a day and month, a summary that is missing
said as such, a deadline that is not stale, the day a study paper was actually handed in."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from app.book import open_book
from app.services import members, study
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay


def sotay(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_sotay(data_dir, *args, password=CLI_PASSWORD)


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("paperwork") / "so"
    r = sotay(
        data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn",
        "--place", "Quy Nhơn", "--secretary", "Trần Văn Bình",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    text = data.parent / "ke-hoach.txt"
    text.write_text(
        "KẾ HOẠCH\nTuyên truyền về sử dụng ứng dụng Sổ tay đảng viên điện tử\n\n"
        + "Chi bộ tổ chức tuyên truyền, hướng dẫn đảng viên cài đặt và sử dụng ứng dụng. " * 8,
        encoding="utf-8",
    )
    book = open_book(data, password=CLI_PASSWORD)
    try:
        members.create(
            book,
            data=members.MemberInput(
                full_name="Lê Văn Tám",
                birth_date=dt.date(1950, 3, 2),
                gender="nam",
                admission_date=dt.date(1976, 11, 7),
                official_date=dt.date(1977, 11, 7),
                status="chinh_thuc",
            ),
        )
        campaign = study.create_campaign(
            book, data=study.CampaignInput(title="Học tập Nghị quyết số 57-NQ/TW")
        )
        from app.services import documents

        documents.import_file(book, path=text)
    finally:
        book.close()
    return data, campaign.id


def test_badges_take_the_day_and_month_their_help_suggests(
    branch: tuple[Path, str], tmp_path: Path
) -> None:
    data, _ = branch
    out = tmp_path / "huy-hieu.pdf"
    r = sotay(data, "members", "badges", "--date", "7/11", "--pdf", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert "Ngày" in one_line_error(sotay(data, "members", "badges", "--date", "8/11"))


def test_print_summary_says_the_summary_is_missing_not_the_text(
    branch: tuple[Path, str], tmp_path: Path
) -> None:
    data, _ = branch
    listed = json.loads(sotay(data, "documents", "list", "--json").stdout)
    doc_id = listed[0]["id"] if isinstance(listed, list) else listed["documents"][0]["id"]
    r = sotay(data, "documents", "print", doc_id, "--summary", "-o", str(tmp_path / "t.pdf"))
    message = one_line_error(r)
    assert "chưa có phần tóm tắt" in message and "chưa có nội dung chữ" not in message


def test_the_deployment_deadline_is_never_a_month_long_past(branch: tuple[Path, str]) -> None:
    data, _ = branch
    r = sotay(data, "reports", "due", "--deployment-due", "2025-11-15", "--json")
    assert r.returncode == 0, r.stderr
    due = dt.date.fromisoformat(json.loads(r.stdout)["deployment_due"])
    assert due >= dt.date.today().replace(day=1)


def test_study_record_takes_the_day_the_paper_was_handed_in(branch: tuple[Path, str]) -> None:
    data, campaign_id = branch
    r = sotay(
        data, "study", "record", campaign_id, "--member", "le van tam", "--date", "20/11/2026",
        "--json",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["submitted"] is True
    assert result["submitted_on"] == "2026-11-20"

"""`sotay meetings …`, `sotay attendance …`, `sotay stats …` run as real processes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from app.book import open_book
from app.errors import ValidationError
from tests.app.test_meetings_support import days_ago, make_branch, pdf_text
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


def test_create_mark_show_and_print_a_meeting(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, ids = cli_branch
    at = days_ago(2).strftime("%Y-%m-%d %H:%M")
    r = sotay(
        data,
        "meetings",
        "create",
        "--kind",
        "thuong_ky",
        "--at",
        at,
        "--place",
        "Nhà văn hóa",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    meeting_id = json.loads(r.stdout)["id"]

    r = sotay(
        data, "attendance", "mark", meeting_id, ids["Võ Thị Sáu"], "excused", "--reason", "Ốm"
    )
    assert r.returncode == 0, r.stderr
    r = sotay(data, "attendance", "mark", meeting_id, ids["Trần Văn Bình"], "present")
    assert r.returncode == 0, r.stderr

    r = sotay(data, "attendance", "show", meeting_id, "--json")
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["figures"]["present"] == 1 and shown["figures"]["absent_excused"] == 1
    by_id = {m["member_id"]: m for m in shown["members"]}
    assert by_id[ids["Võ Thị Sáu"]]["status"] == "excused"
    assert by_id[ids["Võ Thị Sáu"]]["reason"] == "Ốm"
    assert ids["Bùi Thị Xuân"] not in by_id

    r = sotay(data, "meetings", "list", "--json")
    assert r.returncode == 0, r.stderr
    [listed] = json.loads(r.stdout)["meetings"]
    assert listed["id"] == meeting_id and listed["present"] == 1 and listed["state"] == "open"

    out = tmp_path / "bien-ban.pdf"
    r = sotay(data, "meetings", "pdf", meeting_id, "--kind", "minutes", "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = " ".join(pdf_text(out.read_bytes()))
    assert "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ" in text and "Đồng chí Võ Thị Sáu: Ốm" in text


def test_bad_input_gives_one_vietnamese_line(cli_branch: tuple[Path, dict[str, str]]) -> None:
    data, ids = cli_branch
    at = days_ago(2).strftime("%Y-%m-%d %H:%M")
    r = sotay(
        data,
        "meetings",
        "create",
        "--kind",
        "thuong_ky",
        "--at",
        at,
        "--place",
        "Nhà văn hóa",
        "--json",
    )
    meeting_id = json.loads(r.stdout)["id"]
    assert "cùng lúc" in _one_line_error(
        sotay(data, "meetings", "create", "--kind", "chi_uy", "--at", at, "--place", "Nhà bí thư")
    )
    a_minute_later = (days_ago(2) + dt.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M")
    clash = sotay(data, "meetings", "create", "--kind", "chi_uy", "--at", a_minute_later,
                  "--place", "Nhà bí thư")  # fmt: skip
    assert "Trùng giờ với cuộc họp “Sinh hoạt chi bộ thường kỳ" in _one_line_error(clash)
    assert "gõ nhầm" in _one_line_error(
        sotay(
            data,
            "meetings",
            "create",
            "--kind",
            "thuong_ky",
            "--at",
            "2095-01-01 19:30",
            "--place",
            "X",
        )
    )
    assert "YYYY-MM-DD HH:MM" in _one_line_error(
        sotay(data, "meetings", "create", "--kind", "thuong_ky", "--at", "mai", "--place", "X")
    )
    assert "không thuộc danh sách" in _one_line_error(
        sotay(data, "attendance", "mark", meeting_id, ids["Bùi Thị Xuân"], "present")
    )
    assert "Không tìm thấy cuộc họp" in _one_line_error(
        sotay(data, "attendance", "show", "khong-co", "--json")
    )
    r = sotay(data, "meetings", "list", "--json")
    assert len(json.loads(r.stdout)["meetings"]) == 1


def test_printing_the_invitation_clears_it_from_the_dashboard(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, _ids = cli_branch
    at = days_ago(-3).strftime("%Y-%m-%d %H:%M")
    r = sotay(data, "meetings", "create", "--kind", "thuong_ky", "--at", at,
              "--place", "Nhà văn hóa", "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    meeting_id = json.loads(r.stdout)["id"]

    def missing() -> list[str]:
        r = sotay(data, "dashboard", "--json")
        assert r.returncode == 0, r.stderr
        nm = json.loads(r.stdout)["next_meeting"]
        assert nm["id"] == meeting_id
        return list(nm["missing"])

    assert "Chưa in giấy mời họp" in missing()
    # Printing another paper does not count as the invitation.
    r = sotay(
        data, "meetings", "pdf", meeting_id, "--kind", "signin", "-o", str(tmp_path / "k.pdf")
    )
    assert r.returncode == 0, r.stderr
    assert "Chưa in giấy mời họp" in missing()
    out = tmp_path / "giay-moi.pdf"
    r = sotay(data, "meetings", "pdf", meeting_id, "--kind", "invitation", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "THÔNG BÁO MỜI HỌP" in " ".join(pdf_text(out.read_bytes()))
    assert "Chưa in giấy mời họp" not in missing()
    r = sotay(data, "dashboard")
    assert r.returncode == 0 and "Chưa in giấy mời họp" not in r.stdout
    # The print is in the meeting's history, labelled for the secretary.
    book = open_book(data, password=PASSWORD)
    try:
        from app.services import audit

        (printed,) = [h for h in audit.history(book, entity="meeting") if h.action == "print"]
        assert printed.entity_id == meeting_id and printed.action_label == "In"
    finally:
        book.close()


def test_minutes_file_with_bad_vote_numbers_names_the_field_and_the_vote(
    cli_branch: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, _ids = cli_branch
    at = days_ago(2).strftime("%Y-%m-%d %H:%M")
    r = sotay(data, "meetings", "create", "--kind", "thuong_ky", "--at", at,
              "--place", "Nhà văn hóa", "--json")  # fmt: skip
    meeting_id = json.loads(r.stdout)["id"]
    minutes = tmp_path / "bien-ban.json"
    good = '{"subject": "Thông qua nghị quyết tháng", "in_favour": 0}'
    for value, expected in (
        ("1e400", "số phiếu tán thành (“in_favour”) phải từ 0 đến 10000, không phải một số quá"),
        ('"mười"', "số phiếu tán thành (“in_favour”) phải là một số nguyên (ví dụ 12), không phải"),
    ):
        bad = f'{{"subject": "Kết nạp đảng viên", "in_favour": {value}}}'
        minutes.write_text(f'{{"votes": [{good}, {bad}]}}', encoding="utf-8")
        r = sotay(data, "meetings", "minutes", meeting_id, "--file", str(minutes))
        assert r.returncode not in (0, 70)
        line = _one_line_error(r)
        assert line.startswith("Tệp biên bản, lần biểu quyết thứ 2 “Kết nạp đảng viên”: ")
        assert expected in line
    minutes.write_text('{"votes": [{"subject": "A",}]}', encoding="utf-8")
    line = _one_line_error(sotay(data, "meetings", "minutes", meeting_id, "--file", str(minutes)))
    assert "không phải JSON hợp lệ (lỗi ở dòng 1, cột 28)" in line
    # Nothing was stored by the refused files.
    r = sotay(data, "meetings", "minutes", meeting_id)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["votes"] == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3, 3),
        (3.0, 3),
        ("12", 12),
        (None, 0),
        (True, "số nguyên"),
        (2.5, "số nguyên"),
        (float("nan"), "số nguyên"),
        ([1], "số nguyên"),
        ("١٢", "số nguyên"),  # Arabic-Indic digits are not a vote count here
        (-1, "từ 0 đến 10000, không phải -1"),
        (10**30, "không phải một số quá lớn"),
        (float("-inf"), "không phải một số âm"),
    ],
)
def test_vote_counts_read_from_a_minutes_file(raw: object, expected: int | str) -> None:
    from cli.meetings_cmds import minutes_from_json

    doc = {"votes": [{"subject": "Biểu quyết", "against": raw}]}
    if isinstance(expected, int):
        minutes = minutes_from_json(doc, day=dt.date(2026, 1, 5))
        assert minutes.votes[0].against == expected
        return
    with pytest.raises(ValidationError, match="không tán thành \\(“against”\\)") as info:
        minutes_from_json(doc, day=dt.date(2026, 1, 5))
    assert expected in info.value.message and info.value.field == "votes"

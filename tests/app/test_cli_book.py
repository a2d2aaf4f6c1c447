"""The `sotay` command line for the book, run as a real process."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay

ROOT = Path(__file__).resolve().parents[2]


def sotay(
    data_dir: Path,
    *args: str,
    password: str | None = CLI_PASSWORD,
    stdin: str | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    return run_sotay(data_dir, *args, password=password, stdin=stdin, **env)


def _assert_one_vietnamese_line(result: subprocess.CompletedProcess[str]) -> None:
    one_line_error(result)


@pytest.fixture
def cli_book(tmp_path: Path) -> tuple[Path, str]:
    data = tmp_path / "so"
    result = sotay(
        data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn"
    )
    assert result.returncode == 0, result.stderr
    match = re.search(r"^Mã khôi phục: (\S+)$", result.stdout, re.MULTILINE)
    assert match, result.stdout
    return data, match.group(1)


def test_init_prints_the_recovery_key_and_check_passes(cli_book: tuple[Path, str]) -> None:
    data, key = cli_book
    assert re.fullmatch(r"([A-Z0-9]{4}-){7}[A-Z0-9]{4}", key)
    assert sotay(data, "check").returncode == 0


def test_check_with_the_wrong_password_exits_3_with_a_message(cli_book: tuple[Path, str]) -> None:
    data, _ = cli_book
    result = sotay(data, "check", password="sai-mat-khau")
    assert result.returncode == 3
    _assert_one_vietnamese_line(result)
    assert "Mật khẩu không đúng" in result.stderr


def test_password_from_stdin(cli_book: tuple[Path, str]) -> None:
    data, _ = cli_book
    ok = sotay(data, "--password-stdin", "check", password=None, stdin="mat-khau-dong-lenh\n")
    assert ok.returncode == 0, ok.stderr


def test_passwd_then_recover(cli_book: tuple[Path, str]) -> None:
    data, key = cli_book
    changed = sotay(data, "passwd", SOTAY_NEW_PASSWORD="mat-khau-thu-hai")
    assert changed.returncode == 0, changed.stderr
    assert sotay(data, "check").returncode == 3
    assert sotay(data, "check", password="mat-khau-thu-hai").returncode == 0
    recovered = sotay(
        data, "recover", "--recovery-key", key, password=None, SOTAY_NEW_PASSWORD="mat-khau-thu-ba"
    )
    assert recovered.returncode == 0, recovered.stderr
    assert sotay(data, "check", password="mat-khau-thu-ba").returncode == 0


def test_wrong_recovery_key(cli_book: tuple[Path, str]) -> None:
    data, _ = cli_book
    result = sotay(
        data, "recover", "--recovery-key", "-".join(["ABCD"] * 8), SOTAY_NEW_PASSWORD="abcdefgh1"
    )
    _assert_one_vietnamese_line(result)
    assert "Mã khôi phục không đúng" in result.stderr


def test_backup_and_restore(cli_book: tuple[Path, str], tmp_path: Path) -> None:
    data, _ = cli_book
    out = tmp_path / "sao-luu.sotaybak"
    backed = sotay(data, "backup", "-o", str(out))
    assert backed.returncode == 0, backed.stderr
    assert out.exists()
    restored = sotay(data, "restore", "--yes", str(out))
    assert restored.returncode == 0, restored.stderr
    assert sotay(data, "check").returncode == 0


def test_restore_of_a_non_backup_is_one_clear_line(
    cli_book: tuple[Path, str], tmp_path: Path
) -> None:
    data, _ = cli_book
    junk = tmp_path / "anh.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    result = sotay(data, "restore", str(junk))
    _assert_one_vietnamese_line(result)
    assert "không phải bản sao lưu" in result.stderr


def test_missing_password_and_missing_book(tmp_path: Path) -> None:
    result = sotay(tmp_path / "chua-co", "check")
    assert result.returncode == 3
    _assert_one_vietnamese_line(result)
    assert "Chưa có sổ" in result.stderr
    no_pw = sotay(tmp_path / "chua-co", "check", password=None)
    _assert_one_vietnamese_line(no_pw)
    assert "SOTAY_PASSWORD" in no_pw.stderr


def test_history_lists_changes(cli_book: tuple[Path, str]) -> None:
    data, _ = cli_book
    result = sotay(data, "history", "--json")
    assert result.returncode == 0
    assert "Tạo sổ cho Chi bộ Khu phố 3" in result.stdout

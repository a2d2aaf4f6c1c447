"""`sotay-server ... --help` is Vietnamese for every command: no argparse heading in English,
one "Tùy chọn" group (the shared --db joins it), and a refused value names its option."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from server.cli import build_parser
from server.cli import main as server_main
from server.runner import ROOT

ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help")


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _commands(child, (*path, name))
    return found


COMMANDS = _commands(build_parser())
GROUPS = {c[:-1] for c in COMMANDS if len(c) > 1} - {()}


def test_every_command_is_listed() -> None:
    assert len(COMMANDS) > 20
    assert ("key", "rotate") in COMMANDS and ("publish", "answer") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sotay-server")
def test_help_has_no_english_heading(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        server_main([*command, "--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"Cách dùng: sotay-server {' '.join(command)}".rstrip())
    for english in ENGLISH:
        assert english not in shown.lower(), (command, english)
    assert shown.count("Tùy chọn:") == 1
    assert "-h, --help" in shown and "hiện hướng dẫn này rồi thoát" in shown
    assert ("--db CSDL" in shown) == (command not in GROUPS), command  # every leaf takes --db
    assert not _english_placeholders(command, shown)


ACRONYMS = {"URL", "CSDL"}  # CSDL: cơ sở dữ liệu


def _parser(command: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build_parser()
    for name in command:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[name]
    return parser


def _english_placeholders(command: tuple[str, ...], shown: str) -> list[str]:
    """What argparse would have shown for each value (`--db DB`, `REPORT`), found in the help;
    and any placeholder in the help that is plain ASCII (English) but not an acronym."""
    found = []
    for action in _parser(command)._actions:
        if action.nargs == 0 or isinstance(action, argparse._SubParsersAction):
            continue
        english = action.dest.upper()
        names = action.option_strings or [""]
        found += [f"{name} {english}".strip() for name in names
                  if re.search(rf"(^|[\s\[(]){re.escape(f'{name} {english}'.strip())}\b", shown)]  # fmt: skip
    for placeholder in re.findall(r"--[a-z-]+ ([A-Z_ĐÀ-Ỹ]+)\b", shown):
        if placeholder.isascii() and placeholder not in ACRONYMS:
            found.append(placeholder)
    return found


def test_every_value_has_a_vietnamese_placeholder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        server_main(["publish", "document", "--help"])
    shown = capsys.readouterr().out
    for expected in ("--db CSDL", "--branch MÃ_CHI_BỘ", "--issued-on NGÀY", "--file TỆP"):
        assert expected in shown, expected
    with pytest.raises(SystemExit):
        server_main(["reports", "show", "--help"])
    shown = capsys.readouterr().out
    assert "BÁO_CÁO" in shown and "REPORT" not in shown
    # The check itself finds an English placeholder where argparse's default is shown.
    found = _english_placeholders(("reports", "show"), "[--version VERSION] REPORT")
    assert sorted(found) == ["--version VERSION", "REPORT", "VERSION"]


def test_the_installed_command_speaks_vietnamese() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "server", "key", "rotate", "--help"],
        cwd=str(ROOT), capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert shown.startswith("Cách dùng: sotay-server key rotate")
    assert "Tùy chọn:" in shown and "options:" not in shown
    refused = subprocess.run(
        [sys.executable, "-m", "server", "key", "rotate", "--batch", "0"],
        cwd=str(ROOT), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.startswith("Tham số --batch: cỡ lô phải từ 1 đến 100000.")

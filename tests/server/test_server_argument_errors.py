"""Every `sotay-server` argument error is one Vietnamese line (exit code 2): argparse's own
messages through app/arguments.py's catalog, never its English, whatever the command."""

from __future__ import annotations

import argparse

import pytest

from server.cli import build_parser
from server.cli import main as server_main
from tests.cli.test_cli_vietnamese import ENGLISH, _english_in


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        server_main(list(args))
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out, out.err


def _one_vietnamese_line(err: str, args: tuple[str, ...]) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, (args, err)
    assert lines[0].endswith(" --help") and "Xem hướng dẫn: sotay-server" in lines[0], err
    assert _english_in(err) == [], (args, err)
    return lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["tokens", "revoke"], "Cần một trong các tham số: --code --device-id."),
        (["token"], "Không có lệnh “token”. Có phải ý bạn là 'tokens'?"),
        (["tokens", "revok"], "Không có lệnh “revok”. Có phải ý bạn là 'revoke'?"),
        (["key", "xyz"], "Không có lệnh “xyz”. Các lệnh: status, rotate."),
        ([], "Thiếu tham số bắt buộc: LỆNH."),
        (["branches"], "Thiếu tham số bắt buộc: VIỆC."),
        (["branches", "add"], "Thiếu tham số bắt buộc: --code, --name."),
        (["reports", "show"], "Thiếu tham số bắt buộc: BÁO_CÁO."),
        (["serve", "--port", "abc"], "Tham số --port: giá trị “abc” không hợp lệ."),
        (["branches", "list", "--bogus"], "Không hiểu tham số: --bogus."),
        (["serve", "--db"], "Tham số --db: thiếu giá trị."),
        (
            ["feedback", "list", "--state", "mo"],
            "Giá trị “mo” không hợp lệ cho --state; hãy chọn một trong: ",
        ),
        (
            ["publish", "notice", "--branch", "cb1", "--all"],
            "Tham số --all: không dùng được cùng --branch.",
        ),
        (["publish", "document", "--all", "--t", "x"], "Tùy chọn --t chưa rõ, có thể là: "),
        (["key", "rotate", "--batch", "0"], "Tham số --batch: cỡ lô phải từ 1 đến 100000."),
    ],
)
def test_argument_errors_are_one_vietnamese_line(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == ""
    line = _one_vietnamese_line(err, tuple(args))
    assert line.startswith(expected), line


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _parsers(child, (*path, name))
    return found


def _error_cases() -> list[tuple[str, ...]]:
    """For every command: a mistyped word or an unknown option, each of its options without
    its value, and (for a command with required options) nothing after it."""
    cases: list[tuple[str, ...]] = []
    for path, parser in _parsers(build_parser()):
        groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        cases.append((*path, "xyz") if groups else (*path, "--bogus"))
        if groups:
            continue
        for action in parser._actions:
            if action.option_strings and action.nargs != 0:
                cases.append((*path, action.option_strings[-1]))
        required = [a for a in parser._actions if a.required] + [
            g for g in parser._mutually_exclusive_groups if g.required
        ]
        if required:
            cases.append(path)
    return cases


ERROR_CASES = _error_cases()


def test_no_argparse_english_reaches_any_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(ERROR_CASES) > 60 and ("tokens", "revoke") in ERROR_CASES
    assert {"one of the arguments", "expected one argument", "invalid choice"} <= ENGLISH
    leaks: dict[str, str] = {}
    for args in ERROR_CASES:
        code, out, err = _run(capsys, *args)
        assert (code, out) == (2, ""), (args, out)
        lines = err.splitlines()
        if len(lines) != 1 or _english_in(err) or "Xem hướng dẫn: sotay-server" not in err:
            leaks[" ".join(args)] = err
    assert leaks == {}

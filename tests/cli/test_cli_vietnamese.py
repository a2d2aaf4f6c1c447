"""Every line `sotay` prints is Vietnamese: the help of every command and sub-command, and
every argument error (one line, exit code 2), whatever the console code page."""

from __future__ import annotations

import argparse
import ast
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from app.arguments import MESSAGES, VietnameseArgumentParser
from cli.placeholders import _BY_CONCEPT, PLACEHOLDERS

ROOT = Path(__file__).resolve().parents[2]


def _argparse_messages() -> set[str]:
    """The messages argparse itself passes to gettext, read from its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


ARGPARSE_MESSAGES = _argparse_messages()


def _english_fragments() -> set[str]:
    """Words of argparse's English messages (what is left around the %-placeholders)."""
    fragments: set[str] = set()
    for message in ARGPARSE_MESSAGES:
        for piece in re.split(r"%\(\w+\)[rsd]|%[rsd]", message):
            piece = piece.strip(" :()\n")
            if len(piece) >= 5 and re.search(r"[a-z]{3}", piece):
                fragments.add(piece)
    return fragments


ENGLISH = _english_fragments()


def _english_in(text: str) -> list[str]:
    return sorted(fragment for fragment in ENGLISH if fragment in text)


# The only placeholders that may be plain ASCII: acronyms a secretary reads as they are.
ACRONYMS = {"URL", "CSV", "JSON", "PDF", "CCCD"}


def _english_placeholder(metavar: str) -> bool:
    """True unless `metavar` is an upper-case Vietnamese word (a non-ASCII letter in it, no
    spaces) or an acronym: DATA_DIR, YEAR, MEMBER, meeting_id are English."""
    if metavar in ACRONYMS:
        return False
    return metavar != metavar.upper() or " " in metavar or metavar.isascii()


def _shown_placeholders(help_text: str) -> list[tuple[str, str]]:
    """(option, placeholder) pairs of a help's usage and of its options' left column."""
    usage, _blank, rest = help_text.partition("\n\n")
    columns = [line.strip().split("  ")[0] for line in rest.splitlines() if line.startswith("  -")]
    text = "\n".join([usage, *columns])
    return re.findall(r"(?<![\w-])(--?[a-z][\w-]*) ([^\s\[\]{},]+)", text)


def _placeholders(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict:
    """What each option and argument shows for its value in help, as argparse derives it."""
    shown: dict[tuple[str, ...], str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                shown |= _placeholders(child, (*path, name))
        elif action.nargs != 0 and action.choices is None:  # `choices` show their codes
            default = action.dest.upper() if action.option_strings else action.dest
            name = "/".join(action.option_strings) or action.dest
            metavar = action.metavar or default  # a tuple names each of nargs values
            shown[(*path, name)] = metavar if isinstance(metavar, str) else " ".join(metavar)
    return shown


def _command_paths(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list:
    paths = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                paths += _command_paths(child, (*path, name))
    return paths


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        cli.main(list(args))
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out, out.err


def test_the_catalog_covers_every_message_of_this_pythons_argparse() -> None:
    assert len(ARGPARSE_MESSAGES) > 30
    assert sorted(ARGPARSE_MESSAGES - set(MESSAGES)) == []
    assert {"show this help message and exit", "positional arguments", "usage"} <= ENGLISH


def test_every_help_of_every_command_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    paths = _command_paths(cli.build_parser())
    assert len(paths) > 50 and ("members", "list") in paths and ("dues", "pay") in paths
    leaks: dict[tuple[str, ...], list[str]] = {}
    for path in paths:
        code, out, err = _run(capsys, *path, "--help")  # as a user types it (the lazy parser)
        assert (code, err) == (0, ""), path
        assert out.startswith(f"Cách dùng: {' '.join(('sotay', *path))} "), out
        assert "\nTùy chọn:\n  -h, --help" in out and "hiện hướng dẫn này rồi thoát" in out, out
        if _english_in(out):
            leaks[path] = _english_in(out)
        for option, placeholder in _shown_placeholders(out):
            if _english_placeholder(placeholder):
                leaks.setdefault(path, []).append(f"{option} {placeholder}")
    assert leaks == {}


def test_no_option_or_argument_shows_an_english_placeholder() -> None:
    shown = _placeholders(cli.build_parser())
    assert len(shown) > 150 and shown[("stats", "report", "--year")] == "NĂM"
    english = {" ".join(k): v for k, v in shown.items() if _english_placeholder(v)}
    assert english == {}, "add the dest to cli/placeholders.py or drop the English metavar="
    assert not _english_placeholder("MÃ_TÀI_LIỆU") and not _english_placeholder("PDF")
    assert all(map(_english_placeholder, ["DATA_DIR", "YEAR", "meeting_id", "NĂM HỌC"]))


def test_one_word_per_concept_across_commands(capsys: pytest.CaptureFixture[str]) -> None:
    dests = [dest for group in _BY_CONCEPT.values() for dest in group]
    assert len(dests) == len(set(dests)) == len(PLACEHOLDERS)  # no dest with two words
    for args, expected in [
        (["--help"], "\n  --data-dir THƯ_MỤC "),
        (["stats", "report", "--help"], "--year NĂM"),
        (["dues", "book", "--help"], "--year NĂM"),
        (["feedback", "add", "--help"], "--member ĐẢNG_VIÊN"),
        (["study", "record", "--help"], "--member ĐẢNG_VIÊN"),
        (["dues", "pay", "--help"], "--month THÁNG"),
        (["attendance", "mark", "--help"], " MÃ_CUỘC_HỌP MÃ_ĐẢNG_VIÊN\n"),
        (["meetings", "attach", "--help"], " MÃ_CUỘC_HỌP MÃ_TÀI_LIỆU\n"),
        (["members", "add", "--help"], "--birth NGÀY"),
        (["backup", "--help"], "-o TỆP, --output TỆP"),
    ]:
        code, out, _err = _run(capsys, *args)
        assert code == 0 and expected in out, (args, out)


def test_group_help_names_its_arguments_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "members", "--help")
    assert code == 0
    assert "\nTham số:\n  VIỆC\n    list " in out
    code, out, _err = _run(capsys, "-h")
    assert re.search(r"\nTùy chọn:\n  -h, --help +hiện hướng dẫn này rồi thoát\n  --data-dir", out)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["member"], "Không có lệnh “member”. Có phải ý bạn là 'members'?"),
        (["members", "lst"], "Không có lệnh “lst”. Có phải ý bạn là 'list'?"),
        (["stats", "nam"], "Không có lệnh “nam”. Các lệnh: report, show, warnings."),
        (["members"], "Thiếu tham số bắt buộc: VIỆC."),
        (["stats", "report"], "Thiếu tham số bắt buộc: --year, -o/--output."),
        (["stats", "report", "--year", "abc"], "Tham số --year: giá trị “abc” không hợp lệ."),
        (["members", "list", "--bogus"], "Không hiểu tham số: --bogus."),
        (["members", "show"], "Thiếu tham số bắt buộc: MÃ_ĐẢNG_VIÊN."),
        (["attendance", "mark", "m1"], "Thiếu tham số bắt buộc: MÃ_ĐẢNG_VIÊN, status."),
        (["--data-dir"], "Tham số --data-dir: thiếu giá trị."),
        (
            ["meetings", "create", "--kind", "thuongky", "--at", "x", "--place", "y"],
            "Giá trị “thuongky” không hợp lệ cho --kind; hãy chọn một trong: thuong_ky,",
        ),
        (["meetings", "create", "--kind", "thuongky"], "Có phải ý bạn là 'thuong_ky'?"),
    ],
)
def test_argument_errors_are_one_vietnamese_line(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and expected in lines[0], err
    assert lines[0].endswith("--help") and "Xem hướng dẫn: sotay" in lines[0]
    assert _english_in(err) == []


def _small_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(prog="thu")
    either = parser.add_mutually_exclusive_group(required=True)
    either.add_argument("--pdf", action="store_true")
    either.add_argument("--xlsx", action="store_true")
    parser.add_argument("--thang", nargs=2)
    parser.add_argument("--thu-muc")
    parser.add_argument("--thu-tu")
    return parser


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--pdf", "--xlsx"], "Tham số --xlsx: không dùng được cùng --pdf."),
        ([], "Cần một trong các tham số: --pdf --xlsx."),
        (["--pdf", "--thang", "1"], "Tham số --thang: cần 2 giá trị."),
        (["--pdf", "--thu", "x"], "Tùy chọn --thu chưa rõ, có thể là: --thu-muc, --thu-tu."),
    ],
)
def test_the_other_argparse_errors_speak_vietnamese(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        _small_parser().parse_args(args)
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err == f"{expected} Xem hướng dẫn: thu --help\n"


def test_other_argparse_users_in_the_process_keep_their_own_text() -> None:
    _small_parser().format_help()
    plain = argparse.ArgumentParser(prog="khac")
    assert plain.format_help().startswith("usage: khac")
    assert "show this help message and exit" in plain.format_help()


@pytest.mark.parametrize("encoding", ["cp1258", "cp437"])
def test_help_and_errors_print_whatever_the_code_page(encoding: str) -> None:
    env = dict(os.environ, PYTHONIOENCODING=encoding, PYTHONUTF8="0")

    def sotay(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "cli", *args], capture_output=True, env=env, cwd=ROOT,
            timeout=120,
        )  # fmt: skip

    shown = sotay("attendance", "--help")
    assert shown.returncode == 0, shown.stderr.decode("utf-8")
    text = shown.stdout.decode("utf-8")
    assert text.startswith("Cách dùng: sotay attendance") and "hiện hướng dẫn này" in text
    placeholders = sotay("stats", "report", "--help")
    assert "--year NĂM" in placeholders.stdout.decode("utf-8"), placeholders.stderr
    wrong = sotay("member")
    assert wrong.returncode == 2 and wrong.stdout == b""
    assert wrong.stderr.decode("utf-8") == (
        "Không có lệnh “member”. Có phải ý bạn là 'members'? Xem hướng dẫn: sotay --help\n"
    )

"""`sotay` starts light: `--help` and a mistyped command import no command module, a command
imports only its own, `sotay`/`sotay gui` reach the window without SQLAlchemy; and the table
of commands (cli.COMMANDS) says exactly what the command modules register."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[2]


def test_command_table_matches_what_the_modules_register() -> None:
    registered: dict[str, tuple[str, str]] = {}
    for module_name in cli.COMMAND_MODULES:
        parser = cli._base_parser()
        sub = parser.add_subparsers(dest="command")
        importlib.import_module(module_name).register(sub)
        for action in sub._choices_actions:
            registered[action.dest] = (module_name, str(action.help))
    assert registered == cli.COMMANDS
    assert list(cli.COMMANDS) == list(registered)  # the same order in `sotay --help`


HEAVY = ("sqlalchemy", "app.models", "app.book", "reportlab", "PySide6")


def _loaded_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    return set(eval(out.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["lenh-sai"], ["--data-dir", "x", "-h"]])
def test_help_and_mistakes_load_no_command_module(args: list[str]) -> None:
    assert _loaded_after(args) == set()


def test_help_lists_every_command_with_its_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "cli", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0
    for name, (_module, help_text) in cli.COMMANDS.items():
        assert name in out.stdout
        assert help_text.split()[0] in out.stdout


def test_a_command_loads_only_its_module() -> None:
    code = (
        "import sys\n"
        "from cli import main\n"
        "try:\n"
        "    main(['selftest', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('cli.')), file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    loaded = set(eval(out.stderr.strip().splitlines()[-1]))
    assert "cli.selftest_cmds" in loaded
    assert not loaded & {"cli.members_cmds", "cli.meetings_cmds", "cli.dues_cmds"}


def test_gui_path_parses_without_the_book_modules() -> None:
    code = (
        "import sys\n"
        "import cli\n"
        "for args in ([], ['gui'], ['--data-dir', 'x', 'gui', '--demo']):\n"
        "    assert cli._wants_gui(args), args\n"
        "    cli._gui_only_parser().parse_args(args)\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"

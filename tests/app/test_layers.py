"""The layers: app/ is the core; cli/, ui/ and server/ are front ends beside it; reports/
prints. Checked on every import statement of every file, with no exemptions — an import
inside a function counts the same as one at the top of the file."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FRONT_ENDS = ("cli", "ui", "server")
# What the core must never load: the front ends, the sync client, the PDF layer, Qt and the
# network libraries.
CORE_FORBIDDEN = frozenset(
    {*FRONT_ENDS, "sync", "reports", "PySide6", "reportlab", "requests", "urllib3"}
)


def _imports(path: Path) -> set[str]:
    """Top-level package of every absolute import in the file, wherever the statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _offenders(layer: str, forbidden: frozenset[str] | set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / layer).rglob("*.py")):
        bad = _imports(path) & set(forbidden)
        if bad:
            found[str(path.relative_to(ROOT))] = sorted(bad)
    return found


def test_import_walker_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "def later():\n"
        "    from reportlab.platypus import Paragraph\n"
        "    import requests.adapters\n"
        "    from . import sibling\n",
        encoding="utf-8",
    )
    assert _imports(sample) == {"os", "reportlab", "requests"}


def test_app_imports_no_front_end_gui_network_or_pdf_library_even_lazily() -> None:
    assert _offenders("app", CORE_FORBIDDEN) == {}


def test_ui_never_imports_the_command_line() -> None:
    assert _offenders("ui", {"cli"}) == {}


def test_server_imports_no_desktop_front_end_nor_qt() -> None:
    assert _offenders("server", {"ui", "cli", "PySide6"}) == {}


def test_reports_import_no_qt_nor_front_end() -> None:
    assert _offenders("reports", {"PySide6", "ui", "cli", "server"}) == {}


def test_only_the_printing_seam_opens_the_book_the_renderers_take_plain_data() -> None:
    stores = ("app.book", "app.storage", "app.services", "app.models", "app.unlock")
    offenders: dict[str, list[str]] = {}
    for path in sorted((ROOT / "reports").rglob("*.py")):
        if path.name == "printing.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        bad = sorted(m for m in modules if m.startswith(stores))
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_cli_reaches_the_window_only_lazily_and_never_the_server() -> None:
    """`sotay` launches the window (gui, selftest), so cli/ may import ui/ — inside the
    command that needs it, never at the top of a module."""
    top_level: dict[str, list[str]] = {}
    for path in sorted((ROOT / "cli").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0]
            for node in tree.body
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        bad = names & {"ui", "PySide6", "reportlab", "requests", "server"}
        if bad:
            top_level[str(path.relative_to(ROOT))] = sorted(bad)
    assert top_level == {}
    assert _offenders("cli", {"server"}) == {}


def test_sotay_help_loads_no_qt_pdf_or_network_library() -> None:
    code = (
        "import sys\n"
        "from cli import build_parser\n"
        "build_parser().format_help()\n"
        "print(','.join(sorted(n for n in ('PySide6', 'reportlab', 'requests', 'ui', 'sync')"
        " if n in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""


def test_importing_every_core_module_loads_none_of_them() -> None:
    code = (
        "import importlib, pkgutil, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = sorted(n for n in {sorted(CORE_FORBIDDEN)!r} if n in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""


def test_ui_never_opens_sql_itself() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "ui").rglob("*.py")
        if {"sqlalchemy", "sqlcipher3", "sqlite3"} & _imports(p)
    ]
    assert offenders == []

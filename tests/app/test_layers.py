"""app/ is the core: it must not import Qt, requests or reportlab (directly or indirectly)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "requests", "reportlab", "ui", "sync", "server")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_app_modules_import_no_gui_network_or_pdf_library_at_top_level() -> None:
    offenders: dict[str, set[str]] = {}
    for path in (ROOT / "app").rglob("*.py"):
        if "cli" in path.relative_to(ROOT / "app").parts:
            continue  # the CLI is a front end like ui/: it may reach reports/ and sync/
        bad = _imports(path) & set(FORBIDDEN)
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_importing_every_core_module_loads_none_of_them() -> None:
    code = (
        "import importlib, pkgutil, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if '.cli' in m.name or m.name.endswith('.env'): continue\n"
        "    importlib.import_module(m.name)\n"
        f"bad = [n for n in {FORBIDDEN!r} if n in sys.modules]\n"
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

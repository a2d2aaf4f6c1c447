"""The committee's server installs and runs without Qt; the desktop's extra brings Qt.

Reads the installed distribution's metadata (what `pip install ".[server]"` resolves) and
imports the server and the shared protocol in a fresh interpreter where PySide6 cannot load.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DIST = "sotay-chibo"
QT = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}


def _installed(extras: frozenset[str]) -> set[str]:
    """Names of the distributions pip installs for sotay-chibo with these extras."""
    names: set[str] = set()
    seen: set[str] = set()
    todo = ["", *sorted(extras)]
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for line in importlib.metadata.requires(DIST) or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({"extra": extra}):
                continue
            if canonicalize_name(req.name) == DIST:
                todo.extend(req.extras)  # sotay-chibo[desktop,server] inside another extra
            else:
                names.add(canonicalize_name(req.name))
    return names


def test_the_server_extra_pulls_in_no_qt() -> None:
    assert not _installed(frozenset()) & QT
    server = _installed(frozenset({"server"}))
    assert not server & QT
    assert {"fastapi", "uvicorn", "psycopg"} <= server


def test_the_desktop_and_dev_setups_still_bring_qt() -> None:
    assert "pyside6-essentials" in _installed(frozenset({"desktop"}))
    dev = _installed(frozenset({"dev"}))
    assert {"pyside6-essentials", "fastapi", "pytest"} <= dev


BLOCK_QT = """
import importlib.abc, sys

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is not installed on the committee's server")
        return None

sys.meta_path.insert(0, NoQt())
"""


def test_server_and_protocol_run_without_pyside6(tmp_path: Path) -> None:
    code = BLOCK_QT + (
        "import protocol, protocol.entities, protocol.schemas, server.api, server.cli\n"
        "from fastapi.testclient import TestClient\n"
        "server.cli.build_parser()\n"
        f"app = server.api.create_app('sqlite:///{tmp_path / 'server.db'}')\n"
        "info = TestClient(app).get('/api/v1/info', headers={'X-Sotay-Protocol': '1'}).json()\n"
        "print(info['supported_protocols'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[1]", "[]"]


def test_the_qt_block_really_blocks() -> None:
    code = BLOCK_QT + "import PySide6.QtCore\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode != 0
    assert "is not installed on the committee's server" in result.stderr

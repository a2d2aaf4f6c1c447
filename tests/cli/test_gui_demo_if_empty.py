"""`bash scripts/run.sh` runs `sotay gui --demo-if-empty`: the demo branch while the data
folder holds no book, the secretary's own book once it does (never the demo in its place)."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli
import ui.main
from app.book import Book

ROOT = Path(__file__).resolve().parents[2]


def _demo_asked(monkeypatch: pytest.MonkeyPatch, folder: Path, *flags: str) -> bool:
    seen: list[tuple[Path, bool]] = []

    def fake_run_gui(*, data_dir: Path, demo: bool = False) -> int:
        seen.append((data_dir, demo))
        return 0

    monkeypatch.setattr(ui.main, "run_gui", fake_run_gui)
    assert cli.main(["--data-dir", str(folder), "gui", *flags]) == 0
    assert [d for d, _ in seen] == [folder]
    return seen[0][1]


def test_no_book_yet_opens_the_demo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _demo_asked(monkeypatch, tmp_path / "trong", "--demo-if-empty") is True


def test_a_real_book_opens_itself(
    monkeypatch: pytest.MonkeyPatch, book: Book, data_dir: Path
) -> None:
    book.close()
    assert _demo_asked(monkeypatch, data_dir, "--demo-if-empty") is False
    assert _demo_asked(monkeypatch, data_dir, "--demo") is True  # asked for: the demo anyway
    assert _demo_asked(monkeypatch, data_dir) is False


def test_run_script_uses_it() -> None:
    last = (ROOT / "scripts" / "run.sh").read_text().strip().splitlines()[-1]
    assert last.startswith('exec .venv/bin/sotay gui --demo-if-empty "$@"')

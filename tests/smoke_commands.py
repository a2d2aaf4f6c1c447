"""One read-only `--json` command of every command group that has one: the smoke tests run
them against the source tree under Windows code pages (tests/app/test_windows_sim.py) and
against the built program (tests/e2e/test_build.py)."""

from __future__ import annotations

JSON_COMMANDS: tuple[tuple[str, ...], ...] = (
    ("members", "list", "--json"),
    ("meetings", "list", "--json"),
    ("stats", "warnings", "--json"),
    ("documents", "list", "--json"),
    ("study", "list", "--json"),
    ("feedback", "list", "--json"),
    ("support", "list", "--json"),
    ("reports", "list", "--json"),
    ("dashboard", "--json"),
    ("dues", "unpaid", "--json"),
    ("sync", "status", "--json"),
    ("history", "--json"),
)

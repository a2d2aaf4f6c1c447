"""Running `sotay` as a real process in tests, and checking its one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI_PASSWORD = "mat-khau-dong-lenh"


def run_sotay(
    data_dir: Path,
    *args: str,
    password: str | None = CLI_PASSWORD,
    stdin: str | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.pop("SOTAY_PASSWORD", None)
    full_env.update({"SOTAY_DATA_DIR": str(data_dir), "SOTAY_KDF_PROFILE": "test"}, **env)
    if password is not None:
        full_env["SOTAY_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        input=stdin,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a user sees: non-zero exit, exactly one line on stderr, no traceback."""
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]

"""The PyInstaller build starts offscreen, creates and unlocks a book (slow: ~1 min).

Runs when SOTAY_TEST_BUILD=1 (CI sets it); scripts/check_build.sh does the same by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("SOTAY_TEST_BUILD") != "1", reason="set SOTAY_TEST_BUILD=1 to build the app"
)


def test_frozen_app_creates_and_unlocks_a_book(tmp_path: Path) -> None:
    pyinstaller = ROOT / ".venv" / "bin" / "pyinstaller"
    subprocess.run(
        [
            str(pyinstaller),
            "build.spec",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "build"),
        ],
        cwd=ROOT,
        check=True,
        timeout=900,
    )
    exe = tmp_path / "dist" / "SoTayChiBo" / "SoTayChiBo"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOTAY_KDF_PROFILE")}
    env.update(QT_QPA_PLATFORM="offscreen", SOTAY_DATA_DIR=str(tmp_path / "data"))
    out = subprocess.run(
        [str(exe), "selftest"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["created_and_unlocked"] is True
    assert report["integrity"] is True
    assert report["schema"]  # migrations were bundled and applied
    assert report["pdf_bytes"] > 10_000  # fonts bundled
    assert any("fail.Keyring" in b or "chainer" in b for b in report["keyring_backends"])
    assert report["window_title"] == "Sổ tay Chi bộ — Chi bộ Tự kiểm tra"
    # The real CLI of the frozen app: init then check.
    env["SOTAY_PASSWORD"] = "mat-khau-ban-dong-goi"
    init = subprocess.run(
        [str(exe), "init", "--branch", "Chi bộ Đóng gói", "--committee", "Đảng bộ thử"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert init.returncode == 0, init.stderr
    assert "Mã khôi phục:" in init.stdout
    check = subprocess.run(
        [str(exe), "check"], capture_output=True, text=True, env=env, timeout=120
    )
    assert check.returncode == 0, check.stderr

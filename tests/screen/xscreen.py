"""Helpers of the real-window tier: the program itself on a virtual X screen (Xvfb, the xcb platform,
the program's own threaded TaskRunner), driven with xdotool.

Without Xvfb the tier is skipped on a developer's machine and fails in CI (CI=true), where
.ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TASKBAR = 40  # what an office PC's taskbar takes from the screen's height
SIZES = [(1366, 768), (1024, 768)]


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    reason = f"{tool} is not installed (apt-get install xvfb xdotool x11-utils)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run the real-window tier")
    pytest.skip(reason)


@dataclass
class Screen:
    display: str
    width: int
    height: int

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DISPLAY=self.display,
            QT_QPA_PLATFORM="xcb",
            SOTAY_KDF_PROFILE="test",
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            PYTHONPATH=str(ROOT),
            **extra,
        )
        return env

    def xdotool(self, *args: str, check: bool = True, timeout: float = 15) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def windows(self) -> dict[str, str]:
        """Visible top-level windows: id → title."""
        ids = self.xdotool("search", "--onlyvisible", "--name", "", check=False).split()
        titles = {}
        for wid in ids:
            name = self.xdotool("getwindowname", wid, check=False).strip()
            if name:
                titles[wid] = name
        return titles

    def wait_window(self, match: str, timeout: float = 30, gone: bool = False) -> str:
        """The id of a visible window whose title contains `match` (or wait until none)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [w for w, t in self.windows().items() if match in t]
            if gone and not found:
                return ""
            if found and not gone:
                return found[-1]
            time.sleep(0.25)
        raise AssertionError(
            f"no window {'closed' if gone else 'titled'} “{match}” within {timeout:.0f} s; "
            f"on screen: {sorted(self.windows().values())}"
        )

    def focus(self, wid: str) -> None:
        # No window manager: give the window the keyboard explicitly.
        self.xdotool("windowfocus", "--sync", wid)

    def keys(self, wid: str, *keys: str) -> None:
        self.focus(wid)
        for key in keys:
            self.xdotool("key", "--clearmodifiers", key)
            time.sleep(0.15)

    def type(self, wid: str, text: str) -> None:
        self.focus(wid)
        self.xdotool("type", "--delay", "40", text)

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", "--sync", str(x), str(y))
        self.xdotool("click", "1")


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    _need("xdotool")
    xvfb = _need("Xvfb")
    read, write = os.pipe()
    proc = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{width}x{height}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    number = b""
    deadline = time.monotonic() + 20
    while not number.endswith(b"\n") and time.monotonic() < deadline:
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    if not number.strip():
        proc.kill()
        raise AssertionError("Xvfb did not start")
    return proc, f":{number.decode().strip()}"


def sotay(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *args]


def crash_log(data_dir: Path) -> str:
    path = data_dir / "logs" / "sotay-crash.log"
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def stop(proc: subprocess.Popen[bytes]) -> tuple[str, str]:
    if proc.poll() is None:
        proc.terminate()
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return out.decode(errors="replace"), err.decode(errors="replace")

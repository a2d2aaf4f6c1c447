"""Cold start to an unlocked main window (offscreen) with 5,000 members.

    .venv/bin/python bench/startup.py [--members 5000] [--runs 7] [--synchronous]
                                      [--no-bytecode-cache]

Each run is a fresh process: interpreter start, imports, key derivation with the production
Argon2id parameters, migrations check, the main window shown. Target: under 1.0 s.

By default the program's own background runner is used, as in the real program: a run is
"ready" at the first paint (the window shown and the event queue processed once), while the
Tổng quan dashboard is still being worked out in the background. The bench then waits for
the dashboard to be shown and prints when that happened and the longest time the GUI thread
did not process events meanwhile (a freeze the user would feel).

--synchronous runs every background task on the GUI thread before the window is shown (the
tests' runner): "ready" then means "shown with the overview filled".

Python bytecode is cached in a temporary folder (PYTHONPYCACHEPREFIX) and one warm-up run is
discarded, as an installed program has its bytecode; --no-bytecode-cache keeps the
environment as it is (with PYTHONDONTWRITEBYTECODE=1 every start compiles the sources).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-mat-khau-2025"

CHILD = r"""
import sys, time
from pathlib import Path
from ui.qt import QtCore, QtWidgets
app = QtWidgets.QApplication([])
from app.unlock import unlock
from ui.main import Controller
data_dir = Path(sys.argv[1])
synchronous = sys.argv[3] == "sync"
c = Controller(app, data_dir, synchronous=synchronous)
c.open_main(unlock(data_dir, password=sys.argv[2]))
app.processEvents()
assert c.window is not None and c.window.isVisible()
print("READY", flush=True)
if not synchronous:
    overview = c.window.section("overview")
    started = last = time.perf_counter()
    longest = 0.0
    while time.perf_counter() - started < 30:
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 5)
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
        if overview.dashboard is not None and c.runner.running == 0:
            break
        time.sleep(0.002)
    print(f"DASHBOARD {longest:.4f}", flush=True)
c.shutdown()
"""


def make_book(folder: Path, count: int) -> None:
    os.environ.pop("SOTAY_KDF_PROFILE", None)  # production key derivation
    import random

    from app.book import create_book
    from app.demo import make_member
    from app.models import Member
    from app.services import members

    book, _ = create_book(
        folder, password=PASSWORD, branch_name="Chi bộ Đo đạc", committee="Đảng bộ thử"
    )
    rng = random.Random(7)
    import datetime as dt

    today = dt.date.today()
    # Bulk insert through the same normalisation as the service, in one transaction.
    with book.session() as s:
        for i in range(count):
            data = make_member(rng, i + 1, today)
            row = Member()
            members._apply(row, members.normalise(data))
            s.add(row)
    book.close()


def run_once(folder: Path, env: dict[str, str], mode: str) -> tuple[float, float, float]:
    """(seconds to READY, seconds to the dashboard shown, longest GUI stall in seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), PASSWORD, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert proc.stdout is not None
    ready = shown = stall = float("nan")
    for line in proc.stdout:
        if line.startswith("READY"):
            ready = time.perf_counter() - start
            if mode == "sync":
                break
        elif line.startswith("DASHBOARD"):
            shown = time.perf_counter() - start
            stall = float(line.split()[1])
            break
    proc.wait()
    return ready, shown, stall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--synchronous", action="store_true")
    parser.add_argument("--no-bytecode-cache", action="store_true")
    args = parser.parse_args()
    mode = "sync" if args.synchronous else "async"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "book"
        t = time.perf_counter()
        make_book(folder, args.members)
        print(f"book with {args.members} members made in {time.perf_counter() - t:.1f} s")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOTAY_DATA_DIR=str(folder))
        env.pop("SOTAY_KDF_PROFILE", None)
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
            run_once(folder, env, mode)  # warm-up: writes the bytecode cache
        results = [run_once(folder, env, mode) for _ in range(args.runs)]
        times = [r[0] for r in results]
        print(
            f"runner: {'synchronous (tests)' if args.synchronous else 'background (program)'}; "
            f"bytecode cache: {'no' if args.no_bytecode_cache else 'yes'}"
        )
        print("runs (s): " + ", ".join(f"{x:.3f}" for x in times))
        what = "with the overview filled" if args.synchronous else "first paint"
        print(
            f"cold start to unlocked main window ({what}), median: "
            f"{statistics.median(times):.3f} s (target < 1.0 s)"
        )
        if not args.synchronous:
            print(
                "dashboard shown, median: "
                f"{statistics.median(r[1] for r in results):.3f} s after start; longest GUI "
                f"stall while it loaded, median: {statistics.median(r[2] for r in results) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()

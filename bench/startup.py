"""Cold start to an unlocked main window (offscreen) with 5,000 members.

    .venv/bin/python bench/startup.py [--members 5000] [--runs 7]

Each run is a fresh process: interpreter start, imports, key derivation with the production
Argon2id parameters, migrations check, the main window shown with the overview filled.
Prints the median and each run. Target: under 1.0 s.
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
from ui.qt import QtWidgets
app = QtWidgets.QApplication([])
from app.unlock import unlock
from ui.main import Controller
data_dir = Path(sys.argv[1])
c = Controller(app, data_dir, synchronous=True)
c.open_main(unlock(data_dir, password=sys.argv[2]))
app.processEvents()
assert c.window is not None and c.window.isVisible()
print("READY", flush=True)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "book"
        t = time.perf_counter()
        make_book(folder, args.members)
        print(f"book with {args.members} members made in {time.perf_counter() - t:.1f} s")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SOTAY_DATA_DIR=str(folder))
        env.pop("SOTAY_KDF_PROFILE", None)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(folder), PASSWORD],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
                env=env,
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("READY"):
                    times.append(time.perf_counter() - start)
                    break
            proc.wait()
        print("runs (s): " + ", ".join(f"{x:.3f}" for x in times))
        print(
            f"cold start to unlocked main window, median: {statistics.median(times):.3f} s (target < 1.0 s)"
        )


if __name__ == "__main__":
    main()

"""Start as a user starts: `sotay gui` → unlock dialog → password → main window → Tổng quan.

    .venv/bin/python bench/startup.py [--members 5000] [--runs 5] [--cold-runs 2]
                                      [--build dist/SoTayChiBo] [--no-source]

Each run is a fresh process of the real entry point: the `sotay` console script of the
source tree (.venv/bin/sotay) and, when it exists, the built program (dist/SoTayChiBo/sotay
gui). Nothing is skipped: the command-line parser, the instance lock, the keyring probe,
the bundled fonts, the unlock dialog. The program runs with SOTAY_STARTUP_PROBE=1
(ui/startup_probe.py): at the dialog's first paint it types the password through the
dialog's own submit(), and it prints the time of each mark:

    dialog     the unlock dialog painted               (budget warm: < 0.4 s after start)
    window     the main window painted                 (budget warm: < 0.8 s after submit)
    overview   Tổng quan filled (dashboard computed in the background)

Production key derivation (Argon2id) is used, so "window after submit" includes it.
Warm runs follow one discarded warm-up run; they are timed with the password submitted at
the dialog's first paint (worst case: the book's modules still loading) and typed in
--typing-seconds (default 1.5 s, as a user does; they load meanwhile). Cold runs drop the page cache first
(`sync; echo 3 > /proc/sys/vm/drop_caches`, needs root; otherwise they are reported as
not possible). Python bytecode of the source tree is cached as an installed program's is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-mat-khau-2025"
MARKS = ("dialog", "submitted", "window", "overview")


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


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def run_once(command: list[str], env: dict[str, str], *, cold: bool = False) -> dict[str, float]:
    """Seconds from the process start to each mark."""
    if cold and not drop_caches():
        return {}
    start = time.time()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env
    )
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    marks: dict[str, float] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "PROBE":
            marks[parts[1]] = float(parts[2]) - start
    if "overview" not in marks:
        raise SystemExit(
            f"{' '.join(command)}: no full start (exit {proc.returncode}): {err[-800:]}"
        )
    return marks


def summarise(label: str, runs: list[dict[str, float]]) -> None:
    if not runs:
        print(f"{label}: not measured (dropping the page cache needs root)")
        return

    def med(f: object) -> float:
        return statistics.median(f(r) for r in runs)  # type: ignore[operator]

    dialog = med(lambda r: r["dialog"])
    after = med(lambda r: r["window"] - r["submitted"])
    print(
        f"{label} ({len(runs)} runs, median): dialog {dialog:.3f} s"
        f"{' (budget < 0.4)' if 'warm' in label else ''}; "
        f"main window {after:.3f} s after the password"
        f"{' (budget < 0.8)' if 'warm' in label else ''}; "
        f"window at {med(lambda r: r['window']):.3f} s; "
        f"Tổng quan filled at {med(lambda r: r['overview']):.3f} s"
    )
    print("   dialog per run: " + ", ".join(f"{r['dialog']:.3f}" for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=2)
    parser.add_argument("--build", default=str(ROOT / "dist" / "SoTayChiBo"))
    parser.add_argument("--no-source", action="store_true")
    parser.add_argument(
        "--typing-seconds",
        type=float,
        default=1.5,
        help="time the user takes to type the password (the book's modules load meanwhile)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "book"
        t = time.perf_counter()
        make_book(folder, args.members)
        print(f"book with {args.members} members made in {time.perf_counter() - t:.1f} s")
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            SOTAY_DATA_DIR=str(folder),
            SOTAY_STARTUP_PROBE="1",
            SOTAY_STARTUP_PROBE_PASSWORD=PASSWORD,
        )
        for name in ("SOTAY_KDF_PROFILE", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
            env.pop(name, None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        programs: list[tuple[str, list[str]]] = []
        if not args.no_source:
            script = ROOT / ".venv" / "bin" / "sotay"
            programs.append(("source tree (.venv/bin/sotay gui)", [str(script), "gui"]))
        built = Path(args.build) / "sotay"
        if built.exists():
            programs.append((f"built program ({built} gui)", [str(built), "gui"]))
        else:
            print(f"no built program at {built}: build it with scripts/check_build.sh")
        typed = dict(env, SOTAY_STARTUP_PROBE_TYPING_MS=str(int(args.typing_seconds * 1000)))
        for label, command in programs:
            print(label)
            run_once(command, env)  # warm-up (writes the bytecode cache)
            summarise(
                "  warm, password submitted at once",
                [run_once(command, env) for _ in range(args.runs)],
            )
            summarise(
                f"  warm, password typed in {args.typing_seconds:g} s",
                [run_once(command, typed) for _ in range(args.runs)],
            )
            if args.cold_runs:
                cold = [run_once(command, typed, cold=True) for _ in range(args.cold_runs)]
                summarise(
                    f"  cold file cache, typed in {args.typing_seconds:g} s",
                    [r for r in cold if r],
                )


if __name__ == "__main__":
    main()

"""Benchmark: what SQLCipher costs against plain SQLite on the same workload.

The same work runs on two books made by `create_book` through the same SQLAlchemy setup
(`app.storage.db`): one encrypted as the program makes it, one left unencrypted. The plain
one is made here only, by replacing `PRAGMA key` with a no-op in this process (sqlcipher3
without a key is plain SQLite); app/ never does this. The file header is checked: the plain
book must start with "SQLite format 3", the encrypted one must not.

The workload, timed phase by phase:
1. insert 10,000 members through the service layer's row-building code
   (`members.normalise` + `members.create_many_in_session`: row, audit and outbox entries),
   in one transaction as an import does;
2. 2,000 searches as you type (`members.first_page`, page of 100 and the total);
3. 2,000 attendance marks (`attendance.mark`, each its own durable transaction) on a meeting
   of 40 members.

Each variant runs in its own fresh process, the order alternating over the rounds; the
medians are printed with the ratio. Budget (DESIGN.md): at most 1.3x.

    .venv/bin/python bench/cipher_overhead.py [--rounds 3] [--members 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.members import MemberInput

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")

BUDGET = 1.3
PHASES = ("insert", "search", "marks")
SEARCHES = 2000
MARKS = 2000
PASSWORD = "mat-khau-do-hieu-nang"

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thị Thu", "Quang", "Hữu", "Thị Ngọc", "Công", "Xuân"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam", "Hoa",
          "Hòa", "Hương", "Lan", "Liên", "Mai", "Nga", "Nhung", "Thảo", "Trang", "Yến", "Tâm"]  # fmt: skip
_QUERIES = ["nguyen thi h", "dang van", "tran van an", "hoa", "le thi", "0912", "05205",
            "pham quang", "vo", "bui duc"]  # fmt: skip


def _inputs(count: int) -> list[MemberInput]:
    from app.services.members import MemberInput

    rng = random.Random(339)
    out: list[MemberInput] = []
    for i in range(count):
        birth = dt.date(rng.randint(1935, 1998), rng.randint(1, 12), rng.randint(1, 28))
        out.append(
            MemberInput(
                full_name=f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
                birth_date=birth,
                gender="nữ" if rng.random() < 0.45 else "nam",
                admission_date=dt.date(birth.year + 22, rng.randint(1, 12), rng.randint(1, 28)),
                card_number=f"{52_000_000 + i:08d}",
                personal_id=f"0520{rng.randint(0, 1)}{birth.year % 100:02d}{i:06d}",
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                address=f"Tổ {rng.randint(1, 40)}, khu phố {rng.randint(1, 9)}",
            )
        )
    return out


def run_variant(variant: str, folder: Path, count: int) -> dict[str, float]:
    """One variant in this process: wall-clock seconds per phase, and CPU seconds of this
    process per phase ("cpu_" + phase; SQLCipher's work runs on this thread, the disk's
    fsync waits do not count)."""
    import app.storage.db as db

    if variant == "plain":
        db.raw_key_pragma = lambda key: "SELECT 1"  # no key: sqlcipher3 is plain SQLite

    from app.book import create_book
    from app.services import attendance, meetings, members

    book, _ = create_book(
        folder, password=PASSWORD, branch_name="Chi bộ Đo đạc", committee="Đảng bộ thử"
    )
    header = (folder / "book.db").read_bytes()[:16]
    plain = header.startswith(b"SQLite format 3")
    if plain != (variant == "plain"):
        raise SystemExit(f"{variant}: the file header says plain={plain}; not measuring.")
    try:
        data = [members.normalise(d) for d in _inputs(count)]
        t0, c0 = time.perf_counter(), time.process_time()
        with book.session() as s:
            ids = members.create_many_in_session(
                s, items=[(d, "", "") for d in data], actor="bench"
            )
        t_insert, c_insert = time.perf_counter() - t0, time.process_time() - c0

        typed = [q[:end] for q in _QUERIES for end in range(1, len(q) + 1)]
        t0, c0 = time.perf_counter(), time.process_time()
        for n in range(SEARCHES):
            members.first_page(
                book, search=typed[n % len(typed)], status=members.ACTIVE_STATUSES, limit=100
            )
        t_search, c_search = time.perf_counter() - t0, time.process_time() - c0

        m = meetings.create(
            book,
            data=meetings.MeetingInput(
                kind="thuong_ky",
                starts_at=dt.datetime.combine(
                    dt.date.today() - dt.timedelta(days=1), dt.time(19, 30)
                ),
                place="Nhà văn hóa",
            ),
        )
        statuses = ["present"] * 7 + ["late", "excused", "unexcused"]
        t0, c0 = time.perf_counter(), time.process_time()
        for n in range(MARKS):
            st = statuses[(n * 7 + n // 40) % len(statuses)]
            attendance.mark(
                book,
                meeting_id=m.id,
                member_id=ids[n % 40],
                status=st,
                reason="Ốm" if st == "excused" else "",
            )
        t_marks, c_marks = time.perf_counter() - t0, time.process_time() - c0
    finally:
        book.close()
    return {
        "insert": t_insert,
        "search": t_search,
        "marks": t_marks,
        "cpu_insert": c_insert,
        "cpu_search": c_search,
        "cpu_marks": c_marks,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--child", choices=("cipher", "plain"))
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_variant(args.child, args.dir, args.members)))
        return 0

    results: dict[str, list[dict[str, float]]] = {"cipher": [], "plain": []}
    with tempfile.TemporaryDirectory(prefix="sotay-bench-cipher-") as tmp:
        for r in range(args.rounds):
            order = ("cipher", "plain") if r % 2 == 0 else ("plain", "cipher")
            for variant in order:
                folder = Path(tmp) / f"{variant}-{r}"
                command = [sys.executable, __file__, "--child", variant, "--dir", str(folder)]
                out = subprocess.run(
                    [*command, "--members", str(args.members)],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                figures = json.loads(out.stdout.strip().splitlines()[-1])
                results[variant].append(figures)
                print(
                    f"round {r + 1} {variant:6}: "
                    + ", ".join(
                        f"{p} {figures[p]:.2f} s (CPU {figures['cpu_' + p]:.2f} s)" for p in PHASES
                    ),
                    flush=True,
                )
    print(
        f"\nMedians over {args.rounds} rounds ({args.members:,} members inserted, "
        f"{SEARCHES:,} searches, {MARKS:,} marks), wall clock (CPU of the process):"
    )
    med: dict[str, dict[str, float]] = {}
    for variant in ("plain", "cipher"):
        runs = results[variant]
        med[variant] = {k: statistics.median(x[k] for x in runs) for k in runs[0]}
        med[variant]["total"] = statistics.median(sum(x[p] for p in PHASES) for x in runs)
        med[variant]["cpu_total"] = statistics.median(
            sum(x["cpu_" + p] for p in PHASES) for x in runs
        )
        m = med[variant]
        print(
            f"  {variant:6}: "
            + ", ".join(f"{p} {m[p]:.2f} s ({m['cpu_' + p]:.2f} s)" for p in PHASES)
            + f"; total {m['total']:.2f} s ({m['cpu_total']:.2f} s)"
        )
    for p in (*PHASES, "total"):
        wall = med["cipher"][p] / med["plain"][p]
        cpu = med["cipher"]["cpu_" + p] / med["plain"]["cpu_" + p]
        print(f"  {p}: SQLCipher / plain = {wall:.2f}x wall clock, {cpu:.2f}x CPU")
    ratio = max(
        med["cipher"]["total"] / med["plain"]["total"],
        med["cipher"]["cpu_total"] / med["plain"]["cpu_total"],
    )
    verdict = "OK" if ratio <= BUDGET else "OVER BUDGET"
    print(
        f"SQLCipher / plain SQLite, whole workload (the larger of the two ratios): {ratio:.2f}x "
        f"(budget ≤ {BUDGET}x) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

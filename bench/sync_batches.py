"""Sync benchmark: N changes (10,000 by default) to the reference server on loopback.

Prints:
  * the total time of `run_sync` for all changes in batches of 200 (target < 10 s),
  * the time per change when each change is its own request (batch size 1), measured on a
    sample (500 by default) and extrapolated linearly to N — the sample is stated,
  * the ratio between the two (target >= 20x),
  * bytes on the wire per change (request and response bodies and headers, as counted by the
    client; TCP/IP overhead not included).

Run: .venv/bin/python bench/sync_batches.py [--changes 10000] [--sample 500] [--json]
The server runs in this process (uvicorn in a thread) on a SQLite file; the book is a real
SQLCipher book; changes are members made through the members service (as an import does).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")  # book creation is not what is measured

from app.book import Book, create_book
from app.services import members
from server.accounts import add_branch
from server.runner import ServerThread
from sync.client import enrol, run_sync

GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hoa", "Hùng", "Lan", "Minh", "Nam", "Phúc")


def _book(folder: Path, count: int) -> Book:
    book, _ = create_book(
        folder,
        password="mat-khau-bench",
        branch_name="Chi bộ Khu phố 3",
        committee="Đảng bộ phường",
    )
    with book.session() as s:
        for i in range(count):
            members.create_in_session(
                s,
                data=members.MemberInput(
                    full_name=f"Nguyễn Văn {GIVEN[i % len(GIVEN)]}",
                    birth_date=dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28),
                    gender="nam" if i % 2 else "nữ",
                    admission_date=dt.date(1990, 5, 19),
                    phone=f"09{i:08d}",
                    address=f"Số {i} đường Trần Hưng Đạo, khu phố 3",
                ),
                actor="Bench",
            )
    return book


def _enrolled(server: ServerThread, book: Book, code: str) -> None:
    with server.app.state.db.sessions.begin() as session:
        issued = add_branch(session, code=code, name=f"Chi bộ {code}")
    enrol(book, server_url=server.url, code=issued.enrolment_code)


def measure(changes: int, sample: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sotay-bench-sync-") as tmp:
        root = Path(tmp)
        server = ServerThread(f"sqlite:///{root / 'server.db'}").start()
        try:
            big = _book(root / "batched", changes)
            _enrolled(server, big, "CB-BENCH-1")
            report = run_sync(big, batch_size=200)
            big.close()
            data = report.as_json()
            total_changes = data["acknowledged"]

            small = _book(root / "single", sample)
            _enrolled(server, small, "CB-BENCH-2")
            started = time.perf_counter()
            single = run_sync(small, batch_size=1).as_json()
            per_change = (time.perf_counter() - started) / max(1, single["acknowledged"])
            small.close()
        finally:
            server.stop()
    extrapolated = per_change * total_changes
    wire = data["bytes_sent"] + data["bytes_received"]
    return {
        "changes": total_changes,
        "batched_seconds": round(report.seconds, 3),
        "batches": data["batches"],
        "requests": data["requests"],
        "changes_per_second": round(total_changes / report.seconds),
        "single_sample": single["acknowledged"],
        "single_seconds_per_change": round(per_change, 5),
        "single_seconds_extrapolated": round(extrapolated, 1),
        "ratio": round(extrapolated / report.seconds, 1),
        "bytes_sent": data["bytes_sent"],
        "bytes_received": data["bytes_received"],
        "bytes_per_change": round(wire / total_changes, 1),
        "single_bytes_per_change": round(
            (single["bytes_sent"] + single["bytes_received"]) / max(1, single["acknowledged"]), 1
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.changes, args.sample)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    ok_time = figures["batched_seconds"] < 10
    ok_ratio = figures["ratio"] >= 20
    print(f"changes uploaded (batches of 200): {figures['changes']}")
    print(
        f"total time: {figures['batched_seconds']} s in {figures['requests']} requests "
        f"({figures['changes_per_second']} changes/s) — target < 10 s: {'OK' if ok_time else 'MISSED'}"
    )
    print(
        f"one request per change: {figures['single_seconds_per_change'] * 1000:.2f} ms/change, "
        f"measured on {figures['single_sample']} changes, extrapolated to "
        f"{figures['changes']}: {figures['single_seconds_extrapolated']} s"
    )
    print(f"ratio: {figures['ratio']}x — target >= 20x: {'OK' if ok_ratio else 'MISSED'}")
    print(
        f"bytes on the wire per change: {figures['bytes_per_change']} batched, "
        f"{figures['single_bytes_per_change']} one per request "
        "(bodies + HTTP headers as counted by the client)"
    )
    return 0 if ok_time and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())

"""Load benchmark of the committee's server: N branches syncing at once (issue 14).

For each worker count asked for (1 and 4 by default), a fresh PostgreSQL schema, a server
started with `sotay-server serve --workers W` on 127.0.0.1, and N branches (200 by default),
each enrolled and sending its changes (500 by default, member upserts of realistic size) in
gzip'd batches of 200 the way the desktop does: one branch's batches one after another, many
branches at the same time (--concurrency client threads). Prints per worker count:
changes/s (applied changes over the wall time), p50/p95/max batch latency, /api/v1/info
latency under load (p95), and errors (non-200 answers, transport errors, and changes not
`applied`). Bounded: --time-limit seconds per run; branches not started by then are skipped
and counted.

Run: .venv/bin/python bench/server_load.py [--db URL] [--branches 200] [--changes 500]
     [--workers 1,4] [--concurrency 32] [--time-limit 240] [--json]
The database defaults to SOTAY_TEST_PG_URL (each run in its own schema, dropped after).
The client payloads are built before the clock starts, so what is measured is the server;
client and server share this machine's cores (state them with the figures).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from server.accounts import add_branch, enrol  # noqa: E402
from server.db import Database  # noqa: E402
from server.runner import (  # noqa: E402
    free_port,
    pg_create_schema,
    pg_drop_schema,
    pg_schema_url,
    wait_listening,
)

PROTO = {"X-Sotay-Protocol": "1"}
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hoa", "Hùng", "Lan", "Minh", "Nam", "Phúc")


@dataclass
class Branch:
    code: str
    token: str
    bodies: list[tuple[bytes, int]] = field(default_factory=list)  # gzip body, changes


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    info_latencies: list[float] = field(default_factory=list)
    applied: int = 0
    errors: int = 0
    not_applied: int = 0
    skipped_branches: int = 0
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _member(i: int) -> dict[str, Any]:
    return {
        "full_name": f"Nguyễn Văn {GIVEN[i % len(GIVEN)]} {i}",
        "status": "chinh_thuc",
        "gender": "nam" if i % 2 else "nu",
        "birth_date": f"{1950 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "phone": f"09{i:08d}",
        "personal_id": f"0792{i:08d}",
        "address": f"Số {i} đường Trần Hưng Đạo, khu phố 3",
        "notes": "",
    }


def _prepare(url: str, branches: int, changes: int, batch: int) -> list[Branch]:
    db = Database(url)
    out: list[Branch] = []
    try:
        with db.sessions.begin() as session:
            for n in range(branches):
                code = f"CB-LOAD-{n:04d}"
                issued = add_branch(session, code=code, name=f"Chi bộ tải {n}")
                device = enrol(session, code=issued.enrolment_code, device_name="bench")
                out.append(Branch(code, device.device_token))
    finally:
        db.dispose()
    for branch in out:
        rows = [
            {"op_id": str(uuid.uuid4()), "seq": i + 1, "entity": "member",
             "entity_id": str(uuid.uuid4()), "op": "upsert", "fields": _member(i),
             "base_version": 0, "version": 1}
            for i in range(changes)
        ]  # fmt: skip
        for start in range(0, changes, batch):
            part = rows[start : start + batch]
            doc = {"batch_id": str(uuid.uuid4()), "branch_code": branch.code, "changes": part}
            raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
            branch.bodies.append((gzip.compress(raw, compresslevel=6), len(part)))
    return out


def _sync_branch(url: str, branch: Branch, tally: Tally, deadline: float) -> None:
    if time.monotonic() > deadline:
        with tally.lock:
            tally.skipped_branches += 1
        return
    http = requests.Session()
    headers = {**PROTO, "Authorization": f"Bearer {branch.token}",
               "Content-Type": "application/json", "Content-Encoding": "gzip"}  # fmt: skip
    for body, count in branch.bodies:
        started = time.perf_counter()
        try:
            answer = http.post(f"{url}/api/v1/batches", data=body, headers=headers, timeout=120)
            elapsed = time.perf_counter() - started
            ok = answer.status_code == 200
            results = answer.json().get("results", []) if ok else []
        except (requests.RequestException, ValueError) as exc:
            elapsed, ok, results = time.perf_counter() - started, False, []
            sample = f"{type(exc).__name__}: {exc}"[:200]
        else:
            sample = f"HTTP {answer.status_code}: {answer.text[:200]}"
        applied = sum(1 for r in results if r.get("result") == "applied")
        with tally.lock:
            tally.latencies.append(elapsed)
            if not ok:
                tally.errors += 1
                if len(tally.error_samples) < 3:
                    tally.error_samples.append(sample)
            tally.applied += applied
            tally.not_applied += (count - applied) if ok else 0
    http.close()


def _probe_info(url: str, tally: Tally, stop: threading.Event) -> None:
    http = requests.Session()
    while not stop.is_set():
        started = time.perf_counter()
        try:
            http.get(f"{url}/api/v1/info", timeout=30)
            tally.info_latencies.append(time.perf_counter() - started)
        except requests.RequestException:
            pass
        stop.wait(0.2)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_once(base_url: str, workers: int, args: argparse.Namespace) -> dict[str, Any]:
    schema = "sotay_load_" + uuid.uuid4().hex[:8]
    pg_create_schema(base_url, schema)
    url = pg_schema_url(base_url, schema)
    key_dir = tempfile.mkdtemp(prefix="sotay-load-key-")
    env = {**os.environ, "SOTAY_SERVER_KEY_FILE": str(Path(key_dir) / "server.key")}
    os.environ["SOTAY_SERVER_KEY_FILE"] = env["SOTAY_SERVER_KEY_FILE"]
    proc: subprocess.Popen[bytes] | None = None
    try:
        branches = _prepare(url, args.branches, args.changes, args.batch)
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "server", "serve", "--db", url, "--port", str(port),
             "--workers", str(workers), "--log-level", "error"],
            cwd=str(ROOT), env=env,
        )  # fmt: skip
        wait_listening("127.0.0.1", port, timeout=60)
        server = f"http://127.0.0.1:{port}"
        for _ in range(100):  # every worker answering
            try:
                if requests.get(f"{server}/api/v1/info", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        time.sleep(0.5 * workers)
        tally = Tally()
        stop = threading.Event()
        prober = threading.Thread(target=_probe_info, args=(server, tally, stop), daemon=True)
        prober.start()
        started = time.perf_counter()
        deadline = time.monotonic() + args.time_limit
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for branch in branches:
                pool.submit(_sync_branch, server, branch, tally, deadline)
        wall = time.perf_counter() - started
        stop.set()
        prober.join(timeout=5)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        pg_drop_schema(base_url, schema)
    return {
        "workers": workers,
        "branches": args.branches,
        "changes_per_branch": args.changes,
        "batch": args.batch,
        "concurrency": args.concurrency,
        "seconds": round(wall, 2),
        "applied": tally.applied,
        "changes_per_s": round(tally.applied / wall, 1) if wall else 0.0,
        "batches": len(tally.latencies),
        "p50_ms": round(_pct(tally.latencies, 0.50) * 1000, 1),
        "p95_ms": round(_pct(tally.latencies, 0.95) * 1000, 1),
        "max_ms": round(max(tally.latencies, default=0) * 1000, 1),
        "mean_ms": round(statistics.fmean(tally.latencies) * 1000, 1) if tally.latencies else 0,
        "info_p95_ms": round(_pct(tally.info_latencies, 0.95) * 1000, 1),
        "errors": tally.errors,
        "not_applied": tally.not_applied,
        "skipped_branches": tally.skipped_branches,
        "error_samples": tally.error_samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("SOTAY_TEST_PG_URL"))
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--changes", type=int, default=500)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--time-limit", type=float, default=240.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.db or not args.db.startswith("postgresql"):
        print("Cần --db postgresql+psycopg://... (hoặc SOTAY_TEST_PG_URL).", file=sys.stderr)
        return 2
    rows = [run_once(args.db, int(w), args) for w in args.workers.split(",")]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.branches} branches x {args.changes} changes, batches of {args.batch}, "
          f"{args.concurrency} client threads, {os.cpu_count()} CPU(s) shared by client and server")  # fmt: skip
    print(f"{'workers':>7} {'changes/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'info p95':>9} {'errors':>6} {'not appl.':>9} {'skipped':>7} {'seconds':>8}")  # fmt: skip
    for r in rows:
        print(f"{r['workers']:>7} {r['changes_per_s']:>10} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['max_ms']:>8} {r['info_p95_ms']:>9} {r['errors']:>6} {r['not_applied']:>9} "
              f"{r['skipped_branches']:>7} {r['seconds']:>8}")  # fmt: skip
        for sample in r["error_samples"]:
            print(f"        e.g. {sample}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

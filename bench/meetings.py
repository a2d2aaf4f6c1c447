"""Benchmark: the roll call and the minutes, through the services, on a real encrypted book.

1. Attendance click-to-commit: `attendance.mark` (one transaction, fsync'd with
   synchronous=FULL, audit + outbox entry) timed per call over 400 marks on a 40-member
   roster. Budget: p95 under 10 ms.
2. Minutes PDF for a 40-member meeting: `meeting_pdf(kind="minutes")`, i.e. reading the
   meeting, roll call, minutes and audit trail from the book and rendering with reportlab.
   One cold build, then 10 timed builds. Budget: under 0.5 s.

Not a test: run it with
    .venv/bin/python bench/meetings.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")

from app.book import create_book
from app.services import attendance, meetings, members
from app.services.meetings import DiscussionEntry, Minutes, MinutesSection, VoteRecord
from app.services.members import MemberInput
from reports.printing import meeting_pdf

MARKS = 400
PDF_RUNS = 10
MARK_BUDGET_MS = 10.0
PDF_BUDGET_S = 0.5

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_MIDDLE = ["Văn", "Thị", "Quốc", "Minh"]
_GIVEN = ["Hòa", "Đức", "Lan", "Tám", "Sáu", "Phát", "Châu", "Xuân", "Mười", "Kỷ"]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _fsync_floor(folder: Path) -> tuple[float, float]:
    """What one durable commit costs on this disk, with nothing of ours around it."""
    import sqlite3

    conn = sqlite3.connect(str(folder / "floor.db"), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE t (x INTEGER)")
        timings = []
        for i in range(200):
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES (?)", (i,))
            conn.execute("COMMIT")
            timings.append((time.perf_counter() - t0) * 1000)
    finally:
        conn.close()
    return statistics.median(timings), _p95(timings)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sotay-bench-") as tmp:
        book, _ = create_book(
            Path(tmp) / "so",
            password="mat-khau-do-hieu-nang",
            branch_name="Chi bộ Khu phố 3",
            committee="Đảng bộ phường Quy Nhơn",
            place_name="Quy Nhơn",
            secretary_name="Nguyễn Văn Hòa",
        )
        try:
            ids = []
            for i in range(40):
                name = f"{_FAMILY[i % 10]} {_MIDDLE[i % 4]} {_GIVEN[(i * 3 + i // 10) % 10]}"
                status = "du_bi" if i % 13 == 5 else "chinh_thuc"
                ids.append(members.create(book, data=MemberInput(full_name=name, status=status)).id)
            start = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(19, 30))
            m = meetings.create(
                book,
                data=meetings.MeetingInput(
                    kind="thuong_ky",
                    starts_at=start,
                    place="Nhà văn hóa khu phố 3",
                    chair_name="Nguyễn Văn Hòa",
                    secretary_name="Trần Thị Đức",
                ),
            )

            # --- click to commit ---
            statuses = ["present"] * 7 + ["late", "excused", "unexcused"]
            timings: list[float] = []
            for n in range(MARKS):
                member_id = ids[n % 40]
                status = statuses[(n * 7 + n // 40) % len(statuses)]
                reason = "Ốm" if status == "excused" else ""
                t0 = time.perf_counter()
                attendance.mark(
                    book, meeting_id=m.id, member_id=member_id, status=status, reason=reason
                )
                timings.append((time.perf_counter() - t0) * 1000)
            # the final state: 30 present, 8 excused, 2 unexcused
            for i, member_id in enumerate(ids):
                status = "present" if i < 30 else ("excused" if i < 38 else "unexcused")
                attendance.mark(
                    book,
                    meeting_id=m.id,
                    member_id=member_id,
                    status=status,
                    reason="đi công tác" if status == "excused" else "",
                )
            floor50, floor95 = _fsync_floor(Path(tmp))
            p50 = statistics.median(timings)
            p95 = _p95(timings)
            verdict = "OK" if p95 < MARK_BUDGET_MS else "OVER BUDGET"
            print(
                f"attendance mark (click→durable commit), {MARKS} marks: "
                f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {max(timings):.2f} ms "
                f"(budget p95 < {MARK_BUDGET_MS:.0f} ms) {verdict}"
            )
            print(
                f"  disk floor on this machine now (plain SQLite, WAL, synchronous=FULL, one "
                f"insert per commit): p50 {floor50:.2f} ms, p95 {floor95:.2f} ms"
            )

            # --- the minutes PDF ---
            sections = tuple(
                MinutesSection(
                    title=item,
                    content="Nội dung được trình bày đầy đủ trước chi bộ. " * 4,
                    discussion=tuple(
                        DiscussionEntry(
                            f"{_FAMILY[k]} Văn {_GIVEN[k]}",
                            "Tán thành và đề nghị bổ sung giải pháp cụ thể. " * 3,
                        )
                        for k in range(3 if j < 5 else 0)
                    ),
                    conclusion="Chi bộ thống nhất thực hiện.",
                )
                for j, item in enumerate(meetings.get(book, meeting_id=m.id).agenda)
            )
            call = attendance.roll_call(book, meeting_id=m.id)
            voters = call.figures.voting_present
            meetings.save_minutes(
                book,
                meeting_id=m.id,
                minutes=Minutes(
                    number="11-BB/CB",
                    sections=sections,
                    conclusion="Chi bộ thống nhất các nội dung đã thảo luận.",
                    votes=(
                        VoteRecord("Thông qua nghị quyết tháng", voters, 0, 0),
                        VoteRecord("Thông qua kế hoạch học tập", voters - 1, 1, 0),
                    ),
                    ends_at=start + dt.timedelta(hours=2),
                ),
            )
            meetings.close(book, meeting_id=m.id)
            t0 = time.perf_counter()
            data = meeting_pdf(book, meeting_id=m.id, kind="minutes")
            cold = time.perf_counter() - t0
            runs = []
            for _ in range(PDF_RUNS):
                t0 = time.perf_counter()
                meeting_pdf(book, meeting_id=m.id, kind="minutes")
                runs.append(time.perf_counter() - t0)
            median = statistics.median(runs)
            verdict = "OK" if max(runs) < PDF_BUDGET_S else "OVER BUDGET"
            print(
                f"minutes PDF, 40 members ({len(data) // 1024} KiB): cold {cold:.3f} s, "
                f"median {median:.3f} s, max {max(runs):.3f} s "
                f"(budget < {PDF_BUDGET_S} s) {verdict}"
            )
        finally:
            book.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

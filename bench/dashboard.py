"""Benchmark: the home dashboard and the reports, on a real encrypted book of a large branch.

A branch of MEMBERS members (a tenth without a smartphone, a few dự bị) with one regular
meeting held in each of the last MEETINGS months (default 12, the dashboard's whole window,
this month included; everyone marked), 200 feedback items and 20 support sessions. Timed
through the services:

1. `dashboard.dashboard` (what the Tổng quan page loads, in the background);
2. `upward_reports.draft` of last month's report (drafted from the data);
3. the report's PDF (`report_pdf`);
4. `support.onboarding_board`.

Not a test: run it with
    .venv/bin/python bench/dashboard.py [MEMBERS] [--meetings N] [--keep DIR]

With --keep DIR the book is built once in DIR and reused by later runs with the same DIR
(building 5,000 members with 12 roll calls takes a minute or two).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")

from app.book import Book, create_book, open_book
from app.services import (
    attendance,
    dashboard,
    meeting_stats,
    meetings,
    members,
    support,
    upward_reports,
)
from app.services import feedback as fb
from app.services.members import MemberInput
from reports.printing import report_pdf

PASSWORD = "mat-khau-do-hieu-nang"
RUNS = 5
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_GIVEN = ["Hòa", "Đức", "Lan", "Tám", "Sáu", "Phát", "Châu", "Xuân", "Mười", "Kỷ"]


def _month_start(today: dt.date, back: int) -> dt.date:
    y, m = today.year, today.month - back
    while m <= 0:
        m += 12
        y -= 1
    return dt.date(y, m, 1)


def _timed(fn: object, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def build(folder: Path, count: int, held: int, closed: bool) -> Book:
    """The branch: `count` members, `held` monthly meetings (this month's included when
    held == 12), everyone marked, 200 feedback items, 20 support sessions. With `closed`,
    the meetings before this month are closed (minutes adopted, roster frozen), as they
    are in a branch that keeps its book up to date."""
    today = dt.date.today()
    book, _ = create_book(
        folder,
        password=PASSWORD,
        branch_name="Đảng bộ Khu dân cư lớn",
        committee="Đảng bộ phường Quy Nhơn",
        place_name="Quy Nhơn",
        secretary_name="Trần Văn Bình",
    )
    ids: list[str] = []
    with book.session() as s:
        for i in range(count):
            data = members.normalise(
                MemberInput(
                    full_name=f"{_FAMILY[i % 10]} Văn {_GIVEN[(i // 10) % 10]} {i}",
                    birth_date=dt.date(1940 + i % 45, 1 + i % 12, 1 + i % 28),
                    admission_date=dt.date(1970 + i % 50, 1 + i % 12, 1 + i % 28),
                    status="du_bi" if i % 50 == 0 else "chinh_thuc",
                    has_smartphone=i % 10 != 0,
                    app_account=("chua_dang_ky", "da_dang_ky", "da_duyet")[i % 3],
                )
            )
            ids.append(members.create_in_session(s, data=data, actor="bench").id)
    for back in range(held, 0, -1):
        # back == 1 is this month: the 8th, or today when that is earlier.
        day = _month_start(today, back - 1)
        day = day.replace(day=min(8, today.day)) if back == 1 else day.replace(day=8)
        m = meetings.create(
            book,
            data=meetings.MeetingInput(
                kind="thuong_ky",
                starts_at=dt.datetime.combine(day, dt.time(19, 30)),
                place="Nhà văn hóa",
                chair_name="Trần Văn Bình",
                secretary_name="Nguyễn Thị Lan",
            ),
        )
        attendance.mark(book, meeting_id=m.id, member_id=ids[back], status="unexcused")
        attendance.mark_remaining_present(book, meeting_id=m.id)
        if closed and back > 1:
            meetings.close(book, meeting_id=m.id, ends_at=dt.datetime.combine(day, dt.time(21, 30)))
    for i in range(200):
        fb.add(
            book,
            data=fb.FeedbackInput(
                member_id=ids[i * 3], kind="gop_y", content=f"Ý kiến số {i} về khu phố."
            ),
        )
    for i in range(20):
        support.create_session(
            book,
            data=support.SessionInput(
                held_on=today - dt.timedelta(days=i * 7),
                place="Nhà văn hóa",
                attendees=tuple(
                    support.HelpInput(ids[i * 20 + k], ("huong_dan",)) for k in range(10)
                ),
            ),
        )
    return book


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("members", type=int, nargs="?", default=2000)
    parser.add_argument("--meetings", type=int, default=12, help="monthly meetings held (≤ 12)")
    parser.add_argument("--keep", type=Path, help="build the book here once and reuse it")
    parser.add_argument(
        "--closed", action="store_true", help="close the meetings before this month"
    )
    args = parser.parse_args()
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="sotay-bench-dash-") as tmp:
        folder = args.keep or Path(tmp) / "so"
        setup = time.perf_counter()
        if args.keep and (folder / "book.db").exists():
            book = open_book(folder, password=PASSWORD)
            built = "reused"
        else:
            book = build(folder, args.members, args.meetings, args.closed)
            built = "built"
        setup = time.perf_counter() - setup
        n_members = members.count(book)
        held = meeting_stats.compute(book, start=_month_start(today, 11), end=today).meetings
        n_held = len(held)
        n_closed = sum(h.meeting.state == "closed" for h in held)
        print(
            f"Setup ({built}): {n_members} members, {n_held} held meetings in the window "
            f"({n_closed} closed), "
            f"200 feedback, 20 sessions: {setup:.1f} s"
        )

        med, worst = _timed(lambda: dashboard.dashboard(book))
        print(f"dashboard.dashboard: median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms")
        med, worst = _timed(lambda: support.onboarding_board(book))
        print(f"support.onboarding_board: median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms")
        period = f"{_month_start(today, 1):%Y-%m}"
        start = time.perf_counter()
        drafted = upward_reports.draft(book, kind="monthly", period=period)
        report = drafted.report
        if not drafted.created:  # a kept book: draft the figures again
            start = time.perf_counter()
            upward_reports.redraft(book, report_id=report.id)
        print(f"upward_reports.draft (monthly): {(time.perf_counter() - start) * 1000:.0f} ms")
        med, worst = _timed(lambda: report_pdf(upward_reports.paper(book, report_id=report.id)))
        print(f"report PDF: median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms")
        book.close()


if __name__ == "__main__":
    main()

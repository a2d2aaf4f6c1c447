"""Benchmark: đảng phí through the services, on a real encrypted book of 200 members.

1. Marking a payment, click to durable commit: `dues.pay` for one member and one month
   (validation, the payment row, its audit and outbox entries, one transaction fsync'd with
   synchronous=FULL), timed per call over 400 payments. Budget: the attendance mark's,
   p95 under 10 ms.
2. The yearly dues book of 200 members (every month paid, some exempt) as PDF: reading the
   book (`dues.year_book`) and laying it out with reportlab. One cold build, then 5 timed
   builds. Budget: under 1 s.

Not a test: run it with
    .venv/bin/python bench/dues.py
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
from app.errors import KnownError
from app.services import dues, members
from app.services.dues.entries import pay_in
from app.services.dues.ledger import member_info
from app.services.members import MemberInput
from reports.dues import year_book_pdf
from reports.layout import DocHeader

MEMBERS = 200
PAYMENTS = 400
PDF_RUNS = 5
PAY_BUDGET_MS = 10.0
PDF_BUDGET_S = 1.0

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
_MIDDLE = ["Văn", "Thị", "Quốc", "Minh", "Ngọc"]
_GIVEN = ["Hòa", "Đức", "Lan", "Tám", "Sáu", "Phát", "Châu", "Xuân", "Mười", "Kỷ", "Thành"]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    year = dt.date.today().year - 1  # a whole year in the past: every month can be paid
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
            ids: list[str] = []
            with book.session() as s:
                for i in range(MEMBERS):
                    name = f"{_FAMILY[i % 10]} {_MIDDLE[i % 5]} {_GIVEN[(i * 3 + i // 10) % 11]}"
                    admitted = dt.date(1965 + i % 55, 1 + i % 12, 1 + i % 28)
                    row = members.create_in_session(
                        s, data=MemberInput(full_name=name, admission_date=admitted), actor="b"
                    )
                    ids.append(row.id)
            for i, member_id in enumerate(ids):
                basis = ("salary", "pension", "fixed")[i % 3]
                dues.set_setting(
                    book,
                    member=member_id,
                    basis=basis,
                    income=4_000_000 + 37_000 * i if basis != "fixed" else None,
                    effective_from=f"{year}-01",
                )
            # --- click to durable commit ---
            timings: list[float] = []
            paid: set[tuple[str, int]] = set()
            for n in range(PAYMENTS):
                member_id = ids[(n * 7) % MEMBERS]
                month = 1 + n // MEMBERS
                t0 = time.perf_counter()
                try:
                    dues.pay(book, member=member_id, months=[f"{year}-{month:02d}"])
                except KnownError:  # exempt (50 years of tuổi đảng): not payable
                    continue
                finally:
                    timings.append((time.perf_counter() - t0) * 1000)
                paid.add((member_id, month))
            p50, p95 = statistics.median(timings), _p95(timings)
            verdict = "OK" if p95 < PAY_BUDGET_MS else "OVER BUDGET"
            print(
                f"dues payment (click→durable commit), {len(timings)} payments: p50 {p50:.2f} ms, "
                f"p95 {p95:.2f} ms, max {max(timings):.2f} ms "
                f"(budget p95 < {PAY_BUDGET_MS:.0f} ms, as an attendance mark) {verdict}"
            )
            # Fill the year (as an import would, one transaction).
            with book.session() as s:
                for member_id in ids:
                    info = member_info(s, member_id)
                    for month in range(1, 13):
                        if (member_id, month) in paid:
                            continue
                        try:
                            pay_in(
                                s,
                                "bench",
                                info,
                                months=[f"{year}-{month:02d}"],
                                amount=None,
                                via="cash",
                                reference="",
                                paid_on=None,
                                today=None,
                            )
                        except KnownError:
                            break
            # --- the yearly book as PDF ---
            header = DocHeader(
                "Đảng bộ phường Quy Nhơn", "Chi bộ Khu phố 3", "Quy Nhơn", dt.date.today()
            )
            year_book_pdf(dues.year_book(book, year=year), header, secretary="Nguyễn Văn Hòa")
            runs: list[float] = []
            size = 0
            for _ in range(PDF_RUNS):
                t0 = time.perf_counter()
                data = year_book_pdf(
                    dues.year_book(book, year=year), header, secretary="Nguyễn Văn Hòa"
                )
                runs.append(time.perf_counter() - t0)
                size = len(data)
            if os.environ.get("SOTAY_BENCH_PDF"):
                Path(os.environ["SOTAY_BENCH_PDF"]).write_bytes(data)
            verdict = "OK" if max(runs) < PDF_BUDGET_S else "OVER BUDGET"
            print(
                f"yearly dues book, {MEMBERS} members × 12 months, PDF ({size // 1024} KB): "
                f"median {statistics.median(runs):.3f} s, max {max(runs):.3f} s "
                f"(budget < {PDF_BUDGET_S:.0f} s) {verdict}"
            )
        finally:
            book.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

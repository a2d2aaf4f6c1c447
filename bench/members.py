"""Benchmark: the register with 10,000 members, on a real encrypted book.

1. Import of a 10,000-row .xlsx shaped like a secretary's file (title block, numeric IDs
   that lost their zeros, text and serial dates): read + check + write in one transaction.
   Budget: under 10 s. Then the same file again as a dry run (every row "unchanged").
2. Search as you type: realistic queries typed a key at a time ("n", "ng", ... "nguyen thi
   h", "dang", "tran van", phone and ID digits). Each keystroke does what the register does:
   `members.first_page`: the first 100 matches in name order and how many there are.
   Budget: p95 under 20 ms.
3. First paint of the register: building the Đảng viên section (offscreen Qt), loading the
   first page and rendering the widget once.

Not a test: run it with
    .venv/bin/python bench/members.py [--keep DIR]

With --keep DIR the imported book is kept in DIR and later runs with the same DIR skip the
import and time only the searches on the reopened book.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from openpyxl import Workbook

from app.book import Book, create_book, open_book
from app.importers import members_table
from app.services import members

MEMBERS = 10_000
IMPORT_BUDGET_S = 10.0
SEARCH_BUDGET_MS = 20.0
PAGE = 100  # the register's page (ui.members.model.PAGE_SIZE)

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thị Thu", "Quang", "Hữu", "Thị Ngọc", "Công", "Xuân"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam", "Hoa",
          "Hòa", "Hương", "Lan", "Liên", "Mai", "Nga", "Nhung", "Thảo", "Trang", "Yến", "Tâm"]  # fmt: skip
_PROVINCES = ["052", "001", "079", "031", "064", "075", "048", "046", "038", "040"]
QUERIES = ["nguyen thi h", "dang van", "tran van an", "hoa", "le thi", "0912", "05205",
           "pham quang", "vo", "bui duc"]  # fmt: skip


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def write_sheet(path: Path, count: int) -> None:
    rng = random.Random(339)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["ĐẢNG BỘ PHƯỜNG QUY NHƠN"])
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức",
               "Số thẻ đảng viên", "Số CCCD", "Điện thoại", "Địa chỉ"])  # fmt: skip
    epoch = dt.date(1899, 12, 30)
    for i in range(1, count + 1):
        female = rng.random() < 0.45
        birth = dt.date(rng.randint(1935, 1998), rng.randint(1, 12), rng.randint(1, 28))
        admission = dt.date(
            birth.year + rng.randint(19, 26), rng.randint(1, 12), rng.randint(1, 28)
        )
        official = admission + dt.timedelta(days=365)
        pid = f"{rng.choice(_PROVINCES)}{int(female)}{birth.year % 100:02d}{i:06d}"
        kind = i % 3
        birth_cell: object = (
            birth if kind == 0 else f"{birth:%d/%m/%Y}" if kind == 1 else (birth - epoch).days
        )
        ws.append(
            [
                i,
                f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
                birth_cell,
                "Nữ" if female else "Nam",
                f"{admission:%d/%m/%Y}",
                official,
                f"{52_000_000 + i:08d}",
                int(pid) if i % 2 else pid,
                int(f"9{rng.randint(10_000_000, 99_999_999)}"),
                f"Tổ {rng.randint(1, 40)}, khu phố {rng.randint(1, 9)}",
            ]
        )
    wb.save(path)


def bench_import(book: Book, path: Path) -> None:
    t0 = time.perf_counter()
    loaded = members_table.load(path)
    t1 = time.perf_counter()
    report = members_table.apply(book, loaded)
    t2 = time.perf_counter()
    counts = report.counts()
    total = t2 - t0
    verdict = "ĐẠT" if total < IMPORT_BUDGET_S else "KHÔNG ĐẠT"
    print(
        f"Import {MEMBERS:,} dòng .xlsx: {total:.2f} s (đọc tệp {t1 - t0:.2f} s, kiểm tra + "
        f"ghi {t2 - t1:.2f} s) — mục tiêu < {IMPORT_BUDGET_S:.0f} s: {verdict}"
    )
    print(f"  kết quả: {counts}")
    t3 = time.perf_counter()
    again = members_table.preview(book, members_table.load(path))
    t4 = time.perf_counter()
    print(
        f"Nhập lại cùng tệp (xem trước): {t4 - t3:.2f} s, "
        f"không đổi: {again.counts()['unchanged']:,}, sẽ ghi: {again.to_write}"
    )


def bench_search(book: Book) -> None:
    timings: list[float] = []
    matches: dict[str, int] = {}
    for _round in range(3):
        for query in QUERIES:
            for end in range(1, len(query) + 1):
                typed = query[:end]
                t0 = time.perf_counter()
                page = members.first_page(
                    book, search=typed, status=members.ACTIVE_STATUSES, limit=PAGE
                )
                timings.append((time.perf_counter() - t0) * 1000)
                matches[typed] = page.total
    p95 = _p95(timings)
    verdict = "ĐẠT" if p95 < SEARCH_BUDGET_MS else "KHÔNG ĐẠT"
    print(
        f"Tìm khi gõ ({len(timings)} lần gõ, trang đầu {PAGE} dòng + tổng số): "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(timings):.1f} ms — mục tiêu p95 < {SEARCH_BUDGET_MS:.0f} ms: {verdict}"
    )
    sample = ", ".join(f"“{q}” {matches[q]}" for q in ("n", "nguyen thi h", "dang van", "0912"))
    print(f"  số kết quả: {sample}")


def bench_first_paint(book: Book) -> None:
    from app.settings import Settings
    from ui.messages import Messages
    from ui.qt import QtWidgets
    from ui.tasks import TaskRunner
    from ui.widgets.section import AppContext

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    from ui.style import apply_text_size

    apply_text_size(app, large=False)  # type: ignore[arg-type]
    ctx = AppContext(
        book=book, runner=TaskRunner(synchronous=True), settings=Settings(), message=Messages()
    )
    t0 = time.perf_counter()
    from ui.members.section import MembersSection

    section = MembersSection(ctx)
    section.resize(1200, 700)
    section.refresh(None)
    section.show()
    section.grab()
    t1 = time.perf_counter()
    rows = section.model.rowCount()
    print(
        f"Hiện bảng đảng viên lần đầu ({section.model.total:,} đảng viên, tải {rows} dòng "
        f"đầu, vẽ một lần): {(t1 - t0) * 1000:.0f} ms"
    )
    t2 = time.perf_counter()
    section.search.setText("nguyen thi")
    section.apply_filters()
    section.grab()
    print(f"Lọc “nguyen thi” và vẽ lại: {(time.perf_counter() - t2) * 1000:.0f} ms")
    section.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="keep the imported book here and reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sotay-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "so" / "book.db").exists():
            sheet = folder / "danh_sach_10000.xlsx"
            t0 = time.perf_counter()
            write_sheet(sheet, MEMBERS)
            print(f"(Tạo tệp mẫu {MEMBERS:,} dòng: {time.perf_counter() - t0:.1f} s, không tính)")
            book, _ = create_book(
                folder / "so",
                password="mat-khau-do-hieu-nang",
                branch_name="Chi bộ Khu phố 3",
                committee="Đảng bộ phường Quy Nhơn",
            )
            try:
                bench_import(book, sheet)
                print("— ngay sau khi nhập, cùng phiên:")
                bench_search(book)
            finally:
                book.close()
        # The usual case: the secretary opens the program and searches the register.
        book = open_book(folder / "so", password="mat-khau-do-hieu-nang")
        try:
            print("— mở lại sổ (như khi bật chương trình):")
            bench_search(book)
            bench_first_paint(book)
        finally:
            book.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the document library with 2,000 documents of about 5 pages each.

1. Import throughput: 2,000 generated files (by default a third each PDF made with reportlab,
   DOCX made with python-docx, and UTF-8 text; about 5 A4 pages, 2,300 words, a Party
   header with a number, a place-and-date line and a title), imported through
   `documents.import_files` (extract, recognise, store the bytes in the encrypted book, index
   in FTS5, audit + outbox; one transaction per file, fsync'd). Files are made before the
   clock starts. Prints documents per second overall and per format.
2. Full-text search: 200 queries typed without marks (words, phrases, document numbers such
   as "339-QD/TW", prefixes), each through `documents.search` with ranking, the total count
   and highlighted snippets for the first 20 hits. Budget: p95 under 50 ms.

Not a test: run it with
    .venv/bin/python bench/documents.py [--count 2000] [--formats pdf,docx,txt] [--keep DIR]

With --keep DIR the imported book is kept in DIR; a later run with the same DIR (and the same
--count and --formats) skips making and importing the files and times the searches only.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SOTAY_KDF_PROFILE", "test")

from app.book import Book, create_book, open_book
from app.services import documents

SEARCH_BUDGET_MS = 50.0
WORDS_PER_PAGE = 460
PAGES = 5

_VOCAB = [
    "đảng",
    "viên",
    "chi",
    "bộ",
    "cấp",
    "ủy",
    "nghị",
    "quyết",
    "kế",
    "hoạch",
    "triển",
    "khai",
    "thực",
    "hiện",
    "tuyên",
    "truyền",
    "quán",
    "triệt",
    "học",
    "tập",
    "làm",
    "theo",
    "tư",
    "tưởng",
    "đạo",
    "đức",
    "phong",
    "cách",
    "Hồ",
    "Chí",
    "Minh",
    "chuyển",
    "đổi",
    "số",
    "ứng",
    "dụng",
    "Sổ",
    "tay",
    "điện",
    "tử",
    "sinh",
    "hoạt",
    "thường",
    "kỳ",
    "chuyên",
    "đề",
    "nâng",
    "cao",
    "chất",
    "lượng",
    "năng",
    "lực",
    "lãnh",
    "đạo",
    "sức",
    "chiến",
    "đấu",
    "tổ",
    "chức",
    "cơ",
    "sở",
    "đảng",
    "trong",
    "sạch",
    "vững",
    "mạnh",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "kỷ",
    "luật",
    "nhân",
    "dân",
    "đoàn",
    "thể",
    "mặt",
    "trận",
    "tổ",
    "quốc",
    "chính",
    "quyền",
    "địa",
    "phương",
    "phường",
    "xã",
    "khu",
    "phố",
    "thôn",
    "ấp",
    "cán",
    "bộ",
    "công",
    "chức",
    "viên",
    "chức",
    "đồng",
    "chí",
    "bí",
    "thư",
    "phó",
    "bí",
    "thư",
    "ủy",
    "viên",
    "ban",
    "thường",
    "vụ",
    "báo",
    "cáo",
    "kết",
    "quả",
    "đánh",
    "giá",
    "xếp",
    "loại",
    "hoàn",
    "thành",
    "xuất",
    "sắc",
    "nhiệm",
    "vụ",
    "năm",
    "công",
    "tác",
    "phát",
    "triển",
    "kinh",
    "tế",
    "xã",
    "hội",
    "quốc",
    "phòng",
    "an",
    "ninh",
    "bảo",
    "đảm",
    "an",
    "toàn",
    "thông",
    "tin",
    "bảo",
    "mật",
    "tài",
    "khoản",
    "đăng",
    "ký",
    "phê",
    "duyệt",
    "hỗ",
    "trợ",
    "đảng",
    "viên",
    "cao",
    "tuổi",
    "điện",
    "thoại",
    "thông",
    "minh",
    "đường",
    "truyền",
    "internet",
    "hướng",
    "dẫn",
    "sử",
    "dụng",
    "tra",
    "cứu",
    "văn",
    "bản",
    "tài",
    "liệu",
    "thông",
    "báo",
    "giấy",
    "mời",
    "họp",
    "biên",
    "bản",
    "góp",
    "ý",
    "phản",
    "ánh",
    "đề",
    "xuất",
    "đôn",
    "đốc",
    "định",
    "kỳ",
    "tháng",
    "quý",
]
_TYPES = [
    ("KH", "KẾ HOẠCH"),
    ("NQ", "NGHỊ QUYẾT"),
    ("HD", "HƯỚNG DẪN"),
    ("CT", "CHỈ THỊ"),
    ("QĐ", "QUY ĐỊNH"),
    ("BC", "BÁO CÁO"),
    ("TB", "THÔNG BÁO"),
    ("KL", "KẾT LUẬN"),
]
_ISSUERS = [
    ("ĐẢNG BỘ PHƯỜNG QUY NHƠN", "CHI BỘ KHU PHỐ 3", "CB", "Quy Nhơn"),
    ("TỈNH ỦY GIA LAI", "ĐẢNG ỦY PHƯỜNG QUY NHƠN", "ĐU", "Quy Nhơn"),
    ("ĐẢNG BỘ TỈNH THANH HÓA", "ĐẢNG ỦY XÃ THỌ XUÂN", "ĐU", "Thọ Xuân"),
    ("BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN BÍ THƯ", "TW", "Hà Nội"),
    ("TỈNH ỦY ĐỒNG NAI", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "BTGDVTU", "Đồng Nai"),
]
_QUERY_WORDS = [
    "dang vien", "chi bo", "nghi quyet", "chuyen doi so", "so tay dang vien", "hoc tap",
    "tuyen truyen", "cao tuoi", "dien thoai thong minh", "bao mat", "kiem tra giam sat",
    "sinh hoat chuyen de", "ho tro", "xep loai", "quan triet", "phuong quy nhon",
    "ban thuong vu", "tai khoan", "huong dan su dung", "hoan thanh xuat sac",
    "ke hoach trien khai", "tu tuong dao duc", "nhan dan", "mat tran", "an ninh",
]  # fmt: skip


def _body(rng: random.Random, n_words: int) -> list[str]:
    """Paragraphs of plausible words, about 15 words a line as a page would wrap them."""
    lines: list[str] = []
    words = [rng.choice(_VOCAB) for _ in range(n_words)]
    for i in range(0, len(words), 15):
        line = " ".join(words[i : i + 15])
        lines.append(line[0].upper() + line[1:] + ("." if rng.random() < 0.3 else ","))
    return lines


def _document(rng: random.Random, i: int) -> tuple[list[str], str]:
    code, type_title = rng.choice(_TYPES)
    upper, issuer, issuer_code, place = rng.choice(_ISSUERS)
    number = f"{i + 1}-{code}/{issuer_code}"
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    year = rng.choice([2023, 2024, 2025])
    cited = f"{rng.randint(1, 400)}-{rng.choice(_TYPES)[0]}/TW"
    head = [
        f"{upper}        ĐẢNG CỘNG SẢN VIỆT NAM",
        issuer,
        f"Số {number}",
        f"{place}, ngày {day:02d} tháng {month:02d} năm {year}",
        "",
        type_title,
        f"về {' '.join(rng.choice(_VOCAB) for _ in range(8))} số {i + 1}",
        "",
        f"Thực hiện Quy định số {cited} và Quy định số 339-QĐ/TW của Ban Bí thư về sử dụng "
        "ứng dụng Sổ tay đảng viên điện tử, cụ thể như sau:",
    ]
    return head + _body(rng, WORDS_PER_PAGE * PAGES), number


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from reports.fonts import SERIF, ensure_fonts

    ensure_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    y = 800.0
    canvas.setFont(SERIF, 12)
    for line in lines:
        if y < 60:
            canvas.showPage()
            canvas.setFont(SERIF, 12)
            y = 800.0
        canvas.drawString(50, y, line[:110])
        y -= 16
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _search(book: Book, rng: random.Random, numbers: list[str], count: int) -> None:
    queries: list[str] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.25:
            queries.append(rng.choice(numbers).replace("Đ", "D"))
        elif roll < 0.35:
            queries.append("339-QD/TW")
        elif roll < 0.5:
            word = rng.choice(_QUERY_WORDS)
            queries.append(word[: max(3, len(word) - rng.randint(0, 3))])  # typing
        else:
            queries.append(rng.choice(_QUERY_WORDS))
    documents.search(book, query="dang vien")  # warm the page cache once
    times_ms: list[float] = []
    hits = 0
    for q in queries:
        t0 = time.perf_counter()
        found = documents.search(book, query=q, limit=20)
        times_ms.append((time.perf_counter() - t0) * 1000)
        hits += bool(found.hits)
    p95 = _p95(times_ms)
    print(
        f"Search ({len(queries)} queries, {hits} with results, 20 hits with snippets "
        f"and the total): median {statistics.median(times_ms):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times_ms):.1f} ms "
        f"(budget p95 < {SEARCH_BUDGET_MS:.0f} ms: {'OK' if p95 < SEARCH_BUDGET_MS else 'OVER'})"
    )
    number_query = numbers[len(numbers) // 2]
    found = documents.search(book, query=number_query.replace("Đ", "D"), limit=5)
    top = found.hits[0].number if found.hits else "(none)"
    print(f"Check: “{number_query.replace('Đ', 'D')}” → first hit {top}.")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--formats", default="pdf,docx,txt")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="keep the imported book here and reuse it")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    rng = random.Random(339)
    if args.keep is not None and (args.keep / "book" / "book.db").exists():
        # The same documents as when the book was made (the queries follow from them).
        numbers = [_document(rng, i)[1] for i in range(args.count)]
        book = open_book(args.keep / "book", password="mat-khau-do-hieu-nang")
        try:
            print(f"Reusing the book in {args.keep} ({args.count} documents).")
            _search(book, rng, numbers, args.queries)
        finally:
            book.close()
        return 0
    with tempfile.TemporaryDirectory(prefix="sotay-bench-docs-") as tmp:
        base = args.keep or Path(tmp)
        folder = base / "files"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        paths: list[Path] = []
        numbers: list[str] = []
        kinds: dict[str, str] = {}
        for i in range(args.count):
            lines, number = _document(rng, i)
            kind = formats[i % len(formats)]
            path = folder / f"tai-lieu-{i:04d}.{kind}"
            if kind == "pdf":
                path.write_bytes(_pdf(lines))
            elif kind == "docx":
                path.write_bytes(_docx(lines))
            else:
                path.write_text("\n".join(lines), encoding="utf-8")
            paths.append(path)
            numbers.append(number)
            kinds[path.name] = kind
        made = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        chars = len("\n".join(_document(random.Random(1), 0)[0]))
        print(
            f"Generated {len(paths)} files ({', '.join(formats)}; {size_mb:.0f} MB, about "
            f"{PAGES} pages and {chars:,} characters each) in {made:.1f} s (not timed)."
        )

        book, _ = create_book(
            base / "book",
            password="mat-khau-do-hieu-nang",
            branch_name="Chi bộ Khu phố 3",
            committee="Đảng bộ phường Quy Nhơn",
        )
        try:
            per_kind: dict[str, list[float]] = {k: [] for k in formats}
            last = [time.perf_counter()]

            def progress(done: int, total: int) -> None:
                now = time.perf_counter()
                if done:
                    per_kind[kinds[paths[done - 1].name]].append(now - last[0])
                last[0] = now
                if done % 250 == 0 and done:
                    print(f"  imported {done}/{total}", flush=True)

            started = time.perf_counter()
            outcomes = documents.import_files(book, paths=paths, progress=progress)
            elapsed = time.perf_counter() - started
            ok = sum(o.status == "imported" for o in outcomes)
            recognised = sum(
                1
                for o, n in zip(outcomes, numbers, strict=True)
                if o.document is not None and o.document.number == n
            )
            print(
                f"Import: {ok}/{len(paths)} imported in {elapsed:.1f} s = "
                f"{ok / elapsed:.1f} documents/s ({elapsed / max(ok, 1) * 1000:.0f} ms each); "
                f"number recognised in {recognised}/{ok}."
            )
            for kind, times in per_kind.items():
                if times:
                    print(
                        f"  {kind}: {len(times) / sum(times):.1f} documents/s "
                        f"(median {statistics.median(times) * 1000:.0f} ms, "
                        f"p95 {_p95(times) * 1000:.0f} ms)"
                    )
            db = base / "book" / "book.db"
            print(f"Book file: {db.stat().st_size / 1e6:.0f} MB (files, text, index; encrypted).")

            _search(book, rng, numbers, args.queries)
        finally:
            book.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

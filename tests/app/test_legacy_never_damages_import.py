"""The tester's list (issue: "Ghi chú" read as TCVN3 "Ghi chỳ", the notes column dropped): a
Unicode header row over names partly typed with .VnTime, rebuilt here by code the way the
tester's script made ds-dang-vien.xlsx, and imported through the real importer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from app.book import Book
from app.importers import members_table
from app.services import members
from tests.app.test_legacy_never_damages import to_tcvn3

TODAY = dt.date(2025, 11, 15)
NAMES = [
    "Trần Văn Bình", "Nguyễn Thị Lan", "Lê Văn Tám", "Phạm Thị Hương", "Hoàng Đức Thắng",
    "Vũ Thị Ngọc Ánh", "Đặng Văn Dũng", "Bùi Thị Hoa", "Đỗ Quang Huy", "Hồ Thị Mỹ Lệ",
    "Ngô Văn Lực", "Dương Thị Thủy", "Lý Văn Phúc", "Mai Thị Xuân", "Trương Công Định",
    "Phan Thị Kim Oanh", "Võ Văn Kiệt", "Đinh Thị Hằng", "Tạ Quang Bửu", "Lương Thị Nguyệt",
    "Châu Văn Sơn", "Huỳnh Thị Trúc", "Kiều Văn Tuấn", "Cao Thị Yến", "Lâm Văn Quý",
    "Tô Thị Diệu", "Hà Văn Thông", "Trịnh Thị Mai Phương", "Quách Văn Ước",
    "Nguyễn Thị Thanh Hương",
]  # fmt: skip
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức",
          "Số thẻ đảng viên", "Số điện thoại", "Ghi chú"]  # fmt: skip
PROBATIONARY = (4, 12, 25)  # rows whose note is "Dự bị"


def make_tester_list(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS dang vien"
    ws.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 5"])
    ws.append([])
    ws.append(HEADER)
    for i, name in enumerate(NAMES):
        typed = to_tcvn3(name) if i % 5 == 1 else name  # 6 names in TCVN3
        probationary = i in PROBATIONARY
        born = dt.date(1940 + (i * 3) % 40, 1 + i % 12, 1 + (i * 7) % 28)
        joined = dt.date(born.year + 22 + i % 9, 1 + (i * 5) % 12, 2 + i % 25)
        if probationary:
            born, joined = dt.date(1985 + i % 10, 2, 3), dt.date(2025, 3 + i % 6, 10)
        official = "" if probationary else joined.replace(year=joined.year + 1)
        ws.append([
            i + 1, typed, born if i % 3 else born.strftime("%d/%m/%Y"),
            "Nữ" if " Thị " in name else "Nam", joined, official,
            "" if probationary else f"{10200300 + i}", f"09{12345600 + i}",
            "Dự bị" if probationary else "",
        ])  # fmt: skip
    wb.save(path)
    return path


def test_unicode_header_over_tcvn3_names_keeps_the_notes_column(book: Book, tmp_path: Path) -> None:
    path = make_tester_list(tmp_path / "ds-dang-vien.xlsx")
    assert sum(1 for n in NAMES if to_tcvn3(n) != n) == len(NAMES)  # every name has a mark
    report = members_table.import_file(book, path, dry_run=True, today=TODAY).to_json()
    column_i = report["columns"][8]
    assert (column_i["column"], column_i["title"], column_i["field"]) == ("I", "Ghi chú", "notes")
    assert [c["title"] for c in report["columns"]] == HEADER
    assert [r["full_name"] for r in report["rows"]] == NAMES
    converted = [r for r in report["rows"] if any("TCVN3" in x for x in r["repairs"])]
    assert len(converted) == 6
    assert any("Có 6 ô gõ bằng bảng mã TCVN3" in n for n in report["notes"])

    members_table.import_file(book, path, today=TODAY)
    stored = {m.full_name: m for m in members.list_members(book)}
    assert sorted(stored) == sorted(NAMES)
    noted = sorted(name for name, m in stored.items() if (m.notes or "") == "Dự bị")
    assert noted == sorted(NAMES[i] for i in PROBATIONARY)

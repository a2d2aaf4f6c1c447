"""Write tests/data/danh_sach_dang_vien_mau.xlsx: a member list as secretaries keep it.

    .venv/bin/python tests/data/make_samples.py

Reproducible (fixed seed, fixed timestamps, so the bytes are the same each run). The list
carries what real files carry: a title block with merged cells above the header, a
numbering row under the header, Vietnamese column names, ID numbers and phones stored as
numbers (leading zeros lost), dates as date cells, as dd/mm/yyyy or dd-mm-yyyy text and as
bare Excel serial numbers, names in capitals or in decomposed Unicode (NFD) with stray
spaces, "nam"/"NỮ", a repeated row, a row with an impossible date, and a signature block.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "danh_sach_dang_vien_mau.xlsx"
FIXED_TIME = dt.datetime(2025, 11, 15, 8, 0, 0)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Ngọc", "Thị Kim"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Long", "Nam", "Sơn", "Tâm"]
GIVEN_F = ["Anh", "Dung", "Hà", "Hạnh", "Hoa", "Hòa", "Hương", "Lan", "Mai", "Nga", "Yến"]
PROVINCES = ["052", "001", "079", "031", "064", "075", "048"]

HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Số CCCD",
    "Điện thoại",
    "Địa chỉ",
    "Ghi chú",
]
EXCEL_EPOCH = dt.date(1899, 12, 30)
MEMBERS = 30


def serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def member_rows(rng: random.Random) -> list[list[object]]:
    rows: list[list[object]] = []
    for i in range(1, MEMBERS + 1):
        female = i % 3 == 0
        name = " ".join(
            [
                FAMILY[i % len(FAMILY)],
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                (GIVEN_F if female else GIVEN_M)[i % 11],
            ]
        )
        birth = dt.date(1940 + (i * 7) % 55, 1 + i % 12, 1 + (i * 5) % 28)
        admitted_at = min(19 + i % 25, 2023 - birth.year)
        admission = dt.date(birth.year + admitted_at, 1 + (i * 3) % 12, 1 + (i * 11) % 28)
        official = admission + dt.timedelta(days=365)
        province = PROVINCES[i % len(PROVINCES)]
        pid = f"{province}{1 if female else 0}{birth.year % 100:02d}{100000 + i * 37:06d}"
        card = f"{52_010_000 + i * 13:08d}"
        phone = f"09{rng.randint(10_000_000, 99_999_999)}"
        # Excel damage, a different kind on each row.
        name_cell: object = name
        if i % 5 == 0:
            name_cell = name.upper()
        if i % 4 == 1:
            name_cell = unicodedata.normalize("NFD", f"  {name}  ").replace(" ", "  ")
        birth_cell: object = birth
        if i % 4 == 2:
            birth_cell = f"{birth:%d/%m/%Y}"
        elif i % 4 == 3:
            birth_cell = serial(birth)
        admission_cell: object = admission if i % 3 else f"{admission:%d-%m-%Y}"
        pid_cell: object = int(pid) if i % 2 else pid  # number cells drop leading zeros
        phone_cell: object = int(phone) if i % 3 == 1 else phone
        if i % 7 == 0:
            phone_cell = f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
        gender = "NỮ" if female and i % 2 else ("Nữ" if female else "nam")
        rows.append(
            [
                i,
                name_cell,
                birth_cell,
                gender,
                admission_cell,
                official,
                card,
                pid_cell,
                phone_cell,
                f"Tổ {1 + i % 6}, khu phố 3",
                "",
            ]
        )
    # A dự bị member, admitted recently, no official date yet.
    rows.append(
        [
            MEMBERS + 1,
            "Lý Thị Thanh Tâm",
            "12/08/1995",
            "Nữ",
            "15/03/2025",
            None,
            None,
            "052195009876",
            "0356 789 012",
            "Tổ 2, khu phố 3",
            "Dự bị",
        ]
    )
    # The same member typed twice (copy-paste).
    rows.append(list(rows[3]))
    rows[-1][0] = MEMBERS + 2
    # An impossible date.
    rows.append(
        [
            MEMBERS + 3,
            "Ngô Văn Hậu",
            "31/02/1961",
            "nam",
            "10/10/1985",
            "10/10/1986",
            "52019999",
            "052061004321",
            "0905123456",
            "Tổ 4, khu phố 3",
            "",
        ]
    )
    return rows


def build(path: Path = SAMPLE) -> Path:
    rng = random.Random(339)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh sách"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws["A1"] = "ĐẢNG BỘ PHƯỜNG QUY NHƠN"
    ws.merge_cells("A1:D1")
    ws["G1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    ws.merge_cells("G1:K1")
    ws["A2"] = "CHI BỘ KHU PHỐ 3"
    ws.merge_cells("A2:D2")
    ws["G2"] = "Quy Nhơn, ngày 15 tháng 11 năm 2025"
    ws.merge_cells("G2:K2")
    ws["A4"] = "DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3"
    ws.merge_cells("A4:K4")
    ws["A5"] = "(Tính đến ngày 15/11/2025)"
    ws.merge_cells("A5:K5")
    for cell in ("A1", "A2", "G1", "A4"):
        ws[cell].font = bold
        ws[cell].alignment = centre
    header_row = 7
    for col, title in enumerate(HEADERS, start=1):
        c = ws.cell(row=header_row, column=col, value=title)
        c.font = bold
        c.alignment = centre
        ws.cell(row=header_row + 1, column=col, value=f"({col})").alignment = centre
    row = header_row + 2
    for values in member_rows(rng):
        for col, value in enumerate(values, start=1):
            c = ws.cell(row=row, column=col, value=value)
            if isinstance(value, dt.date):
                c.number_format = "dd/mm/yyyy"
            elif col in (8, 9) and isinstance(value, int):
                c.number_format = "0"
        row += 1
    row += 1
    ws.cell(row=row, column=2, value=f"Tổng số: {MEMBERS + 1} đồng chí")
    ws.cell(row=row + 2, column=8, value="T/M CHI BỘ")
    ws.cell(row=row + 3, column=8, value="BÍ THƯ")
    ws.cell(row=row + 6, column=8, value="Trần Văn Bình")
    widths = [6, 26, 13, 9, 14, 14, 14, 16, 14, 22, 12]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "Sổ tay Chi bộ (mẫu thử)"
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_reproducibly(buffer.getvalue(), path)
    return path


def _write_reproducibly(data: bytes, path: Path) -> None:
    """Re-pack the zip with fixed timestamps so each run gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    content,
                )
            dst.writestr(fixed, content)
    path.write_bytes(out.getvalue())


if __name__ == "__main__":
    written = build(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE)
    print(f"Đã ghi {written}")

"""Files that are not a usable member list: a clear Vietnamese message each, nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.book import Book
from app.errors import KnownError
from app.importers import members_table
from app.importers.sheet_reader import MAX_DATA_ROWS
from app.services import members

TODAY = dt.date(2025, 11, 15)


def refuse(book: Book, path: Path) -> str:
    with pytest.raises(KnownError) as err:
        members_table.import_file(book, path, today=TODAY)
    assert members.count(book) == 0
    message = err.value.message
    assert "Traceback" not in message and message.strip()
    return message


def workbook(path: Path, rows: list[list[object]], *, sheet_title: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title
    for values in rows:
        ws.append(values)
    wb.save(path)
    return path


def test_not_a_spreadsheet(book: Book, tmp_path: Path) -> None:
    png = tmp_path / "anh.xlsx"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "không phải bảng tính" in refuse(book, png)

    pdf = tmp_path / "danh_sach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    assert "PDF" in refuse(book, pdf)

    from docx import Document

    doc = tmp_path / "danh_sach.docx"
    Document().save(str(doc))
    assert "tài liệu Word" in refuse(book, doc)

    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    assert "trống" in refuse(book, empty)

    assert "Không tìm thấy tệp" in refuse(book, tmp_path / "khong_co.xlsx")


def test_damaged_workbook(book: Book, tmp_path: Path) -> None:
    good = workbook(tmp_path / "tot.xlsx", [["Họ và tên", "Ngày sinh"], ["Lê Văn A", "01/01/1950"]])
    cut = tmp_path / "hong.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "bị hỏng" in refuse(book, cut)


def test_empty_sheet_and_no_header(book: Book, tmp_path: Path) -> None:
    message = refuse(book, workbook(tmp_path / "trong.xlsx", []))
    assert "trống" in message and "Sheet1" in message
    no_header = workbook(
        tmp_path / "khong_tieu_de.xlsx",
        [["Báo cáo tháng 10"], ["Nội dung", "Kết quả"], ["Họp chi bộ", "Đạt"]],
    )
    assert "Không tìm thấy dòng tiêu đề cột" in refuse(book, no_header)
    header_only = workbook(tmp_path / "chi_tieu_de.xlsx", [["Họ và tên", "Ngày sinh", "Số CCCD"]])
    assert "không có dòng đảng viên" in refuse(book, header_only)
    (tmp_path / "trong.csv").write_text("\n\n", encoding="utf-8")
    assert "trống" in refuse(book, tmp_path / "trong.csv")


def test_more_than_50000_rows(book: Book, tmp_path: Path) -> None:
    lines = ["Họ và tên,Số CCCD"] + [f"Người {i},0520500{i:05d}" for i in range(MAX_DATA_ROWS + 50)]
    big = tmp_path / "qua_lon.csv"
    big.write_text("\n".join(lines), encoding="utf-8")
    message = refuse(book, big)
    assert "50.000" in message

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DS")
    ws.append(["Họ và tên"])
    for i in range(MAX_DATA_ROWS + 50):
        ws.append([f"Người {i}"])
    wb.save(tmp_path / "qua_lon.xlsx")
    assert "50.000" in refuse(book, tmp_path / "qua_lon.xlsx")


def test_formula_without_a_cached_value_is_named_by_cell(book: Book, tmp_path: Path) -> None:
    # openpyxl, like other programs, writes formulas without the value Excel would cache.
    path = workbook(
        tmp_path / "cong_thuc.xlsx",
        [
            ["Họ và tên", "Ngày sinh", "Số CCCD"],
            ["Lê Văn Quý", "=DATE(1950,1,1)", "052050000301"],
            ["Lê Văn Sang", "02/02/1952", "052052000302"],
        ],
    )
    loaded = members_table.load(path)
    assert any("công thức chưa có giá trị" in n for n in loaded.notes)
    report = members_table.apply(book, loaded, today=TODAY)
    first, second = report.rows
    assert first.outcome == "error"
    assert "Ô B2" in first.errors[0] and "lưu lại" in first.errors[0]
    assert second.outcome == "new"
    assert [m.full_name for m in members.list_members(book)] == ["Lê Văn Sang"]


def test_password_protected_workbook(book: Book, tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = workbook(tmp_path / "mo.xlsx", [["Họ và tên"], ["Lê Văn A"]])
    locked = tmp_path / "co_mat_khau.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as out:
        ooxml.OOXMLFile(src).encrypt("mat-khau", out)
    message = refuse(book, locked)
    assert "đặt mật khẩu" in message and "gỡ mật khẩu" in message


def test_sheet_choice(book: Book, tmp_path: Path) -> None:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "Ghi chú"
    first.append(["Tệp này do văn phòng gửi"])
    second = wb.create_sheet("Danh sách")
    second.append(["Họ và tên", "Ngày sinh", "Số CCCD"])
    second.append(["Đinh Văn Tài", "01/01/1950", "052050000500"])
    path = tmp_path / "hai_trang.xlsx"
    wb.save(path)
    loaded = members_table.load(path)
    assert loaded.table.sheet == "Danh sách"
    assert any("2 trang tính" in n for n in loaded.notes)
    with pytest.raises(KnownError) as err:
        members_table.load(path, sheet="Không có")
    assert "Danh sách" in err.value.message


def test_a_mapping_without_the_name_column_is_refused(book: Book, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "thieu_ten.xlsx",
        [
            ["Mã", "Ngày sinh", "Ngày vào Đảng", "Số CCCD", "Điện thoại"],
            ["X1", "01/01/1950", "01/01/1975", "052050000600", "0912345678"],
        ],
    )
    loaded = members_table.load(path)
    with pytest.raises(KnownError) as err:
        members_table.preview(book, loaded)
    assert "Họ và tên" in err.value.message
    report = members_table.preview(book, loaded, mapping={"A": "full_name"}, today=TODAY)
    assert report.rows[0].outcome == "error"  # "X1" is not a name: it has a digit
    assert members.count(book) == 0

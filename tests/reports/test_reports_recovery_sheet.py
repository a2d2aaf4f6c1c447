"""The printed recovery key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from reports.recovery_sheet import key_groups, recovery_key_pdf

if TYPE_CHECKING:
    from conftest import Pdf

KEY = "K7QM-2XWP-9FHD-RT4C-ZB8N-LJ6V-HH3A-MN7Q"


def test_one_page_with_the_key_groups_and_instructions(pdf: Callable[[bytes], Pdf]) -> None:
    doc = pdf(
        recovery_key_pdf(
            branch_name="Chi bộ Khu phố 3",
            committee="Đảng bộ phường Quy Nhơn",
            recovery_key=KEY,
            book_id="3f2a9c1e-7b4d-4e0a-9a51-0c2d8e6f1b77",
            created=date(2025, 11, 5),
        )
    )
    assert len(doc.pages) == 1
    lines = doc.lines(0)
    assert "MÃ KHÔI PHỤC SỔ TAY CHI BỘ" in lines
    assert "CHI BỘ KHU PHỐ 3" in lines and "ĐẢNG BỘ PHƯỜNG QUY NHƠN" in lines
    for group in KEY.split("-"):
        assert group in lines
    runs = doc.runs()
    key_runs = [r for r in runs if r.text in KEY.split("-")]
    assert len(key_runs) == 8 and min(r.size for r in key_runs) >= 20
    # Read in order: first line of four groups, then the second.
    assert [r.text for r in key_runs] == KEY.split("-")
    text = doc.text
    assert "Ngày tạo: 05/11/2025" in text
    assert "Mã sổ tay: 3f2a9c1e-7b4d-4e0a-9a51-0c2d8e6f1b77" in text
    assert "ngăn tủ có khóa" in text
    assert "Bất kỳ ai có mã này đều mở được sổ tay" in text
    assert "Quên mật khẩu → Dùng mã khôi phục" in text
    assert "không có chữ O, chữ I, số 0 và số 1" in text
    meta = doc.reader.metadata
    assert meta is not None
    assert meta.title == "MÃ KHÔI PHỤC SỔ TAY CHI BỘ" and meta.author == "Sổ tay Chi bộ"


def test_key_groups() -> None:
    assert key_groups(KEY) == KEY.split("-")
    assert key_groups("ABCDEFGHJKLM") == ["ABCD", "EFGH", "JKLM"]
    assert key_groups(" abcd efgh ") == ["abcd", "efgh"]


def test_branch_names_with_markup_characters(pdf: Callable[[bytes], Pdf]) -> None:
    doc = pdf(
        recovery_key_pdf(
            branch_name="Chi bộ Phòng <Kỹ thuật> & Vật tư",
            committee="Đảng bộ Công ty A & B",
            recovery_key="abcdefghjkmnpqrstuvwxyz234567892",
            book_id="book-1",
            created=date(2026, 1, 2),
        )
    )
    assert "CHI BỘ PHÒNG <KỸ THUẬT> & VẬT TƯ" in doc.text
    assert "ĐẢNG BỘ CÔNG TY A & B" in doc.text
    assert "abcd efgh jkmn pqrs tuvw xyz2 3456 7892" in doc.text
    assert "Ngày tạo: 02/01/2026" in doc.text
    # Lower-case letters are outside the printed alphabet note's promise: no note.
    assert "không có chữ O" not in doc.text

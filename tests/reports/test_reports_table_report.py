"""The generic titled table report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from reports.layout import DocHeader, Signer
from reports.table_report import TableReport, table_report_pdf

if TYPE_CHECKING:
    from conftest import Pdf


def _report(header: DocHeader | None, **changes: object) -> TableReport:
    base = TableReport(
        title="Báo cáo tình hình sinh hoạt chi bộ năm 2025",
        subtitle_lines=["(Từ ngày 01/01/2025 đến ngày 31/12/2025)"],
        header=header,
        columns=["Tháng", "Ngày họp", "Phải dự", "Có mặt", "Tỷ lệ (%)"],
        rows=[
            (f"Tháng {m}", date(2025, m, 5), 36, 30 + m % 4, (30 + m % 4) / 36 * 100)
            for m in range(1, 13)
        ],
        totals=("Cả năm", None, 432, 378, 87.5),
        intro="Chi bộ báo cáo tình hình sinh hoạt & kết quả thực hiện như sau:",
        notes="Tỷ lệ tính trên số đảng viên phải dự (không kể đảng viên được miễn).",
        signer=Signer("Bí thư", "Đặng Văn Đức", on_behalf="T/M Chi bộ"),
        recipients=["Đảng ủy phường", "Lưu chi bộ"],
    )
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def test_title_rows_totals_and_signature(header: DocHeader, pdf: Callable[[bytes], Pdf]) -> None:
    doc = pdf(table_report_pdf(_report(header)))
    text = doc.text
    assert "BÁO CÁO TÌNH HÌNH SINH HOẠT CHI BỘ NĂM 2025" in text
    assert "(Từ ngày 01/01/2025 đến ngày 31/12/2025)" in text
    assert "sinh hoạt & kết quả" in text
    assert "Tháng Ngày họp Phải dự Có mặt Tỷ lệ (%)" in text
    assert "Tháng 1 05/01/2025 36 31 86,11" in text
    assert "Tháng 12 05/12/2025 36 30 83,33" in text
    assert "Cả năm 432 378 87,5" in text
    assert "T/M CHI BỘ" in doc.pages[-1] and "Đặng Văn Đức" in doc.pages[-1]
    assert "Nơi nhận:" in doc.pages[-1]
    meta = doc.reader.metadata
    assert meta is not None and meta.author == "Sổ tay Chi bộ"


def test_without_header_or_signature_and_landscape(pdf: Callable[[bytes], Pdf]) -> None:
    report = _report(None, signer=None, recipients=(), landscape=True, notes="", intro="")
    doc = pdf(table_report_pdf(report))
    box = doc.reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in doc.text
    assert "T/M CHI BỘ" not in doc.text
    assert "Cả năm" in doc.text


def test_long_table_repeats_headings(header: DocHeader, pdf: Callable[[bytes], Pdf]) -> None:
    rows = [(f"Đảng viên {i} <x> & y", i, i * 1.5) for i in range(1, 121)]
    report = _report(header, columns=["Họ và tên", "Số buổi", "Điểm"], rows=rows, totals=None)
    doc = pdf(table_report_pdf(report))
    assert len(doc.pages) >= 3
    table_pages = [page for page in doc.flat_pages if "<x> & y" in page]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "Họ và tên Số buổi Điểm" in page
    assert "Đảng viên 120 <x> & y 120 180" in doc.text
    assert doc.lines(2)[0] == "3"

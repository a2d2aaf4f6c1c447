"""Báo cáo gửi cấp trên in the HD 36 layout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from reports.layout import DocHeader
from reports.upward_report import SectionTable, UpwardReportData, UpwardSection, upward_report_pdf

if TYPE_CHECKING:
    from conftest import Pdf


def _data(header: DocHeader, tricky_name: str, **kw: object) -> UpwardReportData:
    base = UpwardReportData(
        header=replace(header, number="05-BC/CB"),
        subtitle="Kết quả thực hiện nhiệm vụ tháng 11 năm 2025 và phương hướng, nhiệm vụ tháng 12 năm 2025",
        sections=[
            UpwardSection(
                "", "Chi bộ Khu phố 3 báo cáo kết quả thực hiện nhiệm vụ tháng 11 như sau:"
            ),
            UpwardSection(
                "Tình hình sinh hoạt chi bộ",
                "1. Trong tháng, chi bộ tổ chức 1 cuộc họp.\n2. Có mặt: 36/40 (90%).",
                SectionTable(
                    ("STT", "Cuộc họp", "Phải dự", "Có mặt", "Tỷ lệ"),
                    ((1, "Sinh hoạt chi bộ thường kỳ (05/11/2025)", 40, 36, "90%"),),
                ),
            ),
            UpwardSection("Công tác quán triệt, tuyên truyền", ""),
            UpwardSection(
                "Tiếp nhận ý kiến của đảng viên",
                f"- Đồng chí {tricky_name} (góp ý): “Sửa đường & đèn <hẻm 5>”.",
            ),
        ],
        signer_name="Trần Văn Bình",
        recipients=["Đảng ủy phường Quy Nhơn (b/c)", "Lưu chi bộ"],
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_report_layout(header: DocHeader, tricky_name: str, pdf: Callable[[bytes], Pdf]) -> None:
    doc = pdf(upward_report_pdf(_data(header, tricky_name)))
    lines = doc.lines(0)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in lines
    assert "CHI BỘ KHU PHỐ 3" in lines
    assert any(line.startswith("Số 05-BC/CB") for line in lines)
    assert "BÁO CÁO" in lines
    text = doc.text
    assert "Kết quả thực hiện nhiệm vụ tháng 11 năm 2025 và phương hướng" in text
    assert "(Dự thảo)" not in text
    assert "Chi bộ Khu phố 3 báo cáo kết quả thực hiện nhiệm vụ tháng 11 như sau:" in text
    # Numbered sections; the empty one is left out of the final paper and numbering closes up.
    assert "I. TÌNH HÌNH SINH HOẠT CHI BỘ" in text
    assert "CÔNG TÁC QUÁN TRIỆT" not in text
    assert "II. TIẾP NHẬN Ý KIẾN CỦA ĐẢNG VIÊN" in text
    assert "Sinh hoạt chi bộ thường kỳ (05/11/2025)" in text
    assert "90%" in text
    assert f"Đồng chí {tricky_name} (góp ý): “Sửa đường & đèn <hẻm 5>”." in text
    assert "Nơi nhận:" in text
    assert "Đảng ủy phường Quy Nhơn (b/c), - Lưu chi bộ." in text
    assert "T/M CHI BỘ" in text and "BÍ THƯ" in text
    assert "Trần Văn Bình" in text


def test_draft_is_marked_and_leaves_empty_sections_off_the_paper(
    header: DocHeader, tricky_name: str, pdf: Callable[[bytes], Pdf]
) -> None:
    data = _data(
        header, tricky_name, draft=True, revision_note="(Bản sửa đổi lần 1: bổ sung số liệu)"
    )
    text = pdf(upward_report_pdf(data)).text
    assert "(Dự thảo)" in text
    assert "(Bản sửa đổi lần 1: bổ sung số liệu)" in text
    # Issue 13: the hint "(Chưa có nội dung — …)" was printed; paper never carries it.
    assert "Chưa có nội dung" not in text
    assert "CÔNG TÁC QUÁN TRIỆT, TUYÊN TRUYỀN" not in text
    assert "II. TIẾP NHẬN Ý KIẾN CỦA ĐẢNG VIÊN" in text


def test_long_report_has_page_numbers_from_page_two(
    header: DocHeader, tricky_name: str, pdf: Callable[[bytes], Pdf]
) -> None:
    body = "\n".join(
        f"{i}. Nội dung công việc số {i} của chi bộ trong tháng." for i in range(1, 60)
    )
    data = _data(header, tricky_name, sections=[UpwardSection("Kết quả", body)])
    doc = pdf(upward_report_pdf(data))
    assert len(doc.pages) >= 2
    assert doc.lines(1)[0] == "2"
    assert "59. Nội dung công việc số 59" in doc.text
    # The signature block is never alone at the top of a page.
    last = " ".join(doc.lines(len(doc.pages) - 1))
    assert "59. Nội dung công việc số 59" in last
    assert "T/M CHI BỘ" in last


def test_large_print(header: DocHeader, tricky_name: str, pdf: Callable[[bytes], Pdf]) -> None:
    normal = pdf(upward_report_pdf(_data(header, tricky_name)))
    large = pdf(upward_report_pdf(_data(header, tricky_name), large_print=True))
    size = max(r.size for r in large.runs() if "Trong tháng, chi bộ tổ chức" in r.text)
    assert size >= 18
    assert len(large.pages) >= len(normal.pages)

"""Large print for elderly readers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reports.large_print import large_print_pdf
from reports.layout import DocHeader

if TYPE_CHECKING:
    from conftest import Pdf

BODY = (
    "Kính gửi đồng chí Nguyễn Thị Hòa,\n\n"
    "Chi bộ đã nhận được ý kiến của đồng chí về việc sửa đường ống nước & đèn chiếu sáng "
    "<hẻm 5>. Chi ủy đã báo cáo lên Đảng ủy phường.\n"
    "Đảng ủy phường sẽ trả lời trong tháng 12.\n\n\n"
    + "Chi bộ cảm ơn đồng chí đã quan tâm đến công việc chung của khu phố. "
    * 20
)


def test_body_is_printed_large_with_paragraphs(
    header: DocHeader, pdf: Callable[[bytes], Pdf]
) -> None:
    doc = pdf(
        large_print_pdf(
            title="Trả lời ý kiến đảng viên",
            subtitle="Về việc sửa đường ống nước",
            body_text=BODY,
            header=header,
        )
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in doc.lines(0)
    assert "TRẢ LỜI Ý KIẾN ĐẢNG VIÊN" in doc.lines(0)
    assert "Về việc sửa đường ống nước" in doc.lines(0)
    text = doc.text
    assert "sửa đường ống nước & đèn chiếu sáng <hẻm 5>." in text
    runs = doc.runs()
    body_sizes = {r.size for r in runs if r.text.startswith(("Kính gửi", "Chi bộ"))}
    assert body_sizes and min(body_sizes) >= 17
    # The single line break is kept: the sentence starts its own line.
    assert any(line.startswith("Đảng ủy phường sẽ trả lời") for line in doc.lines(0))
    assert len(doc.pages) >= 2 and doc.lines(1)[0] == "2"
    meta = doc.reader.metadata
    assert meta is not None and meta.title == "Trả lời ý kiến đảng viên"


def test_without_a_header(pdf: Callable[[bytes], Pdf]) -> None:
    doc = pdf(large_print_pdf(title="Tóm tắt Nghị quyết 57-NQ/TW", body_text="Một đoạn ngắn."))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in doc.text
    assert "TÓM TẮT NGHỊ QUYẾT 57-NQ/TW" in doc.text
    assert "Một đoạn ngắn." in doc.text
    assert len(doc.pages) == 1

"""The invitation to a meeting, read back from the PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from reports.invitation import InvitationData, MeetingDocument, invitation_pdf
from reports.layout import DocHeader

if TYPE_CHECKING:
    from conftest import Pdf


@pytest.fixture
def data(header: DocHeader) -> InvitationData:
    return InvitationData(
        header=DocHeader(
            committee=header.committee,
            branch=header.branch,
            place=header.place,
            date=header.date,
            number="12-TB/CB",
        ),
        meeting_name="sinh hoạt chi bộ thường kỳ tháng 11 năm 2025",
        starts_at=datetime(2025, 11, 5, 19, 30),
        place="Nhà văn hóa khu phố 3 (cạnh quán cà phê A & B <số 12>)",
        secretary_name="Đặng Văn Đức",
        secretary_phone="0905 123 456",
        agenda=[
            "Thông tin thời sự, phổ biến văn bản mới",
            "Đánh giá kết quả tháng 10, triển khai nhiệm vụ tháng 11",
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        ],
        documents=[
            MeetingDocument(
                "57-NQ/TW",
                "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
                "và chuyển đổi số quốc gia",
            ),
            MeetingDocument("", "Dự thảo nghị quyết chi bộ tháng 11"),
        ],
        recipients=["Như kính gửi", "Đảng ủy phường (để báo cáo)", "Lưu chi bộ"],
    )


@pytest.fixture
def doc(data: InvitationData, pdf: Callable[[bytes], Pdf]) -> Pdf:
    return pdf(invitation_pdf(data))


def test_header_title_and_addressee(doc: Pdf) -> None:
    lines = doc.lines(0)
    assert "ĐẢNG BỘ PHƯỜNG QUY NHƠN" in lines
    assert "CHI BỘ KHU PHỐ 3" in lines
    assert "Số 12-TB/CB" in lines
    assert "Quy Nhơn, ngày 05 tháng 11 năm 2025" in lines
    assert "THÔNG BÁO MỜI HỌP" in lines
    text = doc.text
    assert "Về việc sinh hoạt chi bộ thường kỳ tháng 11 năm 2025" in text
    assert "Kính gửi: Các đồng chí đảng viên Chi bộ Khu phố 3." in text


def test_time_place_agenda_and_documents(doc: Pdf) -> None:
    text = doc.text
    # 5 November 2025 is a Wednesday.
    assert "1. Thời gian: vào lúc 19 giờ 30 phút, thứ Tư, ngày 05 tháng 11 năm 2025." in text
    assert "2. Địa điểm: Nhà văn hóa khu phố 3 (cạnh quán cà phê A & B <số 12>)." in text
    assert "3. Nội dung:" in text
    assert "- Thông tin thời sự, phổ biến văn bản mới;" in text
    assert "- Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh." in text
    assert "4. Tài liệu:" in text
    # Issue 13: cited as "Nghị quyết số 57-NQ/TW về …", not "Số 57-NQ/TW: Nghị quyết …".
    assert "- Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học" in text
    assert "- Dự thảo nghị quyết chi bộ tháng 11." in text


def test_how_to_ask_leave_and_signature(doc: Pdf) -> None:
    text = doc.text
    assert (
        "Đồng chí nào vắng mặt đề nghị báo cáo xin phép với đồng chí Bí thư chi bộ "
        "(đồng chí Đặng Văn Đức, qua điện thoại 0905 123 456) trước giờ họp." in text
    )
    last = doc.lines(len(doc.pages) - 1)
    assert "T/M CHI BỘ" in last and "BÍ THƯ" in last and "Đặng Văn Đức" in last
    assert "Nơi nhận:" in last
    assert "- Như kính gửi," in last and "- Lưu chi bộ." in last


def test_giay_moi_title_and_no_optional_sections(
    data: InvitationData, pdf: Callable[[bytes], Pdf]
) -> None:
    from dataclasses import replace

    doc = pdf(invitation_pdf(replace(data, title="GIẤY MỜI", agenda=[], documents=[])))
    assert "GIẤY MỜI" in doc.lines(0)
    assert "Nội dung:" not in doc.text and "Tài liệu:" not in doc.text
    meta = doc.reader.metadata
    assert meta is not None and meta.author == "Sổ tay Chi bộ"
    assert meta.title is not None and meta.title.startswith("GIẤY MỜI")


def test_large_print(data: InvitationData, pdf: Callable[[bytes], Pdf]) -> None:
    doc = pdf(invitation_pdf(data, large_print=True))
    sizes = {r.size for r in doc.runs() if r.text.startswith("Đồng chí nào vắng mặt")}
    assert sizes and min(sizes) >= 17
    assert "T/M CHI BỘ" in doc.pages[-1] and "Đặng Văn Đức" in doc.pages[-1]

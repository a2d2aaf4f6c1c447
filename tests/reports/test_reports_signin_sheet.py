"""The paper sign-in sheet: every member listed, tall rows, headings on every page."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import pytest
from reportlab.lib.units import mm

from reports.layout import DocHeader
from reports.signin_sheet import SigninMember, SigninSheetData, signin_sheet_pdf

if TYPE_CHECKING:
    from conftest import Pdf


@pytest.fixture
def data(header: DocHeader, names: list[str]) -> SigninSheetData:
    members = [
        SigninMember(
            full_name=name,
            birth_year=1940 + i,
            status_note="Dự bị" if i % 10 == 3 else "",
            note="Xin vắng" if i == 5 else "",
        )
        for i, name in enumerate(names)
    ]
    return SigninSheetData(
        header=header,
        meeting_name="Sinh hoạt chi bộ thường kỳ tháng 11 năm 2025",
        starts_at=datetime(2025, 11, 5, 19, 30),
        place="Nhà văn hóa khu phố 3",
        members=members,
        chair="Đặng Văn Đức",
        secretary="Phạm Thị Lan",
    )


@pytest.mark.parametrize("large_print", [False, True])
def test_every_member_and_the_headings_on_every_page(
    data: SigninSheetData, pdf: Callable[[bytes], Pdf], large_print: bool, tricky_name: str
) -> None:
    doc = pdf(signin_sheet_pdf(data, large_print=large_print))
    assert len(doc.pages) >= 2
    first = doc.text
    assert "DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT" in first
    assert "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2025" in first
    assert "19 giờ 30 phút, ngày 05 tháng 11 năm 2025" in first
    for page in doc.flat_pages:
        for heading in ("STT", "Họ và tên", "Năm sinh", "Ký tên", "Ghi chú"):
            assert heading in page
    for member in data.members:
        assert member.full_name in doc.text
    assert tricky_name in doc.text
    assert "Tổng số đảng viên trong danh sách: 40 đồng chí." in doc.text
    assert "THƯ KÝ" in doc.pages[-1] and "CHỦ TRÌ" in doc.pages[-1]


@pytest.mark.parametrize(("large_print", "minimum"), [(False, 11 * mm), (True, 15 * mm)])
def test_rows_are_tall_enough_to_sign(
    data: SigninSheetData, pdf: Callable[[bytes], Pdf], large_print: bool, minimum: float
) -> None:
    doc = pdf(signin_sheet_pdf(data, large_print=large_print))
    runs = doc.runs()
    # The STT column: row numbers are the runs left of the name column.
    stt_x = min(r.x for r in runs if r.text == "STT")
    top = float(doc.reader.pages[0].mediabox.height) - 25 * mm  # page numbers sit above
    numbers = [r for r in runs if r.text.isdigit() and abs(r.x - stt_x) < 15 * mm and r.y < top]
    assert [int(r.text) for r in numbers] == list(range(1, len(data.members) + 1))
    gaps = [a.y - b.y for a, b in itertools.pairwise(numbers) if a.page == b.page]
    assert gaps and min(gaps) >= minimum - 0.05


def _sheet(data: SigninSheetData, count: int) -> SigninSheetData:
    members = [
        SigninMember(
            full_name=f"{data.members[i % 20].full_name} {i}",
            birth_year=1940 + i % 50,
            status_note="Dự bị" if i % 9 == 3 else "",
            note="Xin vắng: Đi khám bệnh" if i == 5 else "",
        )
        for i in range(count)
    ]
    return dataclasses.replace(data, members=members)


@pytest.mark.parametrize(("count", "pages"), [(10, 1), (12, 1), (33, 2), (35, 2), (45, 3)])
def test_pages_for_a_branch(
    data: SigninSheetData, pdf: Callable[[bytes], Pdf], count: int, pages: int
) -> None:
    """A residential branch of 33-35 members signs on one sheet of paper, both sides."""
    doc = pdf(signin_sheet_pdf(_sheet(data, count)))
    assert len(doc.pages) == pages
    assert f"Tổng số đảng viên trong danh sách: {count} đồng chí." in doc.flat_pages[-1]
    assert "THƯ KÝ" in doc.pages[-1] and "CHỦ TRÌ" in doc.pages[-1]
    assert f"{data.members[(count - 1) % 20].full_name} {count - 1}" in doc.text


def test_one_notes_column_across_the_page(
    data: SigninSheetData, pdf: Callable[[bytes], Pdf]
) -> None:
    doc = pdf(signin_sheet_pdf(_sheet(data, 12)))
    assert "Ghi chú trạng thái" not in doc.text
    assert doc.text.count("Ghi chú") == 1
    assert "Xin vắng: Đi khám bệnh" in doc.text and "Dự bị" in doc.text
    runs = doc.runs()
    page_width = float(doc.reader.pages[0].mediabox.width)
    left = min(r.x for r in runs if r.text == "STT")
    right = max(r.x for r in runs if r.text == "Ghi chú")
    # The table runs from well inside 30 mm of the left edge to past 80% of the width.
    assert left < 30 * mm
    assert right > page_width * 0.8


def test_category_and_request_in_one_note(
    data: SigninSheetData, pdf: Callable[[bytes], Pdf]
) -> None:
    one = SigninMember("Lê Văn Tám", 1960, "Dự bị", "Xin vắng: Đi công tác")
    doc = pdf(signin_sheet_pdf(dataclasses.replace(data, members=[one])))
    assert "Dự bị; xin vắng: Đi công tác" in doc.text

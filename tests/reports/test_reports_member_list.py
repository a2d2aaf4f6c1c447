"""The member list on landscape A4."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pytest

from reports.layout import DocHeader
from reports.member_list import MemberRow, member_list_pdf, status_summary

if TYPE_CHECKING:
    from conftest import Pdf


@pytest.fixture
def members(names: list[str]) -> list[MemberRow]:
    return [
        MemberRow(
            full_name=name,
            birth_date=date(1945 + i % 30, 3, 4),
            gender="Nữ" if " Thị " in name else "Nam",
            joined_on=date(1975 + i % 30, 5, 19),
            official_on=date(1976 + i % 30, 5, 19),
            card_number=f"{53000 + i:08d}",
            phone=f"0905{i:06d}",
            status="Dự bị" if i % 8 == 0 else "Chính thức",
        )
        for i, name in enumerate(names)
    ]


def test_landscape_table_with_every_field(
    header: DocHeader, members: list[MemberRow], pdf: Callable[[bytes], Pdf], tricky_name: str
) -> None:
    doc = pdf(member_list_pdf(header=header, members=members, signer_name="Đặng Văn Đức"))
    box = doc.reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert "DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 3" in doc.lines(0)
    assert "(Tính đến ngày 05 tháng 11 năm 2025)" in doc.text
    for page in doc.flat_pages:
        for heading in ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Điện thoại"):
            assert heading in page
        assert "Ngày vào Đảng" in page and "Ngày chính thức" in page
        assert "Số thẻ đảng viên" in page and "Trạng thái" in page
    first = members[0]
    assert (
        "Nguyễn Thị Hòa 04/03/1945 Nữ 19/05/1975 19/05/1976 00053000 0905000000 Dự bị" in doc.text
    )
    assert first.full_name == "Nguyễn Thị Hòa"
    assert tricky_name in doc.text
    assert "Tổng số: 40 đồng chí (chính thức: 35; dự bị: 5)." in doc.text
    last = doc.lines(len(doc.pages) - 1)
    assert "T/M CHI BỘ" in last and "BÍ THƯ" in last and "Đặng Văn Đức" in last


def test_large_print_takes_more_pages(
    header: DocHeader, members: list[MemberRow], pdf: Callable[[bytes], Pdf]
) -> None:
    normal = pdf(member_list_pdf(header=header, members=members))
    large = pdf(member_list_pdf(header=header, members=members, large_print=True))
    assert len(large.pages) > len(normal.pages)
    assert "Nguyễn Thị Hòa" in large.text and "0905000000" in large.text
    assert large.lines(1)[0] == "2"


def test_status_summary_lists_official_then_probationary() -> None:
    rows = [MemberRow("A", status="Dự bị"), MemberRow("B", status="Chính thức")]
    rows.append(MemberRow("C", status="Sinh hoạt tạm thời"))
    assert status_summary(rows) == (
        "Tổng số: 3 đồng chí (chính thức: 1; dự bị: 1; sinh hoạt tạm thời: 1)."
    )
    assert status_summary([]) == "Tổng số: 0 đồng chí."

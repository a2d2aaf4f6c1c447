"""Page flow of the meeting papers: a label or an item heading never ends a page without
what follows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from reports.layout import DocHeader
from reports.minutes import AgendaSection, Attendance, MinutesData, Speech, minutes_pdf

if TYPE_CHECKING:
    from conftest import Pdf

LABEL = "Ý kiến thảo luận:"
SENTENCE = "Chi bộ phổ biến nội dung văn bản mới của cấp trên và giao nhiệm vụ cho đảng viên. "


def _minutes(header: DocHeader, lines: int) -> MinutesData:
    """Minutes whose first item has about `lines` lines of content before its discussion."""
    return MinutesData(
        header=header,
        kind="thuong_ky",
        starts_at=datetime(2025, 11, 5, 19, 30),
        place="Nhà văn hóa khu phố 3",
        chair="Đặng Văn Đức",
        secretary="Phạm Thị Lan",
        attendance=Attendance(total=33, official=29, probationary=4, present=30),
        sections=[
            AgendaSection(
                "Thông tin thời sự; phổ biến văn bản mới của cấp trên",
                content=SENTENCE * lines,
                discussion=[
                    Speech("Nguyễn Thị Hòa", "Đề nghị tổ chức học tập nghị quyết. " * 3),
                    Speech("Lê Văn Tám", "Nhất trí với nội dung đã phổ biến."),
                ],
            ),
        ],
    )


def _last_line(doc: Pdf, page: int) -> str:
    return doc.lines(page)[-1]


def test_discussion_label_never_ends_a_page(header: DocHeader, pdf: Callable[[bytes], Pdf]) -> None:
    moved = 0  # variants where the label opens page 2: the case the finding reported
    for lines in range(0, 40):
        doc = pdf(minutes_pdf(_minutes(header, lines)))
        for page in range(len(doc.pages) - 1):
            assert _last_line(doc, page) != LABEL, f"{lines} lines: page {page + 1} ends with it"
        for page in range(1, len(doc.pages)):
            body = doc.lines(page)[1:]  # after the page number
            if body and body[0] == LABEL:
                moved += 1
                # its first entry follows it on the same page
                assert body[1].startswith("- Đồng chí Nguyễn Thị Hòa:")
        assert "- Đồng chí Nguyễn Thị Hòa:" in doc.text
    assert moved > 0, "no variant put the discussion at a page end: the test tests nothing"


ITEM = "2. Thảo luận"


def _item_without_content(header: DocHeader, lines: int) -> MinutesData:
    """Minutes whose second item (no content of its own, only opinions) starts after about
    `lines` lines of the first: the printed demo minutes of November (finding N4)."""
    return replace(
        _minutes(header, lines),
        sections=[
            AgendaSection("Khai mạc", content=SENTENCE * lines),
            AgendaSection(
                "Thảo luận",
                discussion=[Speech("Nguyễn Thị Hòa", "Đề nghị tổ chức học tập nghị quyết. " * 3)],
            ),
        ],
    )


def test_an_item_heading_never_ends_a_page(header: DocHeader, pdf: Callable[[bytes], Pdf]) -> None:
    """The item heading goes with what follows it, here the discussion label and its first
    opinion: neither it nor the label is left alone at the foot of a page."""
    moved = 0
    for lines in range(0, 40):
        doc = pdf(minutes_pdf(_item_without_content(header, lines)))
        for page in range(len(doc.pages) - 1):
            assert _last_line(doc, page) not in (ITEM, LABEL), (
                f"{lines} lines: page {page + 1} ends with '{_last_line(doc, page)}'"
            )
        for page in range(1, len(doc.pages)):
            body = doc.lines(page)[1:]  # after the page number
            if body and body[0] == ITEM:
                moved += 1
                assert body[1:3] == [LABEL, body[2]]
                assert body[2].startswith("- Đồng chí Nguyễn Thị Hòa:")
    assert moved > 0, "no variant put the item at a page end: the test tests nothing"

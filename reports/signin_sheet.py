"""Danh sách đảng viên dự sinh hoạt: the sign-in sheet for a meeting run on paper.

Tall rows (at least 12 mm, 15 mm in large print) leave elderly members room to sign; the
column headings repeat on every page. One "Ghi chú" column holds what the chair needs
beside a name: the member's category when not chính thức (the minutes count those present
by category) and an absence request. The sheet is a working paper filed with the minutes,
not a letter: narrower margins than HD 36 give the table the page, so 35 members and the
signatures fit two pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.text import clean
from reports.grid import grid_tables, widths_from
from reports.layout import (
    DocHeader,
    Margins,
    Signer,
    build_pdf,
    frame_height,
    frame_width,
    header_block,
    keep_with_previous,
    make_styles,
    signature_block,
    title_block,
)
from reports.vn_format import vn_date, vn_time

COLUMNS = ("STT", "Họ và tên", "Năm sinh", "Ký tên", "Ghi chú")
# Left for binding (the sheet is filed with the minutes), the rest of the page for the table.
MARGINS = Margins(top=12 * mm, bottom=10 * mm, left=22 * mm, right=12 * mm)
# Relative widths (mm on the portrait A4 frame of 176 mm), normal and large print.
_WEIGHTS = (11.0, 56.0, 21.0, 48.0, 40.0)
_LARGE_WEIGHTS = (13.0, 52.0, 22.0, 43.0, 46.0)
# At least 11 mm (room for an elderly member's signature; 35 rows and the signatures fit two
# pages), 15 mm in large print; a little over, for rounding.
MIN_ROW_HEIGHT = 11.1 * mm
LARGE_MIN_ROW_HEIGHT = 15 * mm


@dataclass(frozen=True)
class SigninMember:
    full_name: str
    birth_year: int | None = None
    status_note: str = ""  # "Dự bị", "Sinh hoạt tạm thời", "Miễn sinh hoạt"...
    note: str = ""


@dataclass(frozen=True)
class SigninSheetData:
    header: DocHeader
    meeting_name: str  # "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2025"
    starts_at: datetime
    members: Sequence[SigninMember]  # printed in the order given
    place: str = ""
    chair: str = ""
    secretary: str = ""


def note_text(member: SigninMember) -> str:
    """The "Ghi chú" cell: "Dự bị; xin vắng: đi công tác", either part alone, or ''."""
    status, note = clean(member.status_note), clean(member.note)
    if status and note:
        return f"{status}; {note[0].lower()}{note[1:]}"
    return status or note


def signin_sheet_story(data: SigninSheetData, *, large_print: bool = False) -> list[Flowable]:
    styles = make_styles(large_print)
    width = frame_width(margins=MARGINS)
    when = f"Thời gian: {vn_time(data.starts_at)}, {vn_date(data.starts_at)}"
    if clean(data.place):
        when += f"; địa điểm: {clean(data.place)}"
    story: list[Flowable] = [
        header_block(data.header, width=width),
        *title_block(
            styles, "Danh sách đảng viên dự sinh hoạt", clean(data.meeting_name), lines=[when]
        ),
    ]
    rows = [
        (index, member.full_name, member.birth_year, "", note_text(member))
        for index, member in enumerate(data.members, start=1)
    ]
    table, tail = grid_tables(
        styles,
        columns=COLUMNS,
        rows=rows,
        widths=widths_from(_LARGE_WEIGHTS if large_print else _WEIGHTS, width),
        flexible=(1, 4),
        page_height=frame_height(margins=MARGINS),
        align=("center", "left", "center", "left", "left"),
        min_row_height=LARGE_MIN_ROW_HEIGHT if large_print else MIN_ROW_HEIGHT,
    )
    story.append(table)
    if tail is not None:
        story.append(tail)
    story.append(Spacer(1, styles.body_size * 0.6))
    story.append(
        Paragraph(
            f"Tổng số đảng viên trong danh sách: {len(data.members)} đồng chí. "
            "Có mặt: ........ đồng chí; vắng mặt: ........ đồng chí.",
            styles.body,
        )
    )
    signatures = signature_block(
        styles,
        width=width,
        left=Signer("Thư ký", clean(data.secretary)),
        right=Signer("Chủ trì", clean(data.chair)),
    )
    keep_with_previous(story, signatures, count=3)
    return story


def signin_sheet_pdf(data: SigninSheetData, *, large_print: bool = False) -> bytes:
    """The sign-in sheet as PDF bytes."""
    return build_pdf(
        signin_sheet_story(data, large_print=large_print),
        title=f"Danh sách đảng viên dự sinh hoạt — {clean(data.meeting_name)}",
        subject=clean(data.header.branch),
        large_print=large_print,
        margins=MARGINS,
    )

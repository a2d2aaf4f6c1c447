"""Danh sách đảng viên dự sinh hoạt: the sign-in sheet for a meeting run on paper.

Tall rows (at least 12 mm, 15 mm in large print) leave elderly members room to sign; the
column headings repeat on every page.
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

COLUMNS = ("STT", "Họ và tên", "Năm sinh", "Ghi chú trạng thái", "Ký tên", "Ghi chú")
# Relative widths (mm on a portrait A4 frame of 160 mm), normal and large print.
_WEIGHTS = (11.0, 50.0, 17.0, 25.0, 35.0, 22.0)
_LARGE_WEIGHTS = (12.0, 44.0, 17.0, 22.0, 31.0, 32.0)
MIN_ROW_HEIGHT = 12.5 * mm  # at least 12 mm, with room for rounding
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


def signin_sheet_story(data: SigninSheetData, *, large_print: bool = False) -> list[Flowable]:
    styles = make_styles(large_print)
    width = frame_width()
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
        (index, member.full_name, member.birth_year, member.status_note, "", member.note)
        for index, member in enumerate(data.members, start=1)
    ]
    table, tail = grid_tables(
        styles,
        columns=COLUMNS,
        rows=rows,
        widths=widths_from(_LARGE_WEIGHTS if large_print else _WEIGHTS, width),
        flexible=(1, 5),
        page_height=frame_height(),
        align=("center", "left", "center", "center", "left", "left"),
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
    )

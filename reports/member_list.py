"""Danh sách đảng viên chi bộ: the member list on landscape A4."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.text import clean
from reports.grid import grid_tables
from reports.layout import (
    DocHeader,
    Signer,
    build_pdf,
    esc,
    frame_height,
    frame_width,
    header_block,
    keep_with_previous,
    make_styles,
    signature_block,
    title_block,
)
from reports.vn_format import vn_date

COLUMNS = (
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Điện thoại",
    "Trạng thái",
)
NAME_COLUMN = 1


@dataclass(frozen=True)
class MemberRow:
    full_name: str
    birth_date: date | None = None
    gender: str = ""  # "Nam" / "Nữ"
    joined_on: date | None = None
    official_on: date | None = None
    card_number: str = ""
    phone: str = ""
    status: str = ""  # "Chính thức", "Dự bị", "Miễn sinh hoạt"...


def member_list_title(branch: str) -> str:
    return f"DANH SÁCH ĐẢNG VIÊN {clean(branch).upper()}"


# Statuses in the order a summary lists them; others follow in order of appearance.
_STATUS_ORDER = ("chính thức", "dự bị", "sinh hoạt tạm thời", "miễn công tác và sinh hoạt")


def status_summary(members: Sequence[MemberRow]) -> str:
    """'Tổng số: 40 đồng chí (chính thức: 35; dự bị: 3; ...).'"""
    counts = Counter(clean(m.status).lower() for m in members if clean(m.status))
    text = f"Tổng số: {len(members)} đồng chí"
    if counts:
        known = [status for status in _STATUS_ORDER if status in counts]
        others = [status for status in counts if status not in _STATUS_ORDER]
        parts = "; ".join(f"{status}: {counts[status]}" for status in known + others)
        text += f" ({esc(parts)})"
    return text + "."


def member_list_story(
    *,
    header: DocHeader,
    members: Sequence[MemberRow],
    subtitle: str = "",
    signer_name: str = "",
    signer_role: str = "Bí thư",
    recipients: Sequence[str] = (),
    large_print: bool = False,
) -> list[Flowable]:
    styles = make_styles(large_print)
    width = frame_width(landscape=True)
    note = subtitle if clean(subtitle) else f"(Tính đến {vn_date(header.date)})"
    story: list[Flowable] = [
        header_block(header, width=width),
        *title_block(styles, member_list_title(header.branch), lines=[note]),
    ]
    rows = [
        (
            index,
            member.full_name,
            member.birth_date,
            member.gender,
            member.joined_on,
            member.official_on,
            member.card_number,
            member.phone,
            member.status,
        )
        for index, member in enumerate(members, start=1)
    ]
    table, tail = grid_tables(
        styles,
        columns=COLUMNS,
        rows=rows,
        total=width,
        flexible=(NAME_COLUMN,),
        page_height=frame_height(landscape=True),
        align=(
            "center",
            "left",
            "center",
            "center",
            "center",
            "center",
            "center",
            "center",
            "left",
        ),
    )
    story.append(table)
    if tail is not None:
        story.append(tail)
    story.append(Spacer(1, styles.body_size * 0.6))
    story.append(Paragraph(status_summary(members), styles.body))
    signature = signature_block(
        styles,
        width=width,
        right=Signer(signer_role, clean(signer_name), on_behalf="T/M Chi bộ"),
        recipients=list(recipients),
    )
    keep_with_previous(story, signature, count=3)
    return story


def member_list_pdf(
    *,
    header: DocHeader,
    members: Sequence[MemberRow],
    subtitle: str = "",
    signer_name: str = "",
    signer_role: str = "Bí thư",
    recipients: Sequence[str] = (),
    large_print: bool = False,
) -> bytes:
    """The member list as PDF bytes (landscape A4). Members print in the order given."""
    return build_pdf(
        member_list_story(
            header=header,
            members=members,
            subtitle=subtitle,
            signer_name=signer_name,
            signer_role=signer_role,
            recipients=recipients,
            large_print=large_print,
        ),
        title=member_list_title(header.branch),
        subject=clean(header.committee),
        landscape=True,
        large_print=large_print,
    )

"""Báo cáo gửi cấp trên: a branch report in the HD 36 layout.

The header, "BÁO CÁO" with the trích yếu under it, numbered sections (I, II, III...) each
with its text and an optional table, then "Nơi nhận:" on the left and "T/M CHI BỘ / BÍ THƯ"
on the right. A report without a number yet says "(Dự thảo)" under the title; a revision after submission says
so too, with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.text import clean
from reports.grid import Align, grid_table, is_numeric_column
from reports.layout import (
    DocHeader,
    Signer,
    Styles,
    build_pdf,
    esc_upper,
    frame_width,
    header_block,
    heading,
    keep_with_previous,
    make_styles,
    signature_block,
    text_paragraphs,
    title_block,
)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DEFAULT_RECIPIENTS: tuple[str, ...] = ("Đảng ủy cấp trên (b/c)", "Lưu chi bộ")


@dataclass(frozen=True)
class SectionTable:
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class UpwardSection:
    """A section: an untitled one is printed as opening text without a number."""

    title: str
    body: str = ""
    table: SectionTable | None = None


@dataclass(frozen=True)
class UpwardReportData:
    header: DocHeader
    subtitle: str  # the trích yếu: "Kết quả thực hiện nhiệm vụ tháng 11 năm 2025 ..."
    sections: Sequence[UpwardSection]
    signer_name: str
    title: str = "BÁO CÁO"
    signer_role: str = "Bí thư"
    on_behalf: str = "T/M Chi bộ"
    recipients: Sequence[str] = field(default_factory=lambda: DEFAULT_RECIPIENTS)
    draft: bool = False
    revision_note: str = ""  # "(Bản sửa đổi lần 1: ...)"


def _roman(index: int) -> str:
    return ROMAN[index] if index < len(ROMAN) else str(index + 1)


def _table(styles: Styles, table: SectionTable, width: float) -> Flowable:
    columns = [clean(c) for c in table.columns]
    rows = [list(r) for r in table.rows]
    texts = [
        max((len(str(r[i])) for r in rows if i < len(r) and isinstance(r[i], str)), default=0)
        for i in range(len(columns))
    ]
    flexible = texts.index(max(texts)) if texts else 0
    align: list[Align] = [
        "center" if is_numeric_column(rows, i) else "left" for i in range(len(columns))
    ]
    # Percent columns ("71,4%") read better centred too.
    for i in range(len(columns)):
        cells = [r[i] for r in rows if i < len(r)]
        if cells and all(str(c).endswith("%") for c in cells):
            align[i] = "center"
    return grid_table(
        styles,
        columns=columns,
        rows=rows,
        total=width,
        flexible=(flexible,),
        align=align,
    )


def upward_report_story(data: UpwardReportData, *, large_print: bool = False) -> list[Flowable]:
    styles = make_styles(large_print)
    width = frame_width()
    lines = []
    if data.draft:
        lines.append("(Dự thảo)")
    if clean(data.revision_note):
        lines.append(data.revision_note)
    story: list[Flowable] = [header_block(data.header, width=width)]
    story.extend(title_block(styles, data.title, data.subtitle, lines=lines))
    number = 0
    for section in data.sections:
        # Each line its own paragraph (indented), as reports are typed line by line.
        paragraphs = [
            line for block in text_paragraphs(section.body) for line in block.split("<br/>")
        ]
        empty = not paragraphs and section.table is None
        if not clean(section.title):
            story.extend(Paragraph(p, styles.body) for p in paragraphs)
            continue
        if empty:
            # Nothing to say: left out of the paper, draft or not (the window shows the
            # secretary which sections are still empty; paper never carries the hint).
            continue
        story.extend(heading(f"{_roman(number)}. {esc_upper(section.title)}", styles.heading))
        number += 1
        story.extend(Paragraph(p, styles.body) for p in paragraphs)
        if section.table is not None and section.table.columns:
            story.append(Spacer(1, styles.body_size * 0.3))
            story.append(_table(styles, section.table, width))
            story.append(Spacer(1, styles.body_size * 0.5))
    signature = signature_block(
        styles,
        width=width,
        right=Signer(data.signer_role, clean(data.signer_name), on_behalf=data.on_behalf),
        recipients=list(data.recipients),
    )
    keep_with_previous(story, signature)
    return story


def upward_report_pdf(data: UpwardReportData, *, large_print: bool = False) -> bytes:
    """The report as PDF bytes."""
    return build_pdf(
        upward_report_story(data, large_print=large_print),
        title=f"{clean(data.title)} {clean(data.subtitle)}",
        subject=clean(data.header.branch),
        large_print=large_print,
    )


__all__ = [
    "SectionTable",
    "UpwardReportData",
    "UpwardSection",
    "upward_report_pdf",
    "upward_report_story",
]

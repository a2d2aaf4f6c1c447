"""A titled report around one table: attendance, yearly and study reports are built on it.

Cells take plain values (str, int, float, date, None); number columns are centred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.text import clean
from reports.grid import Align, cell_text, grid_tables, is_numeric_column, widths_from
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
    text_paragraphs,
    title_block,
)


@dataclass(frozen=True)
class TableReport:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    header: DocHeader | None = None
    subtitle: str = ""  # bold, under the title
    subtitle_lines: Sequence[str] = ()  # italic, e.g. "(Từ ngày 01/01/2025 đến 31/12/2025)"
    intro: str = ""  # text before the table; blank lines part paragraphs
    totals: Sequence[object] | None = None  # a bold last row, e.g. ("", "Cộng", 40, 36)
    notes: str = ""  # text after the table
    weights: Sequence[float] | None = None  # relative column widths; from content if None
    align: Sequence[Align] | None = None  # per column; numbers centred if None
    signer: Signer | None = None  # right column, e.g. Signer("Bí thư", name, "T/M Chi bộ")
    left_signer: Signer | None = None  # e.g. Signer("Người lập biểu", name)
    recipients: Sequence[str] = ()  # "Nơi nhận:" (left) when there is no left signer
    landscape: bool = False


def _alignment(report: TableReport) -> list[Align]:
    if report.align is not None:
        return list(report.align)
    return [
        "center" if is_numeric_column(report.rows, index) or _short(report.rows, index) else "left"
        for index in range(len(report.columns))
    ]


def _short(rows: Sequence[Sequence[object]], index: int) -> bool:
    """Short codes and figures ("1/1", "3 K", "95,5") are centred like numbers."""
    cells = [cell_text(row[index]) for row in rows if index < len(row)]
    return bool(cells) and all(len(cell) <= 6 for cell in cells)


def table_report_story(report: TableReport, *, large_print: bool = False) -> list[Flowable]:
    styles = make_styles(large_print)
    width = frame_width(report.landscape)
    story: list[Flowable] = []
    if report.header is not None:
        story.append(header_block(report.header, width=width))
    story.extend(
        title_block(styles, report.title, report.subtitle, lines=list(report.subtitle_lines))
    )
    story.extend(Paragraph(text, styles.body) for text in text_paragraphs(report.intro))
    aligns = _alignment(report)
    table, tail = grid_tables(
        styles,
        columns=report.columns,
        rows=report.rows,
        widths=widths_from(report.weights, width) if report.weights else None,
        total=width,
        align=aligns,
        totals=report.totals,
        flexible=[i for i, a in enumerate(aligns) if a == "left"],
        page_height=frame_height(report.landscape),
    )
    story.append(table)
    kept = 1  # the table's last rows (or the whole of a short table)
    if tail is not None:
        story.append(tail)
    notes = text_paragraphs(report.notes)
    if notes:
        story.append(Spacer(1, styles.body_size * 0.6))
        story.extend(Paragraph(text, styles.body) for text in notes)
        # The table's last rows stay with the notes only when the notes are short.
        kept = 3 if len(notes) == 1 else 1
    if report.signer is not None or report.left_signer is not None or report.recipients:
        block = signature_block(
            styles,
            width=width,
            left=report.left_signer,
            right=report.signer,
            recipients=report.recipients,
        )
        keep_with_previous(story, block, count=kept)
    return story


def table_report_pdf(report: TableReport, *, large_print: bool = False) -> bytes:
    """The report as PDF bytes."""
    subject = clean(report.header.branch) if report.header is not None else ""
    return build_pdf(
        table_report_story(report, large_print=large_print),
        title=clean(report.title),
        subject=subject,
        landscape=report.landscape,
        large_print=large_print,
    )

"""Ruled tables for lists and reports: a bold header row repeated on every page, wrapped
cells, an optional totals row and a minimum row height (for signing by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from reports.layout import Styles, esc
from reports.vn_format import vn_number, vn_short_date

Align = Literal["left", "center", "right"]

HEADER_SHADE = Color(0.92, 0.92, 0.92)


def cell_text(value: object) -> str:
    """How a plain value is printed in a cell (not yet escaped).

    None → ''; date → 05/11/2025; datetime → 05/11/2025 19:30; bool → Có/Không;
    float → Vietnamese decimal comma; int and str as they are (years stay 1948).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        return f"{vn_short_date(value)} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return vn_short_date(value)
    if isinstance(value, float):
        return vn_number(value, 2)
    return str(value)


def is_numeric_column(rows: Sequence[Sequence[object]], index: int) -> bool:
    values = [row[index] for row in rows if index < len(row) and row[index] is not None]
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    )


def auto_weights(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Relative column widths from the text they hold (header words wrap, cells less so)."""
    weights: list[float] = []
    for index, title in enumerate(columns):
        longest_word = max((len(word) for word in title.split()), default=1)
        cells = [len(cell_text(row[index])) for row in rows[:200] if index < len(row)]
        content = max(cells, default=0)
        weights.append(float(max(3, longest_word + 1, min(content, 40), len(title) // 2)))
    return weights


def fit_widths(
    styles: Styles,
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    total: float,
    flexible: int,
    min_flexible: float = 0.22,
) -> list[float]:
    """Widths in points: every column as wide as its longest cell on one line (headings may
    wrap between words); column `flexible` (the name) takes what is left, at least
    `min_flexible` of the total, the others shrinking (and wrapping) to make room."""
    font = str(styles.cell.fontName)
    bold = str(styles.cell_head.fontName)
    size = float(styles.cell.fontSize)
    padding = 6 + 2  # left and right padding of grid_table, and a little air
    natural: list[float] = []
    for index, title in enumerate(columns):
        heading = max((stringWidth(word, bold, size) for word in title.split()), default=0.0)
        cells = (
            stringWidth(cell_text(row[index]), font, size) for row in rows[:500] if index < len(row)
        )
        natural.append(max(heading, max(cells, default=0.0)) + padding)
    fixed = sum(width for index, width in enumerate(natural) if index != flexible)
    room = total - fixed
    floor = total * min_flexible
    if room >= floor:
        return [room if index == flexible else width for index, width in enumerate(natural)]
    scale = (total - floor) / fixed
    return [floor if index == flexible else width * scale for index, width in enumerate(natural)]


def widths_from(weights: Sequence[float], total: float) -> list[float]:
    whole = sum(weights) or 1.0
    return [total * weight / whole for weight in weights]


def grid_table(
    styles: Styles,
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    align: Sequence[Align] | None = None,
    totals: Sequence[object] | None = None,
    min_row_height: float = 0.0,
) -> Table:
    """A ruled table; the header row repeats on each page. `widths` are in points."""
    aligns: list[Align] = list(align) if align is not None else ["left"] * len(columns)
    by_align = {"left": styles.cell, "center": styles.cell_center, "right": styles.cell_right}

    def row_cells(values: Sequence[object], bold: bool = False) -> list[Paragraph]:
        cells: list[Paragraph] = []
        for index in range(len(columns)):
            value = values[index] if index < len(values) else None
            text = esc(cell_text(value))
            if bold and text:
                text = f"<b>{text}</b>"
            cells.append(Paragraph(text, by_align[aligns[index]]))
        return cells

    data: list[list[Paragraph]] = [[Paragraph(esc(c), styles.cell_head) for c in columns]]
    data.extend(row_cells(row) for row in rows)
    if totals is not None:
        data.append(row_cells(totals, bold=True))

    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
    ]
    # A minimum height through padding, so a long name still wraps and grows the row.
    pad = max(3.0, (min_row_height - float(styles.cell.leading)) / 2)
    if len(data) > 1:
        commands += [
            ("TOPPADDING", (0, 1), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 1), (-1, -1), pad),
        ]
    table.setStyle(TableStyle(commands))
    return table

"""Ruled tables for lists and reports: a bold header row repeated on every page, wrapped
cells, an optional totals row and a minimum row height (for signing by hand).

Every table here follows the no-break rule (`fit_columns`): a date, a number, a code or a
single word is never cut across lines; only names and free text wrap, at spaces. A table's
last rows can be cut off (`grid_tables`) to keep them on the page of what follows it (the
total line, the signature), as `layout.keep_with_previous` does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from reportlab.lib.colors import Color, black
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

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


def widths_from(weights: Sequence[float], total: float) -> list[float]:
    whole = sum(weights) or 1.0
    return [total * weight / whole for weight in weights]


# --- the no-break rule ----------------------------------------------------------------------
#
# A table never breaks a date, a number, a code or a single word across lines: every column
# is at least as wide as the widest unbreakable piece it holds (a word of the heading or of a
# cell, in the font it is printed in). Only names and free text wrap, at spaces. When the
# pieces do not fit the page at the style's cell size, the table is set a step smaller
# (down to MIN_CELL_SIZE, or LARGE_MIN_CELL_SIZE in large print) before anything breaks.

CELL_PADDING = 3.0  # left and right padding of every cell
_AIR = 1.5  # rounding room, so a piece exactly as wide as its column still fits
MIN_CELL_SIZE = 9.0
LARGE_MIN_CELL_SIZE = 14.0
FLEXIBLE_SHARE = 0.25  # of the width, offered to names and free text before the rest


def _pieces(text: str) -> list[str]:
    return text.split() or [""]


def column_needs(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    size: float,
    font: str,
    bold: str,
    totals: Sequence[object] | None = None,
) -> tuple[list[float], list[float]]:
    """(minimum, natural) width of each column in points at a cell size: the minimum holds
    the widest word (heading or cell), the natural one the widest cell on one line."""
    pad = 2 * CELL_PADDING + _AIR
    minimum: list[float] = []
    natural: list[float] = []
    body = [(row, font) for row in rows] + ([(totals, bold)] if totals is not None else [])
    for index, title in enumerate(columns):
        least = max(stringWidth(word, bold, size) for word in _pieces(str(title)))
        whole = least
        for row, face in body:
            if index >= len(row):
                continue
            text = cell_text(row[index])
            if not text:
                continue
            least = max(least, max(stringWidth(word, face, size) for word in _pieces(text)))
            whole = max(whole, stringWidth(text, face, size))
        minimum.append(least + pad)
        natural.append(whole + pad)
    return minimum, natural


def _share(
    minimum: Sequence[float], natural: Sequence[float], total: float, flexible: Sequence[int]
) -> list[float]:
    """Widths from the minimums. The flexible columns (names, free text) are first given up
    to FLEXIBLE_SHARE of the page (never more than their natural width), then the other
    columns grow towards their natural width, and what is left goes to the flexible ones."""
    widths = list(minimum)
    takers = list(flexible) or list(range(len(widths)))

    def grow(indexes: Sequence[int], targets: dict[int, float]) -> None:
        extra = total - sum(widths)
        wants = {i: max(0.0, targets[i] - widths[i]) for i in indexes}
        wanted = sum(wants.values())
        if wanted <= 0 or extra <= 0:
            return
        ratio = min(1.0, extra / wanted)
        for i in indexes:
            widths[i] += wants[i] * ratio

    share = total * FLEXIBLE_SHARE / len(takers)
    grow(takers, {i: min(natural[i], share) for i in takers})
    others = [i for i in range(len(widths)) if i not in takers]
    grow(others, {i: natural[i] for i in others})
    grow(takers, {i: natural[i] for i in takers})
    extra = total - sum(widths)
    if extra > 0:
        for i in takers:
            widths[i] += extra / len(takers)
    return widths


def fit_columns(
    styles: Styles,
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    total: float,
    flexible: Sequence[int] = (),
    totals: Sequence[object] | None = None,
    widths: Sequence[float] | None = None,
) -> tuple[list[float], float]:
    """(column widths in points, cell font size) under the no-break rule.

    `widths`, when given, are the caller's layout: kept, each column raised to its widest
    word at the expense of the others' spare room; otherwise the widths come from the content: each column at least its widest word, the
    `flexible` columns (names, free text; by default the one with the most text) taking the
    room left. The size steps down by one point until the words fit the page."""
    font = str(styles.cell.fontName)
    bold = str(styles.cell_head.fontName)
    size = float(styles.cell.fontSize)
    floor = LARGE_MIN_CELL_SIZE if styles.large_print else MIN_CELL_SIZE
    chosen = list(flexible) if flexible else [_longest_text_column(columns, rows)]
    while True:
        minimum, natural = column_needs(
            columns, rows, size=size, font=font, bold=bold, totals=totals
        )
        if sum(minimum) <= total or size - 1 < floor:
            break
        size -= 1
    if sum(minimum) > total:  # nothing smaller allowed: spread the shortfall (rare)
        scale = total / sum(minimum)
        return [m * scale for m in minimum], size
    if widths is not None:
        return _adjusted(list(widths), minimum, total), size
    return _share(minimum, natural, total, chosen), size


def _adjusted(widths: list[float], minimum: Sequence[float], total: float) -> list[float]:
    """The caller's widths (scaled to `total`), each raised to its minimum, the room taken
    from the columns wider than theirs in proportion to what they can spare: a column
    left wide on purpose (for a signature) stays wide."""
    scale = total / (sum(widths) or 1.0)
    widths = [w * scale for w in widths]
    short = sum(max(0.0, m - w) for w, m in zip(widths, minimum, strict=False))
    if short <= 0:
        return widths
    spare = [max(0.0, w - m) for w, m in zip(widths, minimum, strict=False)]
    room = sum(spare)
    return [
        max(w, m) - (s * short / room if room else 0.0)
        for w, m, s in zip(widths, minimum, spare, strict=False)
    ]


def _longest_text_column(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    lengths = [
        sum(len(cell_text(row[i])) for row in rows[:200] if i < len(row))
        for i in range(len(columns))
    ]
    return lengths.index(max(lengths)) if lengths else 0


def _sized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    if float(style.fontSize) == size:
        return style
    return ParagraphStyle(f"{style.name}_{size:g}", parent=style, fontSize=size, leading=size * 1.2)


def grid_table(
    styles: Styles,
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float] | None = None,
    align: Sequence[Align] | None = None,
    totals: Sequence[object] | None = None,
    min_row_height: float = 0.0,
    total: float | None = None,
    flexible: Sequence[int] = (),
) -> Table:
    """A ruled table; the header row repeats on each page.

    `widths` (points) are kept when every word fits them; otherwise, or when they are not
    given, the widths come from the content over `total` (default: their sum) under the
    no-break rule (see `fit_columns`), `flexible` naming the columns that wrap."""
    body, _tail = grid_tables(
        styles,
        columns=columns,
        rows=rows,
        widths=widths,
        align=align,
        totals=totals,
        min_row_height=min_row_height,
        total=total,
        flexible=flexible,
        tail_rows=0,
    )
    return body


def grid_tables(
    styles: Styles,
    *,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float] | None = None,
    align: Sequence[Align] | None = None,
    totals: Sequence[object] | None = None,
    min_row_height: float = 0.0,
    total: float | None = None,
    flexible: Sequence[int] = (),
    tail_rows: int = 2,
    page_height: float | None = None,
) -> tuple[Table, Flowable | None]:
    """As `grid_table`, cut in two: the table, and its last `tail_rows` rows (and totals) as
    a second table of the same widths drawn right below it, so the lines after a table and
    the signature can be kept on one page with the table's last rows (`keep_with_previous`).
    The tail is None when the table is too short to cut. With `page_height` (the frame's
    height, `layout.frame_height`), a tail that starts a new page repeats the header row."""
    aligns: list[Align] = list(align) if align is not None else ["left"] * len(columns)
    room = total if total is not None else sum(widths or ())
    if room <= 0:
        raise ValueError("grid_table needs widths or a total width")
    if not flexible:
        flexible = [i for i, a in enumerate(aligns) if a == "left"][:1]
    fitted, size = fit_columns(
        styles,
        columns=columns,
        rows=rows,
        total=room,
        flexible=flexible,
        totals=totals,
        widths=widths,
    )
    cut = len(rows) - tail_rows if 0 < tail_rows < len(rows) - 2 else len(rows)
    body = _ruled(
        styles, columns, rows[:cut], fitted, size, aligns, None if cut < len(rows) else totals,
        min_row_height, header=True,
    )  # fmt: skip
    if cut == len(rows):
        return body, None
    tail = _ruled(
        styles, columns, rows[cut:], fitted, size, aligns, totals, min_row_height, header=False
    )
    if page_height is None:
        return body, tail
    headed = _ruled(
        styles, columns, rows[cut:], fitted, size, aligns, totals, min_row_height, header=True
    )
    return body, TailTable(headed, tail, page_height)


class TailTable(Flowable):
    """A table's last rows: drawn without the header row right below the table, with it
    when they open a page (so every page of a table starts with its header)."""

    def __init__(self, headed: Table, bare: Table, page_height: float) -> None:
        super().__init__()
        self._headed = headed
        self._bare = bare
        self._page_height = page_height
        self._chosen = bare
        self.hAlign = "CENTER"  # placed as the table above it is (the frame centres it)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        at_top = availHeight >= self._page_height - 1
        self._chosen = self._headed if at_top else self._bare
        width, height = self._chosen.wrap(availWidth, availHeight)
        self.width, self.height = width, height
        return width, height

    def draw(self) -> None:
        self._chosen.drawOn(self.canv, 0, 0)


def _ruled(
    styles: Styles,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    size: float,
    aligns: Sequence[Align],
    totals: Sequence[object] | None,
    min_row_height: float,
    *,
    header: bool,
) -> Table:
    by_align = {
        "left": _sized(styles.cell, size),
        "center": _sized(styles.cell_center, size),
        "right": _sized(styles.cell_right, size),
    }
    head_style = _sized(styles.cell_head, size)

    def row_cells(values: Sequence[object], bold: bool = False) -> list[Paragraph]:
        cells: list[Paragraph] = []
        for index in range(len(columns)):
            value = values[index] if index < len(values) else None
            text = esc(cell_text(value))
            if bold and text:
                text = f"<b>{text}</b>"
            cells.append(Paragraph(text, by_align[aligns[index]]))
        return cells

    data: list[list[Paragraph]] = []
    if header:
        data.append([Paragraph(esc(c), head_style) for c in columns])
    data.extend(row_cells(row) for row in rows)
    if totals is not None:
        data.append(row_cells(totals, bold=True))
    first = 1 if header else 0
    table = Table(data, colWidths=list(widths), repeatRows=first, hAlign="CENTER")
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
            ("TOPPADDING", (0, 0), (-1, 0), 4),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ]
    # A minimum height through padding, so a long name still wraps and grows the row.
    pad = max(3.0, (min_row_height - size * 1.2) / 2)
    if len(data) > first:
        commands += [
            ("TOPPADDING", (0, first), (-1, -1), pad),
            ("BOTTOMPADDING", (0, first), (-1, -1), pad),
        ]
    table.setStyle(TableStyle(commands))
    return table

"""Đảng phí documents in the Party layout: the yearly dues book (landscape, a member per
row, a month per column, with totals), receipts (biên lai) for cash payments, the branch's
report of dues collected, retained and remitted, and a member's own page in large print.

The book's grid uses plain table cells (no paragraphs) sized from what they hold, so an
amount is never broken across lines and 200 members lay out well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.dues_legend import year_book_legend
from reports.fonts import SERIF, SERIF_BOLD
from reports.grid import HEADER_SHADE, Align, grid_table
from reports.layout import (
    DocHeader,
    Signer,
    Styles,
    build_pdf,
    esc,
    frame_height,
    frame_width,
    header_block,
    heading,
    keep_with_previous,
    make_styles,
    signature_block,
    title_block,
)
from reports.vn_format import vn_short_date
from reports.vn_words import amount_in_words

CONFIGURABLE = "(có thể cấu hình)"


# What the renderers read of the dues service's data (app.services.dues): the service's
# dataclasses are passed as they are.


class _Cell(Protocol):
    @property
    def month(self) -> str: ...
    @property
    def due(self) -> int: ...
    @property
    def paid(self) -> int: ...
    @property
    def state(self) -> str: ...
    @property
    def mark(self) -> str: ...


class _BookRow(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def full_name(self) -> str: ...
    @property
    def cells(self) -> tuple[_Cell, ...]: ...
    @property
    def total_due(self) -> int: ...
    @property
    def total_paid(self) -> int: ...


class YearBookData(Protocol):
    @property
    def year(self) -> int: ...
    @property
    def rows(self) -> tuple[_BookRow, ...]: ...
    @property
    def total_due(self) -> int: ...
    @property
    def total_paid(self) -> int: ...
    @property
    def collector(self) -> str: ...
    def month_paid(self, index: int) -> int: ...


class ReceiptData(Protocol):
    @property
    def number_label(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def paid_on(self) -> dt.date: ...
    @property
    def months_text(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def collected_by(self) -> str: ...


class _Period(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def is_quarter(self) -> bool: ...


class _Remittance(Protocol):
    @property
    def amount(self) -> int: ...
    @property
    def remitted_on(self) -> dt.date: ...


class PeriodData(Protocol):
    @property
    def period(self) -> _Period: ...
    @property
    def members_at_end(self) -> int: ...
    @property
    def paying_members(self) -> int: ...
    @property
    def collected(self) -> int: ...
    @property
    def collected_cash(self) -> int: ...
    @property
    def collected_online(self) -> int: ...
    @property
    def retain_percent(self) -> int: ...
    @property
    def retained(self) -> int: ...
    @property
    def to_remit(self) -> int: ...
    @property
    def remitted(self) -> int: ...
    @property
    def outstanding(self) -> int: ...
    @property
    def remittances(self) -> tuple[_Remittance, ...]: ...
    @property
    def by_month(self) -> tuple[tuple[str, int, int], ...]: ...


class _Payment(Protocol):
    @property
    def month(self) -> str: ...
    @property
    def paid(self) -> bool: ...
    @property
    def paid_on(self) -> dt.date: ...


class MemberPageData(Protocol):
    @property
    def full_name(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def row(self) -> _BookRow: ...
    @property
    def payments(self) -> tuple[_Payment, ...]: ...
    @property
    def basis_line(self) -> str: ...


def money(value: int) -> str:
    """52000 → "52.000"."""
    return ("-" if value < 0 else "") + f"{abs(value):,}".replace(",", ".")


def month_label(month: str) -> str:
    """ "2026-09" → "9/2026"."""
    return f"{int(month[5:7])}/{month[:4]}"


COLLECTOR = "Người thu đảng phí"


# --- the yearly book -------------------------------------------------------------------------


def _grid_widths(
    rows: Sequence[Sequence[str]], *, total: float, size: float, name_col: int
) -> list[float] | None:
    """Column widths that hold every cell on one line at `size`; None when they cannot fit."""
    count = len(rows[0])
    widths = [0.0] * count
    for index, row in enumerate(rows):
        font = SERIF_BOLD if index == 0 or index == len(rows) - 1 else SERIF
        for col, text in enumerate(row):
            widths[col] = max(widths[col], stringWidth(text, font, size) + 6)
    fixed = sum(w for i, w in enumerate(widths) if i != name_col)
    room = total - fixed
    if room < widths[name_col] * 0.6:
        return None
    widths[name_col] = room
    return widths


def year_book_story(data: YearBookData, header: DocHeader, *, secretary: str) -> list[Flowable]:
    styles = make_styles()
    width = frame_width(landscape=True)
    head = ["STT", "Họ và tên", *(f"T{i}" for i in range(1, 13)), "Cộng"]
    body = [
        [str(r.index), r.full_name, *(c.mark for c in r.cells), money(r.total_paid)]
        for r in data.rows
    ]
    totals = ["", "Cộng", *(money(data.month_paid(i)) for i in range(12)), money(data.total_paid)]
    rows = [head, *body, totals]
    size = 10.0
    widths = _grid_widths(rows, total=width, size=size, name_col=1)
    while widths is None and size > 6.5:
        size -= 0.5
        widths = _grid_widths(rows, total=width, size=size, name_col=1)
    assert widths is not None
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, size),
                ("FONT", (0, 0), (-1, 0), SERIF_BOLD, size),
                ("FONT", (0, -1), (-1, -1), SERIF_BOLD, size),
                ("GRID", (0, 0), (-1, -1), 0.5, black),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (1, 1), (1, -1), "LEFT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story: list[Flowable] = [header_block(header, width=width)]
    story.extend(
        title_block(
            styles,
            f"SỔ THEO DÕI THU, NỘP ĐẢNG PHÍ NĂM {data.year}",
            lines=[
                f"Số phải đóng cả năm: {money(data.total_due)} đồng; đã thu: "
                f"{money(data.total_paid)} đồng."
            ],
        )
    )
    story.append(table)
    legend = year_book_legend(c.mark for r in data.rows for c in r.cells)
    left = Signer(COLLECTOR, data.collector)
    right = Signer("Bí thư", secretary, on_behalf="T/M Chi bộ")
    story.append(
        _FirstThatFits(
            [
                [
                    Spacer(1, 3 * mm),
                    Paragraph(esc(legend), styles.cell),
                    Spacer(1, 4 * mm),
                    signature_block(styles, width=width, left=left, right=right),
                ],
                [
                    Spacer(1, 1.5 * mm),
                    Paragraph(esc(legend), styles.cell),
                    Spacer(1, 1.5 * mm),
                    # Less room to sign (15 mm): only when the full block would leave
                    # the legend and signatures alone on a new page.
                    signature_block(
                        styles, width=width, left=left, right=right, sign_space=15 * mm
                    ),
                ],
            ]
        )
    )
    return story


class _FirstThatFits(Flowable):
    """The first of several renderings of the book's tail (legend and signatures) that fits
    the room left under the table, so the tail stays on the table's last page when a tighter
    rendering fits; when none fits, the first one moves to the next page whole."""

    def __init__(self, variants: list[list[Flowable]]) -> None:
        super().__init__()
        self._variants = variants
        self._chosen = variants[0]
        self._sizes: list[tuple[float, float]] = []

    def _measure(
        self, parts: list[Flowable], avail_w: float
    ) -> tuple[float, list[tuple[float, float]]]:
        sizes = [p.wrap(avail_w, 10_000) for p in parts]
        return sum(h for _w, h in sizes), sizes

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        fallback: tuple[list[Flowable], float, list[tuple[float, float]]] | None = None
        for parts in self._variants:
            height, sizes = self._measure(parts, availWidth)
            if fallback is None:
                fallback = (parts, height, sizes)
            if height <= availHeight:
                self._chosen, self._sizes = parts, sizes
                return availWidth, height
        assert fallback is not None
        self._chosen, _h, self._sizes = fallback
        return availWidth, fallback[1]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # never split: move whole to the next page

    def draw(self) -> None:
        y = sum(h for _w, h in self._sizes)
        for part, (_w, h) in zip(self._chosen, self._sizes, strict=True):
            y -= h
            part.drawOn(self.canv, 0, y)


def year_book_pdf(data: YearBookData, header: DocHeader, *, secretary: str) -> bytes:
    return build_pdf(
        year_book_story(data, header, secretary=secretary),
        title=f"Sổ theo dõi thu, nộp đảng phí năm {data.year}",
        subject=header.branch,
        landscape=True,
    )


# --- receipts ---------------------------------------------------------------------------------


def _receipt_parts(receipt: ReceiptData, header: DocHeader, width: float) -> list[Flowable]:
    styles = make_styles()
    lines = [
        ("Họ và tên người nộp", receipt.full_name),
        ("Nộp đảng phí tháng", receipt.months_text),
        ("Số tiền", f"{money(receipt.total)} đồng"),
        ("Bằng chữ", amount_in_words(receipt.total)),
        ("Hình thức", "Tiền mặt"),
    ]
    table = Table(
        [
            [
                Paragraph(esc(k) + ":", styles.body_flush),
                Paragraph(f"<b>{esc(v)}</b>", styles.body_flush),
            ]
            for k, v in lines
        ],
        colWidths=[55 * mm, width - 55 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    dated = DocHeader(
        header.committee,
        header.branch,
        header.place,
        receipt.paid_on,
        number=f"Số {receipt.number_label}",
    )
    parts: list[Flowable] = [header_block(dated, width=width)]
    parts.extend(title_block(styles, "BIÊN LAI THU ĐẢNG PHÍ"))
    parts.append(table)
    parts.append(Spacer(1, 2 * mm))
    parts.append(
        signature_block(
            styles,
            width=width,
            left=Signer("Người nộp", receipt.full_name),
            right=Signer(COLLECTOR, receipt.collected_by),
        )
    )
    return parts


RECEIPTS_PER_PAGE = 2  # an A5 biên lai: two to an A4 sheet, cut along the dashed line


def receipts_pdf(receipts: Sequence[ReceiptData], header: DocHeader) -> bytes:
    """Receipts two to an A4 sheet (each in its own half, the usual biên lai size), with a
    dashed cut line between them; a receipt never crosses a sheet or the cut line (a long
    name is set a little smaller to stay in its half)."""
    width = frame_width()
    slot = frame_height() / RECEIPTS_PER_PAGE - 1
    pad = 5 * mm
    story: list[Flowable] = []
    for start in range(0, len(receipts), RECEIPTS_PER_PAGE):
        chunk = receipts[start : start + RECEIPTS_PER_PAGE]
        cells = [
            [KeepInFrame(width, slot - 2 * pad, _receipt_parts(r, header, width), mode="shrink")]
            for r in chunk
        ]
        sheet = Table(cells, colWidths=[width], rowHeights=[slot] * len(chunk))
        style: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]
        if len(chunk) > 1:
            # The cut line: dashed, across the sheet between two receipts.
            style.append(("LINEBELOW", (0, 0), (-1, -2), 0.6, black, None, (4, 3)))
        sheet.setStyle(TableStyle(style))
        if story:
            story.append(PageBreak())
        story.append(sheet)
    return build_pdf(
        story, title="Biên lai thu đảng phí", subject=header.branch, page_numbers=False
    )


# --- the period report --------------------------------------------------------------------


def _money_table(
    styles: Styles,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    text_col: int,
    align: Sequence[Align] | None = None,
    totals: Sequence[object] | None = None,
) -> Flowable:
    """A ruled table whose columns are as wide as their widest cell (measured in bold, so an
    amount never wraps); the text column takes the rest."""
    width = frame_width()
    size = float(styles.cell.fontSize)
    every = [*rows, *([totals] if totals is not None else [])]
    widths = []
    for col, title in enumerate(columns):
        widest = max(
            [stringWidth(str(r[col]), SERIF_BOLD, size) for r in every]
            + [max(stringWidth(w, SERIF_BOLD, size) for w in title.split())]
        )
        widths.append(widest + 10)
    widths[text_col] = width - sum(w for i, w in enumerate(widths) if i != text_col)
    if align is None:
        chosen: list[Align] = ["right"] * len(columns)
        chosen[text_col] = "left"
        chosen[0] = "center" if text_col != 0 else "left"
        align = chosen
    return grid_table(styles, columns=columns, rows=rows, widths=widths, align=align, totals=totals)


def period_report_story(
    figures: PeriodData, header: DocHeader, *, secretary: str
) -> list[Flowable]:
    f = figures
    styles = make_styles()
    width = frame_width()
    story: list[Flowable] = [header_block(header, width=width)]
    story.extend(title_block(styles, "BÁO CÁO", f"Thu, nộp đảng phí {f.period.label}"))
    story.extend(heading("I. TÌNH HÌNH THU ĐẢNG PHÍ", styles.heading))
    story.append(
        Paragraph(
            esc(
                f"Số đảng viên của chi bộ đến cuối kỳ: {f.members_at_end} đồng chí; số đồng chí "
                f"đã đóng đảng phí trong kỳ: {f.paying_members} đồng chí."
            ),
            styles.body,
        )
    )
    summary = [
        ("1", "Tổng số đảng phí thu được trong kỳ", money(f.collected)),
        ("", "- Thu bằng tiền mặt", money(f.collected_cash)),
        ("", "- Đóng qua Cổng DVCQG, chuyển khoản", money(f.collected_online)),
        (
            "2",
            f"Chi bộ được giữ lại ({f.retain_percent}%, {CONFIGURABLE[1:-1]})",
            money(f.retained),
        ),
        ("3", "Số phải nộp lên cấp trên", money(f.to_remit)),
        ("4", "Số đã nộp lên cấp trên", money(f.remitted)),
        ("5", "Số còn phải nộp", money(f.outstanding)),
    ]
    story.append(_money_table(styles, ("TT", "Nội dung", "Số tiền (đồng)"), summary, text_col=1))
    story.append(Spacer(1, styles.body_size * 0.5))
    if f.period.is_quarter:
        story.extend(heading("II. THU THEO THÁNG", styles.heading))
        rows = [(month_label(m), money(c), money(o), money(c + o)) for m, c, o in f.by_month]
        rows.append(
            ("Cộng", money(f.collected_cash), money(f.collected_online), money(f.collected))
        )
        story.append(
            _money_table(
                styles, ("Tháng", "Tiền mặt", "DVCQG, chuyển khoản", "Cộng"), rows, text_col=0
            )
        )
        story.append(Spacer(1, styles.body_size * 0.5))
    number = "III" if f.period.is_quarter else "II"
    story.extend(heading(f"{number}. NỘP ĐẢNG PHÍ LÊN CẤP TRÊN", styles.heading))
    remits = "; ".join(
        f"ngày {vn_short_date(r.remitted_on)}: {money(r.amount)} đồng" for r in f.remittances
    )
    story.append(
        Paragraph(esc(f"Đã nộp {remits}." if remits else "Trong kỳ chưa nộp."), styles.body)
    )
    signature = signature_block(
        styles,
        width=width,
        right=Signer("Bí thư", secretary, on_behalf="T/M Chi bộ"),
        recipients=["Đảng ủy cấp trên (b/c)", "Lưu chi bộ"],
    )
    keep_with_previous(story, signature, count=3)
    return story


def period_report_pdf(figures: PeriodData, header: DocHeader, *, secretary: str) -> bytes:
    return build_pdf(
        period_report_story(figures, header, secretary=secretary),
        title=f"Báo cáo thu, nộp đảng phí {figures.period.label}",
        subject=header.branch,
    )


# --- a member's own page, large print ---------------------------------------------------------


def member_page_pdf(page: MemberPageData, header: DocHeader) -> bytes:
    styles = make_styles(large_print=True)
    width = frame_width()
    by_month = {p.month: p for p in page.payments}
    rows: list[list[object]] = []
    for cell in page.row.cells:
        p = by_month.get(cell.month)
        state = {
            "paid": "Đã đóng",
            "unpaid": "Chưa đóng",
            "excused": "Chưa đóng (có lý do)",
            "exempt": "Miễn",
            "not_set": "Chưa theo dõi trên sổ",
            "outside": "—",
        }[cell.state]
        rows.append(
            [
                f"Tháng {int(cell.month[5:])}",
                money(cell.due) if cell.due else "",
                money(cell.paid) if cell.paid else "",
                vn_short_date(p.paid_on) if p is not None and p.paid else "",
                state,
            ]
        )
    columns = ["Tháng", "Phải đóng", "Đã đóng", "Ngày đóng", "Ghi chú"]
    totals = ["Cộng", money(page.row.total_due), money(page.row.total_paid), "", ""]
    table = _money_table(
        styles,
        columns,
        rows,
        text_col=4,
        align=["left", "right", "right", "center", "left"],
        totals=totals,
    )
    story: list[Flowable] = [header_block(header, width=width)]
    story.extend(
        title_block(
            styles,
            f"ĐẢNG PHÍ NĂM {page.year}",
            f"Đồng chí {page.full_name}",
            lines=[f"Cách tính: {page.basis_line}"],
        )
    )
    story.append(table)
    return build_pdf(
        story,
        title=f"Đảng phí năm {page.year} — {page.full_name}",
        subject="Bản in chữ lớn",
        large_print=True,
    )

"""Đảng phí documents in the Party layout: the yearly dues book (landscape, a member per
row, a month per column, with totals), receipts (biên lai) for cash payments, the branch's
report of dues collected, retained and remitted, and a member's own page in large print.

The book's grid uses plain table cells (no paragraphs) sized from what they hold, so an
amount is never broken across lines and 200 members lay out well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.errors import KnownError, ValidationError
from app.exporters import dues_xlsx
from app.services import dues
from app.services.dues import (
    MemberPage,
    PeriodFigures,
    Receipt,
    YearBook,
    money,
    month_label,
)
from app.services.dues.rules import CONFIGURABLE
from app.services.dues.words import amount_in_words
from reports.fonts import SERIF, SERIF_BOLD
from reports.grid import HEADER_SHADE, Align, grid_table
from reports.layout import (
    DocHeader,
    Signer,
    Styles,
    build_pdf,
    esc,
    frame_width,
    header_block,
    heading,
    keep_with_previous,
    make_styles,
    signature_block,
    title_block,
)
from reports.output import write_pdf
from reports.vn_format import vn_short_date

if TYPE_CHECKING:
    from app.book import Book

LEGEND = (
    "Ghi chú: số trong ô là số tiền đã đóng (đồng); “Miễn”: được miễn đóng; “LD”: chưa đóng, "
    "có lý do; “—”: chưa sinh hoạt hoặc đã thôi sinh hoạt ở chi bộ; ô trống: chưa đóng."
)
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


def year_book_story(data: YearBook, header: DocHeader, *, secretary: str) -> list[Flowable]:
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
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
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
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(esc(LEGEND), styles.cell))
    signature = signature_block(
        styles,
        width=width,
        left=Signer(COLLECTOR),
        right=Signer("Bí thư", secretary, on_behalf="T/M Chi bộ"),
    )
    keep_with_previous(story, signature)
    return story


def year_book_pdf(data: YearBook, header: DocHeader, *, secretary: str) -> bytes:
    return build_pdf(
        year_book_story(data, header, secretary=secretary),
        title=f"Sổ theo dõi thu, nộp đảng phí năm {data.year}",
        subject=header.branch,
        landscape=True,
    )


# --- receipts ---------------------------------------------------------------------------------


def _receipt_block(receipt: Receipt, header: DocHeader) -> Flowable:
    styles = make_styles()
    width = frame_width()
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
    parts.append(Spacer(1, 4 * mm))
    parts.append(
        signature_block(
            styles,
            width=width,
            left=Signer("Người nộp", receipt.full_name),
            right=Signer(
                COLLECTOR, receipt.collected_by if "Dòng lệnh" not in receipt.collected_by else ""
            ),
        )
    )
    return KeepTogether(parts)


def receipts_pdf(receipts: Sequence[Receipt], header: DocHeader) -> bytes:
    """Each receipt on its own half page (two to a sheet, to cut)."""
    story: list[Flowable] = []
    for index, receipt in enumerate(receipts):
        if index:
            story.append(CondPageBreak(120 * mm))
            story.append(Spacer(1, 8 * mm))
        story.append(_receipt_block(receipt, header))
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
    figures: PeriodFigures, header: DocHeader, *, secretary: str
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


def period_report_pdf(figures: PeriodFigures, header: DocHeader, *, secretary: str) -> bytes:
    return build_pdf(
        period_report_story(figures, header, secretary=secretary),
        title=f"Báo cáo thu, nộp đảng phí {figures.period.label}",
        subject=header.branch,
    )


# --- a member's own page, large print ---------------------------------------------------------


def member_page_pdf(page: MemberPage, header: DocHeader) -> bytes:
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
            "not_set": "",
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


def today_header(committee: str, branch: str, place: str, on: dt.date | None = None) -> DocHeader:
    return DocHeader(committee=committee, branch=branch, place=place, date=on or dt.date.today())


# --- writing files (the CLI and the window call these) ------------------------------------


def _branch_header(book: Book, on: dt.date | None = None) -> tuple[DocHeader, str]:
    info = book.branch()
    header = DocHeader(
        committee=info.committee,
        branch=info.name,
        place=info.place_name,
        date=on or dt.date.today(),
    )
    return header, info.secretary_name


def _kind(path: Path, *, xlsx: bool = True) -> str:
    suffix = path.suffix.lower()
    allowed = (".pdf", ".xlsx") if xlsx else (".pdf",)
    if suffix not in allowed:
        raise ValidationError(
            "Tệp ra phải có đuôi " + (".pdf hoặc .xlsx." if xlsx else ".pdf."), field="output"
        )
    return suffix[1:]


def _write(path: Path, data: bytes) -> Path:
    try:
        return write_pdf(path, data)
    except OSError as exc:
        raise KnownError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc


def write_year_book(book: Book, *, year: int, path: Path) -> Path:
    """The yearly book as .pdf or .xlsx (by the file's extension)."""
    kind = _kind(path)
    data = dues.year_book(book, year=year)
    header, secretary = _branch_header(book)
    if kind == "xlsx":
        raw = dues_xlsx.year_book_xlsx_bytes(data, committee=header.committee, branch=header.branch)
        return dues_xlsx.write_xlsx(raw, path)
    return _write(path, year_book_pdf(data, header, secretary=secretary))


def write_period_report(book: Book, *, period: str, path: Path) -> Path:
    kind = _kind(path)
    figures = dues.period_report(book, period=period)
    header, secretary = _branch_header(book)
    if kind == "xlsx":
        raw = dues_xlsx.period_report_xlsx_bytes(
            figures, committee=header.committee, branch=header.branch
        )
        return dues_xlsx.write_xlsx(raw, path)
    return _write(path, period_report_pdf(figures, header, secretary=secretary))


def write_receipts(
    book: Book,
    *,
    path: Path,
    member: str | None = None,
    year: int | None = None,
    number: int | None = None,
) -> tuple[Path, int]:
    _kind(path, xlsx=False)
    found = dues.receipts(book, member=member, year=year, number=number)
    if not found:
        raise ValidationError("Không có khoản đóng bằng tiền mặt nào để in biên lai.")
    header, _secretary = _branch_header(book)
    return _write(path, receipts_pdf(found, header)), len(found)


def write_member_page(book: Book, *, member: str, year: int, path: Path) -> Path:
    _kind(path, xlsx=False)
    page = dues.member_page(book, member=member, year=year)
    header, _secretary = _branch_header(book)
    return _write(path, member_page_pdf(page, header))

"""The dues book and the period report as Excel workbooks (.xlsx): amounts as numbers
(đồng, formatted #,##0) so the secretary can add them up again in Excel."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.dues_legend import year_book_legend
from app.exporters import write_workbook
from app.services.dues import PeriodFigures, YearBook, month_label
from app.services.dues.rules import CONFIGURABLE

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MONEY = "#,##0"


def _title(ws: Worksheet, committee: str, branch: str, title: str, note: str) -> None:
    ws.append([committee.upper()])
    ws.append([branch.upper()])
    ws.append([])
    ws.append([title])
    ws.append([note])
    ws.append([])
    ws.cell(row=2, column=1).font = Font(bold=True)
    ws.cell(row=4, column=1).font = Font(bold=True, size=14)
    ws.cell(row=5, column=1).font = Font(italic=True)


def _head(ws: Worksheet, columns: list[str]) -> int:
    ws.append(columns)
    row = ws.max_row
    for col in range(1, len(columns) + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
    return row


def _box(ws: Worksheet, first: int, last: int, width: int, *, bold_last: bool = True) -> None:
    for row in range(first, last + 1):
        for col in range(1, width + 1):
            cell = ws.cell(row=row, column=col)
            cell.border = _BOX
            if isinstance(cell.value, int):
                cell.number_format = _MONEY
            if bold_last and row == last:
                cell.font = Font(bold=True)


def year_book_xlsx_bytes(data: YearBook, *, committee: str, branch: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"Đảng phí {data.year}"
    _title(
        ws,
        committee,
        branch,
        f"SỔ THEO DÕI THU, NỘP ĐẢNG PHÍ NĂM {data.year}",
        # The printed book's legend, word for word (app/dues_legend.py).
        year_book_legend(c.mark for r in data.rows for c in r.cells),
    )
    columns = ["STT", "Họ và tên", *(f"Tháng {i}" for i in range(1, 13)), "Đã đóng", "Phải đóng"]
    header_row = _head(ws, columns)
    for r in data.rows:
        # Amounts as numbers; every other cell as the printed book marks it ("—" for a
        # month not tracked, before the member's first rate).
        cells: list[object] = [c.paid if c.state == "paid" else c.mark for c in r.cells]
        ws.append([r.index, r.full_name, *cells, r.total_paid, r.total_due])
    ws.append(
        ["", "Cộng", *(data.month_paid(i) for i in range(12)), data.total_paid, data.total_due]
    )
    _box(ws, header_row + 1, ws.max_row, len(columns))
    for i, width in enumerate([6, 28, *([10] * 12), 12, 12], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def period_report_xlsx_bytes(figures: PeriodFigures, *, committee: str, branch: str) -> bytes:
    f = figures
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Thu nộp đảng phí"
    _title(
        ws,
        committee,
        branch,
        f"BÁO CÁO THU, NỘP ĐẢNG PHÍ {f.period.label.upper()}",
        f"Số đảng viên cuối kỳ: {f.members_at_end}; đã đóng trong kỳ: {f.paying_members}. "
        f"Tỷ lệ chi bộ giữ lại {f.retain_percent}% {CONFIGURABLE}.",
    )
    header_row = _head(ws, ["TT", "Nội dung", "Số tiền (đồng)"])
    rows: list[tuple[str, str, int]] = [
        ("1", "Tổng số đảng phí thu được trong kỳ", f.collected),
        ("", "- Thu bằng tiền mặt", f.collected_cash),
        ("", "- Đóng qua Cổng DVCQG, chuyển khoản", f.collected_online),
        ("2", f"Chi bộ được giữ lại ({f.retain_percent}%)", f.retained),
        ("3", "Số phải nộp lên cấp trên", f.to_remit),
        ("4", "Số đã nộp lên cấp trên", f.remitted),
        ("5", "Số còn phải nộp", f.outstanding),
    ]
    for row in rows:
        ws.append(list(row))
    _box(ws, header_row + 1, ws.max_row, 3, bold_last=False)
    ws.append([])
    month_head = _head(ws, ["Tháng", "Tiền mặt", "DVCQG, chuyển khoản", "Cộng"])
    for month, cash, online in f.by_month:
        ws.append([month_label(month), cash, online, cash + online])
    ws.append(["Cộng", f.collected_cash, f.collected_online, f.collected])
    _box(ws, month_head + 1, ws.max_row, 4)
    for i, width in enumerate([10, 44, 20, 14], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_xlsx(data: bytes, path: Path) -> Path:
    """Write the workbook atomically, owner-only."""
    return write_workbook(data, path)

"""The study campaign's results as an Excel workbook (.xlsx), one row per member, with totals."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.exporters import write_workbook
from app.services.study import StudyReport

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = (6, 30, 12, 16, 12, 8, 30)


def study_xlsx_bytes(report: StudyReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kết quả học tập"
    c = report.campaign
    ws.append([report.committee.upper()])
    ws.append([report.branch_name.upper()])
    ws.append([])
    ws.append([f"KẾT QUẢ HỌC TẬP: {c.title}"])
    info = [line for line in (c.resolutions.replace("\n", "; "), c.period_label) if line]
    ws.append([" — ".join(info)])
    ws.append([])
    for row in (1, 2):
        ws.cell(row=row, column=1).font = Font(bold=row == 2)
    ws.cell(row=4, column=1).font = Font(bold=True, size=14)
    ws.cell(row=5, column=1).font = Font(italic=True)
    header_row = ws.max_row + 1
    ws.append(list(report.COLUMNS))
    for col in range(1, len(report.COLUMNS) + 1):
        cell = ws.cell(row=header_row, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BOX
    for r in report.rows:
        ws.append(
            [
                r.index,
                r.full_name,
                "x" if r.attended else "",
                "x" if r.submitted else "",
                r.grade,
                r.score,
                r.notes,
            ]
        )
        if r.submitted_on is not None:
            ws.cell(row=ws.max_row, column=4).value = f"x ({r.submitted_on:%d/%m/%Y})"
    p = report.progress
    ws.append(["", "Cộng", p.attended, p.submitted, p.graded, None, ""])
    last = ws.max_row
    for row in range(header_row + 1, last + 1):
        for col in range(1, len(report.COLUMNS) + 1):
            cell = ws.cell(row=row, column=col)
            cell.border = _BOX
            if col in (1, 3, 4, 5, 6):
                cell.alignment = Alignment(horizontal="center")
            if row == last:
                cell.font = Font(bold=True)
    ws.append([])
    for line in report.summary_lines():
        ws.append([line])
    ws.append([])
    ws.append([f"Lập ngày {report.made_on:%d/%m/%Y}"])
    for i, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_study_xlsx(report: StudyReport, path: Path) -> Path:
    """Write the workbook atomically, owner-only."""
    return write_workbook(study_xlsx_bytes(report), path)

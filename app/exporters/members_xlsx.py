"""The register as an .xlsx workbook that Excel opens and the importer reads back unchanged.

Dates are real date cells (shown dd/mm/yyyy); ID, card and phone numbers are text cells so
Excel keeps their leading zeros.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KnownError
from app.services import members
from app.services.members import MemberView

if TYPE_CHECKING:
    from app.book import Book

COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Họ và tên", 28),
    ("Ngày sinh", 13),
    ("Giới tính", 9),
    ("Ngày vào Đảng", 14),
    ("Ngày quyết định kết nạp", 14),
    ("Ngày chính thức", 14),
    ("Tuổi đảng", 9),
    ("Số thẻ đảng viên", 16),
    ("Số định danh cá nhân", 18),
    ("Số điện thoại", 14),
    ("Chi bộ", 20),
    ("Trạng thái", 18),
    ("Chức vụ", 16),
    ("Địa chỉ", 28),
    ("Có điện thoại thông minh", 12),
    ("Tài khoản Sổ tay đảng viên", 16),
    ("Cần hỗ trợ", 10),
    ("Bệnh hiểm nghèo", 10),
    ("Ngày từ trần", 13),
    ("Ngày chuyển đi / xóa tên", 14),
    ("Nơi chuyển đến", 28),
    ("Ghi chú", 30),
)
# Card, ID and phone numbers: text cells, so Excel keeps their leading zeros.
TEXT_COLUMNS = frozenset({"Số thẻ đảng viên", "Số định danh cá nhân", "Số điện thoại"})
DATE_FORMAT = "dd/mm/yyyy"


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def member_values(m: MemberView, index: int, today: dt.date) -> list[Any]:
    return [
        index,
        m.full_name,
        m.birth_date,
        members.gender_label(m.gender),
        m.admission_date,
        m.admission_decision_date,
        m.official_date,
        m.party_years(today),
        m.card_number or "",
        m.personal_id or "",
        m.phone or "",
        m.branch_label,
        m.status_label,
        m.position,
        m.address,
        _yes_no(m.has_smartphone),
        m.app_account_label,
        _yes_no(m.needs_support),
        _yes_no(m.serious_illness),
        m.death_date,
        m.left_date,
        m.left_to,
        m.notes,
    ]


def write_members_xlsx(
    path: Path,
    rows: Sequence[MemberView],
    *,
    branch_name: str,
    committee: str,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the list; the file appears whole or not at all."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    today = today or dt.date.today()
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách đảng viên")
    for col, (_title, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "C7"
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def styled(value: Any, *, font: Font | None = None, fmt: str | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        if fmt is not None:
            cell.number_format = fmt
        return cell

    ws.append([styled(committee.upper(), font=bold)])
    ws.append([styled(branch_name.upper(), font=bold)])
    ws.append([styled(f"DANH SÁCH ĐẢNG VIÊN {branch_name.upper()}", font=title_font)])
    ws.append([styled(f"(Tính đến ngày {today:%d/%m/%Y}; tổng số {len(rows)} đồng chí)")])
    ws.append([])
    header = []
    for title, _width in COLUMNS:
        cell = styled(title, font=bold)
        cell.alignment = centre
        header.append(cell)
    ws.append(header)
    text_columns = {i for i, (title, _w) in enumerate(COLUMNS) if title in TEXT_COLUMNS}
    total = len(rows)
    for index, member in enumerate(rows, start=1):
        out: list[Any] = []
        for col, value in enumerate(member_values(member, index, today)):
            if isinstance(value, dt.date):
                out.append(styled(value, fmt=DATE_FORMAT))
            elif col in text_columns:
                out.append(styled(value, fmt="@"))
            else:
                out.append(value)
        ws.append(out)
        if progress is not None and (index % 500 == 0 or index == total):
            progress(index, total)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".sotay-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise KnownError(
            f"Không ghi được tệp {path.name}: {exc.strerror or exc}. Nếu tệp đang mở trong "
            "Excel, hãy đóng lại rồi thử lần nữa."
        ) from exc
    return path


def export_members(
    book: Book,
    path: Path,
    *,
    status: str | Sequence[str] | None = None,
    search: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Export the live members (Vietnamese name order) to `path`; returns how many."""
    rows = members.list_members(book, status=status, search=search)
    info = book.branch()
    write_members_xlsx(
        path, rows, branch_name=info.name, committee=info.committee, progress=progress
    )
    return len(rows)

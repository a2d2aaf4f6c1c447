"""Real document files for the tests: PDFs made with reportlab, DOCX with python-docx.

Imported by the document tests (tests/app/test_documents*.py, tests/ui/test_documents*.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "data" / "documents"

PARTY_PLAN = [
    "ĐẢNG BỘ PHƯỜNG QUY NHƠN",
    "CHI BỘ KHU PHỐ 3",
    "Số 05-KH/CB",
    "Quy Nhơn, ngày 05 tháng 11 năm 2025",
    "",
    "KẾ HOẠCH",
    "học tập, quán triệt Quy định số 339-QĐ/TW của Ban Bí thư",
    "",
    "Thực hiện Kế hoạch số 18-KH/ĐU ngày 20/9/2025 của Ban Thường vụ Đảng ủy phường về triển khai",
    "ứng dụng Sổ tay đảng viên điện tử, chi bộ xây dựng kế hoạch như sau:",
    "1. Mọi đảng viên tham gia học tập đầy đủ; đảng viên cao tuổi được hỗ trợ.",
    "2. Hoàn thành việc cài đặt ứng dụng cho đảng viên trước ngày 30/11/2025.",
]


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def make_pdf(pages: Sequence[Sequence[str]], *, encrypt_with: str | None = None) -> bytes:
    """A PDF with real text (Liberation Serif, Vietnamese), one list of lines per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from reports.fonts import SERIF, ensure_fonts

    ensure_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for lines in pages:
        y = 800.0
        canvas.setFont(SERIF, 12)
        for line in lines:
            canvas.drawString(60, y, line)
            y -= 17
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if encrypt_with is not None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(
            user_password=encrypt_with, owner_password=encrypt_with + "-chu", algorithm="AES-128"
        )
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


def make_scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are only pictures (what a scanner makes): no text at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    picture = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(picture)
    for y in range(40, 520, 24):
        draw.line((30, y, 370, y), fill=40, width=6)  # lines of "print"
    image = ImageReader(picture)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        canvas.drawImage(image, 40, 60, width=515, height=720)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def make_docx(paragraphs: Sequence[str], *, header_table: tuple[str, str] | None = None) -> bytes:
    """A Word file; `header_table` puts the issuer (left) and party name (right) in a table,
    as Party documents are usually laid out."""
    import docx

    document = docx.Document()
    if header_table is not None:
        table = document.add_table(rows=1, cols=2)
        left, right = header_table
        table.cell(0, 0).text = left
        table.cell(0, 1).text = right
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path

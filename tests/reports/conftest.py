"""Shared data and PDF readers for the reports tests.

Test modules must not import this file (another tests/ folder may own the name
"conftest" at run time); they take fixtures, and import `Pdf` for typing only.

Tests read the PDF the way a user would see it: text extracted with pypdf, NFC-normalised,
and (for phrases that may wrap) with runs of white space collapsed to one space.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from pypdf import PdfReader

from reports.layout import DocHeader

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class TextRun:
    """A piece of text as drawn: page index, position in points and font size."""

    page: int
    text: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Pdf:
    reader: PdfReader
    pages: list[str]  # NFC text of each page, line breaks kept

    @property
    def flat_pages(self) -> list[str]:
        """Each page with white space collapsed, so wrapped phrases match."""
        return [flatten(page) for page in self.pages]

    @property
    def text(self) -> str:
        """The whole document, white space collapsed."""
        return " ".join(self.flat_pages)

    def lines(self, page: int) -> list[str]:
        return [line.strip() for line in self.pages[page].splitlines() if line.strip()]

    def runs(self) -> list[TextRun]:
        found: list[TextRun] = []
        for index, page in enumerate(self.reader.pages):

            def visit(
                text: str,
                cm: list[float],
                tm: list[float],
                _font: object,
                size: float,
                index: int = index,
            ) -> None:
                if text.strip():
                    found.append(
                        TextRun(
                            page=index,
                            text=unicodedata.normalize("NFC", text.strip()),
                            x=cm[4] + tm[4],
                            y=cm[5] + tm[5],
                            size=float(size),
                        )
                    )

            page.extract_text(visitor_text=visit)
        return found


def flatten(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def read_pdf(data: bytes) -> Pdf:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    pages = [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader.pages]
    return Pdf(reader=reader, pages=pages)


@pytest.fixture
def pdf() -> Callable[[bytes], Pdf]:
    """Read PDF bytes: `pdf(data).pages`, `.text`, `.lines(i)`, `.runs()`."""
    return read_pdf


@pytest.fixture
def header() -> DocHeader:
    return DocHeader(
        committee="Đảng bộ phường Quy Nhơn",
        branch="Chi bộ Khu phố 3",
        place="Quy Nhơn",
        date=date(2025, 11, 5),
        number="05-BB/CB",
    )


# Names as a residential branch has them, and one that tests markup escaping.
NAMES = [
    "Nguyễn Thị Hòa",
    "Đặng Văn Đức",
    "Trần Quốc Tuấn",
    "Phạm Thị Lan",
    "Lê Văn Tám",
    "Võ Thị Sáu",
    "Huỳnh Tấn Phát",
    "Ngô Bảo Châu",
    "Bùi Thị Xuân",
    "Đỗ Mười",
    "Hồ Thị Kỷ",
    "Dương Văn Minh",
    "Trịnh Công Sơn",
    "Lý Thường Kiệt",
    "Châu Văn Liêm",
    "Mạc Thị Bưởi",
    "Quang Trung",
    "Tạ Quang Bửu",
    "Vũ Trọng Phụng",
    "Trương Định",
]
TRICKY_NAME = "Trần Văn <An> & Co"


@pytest.fixture
def tricky_name() -> str:
    return TRICKY_NAME


@pytest.fixture
def names() -> list[str]:
    """40 member names (20 distinct, twice), the tricky one among them."""
    return [*NAMES, *NAMES[:-1], TRICKY_NAME]

"""Reading a member spreadsheet (.xlsx or .csv) into plain rows, with clear refusals.

The file's content decides how it is read, not its extension: a zip with an Excel workbook
is read with openpyxl (read-only, cached formula values); a Compound File is either a
password-protected workbook or an old .xls; text is read as CSV with its encoding sniffed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import KnownError
from app.importers.cells import EXCEL_EPOCH_1900, cell_text

MAX_DATA_ROWS = 50_000
MAX_TITLE_ROWS = 40  # rows allowed above the header, on top of MAX_DATA_ROWS
MAX_CSV_BYTES = 60 * 1024 * 1024
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Progress = Callable[[int, int], None]


class ImportFileError(KnownError):
    """The file cannot be read as a member list; the message says why and what to do."""

    exit_code = 2


@dataclass(frozen=True)
class CellRange:
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    def contains(self, row: int, col: int) -> bool:
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col


@dataclass
class SourceTable:
    """The non-empty rows of one sheet: (sheet row number, values), 1-based row numbers."""

    path: Path
    kind: str  # "xlsx" | "csv"
    sheet: str
    sheet_names: tuple[str, ...]
    rows: list[tuple[int, tuple[Any, ...]]]
    width: int
    merged: tuple[CellRange, ...] = ()
    formula_no_value: frozenset[tuple[int, int]] = frozenset()  # (row, col), col 1-based
    formula_count: int = 0
    epoch: dt.datetime = EXCEL_EPOCH_1900
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def _too_many_rows(name: str) -> ImportFileError:
    return ImportFileError(
        f"Tệp “{name}” có hơn {MAX_DATA_ROWS:,} dòng dữ liệu".replace(",", ".")
        + "; danh sách đảng viên của một chi bộ không lớn như vậy. Hãy kiểm tra lại đúng tệp, "
        "hoặc xóa các dòng thừa ở cuối trang tính rồi nhập lại."
    )


def read_table(
    path: Path,
    *,
    sheet: str | None = None,
    choose_sheet: Callable[[list[tuple[str, list[tuple[int, tuple[Any, ...]]]]]], str]
    | None = None,
    progress: Progress | None = None,
) -> SourceTable:
    """Read the sheet holding the member list.

    Without `sheet`, `choose_sheet` gets each sheet's first rows and returns the name of the
    one to read (the importer picks the sheet whose header it recognises best).
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"Không tìm thấy tệp {path}.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ImportFileError(f"Không mở được tệp {path.name}: {exc.strerror or exc}.") from exc
    if not head:
        raise ImportFileError(f"Tệp “{path.name}” trống (0 byte).")
    if head.startswith(CFB_MAGIC):
        raise _compound_file_error(path)
    if head.startswith(b"PK"):
        return _read_xlsx(path, sheet=sheet, choose_sheet=choose_sheet, progress=progress)
    if head.startswith(b"%PDF"):
        raise ImportFileError(
            f"Tệp “{path.name}” là tệp PDF, không phải bảng tính. Hãy chọn tệp Excel (.xlsx) "
            "hoặc CSV chứa danh sách đảng viên."
        )
    return _read_csv(path, progress=progress)


# -- refusals ------------------------------------------------------------------------------


def _compound_file_error(path: Path) -> ImportFileError:
    """A Compound File: an encrypted (password-protected) OOXML workbook or an old .xls."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportFileError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.")
    if "EncryptedPackage".encode("utf-16-le") in data:
        return ImportFileError(
            f"Tệp “{path.name}” được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, "
            "gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa "
            "mật khẩu), lưu lại rồi nhập."
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return ImportFileError(
            f"Tệp “{path.name}” là dạng Excel 97-2003 (.xls) cũ. Hãy mở bằng Excel và chọn "
            "Lưu thành → Sổ làm việc Excel (.xlsx), rồi nhập tệp .xlsx đó."
        )
    return ImportFileError(
        f"Tệp “{path.name}” là tài liệu Office cũ, không phải bảng tính Excel. Hãy chọn tệp "
        ".xlsx hoặc .csv."
    )


def _not_a_workbook(path: Path, names: set[str]) -> ImportFileError:
    if "word/document.xml" in names:
        what = "tài liệu Word"
    elif "ppt/presentation.xml" in names:
        what = "bài trình chiếu PowerPoint"
    elif "content.xml" in names:
        what = "tệp OpenDocument (LibreOffice)"
    else:
        what = "tệp nén (zip)"
    hint = (
        " Hãy mở bằng LibreOffice và lưu dạng .xlsx."
        if what.startswith("tệp OpenDocument")
        else " Hãy chọn tệp Excel (.xlsx) hoặc CSV chứa danh sách đảng viên."
    )
    return ImportFileError(f"Tệp “{path.name}” là {what}, không phải bảng tính Excel.{hint}")


# -- xlsx -----------------------------------------------------------------------------------


def _read_xlsx(
    path: Path,
    *,
    sheet: str | None,
    choose_sheet: Callable[[list[tuple[str, list[tuple[int, tuple[Any, ...]]]]]], str] | None,
    progress: Progress | None,
) -> SourceTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            f"Tệp “{path.name}” bị hỏng hoặc không phải bảng tính Excel (.xlsx)."
        ) from exc
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise _not_a_workbook(path, names)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(
            f"Tệp “{path.name}” bị hỏng, Excel không lưu trọn vẹn; hãy mở bằng Excel, lưu lại "
            "rồi nhập."
        ) from exc
    except Exception as exc:  # XML parse errors come in several types from lxml/ElementTree
        if type(exc).__name__ in ("XMLSyntaxError", "ParseError"):
            raise ImportFileError(
                f"Tệp “{path.name}” bị hỏng (nội dung XML không đọc được); hãy mở bằng Excel, "
                "lưu lại rồi nhập."
            ) from exc
        raise
    try:
        worksheets = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows")]
        sheet_names = tuple(ws.title for ws in worksheets)
        if not worksheets:
            raise ImportFileError(f"Tệp “{path.name}” không có trang tính nào.")
        if sheet is not None:
            matches = [ws for ws in worksheets if ws.title == sheet]
            if not matches:
                raise ImportFileError(
                    f"Không có trang tính “{sheet}” trong tệp; các trang có: "
                    + ", ".join(f"“{n}”" for n in sheet_names)
                    + "."
                )
            ws = matches[0]
        elif len(worksheets) == 1 or choose_sheet is None:
            ws = worksheets[0]
        else:
            samples = []
            for candidate in worksheets:
                candidate.reset_dimensions()
                samples.append((candidate.title, _first_rows(candidate, MAX_TITLE_ROWS)))
            chosen = choose_sheet(samples)
            ws = next(w for w in worksheets if w.title == chosen)
        estimate = int(ws.max_row or 0)
        ws.reset_dimensions()  # a wrong <dimension> must not cut the sheet short
        rows: list[tuple[int, tuple[Any, ...]]] = []
        width = 0
        limit = MAX_DATA_ROWS + MAX_TITLE_ROWS
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if progress is not None and number % 500 == 0:
                progress(number, max(estimate, number))
            last = _last_filled(values)
            if not last:
                continue
            rows.append((number, tuple(values[:last])))
            width = max(width, last)
            if len(rows) > limit:
                raise _too_many_rows(path.name)
        epoch = wb.epoch if isinstance(wb.epoch, dt.datetime) else EXCEL_EPOCH_1900
        worksheet_path = getattr(ws, "_worksheet_path", None)
        title = ws.title
    finally:
        wb.close()
    merged, formula_cells, formula_count = _scan_sheet_xml(path, worksheet_path)
    table = SourceTable(
        path=path,
        kind="xlsx",
        sheet=title,
        sheet_names=sheet_names,
        rows=[(n, _pad(v, width)) for n, v in rows],
        width=width,
        merged=merged,
        formula_no_value=formula_cells,
        formula_count=formula_count,
        epoch=epoch,
    )
    if progress is not None:
        progress(max(estimate, 1), max(estimate, 1))
    return table


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip()) and cell_text(value) != ""
    return True


def _last_filled(values: tuple[Any, ...] | None) -> int:
    """1 + the index of the last non-empty cell; 0 for an empty row."""
    if not values:
        return 0
    for i in range(len(values) - 1, -1, -1):
        if _filled(values[i]):
            return i + 1
    return 0


def _first_rows(ws: Any, count: int) -> list[tuple[int, tuple[Any, ...]]]:
    out: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if values and any(cell_text(v) for v in values):
            out.append((number, tuple(values)))
        if number >= count:
            break
    return out


def _pad(values: tuple[Any, ...], width: int) -> tuple[Any, ...]:
    return values + (None,) * (width - len(values)) if len(values) < width else values[:width]


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")
_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)",
    re.DOTALL,
)
_REF = re.compile(rb"\br=\"([A-Z]+)(\d+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*>[^<]")


def _col_index(letters: bytes) -> int:
    index = 0
    for ch in letters.decode("ascii"):
        index = index * 26 + (ord(ch) - 64)
    return index


def _scan_sheet_xml(
    path: Path, worksheet_path: str | None
) -> tuple[tuple[CellRange, ...], frozenset[tuple[int, int]], int]:
    """Merged ranges, and formula cells without a cached value, from the sheet's XML.

    openpyxl's read-only mode exposes neither; the merge list sits after the cell data, so
    the part is read whole (a few MB for thousands of rows).
    """
    if not worksheet_path:
        return (), frozenset(), 0
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read(worksheet_path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return (), frozenset(), 0
    merged = tuple(
        CellRange(int(m[2]), _col_index(m[1]), int(m[4]), _col_index(m[3]))
        for m in _MERGE.finditer(data)
    )
    if not _FORMULA.search(data):
        return merged, frozenset(), 0
    missing: set[tuple[int, int]] = set()
    count = 0
    for m in _CELL.finditer(data):
        inner = m[2] or b""
        if not _FORMULA.search(inner):
            continue
        count += 1
        ref = _REF.search(m[1])
        if ref and not _VALUE.search(inner):
            missing.add((int(ref[2]), _col_index(ref[1])))
    return merged, frozenset(missing), count


# -- csv -------------------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    sample = raw[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a byte-order mark: every other byte is zero for Latin text.
        even_zeros = sample[1::2].count(b"\x00")
        encoding = "utf-16-le" if even_zeros > len(sample) // 4 else "utf-16-be"
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    elif b"\x00" in sample:
        raise ImportFileError(
            f"Tệp “{name}” không phải bảng tính (không phải .xlsx, cũng không phải văn bản CSV)."
        )
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1258"), "cp1258"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"Không nhận ra bảng mã chữ của tệp “{name}”. Hãy mở bằng Excel và lưu lại dạng "
            "“CSV UTF-8 (Comma delimited)”, hoặc dạng .xlsx."
        ) from exc


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (",", ";", "\t", "|"):
        counts = [len(next(csv.reader([line], delimiter=delimiter))) - 1 for line in lines]
        if not counts:
            continue
        multi = [c for c in counts if c > 0]
        score = len(multi) * 10 + (max(multi) if multi else 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, *, progress: Progress | None) -> SourceTable:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise _too_many_rows(path.name)
    raw = path.read_bytes()
    text, encoding = _decode(raw, path.name)
    if "\x00" in text:
        raise ImportFileError(f"Tệp “{path.name}” không phải bảng tính hay văn bản CSV.")
    delimiter = _sniff_delimiter(text)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    width = 0
    reader: Iterator[list[str]] = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if not any(v.strip() for v in values):
                continue
            cells = tuple(v if v.strip() else None for v in values)
            last = max(i for i, v in enumerate(cells) if v is not None) + 1
            rows.append((number, cells[:last]))
            width = max(width, last)
            if len(rows) > MAX_DATA_ROWS + MAX_TITLE_ROWS:
                raise _too_many_rows(path.name)
            if progress is not None and number % 1000 == 0:
                progress(number, number)
    except csv.Error as exc:
        raise ImportFileError(f"Tệp CSV “{path.name}” bị lỗi định dạng: {exc}.") from exc
    table = SourceTable(
        path=path,
        kind="csv",
        sheet=path.stem,
        sheet_names=(path.stem,),
        rows=[(n, _pad(v, width)) for n, v in rows],
        width=width,
        encoding=encoding,
    )
    if encoding == "cp1258":
        table.notes.append("Tệp CSV dùng bảng mã Windows-1258; đã chuyển sang Unicode.")
    return table

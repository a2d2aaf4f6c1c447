"""Reading a member spreadsheet (.xlsx, .xls, .ods or .csv) into plain rows, with clear refusals.

The file's content decides how it is read, not its extension: a zip with an Excel workbook
is read with openpyxl (read-only, cached formula values), a zip with an OpenDocument
spreadsheet by streaming its content.xml; a Compound File is either a password-protected
workbook or an old .xls (xlrd); text is read as CSV with its encoding sniffed.

Every reader is bounded before it parses: zip members by their uncompressed size and
compression ratio, sheets by rows, columns and cells, so no file takes more than a few
hundred MB of memory. Text typed with the old TCVN3 or VNI fonts is converted cell by cell
(app.text_legacy) and each converted row is marked.
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

from app import text_legacy
from app.errors import KnownError
from app.importers.cells import EXCEL_EPOCH_1900, cell_text

MAX_DATA_ROWS = 50_000
MAX_TITLE_ROWS = 40  # rows allowed above the header, on top of MAX_DATA_ROWS
MAX_CSV_BYTES = 60 * 1024 * 1024
MAX_XLS_BYTES = 30 * 1024 * 1024  # .xls is not compressed: its size bounds xlrd's memory
MAX_COLUMNS = 256  # a member list has a few dozen columns; cells beyond are left out
MAX_CELLS = 1_000_000  # cells kept from one sheet (50,000 rows of 20 columns)
# Zip containers (xlsx, ods): checked before any parsing.
MAX_PART_BYTES = 64 * 1024 * 1024  # one sheet's XML, uncompressed
MAX_STRINGS_BYTES = 40 * 1024 * 1024  # xl/sharedStrings.xml is held whole by openpyxl
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_RATIO = 200  # uncompressed / compressed, for parts over 1 MB
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
    # Rows whose cells were converted from TCVN3/VNI: row number → (encoding, cells).
    legacy_rows: dict[int, tuple[str, int]] = field(default_factory=dict)


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
        table = _read_compound(path, sheet=sheet, choose_sheet=choose_sheet)
    elif head.startswith(b"PK"):
        table = _read_zip(path, sheet=sheet, choose_sheet=choose_sheet, progress=progress)
    elif head.startswith(b"%PDF"):
        raise ImportFileError(
            f"Tệp “{path.name}” là tệp PDF, không phải bảng tính. Hãy chọn tệp Excel (.xlsx) "
            "hoặc CSV chứa danh sách đảng viên."
        )
    else:
        table = _read_csv(path, progress=progress)
    _convert_legacy(table)
    return table


def _read_zip(
    path: Path,
    *,
    sheet: str | None,
    choose_sheet: Callable[[list[tuple[str, list[tuple[int, tuple[Any, ...]]]]]], str] | None,
    progress: Progress | None,
) -> SourceTable:
    names = check_zip(path)
    if "content.xml" in names and "xl/workbook.xml" not in names:
        from app.importers.ods_reader import read_ods

        try:
            with zipfile.ZipFile(path) as zf:
                mimetype = zf.read("mimetype") if "mimetype" in names else b""
        except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError…
            raise _damaged(path.name, "OpenDocument (.ods)") from exc
        if b"spreadsheet" in mimetype:
            return _table_from_sheets(
                path, "ods", read_ods(path, _damaged), sheet=sheet, choose_sheet=choose_sheet
            )
    return _read_xlsx(path, sheet=sheet, choose_sheet=choose_sheet, progress=progress)


# -- limits -----------------------------------------------------------------------------------


def _mb(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB".replace(".", ",")
    return f"{size / (1024 * 1024):,.0f} MB".replace(",", ".")


def _damaged(name: str, what: str) -> ImportFileError:
    return ImportFileError(
        f"Tệp “{name}” bị hỏng, không đọc được dạng {what}; hãy mở tệp bằng Excel hoặc "
        "LibreOffice, lưu lại dạng .xlsx rồi nhập lại."
    )


def _bomb(name: str, part: str, size: int) -> ImportFileError:
    return ImportFileError(
        f"Tệp “{name}” chứa phần “{part}” khi giải nén lên tới {_mb(size)}, quá lớn so với "
        "một bảng tính thông thường (có thể tệp bị hỏng hoặc cố ý làm hại); chương trình không "
        "mở tệp này, hãy xin lại tệp gốc hoặc chép danh sách sang một tệp Excel mới."
    )


def check_zip(path: Path) -> set[str]:
    """The member names of a zip container, after refusing one that would inflate too far."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError…
        raise ImportFileError(
            f"Tệp “{path.name}” bị hỏng hoặc không phải bảng tính Excel (.xlsx)."
        ) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _bomb(path.name, f"{len(infos)} tệp con", 0)
    total = 0
    for info in infos:
        total += info.file_size
        limit = MAX_STRINGS_BYTES if info.filename.endswith("sharedStrings.xml") else MAX_PART_BYTES
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limit or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise _bomb(path.name, info.filename, info.file_size)
    if total > MAX_ZIP_TOTAL_BYTES:
        raise _bomb(path.name, "toàn bộ nội dung", total)
    return {info.filename for info in infos}


def _too_many_cells(name: str) -> ImportFileError:
    return ImportFileError(
        f"Trang tính trong tệp “{name}” có hơn {MAX_CELLS:,} ô có dữ liệu".replace(",", ".")
        + "; danh sách đảng viên của một chi bộ không lớn như vậy. Hãy xóa các cột, dòng thừa "
        "hoặc chép danh sách sang một tệp mới rồi nhập."
    )


def _wide_note(width: int) -> str:
    return (
        f"Trang tính có dữ liệu tới cột thứ {width}; chỉ đọc {MAX_COLUMNS} cột đầu, các cột "
        "sau bị bỏ qua."
    )


# -- legacy Vietnamese encodings ----------------------------------------------------------


def _convert_legacy(table: SourceTable) -> None:
    """Cells typed with TCVN3/VNI fonts → Unicode, deciding on the whole file first."""
    texts = [v for _, values in table.rows for v in values if isinstance(v, str)]
    candidates = [t for t in texts if text_legacy.may_be_legacy(t)]
    if not candidates:
        return
    prefer = text_legacy.detect_encoding(candidates)
    legacy_file = text_legacy.is_legacy_file(texts, prefer)
    counts: dict[str, int] = {}
    for i, (number, values) in enumerate(table.rows):
        new_values = list(values)
        converted: dict[str, int] = {}
        for j, value in enumerate(values):
            if not isinstance(value, str):
                continue
            text, encoding = text_legacy.best_reading(value, prefer=prefer, legacy_file=legacy_file)
            if encoding is not None:
                new_values[j] = text
                converted[encoding] = converted.get(encoding, 0) + 1
        if converted:
            encoding = max(converted, key=lambda e: converted[e])
            table.rows[i] = (number, tuple(new_values))
            table.legacy_rows[number] = (encoding, sum(converted.values()))
            counts[encoding] = counts.get(encoding, 0) + sum(converted.values())
    for encoding, cells in counts.items():
        table.notes.append(
            f"Có {cells} ô gõ bằng bảng mã {text_legacy.ENCODING_LABELS[encoding]}; đã chuyển "
            "sang Unicode, hãy kiểm tra lại họ tên trong bảng xem trước."
        )


# -- refusals ------------------------------------------------------------------------------


def _read_compound(
    path: Path,
    *,
    sheet: str | None,
    choose_sheet: Callable[[list[tuple[str, list[tuple[int, tuple[Any, ...]]]]]], str] | None,
) -> SourceTable:
    """A Compound File: an encrypted (password-protected) OOXML workbook, an old .xls, or
    another old Office document."""
    if path.stat().st_size > MAX_XLS_BYTES:
        raise ImportFileError(
            f"Tệp “{path.name}” lớn hơn {_mb(MAX_XLS_BYTES)}, quá lớn so với một danh sách đảng "
            "viên; hãy mở bằng Excel, xóa phần thừa và lưu lại dạng .xlsx rồi nhập."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.") from exc
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise ImportFileError(
            f"Tệp “{path.name}” được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, "
            "gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa "
            "mật khẩu), lưu lại rồi nhập."
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        from app.importers.xls_reader import read_xls

        return _table_from_sheets(
            path, "xls", read_xls(path, data, _damaged), sheet=sheet, choose_sheet=choose_sheet
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise ImportFileError(
            f"Tệp “{path.name}” là tài liệu Word (.doc), không phải bảng tính; hãy chọn tệp "
            "Excel (.xls, .xlsx), LibreOffice (.ods) hoặc CSV chứa danh sách đảng viên."
        )
    raise ImportFileError(
        f"Tệp “{path.name}” là tài liệu Office cũ, không phải bảng tính Excel. Hãy chọn tệp "
        ".xlsx, .xls, .ods hoặc .csv."
    )


SheetRows = list[tuple[int, tuple[Any, ...]]]


def _table_from_sheets(
    path: Path,
    kind: str,
    sheets: list[tuple[str, SheetRows, dt.datetime]],
    *,
    sheet: str | None,
    choose_sheet: Callable[[list[tuple[str, list[tuple[int, tuple[Any, ...]]]]]], str] | None,
) -> SourceTable:
    """A table from sheets already read whole (xls, ods): each (name, non-empty rows, epoch)."""
    names = tuple(name for name, _, _ in sheets)
    if not sheets:
        raise ImportFileError(f"Tệp “{path.name}” không có trang tính nào.")
    if sheet is not None:
        if sheet not in names:
            raise ImportFileError(
                f"Không có trang tính “{sheet}” trong tệp; các trang có: "
                + ", ".join(f"“{n}”" for n in names)
                + "."
            )
        chosen = sheet
    elif len(sheets) == 1 or choose_sheet is None:
        chosen = names[0]
    else:
        chosen = choose_sheet([(n, rows[:MAX_TITLE_ROWS]) for n, rows, _ in sheets])
    title, rows, epoch = next(s for s in sheets if s[0] == chosen)
    width = max((len(v) for _, v in rows), default=0)
    notes = []
    if width > MAX_COLUMNS:
        notes.append(_wide_note(width))
        width = MAX_COLUMNS
    if len(rows) > MAX_DATA_ROWS + MAX_TITLE_ROWS:
        raise _too_many_rows(path.name)
    return SourceTable(
        path=path,
        kind=kind,
        sheet=title,
        sheet_names=names,
        rows=[(n, _pad(v, width)) for n, v in rows],
        width=width,
        epoch=epoch,
        notes=notes,
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

    names = check_zip(path)
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        raise _not_a_workbook(path, names)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # damaged parts surface as many types from openpyxl/lxml/zipfile
        raise _xlsx_damaged(path.name, exc) from exc
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
        cells = 0
        limit = MAX_DATA_ROWS + MAX_TITLE_ROWS
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if progress is not None and number % 500 == 0:
                progress(number, max(estimate, number))
            last = _last_filled(values)
            if not last:
                continue
            rows.append((number, tuple(values[: min(last, MAX_COLUMNS)])))
            width = max(width, last)
            cells += min(last, MAX_COLUMNS)
            if len(rows) > limit:
                raise _too_many_rows(path.name)
            if cells > MAX_CELLS:
                raise _too_many_cells(path.name)
        epoch = wb.epoch if isinstance(wb.epoch, dt.datetime) else EXCEL_EPOCH_1900
        worksheet_path = getattr(ws, "_worksheet_path", None)
        title = ws.title
    except KnownError:
        raise
    except Exception as exc:
        raise _xlsx_damaged(path.name, exc) from exc
    finally:
        wb.close()
    notes = []
    if width > MAX_COLUMNS:
        notes.append(_wide_note(width))
        width = MAX_COLUMNS
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
        notes=notes,
    )
    if progress is not None:
        progress(max(estimate, 1), max(estimate, 1))
    return table


def _xlsx_damaged(name: str, exc: Exception) -> ImportFileError:
    if isinstance(exc, MemoryError):
        return ImportFileError(
            f"Tệp “{name}” quá lớn để đọc; hãy chép danh sách sang một tệp Excel mới rồi nhập."
        )
    return ImportFileError(
        f"Tệp “{name}” bị hỏng, Excel không lưu trọn vẹn (nội dung không đọc được); hãy mở "
        "bằng Excel, lưu lại rồi nhập."
    )


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
    except Exception:  # a damaged part (zlib.error, bad CRC…): openpyxl already read it
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


def _save_as_utf8(name: str, what: str) -> ImportFileError:
    return ImportFileError(
        f"Tệp “{name}” {what}; hãy mở tệp bằng Excel, chọn Lưu thành → “CSV UTF-8 (Comma "
        "delimited)” (hoặc Sổ làm việc Excel .xlsx) rồi nhập lại."
    )


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """(text, encoding). TCVN3/VNI bytes come back as Windows-1252 glyphs with encoding
    "TCVN3"/"VNI": the cells are converted afterwards, row by row, with a note."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _save_as_utf8(name, "ghi là UTF-8 nhưng có đoạn hỏng, không đọc được") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _save_as_utf8(
                name, "dạng Unicode (UTF-16) bị cắt cụt hoặc hỏng, không đọc trọn được"
            ) from exc
    sample = raw[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a byte-order mark: every other byte is zero for Latin text.
        even_zeros = sample[1::2].count(b"\x00")
        encoding = "utf-16-le" if even_zeros > len(sample) // 4 else "utf-16-be"
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise _save_as_utf8(
                name, "dạng Unicode (UTF-16) bị cắt cụt hoặc hỏng, không đọc trọn được"
            ) from exc
    elif b"\x00" in sample:
        raise ImportFileError(
            f"Tệp “{name}” không phải bảng tính (không phải .xlsx, cũng không phải văn bản CSV)."
        )
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    legacy = text_legacy.legacy_encoding_of_bytes(raw)
    if legacy is not None:
        return text_legacy.glyphs(raw), legacy
    try:
        return raw.decode("cp1258"), "cp1258"
    except UnicodeDecodeError as exc:
        raise _save_as_utf8(name, "dùng bảng mã chữ không nhận ra được") from exc


# A letter, "?", a letter ("Nguy?n"), or a short word ending in "?" before another word
# ("Th? Hoa"): Vietnamese letters replaced by "?" when the file was saved as Windows-1252.
_LOST_LETTER = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])|\b[^\W\d_]{1,5}\?(?= [^\W\d_])")


def lost_letters(text: str) -> list[str]:
    """Words of `text` whose Vietnamese letters were lost as "?" (at most a few, to show)."""
    found: list[str] = []
    for line in text.splitlines():
        for m in _LOST_LETTER.finditer(line):
            start = max(line.rfind(" ", 0, m.start()), line.rfind(",", 0, m.start())) + 1
            end = len(line)
            for stop in (" ", ",", ";", "\t"):
                k = line.find(stop, m.end())
                if k != -1:
                    end = min(end, k)
            found.append(line[start:end])
    return found


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
    lost = lost_letters(text)
    if len(lost) >= 3 and not text_legacy.has_letters_beyond_1252(text):
        examples = ", ".join(f"“{w}”" for w in dict.fromkeys(lost[:20]) if w)
        raise ImportFileError(
            f"Tệp “{path.name}” đã mất các chữ có dấu tiếng Việt (bị thay bằng dấu “?”, ví dụ "
            f"{examples[:80]}) do được lưu bằng bảng mã Windows-1252, không khôi phục được; "
            "hãy mở danh sách gốc bằng Excel, chọn Lưu thành → “CSV UTF-8 (Comma delimited)” "
            "(hoặc Sổ làm việc Excel .xlsx) rồi nhập tệp mới."
        )
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

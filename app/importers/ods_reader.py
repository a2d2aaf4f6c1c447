"""OpenDocument spreadsheets (.ods, LibreOffice) read by streaming content.xml.

The zip was checked for its uncompressed sizes before (sheet_reader.check_zip); here rows
and repeated cells are bounded, so a sheet that repeats an empty row a million times, or a
filled cell across every column, costs nothing.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from app.importers.cells import EXCEL_EPOCH_1900
from app.importers.sheet_reader import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    MAX_TITLE_ROWS,
    ImportFileError,
    _too_many_cells,
    _too_many_rows,
)

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


def _repeat(elem: Any, name: str) -> int:
    try:
        return max(1, int(elem.get(f"{_TABLE}{name}", "1")))
    except ValueError:
        return 1


def _paragraph_text(p: Any) -> str:
    parts: list[str] = [p.text or ""]
    for child in p:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * min(_repeat_spaces(child), 100))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _repeat_spaces(elem: Any) -> int:
    try:
        return max(1, int(elem.get(f"{_TEXT}c", "1")))
    except ValueError:
        return 1


def _cell_value(cell: Any) -> Any:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return float(cell.get(f"{_OFFICE}value", ""))
        except ValueError:
            pass
    elif kind == "date":
        raw = cell.get(f"{_OFFICE}date-value", "")
        try:
            return dt.datetime.fromisoformat(raw[:19])
        except ValueError:
            pass
    elif kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value") == "true"
    lines = [_paragraph_text(p) for p in cell if p.tag == f"{_TEXT}p"]
    text = "\n".join(lines)
    return text if text.strip() else None


def read_ods(
    path: Path, damaged: Callable[[str, str], ImportFileError]
) -> list[tuple[str, list[tuple[int, tuple[Any, ...]]], dt.datetime]]:
    sheets: list[tuple[str, list[tuple[int, tuple[Any, ...]]], dt.datetime]] = []
    limit = MAX_DATA_ROWS + MAX_TITLE_ROWS
    cells_total = 0
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            rows: list[tuple[int, tuple[Any, ...]]] = []
            name = ""
            row_number = 0
            current: list[Any] = []
            for event, elem in iterparse(fh, events=("start", "end")):
                tag = elem.tag
                if event == "start":
                    if tag == f"{_TABLE}table":
                        name, rows, row_number = elem.get(f"{_TABLE}name", ""), [], 0
                    elif tag == f"{_TABLE}table-row":
                        current = []
                    continue
                if tag in _CELLS:
                    value = _cell_value(elem)
                    repeat = _repeat(elem, "number-columns-repeated")
                    if value is None:
                        if len(current) < MAX_COLUMNS:
                            current.extend([None] * min(repeat, MAX_COLUMNS - len(current)))
                    else:
                        current.extend([value] * min(repeat, MAX_COLUMNS - len(current)))
                    elem.clear()
                elif tag == f"{_TABLE}table-row":
                    repeat = _repeat(elem, "number-rows-repeated")
                    while current and current[-1] is None:
                        current.pop()
                    if current:
                        for _ in range(min(repeat, limit + 1)):
                            row_number += 1
                            rows.append((row_number, tuple(current)))
                            cells_total += len(current)
                            if len(rows) > limit:
                                raise _too_many_rows(path.name)
                            if cells_total > MAX_CELLS:
                                raise _too_many_cells(path.name)
                    else:
                        row_number += repeat
                    elem.clear()
                elif tag == f"{_TABLE}table":
                    sheets.append((name, rows, EXCEL_EPOCH_1900))
                    elem.clear()
    except ImportFileError:
        raise
    except (ParseError, zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError) as exc:
        raise damaged(path.name, "OpenDocument (.ods)") from exc
    except Exception as exc:  # zlib.error, NotImplementedError (unknown compression)…
        raise damaged(path.name, "OpenDocument (.ods)") from exc
    return sheets

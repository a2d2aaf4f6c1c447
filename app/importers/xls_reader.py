"""Old Excel 97-2003 workbooks (.xls) through xlrd, bounded by the file size checked before.

Each sheet comes back as its non-empty rows (1-based row numbers, values as Python values:
text, float, datetime, bool), trimmed of empty cells at the end.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.importers.sheet_reader import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
    MAX_TITLE_ROWS,
    ImportFileError,
    _too_many_cells,
    _too_many_rows,
)

_EPOCHS = {0: dt.datetime(1899, 12, 30), 1: dt.datetime(1904, 1, 1)}


def read_xls(
    path: Path, data: bytes, damaged: Callable[[str, str], ImportFileError]
) -> list[tuple[str, list[tuple[int, tuple[Any, ...]]], dt.datetime]]:
    import xlrd

    what = "Excel 97-2003 (.xls)"
    try:
        book = xlrd.open_workbook(
            file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO()
        )
    except Exception as exc:  # xlrd raises XLRDError, struct.error, IndexError... on damage
        raise damaged(path.name, what) from exc
    sheets = []
    try:
        epoch = _EPOCHS.get(book.datemode, _EPOCHS[0])
        cells = 0
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception as exc:
                raise damaged(path.name, what) from exc
            rows: list[tuple[int, tuple[Any, ...]]] = []
            for r in range(sheet.nrows):
                values = [_value(c, book.datemode) for c in sheet.row(r)[:MAX_COLUMNS]]
                while values and (values[-1] is None or values[-1] == ""):
                    values.pop()
                if not values:
                    continue
                rows.append((r + 1, tuple(values)))
                cells += len(values)
                if len(rows) > MAX_DATA_ROWS + MAX_TITLE_ROWS:
                    raise _too_many_rows(path.name)
                if cells > MAX_CELLS:
                    raise _too_many_cells(path.name)
            sheets.append((sheet.name, rows, epoch))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return sheets


def _value(cell: Any, datemode: int) -> Any:
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except Exception:
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_TEXT:
        return str(cell.value)
    return cell.value

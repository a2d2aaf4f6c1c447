"""Old-format and hostile test files built in code: .doc (Word 97), .xls (xlwt), .ods, TCVN3
and VNI text, and zip bombs. Nothing here is downloaded; every file is generated."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

from app.text_legacy import glyph

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def legacy_bytes(text: str) -> bytes:
    """The bytes a TCVN3/VNI file holds for text written as its Windows-1252 glyphs."""
    table = {glyph(b): b for b in range(256)}
    return bytes(table[ch] for ch in text)


def _dir_entry(name: str, kind: int, start: int, size: int, child: int, left: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", left, _NOSTREAM, child)
        + b"\0" * 16
        + b"\0" * 4
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal Compound File (v3, 512-byte sectors) holding at most two streams, each
    padded with zeros to at least 4096 bytes (so no mini stream), as Word's streams are."""
    assert 1 <= len(streams) <= 2
    padded = {}
    for name, data in streams.items():
        size = max(len(data), 4096)
        padded[name] = data.ljust(-(-size // 512) * 512, b"\0")
    sectors_needed = sum(len(d) // 512 for d in padded.values())
    fat_count = -(-(sectors_needed + 2) // 127) + 1
    fat: list[int] = [_FATSECT] * fat_count + [_END]  # FAT sectors, then the directory
    starts = {}
    for name, data in padded.items():
        starts[name] = len(fat)
        n = len(data) // 512
        fat.extend(range(len(fat) + 1, len(fat) + n))
        fat.append(_END)
    assert len(fat) <= fat_count * 128 and fat_count <= 109
    fat.extend([_FREE] * (fat_count * 128 - len(fat)))
    names = list(padded)
    entries = [_dir_entry("Root Entry", 5, _END, 0, 1, _NOSTREAM)]
    for i, name in enumerate(names):
        left = 2 if i == 0 and len(names) == 2 else _NOSTREAM
        entries.append(_dir_entry(name, 2, starts[name], len(padded[name]), _NOSTREAM, left))
    directory = b"".join(entries).ljust(512, b"\0")
    difat = list(range(fat_count)) + [_FREE] * (109 - fat_count)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, fat_count, fat_count, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == 512
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + directory + b"".join(padded[n] for n in names)


def make_doc(
    pieces: list[tuple[str, bool]], *, nfib: int = 0x00C1, encrypted: bool = False
) -> bytes:
    """A Word 97 document whose main text is `pieces`: (text, stored as 8-bit Windows-1252).
    Paragraphs end with "\\r", table cells with "\\x07", as Word writes them."""
    text_start = 1024
    body = bytearray()
    pcds: list[tuple[int, int]] = []  # (cp length, fc field)
    for text, compressed in pieces:
        offset = text_start + len(body)
        if compressed:
            body += text.encode("cp1252")
            pcds.append((len(text), 0x40000000 | (offset * 2)))
        else:
            body += text.encode("utf-16-le")
            pcds.append((len(text), offset))
    ccp = sum(n for n, _ in pcds)
    cps = [0]
    for n, _ in pcds:
        cps.append(cps[-1] + n)
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(
        struct.pack("<HIH", 0, fc, 0) for _, fc in pcds
    )
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = clx
    fib = bytearray(text_start)
    struct.pack_into("<HH", fib, 0, 0xA5EC, nfib)
    struct.pack_into("<H", fib, 0x0A, 0x0200 | (0x0100 if encrypted else 0))
    struct.pack_into("<H", fib, 32, 14)  # csw
    struct.pack_into("<H", fib, 62, 22)  # cslw
    struct.pack_into("<i", fib, 64 + 12, ccp)  # ccpText
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb
    struct.pack_into("<II", fib, 154 + 33 * 8, 0, len(clx))  # fcClx, lcbClx
    return compound_file({"WordDocument": bytes(fib) + bytes(body), "1Table": table})


def make_xls(path: Path, rows: list[list[Any]], *, sheet: str = "Danh sách") -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is None:
                continue
            if hasattr(value, "year"):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    book.save(str(path))
    return path


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_content(sheets: dict[str, str]) -> str:
    body = "".join(
        f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in sheets.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )


def ods_rows(rows: list[list[Any]]) -> str:
    out = []
    for values in rows:
        cells = []
        for v in values:
            if v is None:
                cells.append("<table:table-cell/>")
            elif isinstance(v, int | float):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>"
                )
            elif hasattr(v, "year"):
                cells.append(
                    f'<table:table-cell office:value-type="date" '
                    f'office:date-value="{v.isoformat()}"><text:p>x</text:p></table:table-cell>'
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{v}</text:p>'
                    "</table:table-cell>"
                )
        out.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return "".join(out)


def make_ods(path: Path, content: str) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)  # fmt: skip
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def inflating_part(size: int) -> bytes:
    """`size` bytes that deflate to about size/1000 (one repeated character)."""
    return b"A" * size


def xlsx_bomb(path: Path, inflated: int = 1_500_000_000) -> Path:
    """A small .xlsx whose one shared string inflates to `inflated` bytes, written by
    streaming so the test itself stays small in memory."""
    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Họ và tên"])
    wb.active.append(["X"])
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, src.read(info.filename))
        _write_streamed(
            out,
            "xl/sharedStrings.xml",
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>H\xe1\xbb\x8d v\xc3\xa0 '
            b"t\xc3\xaan</t></si><si><t>",
            inflated,
            b"</t></si></sst>",
        )
    return path


def docx_bomb(path: Path, inflated: int = 3_000_000_000) -> Path:
    """A .docx whose document.xml inflates to `inflated` bytes."""
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info.filename))
        _write_streamed(
            out,
            "word/document.xml",
            b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
            inflated,
            b"</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


def _write_streamed(out: zipfile.ZipFile, name: str, head: bytes, filler: int, tail: bytes) -> None:
    chunk = b"A" * (1 << 20)
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with out.open(info, "w", force_zip64=True) as fh:
        fh.write(head)
        left = filler
        while left > 0:
            fh.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        fh.write(tail)

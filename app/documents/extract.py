"""Text out of the files a secretary receives: PDF (pypdf), DOCX (python-docx), Word 97–2003
(.doc, app.documents.doc_reader), OpenDocument text (.odt, app.documents.odt_reader), Rich
Text (.rtf, app.documents.rtf_reader), spreadsheets, plain text. Text typed with the old TCVN3
or VNI fonts is converted to Unicode (app.text_legacy) and `note` says so. A DOCX or ODT is
checked for what its zip inflates to before it is parsed.

`extract(data, filename=...)` returns the text in NFC. A file the program cannot take at all
(too large, a type it does not read, a damaged DOCX or PDF) raises ValidationError with a
Vietnamese message. A PDF that is only scanned images, or locked with a password, is still
returned (the file is worth keeping) with empty text and `problem` saying why.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from app import text_legacy
from app.documents.folding import strip_controls
from app.errors import KnownError, ValidationError
from app.text import nfc

MAX_FILE_BYTES = 50 * 1024 * 1024
# A DOCX is a zip: python-docx holds every part in memory and document.xml as a tree.
MAX_DOCX_TOTAL_BYTES = 150 * 1024 * 1024
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024
MAX_DOCX_RATIO = 200  # uncompressed / compressed, for parts over 1 MB
MAX_PARAGRAPHS = 200_000
# Fewer letters than this per page and a PDF is taken as scanned images.
_MIN_LETTERS_PER_PAGE = 20

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "txt": "text/plain",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
}
# What the library reads, named for the user in every "cannot take this file" message.
READABLE = (
    "PDF, Word (.docx, .doc), OpenDocument (.odt), RTF (.rtf), bảng tính (.xlsx, .xls, .ods) "
    "và văn bản (.txt)"
)
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".csv", ""})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t\u00a0]+\n")

NO_TEXT_SCANNED = (
    "Không đọc được chữ trong tệp PDF này (có thể là bản quét hoặc ảnh chụp). "
    "Tệp vẫn được lưu trong sổ; hãy nhập số hiệu và tiêu đề bằng tay."
)
NO_TEXT_ENCRYPTED = (
    "Tệp PDF được đặt mật khẩu nên không đọc được chữ. "
    "Tệp vẫn được lưu trong sổ; hãy nhập số hiệu và tiêu đề bằng tay."
)
NO_TEXT_ENCRYPTED_DOCX = (
    "Tệp Word được đặt mật khẩu nên không đọc được chữ. "
    "Tệp vẫn được lưu trong sổ; hãy nhập số hiệu và tiêu đề bằng tay."
)
NO_TEXT_ENCRYPTED_ODT = (
    "Tệp OpenDocument (.odt) được đặt mật khẩu nên không đọc được chữ. "
    "Tệp vẫn được lưu trong sổ; hãy nhập số hiệu và tiêu đề bằng tay."
)


@dataclass(frozen=True)
class Extracted:
    text: str
    kind: str  # pdf | docx | doc | odt | rtf | xlsx | xls | ods | txt
    mime: str
    pages: int | None
    problem: str = ""  # why no text could be read ("" when all is well)
    note: str = ""  # what was done to the text (converted from TCVN3/VNI), for the user


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} byte"


def check_size(size: int, filename: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            f"Tệp {filename} quá lớn ({human_size(size)}); chỉ nhận tệp đến "
            f"{human_size(MAX_FILE_BYTES)}. Hãy chia nhỏ hoặc nén tệp rồi nhập lại. "
            "Tệp gốc không bị thay đổi.",
            field="file",
        )
    if size == 0:
        raise ValidationError(f"Tệp {filename} rỗng (0 byte), không có gì để nhập.", field="file")


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing oversized files before reading them."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise KnownError(f"Không tìm thấy tệp {path}.") from exc
    except OSError as exc:
        raise KnownError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.") from exc
    if path.is_dir():
        raise ValidationError(f"{path.name} là thư mục, không phải tệp.", field="file")
    check_size(size, path.name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KnownError(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.") from exc


def sniff_kind(data: bytes, filename: str) -> str:
    """pdf, docx, doc, odt, rtf, xlsx, xls, ods, txt or docx-encrypted; ValidationError for
    anything else."""
    suffix = PurePath(filename).suffix.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                mimetype = b""
                if "content.xml" in names and "mimetype" in names:
                    with zf.open("mimetype") as fh:  # ODF: the first member, stored
                        mimetype = fh.read(100)
        except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError…
            raise _corrupt(filename, suffix) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                return "odt"
            if suffix == ".ods" or b"opendocument.spreadsheet" in mimetype:
                return "ods"
            if suffix == ".odt" and not mimetype:
                return "odt"
        if suffix in (".docx", ".odt"):
            raise _corrupt(filename, suffix)
        raise _unsupported(filename, suffix)
    if data.startswith(_OLE_MAGIC):
        if suffix == ".docx" or "EncryptedPackage".encode("utf-16-le") in data:
            return "docx-encrypted"  # Office stores a password-protected .docx this way
        if suffix == ".doc" or "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        raise _unsupported(filename, suffix)
    if suffix == ".pdf":
        raise _corrupt(filename, suffix)
    if data[:64].lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if suffix in (".docx", ".odt", ".rtf"):
        raise _corrupt(filename, suffix)
    if data.startswith(_IMAGE_MAGIC):
        raise ValidationError(
            f"Tệp {filename} là ảnh; chương trình nhận {READABLE}. "
            "Hãy chuyển ảnh chụp thành PDF rồi nhập lại.",
            field="file",
        )
    if suffix in TEXT_SUFFIXES:
        return "txt"
    raise _unsupported(filename, suffix)


def _corrupt(filename: str, suffix: str) -> ValidationError:
    label = {
        ".pdf": "PDF",
        ".docx": "Word (.docx)",
        ".odt": "OpenDocument (.odt)",
        ".rtf": "RTF",
    }.get(suffix, "")
    return ValidationError(
        f"Tệp {label + ' ' if label else ''}{filename} bị hỏng hoặc không đúng định dạng, "
        "không mở được. Hãy xin lại tệp gốc.",
        field="file",
    )


def _unsupported(filename: str, suffix: str) -> ValidationError:
    kind = f"“{suffix}”" if suffix else "không rõ đuôi"
    return ValidationError(
        f"Chưa nhập được loại tệp {kind} ({filename}). Chương trình nhận {READABLE}.",
        field="file",
    )


def extract(data: bytes, *, filename: str) -> Extracted:
    check_size(len(data), filename)
    kind = sniff_kind(data, filename)
    if kind == "pdf":
        return _extract_pdf(data, filename)
    if kind == "docx":
        return _converted(_extract_docx(data, filename), "docx")
    if kind == "docx-encrypted":
        return Extracted(
            text="", kind="docx", mime=MIME["docx"], pages=None, problem=NO_TEXT_ENCRYPTED_DOCX
        )
    if kind == "doc":
        return _extract_doc(data, filename)
    if kind == "odt":
        return _extract_odt(data, filename)
    if kind == "rtf":
        return _extract_rtf(data, filename)
    if kind in ("xlsx", "xls", "ods"):
        return _extract_sheet(data, filename, kind)
    return _converted(_extract_txt(data, filename), "txt")


def _converted(text: str, kind: str) -> Extracted:
    """The text tidied, converted to Unicode first when it was typed with the TCVN3 or VNI
    fonts (before tidying: TCVN3 writes “ư” as the soft-hyphen byte that tidy removes)."""
    result = text_legacy.convert_text(text)
    note = ""
    if result.encoding is not None:
        note = (
            f"Văn bản gõ bằng bảng mã {text_legacy.ENCODING_LABELS[result.encoding]}; đã "
            f"chuyển {result.cells} dòng sang Unicode, hãy xem lại số hiệu và tiêu đề."
        )
    return Extracted(
        text=tidy(result.text),
        kind=kind,
        mime=MIME[kind],
        pages=None,
        note=note,
    )


def _too_big_inside(filename: str, size: int) -> ValidationError:
    return ValidationError(
        f"Tệp {filename} khi giải nén lên tới {human_size(size)}, quá lớn so với một văn bản "
        "(có thể tệp bị hỏng hoặc cố ý làm hại); chương trình không mở tệp này, hãy xin lại "
        "tệp gốc hoặc lưu lại thành PDF rồi nhập.",
        field="file",
    )


def check_docx_zip(data: bytes, filename: str, suffix: str = ".docx") -> None:
    """Refuse a DOCX (or ODT) whose parts would inflate beyond what a document needs (a zip
    bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError…
        raise _corrupt(filename, suffix) from exc
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        is_xml = info.filename.endswith((".xml", ".rels"))
        if (is_xml and info.file_size > MAX_DOCX_XML_BYTES) or (
            info.file_size > 1024 * 1024 and ratio > MAX_DOCX_RATIO
        ):
            raise _too_big_inside(filename, info.file_size)
    if total > MAX_DOCX_TOTAL_BYTES:
        raise _too_big_inside(filename, total)


def _too_many_paragraphs(filename: str) -> ValidationError:
    return ValidationError(
        f"Tệp {filename} có hơn {MAX_PARAGRAPHS:,} đoạn văn".replace(",", ".")
        + ", quá dài so với một văn bản; hãy chia nhỏ tệp hoặc lưu lại thành PDF rồi nhập.",
        field="file",
    )


# -- spreadsheets kept as documents (.xlsx, .xls, .ods) ---------------------------------------
def _extract_sheet(data: bytes, filename: str, kind: str) -> Extracted:
    """The first sheet's rows as lines, cells separated by tabs (the member-list readers, with
    their caps on size, rows and cells, and their TCVN3/VNI conversion)."""
    import tempfile

    from app.importers.cells import cell_text
    from app.importers.sheet_reader import read_table

    with tempfile.TemporaryDirectory(prefix="sotay-sheet-") as tmp:
        path = Path(tmp) / f"bang-tinh.{kind}"
        path.write_bytes(data)
        try:
            table = read_table(path)
        except KnownError as exc:
            raise ValidationError(
                str(exc).replace("“bang-tinh." + kind + "”", filename), field="file"
            ) from exc
    lines = ["\t".join(cell_text(v) for v in values).rstrip() for _, values in table.rows]
    encodings = sorted({encoding for encoding, _ in table.legacy_rows.values()})
    notes = [
        f"Bảng tính gõ bằng bảng mã {text_legacy.ENCODING_LABELS[e]}; đã chuyển sang Unicode."
        for e in encodings
    ]
    if len(table.sheet_names) > 1:
        notes.append(f"Bảng tính có {len(table.sheet_names)} trang; đã đọc chữ ở trang đầu.")
    return Extracted(
        text=tidy("\n".join(lines)), kind=kind, mime=MIME[kind], pages=None, note=" ".join(notes)
    )


# -- Word 97–2003 (.doc) ---------------------------------------------------------------------
def _extract_doc(data: bytes, filename: str) -> Extracted:
    from app.documents.doc_reader import DocError, read_doc

    try:
        text = read_doc(data)
    except DocError as exc:
        if exc.reason == "encrypted":
            return Extracted(
                text="", kind="doc", mime=MIME["doc"], pages=None, problem=NO_TEXT_ENCRYPTED_DOCX
            )
        if exc.reason == "old":
            message = (
                f"Tệp {filename} là tệp Word cũ đời Word 6.0/95, chương trình không đọc được; "
                "hãy mở bằng Word, lưu thành .docx hoặc PDF rồi nhập lại."
            )
        elif exc.reason == "too_large":
            message = (
                f"Tệp Word cũ (.doc) {filename} quá dài so với một văn bản; hãy chia nhỏ tệp "
                "hoặc lưu thành PDF rồi nhập lại."
            )
        else:
            message = (
                f"Tệp Word cũ (.doc) {filename} bị hỏng hoặc không đúng định dạng, không đọc "
                "được chữ; hãy mở bằng Word, lưu thành .docx hoặc PDF rồi nhập lại."
            )
        raise ValidationError(message, field="file") from exc
    if text.count("\n") > MAX_PARAGRAPHS:
        raise _too_many_paragraphs(filename)
    return _converted(text, "doc")


# -- OpenDocument text (.odt) ---------------------------------------------------------------
def _extract_odt(data: bytes, filename: str) -> Extracted:
    from app.documents.odt_reader import OdtError, read_odt

    check_docx_zip(data, filename, ".odt")
    try:
        text = read_odt(data, max_lines=MAX_PARAGRAPHS)
    except OdtError as exc:
        if exc.reason == "encrypted":
            return Extracted(
                text="", kind="odt", mime=MIME["odt"], pages=None, problem=NO_TEXT_ENCRYPTED_ODT
            )
        if exc.reason == "too_many_lines":
            raise _too_many_paragraphs(filename) from exc
        if exc.reason == "too_large":
            raise _too_big_inside(filename, MAX_DOCX_XML_BYTES + 1) from exc
        raise _corrupt(filename, ".odt") from exc
    return _converted(text, "odt")


# -- Rich Text (.rtf) ------------------------------------------------------------------------
def _extract_rtf(data: bytes, filename: str) -> Extracted:
    from app.documents.rtf_reader import RtfError, read_rtf

    try:
        text = read_rtf(data)
    except RtfError as exc:
        if exc.reason == "too_large":
            raise _too_many_paragraphs(filename) from exc
        if exc.reason == "missing":
            raise ValidationError(
                f"Bản cài đặt này thiếu phần đọc tệp RTF nên chưa nhập được {filename}; hãy mở "
                "tệp bằng Word hoặc LibreOffice, lưu thành .docx hoặc PDF rồi nhập lại.",
                field="file",
            ) from exc
        raise _corrupt(filename, ".rtf") from exc
    if text.count("\n") > MAX_PARAGRAPHS:
        raise _too_many_paragraphs(filename)
    return _converted(text, "rtf")


def tidy(text: str) -> str:
    """NFC, one newline style, no control characters, no trailing spaces or blank runs."""
    text = strip_controls(nfc(text)).replace("\u00ad", "")  # soft hyphens
    text = _TRAILING.sub("\n", text + "\n")
    return _BLANK_RUNS.sub("\n\n", text).strip()


# -- PDF -----------------------------------------------------------------------------------
@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _extract_pdf(data: bytes, filename: str) -> Extracted:
    from pypdf import PasswordType, PdfReader

    with _quiet("pypdf"):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            encrypted = reader.is_encrypted
            if encrypted:
                # Many PDFs are "protected" only against editing: the empty password opens them.
                try:
                    opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
                except Exception:
                    opened = False
                if not opened:
                    return Extracted(
                        text="", kind="pdf", mime=MIME["pdf"], pages=None, problem=NO_TEXT_ENCRYPTED
                    )
            pages = list(reader.pages)
        except Exception as exc:
            raise _corrupt(filename, ".pdf") from exc
        texts: list[str] = []
        for page in pages:
            try:
                texts.append(page.extract_text() or "")
            except Exception:
                texts.append("")
    blank = [i + 1 for i, t in enumerate(texts) if _letters(t) < _MIN_LETTERS_PER_PAGE]
    text = tidy("\n\n".join(t.strip() for t in texts))
    problem = ""
    if not pages or len(blank) == len(pages):
        problem, text = NO_TEXT_SCANNED, ""
    elif blank:
        listed = ", ".join(str(n) for n in blank[:10]) + ("…" if len(blank) > 10 else "")
        problem = (
            f"Không đọc được chữ ở trang {listed} (có thể là ảnh quét); các trang khác đọc "
            "được bình thường."
        )
    return Extracted(text=text, kind="pdf", mime=MIME["pdf"], pages=len(pages), problem=problem)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


# -- DOCX ----------------------------------------------------------------------------------
def _extract_docx(data: bytes, filename: str) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_docx_zip(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        top: list[tuple[tuple[int, int, int], list[str]]] = []  # boxes placed at the page top
        for n, block in enumerate(document.iter_inner_content()):
            if isinstance(block, Paragraph):
                for at_top, position, box in _text_boxes(block._p):
                    if at_top and n < _TOP_BLOCKS:
                        top.append((position, box))
                    else:
                        lines.extend(box)
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_table_lines(block))
                lines.append("")
            if len(lines) > MAX_PARAGRAPHS:
                raise _too_many_paragraphs(filename)
        if top:  # the header drawn in text boxes: read first, row by row, left to right
            top.sort(key=lambda item: item[0])
            lines[:0] = [line for _position, box in top for line in [*box, ""]]
    except ValidationError:
        raise
    except Exception as exc:
        raise _corrupt(filename, ".docx") from exc
    return "\n".join(lines)  # tidied by _converted, after any TCVN3/VNI conversion


# Text boxes and shapes (w:txbxContent in a DrawingML anchor or a VML v:textbox). Word saves
# each box twice, as DrawingML (mc:Choice) and as VML (mc:Fallback): the fallback is skipped.
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_TOP_BLOCKS = 12  # boxes anchored in the first paragraphs and placed on the page: the header
_ROW_EMU = 457200  # boxes less than half an inch apart vertically are one row (left, right)
_VML_POS = re.compile(r"(margin-top|margin-left|top|left)\s*:\s*(-?[\d.]+)(pt|in|px)?")


def _text_boxes(paragraph: Any) -> list[tuple[bool, tuple[int, int, int], list[str]]]:
    """(placed on the page, (row, x, order), lines) of each text box anchored in a paragraph."""
    w = f"{{{_W_NS}}}"
    out: list[tuple[bool, tuple[int, int, int], list[str]]] = []
    for order, box in enumerate(paragraph.iter(f"{w}txbxContent")):
        ancestors = list(box.iterancestors())
        if any(a.tag in (f"{{{_MC_NS}}}Fallback", f"{w}txbxContent") for a in ancestors):
            continue
        lines = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in box.iter(f"{w}p")]
        at_top, row, x = _box_position(ancestors)
        out.append((at_top, (row, x, order), lines))
    return out


def _box_position(ancestors: list[Any]) -> tuple[bool, int, int]:
    """(placed relative to the page, row, x) from a DrawingML anchor or a VML style."""
    for element in ancestors:
        tag = getattr(element, "tag", "")
        if tag == f"{{{_WP_NS}}}anchor":
            found: dict[str, tuple[str, int]] = {}
            for axis in ("positionV", "positionH"):
                pos = element.find(f"{{{_WP_NS}}}{axis}")
                offset = pos.find(f"{{{_WP_NS}}}posOffset") if pos is not None else None
                relative = pos.get("relativeFrom", "") if pos is not None else ""
                value = int(offset.text) if offset is not None and offset.text else 0
                found[axis] = (relative, value)
            placed = found["positionV"][0] in ("page", "margin", "topMargin")
            return placed, found["positionV"][1] // _ROW_EMU, found["positionH"][1]
        style = element.get("style", "") if hasattr(element, "get") else ""
        if tag.endswith("}shape") and style:
            values = {
                k: float(v) * (72 if unit == "in" else 1) for k, v, unit in _VML_POS.findall(style)
            }
            top = values.get("margin-top", values.get("top", 0.0))
            left = values.get("margin-left", values.get("left", 0.0))
            placed = "mso-position-vertical-relative:page" in style.replace(" ", "") or (
                "mso-position-vertical-relative:margin" in style.replace(" ", "")
            )
            return placed, int(top * 12700) // _ROW_EMU, int(left * 12700)
    return False, 0, 0


def _table_lines(table: object) -> list[str]:
    """Cell by cell, row by row; a merged cell once. The Party header table (issuer left,
    party name and date right) comes out as the left column's lines, then the right's."""
    from docx.table import Table

    assert isinstance(table, Table)
    lines: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:
                continue
            seen.add(key)
            for p in cell.paragraphs:
                lines.extend(line for _top, _pos, box in _text_boxes(p._p) for line in box)
                lines.append(p.text)
    return lines


# -- plain text ------------------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """Bytes of a text file in whatever encoding it came in: UTF-8 (with or without BOM),
    UTF-16 (BOM or not), else TCVN3/VNI bytes (as Windows-1252 glyphs) or Windows-1258."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    if len(sample) >= 4:
        if sample[1::2].count(0) > len(sample) // 4:
            return data.decode("utf-16-le", errors="replace")
        if sample[0::2].count(0) > len(sample) // 4:
            return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if text_legacy.legacy_encoding_of_bytes(data) is not None:
        return text_legacy.glyphs(data)  # TCVN3/VNI bytes: converted, with a note, by extract
    return nfc(data.decode("cp1258", errors="replace"))


def _extract_txt(data: bytes, filename: str) -> str:
    text = decode_text(data)
    sample = text[:8192]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f"))
    if sample and bad / len(sample) > 0.05:
        raise ValidationError(
            f"Tệp {filename} không phải văn bản thuần (có thể là tệp nhị phân). "
            f"Chương trình nhận {READABLE}.",
            field="file",
        )
    return strip_markdown(text)  # tidied by _converted, after any TCVN3/VNI conversion


_MD_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_MD_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)


def strip_markdown(text: str) -> str:
    """Plain text from the Markdown some conversions leave (**bold**, # headings, \\*)."""
    if "**" not in text and "\\*" not in text and not _MD_HEADING.search(text):
        return text
    text = _MD_HEADING.sub("", text)
    text = _MD_BOLD.sub(r"\1", text)
    text = _MD_BOLD.sub(r"\1", text)
    text = _MD_ITALIC.sub(r"\1", text)
    return text.replace("\\*", "*")

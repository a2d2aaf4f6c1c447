"""The text of an OpenDocument text file (.odt, LibreOffice Writer), read by streaming
content.xml (ODF 1.2 part 1, chapters 5 and 9).

Paragraphs (text:p), headings (text:h), list items and table cells come out one line each, in
document order; a table is followed by an empty line, a text box (draw:frame/draw:text-box) is
read before the paragraph it is anchored in, as the .docx reader does. Footnotes, comments and
tracked deletions are left out. The element tree never holds more than the open path and the
current paragraph: every finished block is dropped as soon as its text is taken.

The zip was checked for its uncompressed sizes before (extract.check_zip_sizes); here the
bytes actually inflated, the nesting depth and the number of lines are bounded too.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree.ElementTree import XMLPullParser

MAX_CONTENT_BYTES = 30 * 1024 * 1024  # inflated content.xml (the .docx document.xml cap)
MAX_DEPTH = 400  # nested elements; LibreOffice writes a few dozen at most
_SPACES_CAP = 100  # text:s c="…" beyond this is not text, it is an attack
_CHUNK = 64 * 1024

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_T = f"{{{_TEXT}}}"
_PARAGRAPHS = frozenset({f"{_T}p", f"{_T}h"})
_TABLE_END = f"{{{_TABLE}}}table"
# Parts whose paragraphs are not the document's running text.
_LEFT_OUT = frozenset(
    {
        f"{_T}tracked-changes",  # deleted text kept for change tracking
        f"{_T}note",  # footnotes and endnotes (their citation too)
        f"{{{_OFFICE}}}annotation",  # comments
        f"{_T}ruby-text",  # the small reading aid above ruby base text
    }
)


class OdtError(Exception):
    """The file is not an .odt this reader can take; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # damaged | encrypted | too_large | too_many_lines


def read_odt(data: bytes, *, max_lines: int) -> str:
    """The text of an .odt, lines separated by "\\n"; OdtError when it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "content.xml" not in names:
                raise OdtError("damaged")
            if "META-INF/manifest.xml" in names:
                with zf.open("META-INF/manifest.xml") as fh:
                    manifest = fh.read(MAX_CONTENT_BYTES + 1)
                if b"encryption-data" in manifest:
                    raise OdtError("encrypted")  # content.xml is ciphertext
            with zf.open("content.xml") as fh:
                return "\n".join(_lines(fh, max_lines))
    except OdtError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, ParseError, NotImplementedError…
        raise OdtError("damaged") from exc


def _lines(fh: Any, max_lines: int) -> list[str]:
    parser: Any = XMLPullParser(events=("start", "end"))
    lines: list[str] = []
    path: list[Any] = []  # the open elements, root first
    in_paragraph = 0  # open text:p / text:h
    left_out = 0  # open footnotes, comments, tracked changes
    inflated = 0
    previous = b""
    while True:
        chunk = fh.read(_CHUNK)
        inflated += len(chunk)
        if inflated > MAX_CONTENT_BYTES:
            raise OdtError("too_large")
        if b"<!DOCTYPE" in previous[-8:] + chunk:
            raise OdtError("damaged")  # ODF has no DTD; entities are only a way to inflate
        previous = chunk
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        for event, elem in parser.read_events():
            tag = elem.tag
            if event == "start":
                path.append(elem)
                if len(path) > MAX_DEPTH:
                    raise OdtError("damaged")
                if tag in _PARAGRAPHS:
                    in_paragraph += 1
                elif tag in _LEFT_OUT:
                    left_out += 1
                continue
            path.pop()
            if tag in _PARAGRAPHS:
                in_paragraph -= 1
                if not left_out:
                    lines.append(_paragraph_text(elem))
            elif tag in _LEFT_OUT:
                left_out -= 1
            elif tag == _TABLE_END and not left_out:
                lines.append("")
            if len(lines) > max_lines:
                raise OdtError("too_many_lines")
            # Done with this block: drop it (a span inside an open paragraph is kept for the
            # paragraph's text; a text box's paragraphs are already read, so they go too).
            if path and (not in_paragraph or tag in _PARAGRAPHS):
                tail = elem.tail
                path[-1].remove(elem)
                elem.tail = tail
        if not chunk:
            break
    if path:
        raise OdtError("damaged")
    return lines


def _paragraph_text(p: Any) -> str:
    """The shown text of one paragraph, walked without recursion (nesting is attacker-made)."""
    parts: list[str] = []
    todo: list[Any] = [p]  # elements to open, or strings (tails) to write
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        tag = item.tag
        if item is not p:
            if tag == f"{_T}s":
                parts.append(" " * min(_count(item.get(f"{_T}c")), _SPACES_CAP))
                continue
            if tag == f"{_T}tab":
                parts.append("\t")
                continue
            if tag == f"{_T}line-break":
                parts.append("\n")
                continue
            # Only text-namespace inline elements hold shown text; drawings, frames, form
            # fields, comments and notes do not (a text box's paragraphs were read already).
            if not tag.startswith(_T) or tag in _LEFT_OUT or tag in _PARAGRAPHS:
                continue
        parts.append(item.text or "")
        for child in reversed(item):
            todo.append(child.tail or "")
            todo.append(child)
    return "".join(parts)


def _count(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1

"""The text of a Rich Text file (.rtf, "Rich Text" from Word or WordPad), read with striprtf.

Before striprtf sees the file, what only costs time is taken out: binary data (\\binN) and
runs of hex digits (pictures and embedded objects), and every group opening brace starts a
line, so no source line holds two field groups (striprtf's hyperlink pattern is quadratic in
one long line). Table cells become lines, as the .docx reader gives them: the Party header
table comes out as the left column's lines, then the right's. Text typed with the TCVN3 or
VNI fonts comes out as their Windows-1252 glyphs, converted afterwards like .docx text.
"""

from __future__ import annotations

import re

_BIN = re.compile(rb"\\bin(\d{1,10}) ?")
_MAX_BIN = 1000  # binary blocks (\binN); Word writes none, a hostile file millions
_HEX_RUN = re.compile(rb"[0-9a-fA-F\r\n]{256,}")  # picture data; never a run of real text
_MAX_CELLS = 200_000  # each is a line: the cap on a document's paragraphs
_CELL = re.compile(rb"\\(?:nest)?cell(?![a-zA-Z])")


class RtfError(Exception):
    """The file is not an RTF this reader can take; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # damaged | too_large | missing


def read_rtf(data: bytes) -> str:
    """The text of an RTF document, lines separated by "\\n"; RtfError when it cannot be
    read."""
    try:
        from striprtf.striprtf import rtf_to_text
    except ImportError as exc:  # an installation without its declared dependency
        raise RtfError("missing") from exc
    try:
        source = _lean(data)
        if source.count(b"\\cell") > _MAX_CELLS:
            raise RtfError("too_large")
        source = _CELL.sub(rb"\\par ", source)
        # latin-1 maps each byte to one character: striprtf decodes the \\'hh escapes itself,
        # by the document's code page (\\ansicpg) or the font's character set.
        text = rtf_to_text(source.decode("latin-1"), errors="replace")
    except RtfError:
        raise
    except Exception as exc:  # OverflowError (\\u99999999999), ValueError, TypeError…
        raise RtfError("damaged") from exc
    return str(text)


def _lean(data: bytes) -> bytes:
    """Whole-buffer passes only (no Python call per token: a file of millions of braces must
    not become millions of objects)."""
    if b"\\bin" in data:
        parts: list[bytes] = []
        pos = 0
        while (found := _BIN.search(data, pos)) is not None:
            if len(parts) >= _MAX_BIN:
                raise RtfError("damaged")  # more binary blocks than any document has
            parts.append(data[pos : found.start()])
            pos = found.end() + int(found.group(1))
        parts.append(data[pos:])
        data = b"".join(parts)
    data = _HEX_RUN.sub(b"", data)
    # A new line before every group; "\{" is an escaped brace, put back whole. A raw line
    # break is nothing in RTF except right after a backslash, which this never makes.
    return data.replace(b"{", b"\n{").replace(b"\\\n{", b"\\{")

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
_HEX_RUN = re.compile(rb"[0-9a-fA-F\r\n]{256,}")  # picture data; never a run of real text
_ESCAPE_OR_BRACE = re.compile(rb"\\[\s\S]|\{")
_CELL = re.compile(rb"\\(?:nest)?cell(?![a-zA-Z])")


class RtfError(Exception):
    """The file is not an RTF this reader can take."""


def read_rtf(data: bytes) -> str:
    """The text of an RTF document, lines separated by "\\n"; RtfError when it cannot be
    read."""
    from striprtf.striprtf import rtf_to_text

    source = _CELL.sub(rb"\\par ", _lean(data))
    try:
        # latin-1 maps each byte to one character: striprtf decodes the \\'hh escapes itself,
        # by the document's code page (\\ansicpg) or the font's character set.
        text = rtf_to_text(source.decode("latin-1"), errors="replace")
    except Exception as exc:  # OverflowError (\\u99999999999), ValueError, TypeError…
        raise RtfError(str(exc)) from exc
    return str(text)


def _lean(data: bytes) -> bytes:
    parts: list[bytes] = []
    pos = 0
    while (found := _BIN.search(data, pos)) is not None:
        parts.append(data[pos : found.start()])
        pos = found.end() + int(found.group(1))
    parts.append(data[pos:])
    lean = _HEX_RUN.sub(b"", b"".join(parts))
    return _ESCAPE_OR_BRACE.sub(_brace_on_new_line, lean)


def _brace_on_new_line(match: re.Match[bytes]) -> bytes:
    token = match.group(0)
    return b"\n{" if token == b"{" else token

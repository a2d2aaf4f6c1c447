"""The text of a Word 97–2003 document (.doc), read in pure Python (olefile), no program needed.

A .doc is a Compound File. Its WordDocument stream starts with the FIB, which says which table
stream (0Table or 1Table) holds the CLX, and how many characters the main text has. The CLX
ends with the piece table: runs of character positions, each stored either as 8-bit
Windows-1252 bytes or as UTF-16 somewhere in the WordDocument stream ([MS-DOC] 2.8.35,
2.9.38, 2.4.1). Fields keep their shown result, not their code; cells and paragraphs become
lines.
"""

from __future__ import annotations

import io
import struct

MAX_DOC_CHARS = 5_000_000  # characters of main text (a 2,000-page document)
MAX_STREAM_BYTES = 60 * 1024 * 1024
_PIECE_LIMIT = 200_000


class DocError(Exception):
    """The file is not a Word 97–2003 document this reader can take; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # damaged | old | encrypted | too_large | not_word


def _u16(data: bytes, pos: int) -> int:
    if pos + 2 > len(data):
        raise DocError("damaged")
    return int(struct.unpack_from("<H", data, pos)[0])


def _u32(data: bytes, pos: int) -> int:
    if pos + 4 > len(data):
        raise DocError("damaged")
    return int(struct.unpack_from("<I", data, pos)[0])


def _stream(ole: object, name: str) -> bytes:
    import olefile

    assert isinstance(ole, olefile.OleFileIO)
    if not ole.exists(name):
        raise DocError("damaged" if name != "WordDocument" else "not_word")
    if ole.get_size(name) > MAX_STREAM_BYTES:
        raise DocError("too_large")
    with ole.openstream(name) as fh:
        return bytes(fh.read(MAX_STREAM_BYTES + 1))


def read_doc(data: bytes) -> str:
    """The main text of a .doc, lines separated by "\\n"; DocError when it cannot be read."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError… on damage
        raise DocError("damaged") from exc
    try:
        try:
            if ole.exists("EncryptedPackage"):
                raise DocError("encrypted")
            word = _stream(ole, "WordDocument")
            if _u16(word, 0) != 0xA5EC:
                raise DocError("damaged")
            if _u16(word, 2) < 0x00C1:
                raise DocError("old")  # Word 6.0/95 and earlier: another layout
            flags = _u16(word, 0x0A)
            if flags & 0x0100:
                raise DocError("encrypted")
            table = _stream(ole, "1Table" if flags & 0x0200 else "0Table")
        except DocError:
            raise
        except Exception as exc:
            raise DocError("damaged") from exc
    finally:
        ole.close()
    return _text(word, table)


def _text(word: bytes, table: bytes) -> str:
    csw = _u16(word, 32)
    pos = 34 + csw * 2
    cslw = _u16(word, pos)
    lw = pos + 2
    ccp_text = _u32(word, lw + 12)
    pos = lw + cslw * 4
    cb_fc_lcb = _u16(word, pos)
    fc_lcb = pos + 2
    if cb_fc_lcb < 34:
        raise DocError("damaged")
    fc_clx = _u32(word, fc_lcb + 33 * 8)
    lcb_clx = _u32(word, fc_lcb + 33 * 8 + 4)
    if ccp_text > MAX_DOC_CHARS:
        raise DocError("too_large")
    clx = table[fc_clx : fc_clx + lcb_clx]
    if len(clx) != lcb_clx or not clx:
        raise DocError("damaged")
    i = 0
    plc = b""
    while i < len(clx):
        if clx[i] == 0x01:  # Prc: property modifiers, skipped
            i += 3 + _u16(clx, i + 1)
        elif clx[i] == 0x02:
            lcb = _u32(clx, i + 1)
            plc = clx[i + 5 : i + 5 + lcb]
            if len(plc) != lcb:
                raise DocError("damaged")
            break
        else:
            raise DocError("damaged")
    if len(plc) < 16 or (len(plc) - 4) % 12:
        raise DocError("damaged")
    count = (len(plc) - 4) // 12
    if count > _PIECE_LIMIT:
        raise DocError("too_large")
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    parts: list[str] = []
    total = 0
    for k in range(count):
        start, end = cps[k], min(cps[k + 1], ccp_text)
        if start >= ccp_text:
            break
        if end <= start:
            continue
        fc = _u32(plc, 4 * (count + 1) + 8 * k + 2)
        length = end - start
        total += length
        if total > MAX_DOC_CHARS:
            raise DocError("too_large")
        if fc & 0x40000000:
            offset = (fc & 0x3FFFFFFF) // 2
            raw = word[offset : offset + length]
            if len(raw) != length:
                raise DocError("damaged")
            parts.append(raw.decode("cp1252", errors="replace"))
        else:
            raw = word[fc : fc + 2 * length]
            if len(raw) != 2 * length:
                raise DocError("damaged")
            parts.append(raw.decode("utf-16-le", errors="replace"))
    return _clean("".join(parts))


_SPECIAL = {
    "\r": "\n",
    "\x07": "\n",  # end of a table cell or row
    "\x0b": "\n",  # line break
    "\x0c": "\n",  # page or section break
    "\x0e": "\n",  # column break
    "\x1e": "-",  # non-breaking hyphen
    "\x1f": "",  # optional hyphen
    "\xa0": " ",
    "\t": "\t",
}


def _clean(text: str) -> str:
    """Fields keep their result (between \\x14 and \\x15), not their code; controls go."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: True once its result part began
    for ch in text:
        if ch == "\x13":
            stack.append(False)
            continue
        if ch == "\x14":
            if stack:
                stack[-1] = True
            continue
        if ch == "\x15":
            if stack:
                stack.pop()
            continue
        if stack and not all(stack):
            continue
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ord(ch) >= 0x20:
            out.append(ch)
    return "".join(out)

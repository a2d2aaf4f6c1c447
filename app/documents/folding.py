"""Search keys for document text that stay aligned with the original, character by character.

`app.text.fold` collapses spaces, so an offset in its output says nothing about the original.
`fold_aligned` maps every character to exactly one character (lower case, no tones or marks,
đ→d), so a match found in the folded copy (by SQLite FTS5) is at the same offsets in the
original text: snippets can then be shown from the original, with its diacritics.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Control characters other than tab and newline; \x02 and \x03 mark highlights in FTS output.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    if ch.isascii():
        return ch.lower()
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    if unicodedata.combining(base):
        # A stray combining mark (text that did not compose): keep the length, drop the mark.
        return " "
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold_aligned(text: str) -> str:
    """Same length as `text`: each character folded on its own (see module doc)."""
    if text.isascii():
        return text.lower()
    return "".join([_fold_char(ch) for ch in text])


def strip_controls(text: str) -> str:
    """Replace control characters (except tab and newline) by spaces; keeps offsets."""
    return _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


# -- repairs for OCR'd text, applied to the folded search copy only (same length) ------------
# An OCR engine without Vietnamese reads Đ as P or B: "PANG UY" for "ĐẢNG ỦY". No Vietnamese
# word starts with P and a vowel, so a capital P before a vowel is taken as Đ.
_P_FOR_D = re.compile(r"(?<![\w])p(?=[aeiouy])")
# "S616 -KH/DU" is "Số 16-KH/ĐU": the ố was read as 6.
_SO_AS_S6 = re.compile(r"(?<![\w])(s)6(?=\d)")
# The type of a document number with Đ misread: 339-QB/TW, 339-OP/TW → 339-QD/TW.
_NUMBER_TYPE = re.compile(r"(\d\s*[-–—]\s*)(qb|qp|op|ob|od)(?=\s*/)")


def repair_ocr_folded(original: str, folded: str) -> str:
    """Fix common OCR misreadings in the folded copy of unaccented (OCR'd) text.

    Same length in, same length out, so offsets still match `original`.
    """
    chars = list(folded)
    for m in _P_FOR_D.finditer(folded):
        if original[m.start()] == "P":  # only the capital: "pin" stays "pin"
            chars[m.start()] = "d"
    out = "".join(chars)
    out = _SO_AS_S6.sub(lambda m: m.group(1) + " ", out)
    out = _NUMBER_TYPE.sub(lambda m: m.group(1) + "qd", out)
    return out


_VIETNAMESE_LETTERS = frozenset("ăâêôơưđĂÂÊÔƠƯĐ")


def looks_unaccented(text: str) -> bool:
    """True for Vietnamese text that lost its marks (OCR without Vietnamese, or typed bare).

    Clean Vietnamese has about 8% of its letters among ă â ê ô ơ ư đ; OCR'd text has none.
    """
    letters = 0
    special = 0
    for ch in text[:20000]:
        if ch.isalpha():
            letters += 1
            if ch in _VIETNAMESE_LETTERS:
                special += 1
    if letters < 80:
        return False
    return special / letters < 0.015


# -- issuers: one key for every way a body's name is written -----------------------------------
# The old tone placement ("uỷ", "hoá") and the new ("ủy", "hóa") are the same word.
_OLD_TONES = {
    "uỷ": "ủy", "uý": "úy", "uỳ": "ùy", "uỹ": "ũy", "uỵ": "ụy",
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
}  # fmt: skip
_ISSUER_SPACES = re.compile(r"[\s\u00a0]+")


def issuer_key(name: str) -> str:
    """What makes two spellings of an issuer the same body: case, spaces, lines wrapped in
    the header cell and the tone placement do not count ("BAN CHẤP HÀNH TRUNG ƯƠNG" and
    "Ban Chấp hành Trung ương" are one key). Marks do count."""
    text = unicodedata.normalize("NFC", name).lower()
    for old, new in _OLD_TONES.items():
        text = text.replace(old, new)
    return _ISSUER_SPACES.sub(" ", text).strip(" .,;:-–*")

"""Vietnamese text typed with the pre-Unicode fonts: TCVN3 (ABC, .VnTime) and VNI (VNI-Times).

Such text reaches the program in two ways: cells of an Excel file whose bytes Excel shows as
Windows-1252 glyphs ("TrÇn V¨n B×nh"), and raw bytes in a CSV or TXT file. Both are handled
the same way: the bytes are read as Windows-1252 glyphs, then the glyphs are mapped back to
the Vietnamese letters the font drew.

Nothing is converted on a guess: a text is converted only when more of its words become valid
Vietnamese syllables than before (`best_reading`), and a whole file's encoding is decided on
all its text (`detect_encoding`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

TCVN3 = "TCVN3"
VNI = "VNI"
ENCODING_LABELS = {
    TCVN3: "TCVN3 (ABC, phông .VnTime)",
    VNI: "VNI (phông VNI-Times)",
}

# -- TCVN3 ------------------------------------------------------------------------------------
# Byte → letter for the upper half of TCVN3 (ABC). Capital letters with a tone have no code:
# offices typed them in the capitals-only fonts (.VnTimeH) with the small letters' codes.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip


def glyph(byte: int) -> str:
    """The character Windows-1252 shows for a byte (Latin-1 for the five unassigned bytes)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_GLYPHS = "".join(glyph(b) for b in range(256))


def glyphs(data: bytes) -> str:
    """Bytes as the Windows-1252 glyphs Excel or Notepad would show for them."""
    return data.decode("latin-1").translate(_GLYPH_TABLE)


_GLYPH_TABLE = {b: _GLYPHS[b] for b in range(256) if _GLYPHS[b] != chr(b)}
_TCVN3_MAP = {glyph(b): ch for b, ch in _TCVN3_BYTES.items()}


def from_tcvn3(text: str) -> str:
    """TCVN3 glyphs → Unicode; a word in capitals typed with the .VnTimeH font stays capitals."""
    out = "".join(_TCVN3_MAP.get(ch, ch) for ch in text)
    return _restore_capitals(text, out)


# -- VNI --------------------------------------------------------------------------------------
# VNI writes a vowel as the plain letter followed by one mark byte (tone, or shape + tone);
# a few letters have a byte of their own. Glyphs are keyed small/capital as the font has them.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_TONES = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "Ù": _ACUTE, "Ø": _GRAVE, "Û": _HOOK, "Õ": _TILDE, "Ï": _DOT,
}  # fmt: skip
_VNI_CIRC = {
    "â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT,
    "Â": "", "Á": _ACUTE, "À": _GRAVE, "Å": _HOOK, "Ã": _TILDE, "Ä": _DOT,
}  # fmt: skip
_VNI_BREVE = {
    "ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT,
    "Ê": "", "É": _ACUTE, "È": _GRAVE, "Ú": _HOOK, "Ü": _TILDE, "Ë": _DOT,
}  # fmt: skip
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ",
    "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip
_VNI_MARKS = "".join(_VNI_TONES) + "".join(_VNI_CIRC) + "".join(_VNI_BREVE)
_VNI_PAIR = re.compile(
    f"([aeiouyAEIOUYôöÔÖ])([{re.escape(_VNI_MARKS)}])|([{''.join(_VNI_SINGLE)}])"
)


def _vni_pair(m: re.Match[str]) -> str:
    if m[3]:
        return _VNI_SINGLE[m[3]]
    base, mark = m[1], m[2]
    base = _VNI_SINGLE.get(base, base)
    plain = base.lower()
    if mark in _VNI_TONES:
        return unicodedata.normalize("NFC", base + _VNI_TONES[mark])
    if mark in _VNI_CIRC and plain in "aeo":
        return unicodedata.normalize("NFC", base + _CIRC + _VNI_CIRC[mark])
    if mark in _VNI_BREVE and plain == "a":
        return unicodedata.normalize("NFC", base + _BREVE + _VNI_BREVE[mark])
    return base + mark


def from_vni(text: str) -> str:
    """VNI-Times glyphs → Unicode ("Traàn Vaên Bình" → "Trần Văn Bình")."""
    return _VNI_PAIR.sub(_vni_pair, text)


def _restore_capitals(before: str, after: str) -> str:
    """A word whose Latin letters were all capitals is written all in capitals."""
    words_before = before.split(" ")
    words_after = after.split(" ")
    if len(words_before) != len(words_after):
        return after
    fixed = []
    for b, a in zip(words_before, words_after, strict=True):
        latin = [ch for ch in b if "A" <= ch.upper() <= "Z" and ch.isascii()]
        capitals = bool(latin) and all(ch.isupper() for ch in latin) and a != a.upper()
        if capitals and (len(latin) > 1 or len(b) == 1 or not a[1:].islower()):
            a = a.upper()
        fixed.append(a)
    return " ".join(fixed)


CONVERTERS = {TCVN3: from_tcvn3, VNI: from_vni}

# -- what Vietnamese looks like -----------------------------------------------------------
_TONE_MARKS = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}
_VOWEL_BASES = "aăâeêioôơuưy"
VIETNAMESE_LETTERS = frozenset(
    {
        unicodedata.normalize("NFC", v + t)
        for v in _VOWEL_BASES + _VOWEL_BASES.upper()
        for t in ("", *_TONE_MARKS)
    }
    | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZđĐ")
)
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_NUCLEUS = (
    r"(?:uyê|uyu|uya|iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    r"a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)"
)
_CODA = r"(?:ch|ng|nh|c|m|n|p|t|i|o|u|y)?"
_SYLLABLE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")
_TOKEN_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def is_syllable(word: str) -> bool:
    """Whether `word` (no spaces) spells one Vietnamese syllable: one tone at most."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return bool(_SYLLABLE.match(base))


def score(text: str) -> int:
    """Valid syllables minus invalid words, over the words that are not plain ASCII."""
    total = 0
    for raw in text.split():
        word = _TOKEN_EDGES.sub("", raw)
        if not word or (word.isascii() and raw.isascii()):
            continue
        if all(ch in VIETNAMESE_LETTERS for ch in word) and is_syllable(word):
            total += 1
        else:
            total -= 1
    return total


def may_be_legacy(text: str) -> bool:
    """Only text made of Windows-1252 characters (with some beyond ASCII) can be TCVN3/VNI."""
    if text.isascii():
        return False
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def best_reading(text: str, prefer: str | None = None) -> tuple[str, str | None]:
    """(text, encoding) — the reading of `text` with the most Vietnamese syllables.

    The text as it is wins a tie, unless `prefer` (the file's encoding) is given: then a tie
    between the text and that encoding goes to the encoding.
    """
    if not may_be_legacy(text):
        return text, None
    base = score(text)
    best_text, best_enc, best_score = text, None, base
    for enc, convert in CONVERTERS.items():
        converted = convert(text)
        if converted == text:
            continue
        s = score(converted)
        if s > best_score or (s == best_score and enc == prefer and s > 0):
            best_text, best_enc, best_score = converted, enc, s
    return best_text, best_enc


def detect_encoding(texts: Iterable[str]) -> str | None:
    """TCVN3, VNI or None for a whole file: the reading that makes most words Vietnamese."""
    totals = {None: 0, TCVN3: 0, VNI: 0}
    for text in texts:
        if not may_be_legacy(text):
            continue
        totals[None] += score(text)
        for enc, convert in CONVERTERS.items():
            totals[enc] += score(convert(text))
    best = max((TCVN3, VNI), key=lambda e: totals[e])
    return best if totals[best] > totals[None] + 1 else None


@dataclass(frozen=True)
class Converted:
    text: str
    encoding: str | None  # TCVN3 | VNI | None when nothing was converted
    cells: int = 0


def convert_text(text: str) -> Converted:
    """A whole document's text: converted line by line when the document is TCVN3 or VNI."""
    lines = text.split("\n")
    encoding = detect_encoding(lines)
    if encoding is None:
        return Converted(text, None)
    out: list[str] = []
    count = 0
    for line in lines:
        new, enc = best_reading(line, prefer=encoding)
        count += enc is not None
        out.append(new)
    return Converted("\n".join(out), encoding, count)


def legacy_encoding_of_bytes(data: bytes) -> str | None:
    """TCVN3 or VNI when bytes that are not UTF-8 read better that way than as Windows-1258."""
    sample = data[:400_000]
    lines = glyphs(sample).splitlines()[:2000]
    encoding = detect_encoding(lines)
    if encoding is None:
        return None
    legacy = sum(score(CONVERTERS[encoding](line)) for line in lines)
    as_1258 = unicodedata.normalize("NFC", sample.decode("cp1258", errors="replace"))
    native = sum(score(line) for line in as_1258.splitlines()[:2000])
    return encoding if legacy > native else None


def decode_legacy_bytes(data: bytes) -> tuple[str, str]:
    """Text that is not UTF-8: (text, label). TCVN3/VNI bytes come back converted; otherwise
    Windows-1258 (Vietnamese Windows, tones as combining marks) in NFC."""
    encoding = legacy_encoding_of_bytes(data)
    if encoding is not None:
        return convert_text(glyphs(data)).text, encoding
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258"


# -- what no Vietnamese name holds -------------------------------------------------------------
# Besides letters: spaces, hyphens and apostrophes (Ê Đê, Ba Na names: "H'Hen Niê"), a dot
# after an initial, and the digits or brackets offices add to tell namesakes apart.
_NAME_PUNCTUATION = frozenset(" -'’.()0123456789")


# Letters with a breve some Tây Nguyên languages write in names (Êđê, Ba Na: "Y Mŏt").
_MINORITY_LETTERS = frozenset("ĕŏŭĭĔŎŬĬ")


def foreign_characters(name: str) -> list[str]:
    """Characters of `name` that no Vietnamese name has ("?", "¨", "Ç", "Ḥ", controls…)."""
    bad: list[str] = []
    for ch in unicodedata.normalize("NFC", name):
        if ch in VIETNAMESE_LETTERS or ch in _NAME_PUNCTUATION or ch in _MINORITY_LETTERS:
            continue
        if ch not in bad:
            bad.append(ch)
    return bad


_BEYOND_1252 = re.compile("[ăđĩũơưĂĐĨŨƠƯ\u1ea0-\u1ef9]")


def has_letters_beyond_1252(text: str) -> bool:
    """Whether `text` holds Vietnamese letters Windows-1252 cannot store (ă, đ, ơ, ư, ạ, ế…):
    a file that has them was not saved as Windows-1252."""
    return bool(_BEYOND_1252.search(text))


def show_character(ch: str) -> str:
    """A character for a message: printable ones as themselves, others by code."""
    if ch == "\ufffd":
        return "“�” (ký tự hỏng)"
    if unicodedata.category(ch).startswith("C") or ch.isspace():
        return f"ký tự điều khiển U+{ord(ch):04X}"
    return f"“{ch}”"

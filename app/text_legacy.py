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
    """A word whose Latin letters were all capitals is written all in capitals. A word with a
    single Latin letter ("KÕ" → "Kế") counts as capitals beside a word of several capitals
    ("KÕ HO¹CH" → "KẾ HOẠCH") or in a line whose words of several letters are all capitals."""
    words_before = before.split(" ")
    words_after = after.split(" ")
    if len(words_before) != len(words_after):
        return after
    latin_words = [[ch for ch in b if ch.isascii() and ch.isalpha()] for b in words_before]
    # Words of letters only, with several Latin letters, all capitals: "GI¸O", "HO¹CH".
    shouting = [
        len(w) > 1 and not b.isascii() and all(ch.isupper() for ch in w) and a.isalpha()
        for w, b, a in zip(latin_words, words_before, words_after, strict=True)
    ]
    eligible = [
        w for w, a in zip(latin_words, words_after, strict=True) if len(w) > 1 and a.isalpha()
    ]
    line_in_capitals = bool(eligible) and all(ch.isupper() for w in eligible for ch in w)
    fixed = []
    for i, (b, a, latin) in enumerate(zip(words_before, words_after, latin_words, strict=True)):
        capitals = bool(latin) and all(ch.isupper() for ch in latin) and a != a.upper()
        beside_capitals = line_in_capitals or any(
            shouting[j] for j in (i - 1, i + 1) if 0 <= j < len(shouting)
        )
        if capitals and (len(latin) > 1 or len(b) == 1 or not a[1:].islower() or beside_capitals):
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
# A syllable is spelt onset + vowel nucleus + final, and the spelling rules of the national
# alphabet decide which go together (Quy định chính tả, Bộ GD-ĐT, QĐ 240/QĐ-GDĐT/2003 and
# the textbook "Tiếng Việt 1"): "k", "gh", "ngh" before i/e/ê, "c", "g", "ng" elsewhere; "q"
# only as "qu"; "y" alone after a consonant only in the Sino-Vietnamese spellings (kỳ, lý,
# quy, thy, vy); "yê" with no onset (yên), "iê" after one (tiên); ă, â, iê, uô, ươ take a
# final consonant; ch, nh follow a, ê, i only; a syllable ending in c, ch, p, t has the sắc
# or nặng tone. "Ghi chỳ", "Tờn", "Bỡnh" — TCVN3 misreadings of good text — break them.
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
           "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")  # fmt: skip
# Nuclei that end the syllable (no final consonant follows), and those that need one.
_GLIDED = frozenset(("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "iu", "oi", "ôi", "ơi",
                     "ui", "ưi", "ưu", "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi",
                     "ươi", "ươu", "uyu", "uya", "ia", "ua", "ưa"))  # fmt: skip
_NEEDS_FINAL = frozenset(("ă", "â", "iê", "yê", "uô", "ươ", "uyê", "oă", "uâ", "oo"))
_NUCLEI = tuple(
    sorted(
        _GLIDED
        | _NEEDS_FINAL
        | {"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uơ", "uy"},
        key=len,
        reverse=True,
    )
)
_FINALS = frozenset(("ch", "ng", "nh", "c", "m", "n", "p", "t"))
_FRONT = "ieêy"
_Y_ALONE_AFTER = frozenset(("", "h", "k", "l", "m", "n", "qu", "s", "t", "th", "v"))
_STOP_TONES = frozenset((_ACUTE, _DOT))  # after c, ch, p, t
# Punctuation and digits around a word are not part of it; "§", "¦", "®" are: TCVN3's Đ, Ư, đ.
_WORD_BREAKS = re.compile(r"[\s/\-]+")  # "KL/T¦", "Q§-UBND": a code is words too
_TOKEN_EDGES = re.compile(r"^[^\w§¦®]+|^\d+|[^\w§¦®]+$|\d+$")


def _spelling_ok(onset: str, nucleus: str, final: str) -> bool:
    front = nucleus[0] in _FRONT
    if onset in ("k", "gh", "ngh") and not front:
        return False
    if onset in ("c", "ng") and front:
        return False
    if onset in ("gh", "ngh") and nucleus[0] == "y":
        return False
    if onset == "g" and nucleus[0] in "eê":
        return False
    if onset == "gi" and nucleus[0] in "iy":
        return False
    if onset == "qu" and nucleus[0] in "uưo":
        return False
    if nucleus.startswith("yê") and onset not in ("", "qu"):
        return False
    if nucleus.startswith("iê") and onset in ("", "qu"):
        return False
    if nucleus == "y" and (onset not in _Y_ALONE_AFTER or (final and onset != "qu")):
        return False
    if final == "k":  # Đắk, Lắk: Tây Nguyên place names
        return nucleus == "ă"
    if final and nucleus in _GLIDED:
        return False
    if not final and nucleus in _NEEDS_FINAL:
        return False
    if final in ("ch", "nh") and nucleus not in ("a", "ê", "i", "y", "uy", "oa", "uê"):
        return False
    if final in ("c", "ng") and nucleus in ("i", "y", "uy", "ơ", "uơ", "uê"):
        return False
    return nucleus != "oo" or final in ("c", "ng")  # xoong, moóc


def is_syllable(word: str) -> bool:
    """Whether `word` (no spaces) spells one Vietnamese syllable: one tone at most, and the
    onset, vowel and final as Vietnamese spelling puts them together."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    for onset in _ONSETS:
        if not base.startswith(onset):
            continue
        rest = base[len(onset) :]
        for nucleus in _NUCLEI:
            if not rest.startswith(nucleus):
                continue
            final = rest[len(nucleus) :]
            if final and final not in _FINALS and final != "k":
                continue
            if final in ("c", "ch", "p", "t") and not (tones and tones[0] in _STOP_TONES):
                continue
            if _spelling_ok(onset, nucleus, final):
                return True
    return False


def score(text: str) -> int:
    """Valid syllables minus invalid words, over the words that are not plain ASCII; a word
    holding a character that is no letter ("§T", "B×nh") counts twice against."""
    total = 0
    for raw in _WORD_BREAKS.split(text):
        word = _TOKEN_EDGES.sub("", raw)
        if not word or (word.isascii() and raw.isascii()):
            continue
        if not all(ch in VIETNAMESE_LETTERS for ch in word):
            total -= 2
        elif is_syllable(word):
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


def reads_as_vietnamese(text: str) -> bool:
    """Whether every word of `text` beyond plain ASCII already spells a Vietnamese syllable
    ("Ghi chú", "Hòa Bình"): such text is taken as it is unless it scores strictly better
    converted, which cannot happen — the text as it is already has the top score."""
    words = [w for w in (_TOKEN_EDGES.sub("", raw) for raw in _WORD_BREAKS.split(text)) if w]
    legacy_words = [w for w in words if not w.isascii()]
    return bool(legacy_words) and score(text) == len(legacy_words)


def best_reading(
    text: str, prefer: str | None = None, *, legacy_file: bool = False
) -> tuple[str, str | None]:
    """(text, encoding) — the reading of `text` with the most Vietnamese syllables.

    The text as it is wins a tie. `prefer` (the encoding detected for the whole file) breaks
    a tie between the text and that encoding only when the text as it is does not read as
    Vietnamese: a file of TCVN3 names may keep a header typed in Unicode ("Ghi chú" stays,
    though "Ghi chỳ"/"Ghi chú" is what TCVN3 would read). `legacy_file` says the caller found
    nothing in the file that a legacy font cannot produce (no ơ, ư, ạ, ế… in Unicode): then
    the file's encoding wins every tie ("Chi bé", "Ghi chó" in a TCVN3 file → "Chi bộ",
    "Ghi chú").
    """
    if not may_be_legacy(text):
        return text, None
    base = score(text)
    best_text, best_enc, best_score = text, None, base
    ties_to_prefer = prefer is not None and (legacy_file or not reads_as_vietnamese(text))
    for enc, convert in CONVERTERS.items():
        converted = convert(text)
        if converted == text:
            continue
        s = score(converted)
        # Between two conversions the file's encoding wins a tie ("QÑ": VNI "QĐ", TCVN3 "QẸ").
        tie_won = enc == prefer and (best_enc is not None or (ties_to_prefer and s > 0))
        if s > best_score or (s == best_score and tie_won):
            best_text, best_enc, best_score = converted, enc, s
    return best_text, best_enc


def is_legacy_file(texts: Iterable[str], encoding: str | None) -> bool:
    """Whether a file detected as `encoding` holds no letter only Unicode can store."""
    return encoding is not None and not any(has_letters_beyond_1252(t) for t in texts)


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
    legacy_file = is_legacy_file(lines, encoding)
    for line in lines:
        new, enc = best_reading(line, prefer=encoding, legacy_file=legacy_file)
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

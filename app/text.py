"""Vietnamese text: NFC normalisation, tone-and-mark-free search keys, name ordering."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Combining marks that change the letter itself (part of the alphabet), not the tone.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Tone marks in the conventional dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# The Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str | None) -> str:
    """NFC, spaces collapsed, trimmed. None becomes ''."""
    if text is None:
        return ""
    return _SPACES.sub(" ", nfc(str(text))).strip()


def fold(text: str | None) -> str:
    """A search key: lower case, no tones or marks, đ→d, spaces collapsed.

    SQLite's remove_diacritics does not fold đ, so search keys are computed here and stored.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def _letter_keys(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for ch in nfc(word.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        marks = decomposed[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in (_BREVE, _CIRCUMFLEX, _HORN):
                letter = unicodedata.normalize("NFC", letter + mark)
        if letter in _RANK:
            primary.append(_RANK[letter])
        elif letter.isdigit():
            primary.append(-10 + int(letter))
        else:
            primary.append(100 + ord(letter))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def collation_key(text: str) -> tuple[tuple[int, ...], ...]:
    """Sort key following the Vietnamese alphabet (ă after a, đ after d) then tones."""
    words = clean(text).split(" ") if text else []
    keys = [_letter_keys(w) for w in words]
    return tuple(k[0] for k in keys) + tuple(k[1] for k in keys)


def name_sort_string(full_name: str) -> str:
    """A plain string that sorts like name_sort_key, for ORDER BY in SQL.

    Word by word, the given name first: each word is its letters (two base-36 digits of the
    alphabet rank each), "!" and its tones, so a word is placed whole — letters, then the
    vowel letter (ư after u, ơ after ô), then the tone — before the next word counts:
    "Nguyễn Thị Thanh Hương" before "Lê Thị Thu Hường". This is the order of Vietnamese
    dictionaries (Hoàng Phê, Từ điển tiếng Việt, Viện Ngôn ngữ học: tones ngang, huyền,
    hỏi, ngã, sắc, nặng; the same in Unicode CLDR's Vietnamese collation, vi.xml
    "&A<<à<<ả<<ã<<á<<ạ") applied to a name list sorted by given name, then family name,
    then middle names. "!" sorts below every digit, so "Hoa" comes before "Hoan" whatever
    their tones; words are joined by " ", lower still, so "Hoa" comes before "Hoa An".
    """
    words = clean(full_name).split(" ")
    if not words or words == [""]:
        return ""
    ordered = [words[-1], *words[:-1]]
    parts: list[str] = []
    for word in ordered:
        prim, tones = _letter_keys(word)
        parts.append("".join(_enc(p) for p in prim) + "!" + "".join(str(t) for t in tones))
    return " ".join(parts)


def _enc(rank: int) -> str:
    value = max(0, rank + 20)  # digits (negative ranks) sort before letters
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[value // 36 % 36] + digits[value % 36]


def name_sort_key(full_name: str) -> str:
    """Vietnamese name order: the given name (last word) first, then the rest in order."""
    return name_sort_string(full_name)

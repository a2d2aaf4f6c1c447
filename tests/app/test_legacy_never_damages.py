"""Legacy-encoding detection (app/text_legacy) over real Vietnamese text: text that is already
proper Unicode is never changed, whatever encoding the rest of the file is in, and the same
text typed with the TCVN3 (.VnTime) or VNI (VNI-Times) fonts comes back exactly.

The corpus: every label of the member importer's columns and the header wordings its tests
use, the names the demo branch is made of (every family × middle × given name), the 40 real
document headers in tests/data/headers (line by line and word by word) and a list of common
given names, with the spellings that are easy to get wrong (Thy, Vy, Quỳnh, Khuê, Nguyệt…).

The TCVN3 and VNI encoders below are written from the fonts' code tables (TCVN 5712:1993 VN3;
VNI-Times), not taken from the program, so a wrong entry in the program's tables shows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from functools import cache

import pytest

from app import demo
from app.importers.columns import FIELD_LABELS
from app.text_legacy import (
    TCVN3,
    VNI,
    best_reading,
    convert_text,
    detect_encoding,
    is_legacy_file,
    is_syllable,
    reads_as_vietnamese,
)
from tests.app.test_real_headers import HEADERS, load_cases

# -- the corpus --------------------------------------------------------------------------------

HEADER_WORDINGS = [
    "STT", "Họ và tên", "Họ tên", "Họ và tên đệm", "Tên", "Ngày sinh", "Sinh ngày", "Năm sinh",
    "Giới tính", "Phái", "Nam", "Nữ", "Ngày vào Đảng", "Kết nạp ngày", "Ngày chính thức",
    "Ngày, tháng, năm", "Vào Đảng", "Chính thức", "Số thẻ đảng viên", "Số thẻ ĐV",
    "Số CMND/CCCD", "Số định danh cá nhân", "Số định danh", "Số điện thoại", "Số ĐT",
    "Điện thoại", "Chi bộ", "Trạng thái", "Tình trạng", "Chức vụ", "Chức danh", "Địa chỉ",
    "Nơi ở hiện nay", "Ghi chú", "Ghi chú khác", "Có điện thoại thông minh", "Cần hỗ trợ",
    "Bệnh hiểm nghèo", "Ngày từ trần", "Số thứ tự", "Họ và tên đảng viên", "Quê quán",
    "Dân tộc", "Tôn giáo", "Trình độ", "Nghề nghiệp", "Ký tên", "Dự bị", "Miễn sinh hoạt",
    "Đã chuyển đi", "Khu phố", "Tổ", "Thôn", "Ấp", "Bản", "Xóm", "Phường", "Xã",
    "DANH SÁCH ĐẢNG VIÊN", "Danh sách đảng viên chi bộ",
]  # fmt: skip

GIVEN_NAMES = [
    "An", "Ánh", "Bảo", "Bích", "Bình", "Cúc", "Cường", "Chi", "Chiến", "Chinh", "Chúc",
    "Dũng", "Duy", "Duyên", "Dương", "Đạt", "Điệp", "Định", "Đông", "Giang", "Gấm", "Giao",
    "Hà", "Hải", "Hạnh", "Hằng", "Hiền", "Hiếu", "Hoa", "Hòa", "Hoà", "Hoài", "Hoàng", "Hồng",
    "Huệ", "Hùng", "Huy", "Huyền", "Huỳnh", "Hương", "Hường", "Hưng", "Hy", "Kiên", "Kiều",
    "Kim", "Kỳ", "Khánh", "Khoa", "Khuê", "Khuyên", "Lan", "Liên", "Liễu", "Linh", "Loan",
    "Lộc", "Luyến", "Lực", "Ly", "Lý", "Mai", "Mạnh", "Minh", "My", "Mỹ", "Nga", "Ngân",
    "Nghĩa", "Nghiêm", "Ngọc", "Nguyệt", "Nhàn", "Nhung", "Ny", "Oanh", "Phong", "Phú",
    "Phúc", "Phụng", "Phương", "Phượng", "Quang", "Quân", "Quế", "Quốc", "Quý", "Quyên",
    "Quyết", "Quỳnh", "Sáu", "Sơn", "Sỹ", "Sĩ", "Tâm", "Tấn", "Thanh", "Thảo", "Thắm",
    "Thắng", "Thoa", "Thu", "Thuận", "Thủy", "Thuỷ", "Thúy", "Thy", "Tiến", "Toàn", "Tú",
    "Tuấn", "Tuyết", "Tùng", "Tư", "Tường", "Uyên", "Văn", "Vân", "Việt", "Vinh", "Vy",
    "Xoan", "Xuân", "Yên", "Yến", "Ý", "Ước", "Khuyến", "Khuỷu", "Ngoãn", "Quách", "Gìn",
    "Ghi", "Ghế", "Nghệ", "Kể", "Kia", "Giếng", "Giữ", "Quở", "Thuở", "Xoong", "Khuya",
    "Chuyện", "Truyền", "Huấn", "Luận", "Nguyễn", "Oai", "Ngoài", "Khoẻ", "Khỏe", "Toé",
]  # fmt: skip


def _demo_names() -> list[str]:
    names: list[str] = []
    for family in demo._FAMILY:
        for middles, givens in ((demo._MIDDLE_M, demo._GIVEN_M), (demo._MIDDLE_F, demo._GIVEN_F)):
            names += [f"{family} {m} {g}" for m in middles for g in givens]
    return names


def _ocr(case_name: str) -> bool:
    meta = json.loads((HEADERS / f"{case_name}.json").read_text(encoding="utf-8"))
    return "_ocr" in meta.get("text_file", "")


@cache
def corpus() -> tuple[str, ...]:
    texts: list[str] = list(FIELD_LABELS.values()) + HEADER_WORDINGS + GIVEN_NAMES
    texts += _demo_names()
    words: set[str] = set()
    for case in load_cases():
        if _ocr(case.name):
            continue  # text read by OCR, diacritics half lost ("Thuc hién"): not correct text
        for line in case.text.split("\n"):
            line = line.strip()
            if line:
                texts.append(line)
            words.update(re.sub(r"^[\W\d_]+|[\W\d_]+$", "", w) for w in line.split())
    texts += sorted(w for w in words if w and not w.isascii())
    return tuple(dict.fromkeys(unicodedata.normalize("NFC", t) for t in texts))


# -- encoders written from the fonts' tables ------------------------------------------------

_TCVN3_CODES = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip


def _shown(code: int) -> str:
    """The glyph Excel shows for a byte (Windows-1252; Latin-1 for its five holes)."""
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(code)


def to_tcvn3(text: str) -> str:
    """Text as typed with .VnTime, shown as Excel shows it. A capital with a tone has no
    code: a word all in capitals is typed with .VnTimeH (the small letters' codes), elsewhere
    the small letter is what the font can give."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = _TCVN3_CODES.get(ch) or _TCVN3_CODES.get(ch.lower())
        out.append(_shown(code) if code else ch)
    return "".join(out)


def tcvn3_reading(text: str) -> str:
    """What TCVN3 can hold of `text`: toned capitals small, except in words all in capitals
    that have a plain Latin capital to show it ("VIỆT", not "Ý")."""
    words = []
    for word in unicodedata.normalize("NFC", text).split(" "):
        if len(re.findall("[A-Z]", word)) > 1 and not re.search("[a-z]", word):
            word = word.upper()  # typed with .VnTimeH: read back in capitals ("XàHỘI")
        elif word.upper() != word or not re.search("[A-Z]", word):
            word = "".join(
                ch.lower() if ch not in _TCVN3_CODES and ch.lower() in _TCVN3_CODES else ch
                for ch in word
            )
        words.append(word)
    return " ".join(words)


# VNI-Times: a vowel is its plain letter then one mark byte; ơ, ư, đ and some i/y have bytes.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_OWN = {"đ": "ñ", "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î"}


def _vni_letter(ch: str) -> str:
    low = ch.lower()
    upper = ch != low
    if low in _VNI_OWN:
        out = _VNI_OWN[low]
        return out.upper() if upper else out
    parts = unicodedata.normalize("NFD", low)
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _VNI_TONE), "")
    if "\u0302" in marks:
        tail = _VNI_CIRC[tone]
    elif "\u0306" in marks:
        tail = _VNI_BREVE[tone]
    elif "\u031b" in marks:  # ơ = "ô", ư = "ö", then the tone
        base = {"o": "ô", "u": "ö"}[base]
        tail = _VNI_TONE.get(tone, "")
    else:
        tail = _VNI_TONE.get(tone, "")
    if upper:
        base, tail = base.upper(), tail.upper()
    return base + tail


def case_blind(text: str) -> str:
    """Words of one Latin letter in small letters: whether TCVN3 "TÕ" is "TẾ" or "Tế" the
    font does not say; the program guesses from the words around it."""
    return " ".join(
        w.lower() if len(re.findall("[A-Za-z]", w)) <= 1 else w for w in text.split(" ")
    )


def to_vni(text: str) -> str:
    return "".join(_vni_letter(ch) for ch in unicodedata.normalize("NFC", text))


# -- the assertions -----------------------------------------------------------------------------

PREFERENCES = (None, TCVN3, VNI)


def damaged(texts: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    out = []
    for text in texts:
        for prefer in PREFERENCES:
            got, _ = best_reading(text, prefer=prefer)
            if got != text:
                out.append((text, prefer, got))
    return out


def test_the_corpus_is_big_and_real() -> None:
    texts = corpus()
    assert len(texts) > 5000
    assert "Ghi chú" in texts and "Nguyễn Thị Thanh Hương" in texts
    assert sum(1 for t in texts if " " not in t) > 800  # single words, not only lines


def test_unicode_vietnamese_is_never_changed_whatever_the_file_encoding() -> None:
    bad = damaged(corpus())
    assert bad == [], f"{len(bad)} damaged, e.g. {bad[:10]}"


def test_the_testers_header_cell() -> None:
    for prefer in PREFERENCES:
        assert best_reading("Ghi chú", prefer=prefer) == ("Ghi chú", None)


@pytest.mark.parametrize(
    ("encoding", "encode", "reading"),
    [(TCVN3, to_tcvn3, tcvn3_reading), (VNI, to_vni, str)],
    ids=["tcvn3", "vni"],
)
def test_the_corpus_typed_in_a_legacy_font_comes_back_exactly(
    encoding: str, encode: Callable[[str], str], reading: Callable[[str], str]
) -> None:
    # "STT", "Ghi", "KÝ" (TCVN3 "Ký") read the same typed or not: nothing to convert.
    texts = [t for t in corpus() if case_blind(encode(t)) != case_blind(reading(t))]
    legacy = [encode(t) for t in texts]
    assert len(texts) > 5000
    # The whole file is recognised, and it holds nothing only Unicode can store…
    assert detect_encoding(legacy) == encoding
    assert is_legacy_file(legacy, encoding)
    # …so each cell comes back, even those that also read as Vietnamese ("Chi bé", "Hoàng").
    wrong = []
    for text, typed in zip(texts, legacy, strict=True):
        got, enc = best_reading(typed, prefer=encoding, legacy_file=True)
        if case_blind(got) != case_blind(reading(text)) or enc != encoding:
            wrong.append((text, typed, got))
    assert wrong == AMBIGUOUS[encoding], f"{len(wrong)} wrong, e.g. {wrong[:10]}"
    # A document of the same lines, through the documents' path.
    document = convert_text("\n".join(legacy))
    assert document.encoding == encoding
    expected = [case_blind(reading(t)) for t in texts]
    lines = [case_blind(line) for line in document.text.split("\n")]
    assert len([1 for a, b in zip(lines, expected, strict=True) if a != b]) == len(wrong)


# What no reading can get back: VNI "NÑ" is "NĐ" and TCVN3 "NẸ" (a syllable) alike; "thiêt"
# is misspelt in its document (a syllable ending in t takes the sắc or nặng tone).
AMBIGUOUS = {TCVN3: [], VNI: [("NĐ-CP", "NÑ-CP", "NẸ-CP"), ("thiêt", "thieât", "thieât")]}


def test_a_legacy_cell_that_does_not_read_as_vietnamese_needs_no_file_context() -> None:
    """Outside a wholly legacy file, a cell is converted when the font's reading is better
    Vietnamese than the glyphs are — every line of the corpus that is not itself Vietnamese."""
    wrong = []
    for text in corpus():
        for encoding, encode, reading in ((TCVN3, to_tcvn3, tcvn3_reading), (VNI, to_vni, str)):
            typed = encode(text)
            if typed == text or reads_as_vietnamese(typed):
                continue
            got, enc = best_reading(typed, prefer=encoding)
            if case_blind(got) != case_blind(reading(text)) or enc != encoding:
                wrong.append((text, typed, got))
    assert wrong == AMBIGUOUS[VNI], f"{len(wrong)} wrong, e.g. {wrong[:10]}"


@pytest.mark.parametrize(
    "word",
    ["chỳ", "chy", "trý", "ngé", "ngi", "ghá", "gê", "ká", "cí", "qa", "quu", "iên", "tyên",
     "bă", "thâ", "tiê", "aii", "ech", "ôch", "ing", "quơng"],
)  # fmt: skip
def test_spellings_vietnamese_does_not_write_are_not_syllables(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["chú", "gì", "gìn", "giếng", "ghi", "nghĩa", "kể", "kìa", "quốc", "quỳnh", "quýt", "huých",
     "khuỷu", "yêu", "yến", "thy", "vy", "kỳ", "lý", "uyên", "khuya", "xoong", "ỉa", "oanh",
     "khuếch", "ăn", "ấy", "ngoằn", "quở", "thuở", "giặc", "gỉ"],
)  # fmt: skip
def test_real_syllables_stay_syllables(word: str) -> None:
    assert is_syllable(word)


def damage_counts() -> dict[str, int]:
    """Figures for the report: `python -m tests.app.test_legacy_never_damages`."""
    texts = corpus()
    return {
        "corpus": len(texts),
        "damaged": len({t for t, _, _ in damaged(texts)}),
        "damaged (text, prefer)": len(damaged(texts)),
    }


if __name__ == "__main__":
    print(damage_counts())
    for text, prefer, got in damaged(corpus())[:40]:
        print(f"{prefer}: {text!r} -> {got!r}")

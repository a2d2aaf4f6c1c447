"""Recognising a Party or State document's parts from its text.

From the layout of HD 36-HD/VPTW: the issuing body top left, the number line ("Số 18-KH/ĐU"),
the place and date line ("Thọ Xuân, ngày 17 tháng 9 năm 2025"), then the title (the type word
in capitals, "KẾ HOẠCH", and the line or two after it). Numbers come in the Party form
NUMBER-TYPE/ISSUER (339-QĐ/TW) and the State form NUMBER/TYPE-ISSUER (13/KH-SVHTTDL).

Text from OCR without Vietnamese loses its marks and misreads some letters (Đ as P or B, "Số"
as "S6", QĐ as QB or OP); the common cases are repaired here. What comes out is a proposal
the secretary confirms or corrects.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from app.documents.folding import fold_aligned, looks_unaccented
from app.text import clean, fold
from app.validation.provinces import PROVINCES

# Type codes as written in numbers (folded, upper) → the canonical spelling.
NUMBER_TYPES: dict[str, str] = {
    "NQ": "NQ", "CT": "CT", "QD": "QĐ", "KL": "KL", "HD": "HD", "KH": "KH", "TB": "TB",
    "BC": "BC", "CTR": "CTr", "BB": "BB", "GM": "GM", "TTR": "TTr", "CV": "CV",
    "KHHD": "KHHĐ", "CTHD": "CTHĐ", "QC": "QC", "DA": "ĐA", "TT": "TT", "ND": "NĐ",
    "NQLT": "NQLT", "TTLT": "TTLT", "HDLT": "HDLT", "TTRA": "TTra", "UBND": "UBND",
}  # fmt: skip
# Canonical number type → the library's document type (app.models.document.DOCUMENT_TYPES).
_TYPE_OF_NUMBER: dict[str, str] = {
    "NQ": "NQ", "CT": "CT", "QĐ": "QĐ", "KL": "KL", "HD": "HD", "KH": "KH", "TB": "TB",
    "BC": "BC", "CTr": "CTr", "BB": "BB", "GM": "GM", "KHHĐ": "KH", "CTHĐ": "CTr", "CV": "CV",
}  # fmt: skip
# State types and what a number without a type is: those are not a công văn; a State number
# whose middle part is not one of these (454/UBND-NCTH, 926/VPCP-KTTH) is a công văn's.
_STATE_TYPES = frozenset(
    {"QĐ", "NQ", "CT", "KH", "TB", "BC", "HD", "TT", "NĐ", "TTr", "TTLT", "NQLT", "CTr", "KL",
     "BB", "GM", "QC", "ĐA", "TTra", "KHHĐ", "CTHĐ", "HDLT", "CV"}
)  # fmt: skip
# Issuer codes that contain Đ, which OCR and unaccented typing lose ("18-KH/DU").
_ISSUERS_WITH_D: dict[str, str] = {
    "DU": "ĐU", "DUK": "ĐUK", "BCD": "BCĐ", "BCDTW": "BCĐTW", "VPDU": "VPĐU", "DTN": "ĐTN",
    "DCS": "ĐCS", "DUCCQ": "ĐUCCQ", "DUQS": "ĐUQS",
}  # fmt: skip

# Title words (folded) → document type, longest first where one contains another.
TITLE_WORDS: tuple[tuple[str, str], ...] = (
    ("nghi quyet", "NQ"), ("chi thi", "CT"), ("quy dinh", "QĐ"), ("quyet dinh", "QĐ"),
    ("ket luan", "KL"), ("huong dan", "HD"), ("ke hoach", "KH"), ("thong bao", "TB"),
    ("bao cao", "BC"), ("chuong trinh", "CTr"), ("bien ban", "BB"), ("giay moi", "GM"),
    ("to trinh", "KHAC"), ("cong van", "CV"), ("quy che", "KHAC"), ("de an", "KHAC"),
    ("thong tri", "KHAC"), ("cong dien", "KHAC"), ("thong tu lien tich", "KHAC"),
    ("thong tu", "KHAC"), ("nghi dinh", "KHAC"), ("quy trinh", "KHAC"),
)  # fmt: skip
TYPE_TITLES: dict[str, str] = {
    "NQ": "NGHỊ QUYẾT", "CT": "CHỈ THỊ", "QĐ": "QUY ĐỊNH", "KL": "KẾT LUẬN",
    "HD": "HƯỚNG DẪN", "KH": "KẾ HOẠCH", "TB": "THÔNG BÁO", "BC": "BÁO CÁO",
    "CTr": "CHƯƠNG TRÌNH", "BB": "BIÊN BẢN", "GM": "GIẤY MỜI", "CV": "CÔNG VĂN",
}  # fmt: skip

_CODE = r"[A-ZĐÐ]"
_CODE_CHARS = r"[A-Za-zĐđÐ]"
# Issuer codes: capitals (Ư and Ơ too: "445-KL/TƯ" as some fonts give TU), digits, and further
# parts after a dash ("367-QĐ/TWĐTN-VP", "11/2008/TTLT-BYT-BKHCN").
_ISSUER_CODE = r"[A-ZĐÐƯƠ][A-ZĐÐƯƠ0-9&]{0,14}"
_PARTY = re.compile(
    rf"(?<![\d/.\-–])(\d{{1,5}})[ \t]{{0,2}}[-–—‐][ \t]{{0,2}}({_CODE}{_CODE_CHARS}{{0,5}})"
    rf"[ \t]{{0,2}}/[ \t]{{0,2}}({_ISSUER_CODE}(?:-{_ISSUER_CODE})*)(?![\w])"
)
# State numbers with a year and no type: "653/2019/UBTVQH14", "01/2016/QH14".
_STATE_NO_TYPE = re.compile(
    r"(?<![\d/.\-–])(\d{1,5})[ \t]{0,2}/[ \t]{0,2}(\d{4})[ \t]{0,2}/[ \t]{0,2}"
    r"((?:PL-)?(?:UBTVQH|QH)\d{1,2})(?![\w])"
)
# The type glued to the issuer where a PDF or page lost the hyphen: "1961/QĐUBND".
_STATE_GLUED = re.compile(
    r"(?<![\d/.\-–])(\d{1,5})[ \t]{0,2}/[ \t]{0,2}(?:(\d{4})[ \t]{0,2}/[ \t]{0,2})?"
    r"(QĐ|NQ|NĐ|CT|KH|TB|BC|HD|TTr|TT)(UBND|HĐND|CP|TTg)(?![\w])"
)
_STATE = re.compile(
    rf"(?<![\d/.\-–])(\d{{1,5}})[ \t]{{0,2}}/[ \t]{{0,2}}(?:(\d{{4}})[ \t]{{0,2}}/[ \t]{{0,2}})?"
    rf"({_CODE}{_CODE_CHARS}{{0,5}})[ \t]{{0,2}}[-–][ \t]{{0,2}}"
    rf"({_CODE}[A-Za-zĐÐ0-9]{{0,14}}(?:-{_CODE}[A-Za-zĐÐ0-9]{{0,14}})*)(?![\w])"
)
# "Số", "Số:", and OCR's "S6", "So", "Sb" just before the number (folded, at a line's end).
_SO_BEFORE = re.compile(r"(?:^|\W)s[o06eb]?\s*[:.]?\s*$")
_DATE_LINE = re.compile(r"ng\w{0,2}y\s*(\d{1,2})\s*th\w{0,3}ng\s*(\d{1,2})\s*n\w{0,2}m\s*(\d{4})")
_SIGNED_ON = re.compile(r"ng\w{1,2}y\s*ky\s*:?\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_BODY_START = re.compile(
    r"^(?:thuc hien|thuc hi[eé]n|can cu|kinh gui|[ivx]{1,4}\s*[.\-–]\s|"
    r"phan (?:i|thu)|1\.\s|a\.\s)"
)
_PARTY_NAME = re.compile(r"[dpb]ang\s*cong\s*san\s*viet\s*nam")
_STATE_MOTTO = re.compile(
    r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam|doc\s*lap\s*[-–]?\s*tu\s*do\s*[-–]?\s*hanh\s*phuc"
)
_MARKUP = re.compile(r"^[\s*#>_\\|]+|[\s*_\\|]+$")
_SUBORDINATE = ("ban ", "van phong", "uy ban kiem tra", "bo phan", "phong ")
# A Party committee above its department ("TỈNH ỦY ĐỒNG NAI" over "BAN TUYÊN GIÁO ..."); not
# the first word of a wrapped name ("ỦY" over "BAN NHÂN DÂN").
_PARTY_PARENT = re.compile(
    r"\b(?:tinh|huyen|thanh|quan|thi|dang|chi|khoi) uy\b|ban chap hanh|\bdang bo\b"
)
_ISSUER_CLAUSE = re.compile(
    r"(?:^|[,;.:]\s|\n)\s*([^,;.:\n]{3,90}?(?:\n[^,;.:\n]{0,60}?)?)\s+(?:xay dung|ban hanh)\s+"
    r"(?:ke hoach|huong dan|nghi quyet|chuong trinh|quy dinh|quyet dinh|thong bao|chi thi)"
)


@dataclass(frozen=True)
class DocNumber:
    """A document number: "339-QĐ/TW" (Party form) or "13/KH-SVHTTDL" (State form)."""

    serial: str
    type_code: str
    issuer: str
    form: str  # party | state
    year: str = ""

    def __str__(self) -> str:
        if self.form == "party":
            return f"{self.serial}-{self.type_code}/{self.issuer}"
        year = f"{self.year}/" if self.year else ""
        if not self.type_code:
            return f"{self.serial}/{year}{self.issuer}"
        return f"{self.serial}/{year}{self.type_code}-{self.issuer}"

    @property
    def doc_type(self) -> str:
        """The library's type code (KH, NQ, ...), or KHAC."""
        return _TYPE_OF_NUMBER.get(self.type_code, "KHAC")

    @property
    def is_letter_number(self) -> bool:
        """A State number with no document type in it (454/UBND-NCTH): a công văn's."""
        return (
            self.form == "state" and bool(self.type_code) and (self.type_code not in _STATE_TYPES)
        )


@dataclass(frozen=True)
class FoundNumber:
    number: DocNumber
    start: int
    end: int


@dataclass(frozen=True)
class Recognised:
    number: str = ""
    doc_type: str = "KHAC"
    issuer: str = ""
    place: str = ""
    issued_on: dt.date | None = None
    title: str = ""
    references: tuple[str, ...] = ()  # other documents the text cites, in order
    unaccented: bool = False  # OCR'd or typed without marks: every field needs a look


# -- numbers ---------------------------------------------------------------------------------
def _d(code: str) -> str:
    return code.replace("Ð", "Đ").replace("đ", "Đ")


def canonical_type(raw: str) -> str:
    """The type part of a number, spelled as usual: "QD" → "QĐ"; OCR's "QB", "OP" too."""
    raw = _d(raw)
    key = fold(raw).upper()
    if key in NUMBER_TYPES:
        return NUMBER_TYPES[key]
    variants = {key.replace("B", "D").replace("P", "D")}
    variants |= {"Q" + v[1:] for v in list(variants) if v.startswith("O")}
    for variant in sorted(variants):
        if variant in NUMBER_TYPES:
            return NUMBER_TYPES[variant]
    return raw if raw[:1].isupper() else raw.upper()


def canonical_issuer(raw: str) -> str:
    raw = _d(raw)
    key = fold(raw).upper()
    if key in _ISSUERS_WITH_D:
        return _ISSUERS_WITH_D[key]
    variant = key.replace("P", "D")
    if variant != key and variant in _ISSUERS_WITH_D:
        return _ISSUERS_WITH_D[variant]
    return raw


def find_numbers(text: str) -> list[FoundNumber]:
    """Every document number in the text, in order, normalised."""
    found: list[FoundNumber] = []
    for m in _PARTY.finditer(text):
        serial = m.group(1)
        start = m.start()
        if start > 0 and text[start - 1].isalpha():
            # "S616 -KH/DU": OCR read "Số 16" as "S616"; any other letter: not a number.
            if text[start - 1] in "Ss" and serial.startswith("6") and len(serial) > 1:
                serial = serial[1:]
            else:
                continue
        number = DocNumber(
            serial=serial,
            type_code=canonical_type(m.group(2)),
            issuer=canonical_issuer(m.group(3)),
            form="party",
        )
        found.append(FoundNumber(number, start, m.end()))
    for m in _STATE_NO_TYPE.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue
        number = DocNumber(
            serial=m.group(1), type_code="", issuer=m.group(3), form="state", year=m.group(2)
        )
        found.append(FoundNumber(number, m.start(), m.end()))
    for m in _STATE_GLUED.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue
        number = DocNumber(
            serial=m.group(1),
            type_code=m.group(3),
            issuer=m.group(4),
            form="state",
            year=m.group(2) or "",
        )
        found.append(FoundNumber(number, m.start(), m.end()))
    for m in _STATE.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue
        number = DocNumber(
            serial=m.group(1),
            type_code=canonical_type(m.group(3)),
            issuer=_d(m.group(4)),
            form="state",
            year=m.group(2) or "",
        )
        found.append(FoundNumber(number, m.start(), m.end()))
    found.sort(key=lambda f: f.start)
    return found


def parse_number(text: str) -> DocNumber | None:
    """The first number in `text` ("Số 18 - KH/ĐU" → 18-KH/ĐU), or None."""
    found = find_numbers(text)
    return found[0].number if found else None


def normalise_number(text: str) -> str:
    """A number as typed by the user, put in the usual form when it is recognisable."""
    number = parse_number(clean(text))
    return str(number) if number else clean(text)


# -- the whole document ----------------------------------------------------------------------
@dataclass
class _Line:
    text: str  # original, markup stripped
    folded: str  # fold_aligned(text)
    start: int  # offset of the raw line in the document text


def _lines(text: str, limit: int = 80) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n")[:limit]:
        stripped = _MARKUP.sub("", raw)
        offset = raw.find(stripped) if stripped else 0
        out.append(_Line(stripped, fold_aligned(stripped), pos + max(0, offset)))
        pos += len(raw) + 1
    return out


# A header run together on one line (the text layer of some converted files): it is cut
# before the motto, after it, before "Số:", after the date and before the body.
_RUN_TOGETHER_CUTS = re.compile(
    r"(?=cong\s*hoa\s*xa)|(?<=viet\snam)|(?=doc\s*lap)|(?<=hanh\sphuc)|(?=\bso\s*:?\s*\d)"
    r"|(?<=nam\s\d{4})(?=\s)|(?=\bcan cu\b)|(?<=\S\s)(?=(?:chu tich )?uy ban nhan dan)"
)


def _split_run_together(text: str) -> str:
    """Put the parts of a header written on one long line on lines of their own."""
    first, sep, rest = text.lstrip("\n").partition("\n")
    folded = fold_aligned(first)
    motto = _STATE_MOTTO.search(folded) or _PARTY_NAME.search(folded)
    if len(first) < 150 or not motto or not _DATE_LINE.search(folded):
        return text
    cuts = sorted({m.start() for m in _RUN_TOGETHER_CUTS.finditer(folded)} - {0})
    pieces = [first[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(first)], strict=True)]
    return "\n".join(p for p in pieces if p) + sep + rest


def _header_line(text: str) -> bool:
    """A line that belongs to the header block (issuer, party name or motto, number, date)."""
    stripped = text.strip()
    folded = fold_aligned(stripped)
    return bool(
        stripped in ("*", "**", "***")
        or (
            _is_upper_line(stripped)
            and len(stripped) <= 80
            and _title_word(_Line(stripped, folded, 0)) is None
        )
        or _SO_LINE.match(folded)
        or _DATE_LINE.search(folded)
        or _STATE_MOTTO.search(folded)
        or _is_motto_piece(stripped)
        or _VV.match(folded)
    )


def _header_first(text: str) -> str:
    """Put the header block first when the file gave it after the body (a PDF whose header
    table was drawn last: pypdf reads in drawing order)."""
    lines = text.split("\n")
    head = lines[:150]
    folded = [fold_aligned(line) for line in head]
    anchor = next(
        (i for i, f in enumerate(folded) if _PARTY_NAME.search(f) or _STATE_MOTTO.search(f)), -1
    )
    if anchor <= 0:
        return text
    body = [
        i
        for i, f in enumerate(folded[:anchor])
        if len(f.strip()) > 40 and _BODY_START.match(f.strip()) and not _is_upper_line(head[i])
    ]
    if not body:
        return text
    start = anchor
    while start > body[-1] + 1 and start > anchor - 8 and _header_line(head[start - 1]):
        start -= 1
    end = anchor + 1
    while end < len(head) and end < anchor + 10 and _header_line(head[end]):
        end += 1
    if not any(_DATE_LINE.search(f) or _SO_LINE.match(f.strip()) for f in folded[start:end]):
        return text
    return "\n".join([*lines[start:end], "", *lines[:start], *lines[end:]])


def recognise(text: str) -> Recognised:
    text = _header_first(_split_run_together(text or ""))
    unaccented = looks_unaccented(text)
    lines = _lines(text)
    body_at = _body_start(lines)
    numbers = find_numbers(text)
    title_at = _title_word_line(lines, body_at)
    own, own_line = _own_number(lines, title_at if title_at >= 0 else body_at)
    place, issued_on, date_line, date_prefix = _place_and_date(lines, body_at)
    if issued_on is None:
        issued_on = _signed_on(text)
    title_type, title, title_line = _title(lines, body_at, own, max(own_line, date_line))
    doc_type = own.doc_type if own is not None else "KHAC"
    if own is not None and own.is_letter_number:
        doc_type = "CV"
    if doc_type == "KHAC" and title_type:
        doc_type = title_type
    if title_line >= 0:
        issuer_end = title_line
    else:
        issuer_end = max(own_line, date_line) + 1 if max(own_line, date_line) >= 0 else 0
    issuer = _issuer(lines, min(issuer_end, 16), own_line, date_line, date_prefix)
    if not issuer:
        issuer = _issuer_from_body(text)
    if unaccented:
        issuer = restore_marks(issuer)
        place = restore_marks(place)
    one_line = _one_line_heading(lines)
    if one_line is not None:
        own = one_line.number
        doc_type = one_line.doc_type
        title = one_line.title
        issued_on = one_line.issued_on or issued_on
        rest_at = next((line.start for line in lines[1:] if line.text.strip()), len(text))
        issuer = one_line.issuer or issuer or _issuer_from_body(text[rest_at:])
        issuer = issuer or _committee_in(text, own)
    own_text = str(own) if own is not None else ""
    references: list[str] = []
    for f in numbers:
        value = str(f.number)
        if value != own_text and value not in references:
            references.append(value)
    return Recognised(
        number=own_text,
        doc_type=doc_type,
        issuer=clean(issuer)[:200],
        place=clean(place)[:100],
        issued_on=issued_on,
        title=clean(title)[:500],
        references=tuple(references),
        unaccented=unaccented,
    )


# -- the one-line heading of a Word file from a ward: "Công văn số 112-CV/ĐU về …" ----------
@dataclass(frozen=True)
class _OneLine:
    number: DocNumber
    doc_type: str
    title: str
    issued_on: dt.date | None
    issuer: str


_ONE_LINE_TYPE = re.compile(r"^([a-z]+(?: [a-z]+){0,3}?)\s+so\s*:?\s*$")
_ONE_LINE_REST = re.compile(
    r"^\s*[,;]?\s*(?:ngay\s*(\d{1,2})\s*(?:[/.\-]|\s*thang\s*)(\d{1,2})\s*(?:[/.\-]|\s*nam\s*)"
    r"(\d{4})\s*[,;]?\s*)?(?:cua\s+(.{3,90}?)\s+)?(v\s*/\s*v|ve viec|ve)\s*:?\s+(?=\S)"
)
# A committee named in the text: "Đảng ủy phường Quy Nhơn", "UBND tỉnh Tuyên Quang",
# "Ban Tuyên giáo Trung ương" (folded; the name's words are read from the original).
_COMMITTEE = re.compile(
    r"\b(?:ban thuong vu |ban chap hanh )?(?:dang uy|tinh uy|thanh uy|huyen uy|quan uy|thi uy|"
    r"chi uy|chi bo|uy ban nhan dan|ubnd|ban tuyen giao(?: va dan van)?|ban to chuc|ban dan van|"
    r"uy ban kiem tra)\b(?: (?:xa|phuong|thi tran|tinh|huyen|quan|thi xa|thanh pho|khoi|co quan"
    r"|trung uong))?"
)
_NAME_WORD = re.compile(r"[ \t]+(\w+)")
# Issuer codes whose committee is known from the code: the name found must be of that kind.
_CODE_COMMITTEES: dict[str, tuple[str, ...]] = {
    "ĐU": ("dang uy", "ban thuong vu dang uy"), "TU": ("tinh uy", "thanh uy"),
    "HU": ("huyen uy",), "QU": ("quan uy",), "TX": ("thi uy",), "CB": ("chi bo", "chi uy"),
    "BTGTW": ("ban tuyen giao",), "BTGTU": ("ban tuyen giao",), "UBND": ("uy ban", "ubnd"),
}  # fmt: skip


def _one_line_heading(lines: list[_Line]) -> _OneLine | None:
    """ "Kế hoạch số 25-KH/ĐU về phong trào Dân vận khéo năm 2027" (or "… V/v …") as the first
    line, with no header table: its type, number, subject and date, when it reads so."""
    first = next((i for i, line in enumerate(lines[:5]) if line.text.strip()), -1)
    if first < 0:
        return None
    if any(
        i != first
        and len(line.text) <= 120  # a header's lines are short; a body may name the Party
        and (
            _PARTY_NAME.search(line.folded)
            or _STATE_MOTTO.search(line.folded)
            or _SO_LINE.match(line.folded.strip())
            or _title_word(line) is not None
        )
        for i, line in enumerate(lines[:20])
    ):
        return None  # a header table follows: its own title and issuer are better
    text, folded = lines[first].text.strip(), lines[first].folded.strip()
    if len(text) > 400:
        return None
    for f in find_numbers(text):
        head = _ONE_LINE_TYPE.match(folded[: f.start])
        if head is None:
            continue
        type_word = head.group(1)
        code = next((c for word, c in TITLE_WORDS if word == type_word), None)
        rest = _ONE_LINE_REST.match(folded[f.end :])
        if code is None or rest is None:
            return None
        subject = text[f.end + rest.end() :].strip().rstrip(".;,")
        if len(subject.split()) < 2:
            return None
        issued_on = None
        if rest.group(3):
            try:
                issued_on = dt.date(int(rest.group(3)), int(rest.group(2)), int(rest.group(1)))
            except ValueError:
                issued_on = None
        issuer = ""
        if rest.group(4):
            a, b = rest.span(4)
            issuer = text[f.end + a : f.end + b].strip(" ,")
        word = text[: len(type_word)]
        doc_type = f.number.doc_type
        if f.number.is_letter_number or doc_type == "KHAC":
            doc_type = "CV" if f.number.is_letter_number else code
        if rest.group(5) != "ve" and doc_type == "CV":
            title = f"V/v {subject}"  # as the công văn under a header table reads
        elif rest.group(5) != "ve":
            title = f"{word} về việc {subject}"
        else:
            title = f"{word} về {subject}"
        return _OneLine(f.number, doc_type, title, issued_on, issuer)
    return None


def _committee_in(text: str, number: DocNumber | None) -> str:
    """The first committee named in the text ("Đảng ủy phường Quy Nhơn"), of the kind the
    number's issuer code says when it says one ("ĐU": a Đảng ủy)."""
    head = text[:4000]
    folded = fold_aligned(head)
    kinds = _CODE_COMMITTEES.get(number.issuer, ()) if number is not None else ()
    for m in _COMMITTEE.finditer(folded):
        if (
            kinds
            and not m.group(0).startswith(kinds)
            and not any(m.group(0).startswith("ban thuong vu " + k) for k in kinds)
        ):
            continue
        end = m.end()
        names = 0
        while names < 4:
            w = _NAME_WORD.match(head, end)
            if w is None or not (w.group(1)[0].isupper() or w.group(1).isdigit()):
                break
            end, names = w.end(), names + 1
        if names == 0 and not m.group(0).endswith("trung uong"):
            continue
        name = clean(head[m.start() : end])
        return name[:1].upper() + name[1:]
    return ""


def body_offset(text: str) -> int:
    """Where the body starts (after the header, number, date and title), or 0 when unsure.

    The reading view and the large print show the title on their own and start here."""
    lines = _lines(text, limit=40)
    at = _body_start(lines)
    if at >= len(lines) or at == 0:
        return 0
    offset = lines[at].start
    return offset if offset <= 1500 else 0


def _body_start(lines: list[_Line]) -> int:
    """Index of the first line of the body (after header and title), or len(lines)."""
    for i, line in enumerate(lines):
        f = line.folded.strip()
        if i > 0 and f.startswith("kinh gui"):
            return i
        if i > 0 and len(f) > 40 and _BODY_START.match(f) and not _is_upper_line(line.text):
            return i
    return len(lines)


# "Số" at the start of the number line, or after the type word ("Nghị quyết số: 11-NQ/TW").
_OWN_NUMBER_PREFIX = re.compile(r"^[a-z]+(?: [a-z]+){0,2}$")


def _own_number(lines: list[_Line], limit: int) -> tuple[DocNumber | None, int]:
    """The document's own number: in the header, after "Số", before the title. Numbers the
    text cites ("Căn cứ Công văn số 8011-CV/BTCTW") are not it."""
    fallback: tuple[DocNumber | None, int] = (None, -1)
    for i, line in enumerate(lines[:limit]):
        for f in find_numbers(line.text):
            before = line.folded[: f.start]
            m = _SO_BEFORE.search(before)
            if m is not None:
                prefix = before[: m.start()].strip()
                if (not prefix or _OWN_NUMBER_PREFIX.match(prefix)) and "can cu" not in prefix:
                    return f.number, i
            if f.start > 0 and line.text[f.start - 1] in "Ss":  # "S616 -KH/DU"
                return f.number, i
            if (
                fallback[0] is None
                and len(line.text) <= 60
                and not _BODY_START.match(line.folded.strip())
                and f.start <= 2
            ):
                fallback = (f.number, i)
    return fallback


def _place_and_date(lines: list[_Line], body_at: int) -> tuple[str, dt.date | None, int, str]:
    """(place, date, line index, header text before the place on the same line).

    A date wrapped in its cell ("Lạng Sơn, ngày 13" / "tháng 01 năm 2020") is read whole."""
    for i, line in enumerate(lines[: max(body_at, 1) + 2]):
        folded = line.folded
        m = _DATE_LINE.search(folded)
        if m is None and i + 1 < len(lines) and re.search(r"ng\w{0,2}y", folded):
            joined = folded + " " + lines[i + 1].folded
            m = _DATE_LINE.search(joined)
            if m is not None and m.start() >= len(folded):
                m = None
        if m is None or len(line.text) > 120:
            continue
        try:
            day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            continue
        prefix = line.text[: m.start()].strip(" ,.*_\t")
        words = prefix.split()
        place_words: list[str] = []
        for word in reversed(words):
            if any(ch.islower() for ch in word) and len(place_words) < 5:
                place_words.insert(0, word)
            else:
                break
        if not place_words and 0 < len(words) <= 4:
            place_words = words
        rest = words[: len(words) - len(place_words)]
        return " ".join(place_words).strip(" ,"), day, i, " ".join(rest)
    return "", None, -1, ""


def _signed_on(text: str) -> dt.date | None:
    """The digital signature's date ("Ngày ký: 28-08-2025 17:14:14"), when there is no date line."""
    m = _SIGNED_ON.search(fold_aligned(text[-3000:]))
    if m is None:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _is_upper_line(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) / len(letters) >= 0.7


def _is_garbage(text: str) -> bool:
    tokens = text.split()
    if not tokens:
        return True
    words = [t for t in tokens if len(t) >= 2 and t.isalpha()]
    return len(words) / len(tokens) < 0.6


def _title_word(line: _Line) -> tuple[str, str] | None:
    """(type code, title word) when the line starts with a title word in capitals ("KẾ HOẠCH",
    and "K ÉT LUẬN" as a PDF may space it)."""
    f = line.folded.strip()
    if len(line.text) > 300:
        return None
    squeezed = f.replace(" ", "")
    for word, code in TITLE_WORDS:
        if f == word or f.startswith(word + " ") or squeezed == word.replace(" ", ""):
            head = line.text.strip()[: len(word)]
            if _is_upper_line(head):
                return code, word
    return None


def _title_word_line(lines: list[_Line], body_at: int) -> int:
    limit = min(len(lines), body_at if body_at < len(lines) else 40)
    for i, line in enumerate(lines[:limit]):
        if _title_word(line) is not None:
            return i
    return -1


_VV = re.compile(r"^v\s*/\s*v\b")


def _title(
    lines: list[_Line], body_at: int, own: DocNumber | None, header_end: int
) -> tuple[str, str, int]:
    """(type from the title word, title, index of the title's first line or -1)."""
    limit = min(len(lines), body_at if body_at < len(lines) else 40)
    for i, line in enumerate(lines[:limit]):
        found = _title_word(line)
        if found is None:
            continue
        code, word = found
        whole = len(line.folded.strip().split()) > len(word.split())
        subject = _subject_lines(lines, i + 1, body_at, one_line=whole)
        return code, " ".join([line.text.strip(), *subject]), i
    # A công văn has no title word: its subject is the "V/v ..." line under the number.
    for i, line in enumerate(lines[:limit]):
        if _VV.match(line.folded.strip()):
            parts = [line.text.strip()]
            for nxt in lines[i + 1 : limit]:
                t, f = nxt.text.strip(), nxt.folded.strip()
                if (
                    not t
                    or len(parts) >= 3
                    or _DATE_LINE.search(f)
                    or f.startswith(("kinh gui", "cong hoa", "doc lap"))
                    or find_numbers(t)
                    or _is_upper_line(t)
                ):
                    break
                parts.append(t)
            return "CV", " ".join(parts), i
    # The title word may be unreadable (OCR garbage): take the lines after the header.
    start = header_end + 1 if header_end >= 0 else 0
    subject = _subject_lines(lines, start, body_at, skip_garbage=True)
    if not subject:
        return "", "", -1
    type_word = TYPE_TITLES.get(own.doc_type, "") if own is not None else ""
    return "", " ".join([type_word, *subject]).strip(), -1


# Lines that start the body (not the title), whatever their length.
_SUBJECT_STOP = re.compile(
    r"^(?:-\s*)?(?:thuc hien|can cu|thi hanh|xet |kinh gui|hoi nghi|theo de nghi|sau khi)"
)


def _subject_lines(
    lines: list[_Line],
    start: int,
    body_at: int,
    *,
    skip_garbage: bool = False,
    one_line: bool = False,
) -> list[str]:
    out: list[str] = []
    i = start
    blanks = 0
    end = min(len(lines), body_at)
    while i < end and len(out) < 6:
        text = lines[i].text.strip()
        folded = lines[i].folded.strip()
        if not text or set(text) <= set("-_*=~. –—"):
            if out and not one_line and text == "" and _continues(lines, i + 1, end):
                i += 1  # subject lines set apart by blank lines
                continue
            if out or one_line:
                break
            blanks += 1
            if blanks > 2 and not skip_garbage:
                break
            i += 1
            continue
        upper = _is_upper_line(text)
        if not upper and _SUBJECT_STOP.match(folded):
            break
        if (
            upper
            and (out or one_line)
            and folded.startswith(_AUTHORITIES)
            and _authority_line(lines, i, end)
        ):
            break
        if _DATE_LINE.search(lines[i].folded) or (find_numbers(text) and len(text) < 40):
            if out:
                break
            i += 1
            continue
        if skip_garbage and (_is_garbage(text) or (upper and not out)):
            if out:
                break
            i += 1
            continue
        out.append(text)
        i += 1
    return out


def _continues(lines: list[_Line], start: int, end: int) -> bool:
    """After a blank line, the subject goes on when the next line starts in lower case
    ("của Chính phủ về chế độ công chức dự bị") and is not the body."""
    for nxt in lines[start:end]:
        text = nxt.text.strip()
        if text:
            return text[0].islower() and not _SUBJECT_STOP.match(nxt.folded.strip())
    return False


def _authority_line(lines: list[_Line], i: int, end: int) -> bool:
    """ "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" above "Căn cứ ...": who decides, not the title."""
    following = [nxt for nxt in lines[i + 1 : end + 2] if nxt.folded.strip()][:2]
    if not following:
        return True
    joined = " ".join(nxt.folded.strip() for nxt in following)  # "Căn" / "cứ Luật ..."
    return bool(_SUBJECT_STOP.match(joined)) and not _is_upper_line(following[0].text)


# Who decides, on the line between a quyết định's subject and its "Căn cứ".
_AUTHORITIES = (
    "chu tich", "cuc truong", "bo truong", "giam doc", "thu tuong", "tong cuc truong",
    "vu truong", "chanh ", "truong ban", "ban bi thu", "ban thuong vu", "bo chinh tri", "uy ban",
    "hoi dong", "ban chap hanh", "dang uy", "ban chi dao", "thuong truc",
)  # fmt: skip
_SO_LINE = re.compile(r"^s[o06]\s*[:.]?\s*(?:\d|-|/|$)")
_MOTTO_WORDS = (
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap tu do hanh phuc",
    "dang cong san viet nam",
)
_YOUTH_UNION = re.compile(r"^doan\s*(?:tncs|thanh\s*nien\s*cong\s*san)\s*ho\s*chi\s*minh$")


def _is_motto_piece(text: str) -> bool:
    """A piece of the motto or the party name wrapped in its cell ("CHỦ NGHĨA VIỆT NAM")."""
    found = re.findall(r"[a-z]+", fold_aligned(text))
    words = " ".join(found)
    if len(found) == 1:  # one word: only the motto's first ("CỘNG" / "HÒA XÃ HỘI ..."), not "NAM"
        return any(motto.startswith(words + " ") for motto in _MOTTO_WORDS)
    return any(f" {words} " in f" {motto} " for motto in _MOTTO_WORDS)


def _issuer(
    lines: list[_Line], end: int, number_line: int, date_line: int, date_prefix: str
) -> str:
    """The issuing body: the header's capital lines above the title, kept whole ("ỦY BAN NHÂN
    DÂN" / "TỈNH BẮC NINH"; "BỘ Y TẾ" / "CỤC QUẢN LÝ DƯỢC"; a name wrapped in its cell joined
    again). A department under its committee reads as usual: "BAN TUYÊN GIÁO … TỈNH ỦY …"."""
    parts: list[str] = []
    for i, line in enumerate(lines[: max(end, 0)]):
        if i == number_line and i != date_line:
            continue
        text = _strip_fixed_headers(date_prefix if i == date_line else line.text)
        folded = fold_aligned(text).strip()
        if (
            not text
            or "/" in text
            or find_numbers(text)
            or _DATE_LINE.search(folded)
            or _SO_LINE.match(folded)
            or _YOUTH_UNION.match(folded)
            or _is_motto_piece(text)
        ):
            continue
        if _is_upper_line(text) and len(text) <= 80:
            if line.text.rstrip().endswith(("-", "–")) and i != date_line:
                text += " -"  # "BỘ Y TẾ -" / "BỘ KHOA HỌC VÀ CÔNG NGHỆ": two issuers
            parts.append(text)
    if not parts:
        return ""
    for k in range(1, len(parts)):
        if fold(parts[k]).startswith(_SUBORDINATE) and _PARTY_PARENT.search(
            fold(" ".join(parts[:k]))
        ):
            parts = parts[k:] + parts[:k]  # "BAN TUYÊN GIÁO VÀ DÂN VẬN" of "TỈNH ỦY ..."
            break
    return " ".join(parts)


def _strip_fixed_headers(text: str) -> str:
    """Remove "ĐẢNG CỘNG SẢN VIỆT NAM" and the State motto from a header line."""
    folded = fold_aligned(text)
    spans = [m.span() for m in _PARTY_NAME.finditer(folded)]
    spans += [m.span() for m in _STATE_MOTTO.finditer(folded)]
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + " " + text[b:]
    text = clean(text).strip(" -–*_,|")
    return text if any(ch.isalpha() for ch in text) else ""


def _issuer_from_body(text: str) -> str:
    """ "…, Ban Thường vụ Đảng ủy xã xây dựng kế hoạch …" → "Ban Thường vụ Đảng ủy xã"."""
    head = text[:3000]
    folded = fold_aligned(head)
    for m in _ISSUER_CLAUSE.finditer(folded):
        a, b = m.span(1)
        candidate = re.sub(r"\s+(?:đã|sẽ|vừa|cũng)$", "", clean(head[a:b]))
        words = candidate.split()
        if 2 <= len(words) <= 14 and candidate[:1].isupper():
            return candidate
    return ""


# -- putting marks back on the header words of unaccented text ------------------------------
_PHRASES: tuple[tuple[str, str], ...] = (
    ("dang cong san viet nam", "Đảng Cộng sản Việt Nam"),
    ("ban tuyen giao va dan van", "Ban Tuyên giáo và Dân vận"),
    ("ban thuong vu", "Ban Thường vụ"), ("ban chap hanh", "Ban Chấp hành"),
    ("ban tuyen giao", "Ban Tuyên giáo"), ("ban to chuc", "Ban Tổ chức"),
    ("ban xay dung dang", "Ban Xây dựng Đảng"), ("ban dan van", "Ban Dân vận"),
    ("uy ban kiem tra", "Ủy ban Kiểm tra"), ("uy ban nhan dan", "Ủy ban nhân dân"),
    ("hoi dong nhan dan", "Hội đồng nhân dân"), ("mat tran to quoc", "Mặt trận Tổ quốc"),
    ("van phong", "Văn phòng"), ("dang uy", "Đảng ủy"), ("dang bo", "Đảng bộ"),
    ("chi bo", "Chi bộ"), ("chi uy", "Chi ủy"), ("tinh uy", "Tỉnh ủy"),
    ("huyen uy", "Huyện ủy"), ("thanh uy", "Thành ủy"), ("thi uy", "Thị ủy"),
    ("thanh pho", "thành phố"), ("thi tran", "thị trấn"), ("thi xa", "thị xã"),
    ("khu pho", "khu phố"), ("to dan pho", "tổ dân phố"), ("xa", "xã"),
    ("phuong", "phường"), ("tinh", "tỉnh"), ("huyen", "huyện"), ("thon", "thôn"),
    ("dan van", "Dân vận"), ("tuyen giao", "Tuyên giáo"),
)  # fmt: skip
_OCR_WORD = re.compile(r"^(?:x[34]|xA)$")


@functools.cache
def _phrase_table() -> tuple[tuple[tuple[str, ...], str], ...]:
    table: dict[tuple[str, ...], str] = {}
    for phrase, value in _PHRASES:
        table[tuple(phrase.split())] = value
    for name in PROVINCES.values():
        short = name.removeprefix("Thành phố ")
        words = tuple(fold(short).split())
        table.setdefault(words, short)
        if short.startswith("Đ"):  # OCR reads Đ as B
            table.setdefault(("b" + words[0][1:], *words[1:]), short)
    return tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))


def _ocr_fold_word(word: str) -> str:
    core = word.strip(",.;:()")
    if _OCR_WORD.match(core):
        return "xa"
    f = fold(core)
    if core[:1] == "P" and f[1:2] in tuple("aeiouy"):
        f = "d" + f[1:]
    return f


def restore_marks(text: str) -> str:
    """Put marks back on the administrative words of an unaccented header line.

    "PANG UY XA AN QUANG" → "ĐẢNG ỦY XÃ AN QUANG"; "Pong Nai" → "Đồng Nai". Words it does not
    know (most place names) are left as they are.
    """
    words = text.split()
    if not words:
        return text
    folded = [_ocr_fold_word(w) for w in words]
    out: list[str] = []
    i = 0
    table = _phrase_table()
    while i < len(words):
        for key, value in table:
            n = len(key)
            if tuple(folded[i : i + n]) == key:
                original = words[i : i + n]
                letters = "".join(ch for w in original for ch in w if ch.isalpha())
                if letters.isupper() and len(letters) > 1:
                    value = value.upper()
                elif original[0][:1].isupper():
                    value = value[:1].upper() + value[1:]
                else:
                    value = value[:1].lower() + value[1:] if not value[:2].isupper() else value
                out.append(value)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)

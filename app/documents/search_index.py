"""The documents' full-text index (SQLite FTS5 over folded text) and its snippets.

Each document has one row in `document_fts` with folded copies (app.documents.folding) of its
number, title, details (issuer, place, tags, type, file name), summary and text. Queries are
folded the same way, so tones, marks and đ/d never matter. Ranking is FTS5's bm25 with the
number and title weighted above the body.

Snippets: the folded copies keep every character's offset, so the spans FTS5 highlights in
the folded text are cut from the original text, with its diacritics, and marked there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, func, or_, select, text
from sqlalchemy.orm import Session

from app.documents.folding import fold_aligned, looks_unaccented, repair_ocr_folded
from app.models import Document, DocumentSearchEntry
from app.models.document import DOCUMENT_TYPES
from app.models.document_search import CATALOGUE_FIELDS, FTS_TABLE
from app.text import fold, nfc

# bm25 weights for number, title, meta, summary, body.
WEIGHTS = (10.0, 6.0, 3.0, 2.0, 1.0)
SNIPPET_WIDTH = 220
_TOKEN = re.compile(r"[^\W_]+")
_QUERY_PART = re.compile(r'"([^"]*)"?|(\S+)')
_SPACES = re.compile(r"\s+")
_JOINER_CHARS = " \t\n\u00a0-–—/"


def _folded_text(value: str, *, ocr: bool) -> str:
    folded = fold_aligned(value)
    return repair_ocr_folded(value, folded) if ocr else folded


def index_document(session: Session, row: Document) -> None:
    """(Re)index one document inside the caller's transaction; a deleted one is removed."""
    entry = session.scalars(
        select(DocumentSearchEntry).where(DocumentSearchEntry.document_id == row.id)
    ).first()
    if row.deleted_at is not None:
        if entry is not None:
            session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :r"), {"r": entry.rowid})
            session.delete(entry)
        return
    if entry is None:
        entry = DocumentSearchEntry(document_id=row.id)
        session.add(entry)
        session.flush()
    else:
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :r"), {"r": entry.rowid})
    entry.version = row.version
    entry.updated_at = row.updated_at
    entry.created_at = row.created_at
    for name in CATALOGUE_FIELDS:
        setattr(entry, name, getattr(row, name))
    entry.year = row.issued_on.year if row.issued_on else None
    entry.text_length = len(row.text_content)
    ocr = looks_unaccented(row.text_content)
    meta = " ".join(
        part
        for part in (
            row.issuer,
            row.place,
            row.tags,
            DOCUMENT_TYPES.get(row.doc_type, ""),
            row.doc_type if row.doc_type in DOCUMENT_TYPES and row.doc_type != "KHAC" else "",
            row.filename,
            str(row.issued_on.year) if row.issued_on else "",
        )
        if part
    )
    session.execute(
        text(
            f"INSERT INTO {FTS_TABLE}(rowid, number, title, meta, summary, body) "
            "VALUES (:rowid, :number, :title, :meta, :summary, :body)"
        ),
        {
            "rowid": entry.rowid,
            "number": fold(row.number),
            "title": _folded_text(row.title, ocr=ocr),
            "meta": fold(meta),
            "summary": fold_aligned(row.summary),
            "body": _folded_text(row.text_content, ocr=ocr),
        },
    )


def in_step(session: Session) -> bool:
    """A cheap check (two index scans) that every live document is indexed as it is now."""
    d, e = Document, DocumentSearchEntry
    live = session.execute(
        select(func.count(d.id), func.total(d.version), func.max(d.updated_at)).where(
            d.deleted_at.is_(None)
        )
    ).one()
    indexed = session.execute(
        select(func.count(e.rowid), func.total(e.version), func.max(e.updated_at))
    ).one()
    return tuple(live) == tuple(indexed)


def stale_document_ids(session: Session) -> list[str]:
    """Documents whose index row is missing or out of date (e.g. written by sync)."""
    d, e = Document, DocumentSearchEntry
    q = (
        select(d.id)
        .outerjoin(e, e.document_id == d.id)
        .where(
            or_(
                and_(d.deleted_at.is_(None), e.rowid.is_(None)),
                and_(
                    e.rowid.is_not(None),
                    or_(
                        d.deleted_at.is_not(None),
                        e.version != d.version,
                        e.updated_at.is_(None),
                        e.updated_at != d.updated_at,
                    ),
                ),
            )
        )
    )
    return list(session.scalars(q))


def catch_up(session: Session, ids: Sequence[str] | None = None) -> int:
    """Bring the index in step with the documents table; returns how many were redone."""
    todo = list(ids) if ids is not None else stale_document_ids(session)
    for document_id in todo:
        row = session.get(Document, document_id)
        if row is not None:
            if row.deleted_at is None and not row.text_content:
                fill_text_from_file(session, row)
            index_document(session, row)
    orphans = session.scalars(
        select(DocumentSearchEntry.rowid).where(
            DocumentSearchEntry.document_id.not_in(select(Document.id))
        )
    ).all()
    for rowid in orphans:
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :r"), {"r": rowid})
    if orphans:
        session.execute(delete(DocumentSearchEntry).where(DocumentSearchEntry.rowid.in_(orphans)))
    return len(todo) + len(orphans)


def fill_text_from_file(session: Session, row: Document) -> bool:
    """Read the text of a document that arrived with its file but without text (from the
    committee, by sync). The text is derived locally: no version change, nothing to sync."""
    from app.documents.extract import extract
    from app.errors import KnownError
    from app.models import DocumentFile

    stored = session.get(DocumentFile, row.id)
    if stored is None or not stored.data:
        return False
    try:
        got = extract(bytes(stored.data), filename=row.filename or "tai-lieu")
    except KnownError:
        return False
    if not got.text:
        return False
    row.text_content = got.text
    return True


# -- queries ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParsedQuery:
    """What the user typed, as an FTS5 MATCH expression and as a pattern over folded text.

    The pattern finds the same words and phrases in a document's stored folded text, for the
    snippet: one named group per part of the query, so a window can count distinct parts.
    """

    text: str
    match: str
    pattern: re.Pattern[str]
    parts: int


# The last word typed also matches longer words only from this length: "phi" is a whole
# word ("đảng phí", never "phiên"), "phiê" already finds "phiên".
PREFIX_MIN = 4
# A number typed the short way: "NQ57", "57nq" (type code and serial run together).
_CODE_AND_SERIAL = re.compile(r"^(?:([a-z]{2,5})(\d{1,5})|(\d{1,5})([a-z]{2,5}))$")
# Type codes and their names: either finds the other ("cv 4555", "cong van 2291").
TYPE_NAMES: dict[str, tuple[str, ...]] = {
    "cv": ("cong", "van"), "nq": ("nghi", "quyet"), "qd": ("quyet", "dinh"),
    "ct": ("chi", "thi"), "kl": ("ket", "luan"), "hd": ("huong", "dan"),
    "kh": ("ke", "hoach"), "tb": ("thong", "bao"), "bc": ("bao", "cao"),
}  # fmt: skip
_NAME_TYPES = {name: code for code, name in TYPE_NAMES.items()}


def _query_parts(query: str) -> list[tuple[list[tuple[str, ...]], bool]]:
    """What the user typed as parts to AND, each with its alternatives (token tuples)."""
    raw: list[tuple[list[str], bool]] = []
    for m in _QUERY_PART.finditer(fold(nfc(query))):
        quoted, word = m.group(1), m.group(2)
        tokens = _TOKEN.findall(quoted if quoted is not None else word)
        if not tokens:
            continue
        if quoted is not None:
            raw.append((tokens, True))
            continue
        split: list[str] = []
        for token in tokens:
            glued = _CODE_AND_SERIAL.match(token)
            split.extend(t for t in glued.groups() if t) if glued else split.append(token)
        mixed = len(split) == 2 and split[0].isdigit() != split[1].isdigit()
        if mixed:  # "nq-57", "57nq": the type and the serial, in either order
            raw.extend(([t], False) for t in split)
        else:
            raw.append((split, False))
    parts: list[tuple[list[tuple[str, ...]], bool]] = []
    i = 0
    while i < len(raw):
        tokens, quoted = raw[i]
        pair = (
            tuple(tokens + raw[i + 1][0])
            if i + 1 < len(raw) and not quoted and not raw[i + 1][1]
            else ()
        )
        if not quoted and pair in _NAME_TYPES and len(tokens) == 1:
            parts.append(([pair, (_NAME_TYPES[pair],)], False))
            i += 2
            continue
        if not quoted and tuple(tokens) in _NAME_TYPES:
            parts.append(([tuple(tokens), (_NAME_TYPES[tuple(tokens)],)], False))
        elif not quoted and len(tokens) == 1 and tokens[0] in TYPE_NAMES:
            parts.append(([(tokens[0],), TYPE_NAMES[tokens[0]]], False))
        else:
            parts.append(([tuple(tokens)], quoted))
        i += 1
    return parts


def parse_query(query: str, *, prefix: bool = True) -> ParsedQuery | None:
    """None when nothing is searchable (empty, only punctuation).

    Words are ANDed; a word with inner punctuation ("339-QĐ/TW") and a "quoted phrase" become
    phrases; the last word also matches longer words (as you type) from PREFIX_MIN letters.
    A type code and a serial are found however they are typed ("NQ57", "57nq", "nq 57",
    "nq-57"), and a type code finds its name and back ("cv 4555", "cong van 2291").
    Everything is quoted, so AND, OR, NEAR typed by the user are words, not operators.
    """
    parts = _query_parts(query)
    if not parts:
        return None
    exprs: list[str] = []
    groups: list[str] = []
    for i, (alternatives, quoted) in enumerate(parts):
        last_token = alternatives[0][-1]
        open_end = (
            prefix
            and i == len(parts) - 1
            and not quoted
            and len(alternatives) == 1
            and len(last_token) >= PREFIX_MIN
            and not last_token.isdigit()
        )
        phrases = ['"' + " ".join(tokens) + '"' for tokens in alternatives]
        if open_end:
            exprs.append(phrases[0] + " *")
        else:
            exprs.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
        bodies = [r"[\W_]+".join(re.escape(t) for t in tokens) for tokens in alternatives]
        tail = r"[^\W_]*" if open_end else ""
        groups.append(f"(?P<p{i}>(?:{'|'.join(bodies)}){tail})")
    return ParsedQuery(
        text=query,
        match=" AND ".join(exprs),
        pattern=re.compile(r"\b(?:" + "|".join(groups) + r")\b"),
        parts=len(parts),
    )


def build_match(query: str, *, prefix: bool = True) -> str | None:
    """The FTS5 MATCH expression for what the user typed (see parse_query)."""
    parsed = parse_query(query, prefix=prefix)
    return parsed.match if parsed else None


@dataclass(frozen=True)
class Marked:
    """Parts of a text with a flag for the parts to highlight."""

    parts: tuple[tuple[str, bool], ...]

    def render(self, start: str = "«", end: str = "»") -> str:
        return "".join(f"{start}{t}{end}" if hl else t for t, hl in self.parts)

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.parts)

    @property
    def has_highlight(self) -> bool:
        return any(hl for _, hl in self.parts)


# At most this many matches are weighed when choosing the snippet's window.
_MAX_SPANS = 600


def find_spans(
    folded: str, pattern: re.Pattern[str], *, limit: int = _MAX_SPANS
) -> list[tuple[int, int, str]]:
    """(start, end, part) of each match of the query in a folded text."""
    out: list[tuple[int, int, str]] = []
    for m in pattern.finditer(folded):
        out.append((m.start(), m.end(), m.lastgroup or ""))
        if len(out) >= limit:
            break
    return out


def _merge(
    original: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, frozenset[str]]]:
    """Join matches separated only by a space, a dash or a slash ("đảng viên", "339-QĐ/TW")."""
    merged: list[tuple[int, int, frozenset[str]]] = []
    for a, b, part in spans:
        if merged:
            pa, pb, kinds = merged[-1]
            if a <= pb or (a - pb <= 3 and not original[pb:a].strip(_JOINER_CHARS)):
                merged[-1] = (pa, max(b, pb), kinds | {part})
                continue
        merged.append((a, b, frozenset({part})))
    return merged


def mark_whole(original: str, folded: str, query: ParsedQuery) -> Marked:
    """The whole original text with the matches highlighted (for titles)."""
    if len(original) != len(folded):
        return Marked(((original, False),) if original else ())
    spans = [(a, b) for a, b, _k in _merge(original, find_spans(folded, query.pattern))]
    return _cut(original, spans, 0, len(original))


def snippet(
    original: str, folded: str, query: ParsedQuery, *, width: int = SNIPPET_WIDTH
) -> Marked | None:
    """A window of the original text around the densest cluster of matches, or None.

    `folded` is the text as indexed (same length as `original`, character for character).
    """
    if not original or len(original) != len(folded):
        return None
    spans = _merge(original, find_spans(folded, query.pattern))
    if not spans:
        return None
    lead_in = width // 4
    reach = width - lead_in  # matches counted from the anchor up to here
    counts: dict[str, int] = {}
    distinct = 0  # parts of the query inside the window [i, j)
    best = (-1, 0, 1)  # score, i, j
    j = 0
    for i, (a, _b, _kinds) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= a + reach:
            for kind in spans[j][2]:
                counts[kind] = counts.get(kind, 0) + 1
                distinct += counts[kind] == 1
            j += 1
        inside = max(j, i + 1)
        score = distinct * 1000 + (inside - i)
        if score > best[0]:
            best = (score, i, inside)
        if i < j:
            for kind in spans[i][2]:
                counts[kind] -= 1
                distinct -= counts[kind] == 0
    _score, best_i, best_j = best
    anchor = spans[best_i][0]
    last_end = spans[best_j - 1][1]
    start = max(0, anchor - lead_in)
    if start > 0:
        space = original.find(" ", start, anchor)
        start = space + 1 if space >= 0 else start
    end = min(len(original), max(start + width, last_end))
    if end < len(original):
        space = original.rfind(" ", last_end, end)
        end = space if space > 0 else end
    window = [(max(a, start), min(b, end)) for a, b, _k in spans if b > start and a < end]
    return _cut(original, window, start, end)


def _cut(original: str, spans: list[tuple[int, int]], start: int, end: int) -> Marked:
    parts: list[tuple[str, bool]] = []
    pos = start
    for a, b in spans:
        if a > pos:
            parts.append((original[pos:a], False))
        parts.append((original[a:b], True))
        pos = b
    if pos < end:
        parts.append((original[pos:end], False))
    cleaned = [(_SPACES.sub(" ", t), hl) for t, hl in parts]
    if cleaned:
        cleaned[0] = (cleaned[0][0].lstrip(), cleaned[0][1])
        cleaned[-1] = (cleaned[-1][0].rstrip(), cleaned[-1][1])
    if start > 0:
        cleaned.insert(0, ("…", False))
    if end < len(original):
        cleaned.append(("…", False))
    out: list[tuple[str, bool]] = []
    for t, hl in cleaned:  # neighbours with the same flag become one part
        if not t:
            continue
        if out and out[-1][1] == hl:
            out[-1] = (out[-1][0] + t, hl)
        else:
            out.append((t, hl))
    return Marked(tuple(out))


def lead(original: str, *, width: int = SNIPPET_WIDTH) -> Marked:
    """The start of a text, cut at a word, when no match falls in it."""
    text_ = _SPACES.sub(" ", original[: width + 40]).strip()
    if len(text_) > width:
        cut = text_.rfind(" ", 0, width)
        text_ = text_[: cut if cut > width // 2 else width] + "…"
    return Marked(((text_, False),) if text_ else ())

"""The branch's library of documents: import, recognise, correct, search, export.

Files are stored inside the encrypted book (document_file). Every write keeps the full-text
index in step in the same transaction, and goes through app.services.changes (audit + sync).
Meetings attach documents through `get` and `list_documents`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from app.documents import search_index
from app.documents.extract import Extracted, extract, read_file
from app.documents.folding import issuer_key
from app.documents.recognise import Recognised, body_offset, normalise_number, recognise
from app.errors import KnownError, NotFoundError, ValidationError
from app.models import Document, DocumentFile, DocumentSearchEntry
from app.models.document import DOCUMENT_TYPES
from app.models.document_search import FTS_TABLE
from app.services import changes
from app.storage.files import safe_file_name, write_atomic
from app.text import clean, nfc
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book

ENTITY = Entity.DOCUMENT
SOURCES: dict[str, str] = {"local": "Chi bộ nhập", "committee": "Cấp trên gửi"}
Progress = Callable[[int, int], None]

# Fields a user edits (in the confirm/correct dialog, or `sotay documents edit`).
EDITABLE = ("number", "doc_type", "issuer", "issued_on", "place", "title", "summary", "tags")


# -- views -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentView:
    id: str
    number: str
    doc_type: str
    issuer: str
    issued_on: dt.date | None
    place: str
    title: str
    summary: str
    tags: str
    filename: str
    mime: str
    size: int
    sha256: str
    source: str
    has_text: bool
    text_length: int
    created_at: dt.datetime
    version: int
    text: str = ""  # only from get(..., with_text=True)

    @property
    def type_label(self) -> str:
        return DOCUMENT_TYPES.get(self.doc_type, self.doc_type)

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def label(self) -> str:
        """How the document is named in lists and messages: number and title."""
        if self.number and self.title:
            return f"{self.number} — {self.title}"
        return self.title or self.number or self.filename

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "number": self.number,
            "type": self.doc_type,
            "type_label": self.type_label,
            "issuer": self.issuer,
            "date": self.issued_on.isoformat() if self.issued_on else None,
            "place": self.place,
            "title": self.title,
            "summary": self.summary,
            "tags": self.tags,
            "filename": self.filename,
            "mime": self.mime,
            "size": self.size,
            "sha256": self.sha256,
            "source": self.source,
            "has_text": self.has_text,
            "text_length": self.text_length,
            "imported_at": self.created_at.isoformat(timespec="seconds"),
        }
        if self.text:
            out["text"] = self.text
        return out


def _view(
    row: Document, *, with_text: bool = False, text_length: int | None = None
) -> DocumentView:
    length = len(row.text_content) if text_length is None else text_length
    return DocumentView(
        id=row.id,
        number=row.number,
        doc_type=row.doc_type,
        issuer=row.issuer,
        issued_on=row.issued_on,
        place=row.place,
        title=row.title,
        summary=row.summary,
        tags=row.tags,
        filename=row.filename,
        mime=row.mime,
        size=row.size,
        sha256=row.sha256,
        source=row.source,
        has_text=length > 0,
        text_length=length,
        created_at=row.created_at,
        version=row.version,
        text=row.text_content if with_text else "",
    )


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file: imported, duplicate (already in the library) or failed."""

    filename: str
    status: str  # imported | duplicate | failed
    message: str  # Vietnamese; "" when imported with its text
    document: DocumentView | None = None
    recognised: Recognised | None = None
    problem: str = ""  # imported but no text could be read (scanned, locked)
    note: str = ""  # what was done to the text (converted from TCVN3/VNI), to be checked

    @property
    def ok(self) -> bool:
        return self.status == "imported"

    def to_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "status": self.status,
            "message": self.message,
            "problem": self.problem,
            "note": self.note,
            "id": self.document.id if self.document else None,
            "document": self.document.to_json() if self.document else None,
            "unaccented": bool(self.recognised and self.recognised.unaccented),
            "references": list(self.recognised.references) if self.recognised else [],
        }


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    number: str
    filename: str
    doc_type: str
    issuer: str
    issued_on: dt.date | None
    source: str
    score: float  # higher is better (bm25, sign turned)
    snippet_marked: search_index.Marked
    title_marked: search_index.Marked

    @property
    def snippet(self) -> str:
        """The snippet with the matches in «»."""
        return self.snippet_marked.render()

    @property
    def type_label(self) -> str:
        return DOCUMENT_TYPES.get(self.doc_type, self.doc_type)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "number": self.number,
            "filename": self.filename,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "type": self.doc_type,
            "issuer": self.issuer,
            "date": self.issued_on.isoformat() if self.issued_on else None,
            "source": self.source,
        }


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[SearchHit]
    total: int
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class Facets:
    """What the library's filters can offer, with counts."""

    types: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, count
    issuers: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    total: int = 0


@dataclass
class DocumentFields:
    """The fields a user confirms or corrects."""

    number: str = ""
    doc_type: str = "KHAC"
    issuer: str = ""
    issued_on: dt.date | None = None
    place: str = ""
    title: str = ""
    summary: str = ""
    tags: str = ""


# -- import ------------------------------------------------------------------------------------
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_by_hash(book: Book, *, sha256: str) -> DocumentView | None:
    with book.read_session() as s:
        row = s.scalars(
            select(Document).where(Document.sha256 == sha256, Document.deleted_at.is_(None))
        ).first()
        return _view(row) if row is not None else None


def _title_from_filename(filename: str) -> str:
    return clean(PurePath(filename).stem.replace("_", " "))


def import_bytes(
    book: Book,
    *,
    data: bytes,
    filename: str,
    source: str = "local",
    fields: DocumentFields | None = None,
    actor: str | None = None,
) -> ImportOutcome:
    """Import one file's bytes. Raises ValidationError when the file cannot be taken at all.

    The same content already in the library is not imported again (status "duplicate").
    A scanned or locked PDF is kept with `problem` saying no text could be read.
    """
    filename = clean(PurePath(filename).name) or "tai-lieu"
    if source not in SOURCES:
        raise ValidationError(f"Nguồn tài liệu không hợp lệ: {source}.", field="source")
    digest = _sha256(data)
    existing = find_by_hash(book, sha256=digest)
    if existing is not None:
        return _duplicate(filename, existing)
    extracted: Extracted = extract(data, filename=filename)
    found = recognise(extracted.text) if extracted.text else Recognised()
    with book.session() as s:
        # Checked again inside the write transaction: two imports of one file at once.
        again = s.scalars(
            select(Document).where(Document.sha256 == digest, Document.deleted_at.is_(None))
        ).first()
        if again is not None:
            return _duplicate(filename, _view(again))
        row = Document(
            number=found.number,
            doc_type=found.doc_type,
            issuer=found.issuer,
            issued_on=found.issued_on,
            place=found.place,
            title=found.title or _title_from_filename(filename),
            summary="",
            tags="",
            filename=filename,
            mime=extracted.mime,
            size=len(data),
            sha256=digest,
            text_content=extracted.text,
            source=source,
            version=1,
        )
        if fields is not None:
            _apply_fields(row, _normalise_fields(fields))
        s.add(row)
        s.flush()
        s.add(DocumentFile(document_id=row.id, data=data))
        search_index.index_document(s, row)
        changes.create(
            s,
            row,
            actor=actor or book.actor,
            action="import",
            entity=ENTITY,
            summary=f"Nhập tài liệu {_label(row)} (tệp {filename})",
            changes=_audit_fields(None, row),
        )
        view = _view(row)
    return ImportOutcome(
        filename=filename,
        status="imported",
        message=extracted.problem or extracted.note,
        document=view,
        recognised=found,
        problem=extracted.problem,
        note=extracted.note,
    )


def _duplicate(filename: str, existing: DocumentView) -> ImportOutcome:
    return ImportOutcome(
        filename=filename,
        status="duplicate",
        message=(
            f"Tệp {filename} trùng nội dung với tài liệu đã có trong thư viện: "
            f"“{existing.label}” (nhập từ tệp {existing.filename}). Không nhập lại."
        ),
        document=existing,
    )


def import_file(
    book: Book, *, path: Path, source: str = "local", actor: str | None = None
) -> ImportOutcome:
    """Import one file from disk (refusing oversized files before reading them)."""
    data = read_file(Path(path))
    return import_bytes(book, data=data, filename=Path(path).name, source=source, actor=actor)


def import_files(
    book: Book,
    *,
    paths: Sequence[Path],
    progress: Progress | None = None,
    source: str = "local",
    actor: str | None = None,
) -> list[ImportOutcome]:
    """Import many files, each in its own transaction: one bad file loses nothing else."""
    outcomes: list[ImportOutcome] = []
    total = len(paths)
    if progress is not None:
        progress(0, total)
    for i, path in enumerate(paths, start=1):
        try:
            outcomes.append(import_file(book, path=Path(path), source=source, actor=actor))
        except KnownError as exc:
            outcomes.append(
                ImportOutcome(filename=Path(path).name, status="failed", message=exc.message)
            )
        if progress is not None:
            progress(i, total)
    return outcomes


# -- reading -----------------------------------------------------------------------------------
def _get_row(s: Session, document_id: str) -> Document:
    row = s.get(Document, document_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy tài liệu có mã {document_id} trong thư viện.")
    return row


def get(book: Book, *, document_id: str, with_text: bool = False) -> DocumentView:
    with book.read_session() as s:
        return _view(_get_row(s, document_id), with_text=with_text)


def resolve_id(book: Book, *, ref: str) -> str:
    """A document id from a full id, its first characters (as shown) or its exact number."""
    ref = clean(ref)
    if not ref:
        raise ValidationError("Cần mã tài liệu.", field="id")
    with book.read_session() as s:
        live = Document.deleted_at.is_(None)
        if s.scalars(select(Document.id).where(Document.id == ref, live)).first():
            return ref
        ids = list(s.scalars(select(Document.id).where(Document.id.startswith(ref), live).limit(2)))
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise ValidationError(
                f"Mã “{ref}” trùng với nhiều tài liệu; hãy gõ dài hơn.", field="id"
            )
        number = normalise_number(ref)
        ids = list(s.scalars(select(Document.id).where(Document.number == number, live).limit(2)))
        if len(ids) == 1:
            return ids[0]
    raise NotFoundError(f"Không tìm thấy tài liệu “{ref}” trong thư viện.")


def issuer_spellings(s: Session, issuer: str) -> list[str]:
    """Every spelling in the library of the body named `issuer` (see issuer_key): the filter
    for "Ban Chấp hành Trung ương" also finds "BAN CHẤP HÀNH TRUNG ƯƠNG"."""
    key = issuer_key(issuer)
    names = s.scalars(select(DocumentSearchEntry.issuer).distinct()).all()
    return [name for name in names if issuer_key(name) == key] or [issuer]


def canonical_issuers(rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """(issuer, count) grouped by body: each body once, under its most used spelling (a
    hand-corrected "Ban Chấp hành Trung ương" before the header's capitals on a tie)."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for name, n in rows:
        if clean(name):
            groups.setdefault(issuer_key(name), []).append((clean(name), int(n)))
    out: list[tuple[str, int]] = []
    for forms in groups.values():
        shown = max(forms, key=lambda f: (f[1], not f[0].isupper(), f[0]))[0]
        out.append((shown, sum(n for _name, n in forms)))
    return sorted(out, key=lambda item: (issuer_key(item[0]), item[0]))


def _filtered(
    q: Any,
    *,
    doc_type: str | None,
    issuer: Sequence[str] | None,
    year: int | None,
    source: str | None,
) -> Any:
    """Filters on document_search (live documents only; see app.models.document_search).
    `issuer` is every spelling of one body (issuer_spellings)."""
    e = DocumentSearchEntry
    if doc_type:
        q = q.where(e.doc_type == doc_type)
    if issuer:
        q = q.where(e.issuer.in_(list(issuer)))
    if year:
        q = q.where(e.year == int(year))
    if source:
        q = q.where(e.source == source)
    return q


def _catalogue_view(e: Any) -> DocumentView:
    """A view from a catalogue row (an ORM entry or a Core row with the same names)."""
    return DocumentView(
        id=e.document_id,
        number=e.number,
        doc_type=e.doc_type,
        issuer=e.issuer,
        issued_on=e.issued_on,
        place=e.place,
        title=e.title,
        summary=e.summary,
        tags=e.tags,
        filename=e.filename,
        mime=e.mime,
        size=e.size,
        sha256=e.sha256,
        source=e.source,
        has_text=e.text_length > 0,
        text_length=e.text_length,
        created_at=e.created_at or dt.datetime.min,
        version=e.version,
    )


def list_documents(
    book: Book,
    *,
    doc_type: str | None = None,
    issuer: str | None = None,
    year: int | None = None,
    source: str | None = None,
    ids: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[DocumentView]:
    """Live documents, newest first (by date, then by import time); text left out.

    Read from the catalogue (document_search), which the services keep in step."""
    ensure_index(book)
    e = DocumentSearchEntry
    with book.read_session() as s:
        q = _filtered(
            select(*DocumentSearchEntry.__table__.columns),
            doc_type=doc_type,
            issuer=issuer_spellings(s, issuer) if issuer else None,
            year=year,
            source=source,
        )
        if ids is not None:
            q = q.where(e.document_id.in_(list(ids)))
        q = q.order_by(
            e.issued_on.is_(None), e.issued_on.desc(), e.created_at.desc(), e.rowid.desc()
        )
        q = q.offset(offset)
        if limit is not None:
            q = q.limit(limit)
        return [_catalogue_view(row) for row in s.execute(q)]


def count_documents(
    book: Book,
    *,
    doc_type: str | None = None,
    issuer: str | None = None,
    year: int | None = None,
    source: str | None = None,
) -> int:
    ensure_index(book)
    with book.read_session() as s:
        q = _filtered(
            select(func.count(DocumentSearchEntry.rowid)),
            doc_type=doc_type,
            issuer=issuer_spellings(s, issuer) if issuer else None,
            year=year,
            source=source,
        )
        return int(s.scalar(q) or 0)


def facets(book: Book) -> Facets:
    """Types, issuers and years in the library, with counts (for the filters)."""
    ensure_index(book)
    e = DocumentSearchEntry
    with book.read_session() as s:
        types = s.execute(select(e.doc_type, func.count()).group_by(e.doc_type)).all()
        issuers = s.execute(
            select(e.issuer, func.count())
            .where(e.issuer != "")
            .group_by(e.issuer)
            .order_by(e.issuer)
        ).all()
        years = s.execute(
            select(e.year, func.count())
            .where(e.year.is_not(None))
            .group_by(e.year)
            .order_by(e.year.desc())
        ).all()
        total = int(s.scalar(select(func.count(e.rowid))) or 0)
    order = list(DOCUMENT_TYPES)
    return Facets(
        types=sorted(
            ((code, DOCUMENT_TYPES.get(code, code), int(n)) for code, n in types),
            key=lambda t: order.index(t[0]) if t[0] in order else len(order),
        ),
        issuers=canonical_issuers([(str(i), int(n)) for i, n in issuers]),
        years=[(int(y), int(n)) for y, n in years if y is not None],
        total=total,
    )


def file_bytes(book: Book, *, document_id: str) -> tuple[str, str, bytes]:
    """(file name, MIME type, bytes) of the stored file."""
    with book.read_session() as s:
        row = _get_row(s, document_id)
        stored = s.get(DocumentFile, document_id)
        if stored is None:
            raise NotFoundError(
                f"Tài liệu “{row.title or row.number}” không có tệp gốc trong sổ "
                "(có thể cấp trên chỉ gửi nội dung)."
            )
        return row.filename, row.mime, bytes(stored.data)


def export_file(book: Book, *, document_id: str, dest: Path) -> Path:
    """Write the stored file to `dest` (a file, or a folder to keep the original name)."""
    filename, _mime, data = file_bytes(book, document_id=document_id)
    dest = Path(dest)
    if dest.is_dir():
        # The stored name came from outside (the server, an imported file): make it valid.
        dest = dest / safe_file_name(filename, fallback="tai-lieu")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dest, data)
    except OSError as exc:
        raise KnownError(f"Không ghi được tệp {dest}: {exc.strerror or exc}.") from exc
    return dest


# -- search ------------------------------------------------------------------------------------
def ensure_index(book: Book) -> int:
    """Index documents written without the index (by sync); returns how many."""
    with book.read_session() as s:
        if search_index.in_step(s):
            return 0
        stale = search_index.stale_document_ids(s)
    if not stale:
        return 0
    with book.session() as s:
        return search_index.catch_up(s)


def search(
    book: Book,
    *,
    query: str,
    doc_type: str | None = None,
    issuer: str | None = None,
    year: int | None = None,
    source: str | None = None,
    limit: int = 20,
    offset: int = 0,
    prefix: bool = True,
    with_total: bool = True,
) -> SearchResults:
    """Full-text search ignoring tones, marks and đ/d; best first, with snippets."""
    started = time.perf_counter()
    parsed = search_index.parse_query(query, prefix=prefix)
    if parsed is None:
        return SearchResults(query=query, hits=[], total=0)
    ensure_index(book)
    weights = ", ".join(str(w) for w in search_index.WEIGHTS)
    # Only live documents are in the index; filters read document_search, never the
    # document rows (their text makes them slow to scan).
    where = [f"{FTS_TABLE} MATCH :match"]
    params: dict[str, Any] = {"match": parsed.match, "limit": limit, "offset": offset}
    if doc_type:
        where.append("ds.doc_type = :doc_type")
        params["doc_type"] = doc_type
    if issuer:
        with book.read_session() as s:
            spellings = issuer_spellings(s, issuer)
        names = []
        for i, name in enumerate(spellings):
            params[f"issuer{i}"] = name
            names.append(f":issuer{i}")
        where.append(f"ds.issuer IN ({', '.join(names)})")
    if year:
        where.append("ds.year = :year")
        params["year"] = int(year)
    if source:
        where.append("ds.source = :source")
        params["source"] = source
    joins = f"FROM {FTS_TABLE} JOIN document_search AS ds ON ds.rowid = {FTS_TABLE}.rowid"
    sql = (
        f"SELECT {FTS_TABLE}.rowid, ds.document_id, bm25({FTS_TABLE}, {weights}) AS score "
        f"{joins} WHERE {' AND '.join(where)} ORDER BY score LIMIT :limit OFFSET :offset"
    )
    with book.read_session() as s:
        try:
            ranked = s.execute(text(sql), params).all()
        except Exception as exc:  # an FTS5 syntax error is the only expected failure here
            if "fts5" in str(exc).lower():
                raise ValidationError(
                    f"Không tìm được với từ khóa “{query}”.", field="query"
                ) from exc
            raise
        total = len(ranked) + offset
        if with_total and (len(ranked) == limit or offset):
            count_sql = f"SELECT count(*) {joins} WHERE {' AND '.join(where)}"
            total = int(s.execute(text(count_sql), params).scalar() or 0)
        hits = _hits(s, parsed, ranked)
    return SearchResults(
        query=query, hits=hits, total=total, elapsed_ms=(time.perf_counter() - started) * 1000
    )


def _hits(s: Session, query: search_index.ParsedQuery, ranked: Sequence[Any]) -> list[SearchHit]:
    """The ranked documents with their snippets, cut from the original text."""
    if not ranked:
        return []
    rowids = ", ".join(str(int(r[0])) for r in ranked)
    folded = {
        int(r[0]): (r[1] or "", r[2] or "", r[3] or "")
        for r in s.execute(
            text(f"SELECT rowid, title, summary, body FROM {FTS_TABLE} WHERE rowid IN ({rowids})")
        )
    }
    rows = {
        r.id: r for r in s.scalars(select(Document).where(Document.id.in_([r[1] for r in ranked])))
    }
    hits: list[SearchHit] = []
    for rowid, doc_id, score in ranked:
        row = rows.get(doc_id)
        if row is None:
            continue
        title_f, summary_f, body_f = folded.get(int(rowid), ("", "", ""))
        snip = search_index.snippet(row.text_content, body_f, query)
        if snip is None:
            snip = search_index.snippet(row.summary, summary_f, query)
        if snip is None:
            snip = search_index.lead(row.summary or row.text_content)
        hits.append(
            SearchHit(
                id=row.id,
                title=row.title,
                number=row.number,
                filename=row.filename,
                doc_type=row.doc_type,
                issuer=row.issuer,
                issued_on=row.issued_on,
                source=row.source,
                score=-float(score),
                snippet_marked=snip,
                title_marked=search_index.mark_whole(row.title, title_f, query),
            )
        )
    return hits


# -- writes ------------------------------------------------------------------------------------
def _label(row: Document) -> str:
    if row.number and row.title:
        return f"{row.number} — {row.title}"
    return row.title or row.number or row.filename


def _audit_fields(before: dict[str, Any] | None, row: Document) -> dict[str, list[Any]]:
    after = {k: v for k, v in row.sync_fields().items() if k != "text_content"}
    after["text_length"] = len(row.text_content)
    return changes.diff(before, after)


def _normalise_fields(data: DocumentFields) -> DocumentFields:
    out = DocumentFields(
        number=normalise_number(data.number) if clean(data.number) else "",
        doc_type=clean(data.doc_type) or "KHAC",
        issuer=clean(data.issuer),
        issued_on=data.issued_on,
        place=clean(data.place),
        title=clean(data.title),
        summary=nfc(data.summary or "").strip(),
        tags=", ".join(t for t in (clean(x) for x in (data.tags or "").split(",")) if t),
    )
    if out.doc_type not in DOCUMENT_TYPES:
        raise ValidationError(f"Loại tài liệu không hợp lệ: {out.doc_type}.", field="doc_type")
    if not out.title:
        raise ValidationError("Vui lòng nhập tiêu đề tài liệu.", field="title")
    if len(out.title) > 500:
        raise ValidationError("Tiêu đề dài quá 500 ký tự.", field="title")
    if len(out.number) > 60:
        raise ValidationError("Số hiệu dài quá 60 ký tự.", field="number")
    if len(out.issuer) > 200:
        raise ValidationError("Tên cơ quan ban hành dài quá 200 ký tự.", field="issuer")
    if len(out.place) > 100:
        raise ValidationError("Địa danh dài quá 100 ký tự.", field="place")
    if len(out.tags) > 300:
        raise ValidationError("Từ khóa dài quá 300 ký tự.", field="tags")
    if out.issued_on is not None and out.issued_on > dt.date.today() + dt.timedelta(days=366):
        raise ValidationError("Ngày ban hành ở quá xa trong tương lai.", field="issued_on")
    return out


def _apply_fields(row: Document, data: DocumentFields) -> None:
    for name in EDITABLE:
        setattr(row, name, getattr(data, name))


def fields_of(view: DocumentView) -> DocumentFields:
    return DocumentFields(
        number=view.number,
        doc_type=view.doc_type,
        issuer=view.issuer,
        issued_on=view.issued_on,
        place=view.place,
        title=view.title,
        summary=view.summary,
        tags=view.tags,
    )


def update(
    book: Book,
    *,
    document_id: str,
    data: DocumentFields,
    actor: str | None = None,
    reason: str = "",
) -> DocumentView:
    """Confirm or correct the recognised fields (number, type, issuer, date, title ...)."""
    data = _normalise_fields(data)
    with book.session() as s:
        row = _get_row(s, document_id)
        before = {k: v for k, v in row.sync_fields().items() if k != "text_content"}
        before["text_length"] = len(row.text_content)
        _apply_fields(row, data)
        delta = _audit_fields(before, row)
        if changes.update(
            s,
            row,
            actor=actor or book.actor,
            entity=ENTITY,
            summary=f"Sửa thông tin tài liệu {_label(row)}",
            delta=delta,
            reason=reason,
        ):
            search_index.index_document(s, row)
        return _view(row)


def remove(book: Book, *, document_id: str, reason: str = "", actor: str | None = None) -> None:
    """Take a document out of the library (a tombstone that syncs; the audit keeps it)."""
    with book.session() as s:
        row = _get_row(s, document_id)
        changes.tombstone(
            s,
            row,
            actor=actor or book.actor,
            entity=ENTITY,
            summary=f"Xóa tài liệu {_label(row)} khỏi thư viện",
            reason=reason,
        )
        search_index.index_document(s, row)


def reindex_all(book: Book) -> int:
    """Rebuild the whole search index (after an upgrade of the folding rules)."""
    with book.session() as s:
        s.execute(text(f"DELETE FROM {FTS_TABLE}"))
        s.execute(delete(DocumentSearchEntry))
        ids = list(s.scalars(select(Document.id).where(Document.deleted_at.is_(None))))
        search_index.catch_up(s, ids)
        return len(ids)


def reading_text(book: Book, *, document_id: str, summary_only: bool = False) -> tuple[str, str]:
    """(heading, text) for the reading view and large print: the summary or the full text."""
    doc = get(book, document_id=document_id, with_text=True)
    heading = doc.title or doc.filename
    if doc.number:
        heading = f"{heading}\n(Số {doc.number})"
    body = doc.summary if summary_only else (doc.text[body_offset(doc.text) :] or doc.summary)
    if not body:
        raise ValidationError(
            "Tài liệu này chưa có nội dung chữ (bản quét hoặc có mật khẩu). "
            "Hãy nhập phần tóm tắt để in chữ lớn hoặc đọc.",
            field="summary",
        )
    return heading, body

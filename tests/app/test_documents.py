"""The library: import many files, recognise, find without marks, correct, keep safe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.book import Book, open_book, restore
from app.errors import NotFoundError, ValidationError
from app.models import AuditEntry, Document, OutboxEntry
from app.services import documents
from tests.app.document_files import (
    PARTY_PLAN,
    make_docx,
    make_pdf,
    make_scanned_pdf,
    seed_text,
    write,
)
from tests.conftest import TEST_PASSWORD

QD_339 = [
    "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "Số 339-QĐ/TW",
    "Hà Nội, ngày 10 tháng 7 năm 2025",
    "",
    "QUY ĐỊNH",
    "về sử dụng ứng dụng Sổ tay đảng viên điện tử",
    "",
    "Thực hiện Điều lệ Đảng, Ban Bí thư quy định việc sử dụng ứng dụng trong toàn Đảng như sau:",
    "Điều 1. Ứng dụng dùng cho đảng viên chính thức và đảng viên dự bị.",
]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "nhap"
    return {
        "plan_pdf": write(folder / "ke-hoach-05.pdf", make_pdf([PARTY_PLAN])),
        "qd_pdf": write(folder / "quy-dinh-339.pdf", make_pdf([QD_339, ["Trang 2 của Quy định."]])),
        "seed004_docx": write(
            folder / "kh-18-du.docx", make_docx(seed_text("seed004_head.txt").split("\n"))
        ),
        "seed000_txt": write(
            folder / "an-quang-ocr.txt", seed_text("seed000_ocr_head.txt").encode("utf-8")
        ),
        "scanned_pdf": write(folder / "ban-quet.pdf", make_scanned_pdf(pages=1)),
    }


def _import_all(book: Book, files: dict[str, Path]) -> dict[str, documents.ImportOutcome]:
    outcomes = documents.import_files(book, paths=list(files.values()))
    return {key: o for key, o in zip(files, outcomes, strict=True)}


def test_import_many_reports_progress_and_recognises_fields(
    book: Book, files: dict[str, Path]
) -> None:
    seen: list[tuple[int, int]] = []
    outcomes = documents.import_files(
        book, paths=list(files.values()), progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert [o.status for o in outcomes] == ["imported"] * 5
    by_name = {o.filename: o.document for o in outcomes}
    plan = by_name["ke-hoach-05.pdf"]
    assert plan is not None
    assert (plan.number, plan.doc_type, plan.issuer, plan.place) == (
        "05-KH/CB",
        "KH",
        "ĐẢNG BỘ PHƯỜNG QUY NHƠN CHI BỘ KHU PHỐ 3",  # the parent body and the chi bộ, whole
        "Quy Nhơn",
    )
    assert plan.issued_on == dt.date(2025, 11, 5)
    qd = by_name["quy-dinh-339.pdf"]
    assert qd is not None and qd.number == "339-QĐ/TW" and qd.doc_type == "QĐ"
    docx = by_name["kh-18-du.docx"]
    assert docx is not None and docx.number == "18-KH/ĐU"
    ocr = by_name["an-quang-ocr.txt"]
    assert ocr is not None and ocr.number == "16-KH/ĐU"
    assert ocr.issuer == "ĐẢNG BỘ TP HẢI PHÒNG ĐẢNG ỦY XÃ AN QUANG"


def test_scanned_pdf_is_kept_and_says_no_text_could_be_read(
    book: Book, files: dict[str, Path], tmp_path: Path
) -> None:
    outcome = documents.import_file(book, path=files["scanned_pdf"])
    assert outcome.status == "imported"
    assert "Không đọc được chữ" in outcome.problem
    assert outcome.document is not None and not outcome.document.has_text
    assert outcome.document.title == "ban-quet"  # from the file name, to be corrected
    (tmp_path / "ra").mkdir()
    saved = documents.export_file(book, document_id=outcome.document.id, dest=tmp_path / "ra")
    assert saved.name == "ban-quet.pdf"
    assert saved.read_bytes() == files["scanned_pdf"].read_bytes()


def test_same_content_twice_is_recognised_and_not_imported_again(
    book: Book, files: dict[str, Path], tmp_path: Path
) -> None:
    first = documents.import_file(book, path=files["plan_pdf"])
    copy = write(tmp_path / "ban-sao-ten-khac.pdf", files["plan_pdf"].read_bytes())
    again = documents.import_files(book, paths=[copy, files["plan_pdf"]])
    assert [o.status for o in again] == ["duplicate", "duplicate"]
    assert first.document is not None
    assert again[0].document is not None and again[0].document.id == first.document.id
    assert "trùng nội dung" in again[0].message and "ke-hoach-05.pdf" in again[0].message
    assert documents.count_documents(book) == 1


def test_a_bad_file_in_a_batch_loses_nothing_else(
    book: Book, files: dict[str, Path], tmp_path: Path
) -> None:
    broken = write(tmp_path / "hong.docx", b"PK\x03\x04 not really a zip")
    huge = tmp_path / "qua-lon.pdf"
    with huge.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    outcomes = documents.import_files(
        book, paths=[broken, files["plan_pdf"], huge, tmp_path / "khong-co.txt"]
    )
    assert [o.status for o in outcomes] == ["failed", "imported", "failed", "failed"]
    assert "bị hỏng" in outcomes[0].message
    assert "quá lớn (200 MB)" in outcomes[2].message
    assert "Không tìm thấy tệp" in outcomes[3].message
    assert documents.count_documents(book) == 1


def test_search_ignores_marks_and_d_and_ranks_the_numbered_document_first(
    book: Book, files: dict[str, Path]
) -> None:
    _import_all(book, files)
    found = documents.search(book, query="339-QD/TW")
    assert found.hits, "339-QD/TW must find 339-QĐ/TW"
    assert found.hits[0].number == "339-QĐ/TW"
    assert found.hits[0].filename == "quy-dinh-339.pdf"
    numbers_cited = {h.filename for h in found.hits}
    assert "ke-hoach-05.pdf" in numbers_cited  # it cites Quy định số 339-QĐ/TW
    assert "an-quang-ocr.txt" in numbers_cited  # OCR'd "339- QD/TW"
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores, reverse=True)

    plan_hit = next(h for h in found.hits if h.filename == "ke-hoach-05.pdf")
    assert "«339-QĐ/TW»" in plan_hit.snippet  # highlighted in the original, with its Đ


def test_dang_vien_finds_dang_vien_and_the_snippet_shows_the_original(
    book: Book, files: dict[str, Path]
) -> None:
    _import_all(book, files)
    found = documents.search(book, query="dang vien cao tuoi")
    assert [h.filename for h in found.hits] == ["ke-hoach-05.pdf"]
    snippet = found.hits[0].snippet
    assert "«đảng viên cao tuổi»" in snippet
    assert found.hits[0].snippet_marked.has_highlight


def test_ocr_text_is_found_with_a_properly_marked_query(book: Book, files: dict[str, Path]) -> None:
    _import_all(book, files)
    found = documents.search(book, query="Đảng ủy xã An Quang")
    assert [h.filename for h in found.hits][:1] == ["an-quang-ocr.txt"]
    # "PANG UY XA AN QUANG" in the scan: the snippet shows the text as it is in the file.
    assert "«PANG UY XA AN QUANG»" in found.hits[0].snippet


def test_search_filters_by_type_issuer_and_year(book: Book, files: dict[str, Path]) -> None:
    _import_all(book, files)
    assert {h.number for h in documents.search(book, query="so tay", doc_type="QĐ").hits} == {
        "339-QĐ/TW"
    }
    chi_bo = "ĐẢNG BỘ PHƯỜNG QUY NHƠN CHI BỘ KHU PHỐ 3"
    assert {h.number for h in documents.search(book, query="so tay", issuer=chi_bo).hits} == {
        "05-KH/CB"
    }
    assert documents.search(book, query="so tay", year=2019).hits == []
    facets = documents.facets(book)
    assert ("QĐ", "Quy định / Quyết định", 1) in facets.types
    assert (chi_bo, 1) in facets.issuers
    assert (2025, 3) in facets.years
    assert facets.total == 5


def test_empty_or_punctuation_query_finds_nothing_without_error(
    book: Book, files: dict[str, Path]
) -> None:
    _import_all(book, files)
    assert documents.search(book, query="   ").hits == []
    assert documents.search(book, query='"" - / *').hits == []
    assert documents.search(book, query="NEAR OR AND").hits == []  # words, not operators


def test_correcting_fields_updates_search_audit_and_outbox(
    book: Book, files: dict[str, Path]
) -> None:
    outcome = documents.import_file(book, path=files["scanned_pdf"])
    assert outcome.document is not None
    doc_id = outcome.document.id
    data = documents.fields_of(outcome.document)
    data.number = "12-CT/TW"
    data.doc_type = "CT"
    data.title = "CHỈ THỊ về tăng cường công tác hỗ trợ đảng viên cao tuổi"
    data.issued_on = dt.date(2025, 12, 1)
    data.summary = "Hỗ trợ đảng viên cao tuổi cài đặt và sử dụng Sổ tay đảng viên điện tử."
    saved = documents.update(book, document_id=doc_id, data=data)
    assert saved.number == "12-CT/TW" and saved.version == 2
    hits = documents.search(book, query="12-CT/TW").hits
    assert [h.id for h in hits] == [doc_id]
    summary_hits = documents.search(book, query="cai dat").hits
    assert [h.id for h in summary_hits] == [doc_id]
    assert "«cài đặt»" in summary_hits[0].snippet
    with book.read_session() as s:
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == doc_id).order_by(AuditEntry.id)
        ).all()
        outbox = s.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == doc_id)).all()
    assert [a.action for a in audit] == ["import", "update"]
    assert "12-CT/TW" in audit[-1].changes_json
    assert [o.version for o in outbox] == [1, 2]


def test_invalid_corrections_are_refused_in_vietnamese(book: Book, files: dict[str, Path]) -> None:
    outcome = documents.import_file(book, path=files["plan_pdf"])
    assert outcome.document is not None
    data = documents.fields_of(outcome.document)
    data.title = "  "
    with pytest.raises(ValidationError, match="tiêu đề") as info:
        documents.update(book, document_id=outcome.document.id, data=data)
    assert info.value.field == "title"
    data = documents.fields_of(outcome.document)
    data.doc_type = "XYZ"
    with pytest.raises(ValidationError, match="Loại tài liệu"):
        documents.update(book, document_id=outcome.document.id, data=data)


def test_removed_documents_leave_search_and_list(book: Book, files: dict[str, Path]) -> None:
    got = _import_all(book, files)
    qd = got["qd_pdf"].document
    assert qd is not None
    documents.remove(book, document_id=qd.id, reason="Nhập nhầm")
    assert all(h.id != qd.id for h in documents.search(book, query="339-QD/TW").hits)
    assert qd.id not in {d.id for d in documents.list_documents(book)}
    with pytest.raises(NotFoundError):
        documents.get(book, document_id=qd.id)
    # The same file may be imported again after removal.
    assert documents.import_file(book, path=files["qd_pdf"]).status == "imported"


def test_library_survives_closing_and_reopening(
    book: Book, files: dict[str, Path], data_dir: Path
) -> None:
    _import_all(book, files)
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        listed = documents.list_documents(again)
        assert len(listed) == 5
        assert listed[0].issued_on is not None  # newest dated first
        assert all(d.text == "" for d in listed)
        plan = next(d for d in listed if d.filename == "ke-hoach-05.pdf")
        assert plan.text_length > 100
        full = documents.get(again, document_id=plan.id, with_text=True)
        assert "Thực hiện Kế hoạch số 18-KH/ĐU" in full.text
        assert documents.search(again, query="339-QD/TW").hits[0].number == "339-QĐ/TW"
    finally:
        again.close()


def test_documents_written_by_sync_are_indexed_before_the_next_search(book: Book) -> None:
    """The sync engineer writes committee documents as rows; search catches them up."""
    with book.session() as s:
        s.add(
            Document(
                number="57-NQ/TW",
                doc_type="NQ",
                issuer="BỘ CHÍNH TRỊ",
                title="NGHỊ QUYẾT về đột phá phát triển khoa học, công nghệ",
                text_content="Nghị quyết số 57-NQ/TW về chuyển đổi số quốc gia.",
                filename="nq-57.pdf",
                source="committee",
            )
        )
    hits = documents.search(book, query="chuyen doi so").hits
    assert [h.number for h in hits] == ["57-NQ/TW"]
    assert hits[0].source == "committee"
    assert "«chuyển đổi số»" in hits[0].snippet
    assert documents.list_documents(book, source="committee")[0].source_label == "Cấp trên gửi"
    with book.session() as s:
        row = s.scalars(select(Document)).one()
        row.deleted_at = dt.datetime(2026, 1, 1)
        row.version += 1
    assert documents.search(book, query="chuyen doi so").hits == []


def test_backup_and_restore_keep_files_and_the_search_index(
    book: Book, files: dict[str, Path], data_dir: Path, tmp_path: Path
) -> None:
    _import_all(book, files)
    backup = book.backup(tmp_path / "sao-luu")
    book.close()
    restore(data_dir, backup, password=TEST_PASSWORD)
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        assert again.check() == []
        hits = documents.search(again, query="dang vien cao tuoi").hits
        assert [h.filename for h in hits] == ["ke-hoach-05.pdf"]
        name, _mime, data = documents.file_bytes(again, document_id=hits[0].id)
        assert data == files["plan_pdf"].read_bytes() and name == "ke-hoach-05.pdf"
    finally:
        again.close()


def test_document_bytes_are_not_readable_in_the_book_file(
    book: Book, files: dict[str, Path], data_dir: Path
) -> None:
    documents.import_file(book, path=files["plan_pdf"])
    assert book.engine is not None
    book.close()
    raw = (data_dir / "book.db").read_bytes() + (
        (data_dir / "book.db-wal").read_bytes() if (data_dir / "book.db-wal").exists() else b""
    )
    assert b"%PDF" not in raw
    assert "Quy Nhơn".encode() not in raw


def test_resolve_id_by_prefix_or_number(book: Book, files: dict[str, Path]) -> None:
    got = _import_all(book, files)
    qd = got["qd_pdf"].document
    assert qd is not None
    assert documents.resolve_id(book, ref=qd.id[:8]) == qd.id
    assert documents.resolve_id(book, ref="339-QD/TW") == qd.id
    with pytest.raises(NotFoundError):
        documents.resolve_id(book, ref="999-KH/XX")


def test_reading_text_for_large_print(book: Book, files: dict[str, Path]) -> None:
    got = _import_all(book, files)
    plan = got["plan_pdf"].document
    scanned = got["scanned_pdf"].document
    assert plan is not None and scanned is not None
    heading, body = documents.reading_text(book, document_id=plan.id)
    assert heading.startswith("KẾ HOẠCH học tập") and "(Số 05-KH/CB)" in heading
    assert "đảng viên cao tuổi" in body
    with pytest.raises(ValidationError, match="chưa có nội dung chữ"):
        documents.reading_text(book, document_id=scanned.id)


def test_reindex_all_rebuilds_the_same_results(book: Book, files: dict[str, Path]) -> None:
    _import_all(book, files)
    before = [h.id for h in documents.search(book, query="so tay dang vien").hits]
    assert documents.reindex_all(book) == 5
    with book.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 5
    assert [h.id for h in documents.search(book, query="so tay dang vien").hits] == before


def test_committee_document_with_only_its_file_gets_its_text_read_for_search(book: Book) -> None:
    """Sync may bring the file without the text: the text is read before the next search."""
    from app.models import DocumentFile

    data = make_pdf([QD_339])
    with book.session() as s:
        row = Document(
            number="339-QĐ/TW",
            doc_type="QĐ",
            title="QUY ĐỊNH về sử dụng ứng dụng Sổ tay đảng viên điện tử",
            filename="qd-339.pdf",
            mime="application/pdf",
            size=len(data),
            source="committee",
            text_content="",
        )
        s.add(row)
        s.flush()
        s.add(DocumentFile(document_id=row.id, data=data))
    hits = documents.search(book, query="dang vien du bi").hits
    assert [h.number for h in hits] == ["339-QĐ/TW"]
    assert "«đảng viên dự bị»" in hits[0].snippet
    assert documents.get(book, document_id=hits[0].id).has_text


# -- numbers typed the short way, whole words, one entry per issuer -----------------------------
_SHORT_FORMS = {
    "nq57.txt": (
        "BỘ CHÍNH TRỊ\n*\nSố 57-NQ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 22 tháng 12 năm 2024\n\n"
        "NGHỊ QUYẾT\nvề đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số\n\n"
        "Thực hiện chủ trương của Đảng, Bộ Chính trị quyết nghị những nội dung sau đây."
    ),
    "cv4555.txt": (
        "HUYỆN ỦY THỌ XUÂN\nĐẢNG ỦY XÃ XUÂN HÒA\n*\nSố 4555-CV/ĐU\nV/v nộp đảng phí quý IV\n"
        "ĐẢNG CỘNG SẢN VIỆT NAM\nXuân Hòa, ngày 02 tháng 10 năm 2025\n\n"
        "Kính gửi: Các chi bộ trực thuộc.\n\nĐề nghị các chi bộ thu nộp đảng phí đúng hạn."
    ),
    "cv2291.txt": (
        "ỦY BAN NHÂN DÂN\nTỈNH HẬU GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 2291/UBND-VX\nV/v tuyên truyền bầu cử\nVị Thanh, ngày 6 tháng 4 năm 2021\n\n"
        "Kính gửi: Các sở, ban, ngành tỉnh.\n\nỦy ban nhân dân tỉnh đề nghị các đơn vị triển khai."
    ),
    "qd339.txt": (
        "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 339-QĐ/TW\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Hà Nội, ngày 10 tháng 7 năm 2025\n\nQUY ĐỊNH\nvề sử dụng ứng dụng Sổ tay đảng viên điện tử\n\n"
        "Căn cứ Điều lệ Đảng, Ban Bí thư quy định như sau."
    ),
    "phien-hop.txt": (
        "CHI BỘ KHU PHỐ 3\nBIÊN BẢN\nphiên họp chi bộ tháng 11\n\n"
        "Thực hiện chương trình công tác, chi bộ họp phiên thường kỳ, đảng viên dự đầy đủ."
    ),
}


@pytest.fixture
def short_forms(book: Book) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name, text in _SHORT_FORMS.items():
        outcome = documents.import_bytes(book, data=text.encode("utf-8"), filename=name)
        assert outcome.document is not None
        ids[name] = outcome.document.id
    return ids


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("NQ57", "nq57.txt"),
        ("57nq", "nq57.txt"),
        ("nq 57", "nq57.txt"),
        ("nq-57", "nq57.txt"),
        ("57-NQ/TW", "nq57.txt"),
        ("cv 4555", "cv4555.txt"),
        ("cong van 4555", "cv4555.txt"),
        ("cong van 2291", "cv2291.txt"),  # a State công văn: no "CV" in its number
        ("CV 2291", "cv2291.txt"),
        ("QD 339", "qd339.txt"),
        ("quyết định 339", "qd339.txt"),
    ],
)
def test_numbers_typed_the_short_way_find_the_document(
    book: Book, short_forms: dict[str, str], query: str, first: str
) -> None:
    hits = documents.search(book, query=query).hits
    assert hits, query
    assert hits[0].filename == first


def test_short_words_are_whole_words_dang_phi_does_not_find_phien(
    book: Book, short_forms: dict[str, str]
) -> None:
    assert [h.filename for h in documents.search(book, query="dang phi").hits] == ["cv4555.txt"]
    assert documents.search(book, query="phi").hits[0].filename == "cv4555.txt"
    assert "phien-hop.txt" not in {h.filename for h in documents.search(book, query="phi").hits}
    # From four letters the last word is still completed as it is typed.
    assert [h.filename for h in documents.search(book, query="phie").hits] == ["phien-hop.txt"]


def test_cong_van_is_a_kind_with_its_v_v_title(book: Book, short_forms: dict[str, str]) -> None:
    doc = documents.get(book, document_id=short_forms["cv2291.txt"])
    assert (doc.doc_type, doc.type_label) == ("CV", "Công văn")
    assert doc.title == "V/v tuyên truyền bầu cử"
    assert doc.issuer == "ỦY BAN NHÂN DÂN TỈNH HẬU GIANG"
    assert ("CV", "Công văn", 2) in documents.facets(book).types
    assert {d.filename for d in documents.list_documents(book, doc_type="CV")} == {
        "cv4555.txt",
        "cv2291.txt",
    }


def test_one_body_written_two_ways_is_one_issuer_in_the_filter(
    book: Book, short_forms: dict[str, str]
) -> None:
    # The header gives capitals; the secretary corrects another document by hand.
    fields = documents.fields_of(documents.get(book, document_id=short_forms["nq57.txt"]))
    fields.issuer = "Ban Chấp hành  Trung ương"
    documents.update(book, document_id=short_forms["nq57.txt"], data=fields)
    issuers = dict(documents.facets(book).issuers)
    assert issuers["Ban Chấp hành Trung ương"] == 2
    assert "BAN CHẤP HÀNH TRUNG ƯƠNG" not in issuers
    for spelling in ("Ban Chấp hành Trung ương", "BAN CHẤP HÀNH TRUNG ƯƠNG"):
        listed = {d.filename for d in documents.list_documents(book, issuer=spelling)}
        assert listed == {"nq57.txt", "qd339.txt"}
        assert documents.count_documents(book, issuer=spelling) == 2
        found = documents.search(book, query="dang", issuer=spelling).hits
        assert {h.filename for h in found} == {"nq57.txt", "qd339.txt"}


# -- a header drawn in text boxes -------------------------------------------------------------
_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _box_paragraphs(lines: list[str]) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)


def _drawing_box(lines: list[str], *, x_emu: int, y_emu: int, box_id: int) -> str:
    """A DrawingML text box placed on the page, with the VML copy Word saves beside it."""
    paras = _box_paragraphs(lines)
    return (
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x_emu}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y_emu}</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2743200" cy="914400"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{box_id}" name="Text Box {box_id}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>'
        f"<w:txbxContent>{paras}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape style="position:absolute"><v:textbox>'
        f"<w:txbxContent>{paras}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def _vml_box(lines: list[str], *, left_pt: int, top_pt: int) -> str:
    """A text box as older Word versions save it (VML only)."""
    style = (
        f"position:absolute;margin-left:{left_pt}pt;margin-top:{top_pt}pt;"
        "mso-position-vertical-relative:page"
    )
    return (
        f'<w:r {_NS}><w:pict><v:shape style="{style}"><v:textbox>'
        f"<w:txbxContent>{_box_paragraphs(lines)}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</w:r>"
    )


def _docx_with_header_in_text_boxes() -> bytes:
    import io

    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    title = document.add_paragraph("KẾ HOẠCH")
    # Drawn right box first: reading order is by place on the page, not by drawing order.
    title._p.append(
        parse_xml(
            _vml_box(["ĐẢNG CỘNG SẢN VIỆT NAM", "Quy Nhơn, ngày 01 tháng 12 năm 2025"],
                     left_pt=300, top_pt=40)
        )
    )  # fmt: skip
    left = ["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "CHI BỘ KHU PHỐ 3", "*", "Số 07-KH/CB"]
    title._p.append(parse_xml(_drawing_box(left, x_emu=600000, y_emu=457200, box_id=2)))
    document.add_paragraph("học tập Nghị quyết số 57-NQ/TW của Bộ Chính trị")
    document.add_paragraph(
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
        "triển khoa học, công nghệ, chi bộ xây dựng kế hoạch học tập như sau:"
    )
    document.add_paragraph("1. Mọi đảng viên tham gia học tập đầy đủ.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _import_plan_07(book: Book, data: bytes, filename: str) -> tuple[documents.DocumentView, str]:
    """Import the plan 07-KH/CB (header beside its body) and check what the user sees of it:
    its own number (not 57-NQ/TW, which it carries out), issuer, date and title."""
    outcome = documents.import_bytes(book, data=data, filename=filename)
    doc = outcome.document
    assert doc is not None
    assert doc.number == "07-KH/CB"
    assert doc.issuer == "ĐẢNG BỘ PHƯỜNG QUY NHƠN CHI BỘ KHU PHỐ 3"
    assert (doc.issued_on, doc.place) == (dt.date(2025, 12, 1), "Quy Nhơn")
    assert doc.title == "KẾ HOẠCH học tập Nghị quyết số 57-NQ/TW của Bộ Chính trị"
    assert outcome.recognised is not None and outcome.recognised.references == ("57-NQ/TW",)
    return doc, documents.get(book, document_id=doc.id, with_text=True).text


def test_a_header_in_docx_text_boxes_is_read_first_and_gives_the_plan_its_own_number(
    book: Book,
) -> None:
    _doc, text = _import_plan_07(book, _docx_with_header_in_text_boxes(), "ke-hoach-07.docx")
    assert text.count("CHI BỘ KHU PHỐ 3") == 1  # the VML copy of the box is not read twice
    assert text.index("CHI BỘ KHU PHỐ 3") < text.index("Quy Nhơn, ngày") < text.index("KẾ HOẠCH")
    assert documents.search(book, query="KH07").hits[0].filename == "ke-hoach-07.docx"


def _pdf_with_header_drawn_last() -> bytes:
    """Page 1 with the body drawn first and the header table last (cell by cell), so pypdf
    reads the header after the body, as with some exported plans."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from reports.fonts import SERIF, ensure_fonts

    ensure_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(SERIF, 12)
    body = [
        "KẾ HOẠCH",
        "học tập Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát",
        "triển khoa học, công nghệ, chi bộ xây dựng kế hoạch học tập như sau:",
        "1. Mọi đảng viên tham gia học tập đầy đủ.",
    ]
    cells = (
        (60, ["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "CHI BỘ KHU PHỐ 3", "*", "Số 07-KH/CB"]),
        (330, ["ĐẢNG CỘNG SẢN VIỆT NAM", "Quy Nhơn, ngày 01 tháng 12 năm 2025"]),
    )
    for x, top, lines in ((60, 700, body), *((x, 800, cell) for x, cell in cells)):
        for n, line in enumerate(lines):
            canvas.drawString(x, top - 17 * n, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_a_pdf_header_read_after_the_body_still_gives_the_documents_own_fields(
    book: Book,
) -> None:
    _doc, text = _import_plan_07(book, _pdf_with_header_drawn_last(), "ke-hoach-07.pdf")
    assert text.index("Thực hiện") < text.index("CHI BỘ KHU PHỐ 3")  # as pypdf reads it

"""OpenDocument text (.odt, LibreOffice Writer): what a secretary imports is read in order,
recognised like a .docx, found by search; hostile files are refused with a message."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from app.book import Book
from app.documents.extract import MAX_PARAGRAPHS, extract
from app.documents.recognise import recognise
from app.errors import ValidationError
from app.services import documents
from tests.app.document_files import write
from tests.app.odf_files import (
    Package,
    bullet_list,
    content_xml,
    h,
    header_odt,
    make_odt,
    p,
    table,
)
from tests.app.test_real_headers import CASES, Case, check
from tests.data.legacy_files import _write_streamed

# Headers of the real set laid out as issuer | motto, number | date (the usual table).
TABLE_LAID = (
    "01_ubnd_bac_ninh_155_kh",
    "06_ubnd_lam_dong_853_qd",
    "09_bchtw_97_qd",
    "12_vptw_11_hd",
    "14_bchtw_09_qc",
    "19_ubtvqh_43_2024_nq",
    "20_ubtvqh_653_2019_nq",
    "22_ubnd_bac_ninh_1348_qd",
    "23_ubkttw_06_hd",
    "29_ubnd_hai_duong_30_2016_qd",
    "31_ubnd_bac_giang_119_qd",
)
ODT_CASES = [c for c in CASES if c.name in TABLE_LAID]

PARTY_HEADER = table(
    [
        [
            ["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "CHI BỘ KHU PHỐ 3", "*", "Số 12-NQ/CB"],
            ["ĐẢNG CỘNG SẢN VIỆT NAM", "Quy Nhơn, ngày 05 tháng 11 năm 2025"],
        ]
    ]
)


def test_the_odt_header_set_is_the_real_headers() -> None:
    assert len(ODT_CASES) == len(TABLE_LAID)


@pytest.mark.parametrize("case", ODT_CASES, ids=[c.name for c in ODT_CASES])
def test_real_header_saved_as_odt_is_recognised(case: Case) -> None:
    got = extract(header_odt(case.text), filename=case.name + ".odt")
    assert got.kind == "odt" and got.mime == "application/vnd.oasis.opendocument.text"
    result = check(Case(case.name, got.text, case.expected))
    found = recognise(got.text)
    assert all(result.values()), ", ".join(
        f"{k}={getattr(found, k)!r}" for k, ok in result.items() if not ok
    )


def test_paragraphs_headings_lists_and_tables_come_out_in_order() -> None:
    body = (
        PARTY_HEADER
        + h("NGHỊ QUYẾT")
        + '<text:p text:style-name="P1">về công tác <text:span text:style-name="T1">phát '
        "triển</text:span> đảng viên<text:soft-page-break/> năm 2026</text:p>"
        + p("")
        + p("Chi bộ  thống nhất:\tba việc")
        + bullet_list(["Kết nạp 2 quần chúng ưu tú.", "Chuyển chính thức 1 đảng viên."])
        + '<text:p>Dòng một<text:line-break/>dòng hai, <text:a xlink:href="http://x" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">liên kết</text:a></text:p>'
        + table([[["Họ và tên"], ["Chức vụ"]], [["Trần Văn Bình"], ["Bí thư"]]], name="Bang2")
        + p("T/M CHI BỘ")
    )
    got = extract(make_odt(body), filename="nghi-quyet.odt")
    assert got.text.split("\n") == [
        "ĐẢNG BỘ PHƯỜNG QUY NHƠN",
        "CHI BỘ KHU PHỐ 3",
        "*",
        "Số 12-NQ/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Quy Nhơn, ngày 05 tháng 11 năm 2025",
        "",
        "NGHỊ QUYẾT",
        "về công tác phát triển đảng viên năm 2026",
        "",
        "Chi bộ  thống nhất:\tba việc",
        "Kết nạp 2 quần chúng ưu tú.",
        "Chuyển chính thức 1 đảng viên.",
        "Dòng một",
        "dòng hai, liên kết",
        "Họ và tên",
        "Chức vụ",
        "Trần Văn Bình",
        "Bí thư",
        "",
        "T/M CHI BỘ",
    ]
    found = recognise(got.text)
    assert (found.number, found.doc_type, found.issued_on) == (
        "12-NQ/CB",
        "NQ",
        dt.date(2025, 11, 5),
    )
    assert found.title == "NGHỊ QUYẾT về công tác phát triển đảng viên năm 2026"


def test_text_box_header_is_read_and_notes_comments_deletions_are_left_out() -> None:
    frame = (
        '<draw:frame draw:name="Khung1" text:anchor-type="paragraph" svg:width="6cm">'
        "<draw:text-box>"
        + p("ĐẢNG ỦY XÃ AN QUANG")
        + p("Số 07-KH/ĐU")
        + "</draw:text-box><svg:desc>hình minh họa</svg:desc></draw:frame>"
    )
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        + p("Đoạn đã xóa khi sửa")
        + "</text:deletion></text:changed-region></text:tracked-changes>"
        + f"<text:p>{frame}An Quang, ngày 02 tháng 3 năm 2026</text:p>"
        + '<text:p>KẾ HOẠCH<text:note text:id="n1" text:note-class="footnote">'
        "<text:note-citation>1</text:note-citation><text:note-body>"
        + p("Chú thích cuối trang")
        + "</text:note-body></text:note> tổ chức hội nghị"
        "<office:annotation><dc:creator>An</dc:creator>"
        + p("ý kiến góp ý")
        + "</office:annotation></text:p>"
    )
    got = extract(make_odt(body), filename="ke-hoach.odt")
    assert got.text.split("\n") == [
        "ĐẢNG ỦY XÃ AN QUANG",
        "Số 07-KH/ĐU",
        "An Quang, ngày 02 tháng 3 năm 2026",
        "KẾ HOẠCH tổ chức hội nghị",
    ]


def test_odt_typed_in_tcvn3_is_converted_with_a_note() -> None:
    body = p("§¶ng bé ph\u00adêng Quy Nh¬n") + p("NghÞ quyÕt vÒ c«ng t¸c ®¶ng viªn")
    got = extract(make_odt(body), filename="cu.odt")
    assert got.text.split("\n") == ["Đảng bộ phường Quy Nhơn", "Nghị quyết về công tác đảng viên"]
    assert "TCVN3" in got.note


def test_odt_is_known_by_its_mimetype_whatever_its_name() -> None:
    got = extract(make_odt(p("Công văn số 12-CV/ĐU")), filename="cong-van-tai-ve")
    assert got.kind == "odt" and got.text == "Công văn số 12-CV/ĐU"


def test_password_protected_odt_is_kept_with_a_message() -> None:
    package = Package(content="\x8b\x01 ciphertext, not XML", encrypted=True)
    got = extract(make_odt(package), filename="khoa.odt")
    assert got.kind == "odt" and got.text == "" and "mật khẩu" in got.problem


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?><office:document-content xmlns:office="x"><office:body>',
        "not xml at all",
        '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + content_xml(p("&b;&b;&b;")),
        content_xml(
            "<text:p>" + "<text:span>" * 5000 + "sâu" + "</text:span>" * 5000 + "</text:p>"
        ),
    ],
    ids=["cut-short", "not-xml", "entities", "nesting"],
)
def test_damaged_odt_is_refused_with_what_to_do(content: str) -> None:
    with pytest.raises(ValidationError) as err:
        extract(make_odt(Package(content)), filename="hong.odt")
    assert "OpenDocument (.odt) hong.odt bị hỏng" in err.value.message


def test_odt_without_its_content_is_refused() -> None:
    data = make_odt(p("x"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "content.xml":
                dst.writestr(info, src.read(info.filename))
    with pytest.raises(ValidationError, match="bị hỏng"):
        extract(out.getvalue(), filename="thieu.odt")


def test_odt_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "bom.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        _write_streamed(
            zf,
            "content.xml",
            b'<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:'
            b'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:'
            b'xmlns:text:1.0"><office:body><office:text><text:p>',
            300_000_000,
            b"</text:p></office:text></office:body></office:document-content>",
        )
    with pytest.raises(ValidationError) as err:
        extract(path.read_bytes(), filename="bom.odt")
    assert "khi giải nén lên tới 286 MB" in err.value.message


def test_odt_whose_zip_lies_about_its_size_is_stopped_while_reading(tmp_path: Path) -> None:
    """A content.xml declared small (so the size check passes) that inflates far beyond: the
    zip reader stops at the declared size, and the file is refused as damaged."""
    big = content_xml("<text:p>" + "A" * 40_000_000 + "</text:p>").encode()
    data = make_odt(Package(content_xml(p("x")), extra={"content.xml": big}))
    # Rewrite the declared sizes of content.xml down to 1 MB in both headers.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("content.xml")
    declared = info.file_size.to_bytes(4, "little")
    lied = (1024 * 1024).to_bytes(4, "little")
    assert data.count(declared) == 2
    with pytest.raises(ValidationError) as err:
        extract(data.replace(declared, lied), filename="noi-doi.odt")
    assert "OpenDocument (.odt) noi-doi.odt bị hỏng" in err.value.message


def test_odt_with_too_many_paragraphs_is_refused() -> None:
    data = make_odt("".join(f"<text:p>{i}</text:p>" for i in range(MAX_PARAGRAPHS + 1)))
    with pytest.raises(ValidationError) as err:
        extract(data, filename="dai.odt")
    assert "hơn 200.000 đoạn văn" in err.value.message


def test_imported_odt_is_recognised_and_found_by_search(book: Book, tmp_path: Path) -> None:
    body = PARTY_HEADER + h("NGHỊ QUYẾT") + p("về công tác phát triển đảng viên năm 2026")
    body += p("Chi bộ giao đồng chí Bí thư theo dõi việc bồi dưỡng quần chúng ưu tú.")
    path = write(tmp_path / "nghi-quyet-12.odt", make_odt(body))
    outcome = documents.import_file(book, path=path)
    assert outcome.status == "imported" and outcome.problem == ""
    view = outcome.document
    assert view is not None
    assert (view.number, view.doc_type, view.issued_on) == ("12-NQ/CB", "NQ", dt.date(2025, 11, 5))
    assert view.mime == "application/vnd.oasis.opendocument.text"
    hits = documents.search(book, query="boi duong quan chung").hits
    assert [h.number for h in hits] == ["12-NQ/CB"]

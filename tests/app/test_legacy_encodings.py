"""Lists and documents typed with the old TCVN3 (.VnTime) and VNI fonts, lost letters, old
formats (.xls, .ods, .doc) and hostile files: what the secretary sees and what is stored."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.book import Book
from app.documents.extract import extract
from app.errors import KnownError, ValidationError
from app.importers import members_table
from app.importers.sheet_reader import ImportFileError, lost_letters
from app.services import members
from app.services.members import MemberInput
from app.text_legacy import best_reading, convert_text, from_tcvn3, from_vni
from tests.data.legacy_files import (
    docx_bomb,
    legacy_bytes,
    make_doc,
    make_ods,
    make_xls,
    ods_content,
    ods_rows,
    xlsx_bomb,
)

TODAY = dt.date(2025, 11, 15)

# The same list as offices keep it: as Excel shows cells typed with .VnTime (TCVN3) and
# VNI-Times fonts, header included.
TCVN3_ROWS = [
    ["Danh s¸ch ®¶ng viªn chi bé khu phè 3"],
    ["STT", "Hä vµ tªn", "Giíi tÝnh", "Ngµy sinh", "Sè ®Þnh danh", "Ghi chó"],
    [1, "TrÇn V¨n B×nh", "Nam", "05/11/1965", "052065000101", "Tæ 1"],
    [2, "NguyÔn ThÞ Hoa", "N÷", "12/03/1970", "052170000102", None],
    [3, "§Æng V¨n Giang", "Nam", "01/01/1958", "052058000103", "Tæ 2"],
]
VNI_ROWS = [
    ["STT", "Hoï vaø teân", "Giôùi tính", "Ngaøy sinh", "Soá ñònh danh"],
    [1, "Traàn Vaên Bình", "Nam", "05/11/1965", "052065000101"],
    [2, "Nguyeãn Thò Hoøa", "Nöõ", "12/03/1970", "052170000102"],
    [3, "Tröông Phöôùc Löôïng", "Nam", "01/01/1958", "052058000103"],
]
UNICODE_NAMES = ["Trần Văn Bình", "Nguyễn Thị Hoa", "Đặng Văn Giang"]


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for values in rows:
        ws.append(list(values))
    wb.save(path)
    return path


def _csv_text(rows: Sequence[Sequence[Any]]) -> str:
    return "\r\n".join(",".join("" if v is None else str(v) for v in r) for r in rows)


def write_csv_bytes(path: Path, rows: Sequence[Sequence[Any]], encode: Any) -> Path:
    path.write_bytes(encode(_csv_text(rows)))
    return path


def stored_names(book: Book) -> list[str]:
    return sorted(m.full_name for m in members.list_members(book))


# -- the converters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("TrÇn V¨n B×nh", "Trần Văn Bình"),
        ("N÷", "Nữ"),
        ("Hä vµ tªn", "Họ và tên"),
        ("NGUYÔN V¡N AN", "NGUYỄN VĂN AN"),  # typed in the capitals font .VnTimeH
        ("B¶o Th¾ng, M\xadêng Kh\xad¬ng", "Bảo Thắng, Mường Khương"),
    ],
)
def test_tcvn3_glyphs_become_unicode(legacy: str, unicode: str) -> None:
    assert from_tcvn3(legacy) == unicode
    assert best_reading(legacy) == (unicode, "TCVN3")


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Traàn Vaên Bình", "Trần Văn Bình"),
        ("Nguyeãn Thò Hoøa", "Nguyễn Thị Hòa"),
        ("NGUYEÃN THÒ HOØA", "NGUYỄN THỊ HÒA"),
        ("Tröông Phöôùc Löôïng", "Trương Phước Lượng"),
        ("Ñaûng boä", "Đảng bộ"),
    ],
)
def test_vni_glyphs_become_unicode(legacy: str, unicode: str) -> None:
    assert from_vni(legacy) == unicode
    assert best_reading(legacy) == (unicode, "VNI")


@pytest.mark.parametrize(
    "text", ["Bình", "Hòa", "Hoà", "Lê Văn Tám", "Tú", "Phạm Thị Ánh", "Ksor H'Bia", "Đà Nẵng"]
)
def test_unicode_vietnamese_is_never_converted(text: str) -> None:
    assert best_reading(text) == (text, None)


def test_a_whole_document_in_tcvn3_is_converted_line_by_line() -> None:
    result = convert_text("§¶ng bé ph­êng Quy Nh¬n\nNghÞ quyÕt vÒ c«ng t¸c ®¶ng viªn\n2025")
    assert result.encoding == "TCVN3"
    assert result.text.splitlines()[1] == "Nghị quyết về công tác đảng viên"


# -- members import -------------------------------------------------------------------------


def test_tcvn3_workbook_imports_with_unicode_names_genders_and_a_note(
    book: Book, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "tcvn3.xlsx", TCVN3_ROWS)
    loaded = members_table.load(path)  # the header row itself is TCVN3
    report = members_table.preview(book, loaded, today=TODAY).to_json()
    assert report["header_row"] == 2
    assert [r["full_name"] for r in report["rows"]] == UNICODE_NAMES
    assert all(r["outcome"] in ("new", "warning") for r in report["rows"])
    for row in report["rows"]:
        assert any("chuyển từ bảng mã tcvn3" in r.lower() for r in row["repairs"]), row
    assert any("TCVN3" in n for n in report["notes"])
    members_table.apply(book, loaded, today=TODAY)
    assert stored_names(book) == sorted(UNICODE_NAMES)
    hoa = members.list_members(book, search="nguyen thi hoa")[0]
    assert hoa.gender == "nữ"


def test_tcvn3_list_against_the_book_proposes_no_rename(book: Book, tmp_path: Path) -> None:
    for name, pid in zip(
        UNICODE_NAMES, ("052065000101", "052170000102", "052058000103"), strict=True
    ):
        members.create(book, data=MemberInput(full_name=name, personal_id=pid))
    path = write_xlsx(tmp_path / "tcvn3.xlsx", TCVN3_ROWS)
    report = members_table.import_file(book, path, dry_run=True, today=TODAY).to_json()
    for row in report["rows"]:
        assert row["outcome"] != "error", row
        assert not any("Họ tên" in c for c in row["changes"]), row["changes"]
        assert not any("sẽ sửa thành" in w for w in row["warnings"]), row["warnings"]
    members_table.import_file(book, path, today=TODAY)
    assert stored_names(book) == sorted(UNICODE_NAMES)


def test_vni_workbook_imports_with_unicode_names(book: Book, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "vni.xlsx", VNI_ROWS)
    report = members_table.import_file(book, path, today=TODAY)
    assert [r.full_name for r in report.rows] == [
        "Trần Văn Bình",
        "Nguyễn Thị Hòa",
        "Trương Phước Lượng",
    ]
    assert all("Chuyển từ bảng mã VNI" in " ".join(r.repairs) for r in report.rows)
    assert members.list_members(book, search="nguyen thi hoa")[0].gender == "nữ"


@pytest.mark.parametrize("rows", [TCVN3_ROWS, VNI_ROWS], ids=["tcvn3", "vni"])
def test_csv_of_raw_legacy_bytes_imports_with_unicode_names(
    book: Book, tmp_path: Path, rows: list[list[Any]]
) -> None:
    path = write_csv_bytes(tmp_path / "ds.csv", rows, legacy_bytes)
    report = members_table.import_file(book, path, today=TODAY)
    assert report.rows[0].full_name == "Trần Văn Bình"
    assert report.counts()["error"] == 0
    assert "Trần Văn Bình" in stored_names(book)


def test_one_legacy_gender_cell_in_a_unicode_list_is_understood(book: Book, tmp_path: Path) -> None:
    rows = [["Họ và tên", "Giới tính", "Ngày sinh"], ["Lê Thị Thu", "N÷", "01/02/1960"]]
    report = members_table.import_file(book, write_xlsx(tmp_path / "a.xlsx", rows), today=TODAY)
    assert report.rows[0].outcome != "error"
    assert members.list_members(book)[0].gender == "nữ"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Nguy?n Th? Hoa", "“?”"),
        ("Ph¹m V¨n ?", "“?”"),  # half converted: still not a name
        ("Nguyễn Thị Ḥa", "“Ḥ”"),
        ("Trần\x07 Văn Bình", "U+0007"),
        ("Lê Văn \ufffd", "ký tự hỏng"),
    ],
)
def test_a_name_with_characters_no_vietnamese_name_has_is_an_error_and_not_stored(
    book: Book, tmp_path: Path, name: str, shown: str
) -> None:
    existing = members.create(
        book, data=MemberInput(full_name="Nguyễn Thị Hoa", personal_id="052170000102")
    )
    rows = [["Họ và tên", "Số định danh"], [name, "052170000102"], ["Võ Văn Tư", "052050000104"]]
    path = write_csv_bytes(tmp_path / "x.csv", rows, lambda t: t.encode("utf-8"))
    report = members_table.import_file(book, path, today=TODAY)
    bad = report.rows[0]
    assert bad.outcome == "error" and bad.action == "none"
    assert "không có trong tên người Việt" in bad.errors[0] and shown in bad.errors[0]
    assert members.get(book, member_id=existing.id).full_name == "Nguyễn Thị Hoa"
    assert stored_names(book) == ["Nguyễn Thị Hoa", "Võ Văn Tư"]


def test_csv_saved_as_windows_1252_with_lost_letters_is_refused(book: Book, tmp_path: Path) -> None:
    rows = [
        ["Họ và tên", "Ngày sinh"],
        ["Nguyễn Thị Hòa", "01/01/1970"],
        ["Trần Văn Bình", "02/02/1960"],
        ["Lê Thị Tuyết", "03/03/1980"],
    ]
    path = write_csv_bytes(
        tmp_path / "mat-dau.csv", rows, lambda t: t.encode("cp1252", errors="replace")
    )
    with pytest.raises(ImportFileError) as err:
        members_table.import_file(book, path, today=TODAY)
    message = str(err.value)
    assert "mất các chữ có dấu" in message and "“CSV UTF-8" in message
    assert "Nguy?n" in message
    assert stored_names(book) == []


@pytest.mark.parametrize(
    "data",
    [
        "Họ và tên,Ngày sinh\r\nNguyễn Văn An,01/01/1960\r\n".encode("utf-16")[:-1],
        "Họ và tên,Ngày sinh\r\nNguyễn Văn An,01/01/1960\r\n".encode("utf-16-le")[:-1],
        b"\xef\xbb\xbfH\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\n\xc3",
    ],
    ids=["utf16-bom-odd", "utf16-no-bom-odd", "utf8-bom-cut"],
)
def test_truncated_unicode_csv_is_a_message(book: Book, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes(data)
    with pytest.raises(ImportFileError) as err:
        members_table.import_file(book, path, today=TODAY)
    assert "CSV UTF-8" in str(err.value)
    assert stored_names(book) == []


# -- old formats ---------------------------------------------------------------------------


def test_xls_list_is_imported(book: Book, tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["DANH SÁCH ĐẢNG VIÊN"],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh", "Ngày vào Đảng"],
        [
            1,
            "Phan Văn Hải",
            dt.datetime(1950, 1, 1),
            "Nam",
            "052050000201",
            dt.datetime(1975, 5, 1),
        ],
        [2, "Phan Thị Hà", "02/02/1952", "Nữ", "052152000202", "03/02/1980"],
    ]
    path = make_xls(tmp_path / "ds.xls", rows)
    report = members_table.import_file(book, path, today=TODAY)
    assert report.header_row == 2 and report.counts()["error"] == 0
    hai = members.list_members(book, search="phan van hai")[0]
    assert hai.birth_date == dt.date(1950, 1, 1) and hai.admission_date == dt.date(1975, 5, 1)
    assert stored_names(book) == ["Phan Thị Hà", "Phan Văn Hải"]


def test_xls_typed_in_tcvn3_is_converted(book: Book, tmp_path: Path) -> None:
    path = make_xls(tmp_path / "tcvn3.xls", TCVN3_ROWS)
    report = members_table.import_file(book, path, today=TODAY)
    assert [r.full_name for r in report.rows] == UNICODE_NAMES


def test_ods_list_is_imported_and_repeats_cost_nothing(book: Book, tmp_path: Path) -> None:
    rows = ods_rows(
        [
            ["Họ và tên", "Ngày sinh", "Số định danh"],
            ["Võ Văn Long", dt.date(1953, 3, 3), "052053000203"],
            ["Hồ Thị Mai", "08/03/1950", "052150000204"],
        ]
    )
    # LibreOffice pads a sheet with a million repeated empty rows and 1024 empty columns.
    padding = (
        '<table:table-row table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = make_ods(tmp_path / "ds.ods", ods_content({"Danh sách": rows + padding}))
    report = members_table.import_file(book, path, today=TODAY)
    assert [r.full_name for r in report.rows] == ["Võ Văn Long", "Hồ Thị Mai"]
    assert members.list_members(book, search="vo van long")[0].birth_date == dt.date(1953, 3, 3)


def test_ods_filled_row_repeated_a_million_times_is_refused(book: Book, tmp_path: Path) -> None:
    rows = ods_rows([["Họ và tên"]]) + (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'office:value-type="string"><text:p>Lê Văn A</text:p></table:table-cell></table:table-row>'
    )
    path = make_ods(tmp_path / "lap.ods", ods_content({"DS": rows}))
    with pytest.raises(ImportFileError, match="dòng dữ liệu"):
        members_table.import_file(book, path, today=TODAY)
    assert stored_names(book) == []


def test_word_doc_given_as_member_list_says_what_it_is(book: Book, tmp_path: Path) -> None:
    path = tmp_path / "ds.xls"
    path.write_bytes(make_doc([("Danh sách\r", False)]))
    with pytest.raises(ImportFileError, match="tài liệu Word"):
        members_table.import_file(book, path, today=TODAY)


# -- hostile sizes ---------------------------------------------------------------------------


def test_xlsx_whose_one_cell_inflates_far_is_refused_before_parsing(
    book: Book, tmp_path: Path
) -> None:
    # The same shape as the 1.5 MB / 1.5 GB file of the report, scaled to 300 MB to keep
    # the test quick; the cap is 40 MB for shared strings.
    path = xlsx_bomb(tmp_path / "bom.xlsx", inflated=300_000_000)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ImportFileError) as err:
        members_table.import_file(book, path, today=TODAY)
    assert "giải nén" in str(err.value) and "không mở tệp này" in str(err.value)
    assert stored_names(book) == []


def test_xlsx_with_data_far_to_the_right_keeps_the_list(book: Book, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Họ và tên", "Ngày sinh"])
    ws.append(["Lê Văn Tám", "01/01/1960"])
    ws.cell(row=2, column=5000, value="x")
    wb.save(tmp_path / "rong.xlsx")
    report = members_table.import_file(book, tmp_path / "rong.xlsx", today=TODAY)
    assert any("chỉ đọc 256 cột đầu" in n for n in report.notes)
    assert stored_names(book) == ["Lê Văn Tám"]


# -- documents -------------------------------------------------------------------------------


def test_word_97_doc_text_is_read() -> None:
    data = make_doc(
        [
            ("ĐẢNG BỘ PHƯỜNG QUY NHƠN\x07ĐẢNG CỘNG SẢN VIỆT NAM\x07\x07", False),
            ("Số \x13 MERGEFIELD so \x1412-NQ/ĐU\x15\r", False),
            ("NGHỊ QUYẾT\rvề công tác phát triển đảng viên năm 2026\r", False),
            ("Plain piece stored as 8-bit text\r", True),
        ]
    )
    got = extract(data, filename="nghi-quyet.doc")
    assert got.kind == "doc" and got.mime == "application/msword" and got.problem == ""
    lines = got.text.splitlines()
    assert lines[:2] == ["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert "Số 12-NQ/ĐU" in lines and "MERGEFIELD" not in got.text
    assert "về công tác phát triển đảng viên năm 2026" in lines
    assert lines[-1] == "Plain piece stored as 8-bit text"


def test_doc_typed_in_tcvn3_is_converted_with_a_note() -> None:
    data = make_doc([("§¶ng bé ph­êng Quy Nh¬n\rNghÞ quyÕt vÒ c«ng t¸c ®¶ng viªn\r", True)])
    got = extract(data, filename="cu.doc")
    assert got.text.splitlines() == ["Đảng bộ phường Quy Nhơn", "Nghị quyết về công tác đảng viên"]
    assert "TCVN3" in got.note


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (make_doc([("Word 95\r", True)], nfib=0x0065), "Word 6.0/95"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word cũ"),
        (make_doc([("abc\r", True)])[:2000], "Word cũ"),
    ],
    ids=["word95", "garbage", "truncated"],
)
def test_doc_that_cannot_be_read_says_what_to_do(data: bytes, expected: str) -> None:
    with pytest.raises(ValidationError) as err:
        extract(data, filename="cu.doc")
    assert expected in str(err.value) and ".docx hoặc PDF" in str(err.value)


def test_password_protected_doc_is_kept_with_a_message() -> None:
    got = extract(make_doc([("bi mat\r", True)], encrypted=True), filename="khoa.doc")
    assert got.text == "" and "mật khẩu" in got.problem


def test_docx_typed_in_vni_is_converted_with_a_note() -> None:
    from docx import Document

    doc = Document()
    for line in ["ÑAÛNG COÄNG SAÛN VIEÄT NAM", "Keá hoaïch toå chöùc ñaïi hoäi chi boä"]:
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    got = extract(buf.getvalue(), filename="ke-hoach.docx")
    assert got.text.splitlines() == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Kế hoạch tổ chức đại hội chi bộ"]
    assert "VNI" in got.note


def test_txt_of_raw_tcvn3_bytes_is_converted_with_a_note() -> None:
    data = legacy_bytes("C«ng v¨n sè 12-CV/§U\r\nV/v tæ chøc sinh ho¹t chi bé\r\n")
    got = extract(data, filename="cv.txt")
    assert got.text.splitlines() == ["Công văn số 12-CV/ĐU", "V/v tổ chức sinh hoạt chi bộ"]
    assert "TCVN3" in got.note


def test_unicode_docx_gets_no_note() -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Hòa Bình, Tú, Lê Thị Hà")
    buf = io.BytesIO()
    doc.save(buf)
    got = extract(buf.getvalue(), filename="a.docx")
    assert got.text == "Hòa Bình, Tú, Lê Thị Hà" and got.note == ""


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = docx_bomb(tmp_path / "bom.docx", inflated=300_000_000)
    with pytest.raises(ValidationError) as err:
        extract(path.read_bytes(), filename="bom.docx")
    assert "giải nén" in str(err.value)


def test_docx_with_too_many_paragraphs_is_refused() -> None:
    body = "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(200_001))
    xml = (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    )
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = xml.encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    with pytest.raises(KnownError, match="đoạn văn"):
        extract(out.getvalue(), filename="dai.docx")


# Lines of real documents as they come out of old files (a Ministry of Finance decision of
# 2002 and a court record in .VnTime; a header in VNI-Times), with their reading.
REAL_LINES = [
    ("bé tµi chÝnh          céng hoµ x· héi chñ nghÜa ViÖt nam",
     "bộ tài chính          cộng hoà xã hội chủ nghĩa Việt nam"),
    ("Hµ néi, ngµy 22 th¸ng 11 n¨m 2002", "Hà nội, ngày 22 tháng 11 năm 2002"),
    ("quyÕt ®Þnh cña bé tr\xadëng bé tµi chÝnh", "quyết định của bộ trưởng bộ tài chính"),
    ("vÒ viÖc söa ®æi møc thuÕ suÊt cña mét sè mÆt hµng",
     "về việc sửa đổi mức thuế suất của một số mặt hàng"),
    ("TØnh b¾c giang §éc lËp - Tù do- H¹nh phóc", "Tỉnh bắc giang Độc lập - Tự do- Hạnh phúc"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
]  # fmt: skip


@pytest.mark.parametrize(("legacy", "unicode"), REAL_LINES)
def test_real_document_lines_are_read(legacy: str, unicode: str) -> None:
    assert best_reading(legacy)[0] == unicode


def test_spreadsheets_kept_as_documents_are_read_with_the_same_caps(tmp_path: Path) -> None:
    xls = make_xls(tmp_path / "ds.xls", TCVN3_ROWS).read_bytes()
    got = extract(xls, filename="ds.xls")
    assert got.kind == "xls" and "Trần Văn Bình" in got.text.splitlines()[2]
    assert "TCVN3" in got.note
    ods = make_ods(tmp_path / "ds.ods", ods_content({"A": ods_rows([["Hồ Thị Mai", 1950]])}))
    assert extract(ods.read_bytes(), filename="ds.ods").text == "Hồ Thị Mai\t1950"
    xlsx = write_xlsx(tmp_path / "ds.xlsx", VNI_ROWS).read_bytes()
    assert "Trương Phước Lượng" in extract(xlsx, filename="ds.xlsx").text
    bomb = xlsx_bomb(tmp_path / "bom.xlsx", inflated=300_000_000).read_bytes()
    with pytest.raises(ValidationError, match="giải nén"):
        extract(bomb, filename="bom.xlsx")


# -- through the command line -------------------------------------------------------------------


def test_cli_dry_run_of_a_tcvn3_csv_and_a_refused_lost_letter_csv(tmp_path: Path) -> None:
    import json

    from tests.cli_runner import one_line_error, run_sotay

    data_dir = tmp_path / "so"
    init = run_sotay(
        data_dir, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường",
        "--secretary", "Trần Văn Bình", "--place", "Quy Nhơn",
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    legacy = write_csv_bytes(tmp_path / "tcvn3.csv", TCVN3_ROWS, legacy_bytes)
    dry = run_sotay(data_dir, "members", "import", str(legacy), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert [r["full_name"] for r in report["rows"]] == UNICODE_NAMES
    assert all("TCVN3" in " ".join(r["repairs"]) for r in report["rows"])
    lost = write_csv_bytes(
        tmp_path / "mat.csv", [["Họ và tên"], ["Nguyễn Thị Hòa"], ["Trần Văn Bình"]],
        lambda t: t.encode("cp1252", errors="replace"),
    )  # fmt: skip
    line = one_line_error(run_sotay(data_dir, "members", "import", str(lost)))
    assert "CSV UTF-8" in line and "mất các chữ có dấu" in line
    listed = run_sotay(data_dir, "members", "list", "--json")
    assert json.loads(listed.stdout) == {"members": []}  # the dry run and the refusal wrote nothing


def test_cli_import_of_a_tcvn3_document_tells_the_conversion(tmp_path: Path) -> None:
    import json

    from tests.cli_runner import run_sotay

    data_dir = tmp_path / "so"
    init = run_sotay(
        data_dir, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường",
        "--secretary", "Trần Văn Bình", "--place", "Quy Nhơn",
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    legacy = tmp_path / "cv.txt"
    legacy.write_bytes(legacy_bytes("C«ng v¨n sè 12-CV/§U\r\nV/v tæ chøc sinh ho¹t chi bé\r\n"))
    done = run_sotay(data_dir, "documents", "import", str(legacy), "--json")
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)["results"]
    assert result["status"] == "imported" and result["problem"] == ""
    assert "TCVN3" in result["note"] and "Unicode" in result["note"]
    assert result["message"] == result["note"]
    unicode = tmp_path / "cv2.txt"
    unicode.write_text("Công văn số 13-CV/ĐU\nV/v họp chi bộ\n", encoding="utf-8")
    plain = run_sotay(data_dir, "documents", "import", str(legacy), str(unicode))
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.count("Lưu ý:") == 0  # cv.txt is a duplicate now; cv2.txt is Unicode
    again = tmp_path / "cv3.txt"
    again.write_bytes(legacy_bytes("C«ng v¨n sè 14-CV/§U\r\n"))
    human = run_sotay(data_dir, "documents", "import", str(again))
    assert human.returncode == 0, human.stderr
    assert "Lưu ý: Văn bản gõ bằng bảng mã TCVN3" in human.stdout


def test_question_marks_in_a_real_unicode_csv_do_not_refuse_the_file(
    book: Book, tmp_path: Path
) -> None:
    rows = [
        ["Họ và tên", "Ghi chú"],
        ["Lê Văn Tám", "Đã chuyển đi? Chưa rõ"],
        ["Đỗ Thị Lan", "Còn ở tổ 3? Hỏi lại"],
        ["Y Mŏt Êban", "Miễn sinh hoạt? Xem lại"],
        ["Lý Văn Tư", "Về hưu? Đã nghỉ"],
    ]
    assert len(lost_letters(_csv_text(rows))) >= 3  # looks like lost letters, but is not
    path = write_csv_bytes(tmp_path / "ds.csv", rows, lambda t: t.encode("utf-8"))
    report = members_table.import_file(book, path, today=TODAY)
    assert report.counts()["error"] == 0
    assert "Y Mŏt Êban" in stored_names(book)

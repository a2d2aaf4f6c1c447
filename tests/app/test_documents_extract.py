"""Text out of real files: PDF (pypdf), DOCX (python-docx), TXT in any common encoding."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from app.documents.extract import MAX_FILE_BYTES, extract, read_file
from app.errors import KnownError, ValidationError
from tests.app.document_files import PARTY_PLAN, make_docx, make_pdf, make_scanned_pdf


def test_pdf_text_is_read_in_nfc_with_every_page() -> None:
    data = make_pdf([PARTY_PLAN, ["Trang hai: đảng viên cao tuổi được hỗ trợ cài ứng dụng."]])
    got = extract(data, filename="ke-hoach.pdf")
    assert got.kind == "pdf" and got.pages == 2 and got.problem == ""
    assert "Quy Nhơn, ngày 05 tháng 11 năm 2025" in got.text
    assert "Trang hai: đảng viên cao tuổi" in got.text
    assert got.text == unicodedata.normalize("NFC", got.text)


def test_scanned_pdf_keeps_no_text_and_says_why() -> None:
    got = extract(make_scanned_pdf(pages=2), filename="ban-quet.pdf")
    assert got.text == ""
    assert got.pages == 2
    assert "Không đọc được chữ" in got.problem and "bản quét" in got.problem


def test_pdf_with_one_scanned_page_names_the_page() -> None:
    import pypdf

    text_pdf = pypdf.PdfReader(io.BytesIO(make_pdf([PARTY_PLAN])))
    scanned = pypdf.PdfReader(io.BytesIO(make_scanned_pdf(pages=1)))
    writer = pypdf.PdfWriter()
    writer.add_page(text_pdf.pages[0])
    writer.add_page(scanned.pages[0])
    out = io.BytesIO()
    writer.write(out)
    got = extract(out.getvalue(), filename="tron.pdf")
    assert "KẾ HOẠCH" in got.text
    assert "trang 2" in got.problem


def test_password_protected_pdf_is_kept_with_a_message() -> None:
    got = extract(make_pdf([PARTY_PLAN], encrypt_with="bimat"), filename="khoa.pdf")
    assert got.text == ""
    assert "mật khẩu" in got.problem


def test_pdf_locked_only_against_editing_is_read() -> None:
    got = extract(make_pdf([PARTY_PLAN], encrypt_with=""), filename="chi-khoa-sua.pdf")
    assert "KẾ HOẠCH" in got.text and got.problem == ""


def test_docx_with_the_party_header_table_reads_issuer_before_the_body() -> None:
    data = make_docx(
        [
            "KẾ HOẠCH",
            "tuyên truyền về Sổ tay đảng viên điện tử",
            "Thực hiện Quy định 339-QĐ/TW ...",
        ],
        header_table=(
            "ĐẢNG BỘ PHƯỜNG QUY NHƠN\nCHI BỘ KHU PHỐ 3\nSố 07-KH/CB",
            "ĐẢNG CỘNG SẢN VIỆT NAM\nQuy Nhơn, ngày 01 tháng 12 năm 2025",
        ),
    )
    got = extract(data, filename="kh.docx")
    assert got.kind == "docx"
    lines = got.text.split("\n")
    assert lines.index("CHI BỘ KHU PHỐ 3") < lines.index("KẾ HOẠCH")
    assert "Quy Nhơn, ngày 01 tháng 12 năm 2025" in lines


def test_docx_text_in_nfd_comes_out_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Nghị quyết về đảng viên")
    got = extract(make_docx([nfd]), filename="nfd.docx")
    assert got.text == "Nghị quyết về đảng viên"


def test_corrupt_docx_is_refused_with_a_clear_message() -> None:
    broken = make_docx(["Kế hoạch"])[:2000]  # cut short: the zip directory is gone
    with pytest.raises(ValidationError, match=r"Word \(\.docx\) hong.docx bị hỏng"):
        extract(broken, filename="hong.docx")
    zip_without_word = io.BytesIO()
    with zipfile.ZipFile(zip_without_word, "w") as zf:
        zf.writestr("noi-dung.txt", "không phải Word")
    with pytest.raises(ValidationError, match="bị hỏng"):
        extract(zip_without_word.getvalue(), filename="gia.docx")


def test_corrupt_pdf_is_refused() -> None:
    with pytest.raises(ValidationError, match="bị hỏng"):
        extract(b"%PDF-1.7\n" + b"\x00garbage" * 50, filename="hong.pdf")
    with pytest.raises(ValidationError, match="bị hỏng"):
        extract(b"this is not a pdf at all", filename="gia.pdf")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cu.doc", "Word cũ"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "anh.png", "là ảnh"),
        (b"\x00\x01\x02binary", "bang.xlsb", "Chưa nhập được loại tệp “.xlsb”"),
    ],
)
def test_unsupported_types_are_refused_with_what_to_do(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as info:
        extract(data, filename=name)
    assert "PDF" in info.value.message


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(text: str) -> bytes:
    """How Vietnamese Windows stores text: base letters precomposed, the tone combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in parts if c in _TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + tone).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_text_files_in_common_encodings(encoding: str) -> None:
    text = "Thông báo: họp chi bộ tháng 11, đảng viên có mặt đúng giờ."
    data = _windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
    got = extract(data, filename="thong-bao.txt")
    assert got.kind == "txt"
    assert got.text == text


def test_markdown_left_by_a_conversion_is_removed_from_text_files() -> None:
    data = "\\*  \nSố 18 - KH/ĐU\n\n**KẾ HOẠCH**  \n**triển khai** ứng dụng *Sổ tay*\n".encode()
    got = extract(data, filename="kh.txt")
    assert got.text.split("\n") == [
        "*",
        "Số 18 - KH/ĐU",
        "",
        "KẾ HOẠCH",
        "triển khai ứng dụng Sổ tay",
    ]


def test_binary_file_named_txt_is_refused() -> None:
    with pytest.raises(ValidationError, match="không phải văn bản"):
        extract(bytes(range(256)) * 20, filename="la.txt")


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "rat-lon.pdf"
    with big.open("wb") as fh:  # sparse: takes no disk space
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(ValidationError) as info:
        read_file(big)
    assert "quá lớn (200 MB)" in info.value.message
    assert f"{MAX_FILE_BYTES // (1024 * 1024)} MB" in info.value.message
    assert big.stat().st_size == 200 * 1024 * 1024  # the file is untouched


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="Không tìm thấy tệp"):
        read_file(tmp_path / "khong-co.pdf")
    (tmp_path / "rong.txt").write_bytes(b"")
    with pytest.raises(ValidationError, match="rỗng"):
        read_file(tmp_path / "rong.txt")

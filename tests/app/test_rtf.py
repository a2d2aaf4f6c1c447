"""Rich Text (.rtf), as Word and WordPad save it: header recognised, old fonts converted,
pictures skipped, hostile files answered quickly."""

from __future__ import annotations

import sys
import time

import pytest

from app.documents.extract import extract
from app.documents.recognise import recognise
from app.errors import ValidationError
from tests.app.odf_files import make_rtf
from tests.app.test_documents_extract import _windows_1258
from tests.data.legacy_files import legacy_bytes

HEADER = (
    ["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "CHI BỘ KHU PHỐ 3", "*", "Số 12-NQ/CB"],
    ["ĐẢNG CỘNG SẢN VIỆT NAM", "Quy Nhơn, ngày 05 tháng 11 năm 2025"],
)


def _hex_escaped(data: bytes) -> str:
    return "".join(chr(b) if b < 128 else f"\\'{b:02x}" for b in data)


def test_word_rtf_header_is_recognised() -> None:
    data = make_rtf(
        ["NGHỊ QUYẾT", "về công tác phát triển đảng viên năm 2026", "", "Chi bộ thống nhất."],
        header_table=HEADER,
    )
    got = extract(data, filename="nghi-quyet.rtf")
    assert got.kind == "rtf" and got.mime == "application/rtf" and got.note == ""
    assert got.text.split("\n")[:7] == [*HEADER[0], *HEADER[1], ""]
    found = recognise(got.text)
    assert (found.number, found.doc_type, found.issuer) == (
        "12-NQ/CB",
        "NQ",
        "ĐẢNG BỘ PHƯỜNG QUY NHƠN CHI BỘ KHU PHỐ 3",
    )
    assert str(found.issued_on) == "2025-11-05"
    assert found.title == "NGHỊ QUYẾT về công tác phát triển đảng viên năm 2026"
    assert "Microsoft Word" not in got.text and "Times New Roman" not in got.text


def test_rtf_typed_in_tcvn3_is_converted_with_a_note() -> None:
    body = _hex_escaped(legacy_bytes("§¶ng bé ph­êng Quy Nh¬n")) + "\\par "
    body += _hex_escaped(legacy_bytes("NghÞ quyÕt vÒ c«ng t¸c ®¶ng viªn")) + "\\par"
    data = (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 .VnTime;}}"
        f"\\f0\\fs28 {body}}}"
    ).encode("ascii")
    got = extract(data, filename="cu.rtf")
    assert got.text.split("\n") == ["Đảng bộ phường Quy Nhơn", "Nghị quyết về công tác đảng viên"]
    assert "TCVN3" in got.note


def test_rtf_in_the_vietnamese_code_page_is_read() -> None:
    text = "Nghị quyết về công tác đảng viên"
    data = (
        "{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0\\fnil\\fcharset163 Times New Roman;}}"
        f"\\f0 {_hex_escaped(_windows_1258(text))}\\par}}"
    ).encode("ascii")
    assert extract(data, filename="cp1258.rtf").text == text


def test_pictures_and_binary_data_are_skipped_quickly() -> None:
    picture = "{\\pict\\pngblip\\picw100\\pich100\n" + ("89504e470d0a1a0a" * 8 + "\n") * 40_000
    binary = "{\\*\\objdata\\bin10 {}\\}\\par x}"
    data = (
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0 Tr\\u432?\\u7899?c h\\u236?nh"
        f"\\par {picture}}}{binary}Sau h\\u236?nh\\par}}"
    ).encode("ascii")
    started = time.monotonic()
    got = extract(data, filename="co-hinh.rtf")
    assert time.monotonic() - started < 5
    assert got.text.split("\n") == ["Trước hình", "Sau hình"]


def test_many_fields_on_one_line_do_not_hang() -> None:
    """striprtf's hyperlink pattern backtracks over the rest of a line at every field that is
    not a hyperlink: 20,000 of them on one line take minutes unless lines are cut first."""
    data = ("{\\rtf1 " + "{\\field{\\*\\fldinst{ PAGE}}}ok " * 20_000 + "Cuoi}").encode("ascii")
    started = time.monotonic()
    got = extract(data, filename="truong.rtf")
    assert time.monotonic() - started < 5
    assert got.text == "ok " * 20_000 + "Cuoi"


@pytest.mark.parametrize(
    "data",
    [b"{\\rtf1 \\u99999999999 x}", b"{\\rtf1 \\uc x}", b"{\\rtf1 {\\pict\\bin x}}"],
    ids=["huge-unicode", "uc-without-number", "bin-without-length"],
)
def test_damaged_rtf_gets_a_message_or_its_text(data: bytes) -> None:
    try:
        got = extract(data, filename="hong.rtf")
    except ValidationError as exc:
        assert "Tệp RTF hong.rtf bị hỏng" in exc.message
    else:
        assert got.kind == "rtf"


def test_a_file_named_rtf_that_is_not_rtf_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"Tệp RTF gia\.rtf bị hỏng"):
        extract(b"\x00\x01\x02 not rich text", filename="gia.rtf")


def test_rtf_with_too_many_cells_or_binary_blocks_is_refused() -> None:
    cells = ("{\\rtf1 \\trowd\\cellx100 " + "x\\cell " * 200_001 + "\\row}").encode("ascii")
    with pytest.raises(ValidationError, match=r"hơn 200\.000 đoạn văn"):
        extract(cells, filename="bang.rtf")
    blocks = ("{\\rtf1 " + "{\\*\\objdata\\bin1 x}" * 1001 + "}").encode("ascii")
    with pytest.raises(ValidationError, match=r"Tệp RTF khoi\.rtf bị hỏng"):
        extract(blocks, filename="khoi.rtf")


def test_without_the_rtf_library_the_user_is_told_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "striprtf.striprtf", None)  # import fails
    with pytest.raises(ValidationError) as err:
        extract(make_rtf(["Nghị quyết"]), filename="nq.rtf")
    assert "thiếu phần đọc tệp RTF" in err.value.message and ".docx hoặc PDF" in err.value.message

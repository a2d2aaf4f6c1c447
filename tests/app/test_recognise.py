"""Recognising number, type, issuer, place and date, and title from the seeds' text."""

from __future__ import annotations

import datetime as dt

import pytest

from app.documents.recognise import (
    find_numbers,
    normalise_number,
    parse_number,
    recognise,
    restore_marks,
)
from tests.app.document_files import PARTY_PLAN, seed_text


@pytest.mark.parametrize(
    ("written", "expected", "form"),
    [
        ("Số 18 - KH/ĐU", "18-KH/ĐU", "party"),
        ("Quy định số 339-QĐ/TW ngày 10/7/2025", "339-QĐ/TW", "party"),
        ("Quy định 339 - QĐ/TW của Ban Bí thư", "339-QĐ/TW", "party"),
        ("Kế hoạch số 13/KH-SVHTTDL ngày 15/8/2025", "13/KH-SVHTTDL", "state"),
        ("Nghị định 15/2020/NĐ-CP", "15/2020/NĐ-CP", "state"),
        ("Hướng dẫn số 26-HD/BTGDVTU", "26-HD/BTGDVTU", "party"),
        ("Kế hoạch hành động số 01-KHHĐ/BCĐ", "01-KHHĐ/BCĐ", "party"),
        # OCR damage and typing without marks
        ("S616 -KH/DU", "16-KH/ĐU", "party"),
        ("Quy dinh 339-QB/TW", "339-QĐ/TW", "party"),
        ("Quy dinh S6 339-OP/TW", "339-QĐ/TW", "party"),
        ("Quy dinh 339- QD/TW", "339-QĐ/TW", "party"),
        ("so 18-kh/đu", None, None),  # lower-case codes are prose, not a number
    ],
)
def test_numbers_in_both_forms_and_through_ocr_damage(
    written: str, expected: str | None, form: str | None
) -> None:
    number = parse_number(written)
    if expected is None:
        assert number is None
        return
    assert number is not None
    assert str(number) == expected
    assert number.form == form


def test_dates_and_ranges_are_not_numbers() -> None:
    assert find_numbers("ngày 10/7/2025, nhiệm kỳ 2025 - 2030, tỷ lệ 85/100") == []


def test_a_number_typed_without_marks_is_put_in_the_usual_form() -> None:
    assert normalise_number("339-QD/TW") == "339-QĐ/TW"
    assert normalise_number("số 18 - KH/DU") == "18-KH/ĐU"
    assert normalise_number("tài liệu riêng") == "tài liệu riêng"


def test_clean_seed_001_place_date_title_and_cited_numbers() -> None:
    found = recognise(seed_text("seed001_head.txt"))
    assert found.place == "Thọ Xuân"
    assert found.issued_on == dt.date(2025, 9, 17)
    assert found.title == "KẾ HOẠCH Tuyên truyền về sử dụng ứng dụng Sổ tay đảng viên điện tử"
    assert found.doc_type == "KH"
    # Its own number line is missing from this copy; the numbers it cites are not its own.
    assert found.number == ""
    assert found.references[:2] == ("339-QĐ/TW", "26-HD/BTGDVTU")
    assert found.issuer == "Ban Thường vụ Đảng ủy xã"
    assert not found.unaccented


def test_clean_seed_004_number_line_with_spaces() -> None:
    found = recognise(seed_text("seed004_head.txt"))
    assert found.number == "18-KH/ĐU"
    assert found.doc_type == "KH"
    assert found.title == "KẾ HOẠCH triển khai ứng dụng “Sổ tay đảng viên điện tử”"
    assert found.issuer == "Ban Thường vụ Đảng uỷ phường Quy Nhơn"
    assert "24-KH/TU" in found.references


def test_ocr_seed_000_number_issuer_and_date_are_repaired() -> None:
    found = recognise(seed_text("seed000_ocr_head.txt"))
    assert found.unaccented
    assert found.number == "16-KH/ĐU"  # "S616 -KH/DU"
    assert found.doc_type == "KH"
    # "DANG BO TP HAI PHONG" / "PANG UY XA AN QUANG": the parent body and the body, whole
    assert found.issuer == "ĐẢNG BỘ TP HẢI PHÒNG ĐẢNG ỦY XÃ AN QUANG"
    assert found.place == "An Quang"
    assert found.issued_on == dt.date(2025, 9, 10)
    assert found.title.startswith("KE HOACH tuyén truyén")
    assert "339-QĐ/TW" in found.references  # "339- QD/TW" in the body


def test_ocr_seed_002_state_number_cited_and_signature_date() -> None:
    found = recognise(seed_text("seed002_ocr_excerpt.txt"))
    assert found.references[0] == "13/KH-SVHTTDL"
    assert found.number == ""  # 13/KH-SVHTTDL is the plan it carries out, not its own
    assert found.issued_on == dt.date(2025, 8, 28)  # "Ngdy ky: 28-08-2025"
    assert found.issuer == "UBND xã Thanh Thuy"  # "UBND x3 Thanh Thuy xay dung Ké hoach"
    assert found.title.startswith("KE HOACH Tuyén truyen")


def test_ocr_seed_003_garbled_title_word_falls_back_to_the_number_type() -> None:
    found = recognise(seed_text("seed003_ocr_head.txt"))
    assert found.number == "07-HD/BTGDVTU"  # "S607 —HD/BTGDVTU"
    assert found.doc_type == "HD"
    assert found.place == "Đồng Nai"  # "Pong Nai"
    assert found.issued_on == dt.date(2025, 10, 30)  # "ngay 30 thdang 10 nam 2025"
    assert found.issuer == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY ĐỒNG NAI"
    assert found.title.startswith("HƯỚNG DẪN Tuyén truyén Keé hoach tong thé")


def test_party_header_with_number_and_date() -> None:
    found = recognise("\n".join(PARTY_PLAN))
    assert found.number == "05-KH/CB"
    assert found.issuer == "ĐẢNG BỘ PHƯỜNG QUY NHƠN CHI BỘ KHU PHỐ 3"
    assert found.place == "Quy Nhơn"
    assert found.issued_on == dt.date(2025, 11, 5)
    assert found.title == "KẾ HOẠCH học tập, quán triệt Quy định số 339-QĐ/TW của Ban Bí thư"


def test_number_and_date_on_one_line_and_party_name_beside_the_issuer() -> None:
    text = (
        "ĐẢNG BỘ XÃ AN NHƠN      ĐẢNG CỘNG SẢN VIỆT NAM\n"
        "CHI BỘ THÔN 2\n"
        "Số 03-NQ/CB       An Nhơn, ngày 02 tháng 01 năm 2026\n"
        "NGHỊ QUYẾT\n"
        "về nhiệm vụ năm 2026\n\n"
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam, chi bộ quyết nghị những nội dung sau đây."
    )
    found = recognise(text)
    assert (found.number, found.doc_type, found.issuer) == (
        "03-NQ/CB",
        "NQ",
        "ĐẢNG BỘ XÃ AN NHƠN CHI BỘ THÔN 2",
    )
    assert (found.place, found.issued_on) == ("An Nhơn", dt.date(2026, 1, 2))
    assert found.title == "NGHỊ QUYẾT về nhiệm vụ năm 2026"


def test_text_without_any_header_gives_empty_fields_not_guesses() -> None:
    found = recognise("Ghi chú họp chi bộ: nhắc đóng đảng phí trước ngày 10.")
    assert (found.number, found.issuer, found.place, found.issued_on) == ("", "", "", None)


def test_restore_marks_keeps_unknown_names() -> None:
    assert restore_marks("PANG UY XA AN QUANG") == "ĐẢNG ỦY XÃ AN QUANG"
    assert restore_marks("Pong Nai") == "Đồng Nai"
    assert restore_marks("Chi bo khu pho 3") == "Chi bộ khu phố 3"


@pytest.mark.parametrize(
    ("written", "expected", "doc_type"),
    [
        ("Nghị quyết số: 653/2019/UBTVQH14", "653/2019/UBTVQH14", "KHAC"),
        ("Số: 13/2024/TT-BGDĐT", "13/2024/TT-BGDĐT", "KHAC"),
        ("Số: 367 - QĐ/TWĐTN-VP", "367-QĐ/TWĐTN-VP", "QĐ"),
        ("Số 445-KL/TƯ", "445-KL/TƯ", "KL"),
        ("Số: 1961/QĐUBND", "1961/QĐ-UBND", "QĐ"),  # the hyphen lost by a PDF
        ("Công văn số 8011-CV/BTCTW", "8011-CV/BTCTW", "CV"),
    ],
)
def test_state_numbers_with_a_year_and_multi_part_issuers(
    written: str, expected: str, doc_type: str
) -> None:
    number = parse_number(written)
    assert number is not None
    assert (str(number), number.doc_type) == (expected, doc_type)


def test_a_number_cited_in_the_body_is_not_the_documents_own() -> None:
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Hà Nội, ngày 28 tháng 02 năm 2025\n\nKẾ HOẠCH\ntriển khai sắp xếp tổ chức bộ máy\n\n"
        "Căn cứ Công văn số 8011-CV/BTCTW, ngày 27/02/2025 của Ban Tổ chức Trung ương, Bộ Chính "
        "trị, Ban Bí thư yêu cầu các cấp ủy tập trung thực hiện tốt các nội dung sau."
    )
    found = recognise(text)
    assert found.number == ""
    assert found.references == ("8011-CV/BTCTW",)
    assert (found.doc_type, found.issuer) == ("KH", "BAN CHẤP HÀNH TRUNG ƯƠNG")


def test_cong_van_title_is_its_v_v_line_and_its_kind_is_cong_van() -> None:
    text = (
        "HUYỆN ỦY THỌ XUÂN\nĐẢNG ỦY XÃ XUÂN HÒA\n*\nSố 42-CV/ĐU\n"
        "V/v tuyên truyền Sổ tay đảng viên điện tử\n"
        "ĐẢNG CỘNG SẢN VIỆT NAM\nXuân Hòa, ngày 02 tháng 10 năm 2025\n\n"
        "Kính gửi: Các chi bộ trực thuộc.\n\n"
        "Thực hiện Kế hoạch số 24-KH/TU ngày 12/9/2025 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ "
        "Đảng ủy đề nghị các chi bộ triển khai."
    )
    found = recognise(text)
    assert (found.number, found.doc_type) == ("42-CV/ĐU", "CV")
    assert found.title == "V/v tuyên truyền Sổ tay đảng viên điện tử"
    assert found.issuer == "HUYỆN ỦY THỌ XUÂN ĐẢNG ỦY XÃ XUÂN HÒA"
    assert found.issued_on == dt.date(2025, 10, 2)

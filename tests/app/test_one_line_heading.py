"""The one-line heading of a Word or ODF file from a ward ("Công văn số 112-CV/ĐU về …"):
type, number, the subject as title and the committee named in the text as issuer, read from
the files as imported (finding N7)."""

from __future__ import annotations

import datetime as dt
import io

import docx

from app.documents.extract import extract
from app.documents.recognise import recognise
from tests.app.odf_files import h, make_odt, p


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_whose_first_line_is_the_cong_van_heading() -> None:
    data = _docx(
        "Công văn số 112-CV/ĐU về thu nộp đảng phí qua Cổng dịch vụ công",
        "Đề nghị các chi bộ hướng dẫn đảng viên nộp đảng phí trực tuyến qua Cổng Dịch vụ công "
        "Quốc gia từ tháng 1 năm 2027.",
    )
    found = recognise(extract(data, filename="cong-van-dang-phi.docx").text)
    assert found.title == "Công văn về thu nộp đảng phí qua Cổng dịch vụ công"
    assert (found.number, found.doc_type) == ("112-CV/ĐU", "CV")
    assert found.issuer == ""  # no committee is named: nothing guessed


def test_an_odf_heading_gives_the_plan_its_subject_and_the_ward_committee() -> None:
    body = h("Kế hoạch số 25-KH/ĐU về phong trào Dân vận khéo năm 2027") + p(
        "Đảng ủy phường Quy Nhơn ban hành kế hoạch triển khai phong trào thi đua Dân vận khéo, "
        "tập trung xây dựng khu phố văn minh, sạch đẹp, giữ gìn an ninh trật tự."
    )
    found = recognise(extract(make_odt(body), filename="kh.odt").text)
    assert found.title == "Kế hoạch về phong trào Dân vận khéo năm 2027"
    assert (found.number, found.doc_type) == ("25-KH/ĐU", "KH")
    assert found.issuer == "Đảng ủy phường Quy Nhơn"


def test_v_v_and_a_date_on_the_heading_line() -> None:
    found = recognise(
        "Công văn số 08-CV/ĐU ngày 15/01/2027 V/v kiểm điểm, đánh giá đảng viên cuối năm\n"
        "Kính gửi: Các chi bộ trực thuộc\n"
        "Thực hiện hướng dẫn của cấp trên, Ban Thường vụ Đảng ủy xã Tân Lập đề nghị các chi bộ…"
    )
    assert found.title == "V/v kiểm điểm, đánh giá đảng viên cuối năm"
    assert found.issued_on == dt.date(2027, 1, 15)
    assert found.issuer == "Ban Thường vụ Đảng ủy xã Tân Lập"


def test_the_committee_taken_is_of_the_kind_the_number_names() -> None:
    found = recognise(
        "Kế hoạch số 3-KH/ĐU về ra quân tổng vệ sinh khu phố\n"
        "Phối hợp với UBND phường An Phú, Đảng ủy phường Bình Minh đề nghị các chi bộ…"
    )
    assert found.issuer == "Đảng ủy phường Bình Minh"


def test_a_header_table_after_the_line_keeps_its_own_title() -> None:
    found = recognise(
        "Kế hoạch số 25-KH/ĐU về phong trào Dân vận khéo năm 2027\n"
        "ĐẢNG BỘ PHƯỜNG QUY NHƠN\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Số 25-KH/ĐU\nQuy Nhơn, ngày 05 tháng 01 năm 2027\n"
        "KẾ HOẠCH\nphong trào thi đua Dân vận khéo năm 2027\n"
        "Thực hiện Kế hoạch của Ban Thường vụ Thành ủy về phong trào thi đua Dân vận khéo năm 2027,"
        " Đảng ủy phường xây dựng kế hoạch như sau"
    )
    assert found.title == "KẾ HOẠCH phong trào thi đua Dân vận khéo năm 2027"
    assert found.issued_on == dt.date(2027, 1, 5)


def test_a_sentence_that_cites_a_document_is_not_a_heading() -> None:
    found = recognise(
        "Thực hiện Công văn số 112-CV/ĐU về thu nộp đảng phí, chi bộ thông báo như sau\n"
        "Các đồng chí đảng viên nộp đảng phí trước ngày 10 hằng tháng."
    )
    assert (found.number, found.doc_type, found.title) == ("", "KHAC", "")
    assert found.references == ("112-CV/ĐU",)

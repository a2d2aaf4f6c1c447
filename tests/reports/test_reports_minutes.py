"""The minutes PDF, read back as a reader sees it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from reports.layout import DocHeader
from reports.minutes import (
    Absence,
    AgendaSection,
    Attendance,
    MinutesData,
    Speech,
    Vote,
    minutes_pdf,
    minutes_title,
)

if TYPE_CHECKING:
    from conftest import Pdf

TRICKY_NAME = "Trần Văn <An> & Co"


def _minutes(header: DocHeader, names: list[str]) -> MinutesData:
    attendance = Attendance(
        total=40,
        official=35,
        probationary=3,
        temporary=2,
        exempted=4,
        present=30,
        late=2,
        absent_excused=[
            Absence("Nguyễn Thị Hòa", "ốm, đang điều trị tại bệnh viện"),
            Absence(TRICKY_NAME, "đi công tác"),
            Absence("Bùi Thị Xuân", "chăm mẹ ốm"),
        ],
        absent_unexcused=["Lê Văn Tám", "Trương Định"],
    )
    speakers = names[:15]
    sections = [
        AgendaSection(
            title=title,
            content=(
                f"Đồng chí Bí thư trình bày nội dung {title.lower()}.\n\n"
                "Chi bộ đã quán triệt Nghị quyết số 57-NQ/TW và Kế hoạch số 18-KH/ĐU "
                "của Đảng ủy phường; các tổ chức đoàn thể trong khu phố phối hợp tốt, "
                "tình hình an ninh trật tự ổn định, đời sống nhân dân được quan tâm."
            ),
            discussion=[
                Speech(
                    speakers[(i * 3 + j) % 15],
                    f"Ý kiến thứ {j + 1} về mục {i + 1}: "
                    "đề nghị chi bộ quan tâm hơn đến đảng viên cao tuổi, tổ chức buổi hỗ trợ "
                    "cài đặt Sổ tay đảng viên điện tử.",
                )
                for j in range(3 if i < 5 else 0)
            ],
            conclusion="Chi bộ thống nhất triển khai thực hiện.",
        )
        for i, title in enumerate(
            [
                "Thông tin thời sự, văn bản mới",
                "Đánh giá kết quả thực hiện nhiệm vụ tháng 10",
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                "Tình hình nhân dân, ý kiến phản ánh",
                "Phương hướng, nhiệm vụ tháng 11",
                "Thu đảng phí",
            ]
        )
    ]
    return MinutesData(
        header=header,
        kind="thuong_ky",
        starts_at=datetime(2025, 11, 5, 19, 30),
        ends_at=datetime(2025, 11, 5, 21, 15),
        place="Nhà văn hóa khu phố 3",
        chair="Đặng Văn Đức",
        chair_role="Bí thư chi bộ",
        secretary="Phạm Thị Lan",
        secretary_role="Chi ủy viên",
        guests=["Đồng chí Võ Văn Kiệt, Đảng ủy viên, phụ trách địa bàn"],
        attendance=attendance,
        sections=sections,
        votes=[Vote("Thông qua nghị quyết tháng 11 năm 2025", 28, 1, 1, 30)],
        conclusion="Chi bộ thống nhất các nội dung đã thảo luận.",
    )


@pytest.fixture
def data(header: DocHeader, names: list[str]) -> MinutesData:
    return _minutes(header, names)


@pytest.fixture
def doc(data: MinutesData, pdf: Callable[[bytes], Pdf]) -> Pdf:
    return pdf(minutes_pdf(data))


def test_header_and_title_as_printed(doc: Pdf) -> None:
    first = doc.lines(0)
    for line in (
        "ĐẢNG BỘ PHƯỜNG QUY NHƠN",
        "CHI BỘ KHU PHỐ 3",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "*",
        "Số 05-BB/CB",
        "Quy Nhơn, ngày 05 tháng 11 năm 2025",
    ):
        assert line in first
    assert "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11 NĂM 2025" in doc.flat_pages[0]


def test_time_place_and_composition(doc: Pdf) -> None:
    text = doc.text
    assert "Thời gian: bắt đầu lúc 19 giờ 30 phút, ngày 05 tháng 11 năm 2025." in text
    assert "Địa điểm: Nhà văn hóa khu phố 3." in text
    assert "I. THÀNH PHẦN" in text
    assert (
        "Tổng số đảng viên của chi bộ: 40 đồng chí "
        "(chính thức: 35; dự bị: 3; sinh hoạt tạm thời: 2)." in text
    )
    assert "miễn công tác và sinh hoạt đảng: 4 đồng chí" in text
    assert "Có mặt: 30/36 đồng chí (đạt 83,3%); trong đó đến muộn: 2 đồng chí." in text
    assert "Chủ trì: đồng chí Đặng Văn Đức, Bí thư chi bộ." in text
    assert "Thư ký: đồng chí Phạm Thị Lan, Chi ủy viên." in text
    assert "Khách mời:" in text and "Đồng chí Võ Văn Kiệt, Đảng ủy viên" in text


def test_absentees_with_their_reasons(doc: Pdf) -> None:
    text = doc.text
    assert "Vắng mặt có lý do: 3 đồng chí" in text
    assert "Đồng chí Nguyễn Thị Hòa: ốm, đang điều trị tại bệnh viện." in text
    assert "Đồng chí Bùi Thị Xuân: chăm mẹ ốm." in text
    assert "Vắng mặt không có lý do: 2 đồng chí (đồng chí Lê Văn Tám, đồng chí Trương Định)." in (
        text
    )


def test_markup_characters_in_names_print_as_written(doc: Pdf) -> None:
    assert f"Đồng chí {TRICKY_NAME}: đi công tác." in doc.text


def test_contents_discussion_and_conclusions(doc: Pdf) -> None:
    text = doc.text
    assert "II. NỘI DUNG" in text
    assert "1. Thông tin thời sự, văn bản mới" in text
    assert "6. Thu đảng phí" in text
    assert text.count("Ý kiến thảo luận:") == 5
    assert "Đồng chí Nguyễn Thị Hòa: Ý kiến thứ 1 về mục 1:" in text
    assert text.count("Kết luận của đồng chí chủ trì:") == 6
    assert "Chi bộ thống nhất các nội dung đã thảo luận." in text


def test_vote_counts(doc: Pdf) -> None:
    text = doc.text
    assert "III. BIỂU QUYẾT" in text
    assert "Thông qua nghị quyết tháng 11 năm 2025" in text
    assert "Tán thành: 28/30 đồng chí (đạt 93,3%)." in text
    assert "Không tán thành: 1/30 đồng chí (3,3%)." in text
    assert "Không biểu quyết: 1/30 đồng chí (3,3%)." in text


def test_closing_and_signatures_on_the_last_page(doc: Pdf) -> None:
    assert len(doc.pages) >= 2
    last = doc.flat_pages[-1]
    assert "Cuộc họp kết thúc vào lúc 21 giờ 15 phút cùng ngày." in last
    assert "Biên bản đã được thông qua trước chi bộ" in last
    lines = doc.lines(len(doc.pages) - 1)
    assert "THƯ KÝ" in lines and "CHỦ TRÌ" in lines
    assert "Phạm Thị Lan" in lines and "Đặng Văn Đức" in lines
    assert lines.index("Phạm Thị Lan") > lines.index("THƯ KÝ")
    for page in doc.pages[:-1]:
        assert "THƯ KÝ" not in page and "CHỦ TRÌ" not in page


def test_page_numbers_from_page_two(doc: Pdf) -> None:
    assert len(doc.pages) >= 2
    assert "1" not in doc.lines(0)
    for index in range(1, len(doc.pages)):
        assert doc.lines(index)[0] == str(index + 1)


def test_metadata(data: MinutesData, doc: Pdf) -> None:
    meta = doc.reader.metadata
    assert meta is not None
    assert meta.title == "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11 NĂM 2025"
    assert meta.author == "Sổ tay Chi bộ"


def test_titles_by_kind() -> None:
    when = datetime(2025, 11, 5, 19, 30)
    assert minutes_title("thuong_ky", when) == (
        "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11 NĂM 2025"
    )
    assert minutes_title("chi_uy", when) == "BIÊN BẢN HỌP CHI ỦY THÁNG 11 NĂM 2025"
    assert minutes_title("chuyen_de", when) == "BIÊN BẢN SINH HOẠT CHI BỘ CHUYÊN ĐỀ"
    assert minutes_title("bat_thuong", when) == "BIÊN BẢN HỌP CHI BỘ (BẤT THƯỜNG)"


def test_chuyen_de_prints_its_topic(data: MinutesData, pdf: Callable[[bytes], Pdf]) -> None:
    topic = "Nâng cao chất lượng sinh hoạt chi bộ & vai trò đảng viên cao tuổi"
    doc = pdf(minutes_pdf(replace(data, kind="chuyen_de", topic=topic, votes=[])))
    assert "BIÊN BẢN SINH HOẠT CHI BỘ CHUYÊN ĐỀ" in doc.flat_pages[0]
    assert f"Chuyên đề: {topic}" in doc.flat_pages[0]
    assert "BIỂU QUYẾT" not in doc.text


def test_chi_uy_counts_committee_members(data: MinutesData, pdf: Callable[[bytes], Pdf]) -> None:
    attendance = Attendance(total=5, present=4, absent_excused=[Absence("Võ Thị Sáu", "ốm")])
    doc = pdf(minutes_pdf(replace(data, kind="chi_uy", attendance=attendance, votes=[])))
    assert "BIÊN BẢN HỌP CHI ỦY THÁNG 11 NĂM 2025" in doc.flat_pages[0]
    assert "Tổng số chi ủy viên: 5 đồng chí." in doc.text
    assert "Vắng mặt không có lý do: không." in doc.text


def test_unknown_end_time_leaves_blanks_to_fill_in(
    data: MinutesData, pdf: Callable[[bytes], Pdf]
) -> None:
    doc = pdf(minutes_pdf(replace(data, ends_at=None)))
    assert "Cuộc họp kết thúc vào lúc ...... giờ ...... phút cùng ngày." in doc.text


def test_decomposed_input_prints_composed(data: MinutesData, pdf: Callable[[bytes], Pdf]) -> None:
    nfd_chair = unicodedata.normalize("NFD", "Đặng Văn Đức")
    doc = pdf(minutes_pdf(replace(data, chair=nfd_chair)))
    raw = doc.reader.pages[-1].extract_text()
    # Each letter is one precomposed glyph, so the raw extracted text is composed too.
    assert "Đặng Văn Đức" in raw


def test_large_print_sets_the_body_at_18_pt(data: MinutesData, pdf: Callable[[bytes], Pdf]) -> None:
    normal = pdf(minutes_pdf(data))
    large = pdf(minutes_pdf(data, large_print=True))

    def body_size(doc: Pdf) -> float:
        return next(r.size for r in doc.runs() if r.text.startswith("Địa điểm:"))

    assert body_size(normal) == 14
    assert 17 <= body_size(large) <= 18
    assert len(large.pages) > len(normal.pages)
    assert "THƯ KÝ" in large.pages[-1] and "CHỦ TRÌ" in large.pages[-1]

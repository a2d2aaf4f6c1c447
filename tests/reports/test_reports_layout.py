"""The shared pieces: Vietnamese formatting, escaping, fonts, the page frame, writing files."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.fonts import tt2ps
from reportlab.platypus import Flowable, Paragraph

from reports.fonts import ensure_fonts
from reports.layout import (
    DocHeader,
    Signer,
    build_pdf,
    esc,
    frame_width,
    header_block,
    keep_with_previous,
    make_styles,
    number_line,
    punctuated,
    signature_block,
    text_paragraphs,
    title_block,
)
from reports.output import write_pdf
from reports.vn_format import (
    vn_date,
    vn_date_line,
    vn_number,
    vn_percent,
    vn_short_date,
    vn_time,
    vn_weekday,
)

if TYPE_CHECKING:
    from conftest import Pdf

ROOT = Path(__file__).resolve().parents[2]


def test_date_line_zero_pads_day_and_month() -> None:
    assert vn_date_line("Quy Nhơn", date(2025, 11, 5)) == "Quy Nhơn, ngày 05 tháng 11 năm 2025"
    assert vn_date_line("Hà Nội", date(2026, 2, 3)) == "Hà Nội, ngày 03 tháng 02 năm 2026"
    assert vn_date_line("", date(2025, 1, 9)) == "Ngày 09 tháng 01 năm 2025"
    assert vn_date(date(2025, 12, 31)) == "ngày 31 tháng 12 năm 2025"
    assert vn_short_date(date(2025, 3, 4)) == "04/03/2025" and vn_short_date(None) == ""


def test_times_weekdays_numbers_and_percentages() -> None:
    assert vn_time(datetime(2025, 11, 5, 19, 30)) == "19 giờ 30 phút"
    assert vn_time(datetime(2025, 11, 5, 8, 0)) == "08 giờ 00 phút"
    assert vn_weekday(date(2025, 11, 5)) == "Thứ Tư"
    assert vn_weekday(date(2025, 11, 9)) == "Chủ nhật"
    assert vn_number(1234567) == "1.234.567"
    assert vn_number(91.666) == "91,7"
    assert vn_number(1234.5, 2) == "1.234,5"
    assert vn_number(100.0) == "100"
    assert vn_percent(28, 30) == "93,3%"
    assert vn_percent(30, 30) == "100%"
    assert vn_percent(1, 0) == "0%"


def test_escaping_and_normalising_user_text() -> None:
    assert esc("Trần Văn <An> & Co") == "Trần Văn &lt;An&gt; &amp; Co"
    nfd = unicodedata.normalize("NFD", "Nguyễn  Thị\tHòa ")
    assert esc(nfd) == "Nguyễn Thị Hòa"
    assert esc(None) == "" and esc("a\x00b") == "ab"
    # Escaped text goes through Paragraph markup without error.
    Paragraph(esc("<b>not bold</b> & <br> <para>"), make_styles().body)


def test_text_paragraphs_split_on_blank_lines() -> None:
    text = "Đoạn một,\r\ndòng hai.\n \n\nĐoạn   hai & <ba>.\n"
    assert text_paragraphs(text) == ["Đoạn một,<br/>dòng hai.", "Đoạn hai &amp; &lt;ba&gt;."]
    assert text_paragraphs("") == [] and text_paragraphs(None) == []


def test_number_line_and_punctuated_lists() -> None:
    assert number_line("05-BB/CB") == "Số 05-BB/CB"
    assert number_line("Số 05-BB/CB") == "Số 05-BB/CB"
    assert number_line("  ") == ""
    assert punctuated(["a", "b.", "c"]) == ["a;", "b.", "c."]
    assert punctuated(["Như kính gửi", "Lưu chi bộ"], between=",") == [
        "Như kính gửi,",
        "Lưu chi bộ.",
    ]


def test_font_family_maps_bold_and_italic() -> None:
    ensure_fonts()
    ensure_fonts()  # idempotent
    assert tt2ps("Serif", 1, 0) == "Serif-Bold"
    assert tt2ps("Serif", 0, 1) == "Serif-Italic"
    assert tt2ps("Serif", 1, 1) == "Serif-BoldItalic"


def test_frame_follows_hd36_margins() -> None:
    from reportlab.lib.units import mm

    assert abs(frame_width() - 160 * mm) < 0.01  # 210 - 35 - 15


def _report_story(*, keep: bool) -> list[Flowable]:
    styles = make_styles()
    width = frame_width()
    header = DocHeader("Đảng bộ phường Quy Nhơn", "Chi bộ Khu phố 3", "Quy Nhơn", date(2025, 11, 5))
    story = [header_block(header, width=width), *title_block(styles, "Báo cáo\ntháng 11")]
    # Five long paragraphs: the last short one still fits on page 1, the signature does not.
    story += [Paragraph(f"Đoạn {i}: " + "nội dung báo cáo " * 20, styles.body) for i in range(5)]
    story.append(Paragraph("Đoạn cuối cùng trước chữ ký.", styles.body))
    block = signature_block(
        styles,
        width=width,
        right=Signer("Bí thư", "Đặng Văn Đức", on_behalf="T/M Chi bộ"),
        recipients=["Đảng ủy phường", "Lưu chi bộ"],
    )
    if keep:
        keep_with_previous(story, block)
    else:
        story.append(block)
    return story


def test_the_signature_is_kept_with_the_last_paragraph(pdf: Callable[[bytes], Pdf]) -> None:
    loose = pdf(build_pdf(_report_story(keep=False), title="Báo cáo tháng 11"))
    assert "Đoạn cuối cùng" in loose.flat_pages[0]  # the control: left alone it splits
    assert "T/M CHI BỘ" in loose.flat_pages[1]

    doc = pdf(build_pdf(_report_story(keep=True), title="Báo cáo tháng 11"))
    assert len(doc.pages) == 2
    assert "Đoạn cuối cùng" not in doc.flat_pages[0]
    last = doc.flat_pages[-1]
    assert "Đoạn cuối cùng trước chữ ký." in last and "T/M CHI BỘ BÍ THƯ" in last
    assert "Nơi nhận: - Đảng ủy phường, - Lưu chi bộ." in last
    assert "BÁO CÁO THÁNG 11" in doc.flat_pages[0]
    assert not any(line.startswith("Số") for line in doc.lines(0)[:6])  # no number given


def test_write_pdf_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "bien-ban.pdf"
    assert write_pdf(target, b"%PDF-1.4 first") == target
    write_pdf(str(target), b"%PDF-1.4 second")
    assert target.read_bytes() == b"%PDF-1.4 second"
    assert [p.name for p in target.parent.iterdir()] == ["bien-ban.pdf"]


def test_reports_load_no_storage_or_qt_and_reportlab_only_when_used() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import reports, reports.output, reports.vn_format\n"
        "print('reportlab' in sys.modules)\n"
        "for m in pkgutil.walk_packages(reports.__path__, 'reports.'):\n"
        "    importlib.import_module(m.name)\n"
        "print([n for n in sys.modules if n.startswith(('app.storage', 'PySide6', 'ui'))])\n"
        "print('reportlab.pdfbase.ttfonts' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split("\n")[:3] == ["False", "[]", "True"]


def test_markup_characters_survive_capitals(pdf: Callable[[bytes], Pdf]) -> None:
    styles = make_styles()
    width = frame_width()
    header = DocHeader(
        committee="Đảng bộ Công ty A & B <HN>",
        branch="Chi bộ Phòng <Kỹ thuật> & Vật tư",
        place="Hà Nội",
        date=date(2025, 11, 5),
        number="03-BC/CB",
    )
    story = [
        header_block(header, width=width),
        *title_block(styles, "Báo cáo <nhanh> & gọn", "Về việc A & <B>"),
        Paragraph(esc("Nội dung & <ghi chú>."), styles.body),
        signature_block(styles, width=width, right=Signer("Tổ trưởng & <phó>", "Lê <A> & B")),
    ]
    doc = pdf(build_pdf(story, title="Báo cáo <nhanh> & gọn"))
    first = doc.flat_pages[0]
    assert "ĐẢNG BỘ CÔNG TY A & B <HN>" in first
    assert "CHI BỘ PHÒNG <KỸ THUẬT> & VẬT TƯ" in first
    assert "BÁO CÁO <NHANH> & GỌN" in first
    assert "Về việc A & <B>" in first
    assert "Nội dung & <ghi chú>." in first
    assert "TỔ TRƯỞNG & <PHÓ>" in first and "Lê <A> & B" in first
    meta = doc.reader.metadata
    assert meta is not None and meta.title == "Báo cáo <nhanh> & gọn"


def test_trailing_punctuation_is_not_doubled_and_entities_stay_whole() -> None:
    from reports.layout import esc_clause

    assert esc_clause("ốm.") == "ốm"
    assert esc_clause("Nhà <A>") == "Nhà &lt;A&gt;"
    assert esc_clause("A & B;") == "A &amp; B"
    assert punctuated([esc("Mục <1>"), esc("Mục <2>")]) == ["Mục &lt;1&gt;;", "Mục &lt;2&gt;."]

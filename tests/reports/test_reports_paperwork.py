"""Every kind of PDF printed from a realistic 45-member book, read the way a reader sees it.

Issue 13: no table breaks a date, a phone or card number or a single word across lines;
blank forms are blank; the minutes follow the template; what leaves the branch is signed;
large print is large; private hints stay off paper sent upward.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.book import Book
from app.services import meeting_papers, members, study
from cli.gallery import MEMBER_COUNT, every_pdf, sample_book
from reports import member_list, signin_sheet

if TYPE_CHECKING:
    from conftest import Pdf

# A date cut before its year ends ("25/05/199"), or a day/month alone at a line end ("25/").
_DATE_PIECE = re.compile(r"^\d{2}/\d{2}/\d{0,3}$|^\d{1,2}/$|^/\d")
_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


@pytest.fixture(scope="module")
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Book, dict[str, bytes]]]:
    home = tmp_path_factory.mktemp("paperwork-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOTAY_DATA_DIR", str(home / "data"))
        patch.setenv("XDG_CONFIG_HOME", str(home / "config"))
        patch.setenv("XDG_DATA_HOME", str(home / "share"))
        patch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        book = sample_book(Path(home / "book"))
        try:
            yield book, every_pdf(book)
        finally:
            book.close()


@pytest.fixture(scope="module")
def known(gallery: tuple[Book, dict[str, bytes]]) -> set[str]:
    """Every date, phone and card number of the book's members, and the words of the
    tables' headings: what must always print whole."""
    book, _ = gallery
    values: set[str] = set()
    for m in members.list_members(book, status=None):
        for day in (m.birth_date, m.admission_date, m.official_date):
            if day is not None:
                values.add(f"{day:%d/%m/%Y}")
        values.update(v for v in (m.phone, m.card_number) if v)
    headings = (
        *member_list.COLUMNS,
        *signin_sheet.COLUMNS,
        *meeting_papers.REPORT_COLUMNS_AFTER,
        *study.StudyReport.COLUMNS,
        "Ngày vào Đảng",
        "Số thẻ đảng viên",
        "Huy hiệu",
    )
    values.update(word for title in headings for word in title.split() if len(word) > 1)
    return values


def _lines(doc: Pdf) -> list[list[str]]:
    return [line.split() for page in doc.pages for line in page.splitlines() if line.split()]


def _broken(doc: Pdf, known: set[str]) -> list[str]:
    found: list[str] = []
    lines = _lines(doc)
    digits = {v for v in known if v.isdigit()}
    for index, line in enumerate(lines):
        for token in line:
            word = token.strip("(),;:").rstrip(".")
            if _DATE_PIECE.match(word):
                found.append(f"date cut: {' '.join(line)}")
            cut = word.isdigit() and len(word) >= 3 and word not in digits
            if cut and any(v.startswith(word) for v in digits):
                found.append(f"number cut: {word} in {' '.join(line)}")
        if index + 1 < len(lines):
            tail, head = line[-1], lines[index + 1][0]
            if tail + head in known and tail not in known:
                found.append(f"word cut: {tail} / {head}")
    return found


KINDS = (
    "member_list",
    "member_list_large",
    "badges",
    "badges_large",
    "stats",
    "stats_large",
    "study",
    "study_large",
    "minutes",
    "minutes_large",
    "invitation",
    "signin",
    "minutes_blank",
    "invitation_blank",
    "signin_blank",
    "signin_blank_large",
    "report_upward",
    "feedback_answer",
    "recovery_sheet",
    "document",
    "document_large",
)


def test_the_gallery_holds_every_kind(gallery: tuple[Book, dict[str, bytes]]) -> None:
    _, pdfs = gallery
    assert set(KINDS) <= set(pdfs)


@pytest.mark.parametrize("kind", [*KINDS, "dues_year_book"])
def test_no_date_number_or_heading_word_is_cut(
    kind: str,
    gallery: tuple[Book, dict[str, bytes]],
    known: set[str],
    pdf: Callable[[bytes], Pdf],
) -> None:
    _, pdfs = gallery
    if kind not in pdfs:
        pytest.skip("the dues module is not in this build")
    assert _broken(pdf(pdfs[kind]), known) == []


@pytest.mark.parametrize("kind", ["member_list", "member_list_large"])
def test_member_list_prints_every_value_whole(
    kind: str,
    gallery: tuple[Book, dict[str, bytes]],
    pdf: Callable[[bytes], Pdf],
) -> None:
    book, pdfs = gallery
    words = {w for line in _lines(pdf(pdfs[kind])) for w in line}
    people = members.list_members(book)
    assert len(people) == MEMBER_COUNT
    for m in people:
        for value in (m.phone, m.card_number, m.birth_date, m.admission_date):
            if value:
                text = value if isinstance(value, str) else f"{value:%d/%m/%Y}"
                assert text in words, (m.full_name, text)


def test_large_print_is_at_least_18_pt_with_tables_of_14_or_more(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    _, pdfs = gallery
    for kind in ("feedback_answer", "document_large"):
        sizes = [run.size for run in pdf(pdfs[kind]).runs() if len(run.text) > 20]
        body = max(set(sizes), key=sizes.count)
        assert body >= 18, kind
    for kind in ("member_list_large", "stats_large", "study_large", "badges_large"):
        runs = pdf(pdfs[kind]).runs()
        dated = [run.size for run in runs if _DATE.search(run.text) or run.text.isdigit()]
        assert dated and min(dated) >= 14, kind


def test_blank_forms_are_blank(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    _, pdfs = gallery
    minutes = pdf(pdfs["minutes_blank"]).text
    assert "Chưa điểm danh" not in minutes
    assert "đạt 0%" not in minutes and "Có mặt: 0/" not in minutes
    assert "Vắng mặt có lý do: không" not in minutes
    assert "Có mặt: ....../" in minutes
    assert "bắt đầu lúc ...... giờ ...... phút" in minutes
    assert "Tán thành: ....../...... đồng chí" in minutes
    assert "......% tán thành" in minutes and "lập thành ...... bản" in minutes
    assert "." * 60 in minutes  # ruled lines to write on
    signin = pdf(pdfs["signin_blank"]).text
    assert "Có mặt: ........ đồng chí" in signin
    invitation = pdf(pdfs["invitation_blank"])
    assert len(invitation.pages) == 1
    assert "Số …-TB/CB" in invitation.text


def test_minutes_follow_the_template(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    _, pdfs = gallery
    doc = pdf(pdfs["minutes"])
    text = doc.text
    assert re.search(r"Tổng số đảng viên của chi bộ: \d+ đồng chí \(chính thức: \d+", text)
    assert "giới thiệu sinh hoạt tạm thời nơi khác: 1 đồng chí" in text
    assert re.search(r"Có mặt gồm: chính thức: \d+; dự bị: \d+; sinh hoạt tạm thời: \d+\.", text)
    assert re.search(r"Đến muộn: đồng chí [^.]+\((chính thức|dự bị)\)", text)
    assert "Đảng viên chính thức (" in text  # absentees grouped by category, each named
    assert "Số đảng viên chính thức được tính:" in text
    assert "(có thể cấu hình)" not in text
    assert re.search(r"Biên bản đã được thông qua trước chi bộ, \S+% tán thành\.", text)
    assert text.count("thông qua trước chi bộ") == 1 and "nhất trí thông qua" not in text
    assert "Biên bản được lập thành" in text
    last = doc.lines(len(doc.pages) - 1)
    assert "THƯ KÝ" in last and "CHỦ TRÌ" in last


def test_what_leaves_the_branch_is_signed(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    book, pdfs = gallery
    secretary = book.branch().secretary_name
    for kind in ("feedback_answer", "invitation", "report_upward", "study", "badges", "stats"):
        doc = pdf(pdfs[kind])
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in doc.pages[0], kind
        last = doc.flat_pages[-1]
        # The gallery branch has 9+ official members, so it has a chi ủy, which invites.
        signs_for = "T/M CHI ỦY" if kind == "invitation" else "T/M CHI BỘ"
        assert signs_for in last and "BÍ THƯ" in last and secretary in last, kind
    answer = pdf(pdfs["feedback_answer"]).text
    assert "Nơi nhận:" in answer and "Lưu chi bộ" in answer
    for kind in ("invitation", "study", "badges", "stats"):
        text = pdf(pdfs[kind]).text
        assert "Đảng ủy phường Quy Nhơn" in text and "Đảng ủy cấp trên" not in text, kind


def test_the_signature_never_stands_alone(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    book, pdfs = gallery
    names = [m.full_name for m in members.list_members(book)]
    for kind in ("signin", "signin_blank", "member_list", "member_list_large"):
        doc = pdf(pdfs[kind])
        last = doc.flat_pages[-1]
        assert any(name in last for name in names), kind  # the table's last rows come along


def test_reports_carry_no_private_hints(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    _, pdfs = gallery
    for kind in ("report_upward", "stats"):
        text = pdf(pdfs[kind]).text
        for hint in ("Nên gặp gỡ", "(có thể cấu hình)", "Chưa có nội dung", " 0%"):
            assert hint not in text, (kind, hint)


def test_badges_take_a_day_and_month(tmp_path: Path) -> None:
    from cli.members_cmds import _award_date

    today = dt.date(2026, 12, 5)
    assert _award_date("7/11", today) == dt.date(2027, 11, 7)
    assert _award_date("19/5", today) == dt.date(2027, 5, 19)
    assert _award_date("07/11/2026", today) == dt.date(2026, 11, 7)


def test_a_member_introduced_elsewhere_leaves_the_roll_call(
    gallery: tuple[Book, dict[str, bytes]], pdf: Callable[[bytes], Pdf]
) -> None:
    from app.vocab import MemberStatus

    book, pdfs = gallery
    (away,) = members.list_members(book, status=MemberStatus.AWAY.value)
    assert away.status_label == "Giới thiệu sinh hoạt tạm thời nơi khác"
    assert away.full_name not in pdf(pdfs["signin_blank"]).text
    summoned = [m for m in members.list_members(book) if MemberStatus(m.status).must_attend]
    assert f"Có mặt: ....../{len(summoned)} đồng chí" in pdf(pdfs["minutes_blank"]).text
    assert "giới thiệu sinh hoạt tạm thời nơi khác: 1" in pdf(pdfs["member_list"]).text


def test_report_text_drops_private_hints_and_prints_a_dash_for_nothing_to_count() -> None:
    from app.services.upward_reports import drafting

    warning = "Đồng chí A vắng không lý do 3 tháng, phải xem xét xóa tên. Nên gặp gỡ, nhắc nhở."
    assert drafting.public_text(warning) == (
        "Đồng chí A vắng không lý do 3 tháng, phải xem xét xóa tên."
    )
    assert drafting._pct(0, 0) == "—"
    assert drafting._pct(5, 7) == "71,4%"


def test_documents_are_cited_as_letters_cite_them() -> None:
    cite = meeting_papers.document_citation
    assert cite(
        "12-HD/BTCTW",
        "HD",
        "HƯỚNG DẪN về nâng cao chất lượng sinh hoạt chi bộ",
        "Ban Tổ chức Trung ương",
        dt.date(2022, 1, 18),
    ) == (
        "Hướng dẫn số 12-HD/BTCTW ngày 18/01/2022 của Ban Tổ chức Trung ương về nâng cao "
        "chất lượng sinh hoạt chi bộ"
    )
    assert cite("13/KH-SVHTTDL", "", "Kế hoạch tổ chức", "", None) == (
        "Kế hoạch số 13/KH-SVHTTDL về tổ chức"
    )

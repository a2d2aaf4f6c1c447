"""The printing seam: what both the CLI and the window print, built in one place.

Each function takes the book or one of app's typed paper dataclasses (app.services.
meeting_papers, feedback.AnswerPaper, upward_reports.ReportPaper, study.StudyReport, ...) and
hands reports/'s own dataclasses to the renderers, so the conversion is written once. The
`write_*` functions also write the file (atomically) and turn a failed write into one
Vietnamese sentence. Front ends import this module lazily: it loads reportlab.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.documents.reflow import reflow
from app.errors import KnownError, ValidationError
from reports.invitation import DEFAULT_RECIPIENTS, InvitationData, MeetingDocument
from reports.invitation import invitation_pdf as render_invitation
from reports.large_print import large_print_pdf
from reports.layout import (
    DocHeader,
    Signer,
    build_pdf,
    make_styles,
    text_paragraphs,
    title_block,
)
from reports.member_list import MemberRow
from reports.member_list import member_list_pdf as render_member_list
from reports.minutes import Absence, AgendaSection, Attendance, MinutesData, Speech, Vote
from reports.minutes import minutes_pdf as render_minutes
from reports.output import write_pdf
from reports.signin_sheet import SigninMember, SigninSheetData, signin_sheet_pdf
from reports.table_report import TableReport, table_report_pdf
from reports.upward_report import SectionTable, UpwardReportData, UpwardSection
from reports.upward_report import upward_report_pdf as render_upward_report

if TYPE_CHECKING:
    from app.book import Book
    from app.services.documents import DocumentView
    from app.services.feedback import AnswerPaper
    from app.services.meeting_papers import (
        InvitationPaper,
        MinutesPaper,
        PaperHeader,
        SigninPaper,
        TablePaper,
    )
    from app.services.study import StudyReport
    from app.services.upward_reports import ReportPaper

# The papers of one meeting (`sotay meetings pdf --kind`, the meetings window's print menu).
PAPER_KINDS = ("minutes", "invitation", "signin")


def committee_of(committee: str) -> str:
    """“Đảng ủy phường …” from the branch's “Đảng bộ phường …” (who receives the paper)."""
    from app.services.meeting_papers import committee_of as upper

    return upper(committee)


def _write(fn: Callable[[], str | os.PathLike[str]], path: Path) -> Path:
    try:
        return Path(fn())
    except OSError as exc:
        raise KnownError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc


def _pdf_path(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise ValidationError("Tệp in ra phải có đuôi .pdf.", field="output")
    return path


# --- meetings -----------------------------------------------------------------------------


def _doc_header(header: PaperHeader) -> DocHeader:
    return DocHeader(
        committee=header.committee,
        branch=header.branch,
        place=header.place,
        date=header.date,
        number=header.number,
    )


def minutes_pdf(paper: MinutesPaper, *, large_print: bool = False) -> bytes:
    data = MinutesData(
        header=_doc_header(paper.header),
        kind=paper.kind,
        starts_at=paper.starts_at,
        place=paper.place,
        chair=paper.chair,
        secretary=paper.secretary,
        attendance=Attendance(
            total=paper.total,
            official=paper.official,
            probationary=paper.probationary,
            temporary=paper.temporary,
            exempted=paper.exempted,
            present=paper.present,
            late=paper.late,
            absent_excused=[
                Absence(name, reason, cat) for name, reason, cat in paper.absent_excused
            ],
            absent_unexcused=[Absence(name, "", cat) for name, cat in paper.absent_unexcused],
            away=paper.away,
            present_official=paper.present_official,
            present_probationary=paper.present_probationary,
            present_temporary=paper.present_temporary,
            late_members=[Absence(name, "", cat) for name, cat in paper.late_members],
        ),
        sections=[
            AgendaSection(
                title=sec.title,
                content=sec.content,
                discussion=[Speech(sp, text) for sp, text in sec.discussion],
                conclusion=sec.conclusion,
            )
            for sec in paper.sections
        ],
        votes=[
            Vote(v.question, v.in_favour, v.against, v.abstain, v.eligible, v.result)
            for v in paper.votes
        ],
        topic=paper.topic,
        ends_at=paper.ends_at,
        chair_role=paper.chair_role,
        secretary_role=paper.secretary_role,
        guests=list(paper.guests),
        conclusion=paper.conclusion,
        adopted=paper.adopted,
        extra_notes=list(paper.extra_notes),
        adoption_percent=paper.adoption_percent,
        blank=paper.blank,
    )
    return render_minutes(data, large_print=large_print)


def invitation_pdf(paper: InvitationPaper, *, large_print: bool = False) -> bytes:
    data = InvitationData(
        header=_doc_header(paper.header),
        meeting_name=paper.meeting_name,
        starts_at=paper.starts_at,
        place=paper.place,
        secretary_name=paper.secretary_name,
        secretary_phone=paper.secretary_phone,
        addressee=paper.addressee,
        agenda=list(paper.agenda),
        documents=[MeetingDocument(number, title) for number, title in paper.documents],
        recipients=list(paper.recipients) or list(DEFAULT_RECIPIENTS),
        by_committee=paper.by_committee,
    )
    return render_invitation(data, large_print=large_print)


def signin_pdf(paper: SigninPaper, *, large_print: bool = False) -> bytes:
    data = SigninSheetData(
        header=_doc_header(paper.header),
        meeting_name=paper.meeting_name,
        starts_at=paper.starts_at,
        members=[
            SigninMember(line.full_name, line.birth_year, line.status_note, line.note)
            for line in paper.lines
        ],
        place=paper.place,
        chair=paper.chair,
        secretary=paper.secretary,
    )
    return signin_sheet_pdf(data, large_print=large_print)


def table_pdf(paper: TablePaper, *, large_print: bool = False) -> bytes:
    report = TableReport(
        title=paper.title,
        columns=list(paper.columns),
        rows=[list(r) for r in paper.rows],
        header=_doc_header(paper.header),
        subtitle=paper.subtitle,
        subtitle_lines=list(paper.subtitle_lines),
        totals=list(paper.totals) if paper.totals is not None else None,
        notes=paper.notes,
        signer=Signer("Bí thư", paper.signer_name, on_behalf="T/M Chi bộ"),
        recipients=(f"{committee_of(paper.header.committee)} (để báo cáo)", "Lưu chi bộ"),
        landscape=paper.landscape,
    )
    return table_report_pdf(report, large_print=large_print)


def meeting_pdf(book: Book, *, meeting_id: str, kind: str, large_print: bool = False) -> bytes:
    """The PDF of one of a meeting's papers: minutes, invitation or sign-in sheet."""
    from app.services import meeting_papers

    if kind == "minutes":
        return minutes_pdf(
            meeting_papers.minutes_paper(book, meeting_id=meeting_id), large_print=large_print
        )
    if kind == "invitation":
        return invitation_pdf(
            meeting_papers.invitation_paper(book, meeting_id=meeting_id), large_print=large_print
        )
    if kind == "signin":
        return signin_pdf(
            meeting_papers.signin_paper(book, meeting_id=meeting_id), large_print=large_print
        )
    raise ValidationError(
        f"Loại giấy tờ không hợp lệ: “{kind}”. Chọn minutes (biên bản), invitation (thông báo "
        "mời họp) hoặc signin (danh sách ký tên).",
        field="kind",
    )


def write_meeting_pdf(
    book: Book, *, meeting_id: str, kind: str, output: str | Path, large_print: bool = False
) -> Path:
    """Write one of a meeting's papers to a PDF file; once the invitation is written, the
    dashboard stops listing “Chưa in giấy mời họp” (the CLI and the meetings UI call this)."""
    from app.services import dashboard

    data = meeting_pdf(book, meeting_id=meeting_id, kind=kind, large_print=large_print)
    path = _write(lambda: write_pdf(output, data), Path(output))
    if kind == "invitation":
        dashboard.record_paper_printed(book, meeting_id=meeting_id, paper="invitation")
    return path


def write_attendance_report(
    book: Book, *, year: int, path: Path, large_print: bool = False
) -> Path:
    """The yearly attendance report as .pdf or .xlsx (by the file's extension)."""
    from app.services import meeting_papers

    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError("Tệp báo cáo phải có đuôi .pdf hoặc .xlsx.", field="output")
    paper = meeting_papers.attendance_report_paper(book, year=year)
    if suffix == ".xlsx":
        return meeting_papers.write_xlsx(paper, path)
    return _write(lambda: write_pdf(path, table_pdf(paper, large_print=large_print)), path)


# --- reports to the upper committee, answers to feedback ----------------------------------


def report_pdf(paper: ReportPaper, *, large_print: bool = False) -> bytes:
    data = UpwardReportData(
        header=DocHeader(
            committee=paper.committee,
            branch=paper.branch,
            place=paper.place,
            date=paper.issued_on,
            # Not numbered yet: "Số …-BC/CB", the number written in by hand or given later.
            number=paper.number or "…-BC/CB",
        ),
        subtitle=paper.subtitle,
        sections=[
            UpwardSection(
                title=sec.title,
                body=sec.body,
                table=SectionTable(sec.table.columns, sec.table.rows) if sec.table else None,
            )
            for sec in paper.sections
        ],
        signer_name=paper.signer_name,
        recipients=list(paper.recipients),
        draft=paper.draft,
        revision_note=paper.revision_note,
    )
    return render_upward_report(data, large_print=large_print)


def answer_pdf(paper: AnswerPaper) -> bytes:
    """The answer to a member's feedback, in large print."""
    return large_print_pdf(
        title=paper.title,
        subtitle=paper.subtitle,
        body_text=paper.body_text,
        header=DocHeader(
            committee=paper.committee, branch=paper.branch, place=paper.place, date=paper.date
        ),
        signer=Signer(paper.signer_role, paper.signer_name, on_behalf="T/M Chi bộ"),
        recipients=paper.recipients,
    )


def write_report_pdf(book: Book, *, report_id: str, path: Path, large_print: bool = False) -> Path:
    from app.services import upward_reports

    paper = upward_reports.paper(book, report_id=report_id)
    return _write(
        lambda: write_pdf(_pdf_path(path), report_pdf(paper, large_print=large_print)), path
    )


def write_answer_pdf(book: Book, *, feedback_id: str, path: Path) -> Path:
    from app.services import feedback

    paper = feedback.answer_paper(book, feedback_id=feedback_id)
    return _write(lambda: write_pdf(_pdf_path(path), answer_pdf(paper)), path)


# --- members ------------------------------------------------------------------------------


def _branch_header(book: Book, on: dt.date) -> DocHeader:
    info = book.branch()
    return DocHeader(committee=info.committee, branch=info.name, place=info.place_name, date=on)


def member_list_pdf(
    book: Book,
    *,
    status: str | Sequence[str] | None = None,
    search: str | None = None,
    large_print: bool = False,
    today: dt.date | None = None,
) -> bytes:
    """Danh sách đảng viên (landscape A4), members in Vietnamese name order."""
    from app.services import members

    today = today or dt.date.today()
    rows = [
        MemberRow(
            full_name=m.full_name,
            birth_date=m.birth_date,
            gender=members.gender_label(m.gender),
            joined_on=m.admission_date,
            official_on=m.official_date,
            card_number=m.card_number or "",
            phone=m.phone or "",
            status=m.status_label,
        )
        for m in members.list_members(book, status=status, search=search)
    ]
    info = book.branch()
    return render_member_list(
        header=_branch_header(book, today),
        members=rows,
        signer_name=info.secretary_name,
        large_print=large_print,
    )


def badges_pdf(
    book: Book,
    *,
    award_date: dt.date | None = None,
    large_print: bool = False,
    today: dt.date | None = None,
) -> bytes:
    """The members due a Huy hiệu Đảng at the next (or given) presentation day."""
    from app.services import milestones

    today = today or dt.date.today()
    award = award_date or milestones.next_award_date(today)
    due = milestones.badges_due(book, award_date=award)
    info = book.branch()
    rows = [
        (
            index,
            b.full_name,
            b.birth_date,
            b.admission_date,
            b.card_number or "",
            milestones.award_label(b.years) + ("" if b.kind == "normal" else f" — {b.kind_label}"),
        )
        for index, b in enumerate(due, start=1)
    ]
    report = TableReport(
        title="DANH SÁCH ĐẢNG VIÊN ĐỦ TUỔI ĐẢNG ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG",
        subtitle=f"Đợt {milestones.occasion_label(award)} ({award:%d/%m/%Y})",
        columns=("STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Số thẻ đảng viên", "Huy hiệu"),
        rows=rows,
        header=_branch_header(book, today),
        weights=(10, 55, 25, 28, 30, 50),
        align=("center", "left", "center", "center", "center", "left"),
        notes=(
            f"Tổng số: {len(due)} đồng chí."
            if due
            else "Không có đảng viên nào đủ mốc tuổi Đảng trong đợt này."
        ),
        signer=Signer("Bí thư", info.secretary_name, on_behalf="T/M Chi bộ"),
        recipients=(f"{committee_of(info.committee)} (để đề nghị)", "Lưu chi bộ"),
    )
    return table_report_pdf(report, large_print=large_print)


# --- study, documents ---------------------------------------------------------------------


def study_report_pdf(report: StudyReport, *, large_print: bool = False) -> bytes:
    """The study campaign's results report (Báo cáo kết quả học tập, quán triệt nghị quyết)."""
    c = report.campaign
    subtitle_lines = [line for line in c.resolutions.split("\n") if line.strip()]
    if c.period_label:
        subtitle_lines.append(f"(Thời gian: {c.period_label})")
    table = TableReport(
        title="BÁO CÁO\nKẾT QUẢ HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT",
        subtitle=c.title,
        subtitle_lines=subtitle_lines,
        header=DocHeader(
            committee=report.committee,
            branch=report.branch_name,
            place=report.place_name,
            date=report.made_on,
        ),
        columns=list(report.COLUMNS),
        rows=report.table_rows(),
        totals=report.totals_row(),
        weights=(0.6, 3.2, 1.2, 1.5, 1.2, 0.8, 2.2),
        align=("center", "left", "center", "center", "center", "center", "left"),
        notes="\n\n".join(report.summary_lines()),
        signer=Signer(role="Bí thư", name=report.secretary_name, on_behalf="T/M Chi bộ"),
        recipients=(f"{committee_of(report.committee)} (để báo cáo)", "Lưu chi bộ"),
    )
    return table_report_pdf(table, large_print=large_print)


def document_pdf(
    doc: DocumentView, *, heading: str, body: str, large: bool, summary: bool
) -> bytes:
    """A document's text (or summary) as PDF, in large print (18 pt) or normal size (14 pt)."""
    body = reflow(body)
    title, _, number_line = heading.partition("\n")
    parts = [p for p in (number_line.strip("()"), doc.issuer) if p]
    if doc.issued_on:
        parts.append(f"ngày {doc.issued_on:%d/%m/%Y}")
    subtitle = " — ".join(parts)
    if summary:
        subtitle = f"Tóm tắt. {subtitle}" if subtitle else "Tóm tắt"
    if large:
        return large_print_pdf(title=title, subtitle=subtitle, body_text=body)
    return _normal_pdf(title=title, subtitle=subtitle, body=body)


def _normal_pdf(*, title: str, subtitle: str, body: str) -> bytes:
    from reportlab.platypus import Paragraph

    styles = make_styles(large_print=False)
    story: list[Any] = list(title_block(styles, title, subtitle))
    story.extend(Paragraph(t, styles.body) for t in text_paragraphs(body))
    return build_pdf(story, title=title, subject="Tài liệu", large_print=False)


# --- đảng phí (dues) ------------------------------------------------------------------------


def _dues_header(book: Book) -> tuple[DocHeader, str]:
    info = book.branch()
    return _branch_header(book, dt.date.today()), info.secretary_name


def dues_output_kind(path: Path, *, xlsx: bool = True) -> str:
    """ "pdf" or "xlsx" from the file's suffix; anything else is refused in one sentence."""
    suffix = path.suffix.lower()
    if suffix not in ((".pdf", ".xlsx") if xlsx else (".pdf",)):
        raise ValidationError(
            "Tệp ra phải có đuôi " + (".pdf hoặc .xlsx." if xlsx else ".pdf."), field="output"
        )
    return suffix[1:]


def _write_bytes_pdf(path: Path, data: bytes) -> Path:
    return _write(lambda: write_pdf(path, data), path)


def write_dues_year_book(book: Book, *, year: int, path: Path) -> Path:
    """Sổ theo dõi đảng phí năm as PDF (Party layout) or .xlsx, by the file's suffix."""
    from app.exporters import dues_xlsx
    from app.services import dues
    from reports.dues import year_book_pdf

    kind = dues_output_kind(path)
    data = dues.year_book(book, year=year)
    header, secretary = _dues_header(book)
    if kind == "xlsx":
        raw = dues_xlsx.year_book_xlsx_bytes(data, committee=header.committee, branch=header.branch)
        return _write(lambda: dues_xlsx.write_xlsx(raw, path), path)
    return _write_bytes_pdf(path, year_book_pdf(data, header, secretary=secretary))


def write_dues_period_report(book: Book, *, period: str, path: Path) -> Path:
    """The report of dues collected, retained and remitted for a month or a quarter."""
    from app.exporters import dues_xlsx
    from app.services import dues
    from reports.dues import period_report_pdf

    kind = dues_output_kind(path)
    figures = dues.period_report(book, period=period)
    header, secretary = _dues_header(book)
    if kind == "xlsx":
        raw = dues_xlsx.period_report_xlsx_bytes(
            figures, committee=header.committee, branch=header.branch
        )
        return _write(lambda: dues_xlsx.write_xlsx(raw, path), path)
    return _write_bytes_pdf(path, period_report_pdf(figures, header, secretary=secretary))


def write_dues_receipts(
    book: Book,
    *,
    path: Path,
    member: str | None = None,
    year: int | None = None,
    number: int | None = None,
    series: str | None = None,
) -> int:
    """Biên lai of cash payments as PDF; returns how many receipts were written. `series`
    picks one desktop's receipts (ký hiệu) when the book holds several."""
    from app.services import dues
    from reports.dues import receipts_pdf

    dues_output_kind(path, xlsx=False)
    found = dues.receipts(book, member=member, year=year, number=number, series=series)
    if not found:
        raise ValidationError("Không có khoản đóng bằng tiền mặt nào để in biên lai.")
    header, _secretary = _dues_header(book)
    _write_bytes_pdf(path, receipts_pdf(found, header))
    return len(found)


def write_dues_member_page(book: Book, *, member: str, year: int, path: Path) -> str:
    """A member's own year of dues in large print; returns the member's name."""
    from app.services import dues
    from reports.dues import member_page_pdf

    dues_output_kind(path, xlsx=False)
    page = dues.member_page(book, member=member, year=year)
    header, _secretary = _dues_header(book)
    _write_bytes_pdf(path, member_page_pdf(page, header))
    return page.full_name

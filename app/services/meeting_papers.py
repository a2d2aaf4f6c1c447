"""A meeting turned into the plain data its paperwork needs.

The minutes (biên bản), the invitation (thông báo mời họp), the sign-in sheet (danh sách ký
tên) and the yearly attendance report are laid out by reports/ (reportlab), which app/ never
imports: the front ends (CLI, UI) hand these plain values to reports/. The .xlsx attendance
report is written here (openpyxl, no reportlab).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.citations import document_citation
from app.errors import KnownError
from app.models import Member
from app.services import attendance, audit, meeting_stats, meetings, voting_rules
from app.services.meeting_stats import AttendanceStats
from app.storage.files import replace, restrict
from app.text import clean, fold
from app.vocab import AttendanceMark, Entity, MeetingKind, MemberStatus, RosterRole

if TYPE_CHECKING:
    from app.book import Book


@dataclass(frozen=True)
class PaperHeader:
    committee: str
    branch: str
    place: str
    date: dt.date
    number: str = ""


@dataclass(frozen=True)
class PaperSection:
    title: str
    content: str
    discussion: tuple[tuple[str, str], ...]  # (speaker, what was said)
    conclusion: str


@dataclass(frozen=True)
class PaperVote:
    question: str
    in_favour: int
    against: int
    abstain: int
    eligible: int
    result: str


@dataclass(frozen=True)
class MinutesPaper:
    header: PaperHeader
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    topic: str
    chair: str
    chair_role: str
    secretary: str
    secretary_role: str
    guests: tuple[str, ...]
    total: int
    official: int
    probationary: int
    temporary: int
    exempted: int
    present: int
    late: int
    absent_excused: tuple[tuple[str, str, str], ...]  # (name, reason, category)
    absent_unexcused: tuple[tuple[str, str], ...]  # (name, category)
    sections: tuple[PaperSection, ...]
    votes: tuple[PaperVote, ...]
    conclusion: str
    adopted: bool
    extra_notes: tuple[str, ...]
    away: int = 0  # giới thiệu sinh hoạt tạm thời nơi khác
    # Present by category (of those expected: exempted members who came are noted apart).
    present_official: int = 0
    present_probationary: int = 0
    present_temporary: int = 0
    late_members: tuple[tuple[str, str], ...] = ()  # (name, category)
    adoption_percent: str = ""  # from a vote on the minutes themselves, when recorded
    blank: bool = False  # nobody marked yet: a form to fill in by hand


@dataclass(frozen=True)
class InvitationPaper:
    header: PaperHeader
    meeting_name: str  # "sinh hoạt chi bộ thường kỳ tháng 11 năm 2025"
    starts_at: dt.datetime
    place: str
    secretary_name: str
    secretary_phone: str
    addressee: str
    agenda: tuple[str, ...]
    documents: tuple[tuple[str, str], ...]  # (number, the citation: "Hướng dẫn số … ngày … của …")
    recipients: tuple[str, ...] = ()  # "Nơi nhận:"; the committee named from the branch
    # Who invites and signs: the chi ủy ("Chi ủy … trân trọng kính mời", "T/M CHI ỦY") when
    # the branch has one, else the chi bộ ("Chi bộ … trân trọng kính mời", "T/M CHI BỘ").
    by_committee: bool = False


@dataclass(frozen=True)
class SigninLine:
    full_name: str
    birth_year: int | None
    status_note: str
    note: str


@dataclass(frozen=True)
class SigninPaper:
    header: PaperHeader
    meeting_name: str
    starts_at: dt.datetime
    place: str
    chair: str
    secretary: str
    lines: tuple[SigninLine, ...]


@dataclass(frozen=True)
class TablePaper:
    """A titled table (the yearly attendance report), for PDF and .xlsx alike."""

    header: PaperHeader
    title: str
    subtitle: str
    subtitle_lines: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    totals: tuple[object, ...] | None
    notes: str
    signer_name: str
    landscape: bool
    # Further sheets for the .xlsx (name, columns, rows): figures per month and quarter.
    extra_sheets: tuple[tuple[str, tuple[str, ...], tuple[tuple[object, ...], ...]], ...] = ()


# --- shared -----------------------------------------------------------------------------


def header_for(book: Book, *, on: dt.date, number: str = "") -> PaperHeader:
    info = book.branch()
    return PaperHeader(
        committee=info.committee,
        branch=info.name,
        place=info.place_name,
        date=on,
        number=clean(number),
    )


def _positions(book: Book, names: Sequence[str]) -> dict[str, tuple[str, str]]:
    """folded full name → (position, phone) of live members with those names."""
    wanted = {fold(n) for n in names if clean(n)}
    if not wanted:
        return {}
    out: dict[str, tuple[str, str]] = {}
    with book.read_session() as s:
        q = select(Member.name_search, Member.position, Member.phone).where(
            Member.deleted_at.is_(None), Member.name_search.in_(wanted)
        )
        for key, position, phone in s.execute(q).all():
            out.setdefault(key, (position or "", phone or ""))
    return out


def _meeting_name(m: meetings.MeetingView) -> str:
    title = m.title
    return title[0].lower() + title[1:] if title else title


# --- the minutes --------------------------------------------------------------------------


def minutes_paper(book: Book, *, meeting_id: str) -> MinutesPaper:
    """The minutes of a meeting, with the roll call as recorded (frozen at closing)."""
    m = meetings.get(book, meeting_id=meeting_id)
    minutes = meetings.get_minutes(book, meeting_id=meeting_id)
    call = attendance.roll_call(book, meeting_id=meeting_id)
    fig = call.figures

    def category(row: attendance.RosterRow) -> str:
        return RosterRole(row.role).label.lower() if row.role else ""

    counted = [r for r in call.rows if r.role != RosterRole.EXEMPT]
    excused = tuple(
        (r.full_name, r.reason or r.request_reason, category(r))
        for r in counted
        if r.status == AttendanceMark.EXCUSED
    )
    unexcused = tuple(
        (r.full_name, category(r)) for r in counted if r.status == AttendanceMark.UNEXCUSED
    )
    late_members = tuple(
        (r.full_name, category(r)) for r in counted if r.status == AttendanceMark.LATE
    )
    present_by_role = {
        role: sum(1 for r in counted if r.is_present and r.role == role) for role in RosterRole
    }
    blank = not m.is_closed and all(r.status is None for r in call.rows)
    votes = []
    adoption = ""
    rules = voting_rules.get_rules(book)
    for v in minutes.votes:
        # Checked when saved; printed as recorded even if the roll call was amended since.
        check = voting_rules.evaluate_vote(
            fig,
            in_favour=v.in_favour,
            against=v.against,
            abstain=v.abstain,
            kind=v.kind,
            config=rules,
        )
        if "bien ban" in fold(v.subject) and check.eligible:
            adoption = _percent_text(v.in_favour, check.eligible)
        votes.append(
            PaperVote(
                question=v.subject,
                in_favour=v.in_favour,
                against=v.against,
                abstain=v.abstain,
                eligible=check.eligible,
                # The counts are listed above the result on the paper: only the rule follows.
                # The rule's private note ("có thể cấu hình") stays off the paper.
                result=f"{check.result_text} {check.rule_text}.".replace(" (có thể cấu hình)", ""),
            )
        )
    roles = _positions(book, [m.chair_name, m.secretary_name])
    notes: list[str] = []
    exempt_here = [r.full_name for r in call.rows if r.role == RosterRole.EXEMPT and r.is_present]
    if exempt_here:
        notes.append(
            "Đảng viên được miễn sinh hoạt có mặt: "
            + ", ".join(f"đồng chí {n}" for n in exempt_here)
            + "."
        )
    unmarked = [r.full_name for r in call.rows if r.status is None and r.role != RosterRole.EXEMPT]
    if unmarked and not blank:
        notes.append("Chưa điểm danh: " + ", ".join(unmarked) + ".")
    for entry in reversed(audit.history(book, entity=Entity.MEETING, entity_id=meeting_id)):
        if entry.action == "amend":
            notes.append(
                f"{entry.summary} (đính chính ngày {entry.at:%d/%m/%Y}; lý do: {entry.reason})."
            )
    amended_marks = _attendance_amendments(book, meeting_id)
    notes.extend(amended_marks)
    return MinutesPaper(
        header=header_for(book, on=m.starts_at.date(), number=minutes.number),
        kind=m.kind,
        starts_at=m.starts_at,
        ends_at=minutes.ends_at or m.ends_at,
        place=m.place,
        topic=m.topic,
        chair=m.chair_name,
        chair_role=roles.get(fold(m.chair_name), ("", ""))[0],
        secretary=m.secretary_name,
        secretary_role=roles.get(fold(m.secretary_name), ("", ""))[0],
        guests=tuple(m.guest_list),
        total=fig.total,
        official=fig.official,
        probationary=fig.probationary,
        temporary=fig.temporary,
        exempted=fig.exempted,
        present=fig.present,
        late=fig.late,
        absent_excused=excused,
        absent_unexcused=unexcused,
        sections=tuple(
            PaperSection(
                title=sec.title,
                content=sec.content,
                discussion=tuple((d.speaker, d.text) for d in sec.discussion),
                conclusion=sec.conclusion,
            )
            for sec in minutes.sections
        ),
        votes=tuple(votes),
        conclusion=minutes.conclusion,
        adopted=m.is_closed,
        extra_notes=tuple(notes),
        away=_away_count(book),
        present_official=present_by_role[RosterRole.OFFICIAL],
        present_probationary=present_by_role[RosterRole.PROBATIONARY],
        present_temporary=present_by_role[RosterRole.TEMPORARY],
        late_members=late_members,
        adoption_percent=adoption,
        blank=blank,
    )


def _percent_text(part: int, whole: int) -> str:
    value = round(100 * part / whole, 1)
    return f"{value:g}".replace(".", ",") + "%"


def _away_count(book: Book) -> int:
    """Members introduced to attend elsewhere for a while (counted apart in the minutes)."""
    from sqlalchemy import func

    with book.read_session() as s:
        q = select(func.count(Member.id)).where(
            Member.deleted_at.is_(None), Member.status == MemberStatus.AWAY.value
        )
        return int(s.execute(q).scalar_one())


def _attendance_amendments(book: Book, meeting_id: str) -> list[str]:
    """Roll-call marks changed after the minutes were adopted (from the audit trail)."""
    out: list[str] = []
    for entry in reversed(audit.history(book, entity=Entity.ATTENDANCE_EVENT, limit=5000)):
        if entry.action != "amend":
            continue
        target = entry.changes.get("meeting_id")
        if not isinstance(target, list) or len(target) < 2 or target[1] != meeting_id:
            continue
        out.append(f"{entry.summary} (đính chính ngày {entry.at:%d/%m/%Y}; lý do: {entry.reason}).")
    return out


# --- the invitation -----------------------------------------------------------------------

# A chi bộ with this many official members or more elects a chi ủy; a smaller one elects a
# bí thư (and, if needed, a phó bí thư) only (Hướng dẫn thi hành Điều lệ Đảng).
CHI_UY_FROM_OFFICIAL = 9


def has_chi_uy(book: Book) -> bool:
    """Whether the branch has a chi ủy: 9 or more official members (those exempted from
    meetings are official members too)."""
    official = (MemberStatus.OFFICIAL.value, MemberStatus.EXEMPT.value)
    with book.read_session() as s:
        q = select(func.count(Member.id)).where(
            Member.deleted_at.is_(None), Member.status.in_(official)
        )
        return int(s.execute(q).scalar_one()) >= CHI_UY_FROM_OFFICIAL


def invitation_paper(
    book: Book, *, meeting_id: str, issued_on: dt.date | None = None, number: str = ""
) -> InvitationPaper:
    m = meetings.get(book, meeting_id=meeting_id)
    info = book.branch()
    secretary = info.secretary_name or m.chair_name
    phone = _positions(book, [secretary]).get(fold(secretary), ("", ""))[1]
    docs = meetings.documents(book, meeting_id=meeting_id)
    addressee = f"Các đồng chí chi ủy viên {info.name}" if m.kind == MeetingKind.COMMITTEE else ""
    issued = issued_on or min(dt.date.today(), m.starts_at.date())
    # A thông báo: numbered "Số …-TB/CB" by hand when no number is given.
    return InvitationPaper(
        header=header_for(book, on=issued, number=clean(number) or "…-TB/CB"),
        meeting_name=_meeting_name(m),
        starts_at=m.starts_at,
        place=m.place,
        secretary_name=secretary,
        secretary_phone=phone,
        addressee=addressee,
        agenda=m.agenda,
        documents=tuple(
            (d.number, document_citation(d.number, d.doc_type, d.title, d.issuer, d.issued_on))
            for d in docs
        ),
        recipients=("Như kính gửi", f"{committee_of(info.committee)} (để báo cáo)", "Lưu chi bộ"),
        by_committee=m.kind == MeetingKind.COMMITTEE or has_chi_uy(book),
    )


def committee_of(committee: str) -> str:
    """“Đảng ủy phường Quy Nhơn” from “Đảng bộ phường Quy Nhơn”: who receives a copy."""
    text = clean(committee)
    if fold(text).startswith("dang bo "):
        return "Đảng ủy " + text[len("Đảng bộ ") :]
    return text or "Đảng ủy cấp trên"


# --- the sign-in sheet --------------------------------------------------------------------


def signin_paper(book: Book, *, meeting_id: str) -> SigninPaper:
    m = meetings.get(book, meeting_id=meeting_id)
    call = attendance.roll_call(book, meeting_id=meeting_id)
    ids = [r.member_id for r in call.rows]
    with book.read_session() as s:
        births = {
            mid: bd
            for mid, bd in s.execute(select(Member.id, Member.birth_date).where(Member.id.in_(ids)))
        }
    lines = []
    for r in call.rows:
        note = ""
        if r.request_reason:
            note = f"Xin vắng: {r.request_reason}"
        status_note = "" if r.role == RosterRole.OFFICIAL else r.role_label
        born = births.get(r.member_id)
        lines.append(SigninLine(r.full_name, born.year if born else None, status_note, note))
    return SigninPaper(
        header=header_for(book, on=m.starts_at.date()),
        meeting_name=m.title,
        starts_at=m.starts_at,
        place=m.place,
        chair=m.chair_name,
        secretary=m.secretary_name,
        lines=tuple(lines),
    )


# --- the yearly attendance report ----------------------------------------------------------

REPORT_COLUMNS_BEFORE = ("STT", "Họ và tên")
REPORT_COLUMNS_AFTER = ("Phải dự", "Có mặt", "Vắng có lý do", "Vắng không lý do", "Tỷ lệ (%)")


def _month_cell(stats: AttendanceStats, member: meeting_stats.MemberAttendance, month: int) -> str:
    expected = present = unexcused = 0
    for hm, mark in zip(stats.meetings, member.marks, strict=True):
        if hm.meeting.starts_at.month != month or mark is None:
            continue
        expected += 1
        if mark in voting_rules.PRESENT_STATUSES:
            present += 1
        elif mark == AttendanceMark.UNEXCUSED:
            unexcused += 1
    if expected == 0:
        return ""
    return f"{present}/{expected}" + (" K" if unexcused else "")


def attendance_report_paper(book: Book, *, year: int) -> TablePaper:
    """Yearly attendance: one line per member, a column per month, the HD 12 figures."""
    stats = meeting_stats.year_stats(book, year=year)
    if not stats.meetings:
        raise KnownError(
            f"Năm {year} chưa có cuộc sinh hoạt chi bộ nào được điểm danh; chưa có gì để báo cáo."
        )
    rules = stats.rules
    months = [f"T{mo}" for mo in range(1, 13)]
    rows: list[tuple[object, ...]] = []
    for index, member in enumerate(stats.members, start=1):
        rows.append(
            (
                index,
                member.full_name,
                *(_month_cell(stats, member, mo) for mo in range(1, 13)),
                member.expected,
                member.present,
                member.excused,
                member.unexcused,
                round(member.percent, 1),
            )
        )
    total = stats.total
    totals: tuple[object, ...] = (
        "",
        "Cộng",
        *(_month_total(stats, mo) for mo in range(1, 13)),
        total.expected,
        total.present,
        total.excused,
        total.unexcused,
        round(total.percent, 1),
    )
    hd = stats.hd12
    target = f"{rules.attendance_target_percent:g}".replace(".", ",")
    notes = [
        "Ký hiệu: ô tháng ghi số buổi có mặt/số buổi phải dự; “K”: có buổi vắng không lý do.",
        f"Số cuộc sinh hoạt chi bộ đã điểm danh: {len(stats.meetings)}.",
        f"Tỷ lệ đảng viên dự sinh hoạt cả năm: {_pct(hd.attendance_percent)}% "
        f"({'đạt' if hd.meets_target else 'chưa đạt'} yêu cầu trên {target}% của HD 12).",
        f"Số lượt vắng không có lý do: {hd.unexcused_total}.",
    ]
    if hd.members_absent_running:
        notes.append(
            f"Đảng viên vắng {rules.max_absent_running} lần liên tiếp trở lên: "
            + ", ".join(hd.members_absent_running)
            + "."
        )
    else:
        notes.append(f"Không có đảng viên vắng {rules.max_absent_running} lần liên tiếp trở lên.")
    if hd.months_without_regular:
        notes.append(
            "Tháng chưa có sinh hoạt chi bộ thường kỳ: "
            + ", ".join(str(mo) for mo in hd.months_without_regular)
            + "."
        )
    if hd.quarters_without_thematic:
        notes.append(
            "Quý chưa có sinh hoạt chuyên đề: "
            + ", ".join(meeting_stats.QUARTER_NAMES[q - 1] for q in hd.quarters_without_thematic)
            + "."
        )
    from app.services.upward_reports.drafting import public_text

    notes.extend(public_text(w.message) for w in stats.warnings)
    notes.append(
        "Tỷ lệ và số liệu tính theo quy tắc của chi bộ: "
        f"chỉ tiêu trên {target}%, cảnh báo vắng {rules.max_absent_running} lần liên tiếp, "
        f"xem xét xóa tên khi vắng không lý do {rules.removal_months} tháng trong năm."
    )
    period_columns = (
        "Kỳ",
        "Số cuộc họp",
        "Lượt phải dự",
        "Có mặt",
        "Vắng có lý do",
        "Vắng không lý do",
        "Tỷ lệ (%)",
    )
    period_rows = tuple(
        (p.label, p.meetings, p.expected, p.present, p.excused, p.unexcused, round(p.percent, 1))
        for p in (*stats.months, *stats.quarters, stats.total)
    )
    meeting_columns = (
        "Ngày",
        "Loại",
        "Chủ đề",
        "Phải dự",
        "Có mặt",
        "Vắng có lý do",
        "Vắng không lý do",
    )
    meeting_rows = tuple(
        (
            hm.meeting.starts_at,
            hm.meeting.kind_label,
            hm.meeting.topic,
            hm.figures.expected,
            hm.figures.present,
            hm.figures.absent_excused,
            hm.figures.absent_unexcused,
        )
        for hm in stats.meetings
    )
    info = book.branch()
    return TablePaper(
        header=header_for(book, on=min(dt.date.today(), dt.date(year, 12, 31))),
        title="Báo cáo tình hình đảng viên dự sinh hoạt chi bộ",
        subtitle=f"Năm {year}",
        subtitle_lines=(f"(Từ ngày 01/01/{year} đến ngày 31/12/{year})",),
        columns=(*REPORT_COLUMNS_BEFORE, *months, *REPORT_COLUMNS_AFTER),
        rows=tuple(rows),
        totals=totals,
        notes="\n\n".join(notes),
        signer_name=info.secretary_name,
        landscape=True,
        extra_sheets=(
            ("Theo kỳ", period_columns, period_rows),
            ("Từng cuộc họp", meeting_columns, meeting_rows),
        ),
    )


def _month_total(stats: AttendanceStats, month: int) -> str:
    for p in stats.months:
        if p.start.month == month and p.expected:
            return f"{p.present}/{p.expected}"
    return ""


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def write_xlsx(paper: TablePaper, path: str | os.PathLike[str]) -> Path:
    """The table (and its extra sheets) as an .xlsx workbook, written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Báo cáo"
    ws.append([f"{paper.header.committee.upper()}"])
    ws.append([f"{paper.header.branch.upper()}"])
    ws.append([])
    ws.append([paper.title.upper()])
    ws["A4"].font = Font(bold=True, size=14)
    ws.append([paper.subtitle, *paper.subtitle_lines])
    ws.append([])
    ws.append(list(paper.columns))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for row in paper.rows:
        ws.append([_xlsx_value(v) for v in row])
    if paper.totals is not None:
        ws.append([_xlsx_value(v) for v in paper.totals])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    for index, title in enumerate(paper.columns, start=1):
        values = [len(str(title))] + [len(str(r[index - 1] or "")) for r in paper.rows[:500]]
        ws.column_dimensions[get_column_letter(index)].width = min(40, max(6, max(values) + 2))
    ws.append([])
    for note in paper.notes.split("\n\n"):
        if note.strip():
            ws.append([note])
    for name, columns, rows in paper.extra_sheets:
        sheet = wb.create_sheet(name[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        for index, title in enumerate(columns, start=1):
            values = [len(str(title))] + [len(str(r[index - 1] or "")) for r in rows[:500]]
            sheet.column_dimensions[get_column_letter(index)].width = min(
                40, max(8, max(values) + 2)
            )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{target.name}")
    try:
        wb.save(tmp)
        restrict(tmp)  # owner-only like every export: it names members
        replace(tmp, target)  # retried while Excel holds the old file open (Windows)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KnownError(f"Không ghi được tệp {target}: {exc.strerror or exc}.") from exc
    return target


def _xlsx_value(value: object) -> object:
    if value is None or isinstance(value, str | int | float | dt.date | dt.datetime):
        return value
    return str(value)

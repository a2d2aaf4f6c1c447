"""Biên bản sinh hoạt chi bộ: the minutes of a branch meeting, from structured data.

Layout (DOMAIN.md, "Biên bản sinh hoạt chi bộ"): the HD 36 header; the title by kind of
meeting; time and place; I. THÀNH PHẦN (figures, absentees with reasons, chair, minute-taker,
guests); II. NỘI DUNG (each item, its discussion and the chair's conclusion); III. BIỂU QUYẾT
(for, against, abstain over the members entitled to vote); the closing time, the adoption
statement; signatures THƯ KÝ (left) and CHỦ TRÌ (right).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from app.text import clean
from app.vocab import MeetingKind
from reports.layout import (
    DocHeader,
    Signer,
    Styles,
    build_pdf,
    esc,
    esc_clause,
    frame_width,
    header_block,
    heading,
    keep_with_previous,
    make_styles,
    signature_block,
    text_paragraphs,
    title_block,
)
from reports.vn_format import vn_date, vn_percent, vn_time

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


class Absence(NamedTuple):
    name: str
    reason: str = ""
    category: str = ""  # "chính thức", "dự bị", "sinh hoạt tạm thời"; printed after the name


class Speech(NamedTuple):
    """One entry of the discussion: who spoke and what was said."""

    speaker: str
    text: str


class Vote(NamedTuple):
    """A show of hands. `eligible` is the number of members entitled to vote (official
    members counted for the quorum); percentages are taken over it."""

    question: str
    in_favour: int
    against: int
    abstain: int
    eligible: int
    result: str = ""  # e.g. "Nghị quyết được thông qua."; printed when given


@dataclass(frozen=True)
class Attendance:
    """Attendance figures. `total` counts every member on the branch list (official,
    probationary and temporarily attached); members exempted from meetings are left out
    of the number expected to attend."""

    total: int
    official: int = 0
    probationary: int = 0
    temporary: int = 0
    exempted: int = 0
    present: int = 0
    late: int = 0
    absent_excused: Sequence[Absence] = ()
    absent_unexcused: Sequence[str | Absence] = ()
    away: int = 0  # giới thiệu sinh hoạt tạm thời nơi khác (not expected here)
    # Present by category (None: not given, the split is left out).
    present_official: int | None = None
    present_probationary: int | None = None
    present_temporary: int | None = None
    late_members: Sequence[Absence] = ()  # who came late (name and category)

    @property
    def expected(self) -> int:
        return max(0, self.total - self.exempted)


@dataclass(frozen=True)
class AgendaSection:
    title: str
    content: str = ""
    discussion: Sequence[Speech] = ()
    conclusion: str = ""


@dataclass(frozen=True)
class MinutesData:
    header: DocHeader
    kind: str  # a MeetingKind value (an unknown one gets the generic title)
    starts_at: datetime
    place: str
    chair: str
    secretary: str
    attendance: Attendance
    sections: Sequence[AgendaSection] = ()
    votes: Sequence[Vote] = ()
    topic: str = ""  # the subject of a chuyên đề meeting
    ends_at: datetime | None = None  # None prints dotted blanks to fill in by hand
    chair_role: str = ""  # e.g. "Bí thư chi bộ"
    secretary_role: str = ""  # e.g. "Chi ủy viên"
    guests: Sequence[str] = ()
    conclusion: str = ""  # the chair's closing conclusion over the whole meeting
    adopted: bool = True
    adopted_statement: str = ""  # replaces the standard adoption sentence when given
    copies: int = 0  # "Biên bản được lập thành N bản"; dotted to fill by hand when 0
    extra_notes: Sequence[str] = ()
    # The share that adopted the minutes ("100%"); dotted to fill by hand when empty.
    adoption_percent: str = ""
    # A meeting not yet held: the figures, contents and votes print as dotted blanks and
    # ruled lines to write on by hand (never computed zeros).
    blank: bool = False


def _title_lines(kind: str, starts_at: datetime) -> list[str]:
    month = f"THÁNG {starts_at.month} NĂM {starts_at.year}"
    if kind == MeetingKind.REGULAR:
        return ["BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ", month]
    if kind == MeetingKind.COMMITTEE:
        return ["BIÊN BẢN HỌP CHI ỦY", month]
    if kind == MeetingKind.THEMATIC:
        return ["BIÊN BẢN SINH HOẠT CHI BỘ CHUYÊN ĐỀ"]
    if kind == MeetingKind.EXTRAORDINARY:
        return ["BIÊN BẢN HỌP CHI BỘ (BẤT THƯỜNG)"]
    return ["BIÊN BẢN HỌP CHI BỘ", month]


def minutes_title(kind: str, starts_at: datetime) -> str:
    """The title in capitals for a kind of meeting, e.g.
    "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ THÁNG 11 NĂM 2025"."""
    return " ".join(_title_lines(kind, starts_at))


BLANK = "......"  # a dotted blank, filled in by hand
STANDARD_AGENDA = (
    "Thông tin thời sự, văn bản mới",
    "Đánh giá kết quả thực hiện nhiệm vụ tháng trước",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Tình hình nhân dân, ý kiến phản ánh",
    "Phương hướng, nhiệm vụ tháng tới",
)


def _line(
    styles: Styles, label: str, value: str, *, dash: bool = True, keep: bool = False
) -> Paragraph:
    """'- Label value' in the body; `keep` holds a line that introduces a list ("gồm:")
    on the page of the list's first item."""
    prefix = "- " if dash else ""
    return Paragraph(
        f"{prefix}{label} {value}", _kept(styles.body_flush) if keep else styles.body_flush
    )


def _kept(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_kept", parent=style, keepWithNext=1)


def ruled_lines(styles: Styles, count: int, *, width: float | None = None) -> list[Flowable]:
    """`count` dotted lines across the text frame, to write on by hand."""
    width = width or frame_width()
    font = str(styles.body.fontName)
    size = float(styles.body.fontSize)
    dots = "." * max(10, int((width - 12) / stringWidth(".", font, size)))
    style = ParagraphStyle(
        "ruled", parent=styles.body, firstLineIndent=0, alignment=0, leading=size * 1.8
    )
    return [Paragraph(dots, style) for _ in range(count)]


def _by_category(items: Sequence[Absence]) -> list[tuple[str, list[Absence]]]:
    """Members grouped by category (chính thức, dự bị, sinh hoạt tạm thời), in that order."""
    order = ("chính thức", "dự bị", "sinh hoạt tạm thời")
    groups: dict[str, list[Absence]] = {}
    for item in items:
        groups.setdefault(clean(item.category).lower(), []).append(item)
    keys = sorted(groups, key=lambda k: order.index(k) if k in order else len(order))
    return [(key, groups[key]) for key in keys]


def _with_category(item: Absence) -> str:
    category = clean(item.category)
    return f"{esc(item.name)} ({esc(category.lower())})" if category else esc(item.name)


def _opening(data: MinutesData, styles: Styles) -> list[Flowable]:
    start = data.starts_at
    time = (
        f"{BLANK} giờ {BLANK} phút, {vn_date(start)}"
        if data.blank
        else f"{vn_time(start)}, {vn_date(start)}"
    )
    place = esc_clause(data.place) or BLANK
    return [
        Paragraph(f"<b>Thời gian:</b> bắt đầu lúc {time}.", styles.body),
        Paragraph(f"<b>Địa điểm:</b> {place}.", styles.body),
    ]


def _split(official: object, probationary: object, temporary: object, *, all_: bool) -> str:
    """'chính thức: 35; dự bị: 3; sinh hoạt tạm thời: 2' (zeros left out unless `all_`)."""
    parts = [
        ("chính thức", official),
        ("dự bị", probationary),
        ("sinh hoạt tạm thời", temporary),
    ]
    return "; ".join(f"{label}: {value}" for label, value in parts if all_ or value)


def _composition(data: MinutesData, styles: Styles, number: str) -> list[Flowable]:
    att = data.attendance
    story: list[Flowable] = heading(f"{number}. THÀNH PHẦN", styles.heading)
    parts = _split(att.official, att.probationary, att.temporary, all_=False)
    total_label = (
        "Tổng số chi ủy viên:"
        if data.kind == MeetingKind.COMMITTEE
        else "Tổng số đảng viên của chi bộ:"
    )
    story.append(
        _line(
            styles,
            f"<b>{total_label}</b>",
            f"{att.total} đồng chí" + (f" ({parts})." if parts else "."),
        )
    )
    if att.exempted:
        story.append(
            _line(
                styles,
                "<b>Số đảng viên được miễn công tác và sinh hoạt đảng:</b>",
                f"{att.exempted} đồng chí.",
            )
        )
    if att.away:
        story.append(
            _line(
                styles,
                "<b>Số đảng viên được giới thiệu sinh hoạt tạm thời nơi khác:</b>",
                f"{att.away} đồng chí.",
            )
        )
    if data.blank:
        story.extend(_blank_attendance(att, styles))
    else:
        story.extend(_attendance(att, styles))

    chair = f"đồng chí {esc(data.chair)}" if clean(data.chair) else BLANK
    if clean(data.chair) and clean(data.chair_role):
        chair += f", {esc_clause(data.chair_role)}"
    story.append(_line(styles, "<b>Chủ trì:</b>", chair + "."))
    secretary = f"đồng chí {esc(data.secretary)}" if clean(data.secretary) else BLANK
    if clean(data.secretary) and clean(data.secretary_role):
        secretary += f", {esc_clause(data.secretary_role)}"
    story.append(_line(styles, "<b>Thư ký:</b>", secretary + "."))
    guests = [esc_clause(guest) for guest in data.guests if clean(guest)]
    if guests:
        story.append(_line(styles, "<b>Khách mời:</b>", "", keep=True))
        story.extend(Paragraph(f"+ {guest}.", styles.body_flush) for guest in guests)
    elif data.blank:
        story.append(_line(styles, "<b>Khách mời:</b>", BLANK))
    return story


def _attendance(att: Attendance, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = []
    present = f"{att.present}/{att.expected} đồng chí"
    present += f" (đạt {vn_percent(att.present, att.expected)})"
    if att.late:
        present += f"; trong đó đến muộn: {att.late} đồng chí"
    story.append(_line(styles, "<b>Có mặt:</b>", present + "."))
    if att.present_official is not None:
        split = _split(
            att.present_official,
            att.present_probationary or 0,
            att.present_temporary or 0,
            all_=True,
        )
        story.append(Paragraph(f"+ Có mặt gồm: {split}.", styles.body_flush))
    late = [_with_category(item) for item in att.late_members if clean(item.name)]
    if late:
        story.append(
            Paragraph(
                "+ Đến muộn: " + ", ".join(f"đồng chí {name}" for name in late) + ".",
                styles.body_flush,
            )
        )

    excused = list(att.absent_excused)
    if excused:
        story.append(
            _line(styles, "<b>Vắng mặt có lý do:</b>", f"{len(excused)} đồng chí, gồm:", keep=True)
        )
        for category, group in _by_category(excused):
            if category:
                story.append(
                    Paragraph(
                        f"<i>Đảng viên {esc(category.lower())} ({len(group)}):</i>",
                        _kept(styles.body_flush),
                    )
                )
            for absence in group:
                reason = esc_clause(absence.reason) or "(chưa ghi lý do)"
                story.append(
                    Paragraph(f"+ Đồng chí {esc(absence.name)}: {reason}.", styles.body_flush)
                )
    else:
        story.append(_line(styles, "<b>Vắng mặt có lý do:</b>", "không."))

    unexcused = [
        item if isinstance(item, Absence) else Absence(item)
        for item in att.absent_unexcused
        if clean(item.name if isinstance(item, Absence) else item)
    ]
    if unexcused:
        names = ", ".join(f"đồng chí {esc(item.name)}" for item in unexcused)
        text = f"{len(unexcused)} đồng chí ({names})"
        groups = _by_category(unexcused)
        if len(groups) == 1 and groups[0][0]:
            text += f", {'đều ' if len(unexcused) > 1 else ''}là đảng viên {esc(groups[0][0])}"
        elif len(groups) > 1:
            text += ", gồm: " + "; ".join(
                f"{esc(category or 'khác')}: " + ", ".join(esc(i.name) for i in group)
                for category, group in groups
            )
        story.append(_line(styles, "<b>Vắng mặt không có lý do:</b>", text + "."))
    else:
        story.append(_line(styles, "<b>Vắng mặt không có lý do:</b>", "không."))
    return story


def _blank_attendance(att: Attendance, styles: Styles) -> list[Flowable]:
    """The attendance of a meeting not yet held: blanks to fill in at the meeting."""
    split = _split(BLANK, BLANK, BLANK, all_=True)
    story: list[Flowable] = [
        _line(styles, "<b>Có mặt:</b>", f"{BLANK}/{att.expected} đồng chí ({split})."),
        Paragraph(f"+ Đến muộn: {BLANK} đồng chí.", styles.body_flush),
        _line(
            styles,
            "<b>Vắng mặt có lý do:</b>",
            f"{BLANK} đồng chí (ghi rõ họ tên, lý do):",
            keep=True,
        ),
    ]
    story.extend(ruled_lines(styles, 2))
    story.append(
        _line(
            styles,
            "<b>Vắng mặt không có lý do:</b>",
            f"{BLANK} đồng chí (ghi rõ họ tên):",
            keep=True,
        )
    )
    story.extend(ruled_lines(styles, 1))
    return story


def _contents(data: MinutesData, styles: Styles, number: str) -> list[Flowable]:
    story: list[Flowable] = heading(f"{number}. NỘI DUNG", styles.heading, lines_after=3)
    sections = list(data.sections)
    if data.blank and not sections:
        sections = [AgendaSection(title) for title in STANDARD_AGENDA]
    for index, section in enumerate(sections, start=1):
        story.extend(heading(f"{index}. {esc(section.title)}", styles.subheading))
        story.extend(Paragraph(text, styles.body) for text in text_paragraphs(section.content))
        speeches = [s for s in section.discussion if clean(s.speaker) or clean(s.text)]
        if speeches:
            # The label never ends a page: it goes with the first lines of the first speech.
            story.extend(heading("<i>Ý kiến thảo luận:</i>", styles.body))
            for speech in speeches:
                texts = text_paragraphs(speech.text) or [""]
                story.append(
                    Paragraph(f"- <b>Đồng chí {esc(speech.speaker)}:</b> {texts[0]}", styles.body)
                )
                story.extend(Paragraph(text, styles.body) for text in texts[1:])
        conclusion = text_paragraphs(section.conclusion)
        if conclusion:
            story.append(
                Paragraph(
                    f"<b><i>Kết luận của đồng chí chủ trì:</i></b> {conclusion[0]}", styles.body
                )
            )
            story.extend(Paragraph(text, styles.body) for text in conclusion[1:])
        if data.blank and not clean(section.content) and not speeches:
            story.extend(ruled_lines(styles, 3))
    if data.blank:
        story.extend(heading("Ý kiến thảo luận (ghi rõ họ tên người phát biểu)", styles.subheading))
        story.extend(ruled_lines(styles, 5))
    overall = text_paragraphs(data.conclusion)
    if overall:
        story.extend(heading("Kết luận của đồng chí chủ trì cuộc họp", styles.subheading))
        story.extend(Paragraph(text, styles.body) for text in overall)
    elif data.blank:
        story.extend(heading("Kết luận của đồng chí chủ trì cuộc họp", styles.subheading))
        story.extend(ruled_lines(styles, 3))
    return story


def _votes(data: MinutesData, styles: Styles, number: str) -> list[Flowable]:
    story: list[Flowable] = heading(f"{number}. BIỂU QUYẾT", styles.heading, lines_after=3)
    if data.blank and not data.votes:
        story.append(Paragraph(f"Nội dung biểu quyết: {BLANK}", styles.body_flush))
        story.append(_line(styles, "Số đảng viên chính thức được tính:", f"{BLANK} đồng chí."))
        for label in ("Tán thành", "Không tán thành", "Không biểu quyết"):
            story.append(_line(styles, f"{label}:", f"{BLANK}/{BLANK} đồng chí ({BLANK}%)."))
        return story
    for index, vote in enumerate(data.votes, start=1):
        story.extend(heading(f"{index}. {esc(vote.question)}", styles.subheading, lines_after=3))
        story.append(
            _line(styles, "Số đảng viên chính thức được tính:", f"{vote.eligible} đồng chí.")
        )
        for label, count, reached in (
            ("Tán thành", vote.in_favour, "đạt "),
            ("Không tán thành", vote.against, ""),
            ("Không biểu quyết", vote.abstain, ""),
        ):
            share = vn_percent(count, vote.eligible)
            story.append(
                _line(styles, f"{label}:", f"{count}/{vote.eligible} đồng chí ({reached}{share}).")
            )
        if clean(vote.result):
            story.append(Paragraph(f"<i>Kết quả:</i> {esc(vote.result)}", styles.body_flush))
    return story


def _closing(data: MinutesData, styles: Styles) -> list[Flowable]:
    end = data.ends_at
    if end is None or data.blank:
        when = f"{BLANK} giờ {BLANK} phút cùng ngày"
    elif end.date() == data.starts_at.date():
        when = f"{vn_time(end)} cùng ngày"
    else:
        when = f"{vn_time(end)}, {vn_date(end)}"
    share = esc(clean(data.adoption_percent).rstrip("%")) or BLANK
    if clean(data.adopted_statement):
        adopted = esc(data.adopted_statement)
    elif data.adopted or data.blank:
        adopted = f"Biên bản đã được thông qua trước chi bộ, {share}% tán thành."
    else:
        adopted = "Biên bản đã được đọc lại trước chi bộ."
    text = f"Cuộc họp kết thúc vào lúc {when}. {adopted}"
    copies = f"{data.copies:02d}" if data.copies > 0 else BLANK
    text += f" Biên bản được lập thành {copies} bản, lưu tại chi bộ."
    story: list[Flowable] = [Paragraph(text, styles.body)]
    story.extend(Paragraph(esc(note), styles.body) for note in data.extra_notes if clean(note))
    return story


def minutes_story(data: MinutesData, *, large_print: bool = False) -> list[Flowable]:
    styles = make_styles(large_print)
    width = frame_width()
    subtitle = ""
    if data.kind == MeetingKind.THEMATIC:
        month = f"Tháng {data.starts_at.month} năm {data.starts_at.year}"
        subtitle = f"Chuyên đề: {clean(data.topic)}" if clean(data.topic) else month
    story: list[Flowable] = [
        header_block(data.header, width=width),
        *title_block(styles, "\n".join(_title_lines(data.kind, data.starts_at)), subtitle),
        *_opening(data, styles),
    ]
    numbers = iter(_ROMAN)
    story.extend(_composition(data, styles, next(numbers)))
    story.extend(_contents(data, styles, next(numbers)))
    if data.votes or data.blank:
        story.extend(_votes(data, styles, next(numbers)))
    story.extend(_closing(data, styles))
    signatures = signature_block(
        styles,
        width=width,
        left=Signer("Thư ký", clean(data.secretary)),
        right=Signer("Chủ trì", clean(data.chair)),
    )
    keep_with_previous(story, signatures, count=1 + len([n for n in data.extra_notes if clean(n)]))
    return story


def minutes_pdf(data: MinutesData, *, large_print: bool = False) -> bytes:
    """The minutes as PDF bytes."""
    title = minutes_title(data.kind, data.starts_at)
    return build_pdf(
        minutes_story(data, large_print=large_print),
        title=title,
        subject=f"{clean(data.header.branch)} — {vn_date(data.starts_at)}",
        large_print=large_print,
    )

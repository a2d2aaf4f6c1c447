"""Thông báo mời họp / giấy mời: the invitation to a branch meeting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from reportlab.platypus import Flowable, Paragraph, Spacer

from app.text import clean
from reports.layout import (
    DocHeader,
    Signer,
    build_pdf,
    compact_styles,
    esc,
    esc_clause,
    frame_width,
    header_block,
    keep_with_previous,
    make_styles,
    page_count,
    punctuated,
    signature_block,
    title_block,
)
from reports.vn_format import vn_date, vn_time, vn_weekday

DEFAULT_RECIPIENTS: tuple[str, ...] = ("Như kính gửi", "Lưu chi bộ")


class MeetingDocument(NamedTuple):
    """A document sent with the invitation: its number ("57-NQ/TW", may be empty) and
    title, or the whole citation with an empty number ("Hướng dẫn số 12-HD/BTCTW ngày …
    của …")."""

    number: str
    title: str


@dataclass(frozen=True)
class InvitationData:
    header: DocHeader
    meeting_name: str  # "sinh hoạt chi bộ thường kỳ tháng 11 năm 2025"
    starts_at: datetime
    place: str
    secretary_name: str  # who signs, and whom to ask for leave
    secretary_phone: str = ""
    addressee: str = ""  # default: "Các đồng chí đảng viên <branch>"
    agenda: Sequence[str] = ()
    documents: Sequence[MeetingDocument] = ()
    title: str = "THÔNG BÁO MỜI HỌP"  # or "GIẤY MỜI"
    signer_role: str = "Bí thư"  # "Phó Bí thư" when the deputy signs
    recipients: Sequence[str] = DEFAULT_RECIPIENTS
    closing_note: str = "Đề nghị các đồng chí đến dự họp đầy đủ, đúng giờ."
    # Who invites: the chi ủy when the branch has one (a branch of fewer than 9 official
    # members has only a bí thư), else the chi bộ. The body and the signature ("T/M CHI ỦY" /
    # "T/M CHI BỘ") name the same sender.
    by_committee: bool = False


def sender(data: InvitationData) -> tuple[str, str]:
    """Who invites, as the body names it ("Chi ủy Chi bộ Khu phố 3" or "Chi bộ Khu phố 3"),
    and the signature's on-behalf line ("T/M Chi ủy" or "T/M Chi bộ")."""
    branch = clean(data.header.branch)
    if data.by_committee:
        return f"Chi ủy {branch}", "T/M Chi ủy"
    return branch, "T/M Chi bộ"


def _addressee(data: InvitationData) -> str:
    if clean(data.addressee):
        return clean(data.addressee)
    return f"Các đồng chí đảng viên {clean(data.header.branch)}"


def _citation(doc: MeetingDocument) -> str:
    """“Hướng dẫn số 12-HD/BTCTW …” as given; a bare number and title read “… số 57-NQ/TW
    về …” rather than “Số 57-NQ/TW: NGHỊ QUYẾT …”."""
    from app.citations import document_citation

    title = clean(doc.title)
    number = clean(doc.number)
    if not number or number in title:
        return esc(title)
    return esc(document_citation(number, "", title, "", None))


def invitation_story(
    data: InvitationData, *, large_print: bool = False, compact: bool = False
) -> list[Flowable]:
    styles = make_styles(large_print)
    if compact:
        styles = compact_styles(styles)
    width = frame_width()
    inviter, on_behalf = sender(data)
    story: list[Flowable] = [
        header_block(data.header, width=width),
        *title_block(styles, data.title, f"Về việc {clean(data.meeting_name)}"),
        Paragraph(f"Kính gửi: {esc_clause(_addressee(data))}.", styles.centered),
        Spacer(1, styles.body_size * 0.5),
        Paragraph(
            f"{esc(inviter)} trân trọng kính mời các đồng chí đến dự {esc(data.meeting_name)}.",
            styles.body,
        ),
    ]
    start = data.starts_at
    weekday = vn_weekday(start.date())
    if weekday.startswith("Thứ"):
        weekday = "t" + weekday[1:]  # "thứ Tư" inside a sentence; "Chủ nhật" stays
    story.append(
        Paragraph(
            f"<b>1. Thời gian:</b> vào lúc {vn_time(start)}, {weekday}, {vn_date(start)}.",
            styles.body,
        )
    )
    story.append(Paragraph(f"<b>2. Địa điểm:</b> {esc_clause(data.place)}.", styles.body))
    number = 3
    agenda = [esc(item) for item in data.agenda if clean(item)]
    if agenda:
        story.append(Paragraph(f"<b>{number}. Nội dung:</b>", styles.body))
        story.extend(Paragraph(f"- {item}", styles.body_flush) for item in punctuated(agenda))
        number += 1
    documents = [doc for doc in data.documents if clean(doc.title) or clean(doc.number)]
    if documents:
        story.append(Paragraph(f"<b>{number}. Tài liệu:</b>", styles.body))
        lines = [_citation(doc) for doc in documents]
        story.extend(Paragraph(f"- {line}", styles.body_flush) for line in punctuated(lines))
        number += 1
    leave = (
        "Đồng chí nào vắng mặt đề nghị báo cáo xin phép với đồng chí Bí thư chi bộ "
        f"(đồng chí {esc(data.secretary_name)}"
    )
    if clean(data.secretary_phone):
        leave += f", qua điện thoại {esc(data.secretary_phone)}"
    leave += ") trước giờ họp."
    story.append(Paragraph(leave, styles.body))
    if clean(data.closing_note):
        story.append(Paragraph(esc(data.closing_note), styles.body))
    signature = signature_block(
        styles,
        width=width,
        right=Signer(data.signer_role, clean(data.secretary_name), on_behalf=on_behalf),
        recipients=list(data.recipients),
    )
    keep_with_previous(story, signature)
    return story


def invitation_pdf(data: InvitationData, *, large_print: bool = False) -> bytes:
    """The invitation as PDF bytes. A letter that would spill a sentence and the signature
    onto a second page is set with tighter spacing, so it stays on one sheet."""

    def build(compact: bool) -> bytes:
        return build_pdf(
            invitation_story(data, large_print=large_print, compact=compact),
            title=f"{clean(data.title)} — {clean(data.meeting_name)}",
            subject=clean(data.header.branch),
            large_print=large_print,
        )

    pdf = build(False)
    if page_count(pdf) == 2:
        tight = build(True)
        if page_count(tight) == 1:
            return tight
    return pdf

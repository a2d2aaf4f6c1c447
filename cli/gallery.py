"""Every kind of PDF the program prints, from one realistic book.

Used by the paperwork test (every date, phone and card number printed whole) and by
scripts/contact_sheet.py (the pages rendered side by side in docs/). The book is the demo
branch with 45 members, one of them introduced to attend elsewhere, a study campaign with
results, an answered feedback and a monthly report submitted upward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.book import Book

MEMBER_COUNT = 45


def sample_book(folder: Path, *, count: int = MEMBER_COUNT) -> Book:
    """The demo branch with `count` members, and a little of everything printed."""
    from app.demo import create_demo_book
    from app.services import feedback, members, study, upward_reports
    from app.vocab import MemberStatus

    book = create_demo_book(folder, count=count)
    people = members.list_members(book)
    # One member introduced to attend elsewhere for a while (counted apart in the minutes).
    away = [m for m in people if m.status == MemberStatus.OFFICIAL.value][-1]
    from dataclasses import replace

    members.update(
        book,
        member_id=away.id,
        data=replace(away.to_input(), status=MemberStatus.AWAY.value),
        reason="Giới thiệu sinh hoạt tạm thời nơi khác",
    )
    waiting = feedback.waiting(book)
    if waiting:
        feedback.answer(
            book,
            feedback_id=waiting[0].id,
            text="Chi ủy đã thống nhất in tài liệu sinh hoạt cỡ chữ 18 cho các đồng chí cao "
            "tuổi từ kỳ sinh hoạt tới; đồng chí tổ trưởng tổ đảng số 2 chuyển tận nhà.",
            answered_by="Chi ủy chi bộ",
        )
    today = dt.date.today()
    campaign = study.create_campaign(
        book,
        data=study.CampaignInput(
            title="Học tập, quán triệt Nghị quyết số 57-NQ/TW",
            resolutions="Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
            starts_on=today - dt.timedelta(days=40),
            ends_on=today - dt.timedelta(days=5),
            presenter="Trần Văn Bình",
        ),
    )
    for index, participant in enumerate(study.participants(book, campaign_id=campaign.id)):
        done = index % 5 != 0
        study.record_result(
            book,
            participant_id=participant.id,
            attended=index % 7 != 0,
            submitted=done,
            submitted_on=today - dt.timedelta(days=10 + index % 9) if done else None,
            grade="Đạt" if done else None,
            score=float(7 + index % 4) if done else None,
        )
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    upward_reports.draft(book, kind="monthly", period=last_month)
    return book


def every_pdf(book: Book, *, today: dt.date | None = None) -> dict[str, bytes]:
    """Each kind of PDF, by a short name ("member_list_large", "minutes_blank"...)."""
    from app.services import documents, feedback, meetings, study, upward_reports
    from reports import printing

    today = today or dt.date.today()
    out: dict[str, bytes] = {}

    def add(name: str, make: Callable[[], bytes]) -> None:
        out[name] = make()

    add("member_list", lambda: printing.member_list_pdf(book, today=today))
    add("member_list_large", lambda: printing.member_list_pdf(book, today=today, large_print=True))
    award = _badge_day(book, today)
    add("badges", lambda: printing.badges_pdf(book, award_date=award, today=today))
    add(
        "badges_large",
        lambda: printing.badges_pdf(book, award_date=award, today=today, large_print=True),
    )
    from app.services import meeting_papers

    year = max(m.starts_at.year for m in meetings.list_meetings(book) if m.is_closed)
    stats = meeting_papers.attendance_report_paper(book, year=year)
    add("stats", lambda: printing.table_pdf(stats))
    add("stats_large", lambda: printing.table_pdf(stats, large_print=True))
    campaign = study.list_campaigns(book)[0]
    report = study.results_report(book, campaign_id=campaign.id, made_on=today)
    add("study", lambda: printing.study_report_pdf(report))
    add("study_large", lambda: printing.study_report_pdf(report, large_print=True))
    listed = meetings.list_meetings(book)
    held = [m for m in listed if m.is_closed]
    ahead = [m for m in listed if not m.is_closed]
    last = max(held, key=lambda m: m.starts_at)
    for kind in printing.PAPER_KINDS:
        out[kind] = printing.meeting_pdf(book, meeting_id=last.id, kind=kind)
    if ahead:
        nxt = ahead[0]
        for kind in printing.PAPER_KINDS:
            out[f"{kind}_blank"] = printing.meeting_pdf(book, meeting_id=nxt.id, kind=kind)
        add(
            "signin_blank_large",
            lambda: printing.meeting_pdf(book, meeting_id=nxt.id, kind="signin", large_print=True),
        )
    add(
        "minutes_large",
        lambda: printing.meeting_pdf(book, meeting_id=last.id, kind="minutes", large_print=True),
    )
    for item in upward_reports.list_reports(book):
        paper = upward_reports.paper(book, report_id=item.id)
        out["report_upward"] = printing.report_pdf(paper)
        break
    answered = feedback.list_feedback(book, state="answered")
    if answered:
        paper_a = feedback.answer_paper(book, feedback_id=answered[0].id, on=today)
        add("feedback_answer", lambda: printing.answer_pdf(paper_a))
    docs = documents.list_documents(book)
    if docs:
        doc = docs[0]
        heading, body = documents.reading_text(book, document_id=doc.id, summary_only=False)
        add(
            "document_large",
            lambda: printing.document_pdf(
                doc, heading=heading, body=body, large=True, summary=False
            ),
        )
        add(
            "document",
            lambda: printing.document_pdf(
                doc, heading=heading, body=body, large=False, summary=False
            ),
        )
    from reports.recovery_sheet import recovery_key_pdf

    info = book.branch()
    add(
        "recovery_sheet",
        lambda: recovery_key_pdf(
            branch_name=info.name,
            committee=info.committee,
            recovery_key="ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789",
            book_id=book.book_id,
            created=today,
        ),
    )
    _dues(book, out, today)
    return out


def _badge_day(book: Book, today: dt.date) -> dt.date:
    """The next presentation day on which someone in the book is due a badge."""
    from app.services import milestones

    day = milestones.next_award_date(today)
    for _ in range(40):
        if milestones.badges_due(book, award_date=day):
            return day
        day = milestones.next_award_date(day + dt.timedelta(days=1))
    return milestones.next_award_date(today)


def _dues(book: Book, out: dict[str, bytes], today: dt.date) -> None:
    """The dues year book, when the dues module is present."""
    try:
        from app.services import dues
        from reports.dues import year_book_pdf
    except ImportError:
        return
    from reports.layout import DocHeader

    info = book.branch()
    header = DocHeader(
        committee=info.committee, branch=info.name, place=info.place_name, date=today
    )
    data = dues.year_book(book, year=today.year)
    out["dues_year_book"] = year_book_pdf(data, header, secretary=info.secretary_name)

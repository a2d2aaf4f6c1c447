"""Who invites to a meeting: the invitation's body and its signature name the same sender.

A branch with 9 or more official members has a chi ủy, which invites and signs "T/M CHI ỦY";
a smaller one has only a bí thư: the chi bộ invites and signs "T/M CHI BỘ".
"""

from __future__ import annotations

import datetime as dt

from app.book import Book
from app.services import meeting_papers, members
from app.services.members import MemberInput
from reports import printing
from reports.invitation import InvitationData, invitation_pdf
from reports.layout import DocHeader
from tests.app.test_meetings_support import make_branch, new_meeting, pdf_text


def _text(data: bytes) -> str:
    return " ".join(" ".join(pdf_text(data)).split())


def _render(paper: meeting_papers.InvitationPaper) -> str:
    """The invitation as printed from the service's paper, the sender included."""
    h = paper.header
    data = InvitationData(
        header=DocHeader(h.committee, h.branch, h.place, h.date, h.number),
        meeting_name=paper.meeting_name,
        starts_at=paper.starts_at,
        place=paper.place,
        secretary_name=paper.secretary_name,
        by_committee=paper.by_committee,
    )
    return _text(invitation_pdf(data))


EXTRA = ("Mai Văn An", "Lưu Thị Bé", "Tôn Văn Cường", "Kiều Thị Dung")


def _add_official(book: Book, names: tuple[str, ...]) -> None:
    for name in names:
        members.create(
            book,
            data=MemberInput(full_name=name, status="chinh_thuc", birth_date=dt.date(1960, 1, 2)),
        )


def test_small_branch_invites_as_the_chi_bo(book: Book) -> None:
    make_branch(book)  # 6 official members (one exempted)
    assert not meeting_papers.has_chi_uy(book)
    m = new_meeting(book, at=dt.datetime.now() + dt.timedelta(days=3))
    paper = meeting_papers.invitation_paper(book, meeting_id=m.id)
    assert not paper.by_committee
    text = _render(paper)
    branch = book.branch().name
    assert f"{branch} trân trọng kính mời" in text
    assert "Chi ủy" not in text and "CHI ỦY" not in text
    assert "T/M CHI BỘ" in text


def test_branch_with_a_chi_uy_invites_as_the_chi_uy(book: Book) -> None:
    make_branch(book)
    _add_official(book, EXTRA[:2])  # 8 official members: still no chi ủy
    assert not meeting_papers.has_chi_uy(book)
    _add_official(book, EXTRA[2:3])  # 9
    assert meeting_papers.has_chi_uy(book)
    m = new_meeting(book, at=dt.datetime.now() + dt.timedelta(days=3))
    paper = meeting_papers.invitation_paper(book, meeting_id=m.id)
    assert paper.by_committee
    text = _render(paper)
    assert f"Chi ủy {book.branch().name} trân trọng kính mời" in text
    assert "T/M CHI ỦY" in text and "T/M CHI BỘ" not in text


def test_chi_uy_meeting_is_called_by_the_chi_uy(book: Book) -> None:
    make_branch(book)
    m = new_meeting(book, kind="chi_uy", at=dt.datetime.now() + dt.timedelta(days=3))
    assert meeting_papers.invitation_paper(book, meeting_id=m.id).by_committee


def test_printed_invitation_names_one_sender(book: Book) -> None:
    """Through the printing seam the window and the CLI use: body and signature agree."""
    make_branch(book)
    _add_official(book, EXTRA[:3])
    m = new_meeting(book, at=dt.datetime.now() + dt.timedelta(days=3))
    text = _text(printing.meeting_pdf(book, meeting_id=m.id, kind="invitation"))
    branch = book.branch().name
    assert meeting_papers.has_chi_uy(book)  # 9 official members
    assert f"Chi ủy {branch} trân trọng kính mời" in text
    assert "T/M CHI ỦY" in text and "T/M CHI BỘ" not in text

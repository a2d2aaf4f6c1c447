"""Every table model in ui/ passes Qt's model tester, filled with a real branch's data and empty.

The list below is checked against the source: a new table model in ui/ that is not tested
here fails `test_every_table_model_is_listed`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.book import Book
from app.importers import members_table
from app.services import (
    attendance,
    audit,
    documents,
    feedback,
    members,
    study,
    support,
    upward_reports,
)
from app.services.dashboard import AttentionItem
from app.services.feedback import FeedbackInput
from app.services.meetings import DiscussionEntry, VoteRecord
from app.services.study import CampaignInput
from app.services.support import HelpInput, SessionInput
from app.services.sync_state import Problem
from app.vocab import AttendanceMark
from tests.app.test_meetings_support import Branch, days_ago, make_branch, new_meeting
from ui.book.history_dialog import HistoryModel
from ui.documents.model import DocumentsModel, SearchModel
from ui.dues.model import ImportRowsModel, SettingHistoryModel, SheetItem, SheetModel
from ui.feedback.model import FeedbackModel
from ui.meetings.attendance_models import MemberStatsModel, PeriodStatsModel
from ui.meetings.attendance_stats import AttendanceStatsDialog
from ui.meetings.minutes_models import DiscussionModel, VotesModel
from ui.meetings.model import MeetingsModel
from ui.meetings.roll_call_model import RollCallModel
from ui.members.history_dialog import MemberHistoryModel
from ui.members.import_wizard import ImportPreviewModel
from ui.members.model import MembersTableModel
from ui.overview.attention_model import AttentionModel
from ui.qt import QtCore
from ui.reports.model import ReportsModel
from ui.study.model import CampaignsModel, ParticipantsModel
from ui.support.models import BoardModel, SessionsModel
from ui.sync.model import ProblemsModel, VersionsModel
from ui.widgets.section import AppContext

UI = Path(__file__).resolve().parents[2] / "ui"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "danh_sach_dang_vien_mau.xlsx"


def _problem() -> Problem:
    return Problem(
        kind="conflict",
        op_id="op-1",
        entity="member",
        entity_id="m-1",
        label="Đảng viên Nguyễn Thị Hòa",
        reason="Máy chủ đã có bản mới hơn do Đảng ủy phường sửa.",
        mine={"full_name": "Nguyễn Thị Hòa", "phone": "0912345678", "status": "chinh_thuc"},
        theirs={"full_name": "Nguyễn Thị Hòa", "phone": "0987654321", "status": "chinh_thuc"},
        server_version=3,
        server_deleted=False,
        created_at=dt.datetime(2025, 11, 3, 8, 15),
        op_ids=("op-1",),
    )


def _filled(book: Book, tmp_path: Path) -> tuple[Branch, str]:
    """A branch with a held meeting, a document, feedback, a study campaign, a support
    session and a drafted report; returns the branch and the meeting's id."""
    branch = make_branch(book)
    meeting = new_meeting(book, at=days_ago(3))
    attendance.mark(
        book,
        meeting_id=meeting.id,
        member_id=branch.id("Võ Thị Sáu"),
        status=AttendanceMark.EXCUSED,
        reason="ốm",
    )
    attendance.mark_remaining_present(book, meeting_id=meeting.id)
    text = tmp_path / "nghi-quyet.txt"
    text.write_text(
        "NGHỊ QUYẾT số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
        "và chuyển đổi số quốc gia.",
        encoding="utf-8",
    )
    documents.import_file(book, path=text)
    hoa = branch.id("Nguyễn Thị Hòa")
    feedback.add(
        book,
        data=FeedbackInput(
            member_id=hoa,
            kind="phan_anh",
            content="Đèn đường hẻm 5 bị hỏng đã hai tuần,\nđề nghị chi bộ báo phường.",
            channel="dien_thoai",
        ),
    )
    study.create_campaign(
        book,
        data=CampaignInput(
            title="Học tập Nghị quyết số 57-NQ/TW",
            starts_on=dt.date.today() - dt.timedelta(days=10),
            ends_on=dt.date.today() + dt.timedelta(days=20),
        ),
    )
    support.create_session(
        book,
        data=SessionInput(
            held_on=dt.date.today() - dt.timedelta(days=1),
            place="Nhà văn hóa khu phố 3",
            helpers="Đoàn viên Lê Minh",
            attendees=[HelpInput(member_id=hoa, actions=("cai_dat", "dang_ky"))],
        ),
    )
    upward_reports.draft(book, kind="monthly", period=f"{dt.date.today():%Y-%m}")
    return branch, meeting.id


def _models(ctx: AppContext, tmp_path: Path, qtbot: Any) -> dict[str, QtCore.QAbstractTableModel]:
    book = ctx.book
    branch, meeting_id = _filled(book, tmp_path)
    out: dict[str, QtCore.QAbstractTableModel] = {}

    register = MembersTableModel(book)
    register.reload()
    out["MembersTableModel"] = register
    member_history = MemberHistoryModel()
    member_history.set_rows(members.history(book, member_id=branch.id("Nguyễn Thị Hòa")))
    out["MemberHistoryModel"] = member_history
    preview = ImportPreviewModel()
    preview.set_report(members_table.preview(book, members_table.load(SAMPLE)))
    out["ImportPreviewModel"] = preview
    history = HistoryModel()
    history.set_rows(audit.history(book))
    out["HistoryModel"] = history

    from app.services import meetings

    meeting_list = MeetingsModel()
    meeting_list.set_items(meetings.summaries(book))
    out["MeetingsModel"] = meeting_list
    call = attendance.roll_call(book, meeting_id=meeting_id)
    roll = RollCallModel()
    roll.set_rows(list(call.rows))
    out["RollCallModel"] = roll
    discussion = DiscussionModel()
    discussion.set_entries(
        [
            DiscussionEntry("Đồng chí Trần Văn Bình", "Đề nghị sửa đèn đường hẻm 5."),
            DiscussionEntry("Đồng chí Nguyễn Thị Hòa", "Nhất trí, giao tổ dân phố theo dõi."),
        ]
    )
    out["DiscussionModel"] = discussion
    votes = VotesModel()
    votes.set_votes(
        [VoteRecord("Thông qua nghị quyết tháng", 6), VoteRecord("Kết nạp", 3, 3)], None
    )
    out["VotesModel"] = votes
    stats = AttendanceStatsDialog(ctx, year=dt.date.today().year)
    qtbot.addWidget(stats)
    out["MemberStatsModel"] = stats.members
    out["PeriodStatsModel"] = stats.periods

    attention = AttentionModel()
    attention.set_items(
        [
            AttentionItem(
                branch.id("Võ Thị Sáu"), "Võ Thị Sáu", "absent", "Vắng 3 lần liên tiếp", True
            ),
            AttentionItem(
                branch.id("Nguyễn Thị Hòa"), "Nguyễn Thị Hòa", "badge", "Sắp nhận huy hiệu", False
            ),
        ]
    )
    out["AttentionModel"] = attention

    library = DocumentsModel()
    library.set_items(documents.list_documents(book))
    out["DocumentsModel"] = library
    results = SearchModel()
    results.set_items(documents.search(book, query="chuyen doi so").hits)
    out["SearchModel"] = results

    campaigns = CampaignsModel()
    campaigns.set_items(study.list_campaigns(book))
    out["CampaignsModel"] = campaigns
    participants = ParticipantsModel()
    participants.set_items(
        study.participants(book, campaign_id=campaigns.items[0].id), editable=True
    )
    out["ParticipantsModel"] = participants

    feedback_list = FeedbackModel()
    feedback_list.set_items(feedback.list_feedback(book))
    out["FeedbackModel"] = feedback_list
    board = BoardModel()
    board.set_items(support.onboarding_board(book).not_yet)
    out["BoardModel"] = board
    sessions = SessionsModel()
    sessions.set_items(support.list_sessions(book))
    out["SessionsModel"] = sessions

    reports = ReportsModel()
    reports.set_items(upward_reports.list_reports(book))
    out["ReportsModel"] = reports

    problems = ProblemsModel()
    problems.set_items([_problem()])
    out["ProblemsModel"] = problems
    versions = VersionsModel()
    versions.set_problem(_problem())
    out["VersionsModel"] = versions

    from app.services import dues
    from app.services.dues import ImportRow

    month = f"{dt.date.today():%Y-%m}"
    hoa = branch.id("Nguyễn Thị Hòa")
    dues.set_setting(book, member=hoa, basis="salary", income=5_234_000, effective_from=month)
    dues.pay(book, member=hoa, months=[month], via="cash")
    sheet = SheetModel()
    sheet.set_items(
        [
            SheetItem(i, row, (month,) if not row.is_paid else ())
            for i, row in enumerate(dues.month_sheet(book, month=month).rows, start=1)
        ]
    )
    out["SheetModel"] = sheet
    dues_history = SettingHistoryModel()
    dues_history.set_items(dues.history(book, member=hoa))
    out["SettingHistoryModel"] = dues_history
    dues_import = ImportRowsModel()
    dues_import.set_items(
        [
            ImportRow(2, "Nguyễn Thị Hòa", hoa, (month,), 52_000, "DVC-1", dt.date.today(),
                      "new", "Nguyễn Thị Hòa: 52.000 đ"),
        ]
    )  # fmt: skip
    out["ImportRowsModel"] = dues_import
    return out


ROLES = [QtCore.Qt.ItemDataRole(r) for r in range(0, 14)] + [
    QtCore.Qt.ItemDataRole.UserRole + 1,
    QtCore.Qt.ItemDataRole.UserRole + 2,
]


def _read_every_cell(model: QtCore.QAbstractTableModel) -> None:
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            model.flags(index)
            for role in ROLES:
                model.data(index, role)


EMPTY: dict[str, Callable[[Book], QtCore.QAbstractTableModel]] = {
    "MembersTableModel": MembersTableModel,
    "MemberHistoryModel": lambda _book: MemberHistoryModel(),
    "ImportPreviewModel": lambda _book: ImportPreviewModel(),
    "HistoryModel": lambda _book: HistoryModel(),
    "MeetingsModel": lambda _book: MeetingsModel(),
    "RollCallModel": lambda _book: RollCallModel(),
    "DiscussionModel": lambda _book: DiscussionModel(),
    "VotesModel": lambda _book: VotesModel(),
    "MemberStatsModel": lambda _book: MemberStatsModel(),
    "PeriodStatsModel": lambda _book: PeriodStatsModel(),
    "AttentionModel": lambda _book: AttentionModel(),
    "DocumentsModel": lambda _book: DocumentsModel(),
    "SearchModel": lambda _book: SearchModel(),
    "CampaignsModel": lambda _book: CampaignsModel(),
    "ParticipantsModel": lambda _book: ParticipantsModel(),
    "FeedbackModel": lambda _book: FeedbackModel(),
    "BoardModel": lambda _book: BoardModel(),
    "SessionsModel": lambda _book: SessionsModel(),
    "ReportsModel": lambda _book: ReportsModel(),
    "ProblemsModel": lambda _book: ProblemsModel(),
    "VersionsModel": lambda _book: VersionsModel(),
    "SheetModel": lambda _book: SheetModel(),
    "SettingHistoryModel": lambda _book: SettingHistoryModel(),
    "ImportRowsModel": lambda _book: ImportRowsModel(),
}


def test_every_table_model_is_listed() -> None:
    defined = set()
    for path in UI.rglob("*.py"):
        found = re.findall(
            r"^class (\w+)\((?:QtCore\.QAbstractTableModel|ListTableModel\[[^\]]+\])\)",
            path.read_text(encoding="utf-8"),
            re.M,
        )
        defined.update(found)
    assert defined == set(EMPTY)


def test_every_table_model_with_a_branchs_data(
    ctx: AppContext, tmp_path: Path, qtbot: Any, qtmodeltester: Any
) -> None:
    models = _models(ctx, tmp_path, qtbot)
    assert set(models) == set(EMPTY)
    for name, model in models.items():
        assert model.rowCount() > 0, name
        assert model.columnCount() > 0, name
        header = model.headerData(0, QtCore.Qt.Orientation.Horizontal)
        assert isinstance(header, str) and header, name
        _read_every_cell(model)  # a Python error shows here, not as a tester crash
        qtmodeltester.check(model)
    # What the user reads in a few of them.
    meeting_row = models["MeetingsModel"]
    assert meeting_row.index(0, 4).data() == "6/7"
    versions = models["VersionsModel"]
    assert versions.index(0, 1).data() == "0912345678"  # the differing field comes first
    assert versions.index(0, 2).data() == "0987654321"
    assert models["SearchModel"].index(0, 0).data().startswith("NGHỊ QUYẾT")


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_every_table_model_empty(name: str, book: Book, qapp: Any, qtmodeltester: Any) -> None:
    model = EMPTY[name](book)
    if isinstance(model, MembersTableModel):
        model.reload()
    assert model.rowCount() == 0
    qtmodeltester.check(model)

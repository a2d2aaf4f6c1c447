"""Study campaigns: participants, per-member results, progress, reports (PDF and .xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.book import Book, open_book
from app.errors import ConflictError, ValidationError
from app.models import OutboxEntry
from app.services import documents, members, study
from tests.app.document_files import make_pdf, write
from tests.conftest import TEST_PASSWORD

PEOPLE = [
    ("Nguyễn Văn An", "chinh_thuc"),
    ("Trần Thị Bình", "chinh_thuc"),
    ("Lê Văn Cường", "du_bi"),
    ("Phạm Thị Dung", "sinh_hoat_tam_thoi"),
    ("Hoàng Văn Em", "mien_sinh_hoat"),  # exempted: does not take part
    ("Võ Văn Giang", "chuyen_di"),  # transferred out
]


@pytest.fixture
def member_ids(book: Book) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, status in PEOPLE:
        view = members.create(book, data=members.MemberInput(full_name=name, status=status))
        out[name] = view.id
    return out


def _campaign(book: Book, **kwargs: object) -> study.CampaignView:
    data = study.CampaignInput(
        title="Học tập, quán triệt Nghị quyết số 57-NQ/TW",
        resolutions="Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        starts_on=dt.date(2025, 11, 1),
        ends_on=dt.date(2025, 11, 30),
        session_at=dt.datetime(2025, 11, 8, 8, 0),
        place="Nhà văn hóa khu phố 3",
        presenter="Trần Văn Bình",
        submission_due=dt.date(2025, 11, 20),
    )
    for key, value in kwargs.items():
        setattr(data, key, value)
    return study.create_campaign(book, data=data)


def _by_name(book: Book, campaign_id: str) -> dict[str, study.ParticipantView]:
    return {p.full_name: p for p in study.participants(book, campaign_id=campaign_id)}


def test_participants_are_all_members_less_the_exempted(
    book: Book, member_ids: dict[str, str]
) -> None:
    campaign = _campaign(book)
    names = [p.full_name for p in study.participants(book, campaign_id=campaign.id)]
    # Vietnamese name order: by given name.
    assert names == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    assert campaign.progress.participants == 4
    assert campaign.period_label == "01/11/2025 – 30/11/2025"


def test_results_progress_and_persistence(
    book: Book, member_ids: dict[str, str], data_dir: Path
) -> None:
    campaign = _campaign(book)
    people = _by_name(book, campaign.id)
    assert (
        study.mark_attendance(
            book,
            campaign_id=campaign.id,
            member_ids=[
                member_ids["Nguyễn Văn An"],
                member_ids["Trần Thị Bình"],
                member_ids["Lê Văn Cường"],
            ],
        )
        == 3
    )
    study.record_result(
        book, participant_id=people["Nguyễn Văn An"].id, submitted=True, grade="Giỏi", score="9.5"
    )
    study.record_result(
        book,
        participant_id=people["Trần Thị Bình"].id,
        submitted_on=dt.date(2025, 11, 18),
        grade="kha",
        notes="Nộp bản viết tay",
    )
    progress = study.progress(book, campaign_id=campaign.id)
    assert (progress.participants, progress.attended, progress.submitted, progress.graded) == (
        4,
        3,
        2,
        2,
    )
    assert progress.attended_pct == 75.0 and progress.submitted_pct == 50.0
    assert progress.by_grade["gioi"] == 1 and progress.by_grade["kha"] == 1
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        people = _by_name(again, campaign.id)
        binh = people["Trần Thị Bình"]
        assert (binh.submitted, binh.submitted_on, binh.grade_label, binh.notes) == (
            True,
            dt.date(2025, 11, 18),
            "Khá",
            "Nộp bản viết tay",
        )
        assert people["Nguyễn Văn An"].score == 9.5
        assert not people["Phạm Thị Dung"].attended
        listed = study.list_campaigns(again)
        assert [c.progress.submitted for c in listed] == [2]
    finally:
        again.close()


def test_results_go_to_the_sync_outbox(book: Book, member_ids: dict[str, str]) -> None:
    campaign = _campaign(book)
    person = _by_name(book, campaign.id)["Lê Văn Cường"]
    study.record_result(book, participant_id=person.id, attended=True, submitted=True, grade="dat")
    with book.read_session() as s:
        rows = s.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == person.id).order_by(OutboxEntry.seq)
        ).all()
    assert [r.entity for r in rows] == ["study_participant", "study_participant"]
    last = json.loads(rows[-1].fields_json)
    assert (
        last["grade"] == "dat"
        and last["submitted"] is True
        and last["member_id"] == member_ids["Lê Văn Cường"]
    )
    assert rows[-1].version == 2


def test_bad_results_are_refused(book: Book, member_ids: dict[str, str]) -> None:
    campaign = _campaign(book)
    person = _by_name(book, campaign.id)["Nguyễn Văn An"]
    with pytest.raises(ValidationError, match="chưa nộp thu hoạch") as info:
        study.record_result(book, participant_id=person.id, grade="Giỏi")
    assert info.value.field == "grade"
    with pytest.raises(ValidationError, match="Xếp loại phải là"):
        study.record_result(book, participant_id=person.id, submitted=True, grade="Siêu")
    with pytest.raises(ValidationError, match="Điểm phải từ 0 đến 10"):
        study.record_result(book, participant_id=person.id, submitted=True, score=11)
    with pytest.raises(ValidationError, match="tên đợt học tập"):
        study.create_campaign(book, data=study.CampaignInput(title=" "))
    with pytest.raises(ValidationError, match="Ngày kết thúc"):
        study.create_campaign(
            book,
            data=study.CampaignInput(
                title="Đợt 2", starts_on=dt.date(2025, 5, 2), ends_on=dt.date(2025, 5, 1)
            ),
        )


def test_closed_campaign_refuses_changes_until_reopened(
    book: Book, member_ids: dict[str, str]
) -> None:
    campaign = _campaign(book)
    person = _by_name(book, campaign.id)["Nguyễn Văn An"]
    closed = study.set_state(book, campaign_id=campaign.id, state="closed")
    assert closed.state_label == "Đã kết thúc"
    with pytest.raises(ConflictError, match="đã kết thúc"):
        study.record_result(book, participant_id=person.id, attended=True)
    study.set_state(book, campaign_id=campaign.id, state="open")
    assert study.record_result(book, participant_id=person.id, attended=True).attended


def test_new_members_can_be_added_later(book: Book, member_ids: dict[str, str]) -> None:
    campaign = _campaign(book)
    members.create(book, data=members.MemberInput(full_name="Đặng Văn Hải", status="du_bi"))
    added = study.add_participants(book, campaign_id=campaign.id)
    assert [p.full_name for p in added] == ["Đặng Văn Hải"]
    assert study.add_participants(book, campaign_id=campaign.id) == []
    assert study.progress(book, campaign_id=campaign.id).participants == 5
    study.remove_participant(book, participant_id=added[0].id, reason="Chuyển sinh hoạt")
    assert study.progress(book, campaign_id=campaign.id).participants == 4


def test_campaign_names_its_library_documents(
    book: Book, member_ids: dict[str, str], tmp_path: Path
) -> None:
    pdf = write(
        tmp_path / "nq57.pdf",
        make_pdf([["BỘ CHÍNH TRỊ", "Số 57-NQ/TW", "Hà Nội, ngày 22 tháng 12 năm 2024", "", "NGHỊ QUYẾT",
                   "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"]]),
    )  # fmt: skip
    doc = documents.import_file(book, path=pdf).document
    assert doc is not None
    campaign = _campaign(book, resolutions="", document_ids=[doc.id])
    assert campaign.document_ids == (doc.id,)
    assert "(số 57-NQ/TW)" in campaign.resolutions


def _recorded_campaign(book: Book) -> study.CampaignView:
    campaign = _campaign(book)
    people = _by_name(book, campaign.id)
    study.record_result(
        book,
        participant_id=people["Nguyễn Văn An"].id,
        attended=True,
        submitted=True,
        grade="gioi",
        score=9,
    )
    study.record_result(book, participant_id=people["Trần Thị Bình"].id, attended=True)
    return campaign


def test_results_report_as_xlsx_has_every_member_and_totals(
    book: Book, member_ids: dict[str, str], tmp_path: Path
) -> None:
    from app.exporters.study_xlsx import write_study_xlsx

    campaign = _recorded_campaign(book)
    report = study.results_report(book, campaign_id=campaign.id, made_on=dt.date(2025, 12, 1))
    path = write_study_xlsx(report, tmp_path / "ket-qua.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = values.index(list(study.StudyReport.COLUMNS))
    body = values[header + 1 : header + 5]
    assert [r[1] for r in body] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
    ]
    assert body[0][2] == "x" and str(body[0][3]).startswith("x (")  # submitted today
    assert list(body[0][4:6]) == ["Giỏi", 9]
    assert list(body[2][2:6]) == [None, None, None, None]
    totals = values[header + 5]
    assert list(totals[1:5]) == ["Cộng", 2, 1, 1]
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    assert "Dự học tập: 2 đồng chí (50%)" in flat


def test_results_report_as_pdf(book: Book, member_ids: dict[str, str]) -> None:
    from reports.printing import study_report_pdf

    campaign = _recorded_campaign(book)
    report = study.results_report(book, campaign_id=campaign.id, made_on=dt.date(2025, 12, 1))
    reader = PdfReader(io.BytesIO(study_report_pdf(report)))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "KẾT QUẢ HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT" in text
    assert "Học tập, quán triệt Nghị quyết số 57-NQ/TW" in text
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"):
        assert name in text
    assert "Hoàng Văn Em" not in text  # exempted
    assert "Giỏi" in text
    assert "Nộp thu hoạch: 1 đồng chí (25%)" in text


def test_study_cli(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env.update(
        {
            "SOTAY_DATA_DIR": str(tmp_path / "so"),
            "SOTAY_KDF_PROFILE": "test",
            "SOTAY_PASSWORD": TEST_PASSWORD,
        }
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            timeout=120,
        )

    assert (
        run(
            "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn"
        ).returncode
        == 0
    )
    book = open_book(tmp_path / "so", password=TEST_PASSWORD)
    try:
        for name, status in PEOPLE[:5]:
            members.create(book, data=members.MemberInput(full_name=name, status=status))
    finally:
        book.close()
    created = run(
        "study", "create", "--title", "Học tập Nghị quyết 57", "--from", "01/11/2025", "--json"
    )
    assert created.returncode == 0, created.stderr
    cid = json.loads(created.stdout)["id"]
    assert json.loads(created.stdout)["progress"]["participants"] == 4
    result = run(
        "study",
        "record",
        cid[:8],
        "--member",
        "tran thi binh",
        "--attended",
        "yes",
        "--submitted",
        "yes",
        "--grade",
        "Khá",
    )
    assert result.returncode == 0, result.stderr
    assert "Trần Thị Bình" in result.stdout
    bad = run("study", "record", cid[:8], "--member", "binh", "--grade", "Siêu")
    assert bad.returncode == 2 and bad.stderr.strip().startswith("Xếp loại phải là")
    shown = json.loads(run("study", "show", cid, "--json").stdout)
    assert shown["progress"]["attended"] == 1 and shown["progress"]["submitted"] == 1
    assert [
        p["grade_label"] for p in shown["participants"] if p["full_name"] == "Trần Thị Bình"
    ] == ["Khá"]
    out = tmp_path / "bc.xlsx"
    assert run("study", "report", cid[:8], "-o", str(out)).returncode == 0
    assert out.exists()
    wrong = run("study", "report", cid[:8], "-o", str(tmp_path / "bc.doc"))
    assert wrong.returncode == 2 and "đuôi .pdf hoặc .xlsx" in wrong.stderr

"""Study campaigns (đợt học tập, quán triệt nghị quyết): who takes part, who attended the
study session, who handed in the thu hoạch (written reflection), how it was graded.

Participants are all the branch's members less the exempted (miễn sinh hoạt) and those who
left; members who join later can be added. Every write is audited and queued for sync, so the
results go up to the committee.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError, ValidationError
from app.models import Document, Member, StudyCampaign, StudyParticipant
from app.models.member import MEMBER_STATUSES
from app.models.study import CAMPAIGN_STATES, STUDY_GRADES
from app.services import changes
from app.text import clean, fold, nfc
from app.vocab import Entity, MemberStatus

if TYPE_CHECKING:
    from app.book import Book

MAX_SCORE = 10.0  # [uncertain] a score out of 10, recorded beside the grade when used


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass
class CampaignInput:
    title: str
    resolutions: str = ""  # the resolutions studied, one per line ("Nghị quyết số 57-NQ/TW ...")
    document_ids: Sequence[str] = ()  # library documents studied
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    session_at: dt.datetime | None = None  # the study session (buổi học tập)
    place: str = ""
    presenter: str = ""  # báo cáo viên
    submission_due: dt.date | None = None  # hạn nộp thu hoạch
    notes: str = ""


@dataclass(frozen=True)
class StudyProgress:
    participants: int = 0
    attended: int = 0
    submitted: int = 0
    graded: int = 0
    by_grade: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _pct(n: int, total: int) -> float:
        return round(100.0 * n / total, 1) if total else 0.0

    @property
    def attended_pct(self) -> float:
        return self._pct(self.attended, self.participants)

    @property
    def submitted_pct(self) -> float:
        return self._pct(self.submitted, self.participants)

    @property
    def graded_pct(self) -> float:
        return self._pct(self.graded, self.participants)

    def to_json(self) -> dict[str, Any]:
        return {
            "participants": self.participants,
            "attended": self.attended,
            "submitted": self.submitted,
            "graded": self.graded,
            "attended_pct": self.attended_pct,
            "submitted_pct": self.submitted_pct,
            "by_grade": {STUDY_GRADES.get(k, k): v for k, v in self.by_grade.items()},
        }


@dataclass(frozen=True)
class CampaignView:
    id: str
    title: str
    resolutions: str
    document_ids: tuple[str, ...]
    starts_on: dt.date | None
    ends_on: dt.date | None
    session_at: dt.datetime | None
    place: str
    presenter: str
    submission_due: dt.date | None
    state: str
    notes: str
    version: int
    progress: StudyProgress

    @property
    def state_label(self) -> str:
        return CAMPAIGN_STATES.get(self.state, self.state)

    @property
    def period_label(self) -> str:
        if self.starts_on and self.ends_on:
            return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"
        if self.starts_on:
            return f"từ {self.starts_on:%d/%m/%Y}"
        if self.ends_on:
            return f"đến {self.ends_on:%d/%m/%Y}"
        return ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "resolutions": self.resolutions,
            "document_ids": list(self.document_ids),
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "session_at": self.session_at.isoformat(timespec="minutes")
            if self.session_at
            else None,
            "place": self.place,
            "presenter": self.presenter,
            "submission_due": self.submission_due.isoformat() if self.submission_due else None,
            "state": self.state,
            "notes": self.notes,
            "progress": self.progress.to_json(),
        }


@dataclass(frozen=True)
class ParticipantView:
    id: str
    campaign_id: str
    member_id: str
    full_name: str
    member_status: str
    attended: bool
    submitted: bool
    submitted_on: dt.date | None
    grade: str
    score: float | None
    notes: str
    version: int

    @property
    def grade_label(self) -> str:
        return STUDY_GRADES.get(self.grade, self.grade)

    @property
    def member_status_label(self) -> str:
        return MEMBER_STATUSES.get(self.member_status, self.member_status)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "member_id": self.member_id,
            "full_name": self.full_name,
            "member_status": self.member_status,
            "attended": self.attended,
            "submitted": self.submitted,
            "submitted_on": self.submitted_on.isoformat() if self.submitted_on else None,
            "grade": self.grade,
            "grade_label": self.grade_label,
            "score": self.score,
            "notes": self.notes,
        }


# -- helpers ---------------------------------------------------------------------------------
def _progress_for(s: Session, campaign_ids: Sequence[str]) -> dict[str, StudyProgress]:
    if not campaign_ids:
        return {}
    p = StudyParticipant
    rows = s.execute(
        select(
            p.campaign_id,
            func.count(p.id),
            func.sum(case((p.attended.is_(True), 1), else_=0)),
            func.sum(case((p.submitted.is_(True), 1), else_=0)),
            func.sum(case((p.grade != "", 1), else_=0)),
        )
        .where(p.campaign_id.in_(list(campaign_ids)), p.deleted_at.is_(None))
        .group_by(p.campaign_id)
    ).all()
    grades = s.execute(
        select(p.campaign_id, p.grade, func.count(p.id))
        .where(p.campaign_id.in_(list(campaign_ids)), p.deleted_at.is_(None), p.grade != "")
        .group_by(p.campaign_id, p.grade)
    ).all()
    by_grade: dict[str, dict[str, int]] = {}
    for cid, grade, n in grades:
        by_grade.setdefault(cid, {})[grade] = int(n)
    out = {
        cid: StudyProgress(
            participants=int(total or 0),
            attended=int(att or 0),
            submitted=int(sub or 0),
            graded=int(gr or 0),
            by_grade={k: by_grade.get(cid, {}).get(k, 0) for k in STUDY_GRADES}
            | {k: v for k, v in by_grade.get(cid, {}).items() if k not in STUDY_GRADES},
        )
        for cid, total, att, sub, gr in rows
    }
    return {cid: out.get(cid, StudyProgress()) for cid in campaign_ids}


def _campaign_view(row: StudyCampaign, progress: StudyProgress) -> CampaignView:
    try:
        ids = tuple(str(x) for x in json.loads(row.document_ids_json or "[]"))
    except ValueError:
        ids = ()
    return CampaignView(
        id=row.id,
        title=row.title,
        resolutions=row.resolutions,
        document_ids=ids,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        session_at=row.session_at,
        place=row.place,
        presenter=row.presenter,
        submission_due=row.submission_due,
        state=row.state,
        notes=row.notes,
        version=row.version,
        progress=progress,
    )


def _participant_view(row: StudyParticipant, member: Member) -> ParticipantView:
    return ParticipantView(
        id=row.id,
        campaign_id=row.campaign_id,
        member_id=row.member_id,
        full_name=member.full_name,
        member_status=member.status,
        attended=row.attended,
        submitted=row.submitted,
        submitted_on=row.submitted_on,
        grade=row.grade,
        score=row.score,
        notes=row.notes,
        version=row.version,
    )


def _get_campaign(s: Session, campaign_id: str) -> StudyCampaign:
    row = s.get(StudyCampaign, campaign_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy đợt học tập có mã {campaign_id}.")
    return row


def _get_participant(s: Session, participant_id: str) -> StudyParticipant:
    row = s.get(StudyParticipant, participant_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy người học có mã {participant_id} trong đợt học tập.")
    return row


def _require_open(row: StudyCampaign) -> None:
    if row.state == "closed":
        raise ConflictError(
            f"Đợt học tập “{row.title}” đã kết thúc. Hãy mở lại đợt này trước khi sửa kết quả."
        )


def _normalise(s: Session, data: CampaignInput) -> CampaignInput:
    out = CampaignInput(
        title=clean(data.title),
        resolutions=nfc(data.resolutions or "").strip(),
        document_ids=tuple(dict.fromkeys(clean(i) for i in data.document_ids if clean(i))),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        session_at=data.session_at,
        place=clean(data.place),
        presenter=clean(data.presenter),
        submission_due=data.submission_due,
        notes=nfc(data.notes or "").strip(),
    )
    if not out.title:
        raise ValidationError("Vui lòng nhập tên đợt học tập.", field="title")
    if len(out.title) > 300:
        raise ValidationError("Tên đợt học tập dài quá 300 ký tự.", field="title")
    if out.starts_on and out.ends_on and out.ends_on < out.starts_on:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.", field="ends_on")
    if out.submission_due and out.starts_on and out.submission_due < out.starts_on:
        raise ValidationError("Hạn nộp thu hoạch phải sau ngày bắt đầu.", field="submission_due")
    for doc_id in out.document_ids:
        doc = s.get(Document, doc_id)
        if doc is None or doc.deleted_at is not None:
            raise ValidationError(
                f"Không tìm thấy tài liệu có mã {doc_id} trong thư viện.", field="document_ids"
            )
    if not out.resolutions and out.document_ids:
        lines = []
        for doc_id in out.document_ids:
            doc = s.get(Document, doc_id)
            assert doc is not None
            lines.append(f"{doc.title} (số {doc.number})" if doc.number else doc.title)
        out.resolutions = "\n".join(lines)
    return out


def _apply(row: StudyCampaign, data: CampaignInput) -> None:
    row.title = data.title
    row.resolutions = data.resolutions
    row.document_ids_json = json.dumps(list(data.document_ids))
    row.starts_on = data.starts_on
    row.ends_on = data.ends_on
    row.session_at = data.session_at
    row.place = data.place
    row.presenter = data.presenter
    row.submission_due = data.submission_due
    row.notes = data.notes


def eligible_member_ids(s: Session) -> list[str]:
    """Members who study: those who must attend (exempted members and those who left do not)."""
    q = (
        select(Member.id)
        .where(Member.deleted_at.is_(None), Member.status.in_(MemberStatus.attending()))
        .order_by(Member.name_sort, Member.id)
    )
    return list(s.scalars(q))


def _add_participant(s: Session, actor: str, campaign: StudyCampaign, member: Member) -> None:
    row = StudyParticipant(
        campaign_id=campaign.id,
        member_id=member.id,
        attended=False,
        submitted=False,
        submitted_on=None,
        grade="",
        score=None,
        notes="",
        version=1,
    )
    s.add(row)
    s.flush()
    changes.create(
        s,
        row,
        actor=actor,
        entity=Entity.STUDY_PARTICIPANT,
        summary=f"Thêm {member.full_name} vào đợt học tập “{campaign.title}”",
    )


# -- campaigns -------------------------------------------------------------------------------
def create_campaign(
    book: Book,
    *,
    data: CampaignInput,
    member_ids: Sequence[str] | None = None,
    actor: str | None = None,
) -> CampaignView:
    """A new campaign with its participants: `member_ids`, or every participating member."""
    who = actor or book.actor
    with book.session() as s:
        data = _normalise(s, data)
        row = StudyCampaign(state="open", version=1)
        _apply(row, data)
        s.add(row)
        s.flush()
        changes.create(
            s,
            row,
            actor=who,
            entity=Entity.STUDY_CAMPAIGN,
            summary=f"Tạo đợt học tập “{row.title}”",
        )
        ids = list(member_ids) if member_ids is not None else eligible_member_ids(s)
        for member_id in dict.fromkeys(ids):
            member = s.get(Member, member_id)
            if member is None or member.deleted_at is not None:
                raise ValidationError(
                    f"Không tìm thấy đảng viên có mã {member_id}.", field="member_ids"
                )
            _add_participant(s, who, row, member)
        s.flush()
        return _campaign_view(row, _progress_for(s, [row.id])[row.id])


def update_campaign(
    book: Book, *, campaign_id: str, data: CampaignInput, actor: str | None = None
) -> CampaignView:
    with book.session() as s:
        row = _get_campaign(s, campaign_id)
        data = _normalise(s, data)
        before = row.sync_fields()
        _apply(row, data)
        changes.update(
            s,
            row,
            actor=actor or book.actor,
            entity=Entity.STUDY_CAMPAIGN,
            summary=f"Sửa đợt học tập “{row.title}”",
            delta=changes.diff(before, row.sync_fields()),
        )
        return _campaign_view(row, _progress_for(s, [row.id])[row.id])


def set_state(
    book: Book, *, campaign_id: str, state: str, actor: str | None = None
) -> CampaignView:
    """Close (kết thúc) or reopen a campaign."""
    if state not in CAMPAIGN_STATES:
        raise ValidationError(f"Trạng thái không hợp lệ: {state}.", field="state")
    with book.session() as s:
        row = _get_campaign(s, campaign_id)
        if row.state != state:
            before = row.sync_fields()
            row.state = state
            verb = "Kết thúc" if state == "closed" else "Mở lại"
            changes.update(
                s,
                row,
                actor=actor or book.actor,
                action="close" if state == "closed" else "update",
                entity=Entity.STUDY_CAMPAIGN,
                summary=f"{verb} đợt học tập “{row.title}”",
                delta=changes.diff(before, row.sync_fields()),
            )
        return _campaign_view(row, _progress_for(s, [row.id])[row.id])


def remove_campaign(
    book: Book, *, campaign_id: str, reason: str = "", actor: str | None = None
) -> None:
    with book.session() as s:
        row = _get_campaign(s, campaign_id)
        changes.tombstone(
            s,
            row,
            actor=actor or book.actor,
            entity=Entity.STUDY_CAMPAIGN,
            summary=f"Xóa đợt học tập “{row.title}”",
            reason=reason,
        )


def get_campaign(book: Book, *, campaign_id: str) -> CampaignView:
    with book.read_session() as s:
        row = _get_campaign(s, campaign_id)
        return _campaign_view(row, _progress_for(s, [row.id])[row.id])


def list_campaigns(book: Book, *, state: str | None = None) -> list[CampaignView]:
    """Campaigns, newest first (by start date, then creation)."""
    q = select(StudyCampaign).where(StudyCampaign.deleted_at.is_(None))
    if state:
        q = q.where(StudyCampaign.state == state)
    q = q.order_by(
        StudyCampaign.starts_on.is_(None),
        StudyCampaign.starts_on.desc(),
        StudyCampaign.created_at.desc(),
    )
    with book.read_session() as s:
        rows = list(s.scalars(q))
        progress = _progress_for(s, [r.id for r in rows])
        return [_campaign_view(r, progress[r.id]) for r in rows]


# -- participants ----------------------------------------------------------------------------
def participants(book: Book, *, campaign_id: str) -> list[ParticipantView]:
    """The campaign's participants in Vietnamese name order."""
    with book.read_session() as s:
        _get_campaign(s, campaign_id)
        q = (
            select(StudyParticipant, Member)
            .join(Member, Member.id == StudyParticipant.member_id)
            .where(
                StudyParticipant.campaign_id == campaign_id, StudyParticipant.deleted_at.is_(None)
            )
            .order_by(Member.name_sort, Member.id)
        )
        return [_participant_view(p, m) for p, m in s.execute(q).all()]


def add_participants(
    book: Book,
    *,
    campaign_id: str,
    member_ids: Sequence[str] | None = None,
    actor: str | None = None,
) -> list[ParticipantView]:
    """Add members (by default every participating member not yet in); returns those added."""
    who = actor or book.actor
    with book.session() as s:
        campaign = _get_campaign(s, campaign_id)
        _require_open(campaign)
        present = set(
            s.scalars(
                select(StudyParticipant.member_id).where(
                    StudyParticipant.campaign_id == campaign_id,
                    StudyParticipant.deleted_at.is_(None),
                )
            )
        )
        ids = list(member_ids) if member_ids is not None else eligible_member_ids(s)
        added: list[str] = []
        for member_id in dict.fromkeys(ids):
            if member_id in present:
                continue
            member = s.get(Member, member_id)
            if member is None or member.deleted_at is not None:
                raise ValidationError(
                    f"Không tìm thấy đảng viên có mã {member_id}.", field="member_ids"
                )
            _add_participant(s, who, campaign, member)
            added.append(member_id)
    return [p for p in participants(book, campaign_id=campaign_id) if p.member_id in added]


def remove_participant(
    book: Book, *, participant_id: str, reason: str = "", actor: str | None = None
) -> None:
    with book.session() as s:
        row = _get_participant(s, participant_id)
        campaign = _get_campaign(s, row.campaign_id)
        _require_open(campaign)
        member = s.get(Member, row.member_id)
        changes.tombstone(
            s,
            row,
            actor=actor or book.actor,
            entity=Entity.STUDY_PARTICIPANT,
            summary=f"Bỏ {member.full_name if member else row.member_id} khỏi đợt học tập “{campaign.title}”",
            reason=reason,
        )


def record_result(
    book: Book,
    *,
    participant_id: str,
    attended: bool | None = None,
    submitted: bool | None = None,
    submitted_on: Any = UNSET,
    grade: str | None = None,
    score: Any = UNSET,
    notes: str | None = None,
    actor: str | None = None,
) -> ParticipantView:
    """Record one member's result; only the arguments given change."""
    with book.session() as s:
        row = _get_participant(s, participant_id)
        campaign = _get_campaign(s, row.campaign_id)
        _require_open(campaign)
        member = s.get(Member, row.member_id)
        assert member is not None
        before = row.sync_fields()
        if attended is not None:
            row.attended = bool(attended)
        if submitted is not None:
            row.submitted = bool(submitted)
            if not row.submitted:
                row.submitted_on = None
            elif row.submitted_on is None and submitted_on is UNSET:
                row.submitted_on = dt.date.today()
        if submitted_on is not UNSET:
            if submitted_on is not None and not isinstance(submitted_on, dt.date):
                raise ValidationError("Ngày nộp thu hoạch không hợp lệ.", field="submitted_on")
            row.submitted_on = submitted_on
            if submitted_on is not None:
                row.submitted = True
        if grade is not None:
            grade = clean(grade)
            if grade and grade not in STUDY_GRADES:
                labels = {fold(v): k for k, v in STUDY_GRADES.items()}
                grade = labels.get(fold(grade), grade)
            if grade and grade not in STUDY_GRADES:
                allowed = ", ".join(STUDY_GRADES.values())
                raise ValidationError(f"Xếp loại phải là một trong: {allowed}.", field="grade")
            row.grade = grade
        if score is not UNSET:
            if score is not None:
                try:
                    score = float(score)
                except (TypeError, ValueError) as exc:
                    raise ValidationError("Điểm phải là một số.", field="score") from exc
                if not 0.0 <= score <= MAX_SCORE:
                    raise ValidationError(
                        f"Điểm phải từ 0 đến {MAX_SCORE:g}.".replace(".", ","), field="score"
                    )
            row.score = score
        if notes is not None:
            row.notes = nfc(notes).strip()
        if (row.grade or row.score is not None) and not row.submitted:
            raise ValidationError(
                f"{member.full_name} chưa nộp thu hoạch nên chưa xếp loại hoặc chấm điểm được.",
                field="grade",
            )
        changes.update(
            s,
            row,
            actor=actor or book.actor,
            entity=Entity.STUDY_PARTICIPANT,
            summary=f"Ghi kết quả học tập của {member.full_name} (“{campaign.title}”)",
            delta=changes.diff(before, row.sync_fields()),
        )
        return _participant_view(row, member)


def mark_attendance(
    book: Book,
    *,
    campaign_id: str,
    member_ids: Sequence[str],
    attended: bool = True,
    actor: str | None = None,
) -> int:
    """Mark many members as having attended (or not) the study session; returns how many changed."""
    wanted = set(member_ids)
    changed = 0
    for p in participants(book, campaign_id=campaign_id):
        if p.member_id in wanted and p.attended != attended:
            record_result(book, participant_id=p.id, attended=attended, actor=actor)
            changed += 1
    return changed


def progress(book: Book, *, campaign_id: str) -> StudyProgress:
    with book.read_session() as s:
        _get_campaign(s, campaign_id)
        return _progress_for(s, [campaign_id])[campaign_id]


# -- the results report ----------------------------------------------------------------------
@dataclass(frozen=True)
class ReportRow:
    index: int
    full_name: str
    member_status: str
    attended: bool
    submitted: bool
    submitted_on: dt.date | None
    grade: str
    score: float | None
    notes: str


@dataclass(frozen=True)
class StudyReport:
    """Everything the PDF and .xlsx results reports print, as plain data."""

    branch_name: str
    committee: str
    place_name: str
    secretary_name: str
    campaign: CampaignView
    rows: list[ReportRow]
    progress: StudyProgress
    made_on: dt.date

    COLUMNS = (
        "TT",
        "Họ và tên",
        "Dự học tập",
        "Nộp thu hoạch",
        "Xếp loại",
        "Điểm",
        "Ghi chú",
    )

    def table_rows(self) -> list[list[object]]:
        """Rows as printed: "x" for yes, blanks for no."""
        return [
            [
                r.index,
                r.full_name,
                "x" if r.attended else "",
                (f"x ({r.submitted_on:%d/%m})" if r.submitted_on else "x") if r.submitted else "",
                r.grade,
                _score_text(r.score),
                r.notes,
            ]
            for r in self.rows
        ]

    def totals_row(self) -> list[object]:
        p = self.progress
        return ["", f"Cộng: {p.participants} đồng chí", p.attended, p.submitted, p.graded, "", ""]

    def summary_lines(self) -> list[str]:
        p = self.progress
        lines = [
            f"Tổng số đảng viên tham gia: {p.participants} đồng chí "
            "(không kể đảng viên được miễn sinh hoạt).",
            f"Dự học tập: {p.attended} đồng chí ({_pct(p.attended_pct)}); "
            f"vắng: {p.participants - p.attended} đồng chí.",
            f"Nộp thu hoạch: {p.submitted} đồng chí ({_pct(p.submitted_pct)}); "
            f"chưa nộp: {p.participants - p.submitted} đồng chí.",
        ]
        graded = [f"{STUDY_GRADES.get(k, k)}: {v}" for k, v in p.by_grade.items() if v]
        if graded:
            lines.append("Xếp loại thu hoạch — " + "; ".join(graded) + ".")
        return lines


def _pct(value: float) -> str:
    return f"{value:g}%".replace(".", ",")


def _score_text(score: float | None) -> str:
    if score is None:
        return ""
    return f"{score:g}".replace(".", ",")


def results_report(book: Book, *, campaign_id: str, made_on: dt.date | None = None) -> StudyReport:
    campaign = get_campaign(book, campaign_id=campaign_id)
    people = participants(book, campaign_id=campaign_id)
    branch = book.branch()
    rows = [
        ReportRow(
            index=i,
            full_name=p.full_name,
            member_status=p.member_status_label,
            attended=p.attended,
            submitted=p.submitted,
            submitted_on=p.submitted_on,
            grade=p.grade_label,
            score=p.score,
            notes=p.notes,
        )
        for i, p in enumerate(people, start=1)
    ]
    return StudyReport(
        branch_name=branch.name,
        committee=branch.committee,
        place_name=branch.place_name,
        secretary_name=branch.secretary_name,
        campaign=campaign,
        rows=rows,
        progress=campaign.progress,
        made_on=made_on or dt.date.today(),
    )

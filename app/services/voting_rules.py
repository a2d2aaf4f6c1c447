"""The one place the branch's meeting rules live (DOMAIN.md, "Rules a secretary applies").

- Who is on a meeting's roster, and in which role (official, probationary, exempted,
  temporarily attached).
- Who votes: đảng viên dự bị have every right except voting (Điều lệ Điều 5).
- Quorum for a resolution: more than half of the *counted* official members (official members
  summoned, less those exempted and absent and those on approved leave).
- HD 12-HD/BTCTW quality figures: attendance above 85%, no unexcused absence, nobody absent
  3 times running; Điều lệ Điều 8: 3 months without good reason → proposed for xóa tên.

Each vote has a kind (`VoteKind`) and its rule: a resolution needs more than half of the counted
official members; admission (kết nạp) and recognition as official (công nhận chính thức) need at
least two thirds of the official members of the branch (Điều lệ Đảng Điều 4 and 5; QĐ 29-QĐ/TW
4.2c), whoever is present; discipline and election follow the `RuleConfig` (configurable).

The parts DOMAIN.md marks [uncertain] (which absentees are subtracted, whether exempted members
who attend and temporarily attached members vote) and the HD 12 thresholds are a `RuleConfig`
kept in the book (kv table) and editable in the UI, which says that they are configurable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from app.errors import ValidationError
from app.models import KeyValue
from app.services.book_settings import save_json_setting
from app.text import fold
from app.vocab import AttendanceMark, MemberStatus, RosterRole

if TYPE_CHECKING:
    from app.book import Book

RULES_KEY = "rules.meetings"

# Roles on a meeting's roster (app.vocab.RosterRole); the names stay for older callers.
OFFICIAL = RosterRole.OFFICIAL
PROBATIONARY = RosterRole.PROBATIONARY
EXEMPT = RosterRole.EXEMPT
TEMPORARY = RosterRole.TEMPORARY

# Member status code → roster role. Statuses not listed are not on any roster (chuyển đi,
# từ trần, xóa tên).
ROSTER_ROLES: dict[str, RosterRole] = {
    s.value: role for s in MemberStatus if (role := s.roster_role) is not None
}

# Marks of members who are at the meeting (present, late).
PRESENT_STATUSES = AttendanceMark.present()

UNCERTAIN_NOTE = (
    "Các quy tắc đánh dấu “có thể cấu hình” chưa được đối chiếu với văn bản gốc "
    "(số điều khoản đã thay đổi từ Quy định 24 sang Quy định 294); chi bộ có thể điều chỉnh "
    "trong phần Cài đặt quy tắc sinh hoạt."
)


@dataclass(frozen=True)
class RuleConfig:
    """The configurable rules. Defaults follow DOMAIN.md."""

    # [uncertain] Official members absent with an approved reason are subtracted from the
    # number counted for the quorum ("on approved leave").
    subtract_excused: bool = True
    # [uncertain] An exempted member who does attend counts as an official member and votes.
    exempt_present_votes: bool = True
    # [uncertain] Members attached temporarily (sinh hoạt tạm thời) count and vote here.
    temporary_votes: bool = False
    # HD 12: attendance target (percent, "more than").
    attendance_target_percent: float = 85.0
    # HD 12: absent (even excused) this many meetings running in a year is flagged.
    max_absent_running: int = 3
    # Điều lệ Điều 8: months in a year with an unexcused absence before xóa tên is proposed.
    removal_months: int = 3
    # Warn from this many months on (early warning).
    removal_warn_months: int = 2
    # [uncertain] The base of "the official members of the branch" (two-thirds votes) leaves
    # out exempted members who are not at the meeting.
    branch_base_excludes_absent_exempt: bool = True
    # [uncertain] A discipline vote needs at least two thirds (otherwise more than half) of
    # the official members of the branch.
    discipline_two_thirds: bool = False
    # [uncertain] An election needs at least two thirds (otherwise more than half) of the
    # counted official members.
    election_two_thirds: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


CONFIG_LABELS: dict[str, str] = {
    "subtract_excused": "Trừ đảng viên chính thức vắng có lý do (được chấp thuận) khỏi số tính "
    "biểu quyết (có thể cấu hình)",
    "exempt_present_votes": "Đảng viên miễn sinh hoạt nếu có mặt thì được tính và biểu quyết "
    "(có thể cấu hình)",
    "temporary_votes": "Đảng viên sinh hoạt tạm thời được tính và biểu quyết (có thể cấu hình)",
    "attendance_target_percent": "Tỷ lệ dự họp cần đạt trên (%) — HD 12",
    "max_absent_running": "Số lần vắng liên tiếp cần cảnh báo — HD 12",
    "removal_months": "Số tháng vắng không lý do trong năm để xem xét xóa tên — Điều lệ Điều 8",
    "removal_warn_months": "Cảnh báo sớm từ số tháng vắng không lý do",
    "branch_base_excludes_absent_exempt": "Biểu quyết kết nạp, công nhận chính thức: không tính "
    "đảng viên miễn sinh hoạt vắng mặt vào số đảng viên chính thức của chi bộ (có thể cấu hình)",
    "discipline_two_thirds": "Biểu quyết kỷ luật cần ít nhất hai phần ba số đảng viên chính thức "
    "của chi bộ (bỏ chọn: quá một nửa) (có thể cấu hình)",
    "election_two_thirds": "Biểu quyết bầu cử cần ít nhất hai phần ba số đảng viên chính thức "
    "được tính (bỏ chọn: quá một nửa) (có thể cấu hình)",
}


def _from_json(raw: str) -> RuleConfig:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return RuleConfig()
    if not isinstance(data, dict):
        return RuleConfig()
    known = {f.name: f.type for f in fields(RuleConfig)}
    values: dict[str, Any] = {}
    defaults = RuleConfig()
    for name in known:
        if name not in data:
            continue
        default = getattr(defaults, name)
        value = data[name]
        if isinstance(default, bool):
            if isinstance(value, bool):
                values[name] = value
        elif isinstance(default, int):
            if isinstance(value, int) and not isinstance(value, bool):
                values[name] = value
        elif isinstance(default, float) and isinstance(value, int | float):
            values[name] = float(value)
    return replace(defaults, **values)


def get_rules(book: Book) -> RuleConfig:
    """The branch's rule settings (defaults when never changed)."""
    with book.read_session() as s:
        row = s.get(KeyValue, RULES_KEY)
        return _from_json(row.value) if row is not None else RuleConfig()


def validate_rules(config: RuleConfig) -> RuleConfig:
    if not 0 < config.attendance_target_percent <= 100:
        raise ValidationError(
            "Tỷ lệ dự họp cần đạt phải lớn hơn 0 và không quá 100%.",
            field="attendance_target_percent",
        )
    if not 1 <= config.max_absent_running <= 12:
        raise ValidationError("Số lần vắng liên tiếp phải từ 1 đến 12.", field="max_absent_running")
    if not 1 <= config.removal_months <= 12:
        raise ValidationError("Số tháng xem xét xóa tên phải từ 1 đến 12.", field="removal_months")
    if not 1 <= config.removal_warn_months <= config.removal_months:
        raise ValidationError(
            "Số tháng cảnh báo sớm phải từ 1 đến số tháng xem xét xóa tên.",
            field="removal_warn_months",
        )
    return config


def set_rules(book: Book, *, config: RuleConfig, reason: str = "") -> RuleConfig:
    """Save the rule settings (audited; kept in this book, not synced)."""
    validate_rules(config)
    save_json_setting(
        book,
        key=RULES_KEY,
        current=get_rules(book).to_json(),
        new=config.to_json(),
        summary="Sửa quy tắc tính số lượng dự họp và biểu quyết",
        reason=reason,
    )
    return config


# --- counting -------------------------------------------------------------------------


def role_for(member_status: str) -> str | None:
    """The roster role of a member status, or None when not on a roster."""
    return ROSTER_ROLES.get(member_status)


def is_committee_position(position: str) -> bool:
    """Bí thư, phó bí thư and chi ủy viên sit on the chi ủy (and its meetings)."""
    folded = fold(position)
    return any(word in folded for word in ("bi thu", "chi uy", "uy vien"))


@dataclass(frozen=True)
class Participant:
    """One roster line as the rules see it: the role and the attendance mark (or None)."""

    role: str
    status: str | None


@dataclass(frozen=True)
class AttendanceFigures:
    """Live figures of a roll call, and whether a resolution can be adopted."""

    total: int  # everyone on the roster (official, probationary, temporary, exempted)
    official: int  # chính thức (exempted members counted here too, as they are official)
    probationary: int
    temporary: int
    exempted: int
    expected: int  # total less exempted: who should attend
    present: int  # of the expected, present (late included)
    late: int
    absent_excused: int
    absent_unexcused: int
    unmarked: int
    exempt_present: int  # exempted members who came anyway
    counted_official: int  # the quorum base
    voting_present: int  # official members present who may vote
    needed: int  # votes/attendance needed: more than half of counted_official

    @property
    def can_adopt(self) -> bool:
        """More than half of the counted official members are present."""
        return self.counted_official > 0 and self.voting_present >= self.needed

    @property
    def attendance_percent(self) -> float:
        return 100.0 * self.present / self.expected if self.expected else 0.0

    @property
    def absent(self) -> int:
        return self.absent_excused + self.absent_unexcused


def _is_voting_role(role: str, config: RuleConfig) -> bool:
    return role == OFFICIAL or (role == TEMPORARY and config.temporary_votes)


def figures(participants: Iterable[Participant], config: RuleConfig) -> AttendanceFigures:
    """Count a roster. Pure: the UI calls it after each click without touching the book."""
    total = official = probationary = temporary = exempted = 0
    present = late = excused = unexcused = unmarked = exempt_present = 0
    counted = voting = 0
    for p in participants:
        total += 1
        here = p.status in PRESENT_STATUSES
        if p.role == EXEMPT:
            exempted += 1
            official += 1
            if here:
                exempt_present += 1
                if config.exempt_present_votes:
                    counted += 1
                    voting += 1
            continue
        if p.role == OFFICIAL:
            official += 1
        elif p.role == PROBATIONARY:
            probationary += 1
        elif p.role == TEMPORARY:
            temporary += 1
        if here:
            present += 1
            if p.status == AttendanceMark.LATE:
                late += 1
        elif p.status == AttendanceMark.EXCUSED:
            excused += 1
        elif p.status == AttendanceMark.UNEXCUSED:
            unexcused += 1
        else:
            unmarked += 1
        if _is_voting_role(p.role, config):
            if p.status == AttendanceMark.EXCUSED and config.subtract_excused:
                continue
            counted += 1
            if here:
                voting += 1
    return AttendanceFigures(
        total=total,
        official=official,
        probationary=probationary,
        temporary=temporary,
        exempted=exempted,
        expected=total - exempted,
        present=present,
        late=late,
        absent_excused=excused,
        absent_unexcused=unexcused,
        unmarked=unmarked,
        exempt_present=exempt_present,
        counted_official=counted,
        voting_present=voting,
        needed=counted // 2 + 1,
    )


class VoteKind(StrEnum):
    """What a show of hands decides; each kind has its rule (`vote_rule`)."""

    RESOLUTION = "resolution"
    ADMISSION = "admission"
    RECOGNITION = "recognition"
    DISCIPLINE = "discipline"
    ELECTION = "election"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @classmethod
    def parse(cls, raw: object, *, subject: str = "") -> VoteKind:
        """A kind from the minutes JSON or a form; missing means a resolution."""
        if raw is None or raw == "":
            return cls.RESOLUTION
        text = str(raw).strip().lower()
        for kind in cls:
            if text in (kind.value, fold(kind.label)) or fold(text) == fold(kind.label):
                return kind
        label = f" “{subject}”" if subject else ""
        known = ", ".join(f"{k.value} ({k.label})" for k in cls)
        raise ValidationError(
            f"Loại biểu quyết “{raw}”{label} không có; hãy dùng một trong: {known}.",
            field="kind",
        )


_KIND_LABELS = {
    VoteKind.RESOLUTION: "Thông qua nghị quyết, quyết định",
    VoteKind.ADMISSION: "Kết nạp đảng viên",
    VoteKind.RECOGNITION: "Công nhận đảng viên chính thức",
    VoteKind.DISCIPLINE: "Kỷ luật đảng viên",
    VoteKind.ELECTION: "Bầu cử",
}


@dataclass(frozen=True)
class VoteRule:
    """How a kind of vote is decided: over which base, with which threshold."""

    two_thirds: bool  # at least two thirds; otherwise more than half
    branch_base: bool  # official members of the branch; otherwise the counted official members
    source: str  # where the rule comes from
    configurable: bool

    def needed(self, base: int) -> int:
        """The fewest votes in favour that carry the vote over `base`."""
        if base <= 0:
            return 1
        return -(-2 * base // 3) if self.two_thirds else base // 2 + 1

    @property
    def threshold_label(self) -> str:
        return "hai phần ba" if self.two_thirds else "quá một nửa"

    @property
    def base_label(self) -> str:
        if self.branch_base:
            return "đảng viên chính thức của chi bộ"
        return "đảng viên chính thức được tính (được triệu tập, trừ người vắng có lý do được chấp thuận)"


def vote_rule(kind: VoteKind | str, config: RuleConfig | None = None) -> VoteRule:
    """The rule of a kind of vote under the branch's settings."""
    config = config or RuleConfig()
    kind = VoteKind(kind)
    if kind in (VoteKind.ADMISSION, VoteKind.RECOGNITION):
        return VoteRule(True, True, "Điều lệ Đảng Điều 4, 5; Quy định 29-QĐ/TW mục 4.2c", False)
    if kind == VoteKind.DISCIPLINE:
        return VoteRule(config.discipline_two_thirds, True, "theo cài đặt của chi bộ", True)
    if kind == VoteKind.ELECTION:
        return VoteRule(config.election_two_thirds, False, "theo cài đặt của chi bộ", True)
    return VoteRule(False, False, "Điều lệ Đảng, nguyên tắc tập trung dân chủ", False)


def branch_official(figures_: AttendanceFigures, config: RuleConfig) -> int:
    """The official members of the branch: the base of a two-thirds vote, present or not."""
    if config.branch_base_excludes_absent_exempt:
        return figures_.official - figures_.exempted + figures_.exempt_present
    return figures_.official


@dataclass(frozen=True)
class VoteCheck:
    in_favour: int
    against: int
    abstain: int
    eligible: int  # the base the vote is counted on (percentages are over this)
    voting_present: int
    adopted: bool
    kind: VoteKind = VoteKind.RESOLUTION
    needed: int = 0
    rule: VoteRule | None = None

    @property
    def result_text(self) -> str:
        """'5/9 đảng viên chính thức tán thành, chưa đạt hai phần ba (cần ít nhất 6): không
        được thông qua.'"""
        rule = self.rule or vote_rule(self.kind)
        if rule.two_thirds:
            reach = "đạt" if self.adopted else "chưa đạt"
        else:
            reach = "" if self.adopted else "chưa"
        outcome = "được thông qua" if self.adopted else "không được thông qua"
        return (
            f"{self.in_favour}/{self.eligible} đảng viên chính thức tán thành, "
            f"{(reach + ' ') if reach else ''}{rule.threshold_label} (cần ít nhất {self.needed}): {outcome}."
        )

    @property
    def rule_text(self) -> str:
        """The rule and its base, e.g. "Thông qua nghị quyết…: cần quá một nửa số …"."""
        rule = self.rule or vote_rule(self.kind)
        note = " (có thể cấu hình)" if rule.configurable else f" ({rule.source})"
        return (
            f"{self.kind.label}: cần {'ít nhất ' if rule.two_thirds else ''}"
            f"{rule.threshold_label} số {rule.base_label}{note}"
        )

    @property
    def base_text(self) -> str:
        """The base and rule, and the counts adding up to it, for a reader to check."""
        cast = self.in_favour + self.against + self.abstain
        silent = self.voting_present - cast
        parts = [
            f"tán thành {self.in_favour}",
            f"không tán thành {self.against}",
            f"không biểu quyết {self.abstain}",
        ]
        if silent > 0:
            parts.append(f"không giơ tay {silent}")
        absent = self.eligible - self.voting_present
        votes = ", ".join(parts)
        # One sentence whose counts add up, without "số tính: 37. 37 đồng chí…".
        if absent > 0:
            tally = (
                f"trong đó {self.voting_present} đồng chí có mặt được biểu quyết ({votes}) "
                f"và {absent} đồng chí không có mặt"
            )
        else:
            tally = f"đều có mặt được biểu quyết ({votes})"
        return f"{self.rule_text}; số tính: {self.eligible} đồng chí, {tally}."


def check_vote(
    figures_: AttendanceFigures,
    *,
    in_favour: int,
    against: int,
    abstain: int,
    subject: str = "",
    kind: VoteKind | str = VoteKind.RESOLUTION,
    config: RuleConfig | None = None,
) -> VoteCheck:
    """A show of hands checked against the official members present and the kind's rule."""
    config = config or RuleConfig()
    kind = VoteKind.parse(kind, subject=subject)
    label = f" “{subject}”" if subject else ""
    for value, name in (
        (in_favour, "tán thành"),
        (against, "không tán thành"),
        (abstain, "không biểu quyết"),
    ):
        if value < 0:
            raise ValidationError(f"Số phiếu {name}{label} không được âm.", field="votes")
    cast = in_favour + against + abstain
    if cast > figures_.voting_present:
        raise ValidationError(
            f"Biểu quyết{label}: tổng số {cast} (tán thành {in_favour}, không tán thành "
            f"{against}, không biểu quyết {abstain}) nhiều hơn số đảng viên chính thức có mặt "
            f"được biểu quyết ({figures_.voting_present}). Đảng viên dự bị không biểu quyết.",
            field="votes",
        )
    return evaluate_vote(
        figures_, in_favour=in_favour, against=against, abstain=abstain, kind=kind, config=config
    )


def evaluate_vote(
    figures_: AttendanceFigures,
    *,
    in_favour: int,
    against: int,
    abstain: int,
    kind: VoteKind | str = VoteKind.RESOLUTION,
    config: RuleConfig | None = None,
) -> VoteCheck:
    """The outcome of a vote as recorded, without checking its counts against the roll call
    (printing a closed meeting whose roll call was amended since)."""
    config = config or RuleConfig()
    kind = VoteKind.parse(kind)
    rule = vote_rule(kind, config)
    base = branch_official(figures_, config) if rule.branch_base else figures_.counted_official
    needed = rule.needed(base)
    return VoteCheck(
        in_favour=in_favour,
        against=against,
        abstain=abstain,
        eligible=base,
        voting_present=figures_.voting_present,
        adopted=base > 0 and in_favour >= needed,
        kind=kind,
        needed=needed,
        rule=rule,
    )


def meets_attendance_target(percent: float, config: RuleConfig) -> bool:
    return percent > config.attendance_target_percent

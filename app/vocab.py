"""The program's one typed vocabulary: statuses, kinds, marks, roles and synced entities.

Each is a `StrEnum` whose values are the codes stored in the book and sent to the server (so
existing books and servers read them unchanged), carrying its Vietnamese label and its rules.
Services, the CLI's choices, the window's filters and the server all take these from here;
nothing else spells a status or an entity name as a string list.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A code with a Vietnamese label (each enum keeps its labels in a table below it)."""

    @property
    def label(self) -> str:
        raise NotImplementedError

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Code → label, for combo boxes, CLI help and printed legends."""
        return {m.value: m.label for m in cls}


class RosterRole(_Labelled):
    """A member's role on a meeting's roster (who is summoned, who votes)."""

    OFFICIAL = "official"
    PROBATIONARY = "probationary"
    EXEMPT = "exempt"
    TEMPORARY = "temporary"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    RosterRole.OFFICIAL: "Chính thức",
    RosterRole.PROBATIONARY: "Dự bị",
    RosterRole.EXEMPT: "Miễn sinh hoạt",
    RosterRole.TEMPORARY: "Sinh hoạt tạm thời",
}


class MemberStatus(_Labelled):
    """A member's standing in the branch (DOMAIN.md, "Member statuses")."""

    OFFICIAL = "chinh_thuc"
    PROBATIONARY = "du_bi"
    EXEMPT = "mien_sinh_hoat"
    TEMPORARY = "sinh_hoat_tam_thoi"
    # Introduced to attend another organisation for a while (giới thiệu sinh hoạt tạm thời
    # nơi khác): still this branch's member and counted in its totals, but not summoned to
    # its meetings; the minutes count these members apart.
    AWAY = "gioi_thieu_sh_noi_khac"
    TRANSFERRED = "chuyen_di"
    DECEASED = "tu_tran"
    REMOVED = "xoa_ten"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_active(self) -> bool:
        """Still a member of this branch's book (counted in its totals)."""
        return self in _ACTIVE

    @property
    def must_attend(self) -> bool:
        """Summoned to meetings, study and the central app rollout (exempt members are not)."""
        return self in _MUST_ATTEND

    @property
    def roster_role(self) -> RosterRole | None:
        """The role on a meeting's roster; None for members no longer in the branch."""
        return _ROSTER.get(self)

    @property
    def votes(self) -> bool:
        """Has the right to vote (Điều lệ Điều 5: dự bị members do not)."""
        return self is MemberStatus.OFFICIAL

    @classmethod
    def active(cls) -> tuple[MemberStatus, ...]:
        return tuple(s for s in cls if s.is_active)

    @classmethod
    def attending(cls) -> tuple[MemberStatus, ...]:
        return tuple(s for s in cls if s.must_attend)

    @classmethod
    def left(cls) -> tuple[MemberStatus, ...]:
        """No longer in the branch (chuyển đi, từ trần, xóa tên)."""
        return tuple(s for s in cls if not s.is_active)


_STATUS_LABELS = {
    MemberStatus.OFFICIAL: "Chính thức",
    MemberStatus.PROBATIONARY: "Dự bị",
    MemberStatus.EXEMPT: "Miễn sinh hoạt",
    MemberStatus.TEMPORARY: "Sinh hoạt tạm thời",
    MemberStatus.AWAY: "Giới thiệu sinh hoạt tạm thời nơi khác",
    MemberStatus.TRANSFERRED: "Chuyển đi",
    MemberStatus.DECEASED: "Từ trần",
    MemberStatus.REMOVED: "Xóa tên",
}
_ACTIVE = frozenset(
    {
        MemberStatus.OFFICIAL,
        MemberStatus.PROBATIONARY,
        MemberStatus.EXEMPT,
        MemberStatus.TEMPORARY,
        MemberStatus.AWAY,
    }
)
_MUST_ATTEND = frozenset({MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.TEMPORARY})
_ROSTER = {
    MemberStatus.OFFICIAL: RosterRole.OFFICIAL,
    MemberStatus.PROBATIONARY: RosterRole.PROBATIONARY,
    MemberStatus.EXEMPT: RosterRole.EXEMPT,
    MemberStatus.TEMPORARY: RosterRole.TEMPORARY,
}


class MeetingKind(_Labelled):
    REGULAR = "thuong_ky"
    COMMITTEE = "chi_uy"
    THEMATIC = "chuyen_de"
    EXTRAORDINARY = "bat_thuong"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def is_branch(self) -> bool:
        """The whole branch is summoned (every kind but the chi ủy's own meeting)."""
        return self is not MeetingKind.COMMITTEE

    @property
    def expects_documents(self) -> bool:
        """Members get the papers beforehand (regular and thematic meetings)."""
        return self in (MeetingKind.REGULAR, MeetingKind.THEMATIC)

    @classmethod
    def branch(cls) -> tuple[MeetingKind, ...]:
        return tuple(k for k in cls if k.is_branch)

    @classmethod
    def with_documents(cls) -> frozenset[MeetingKind]:
        return frozenset(k for k in cls if k.expects_documents)


_KIND_LABELS = {
    MeetingKind.REGULAR: "Sinh hoạt chi bộ thường kỳ",
    MeetingKind.COMMITTEE: "Sinh hoạt chi ủy",
    MeetingKind.THEMATIC: "Sinh hoạt chuyên đề",
    MeetingKind.EXTRAORDINARY: "Họp bất thường",
}


class AttendanceMark(_Labelled):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    UNEXCUSED = "unexcused"

    @property
    def label(self) -> str:
        return _MARK_LABELS[self]

    @property
    def is_present(self) -> bool:
        return self in (AttendanceMark.PRESENT, AttendanceMark.LATE)

    @property
    def is_absent(self) -> bool:
        return not self.is_present

    @classmethod
    def present(cls) -> frozenset[AttendanceMark]:
        return frozenset(m for m in cls if m.is_present)

    @classmethod
    def absent(cls) -> frozenset[AttendanceMark]:
        return frozenset(m for m in cls if m.is_absent)


_MARK_LABELS = {
    AttendanceMark.PRESENT: "Có mặt",
    AttendanceMark.LATE: "Đến muộn",
    AttendanceMark.EXCUSED: "Vắng có lý do",
    AttendanceMark.UNEXCUSED: "Vắng không lý do",
}


class SyncRule(StrEnum):
    """How the committee's server keeps an entity's changes (docs/sync-protocol.md §6)."""

    VERSIONED = "versioned"  # base_version must equal the server's version
    APPEND_ONLY = "append_only"  # immutable events, never a conflict
    MEETING = "meeting"  # versioned; a closed meeting takes amendments only
    DOCUMENT = "document"  # versioned; the committee's documents are read-only
    FEEDBACK = "feedback"  # versioned; the committee answers by publishing a new version
    REPORT = "report"  # versioned; every submitted version kept; never deleted


class Entity(_Labelled):
    """What a change is about: the audit log's and the sync outbox's entity names."""

    BRANCH = "branch"
    MEMBER = "member"
    MEETING = "meeting"
    MEETING_DOCUMENT = "meeting_document"
    ABSENCE_REQUEST = "absence_request"
    ATTENDANCE_EVENT = "attendance_event"
    ATTENDANCE = "attendance"  # the name older desktops used for a roll-call mark
    MEETING_AMENDMENT = "meeting_amendment"
    AUDIT = "audit"
    DOCUMENT = "document"
    STUDY_CAMPAIGN = "study_campaign"
    STUDY_PARTICIPANT = "study_participant"
    FEEDBACK = "feedback"
    SUPPORT_SESSION = "support_session"
    REPORT = "report"
    DUES_SETTING = "dues_setting"
    DUES_PAYMENT = "dues_payment"
    DUES_REMITTANCE = "dues_remittance"
    # Local only: audited, never sent.
    MEMBER_IMPORT = "member_import"
    SETTING = "setting"
    SETTINGS = "settings"
    SYNC = "sync"

    @property
    def label(self) -> str:
        """What the secretary reads (the Đồng bộ panel, `sotay sync problems`)."""
        return _ENTITY_LABELS[self]

    @property
    def sync_rule(self) -> SyncRule | None:
        """The server's rule for this entity; None for entities that stay on the desktop."""
        return _SYNC_RULES.get(self)

    @property
    def is_synced(self) -> bool:
        return self in _SYNC_RULES

    @property
    def append_only(self) -> bool:
        return _SYNC_RULES.get(self) is SyncRule.APPEND_ONLY

    @property
    def keeps_versions(self) -> bool:
        """The server keeps every applied version, not only the latest."""
        return _SYNC_RULES.get(self) is SyncRule.REPORT

    @classmethod
    def synced(cls) -> tuple[Entity, ...]:
        return tuple(e for e in cls if e.is_synced)


_SYNC_RULES = {
    Entity.BRANCH: SyncRule.VERSIONED,
    Entity.MEMBER: SyncRule.VERSIONED,
    Entity.MEETING: SyncRule.MEETING,
    Entity.MEETING_DOCUMENT: SyncRule.VERSIONED,
    Entity.ABSENCE_REQUEST: SyncRule.VERSIONED,
    Entity.ATTENDANCE_EVENT: SyncRule.APPEND_ONLY,
    Entity.ATTENDANCE: SyncRule.APPEND_ONLY,
    Entity.MEETING_AMENDMENT: SyncRule.APPEND_ONLY,
    Entity.AUDIT: SyncRule.APPEND_ONLY,
    Entity.DOCUMENT: SyncRule.DOCUMENT,
    Entity.STUDY_CAMPAIGN: SyncRule.VERSIONED,
    Entity.STUDY_PARTICIPANT: SyncRule.VERSIONED,
    Entity.FEEDBACK: SyncRule.FEEDBACK,
    Entity.SUPPORT_SESSION: SyncRule.VERSIONED,
    Entity.REPORT: SyncRule.REPORT,
    Entity.DUES_SETTING: SyncRule.VERSIONED,
    Entity.DUES_PAYMENT: SyncRule.VERSIONED,
    Entity.DUES_REMITTANCE: SyncRule.VERSIONED,
}
_ENTITY_LABELS = {
    Entity.BRANCH: "Thông tin chi bộ",
    Entity.MEMBER: "Đảng viên",
    Entity.MEETING: "Cuộc họp",
    Entity.MEETING_DOCUMENT: "Tài liệu gửi kèm cuộc họp",
    Entity.ABSENCE_REQUEST: "Xin phép vắng họp",
    Entity.ATTENDANCE_EVENT: "Điểm danh",
    Entity.ATTENDANCE: "Điểm danh",
    Entity.MEETING_AMENDMENT: "Đính chính biên bản",
    Entity.AUDIT: "Nhật ký",
    Entity.DOCUMENT: "Văn bản",
    Entity.STUDY_CAMPAIGN: "Đợt học tập nghị quyết",
    Entity.STUDY_PARTICIPANT: "Kết quả học tập",
    Entity.FEEDBACK: "Ý kiến đảng viên",
    Entity.SUPPORT_SESSION: "Buổi hỗ trợ đảng viên cao tuổi",
    Entity.REPORT: "Báo cáo gửi cấp trên",
    Entity.DUES_SETTING: "Mức đóng đảng phí",
    Entity.DUES_PAYMENT: "Đóng đảng phí",
    Entity.DUES_REMITTANCE: "Nộp đảng phí lên cấp trên",
    Entity.MEMBER_IMPORT: "Nhập danh sách đảng viên",
    Entity.SETTING: "Cài đặt",
    Entity.SETTINGS: "Cài đặt",
    Entity.SYNC: "Đồng bộ",
}

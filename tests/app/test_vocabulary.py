"""The one typed vocabulary (app/vocab.py): its stored codes, its rules, and that no status,
kind, mark, role or entity list is typed out again anywhere else in the program."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import pytest

from app.models.meeting import ATTENDANCE_STATUSES, MEETING_KINDS
from app.models.member import MEMBER_STATUSES
from app.services import changes, voting_rules
from app.services.sync_state import ENTITY_LABELS
from app.vocab import AttendanceMark, Entity, MeetingKind, MemberStatus, RosterRole, SyncRule

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("app", "cli", "ui", "server", "sync", "protocol", "reports")
ALLOWED = (Path("app/vocab.py"), Path("app/storage/migrations"))
VOCABULARIES: tuple[type[StrEnum], ...] = (
    MemberStatus,
    MeetingKind,
    AttendanceMark,
    RosterRole,
    Entity,
)


# -- the codes stored in books and sent to the server never change -------------------------


def test_stored_codes_are_the_ones_books_and_servers_hold() -> None:
    assert [s.value for s in MemberStatus] == [
        "chinh_thuc",
        "du_bi",
        "mien_sinh_hoat",
        "sinh_hoat_tam_thoi",
        "gioi_thieu_sh_noi_khac",  # issue 13: introduced to attend elsewhere for a while
        "chuyen_di",
        "tu_tran",
        "xoa_ten",
    ]
    assert [k.value for k in MeetingKind] == ["thuong_ky", "chi_uy", "chuyen_de", "bat_thuong"]
    assert [m.value for m in AttendanceMark] == ["present", "late", "excused", "unexcused"]
    assert [r.value for r in RosterRole] == ["official", "probationary", "exempt", "temporary"]
    assert {e.value for e in Entity.synced()} == {
        "branch",
        "member",
        "meeting",
        "meeting_document",
        "absence_request",
        "attendance_event",
        "attendance",
        "meeting_amendment",
        "audit",
        "document",
        "study_campaign",
        "study_participant",
        "feedback",
        "support_session",
        "report",
        "dues_setting",
        "dues_payment",
        "dues_remittance",
    }


def test_members_enums_compare_and_hash_as_their_codes() -> None:
    # Rows hold plain strings: a status read from the book must find its enum rules.
    assert MemberStatus("du_bi") is MemberStatus.PROBATIONARY
    assert {"chinh_thuc": 1}[MemberStatus.OFFICIAL] == 1
    assert "late" in AttendanceMark.present()
    assert f"{MeetingKind.COMMITTEE}" == "chi_uy"


# -- the rules each member carries ---------------------------------------------------------


def test_only_official_members_vote() -> None:
    assert [s for s in MemberStatus if s.votes] == [MemberStatus.OFFICIAL]
    assert not MemberStatus.PROBATIONARY.votes  # Điều lệ Điều 5


def test_exempt_members_stay_in_the_branch_but_are_not_summoned() -> None:
    assert MemberStatus.EXEMPT.is_active
    assert not MemberStatus.EXEMPT.must_attend
    assert MemberStatus.EXEMPT.roster_role is RosterRole.EXEMPT
    assert MemberStatus.attending() == (
        MemberStatus.OFFICIAL,
        MemberStatus.PROBATIONARY,
        MemberStatus.TEMPORARY,
    )


def test_members_who_left_are_not_counted_nor_on_a_roster() -> None:
    left = MemberStatus.left()
    assert set(left) == {MemberStatus.TRANSFERRED, MemberStatus.DECEASED, MemberStatus.REMOVED}
    for status in left:
        assert not status.is_active and not status.must_attend and not status.votes
        assert status.roster_role is None
    assert set(MemberStatus.active()) | set(left) == set(MemberStatus)
    # A member introduced to attend elsewhere for a while (giới thiệu sinh hoạt tạm thời nơi
    # khác) stays in the branch's totals but is on no roster here (issue 13).
    away = MemberStatus.AWAY
    assert away.is_active and not away.must_attend and not away.votes
    assert away.roster_role is None
    assert all(s.roster_role is not None for s in MemberStatus.active() if s is not away)


def test_present_and_late_count_as_present() -> None:
    assert AttendanceMark.present() == {AttendanceMark.PRESENT, AttendanceMark.LATE}
    assert AttendanceMark.absent() == {AttendanceMark.EXCUSED, AttendanceMark.UNEXCUSED}
    assert not AttendanceMark.EXCUSED.is_present and AttendanceMark.EXCUSED.is_absent


def test_meeting_kinds_summon_and_send_papers() -> None:
    assert MeetingKind.COMMITTEE not in MeetingKind.branch()
    assert len(MeetingKind.branch()) == len(MeetingKind) - 1
    assert MeetingKind.with_documents() == {MeetingKind.REGULAR, MeetingKind.THEMATIC}


def test_entities_carry_the_servers_rules() -> None:
    for local in (Entity.MEMBER_IMPORT, Entity.SETTING, Entity.SETTINGS, Entity.SYNC):
        assert not local.is_synced and local.sync_rule is None
    assert Entity.ATTENDANCE_EVENT.append_only and Entity.MEETING_AMENDMENT.append_only
    assert not Entity.MEMBER.append_only
    assert Entity.REPORT.keeps_versions and not Entity.FEEDBACK.keeps_versions
    assert Entity.MEETING.sync_rule is SyncRule.MEETING
    assert all(e.label for e in Entity)


def test_every_code_has_a_vietnamese_label() -> None:
    for vocab in VOCABULARIES:
        for member in vocab:
            label = member.label  # type: ignore[attr-defined]
            assert label and label != member.value, member


def test_old_tables_are_the_vocabulary() -> None:
    # Kept for the front ends that still import them: they must be the same codes and labels.
    assert {s.value: s.label for s in MemberStatus} == MEMBER_STATUSES
    assert {k.value: k.label for k in MeetingKind} == MEETING_KINDS
    assert {m.value: m.label for m in AttendanceMark} == ATTENDANCE_STATUSES
    assert voting_rules.ROSTER_ROLES == {
        "chinh_thuc": RosterRole.OFFICIAL,
        "du_bi": RosterRole.PROBATIONARY,
        "mien_sinh_hoat": RosterRole.EXEMPT,
        "sinh_hoat_tam_thoi": RosterRole.TEMPORARY,
    }
    assert ENTITY_LABELS["attendance_event"] == "Điểm danh"
    assert set(ENTITY_LABELS) == {e.value for e in Entity.synced()}


def test_op_changes_name_entities_by_the_enum() -> None:
    op = changes.OpChanges.of(Entity.MEMBER, ids=("m1",))
    assert op.touches(Entity.MEMBER) and not op.touches(Entity.MEETING)
    assert all(isinstance(e, Entity) for e in op.entities)


# -- no list retyped outside app/vocab.py ----------------------------------------------------


def retyped_lists(source: str) -> list[tuple[int, str, list[str]]]:
    """(line, vocabulary, codes) of every tuple/list/set literal naming two or more codes of
    one vocabulary as strings, in line order. (Dicts are left alone: JSON shapes have keys such
    as "present" and "excused" that scripts depend on.)"""
    codes = {vocab.__name__: {m.value for m in vocab} for vocab in VOCABULARIES}
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Tuple | ast.List | ast.Set):
            continue
        strings = [
            item.value
            for item in node.elts
            if isinstance(item, ast.Constant) and isinstance(item.value, str)
        ]
        for name, values in codes.items():
            hits = [s for s in strings if s in values]
            if len(set(hits)) >= 2:
                found.append((node.lineno, name, hits))
    return sorted(found)


def test_the_scan_finds_a_retyped_list() -> None:
    source = (
        'ACTIVE = ("chinh_thuc", "du_bi")\n'
        'KINDS = ["thuong_ky", "chi_uy"]\n'
        'HERE = frozenset({"present", "late"})\n'
        'SYNCED: Literal["member", "meeting"] = "member"\n'
        'FINE = ("chinh_thuc", "x")\n'
        'SHAPE = {"present": 1, "excused": 2}\n'
        "ALSO_FINE = (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)\n"
    )
    assert [(line, name) for line, name, _ in retyped_lists(source)] == [
        (1, "MemberStatus"),
        (2, "MeetingKind"),
        (3, "AttendanceMark"),
        (4, "Entity"),
    ]


def _python_files() -> list[Path]:
    files: list[Path] = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if any(rel == a or a in rel.parents for a in ALLOWED):
                continue
            files.append(rel)
    return files


def test_no_vocabulary_list_is_retyped_outside_app_vocab() -> None:
    offenders = [
        f"{rel}:{line}: {name} {hits}"
        for rel in _python_files()
        for line, name, hits in retyped_lists((ROOT / rel).read_text(encoding="utf-8"))
    ]
    assert not offenders, "Dùng app.vocab thay cho danh sách gõ lại:\n" + "\n".join(offenders)


@pytest.mark.parametrize("top", ["app", "cli", "ui"])
def test_the_scan_covers_the_program(top: str) -> None:
    assert any(rel.parts[0] == top for rel in _python_files())

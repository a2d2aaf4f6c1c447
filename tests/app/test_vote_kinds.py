"""Each vote has a kind and its rule: more than half for a resolution, at least two thirds of
the branch's official members for admission and recognition (Điều lệ Điều 4, 5; QĐ 29 4.2c)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.book import Book
from app.errors import ValidationError
from app.services import attendance, meeting_papers, meetings, members, voting_rules
from app.services.meetings import Minutes, VoteRecord
from app.services.members import MemberInput
from app.services.voting_rules import Participant, RuleConfig, VoteKind
from cli.meetings_cmds import minutes_from_json
from tests.app.test_meetings_support import days_ago, new_meeting, pdf_text


def _figures(
    present: int, absent: int, *, exempt_absent: int = 0
) -> voting_rules.AttendanceFigures:
    roster = [Participant("official", "present")] * present
    roster += [Participant("official", "unexcused")] * absent
    roster += [Participant("exempt", None)] * exempt_absent
    roster += [Participant("probationary", "present")]  # dự bị: never counted, never votes
    return voting_rules.figures(roster, RuleConfig())


def test_recognition_needs_two_thirds_of_the_branch_official_members_not_of_those_present() -> None:
    f = _figures(present=7, absent=2)  # 9 official members, 7 present
    failed = voting_rules.check_vote(f, in_favour=5, against=1, abstain=1, kind="recognition")
    assert not failed.adopted
    assert failed.result_text == (
        "5/9 đảng viên chính thức tán thành, chưa đạt hai phần ba (cần ít nhất 6): "
        "không được thông qua."
    )
    # The counts add up for a reader: 5 + 1 + 1 = 7 present, 2 absent, base 9.
    assert failed.base_text.endswith(
        "số tính: 9 đồng chí, trong đó 7 đồng chí có mặt được biểu quyết (tán thành 5, "
        "không tán thành 1, không biểu quyết 1) và 2 đồng chí không có mặt."
    )
    everyone = voting_rules.check_vote(
        _figures(present=9, absent=0), in_favour=9, against=0, abstain=0
    )
    assert everyone.base_text.endswith(
        "số tính: 9 đồng chí, đều có mặt được biểu quyết "
        "(tán thành 9, không tán thành 0, không biểu quyết 0)."
    )
    passed = voting_rules.check_vote(f, in_favour=6, against=1, abstain=0, kind="admission")
    assert passed.adopted and passed.needed == 6
    assert passed.result_text.startswith("6/9 đảng viên chính thức tán thành, đạt hai phần ba")
    # The same 5 votes carry a resolution: more than half of 9 is 5.
    resolution = voting_rules.check_vote(f, in_favour=5, against=1, abstain=1)
    assert resolution.adopted and resolution.kind == VoteKind.RESOLUTION
    assert resolution.result_text == (
        "5/9 đảng viên chính thức tán thành, quá một nửa (cần ít nhất 5): được thông qua."
    )


def test_resolution_needs_more_than_half_of_the_counted_official_members() -> None:
    f = _figures(present=8, absent=0)
    assert not voting_rules.check_vote(f, in_favour=4, against=4, abstain=0).adopted  # 4/8
    assert voting_rules.check_vote(f, in_favour=5, against=3, abstain=0).adopted
    assert voting_rules.check_vote(f, in_favour=4, against=4, abstain=0).result_text.endswith(
        "chưa quá một nửa (cần ít nhất 5): không được thông qua."
    )


def test_two_thirds_threshold_rounds_up() -> None:
    rule = voting_rules.vote_rule(VoteKind.ADMISSION)
    assert [rule.needed(n) for n in (3, 4, 5, 6, 7, 9, 10)] == [2, 3, 4, 4, 5, 6, 7]


def test_discipline_and_election_follow_the_configurable_rules() -> None:
    f = _figures(present=9, absent=0)
    discipline = voting_rules.check_vote(f, in_favour=5, against=4, abstain=0, kind="discipline")
    assert discipline.adopted  # default: more than half
    assert "(có thể cấu hình)" in discipline.base_text
    strict = RuleConfig(discipline_two_thirds=True, election_two_thirds=True)
    assert not voting_rules.check_vote(
        f, in_favour=5, against=4, abstain=0, kind="discipline", config=strict
    ).adopted
    assert not voting_rules.check_vote(
        f, in_favour=5, against=4, abstain=0, kind="election", config=strict
    ).adopted
    assert "(có thể cấu hình)" in voting_rules.CONFIG_LABELS["discipline_two_thirds"]


def test_absent_exempt_members_leave_the_branch_base_unless_configured() -> None:
    f = _figures(present=6, absent=0, exempt_absent=3)
    assert (
        voting_rules.check_vote(f, in_favour=4, against=2, abstain=0, kind="admission").eligible
        == 6
    )
    counted = RuleConfig(branch_base_excludes_absent_exempt=False)
    check = voting_rules.check_vote(
        f, in_favour=4, against=2, abstain=0, kind="admission", config=counted
    )
    assert check.eligible == 9 and not check.adopted


def test_unknown_kind_is_a_clear_error() -> None:
    f = _figures(present=3, absent=0)
    with pytest.raises(ValidationError, match="Loại biểu quyết “ket_nap_moi”"):
        voting_rules.check_vote(f, in_favour=3, against=0, abstain=0, kind="ket_nap_moi")


def _nine_official(book: Book) -> dict[str, str]:
    names = [
        "Trần Văn Bình", "Nguyễn Thị Hòa", "Lê Văn Tám", "Phạm Thị Lan", "Võ Thị Sáu",
        "Đỗ Văn Hải", "Hồ Thị Mai", "Bùi Văn Tư", "Ngô Thị Yến",
    ]  # fmt: skip
    ids = {}
    for name in names:
        ids[name] = members.create(
            book, data=MemberInput(full_name=name, birth_date=dt.date(1960, 1, 1))
        ).id
    ids["Đặng Văn Giang"] = members.create(
        book, data=MemberInput(full_name="Đặng Văn Giang", status="du_bi")
    ).id
    return ids


def test_minutes_record_the_kind_and_print_base_and_threshold(book: Book) -> None:
    ids = _nine_official(book)
    m = new_meeting(book, at=days_ago(2))
    for name in ("Ngô Thị Yến", "Bùi Văn Tư"):
        attendance.mark(book, meeting_id=m.id, member_id=ids[name], status="unexcused")
    attendance.mark_remaining_present(book, meeting_id=m.id)
    vote = VoteRecord("Đề nghị công nhận đảng viên chính thức", 5, 1, 1, "recognition")
    saved = meetings.save_minutes(book, meeting_id=m.id, minutes=Minutes(votes=(vote,)))
    assert saved.votes == (vote,)
    assert meetings.get_minutes(book, meeting_id=m.id).votes[0].kind == "recognition"
    (check,) = meetings.check_votes(book, meeting_id=m.id, votes=saved.votes)
    assert not check.adopted
    paper = meeting_papers.minutes_paper(book, meeting_id=m.id)
    assert paper.votes[0].eligible == 9
    assert paper.votes[0].result.startswith(
        "5/9 đảng viên chính thức tán thành, chưa đạt hai phần ba (cần ít nhất 6): "
        "không được thông qua."
    )
    from reports.printing import meeting_pdf

    text = " ".join(pdf_text(meeting_pdf(book, meeting_id=m.id, kind="minutes")))
    assert "5/9 đảng viên chính thức tán thành, chưa đạt hai phần ba (cần ít nhất 6)" in text
    assert "Tán thành: 5/9 đồng chí" in text
    # The counts are listed once above the result; the result adds only the rule.
    assert paper.votes[0].result.endswith(" không được thông qua. " + check.rule_text + ".")
    assert "số tính" not in text and text.count("Tán thành: 5/9") == 1
    with pytest.raises(ValidationError, match="Loại biểu quyết"):
        meetings.save_minutes(
            book,
            meeting_id=m.id,
            minutes=Minutes(votes=(VoteRecord("Kết nạp", 6, 0, 0, "nhập môn"),)),
        )


def test_minutes_json_takes_kind_with_resolution_as_default() -> None:
    day = dt.date(2026, 11, 20)
    parsed = minutes_from_json(
        {
            "votes": [
                {"subject": "Thông qua nghị quyết tháng", "in_favour": 7},
                {"subject": "Kết nạp Lê Văn A", "kind": "admission", "in_favour": 6},
            ]
        },
        day=day,
    )
    assert [v.kind for v in parsed.votes] == ["resolution", "admission"]
    with pytest.raises(ValidationError, match="lần biểu quyết thứ 1 “Bầu”: Loại biểu quyết"):
        minutes_from_json({"votes": [{"subject": "Bầu", "kind": "vote", "in_favour": 1}]}, day=day)
    assert parsed.to_json()["votes"][1]["kind"] == "admission"

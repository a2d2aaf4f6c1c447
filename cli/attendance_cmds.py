"""`sotay attendance …`: roll call, absence requests, one meeting's attendance figures."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.models.meeting_extra import ABSENCE_CHANNELS
from app.vocab import AttendanceMark
from cli.common import print_json, with_book

if TYPE_CHECKING:
    from app.services.voting_rules import AttendanceFigures


def register(sub: Any) -> None:
    p = sub.add_parser("attendance", help="điểm danh và xin phép vắng họp")
    asub = p.add_subparsers(dest="attendance_command", metavar="LỆNH", required=True)

    c = asub.add_parser("mark", help="điểm danh một đảng viên")
    c.add_argument("meeting_id")
    c.add_argument("member_id")
    c.add_argument("status", choices=[k.value for k in AttendanceMark])
    c.add_argument("--reason", default="")
    c.add_argument("--amend-reason", default="", help="lý do đính chính (cuộc họp đã kết thúc)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_mark)

    c = asub.add_parser("show", help="kết quả điểm danh")
    c.add_argument("meeting_id")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_attendance_show)

    c = asub.add_parser("all-present", help="đánh dấu tất cả còn lại có mặt")
    c.add_argument("meeting_id")
    c.set_defaults(func=cmd_all_present)

    c = asub.add_parser("request", help="ghi đơn xin phép vắng họp")
    c.add_argument("meeting_id")
    c.add_argument("member_id")
    c.add_argument("--reason", required=True)
    c.add_argument("--channel", default="truc_tiep", choices=tuple(ABSENCE_CHANNELS))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_request)


def cmd_mark(args: argparse.Namespace) -> int:
    from app.services import attendance

    mark = with_book(
        args,
        lambda book: attendance.mark(
            book,
            meeting_id=args.meeting_id,
            member_id=args.member_id,
            status=args.status,
            reason=args.reason,
            amend_reason=args.amend_reason,
        ),
    )
    if args.json:
        print_json(
            {
                "id": mark.id,
                "meeting_id": mark.meeting_id,
                "member_id": mark.member_id,
                "status": mark.status,
                "reason": mark.reason,
            }
        )
    else:
        print("Đã điểm danh.")
    return 0


def figures_json(fig: AttendanceFigures) -> dict[str, Any]:
    return {
        "total": fig.total,
        "official": fig.official,
        "probationary": fig.probationary,
        "temporary": fig.temporary,
        "exempted": fig.exempted,
        "expected": fig.expected,
        "present": fig.present,
        "late": fig.late,
        "absent_excused": fig.absent_excused,
        "absent_unexcused": fig.absent_unexcused,
        "unmarked": fig.unmarked,
        "counted_official": fig.counted_official,
        "voting_present": fig.voting_present,
        "needed": fig.needed,
        "can_adopt": fig.can_adopt,
        "attendance_percent": round(fig.attendance_percent, 1),
    }


def cmd_attendance_show(args: argparse.Namespace) -> int:
    from app.services import attendance

    call = with_book(args, lambda book: attendance.roll_call(book, meeting_id=args.meeting_id))
    if args.json:
        print_json(
            {
                "meeting_id": call.meeting_id,
                "state": call.meeting_state,
                "figures": figures_json(call.figures),
                "members": [r.to_json() for r in call.rows],
            }
        )
        return 0
    for r in call.rows:
        reason = f" ({r.reason})" if r.reason else ""
        print(f"{r.full_name:<32} {r.role_label:<20} {r.status_label}{reason}")
    f = call.figures
    print(
        f"Tổng số {f.total}; phải dự {f.expected}; có mặt {f.present}; vắng có lý do "
        f"{f.absent_excused}; vắng không lý do {f.absent_unexcused}; miễn sinh hoạt {f.exempted}."
    )
    verdict = "đủ" if f.can_adopt else "chưa đủ"
    print(
        f"Đảng viên chính thức có mặt được biểu quyết: {f.voting_present}/{f.counted_official} — "
        f"{verdict} điều kiện thông qua nghị quyết (cần {f.needed})."
    )
    return 0


def cmd_all_present(args: argparse.Namespace) -> int:
    from app.services import attendance

    n = with_book(
        args, lambda book: attendance.mark_remaining_present(book, meeting_id=args.meeting_id)
    )
    print(f"Đã đánh dấu có mặt cho {n} đồng chí còn lại.")
    return 0


def cmd_request(args: argparse.Namespace) -> int:
    from app.services import attendance

    req = with_book(
        args,
        lambda book: attendance.request_absence(
            book,
            meeting_id=args.meeting_id,
            member_id=args.member_id,
            reason=args.reason,
            channel=args.channel,
        ),
    )
    if args.json:
        print_json({"id": req.id})
    else:
        print(f"Đã ghi đơn xin vắng họp của đồng chí {req.member_name}.")
    return 0

"""`sotay support …`: help sessions for elderly members, the electronic handbook board."""

from __future__ import annotations

import argparse
from typing import Any

from app.errors import ValidationError
from app.models.support import SUPPORT_ACTIONS
from cli.common import opened_book, parse_date, print_json


def register(sub: Any) -> None:
    p = sub.add_parser(
        "support", help="buổi hỗ trợ đảng viên cao tuổi, bảng theo dõi Sổ tay điện tử"
    )
    ssub = p.add_subparsers(dest="support_command", metavar="LỆNH", required=True)

    c = ssub.add_parser("add", help="ghi một buổi hỗ trợ (hoặc lên lịch nếu ngày ở tương lai)")
    c.add_argument("--date", required=True, help="ngày tổ chức, YYYY-MM-DD")
    c.add_argument("--place", required=True)
    c.add_argument("--helper", action="append", default=[], help="người hỗ trợ (lặp lại được)")
    c.add_argument(
        "--member",
        action="append",
        default=[],
        metavar="MÃ:VIỆC,VIỆC",
        help=f"đảng viên đến dự và việc đã làm ({', '.join(SUPPORT_ACTIONS)}); lặp lại được",
    )
    c.add_argument("--notes", default="")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_support_add)

    c = ssub.add_parser("list", help="các buổi hỗ trợ")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_support_list)

    c = ssub.add_parser("board", help="ai đã dùng Sổ tay đảng viên điện tử, ai chưa và vì sao")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_support_board)


def _help_input(spec: str) -> Any:
    from app.services import support

    member_id, _, actions = spec.partition(":")
    if not member_id.strip():
        raise ValidationError(
            f"Không hiểu “{spec}”. Ghi dạng MÃ_ĐẢNG_VIÊN:việc,việc, ví dụ abc:cai_dat,dang_ky.",
            field="member",
        )
    return support.HelpInput(
        member_id=member_id.strip(),
        actions=tuple(a.strip() for a in actions.split(",") if a.strip()),
    )


def cmd_support_add(args: argparse.Namespace) -> int:
    from app.services import support

    held_on = parse_date(args.date, field="held_on")
    assert held_on is not None
    with opened_book(args) as book:
        session = support.create_session(
            book,
            data=support.SessionInput(
                held_on=held_on,
                place=args.place,
                helpers=tuple(args.helper),
                notes=args.notes,
                attendees=tuple(_help_input(spec) for spec in args.member),
            ),
        )
    if args.json:
        print_json(session.to_json())
    else:
        print(
            f"Đã ghi buổi hỗ trợ ngày {session.held_on:%d/%m/%Y} tại {session.place} "
            f"({len(session.attendees)} đảng viên; mã {session.id})."
        )
    return 0


def cmd_support_list(args: argparse.Namespace) -> int:
    from app.services import support

    with opened_book(args) as book:
        sessions = support.list_sessions(book)
    if args.json:
        print_json([s.to_json() for s in sessions])
        return 0
    if not sessions:
        print("Chưa có buổi hỗ trợ nào.")
    for s in sessions:
        print(f"{s.held_on:%d/%m/%Y}  {s.place}  — {len(s.attendees)} đảng viên  ({s.id})")
        for a in s.attendees:
            print(f"    {a.full_name}: {a.description}")
    return 0


def cmd_support_board(args: argparse.Namespace) -> int:
    from app.services import support

    with opened_book(args) as book:
        board = support.onboarding_board(book)
    if args.json:
        print_json(board.to_json())
        return 0
    print(
        f"Đang dùng Sổ tay đảng viên điện tử: {board.using}/{board.required} "
        f"({board.percent:.1f}%); đã đăng ký: {board.registered}; miễn sinh hoạt: {board.exempt}."
    )
    for r in board.not_yet:
        print(f"- {r.full_name}: {r.reason_label}. Việc tiếp theo: {r.next_step}.")
    return 0

"""`sotay feedback …`: members' feedback (góp ý, phản ánh, đề xuất) and its answer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.models.feedback import FEEDBACK_CHANNELS, FEEDBACK_KINDS, FEEDBACK_STATES
from cli.common import choices_help, opened_book, parse_date, print_json

if TYPE_CHECKING:
    from app.services.feedback import FeedbackView


def register(sub: Any) -> None:
    p = sub.add_parser("feedback", help="ý kiến góp ý, phản ánh, đề xuất của đảng viên")
    fsub = p.add_subparsers(dest="feedback_command", metavar="LỆNH", required=True)

    c = fsub.add_parser("add", help="ghi ý kiến của một đảng viên")
    c.add_argument("--member", required=True, help="mã đảng viên")
    c.add_argument("--kind", required=True, help=choices_help(FEEDBACK_KINDS))
    c.add_argument("--content", required=True)
    c.add_argument("--channel", default="truc_tiep", help=choices_help(FEEDBACK_CHANNELS))
    c.add_argument("--date", help="ngày nhận (mặc định hôm nay)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_feedback_add)

    c = fsub.add_parser("list", help="danh sách ý kiến (mới nhất trước)")
    c.add_argument("--state", choices=tuple(FEEDBACK_STATES), help=choices_help(FEEDBACK_STATES))
    c.add_argument("--waiting", action="store_true", help="chỉ các ý kiến chưa được trả lời")
    c.add_argument("--member", help="mã đảng viên")
    c.add_argument("--search", help="tên đảng viên (không cần dấu)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_feedback_list)

    c = fsub.add_parser("handle", help="chuyển sang đang xử lý")
    c.add_argument("feedback_id")
    c.add_argument("--note", default="", help="cách chi bộ xử lý")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_feedback_handle)

    c = fsub.add_parser("forward", help="chuyển lên cấp ủy cấp trên")
    c.add_argument("feedback_id")
    c.add_argument("--date", help="ngày chuyển (mặc định hôm nay)")
    c.add_argument("--note", default="")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_feedback_forward)

    c = fsub.add_parser("answer", help="ghi câu trả lời")
    c.add_argument("feedback_id")
    c.add_argument("--text", required=True, help="nội dung trả lời")
    c.add_argument(
        "--by", default="", help="nơi trả lời (mặc định chi bộ, hoặc cấp trên nếu đã chuyển)"
    )
    c.add_argument("--date", help="ngày trả lời (mặc định hôm nay)")
    c.add_argument("--reason", default="", help="lý do, khi sửa câu trả lời đã ghi")
    c.add_argument("-o", "--output", help="in câu trả lời chữ lớn cho đảng viên ra tệp PDF này")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_feedback_answer)

    c = fsub.add_parser("print", help="in câu trả lời chữ lớn cho đảng viên")
    c.add_argument("feedback_id")
    c.add_argument("-o", "--output", required=True)
    c.set_defaults(func=cmd_feedback_print)

    c = fsub.add_parser("remove", help="xóa ý kiến ghi nhầm")
    c.add_argument("feedback_id")
    c.add_argument("--reason", required=True)
    c.set_defaults(func=cmd_feedback_remove)


def _print_feedback(item: FeedbackView, args: argparse.Namespace, verb: str) -> None:
    if args.json:
        print_json(item.to_json())
    else:
        print(
            f"{verb}: {item.kind_label} của đồng chí {item.member_name} — {item.state_label} (mã {item.id})."
        )


def cmd_feedback_add(args: argparse.Namespace) -> int:
    from app.services import feedback

    with opened_book(args) as book:
        item = feedback.add(
            book,
            data=feedback.FeedbackInput(
                member_id=args.member,
                kind=args.kind,
                content=args.content,
                channel=args.channel,
                received_on=parse_date(args.date, field="received_on"),
            ),
        )
        _print_feedback(item, args, "Đã ghi")
    return 0


def cmd_feedback_list(args: argparse.Namespace) -> int:
    from app.services import feedback

    with opened_book(args) as book:
        state: Any = feedback.WAITING_STATES if args.waiting else args.state
        items = feedback.list_feedback(book, state=state, member_id=args.member, search=args.search)
    if args.json:
        print_json([i.to_json() for i in items])
        return 0
    if not items:
        print("Chưa có ý kiến nào.")
    for i in items:
        print(
            f"{i.received_on:%d/%m/%Y}  {i.member_name}  [{i.kind_label}] {i.content[:60]}"
            f"  — {i.state_label}  ({i.id})"
        )
    return 0


def cmd_feedback_handle(args: argparse.Namespace) -> int:
    from app.services import feedback

    with opened_book(args) as book:
        _print_feedback(
            feedback.start_handling(book, feedback_id=args.feedback_id, note=args.note),
            args,
            "Đang xử lý",
        )
    return 0


def cmd_feedback_forward(args: argparse.Namespace) -> int:
    from app.services import feedback

    with opened_book(args) as book:
        item = feedback.forward(
            book,
            feedback_id=args.feedback_id,
            on=parse_date(args.date, field="forwarded_on"),
            note=args.note,
        )
        _print_feedback(item, args, "Đã chuyển cấp trên")
    return 0


def cmd_feedback_answer(args: argparse.Namespace) -> int:
    from app.services import feedback

    with opened_book(args) as book:
        item = feedback.answer(
            book,
            feedback_id=args.feedback_id,
            text=args.text,
            answered_by=args.by,
            on=parse_date(args.date, field="answered_on"),
            reason=args.reason,
        )
        if args.output:
            from reports.printing import write_answer_pdf

            write_answer_pdf(book, feedback_id=item.id, path=Path(args.output))
        _print_feedback(item, args, "Đã ghi trả lời")
    return 0


def cmd_feedback_print(args: argparse.Namespace) -> int:
    from reports.printing import write_answer_pdf

    with opened_book(args) as book:
        path = write_answer_pdf(book, feedback_id=args.feedback_id, path=Path(args.output))
    print(f"Đã in câu trả lời chữ lớn ra {path}.")
    return 0


def cmd_feedback_remove(args: argparse.Namespace) -> int:
    from app.services import feedback

    with opened_book(args) as book:
        feedback.remove(book, feedback_id=args.feedback_id, reason=args.reason)
    print("Đã xóa ý kiến.")
    return 0

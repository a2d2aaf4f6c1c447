"""Feedback, support sessions, reports to the upper committee, and the dashboard:
`sotay feedback …`, `sotay support …`, `sotay reports …`, `sotay dashboard`.

Also the one place these papers are handed to reports/ (the UI calls `report_pdf` and
`answer_pdf` from here too), so the conversion from app's plain data to the reports'
dataclasses is written once.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KnownError, ValidationError
from app.models.feedback import FEEDBACK_CHANNELS, FEEDBACK_KINDS, FEEDBACK_STATES
from app.models.report import REPORT_KINDS
from app.models.support import SUPPORT_ACTIONS
from cli.common import opened_book, print_json

if TYPE_CHECKING:
    from app.services.feedback import AnswerPaper
    from app.services.upward_reports import ReportPaper

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


# --- rendering (shared with the UI) -----------------------------------------------------


def report_pdf(paper: ReportPaper, *, large_print: bool = False) -> bytes:
    from reports.layout import DocHeader
    from reports.upward_report import SectionTable, UpwardReportData, UpwardSection
    from reports.upward_report import upward_report_pdf as render

    data = UpwardReportData(
        header=DocHeader(
            committee=paper.committee,
            branch=paper.branch,
            place=paper.place,
            date=paper.issued_on,
            number=paper.number,
        ),
        subtitle=paper.subtitle,
        sections=[
            UpwardSection(
                title=sec.title,
                body=sec.body,
                table=SectionTable(sec.table.columns, sec.table.rows) if sec.table else None,
            )
            for sec in paper.sections
        ],
        signer_name=paper.signer_name,
        recipients=list(paper.recipients),
        draft=paper.draft,
        revision_note=paper.revision_note,
    )
    return render(data, large_print=large_print)


def answer_pdf(paper: AnswerPaper) -> bytes:
    """The answer to a member's feedback, in large print."""
    from reports.large_print import large_print_pdf
    from reports.layout import DocHeader

    return large_print_pdf(
        title=paper.title,
        subtitle=paper.subtitle,
        body_text=paper.body_text,
        header=DocHeader(
            committee=paper.committee, branch=paper.branch, place=paper.place, date=paper.date
        ),
    )


def write_report_pdf(book: Any, *, report_id: str, path: Path, large_print: bool = False) -> Path:
    from app.services import upward_reports
    from reports.output import write_pdf

    paper = upward_reports.paper(book, report_id=report_id)
    return _write(
        lambda: write_pdf(_pdf_path(path), report_pdf(paper, large_print=large_print)), path
    )


def write_answer_pdf(book: Any, *, feedback_id: str, path: Path) -> Path:
    from app.services import feedback
    from reports.output import write_pdf

    paper = feedback.answer_paper(book, feedback_id=feedback_id)
    return _write(lambda: write_pdf(_pdf_path(path), answer_pdf(paper)), path)


def _pdf_path(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise ValidationError("Tệp in ra phải có đuôi .pdf.", field="output")
    return path


def _write(fn: Any, path: Path) -> Path:
    try:
        return Path(fn())
    except OSError as exc:
        raise KnownError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from exc


# --- parsing ------------------------------------------------------------------------------


def parse_date(text: str | None, *, field: str = "date") -> dt.date | None:
    if text is None:
        return None
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        f"Không hiểu ngày “{text}”. Hãy viết dạng YYYY-MM-DD, ví dụ 2025-11-05.", field=field
    )


def _choices(table: dict[str, str]) -> str:
    return ", ".join(f"{k} ({v})" for k, v in table.items())


# --- commands -----------------------------------------------------------------------------


def register(sub: Any) -> None:
    _register_feedback(sub)
    _register_support(sub)
    _register_reports(sub)
    p = sub.add_parser("dashboard", help="tổng quan: cuộc họp tới, việc cần làm, chờ đồng bộ")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dashboard)


def _register_feedback(sub: Any) -> None:
    p = sub.add_parser("feedback", help="ý kiến góp ý, phản ánh, đề xuất của đảng viên")
    fsub = p.add_subparsers(dest="feedback_command", metavar="LỆNH", required=True)

    c = fsub.add_parser("add", help="ghi ý kiến của một đảng viên")
    c.add_argument("--member", required=True, help="mã đảng viên")
    c.add_argument("--kind", required=True, help=_choices(FEEDBACK_KINDS))
    c.add_argument("--content", required=True)
    c.add_argument("--channel", default="truc_tiep", help=_choices(FEEDBACK_CHANNELS))
    c.add_argument("--date", help="ngày nhận (mặc định hôm nay)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_feedback_add)

    c = fsub.add_parser("list", help="danh sách ý kiến (mới nhất trước)")
    c.add_argument("--state", choices=tuple(FEEDBACK_STATES), help=_choices(FEEDBACK_STATES))
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


def _register_support(sub: Any) -> None:
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


def _register_reports(sub: Any) -> None:
    p = sub.add_parser("reports", help="báo cáo gửi cấp ủy cấp trên")
    rsub = p.add_subparsers(dest="reports_command", metavar="LỆNH", required=True)

    c = rsub.add_parser("draft", help="soạn báo cáo từ số liệu trong sổ (hoặc mở bản đã có)")
    c.add_argument(
        "--kind", required=True, choices=tuple(REPORT_KINDS), help=_choices(REPORT_KINDS)
    )
    c.add_argument("--period", required=True, help="YYYY-MM (tháng), YYYY-Qn (quý) hoặc YYYY (năm)")
    c.add_argument("-o", "--output", help="in bản nháp ra tệp PDF này")
    c.add_argument("--large-print", action="store_true", help="chữ lớn")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_draft)

    c = rsub.add_parser("list", help="danh sách báo cáo")
    c.add_argument("--year", type=int)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_list)

    c = rsub.add_parser("show", help="nội dung một báo cáo")
    c.add_argument("report_id")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_show)

    c = rsub.add_parser("edit", help="sửa trích yếu, ngày hoặc một mục của báo cáo")
    c.add_argument("report_id")
    c.add_argument("--subtitle")
    c.add_argument("--issued", help="ngày ban hành, YYYY-MM-DD")
    c.add_argument("--section", help="số thứ tự mục (1 = mục I) hoặc tên mục")
    c.add_argument("--body", help="nội dung mới của mục")
    c.add_argument("--reason", default="", help="bắt buộc khi báo cáo đã gửi")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_edit)

    c = rsub.add_parser("redraft", help="cập nhật lại số liệu (thay nội dung các mục)")
    c.add_argument("report_id")
    c.add_argument("--reason", default="", help="bắt buộc khi báo cáo đã gửi")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_redraft)

    c = rsub.add_parser("number", help="cấp số báo cáo (mặc định số tiếp theo trong năm)")
    c.add_argument("report_id")
    c.add_argument("--number", help="số tự chọn, ví dụ 05-BC/CB")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_number)

    c = rsub.add_parser("submit", help="gửi báo cáo lên cấp trên (đi cùng lần đồng bộ tới)")
    c.add_argument("report_id")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_submit)

    c = rsub.add_parser("pdf", help="in báo cáo ra PDF")
    c.add_argument("report_id")
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--large-print", action="store_true")
    c.set_defaults(func=cmd_reports_pdf)

    c = rsub.add_parser("due", help="báo cáo cần gửi cấp trên (và hạn báo cáo triển khai)")
    c.add_argument(
        "--deployment-due", help="đặt hạn gửi báo cáo triển khai Sổ tay điện tử, YYYY-MM-DD"
    )
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_reports_due)

    c = rsub.add_parser("remove", help="xóa bản nháp chưa gửi")
    c.add_argument("report_id")
    c.add_argument("--reason", default="")
    c.set_defaults(func=cmd_reports_remove)


# --- feedback -------------------------------------------------------------------------------


def _print_feedback(item: Any, args: argparse.Namespace, verb: str) -> None:
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
            write_answer_pdf(book, feedback_id=item.id, path=Path(args.output))
        _print_feedback(item, args, "Đã ghi trả lời")
    return 0


def cmd_feedback_print(args: argparse.Namespace) -> int:
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


# --- support --------------------------------------------------------------------------------


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


# --- reports --------------------------------------------------------------------------------


def _print_report(r: Any, args: argparse.Namespace, extra: dict[str, Any] | None = None) -> None:
    if args.json:
        print_json({**r.to_json(), **(extra or {})})
        return
    number = f"số {r.number}, " if r.number else ""
    print(f"{r.title} ({number}{r.state_label.lower()}; mã {r.id}).")


def cmd_reports_draft(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        result = upward_reports.draft(book, kind=args.kind, period=args.period)
        path = None
        if args.output:
            path = write_report_pdf(
                book,
                report_id=result.report.id,
                path=Path(args.output),
                large_print=args.large_print,
            )
    if args.json:
        _print_report(
            result.report,
            args,
            {
                "created": result.created,
                "notices": list(result.notices),
                "pdf": str(path) if path else None,
            },
        )
        return 0
    for notice in result.notices:
        print(f"Lưu ý: {notice}")
    _print_report(result.report, args)
    if path:
        print(f"Đã in bản nháp ra {path}.")
    return 0


def cmd_reports_list(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        items = upward_reports.list_reports(book, year=args.year)
    if args.json:
        print_json([r.to_json() for r in items])
        return 0
    if not items:
        print("Chưa có báo cáo nào.")
    for r in items:
        print(f"{r.number or '(chưa số)':>10}  {r.title} — {r.state_label}  ({r.id})")
    return 0


def cmd_reports_show(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        r = upward_reports.get(book, report_id=args.report_id)
    if args.json:
        print_json(r.to_json())
        return 0
    _print_report(r, args)
    print(r.subtitle)
    number = 0
    for sec in r.sections:
        if sec.title:
            number += 1
            print(f"\n{number}. {sec.title.upper()}")
        print(sec.body)
    return 0


def _section_index(r: Any, which: str) -> int:
    titled = [i for i, s in enumerate(r.sections) if s.title]
    text = which.strip()
    if text.isdigit() and 1 <= int(text) <= len(titled):
        return titled[int(text) - 1]
    for i, s in enumerate(r.sections):
        if s.title and s.title.lower() == text.lower():
            return i
    names = "; ".join(f"{n + 1}. {r.sections[i].title}" for n, i in enumerate(titled))
    raise ValidationError(f"Báo cáo không có mục “{which}”. Các mục: {names}.", field="section")


def cmd_reports_edit(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        r = upward_reports.get(book, report_id=args.report_id)
        sections = list(r.sections)
        if args.section is not None or args.body is not None:
            if args.section is None or args.body is None:
                raise ValidationError("Sửa một mục cần cả --section và --body.", field="section")
            i = _section_index(r, args.section)
            sections[i] = upward_reports.ReportSection(
                sections[i].title, args.body, sections[i].table
            )
        edit = upward_reports.ReportEdit(
            subtitle=args.subtitle if args.subtitle is not None else r.subtitle,
            issued_on=parse_date(args.issued, field="issued_on") or r.issued_on,
            sections=sections,
            recipients=r.recipients,
            signer_name=r.signer_name,
        )
        r = upward_reports.update(book, report_id=r.id, data=edit, reason=args.reason)
    _print_report(r, args)
    return 0


def cmd_reports_redraft(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        r = upward_reports.redraft(book, report_id=args.report_id, reason=args.reason)
    _print_report(r, args)
    return 0


def cmd_reports_number(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        r = upward_reports.assign_number(book, report_id=args.report_id, number=args.number)
    _print_report(r, args)
    return 0


def cmd_reports_submit(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        r = upward_reports.submit(book, report_id=args.report_id)
    if not args.json:
        print(f"Đã gửi báo cáo số {r.number}; báo cáo sẽ lên cấp trên ở lần đồng bộ tới.")
        return 0
    _print_report(r, args)
    return 0


def cmd_reports_pdf(args: argparse.Namespace) -> int:
    with opened_book(args) as book:
        path = write_report_pdf(
            book, report_id=args.report_id, path=Path(args.output), large_print=args.large_print
        )
    print(f"Đã in báo cáo ra {path}.")
    return 0


def cmd_reports_remove(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    with opened_book(args) as book:
        upward_reports.remove(book, report_id=args.report_id, reason=args.reason)
    print("Đã xóa bản nháp báo cáo.")
    return 0


def cmd_reports_due(args: argparse.Namespace) -> int:
    from app.services import upward_reports

    due_date = parse_date(args.deployment_due, field="deployment_due")
    with opened_book(args) as book:
        if due_date is not None:
            upward_reports.set_deployment_due(book, due=due_date)
        items = upward_reports.due_reports(book)
        deadline = upward_reports.deployment_due(book)
    if args.json:
        print_json(
            {
                "deployment_due": deadline.isoformat(),
                "due": [
                    {
                        "kind": d.kind,
                        "period": d.period,
                        "due_on": d.due_on.isoformat() if d.due_on else None,
                        "report_id": d.report_id,
                        "state": d.state,
                        "message": d.message(),
                    }
                    for d in items
                ],
            }
        )
        return 0
    print(f"Hạn gửi báo cáo triển khai Sổ tay đảng viên điện tử: {deadline:%d/%m/%Y}.")
    if not items:
        print("Không có báo cáo nào đến hạn.")
    for d in items:
        print(f"- {d.message()}")
    return 0


# --- dashboard ------------------------------------------------------------------------------


def cmd_dashboard(args: argparse.Namespace) -> int:
    from app.services import dashboard

    with opened_book(args) as book:
        d = dashboard.dashboard(book)
    if args.json:
        print_json(d.to_json())
        return 0
    nm = d.next_meeting
    if nm is None:
        print("Cuộc họp tới: chưa lên lịch.")
    else:
        print(
            f"Cuộc họp tới: {nm.meeting.title}, {nm.meeting.starts_at:%H:%M %d/%m/%Y} tại {nm.meeting.place}."
        )
        for line in nm.missing:
            print(f"  - {line}")
    print(
        f"Ý kiến chờ trả lời: {d.feedback_waiting_total}. Thay đổi chờ đồng bộ: {d.sync_pending}."
    )
    for r in d.reports_due:
        print(f"Báo cáo: {r.message()}.")
    for a in d.attention:
        print(f"- [{a.kind_label}] {a.message}")
    return 0

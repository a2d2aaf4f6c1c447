"""`sotay reports …`: reports to the upper committee (draft, edit, number, submit, print)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import ValidationError
from app.models.report import REPORT_KINDS
from cli.common import choices_help, opened_book, parse_date, print_json

if TYPE_CHECKING:
    from app.services.upward_reports import ReportView


def register(sub: Any) -> None:
    p = sub.add_parser("reports", help="báo cáo gửi cấp ủy cấp trên")
    rsub = p.add_subparsers(dest="reports_command", metavar="LỆNH", required=True)

    c = rsub.add_parser("draft", help="soạn báo cáo từ số liệu trong sổ (hoặc mở bản đã có)")
    c.add_argument(
        "--kind", required=True, choices=tuple(REPORT_KINDS), help=choices_help(REPORT_KINDS)
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


def _print_report(
    r: ReportView, args: argparse.Namespace, extra: dict[str, Any] | None = None
) -> None:
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
            from reports.printing import write_report_pdf

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


def _section_index(r: ReportView, which: str) -> int:
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
    from reports.printing import write_report_pdf

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
    this_month = dt.date.today().replace(day=1)
    if deadline < this_month:
        # A date set for an earlier month is spent: this month's report follows the plan's day.
        deadline = upward_reports.deployment_due_for(this_month)
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

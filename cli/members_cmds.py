"""Member commands: `sotay members list|add|edit|remove|history|import|export|pdf|badges`.

The printed register and badge list are built in reports.printing (shared with the window).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import ValidationError
from app.models.member import ACCOUNT_STATES
from app.text import fold
from app.vocab import MemberStatus
from cli.common import opened_book, print_json, strptime_any

if TYPE_CHECKING:
    from app.book import Book
    from app.services.members import MemberInput, MemberView
    from app.services.milestones import BadgeDue


# --- parsing helpers -----------------------------------------------------------------------


def parse_status(value: str | None) -> str | None:
    """A status by code ('du_bi') or Vietnamese label ('dự bị', 'Du bi')."""
    if not value:
        return None
    if value in MemberStatus.labels():
        return value
    key = fold(value).replace("_", " ")
    for code, label in MemberStatus.labels().items():
        if key in (fold(label), code.replace("_", " ")):
            return code
    raise ValidationError(
        f"Trạng thái “{value}” không có; dùng một trong: "
        + ", ".join(f"{c} ({label})" for c, label in MemberStatus.labels().items())
        + ".",
        field="status",
    )


def _account(value: str | None) -> str | None:
    if not value:
        return None
    if value in ACCOUNT_STATES:
        return value
    key = fold(value)
    for code, label in ACCOUNT_STATES.items():
        if key in (fold(label), code.replace("_", " ")):
            return code
    raise ValidationError(
        f"Trạng thái tài khoản “{value}” không có; dùng: " + ", ".join(ACCOUNT_STATES) + ".",
        field="app_account",
    )


def parse_date(value: str | None, *, label: str) -> dt.date | None:
    if value is None or value.strip() == "":
        return None
    parsed = strptime_any(value, ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"))
    if parsed is not None:
        return parsed.date()
    raise ValidationError(
        f"{label}: không đọc được “{value}” (dùng YYYY-MM-DD hoặc dd/mm/yyyy).", field=label
    )


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    key = fold(value)
    if key in ("1", "co", "yes", "true", "x"):
        return True
    if key in ("0", "khong", "no", "false"):
        return False
    raise ValidationError(f"Không hiểu “{value}”; ghi “có” hoặc “không”.")


def parse_mapping(items: Sequence[str] | None) -> dict[str, str]:
    """--map COL=field (COL: letter, number or header text; field: code, label or '-')."""
    out: dict[str, str] = {}
    for item in items or ():
        if "=" not in item:
            raise ValidationError(
                f"--map “{item}” cần dạng CỘT=trường, ví dụ --map E=phone hoặc "
                "--map “Số ĐT=phone”.",
                field="mapping",
            )
        column, field = item.split("=", 1)
        out[column.strip()] = field.strip()
    return out


# --- commands -------------------------------------------------------------------------------


def register(sub: Any) -> None:
    group = sub.add_parser("members", help="danh sách đảng viên của chi bộ")
    msub = group.add_subparsers(dest="members_command", metavar="VIỆC", required=True)

    p = msub.add_parser("list", help="liệt kê đảng viên (tìm không dấu)")
    p.add_argument("--search", help="tìm theo tên (không cần dấu), số thẻ, số định danh, SĐT")
    p.add_argument("--status", help="lọc theo trạng thái, ví dụ du_bi hoặc “dự bị”")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = msub.add_parser("show", help="xem một đảng viên")
    p.add_argument("id", metavar="MÃ_ĐẢNG_VIÊN")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    for name, helptext in (("add", "thêm đảng viên"), ("edit", "sửa thông tin đảng viên")):
        p = msub.add_parser(name, help=helptext)
        if name == "edit":
            p.add_argument("id", metavar="MÃ_ĐẢNG_VIÊN")
            p.add_argument("--reason", default="", help="lý do sửa (ghi vào nhật ký)")
        p.add_argument("--name", required=name == "add", help="họ và tên")
        p.add_argument("--birth", help="ngày sinh (YYYY-MM-DD hoặc dd/mm/yyyy)")
        p.add_argument("--gender", help="nam hoặc nữ")
        p.add_argument("--admitted", help="ngày vào Đảng (ngày lễ kết nạp: tính thời gian dự bị)")
        p.add_argument("--decision", help="ngày quyết định kết nạp (tính tuổi Đảng, Huy hiệu Đảng)")
        p.add_argument("--died", help="ngày từ trần (truy tặng Huy hiệu Đảng)")
        p.add_argument(
            "--left-date",
            help="ngày chuyển đi / xóa tên (cần khi trạng thái là chuyển đi, xóa tên; "
            "đảng phí tính đến hết tháng này)",
        )
        p.add_argument(
            "--left-to", help="nơi chuyển đến: chi bộ, đảng bộ nhận sinh hoạt (khi chuyển đi)"
        )
        p.add_argument(
            "--serious-illness", help="bệnh hiểm nghèo (tặng sớm Huy hiệu Đảng): có/không"
        )
        p.add_argument("--official", help="ngày chính thức")
        p.add_argument("--card", help="số thẻ đảng viên")
        p.add_argument("--personal-id", help="số định danh cá nhân (CCCD)")
        p.add_argument("--phone", help="số điện thoại")
        p.add_argument("--branch-label", help="chi bộ đang sinh hoạt")
        p.add_argument("--status", help="trạng thái")
        p.add_argument("--position", help="chức vụ")
        p.add_argument("--address", help="địa chỉ")
        p.add_argument("--notes", help="ghi chú")
        p.add_argument("--smartphone", help="có điện thoại thông minh: có/không")
        p.add_argument("--account", help="tài khoản Sổ tay đảng viên")
        p.add_argument("--needs-support", help="cần hỗ trợ: có/không")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_add if name == "add" else cmd_edit)

    p = msub.add_parser("remove", help="xóa đảng viên khỏi danh sách (vẫn giữ nhật ký)")
    p.add_argument("id", metavar="MÃ_ĐẢNG_VIÊN")
    p.add_argument("--reason", default="")
    p.set_defaults(func=cmd_remove)

    p = msub.add_parser("history", help="các lần thay đổi thông tin của một đảng viên")
    p.add_argument("id", metavar="MÃ_ĐẢNG_VIÊN")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = msub.add_parser("import", help="nhập danh sách từ tệp Excel (.xlsx) hoặc CSV")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--map",
        action="append",
        metavar="CỘT=TRƯỜNG",
        help="ghép cột thủ công, ví dụ --map E=phone, --map “Số ĐT=phone”, --map F=- (bỏ qua)",
    )
    p.add_argument("--sheet", help="tên trang tính (mặc định: tự nhận ra)")
    p.add_argument("--header-row", type=int, help="số dòng tiêu đề cột (mặc định: tự tìm)")
    p.set_defaults(func=cmd_import)

    p = msub.add_parser("export", help="xuất danh sách ra tệp Excel (.xlsx)")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--status")
    p.set_defaults(func=cmd_export)

    p = msub.add_parser("pdf", help="in danh sách đảng viên ra PDF")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--status")
    p.add_argument("--large", action="store_true", help="chữ lớn")
    p.set_defaults(func=cmd_pdf)

    p = msub.add_parser("badges", help="đảng viên đủ mốc nhận Huy hiệu Đảng đợt tới")
    p.add_argument("--date", help="ngày trao (3/2, 19/5, 2/9, 7/11); mặc định: đợt tới")
    p.add_argument("--json", action="store_true")
    p.add_argument("--pdf", help="in danh sách ra tệp PDF này")
    p.add_argument("--large", action="store_true", help="chữ lớn (với --pdf)")
    p.add_argument(
        "--set",
        action="append",
        metavar="TÊN=GIÁ_TRỊ",
        help="đổi quy tắc tặng sớm, truy tặng (có thể cấu hình), ví dụ early_months_high=24, "
        "posthumous=không",
    )
    p.add_argument("--reason", default="", help="lý do đổi quy tắc (ghi vào nhật ký)")
    p.set_defaults(func=cmd_badges)


def _member_json(m: MemberView) -> dict[str, Any]:
    out = m.to_json()
    out["party_years"] = m.party_years()
    out["status_label"] = m.status_label
    return out


def cmd_list(args: argparse.Namespace) -> int:
    from app.services import members

    status = parse_status(args.status)
    with opened_book(args) as book:
        rows = members.list_members(book, search=args.search, status=status)
    if args.json:
        print_json({"members": [_member_json(m) for m in rows]})
        return 0
    if not rows:
        print("Không có đảng viên nào khớp.")
        return 0
    for index, m in enumerate(rows, start=1):
        born = f"{m.birth_date:%d/%m/%Y}" if m.birth_date else "—"
        print(f"{index:>4}. {m.full_name:<30} {born:<11} {m.status_label:<18} {m.phone or ''}")
    print(f"Tổng số: {len(rows)} đồng chí.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from app.services import members

    with opened_book(args) as book:
        m = members.get(book, member_id=args.id)
    if args.json:
        print_json(_member_json(m))
    else:
        _print_member(m)
    return 0


def _print_member(m: MemberView) -> None:
    from app.services import members

    def d(value: dt.date | None) -> str:
        return f"{value:%d/%m/%Y}" if value else "—"

    lines = [
        ("Họ và tên", m.full_name),
        ("Ngày sinh", d(m.birth_date)),
        ("Giới tính", members.gender_label(m.gender) or "—"),
        ("Ngày vào Đảng", d(m.admission_date)),
        ("Ngày QĐ kết nạp", d(m.admission_decision_date)),
        ("Ngày chính thức", d(m.official_date)),
        ("Tuổi đảng", str(m.party_years()) if m.party_years() is not None else "—"),
        ("Số thẻ đảng viên", m.card_number or "—"),
        ("Số định danh", m.personal_id or "—"),
        ("Số điện thoại", m.phone or "—"),
        ("Trạng thái", m.status_label),
    ]
    if m.death_date:
        lines.append(("Ngày từ trần", d(m.death_date)))
    if m.left_date:
        lines.append((members.FIELD_LABELS["left_date"], d(m.left_date)))
    if m.left_to:
        lines.append((members.FIELD_LABELS["left_to"], m.left_to))
    lines.append(("Mã", m.id))
    width = max(17, *(len(label) for label, _ in lines))
    for label, value in lines:
        print(f"{label:<{width}}: {value}")


def _input_from_args(args: argparse.Namespace, base: MemberInput) -> MemberInput:
    if args.name is not None:
        base.full_name = args.name
    if args.birth is not None:
        base.birth_date = parse_date(args.birth, label="Ngày sinh")
    if args.gender is not None:
        base.gender = args.gender or None
    if args.admitted is not None:
        base.admission_date = parse_date(args.admitted, label="Ngày vào Đảng")
    if args.official is not None:
        base.official_date = parse_date(args.official, label="Ngày chính thức")
    if args.decision is not None:
        base.admission_decision_date = parse_date(args.decision, label="Ngày quyết định kết nạp")
    if args.died is not None:
        base.death_date = parse_date(args.died, label="Ngày từ trần")
    if args.left_date is not None:
        base.left_date = parse_date(args.left_date, label="Ngày chuyển đi / xóa tên")
    if args.left_to is not None:
        base.left_to = args.left_to
    illness = _bool(args.serious_illness)
    if illness is not None:
        base.serious_illness = illness
    for attr, value in (
        ("card_number", args.card),
        ("personal_id", args.personal_id),
        ("phone", args.phone),
    ):
        if value is not None:
            setattr(base, attr, value or None)
    for attr, value in (
        ("branch_label", args.branch_label),
        ("position", args.position),
        ("address", args.address),
        ("notes", args.notes),
    ):
        if value is not None:
            setattr(base, attr, value)
    status = parse_status(args.status)
    if status:
        base.status = status
    account = _account(args.account)
    if account:
        base.app_account = account
    smartphone = _bool(args.smartphone)
    if smartphone is not None:
        base.has_smartphone = smartphone
    support = _bool(args.needs_support)
    if support is not None:
        base.needs_support = support
    return base


def _check_leaving(args: argparse.Namespace, data: MemberInput) -> None:
    """Refuse, as the member form does, a member set to leave the branch (chuyển đi, từ trần,
    xóa tên) without the date (and a transfer without where to). Only when this command sets
    the status or the leaving details: the service accepts old records (imports) without."""
    from app.services import members
    from app.validation.member import leaving_issues

    given = (args.status, args.died, args.left_date, args.left_to)
    if all(value is None for value in given):
        return
    errors = [i for i in leaving_issues(members.normalise(data)) if i.is_error]
    if errors:
        raise ValidationError(" ".join(i.message for i in errors), field=errors[0].field)


def _print_warnings(book: Book, data: MemberInput, member_id: str | None) -> None:
    from app.services import members

    for issue in members.validate(book, data=data, member_id=member_id):
        if not issue.is_error:
            print(f"Lưu ý: {issue.message}", file=sys.stderr)


def cmd_add(args: argparse.Namespace) -> int:
    from app.services import members

    data = _input_from_args(args, members.MemberInput(full_name=""))
    _check_leaving(args, data)
    with opened_book(args) as book:
        m = members.create(book, data=data)
        _print_warnings(book, data, m.id)
    if args.json:
        print_json(_member_json(m))
    else:
        print(f"Đã thêm đảng viên {m.full_name} (mã {m.id}).")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from app.services import members

    with opened_book(args) as book:
        current = members.get(book, member_id=args.id)
        data = _input_from_args(args, current.to_input())
        _check_leaving(args, data)
        m = members.update(book, member_id=args.id, data=data, reason=args.reason)
        _print_warnings(book, data, m.id)
    if args.json:
        print_json(_member_json(m))
    else:
        print(f"Đã lưu thông tin đảng viên {m.full_name}.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.services import members

    with opened_book(args) as book:
        m = members.get(book, member_id=args.id)
        members.remove(book, member_id=args.id, reason=args.reason)
    print(f"Đã xóa {m.full_name} khỏi danh sách (nhật ký thay đổi vẫn được giữ).")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from app.services import members

    with opened_book(args) as book:
        rows = members.history(book, member_id=args.id)
    if args.json:
        print_json(
            {
                "entries": [
                    {
                        "at": r.at.isoformat(timespec="seconds"),
                        "actor": r.actor,
                        "action": r.action,
                        "summary": r.summary,
                        "changes": r.changes,
                        "reason": r.reason,
                    }
                    for r in rows
                ]
            }
        )
        return 0
    for r in rows:
        print(
            f"{r.at:%d/%m/%Y %H:%M}  {r.actor}: {r.summary}"
            + (f" ({r.reason})" if r.reason else "")
        )
        for field, (old, new) in r.changes.items():
            print(f"      {field}: {old} → {new}")
    return 0


def _progress_printer(enabled: bool) -> Any:
    if not enabled:
        return None
    state = {"last": -1}

    def progress(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        if percent // 10 != state["last"]:
            state["last"] = percent // 10
            print(f"… {percent}%", file=sys.stderr)

    return progress


def cmd_import(args: argparse.Namespace) -> int:
    from app.importers import members_table

    mapping = parse_mapping(args.map)
    with opened_book(args) as book:
        report = members_table.import_file(
            book,
            Path(args.file),
            dry_run=args.dry_run,
            mapping=mapping,
            sheet=args.sheet,
            header_row=args.header_row,
            progress=_progress_printer(not args.json and sys.stderr.isatty()),
        )
    if args.json:
        print_json(report.to_json())
        return 0
    print(f"Tệp {report.file}, trang “{report.sheet}”, dòng tiêu đề {report.header_row}.")
    print(
        "Ghép cột: "
        + "; ".join(f"{c.letter} “{c.title}” → {c.field_label}" for c in report.columns if c.field)
    )
    for note in report.notes:
        print(f"• {note}")
    for row in report.rows:
        if row.outcome == "unchanged" and not row.messages:
            continue
        print(f"Dòng {row.row:>5}  {row.outcome_label:<12} {row.full_name}")
        for message in row.messages:
            print(f"             - {message}")
        for change in row.changes:
            print(f"             · {change}")
    print(report.summary())
    if args.dry_run:
        print("Đây là xem trước: chưa có gì được ghi vào sổ.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.exporters.members_xlsx import export_members

    status = parse_status(args.status)
    with opened_book(args) as book:
        count = export_members(book, Path(args.output), status=status)
    print(f"Đã xuất {count} đảng viên ra {args.output}.")
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from reports.output import write_pdf
    from reports.printing import member_list_pdf

    status = parse_status(args.status)
    with opened_book(args) as book:
        data = member_list_pdf(book, status=status, large_print=args.large)
    write_pdf(args.output, data)
    print(f"Đã in danh sách đảng viên ra {args.output}.")
    return 0


def _badge_rules(current: Any, items: list[str]) -> Any:
    """The badge rules with `name=value` changes from the command line."""
    from dataclasses import replace

    from app.services import milestones

    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or name not in milestones.BADGE_RULE_LABELS:
            known = ", ".join(milestones.BADGE_RULE_LABELS)
            raise ValidationError(f"Không có quy tắc “{name}”. Các quy tắc: {known}.", field=name)
        if isinstance(getattr(current, name), bool):
            values[name] = _bool(raw)
            if values[name] is None:
                raise ValidationError(f"Quy tắc “{name}”: ghi “có” hoặc “không”.", field=name)
        elif raw.strip().isdigit():
            values[name] = int(raw.strip())
        else:
            raise ValidationError(f"Quy tắc “{name}”: cần một số tháng, ví dụ 12.", field=name)
    return replace(current, **values)


def _award_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """A presentation day as typed: a full date, or day/month ("7/11") meaning its next
    occurrence (today counts)."""
    import re

    short = re.fullmatch(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*", text)
    if short is None:
        return parse_date(text, label="Ngày trao")
    today = today or dt.date.today()
    day, month = int(short.group(1)), int(short.group(2))
    try:
        award = dt.date(today.year, month, day)
    except ValueError:
        raise ValidationError(f"Không hiểu ngày “{text}”.", field="date") from None
    return award if award >= today else award.replace(year=today.year + 1)


def cmd_badges(args: argparse.Namespace) -> int:
    from app.services import milestones

    award = _award_date(args.date) if args.date else None
    if award is not None and not milestones.is_award_date(award):
        raise ValidationError(
            f"Ngày {award:%d/%m/%Y} không phải ngày trao Huy hiệu Đảng (3/2, 19/5, 2/9, 7/11).",
            field="date",
        )
    with opened_book(args) as book:
        if args.set:
            milestones.set_badge_rules(
                book,
                rules=_badge_rules(milestones.get_badge_rules(book), args.set),
                reason=args.reason,
            )
        rules = milestones.get_badge_rules(book)
        award = award or milestones.next_award_date()
        due: list[BadgeDue] = milestones.badges_due(book, award_date=award)
        if args.pdf:
            from reports.output import write_pdf
            from reports.printing import badges_pdf

            write_pdf(args.pdf, badges_pdf(book, award_date=award, large_print=args.large))
    if args.json:
        print_json(
            {
                "award_date": award.isoformat(),
                "occasion": milestones.occasion_label(award),
                "members": [b.to_json() for b in due],
                "rules": rules.to_json(),
            }
        )
    else:
        print(f"Đợt trao Huy hiệu Đảng {milestones.occasion_label(award)} ({award:%d/%m/%Y}):")
        if not due:
            print("Không có đảng viên nào đủ mốc tuổi Đảng trong đợt này.")
        for index, b in enumerate(due, start=1):
            since = (
                f"QĐ kết nạp {b.decision_date:%d/%m/%Y}"
                if b.decision_date
                else f"vào Đảng {b.admission_date:%d/%m/%Y}"
            )
            extra = "" if b.kind == "normal" else f" — {b.kind_label}"
            print(f"{index:>3}. {b.full_name:<30} {since}  {b.label}{extra}")
            for note in b.notes:
                print(f"       {note}")
        for name, value in rules.to_json().items():
            shown = ("có" if value else "không") if isinstance(value, bool) else value
            print(f"{milestones.BADGE_RULE_LABELS[name]}: {shown}")
    if args.pdf:
        print(f"Đã in danh sách ra {args.pdf}.")
    return 0

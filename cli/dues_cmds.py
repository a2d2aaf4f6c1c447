"""`sotay dues …`: the branch's dues book (đảng phí): settings, the month's sheet, payments,
the yearly book, reports, receipts and imports of DVCQG lists or bank statements."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from cli.common import opened_book, parse_date, print_json

BASIS_HELP = (
    "salary (1%% lương đóng BHXH), pension (0,5%% lương hưu), fixed (mức cố định), exempt (miễn)"
)


def _amount(text: str) -> int:
    """An amount typed as 52000, 52.000 or 52,000 (đồng)."""
    from app.errors import ValidationError

    raw = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if raw.startswith("-") and raw[1:].isdigit():
        raise ValidationError(f"Số tiền không được âm (nhận được {text}).", field="amount")
    if not raw.isdigit():
        raise ValidationError(f"Không hiểu số tiền “{text}”; hãy ghi số đồng, ví dụ 52000.")
    return int(raw)


# The service says what is missing in the secretary's words; the command line adds which of
# its options gives it (the window does not, it has its own fields).
OPTION_OF_FIELD = {
    "income": "--income",
    "amount": "--amount",
    "reason": "--reason",
    "reduce_percent": "--reduce",
    "reduce_until": "--until YYYY-MM",
    "ref": "--ref",
    "date": "--date",
    "month": "--month",
    "receipt_series": "--receipt-series",
    "collector": "--collector",
}


def _naming_options(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        from app.errors import ValidationError

        try:
            return func(args)
        except ValidationError as exc:
            option = OPTION_OF_FIELD.get(exc.field or "")
            if option is None or option.split()[0] in exc.message:
                raise
            text = exc.message.rstrip(".")
            raise ValidationError(f"{text} ({option}).", field=exc.field) from exc

    return run


def register(sub: Any) -> None:
    group = sub.add_parser("dues", help="đảng phí: mức đóng, thu, sổ theo dõi, báo cáo")
    dsub = group.add_subparsers(dest="dues_command", metavar="VIỆC", required=True)

    p = dsub.add_parser("set", help="ghi cách tính, mức đóng, miễn hoặc giảm của một đảng viên")
    p.add_argument("member", help="mã, số thẻ, số định danh hoặc họ tên")
    p.add_argument("--basis", required=True, help=BASIS_HELP)
    p.add_argument("--income", help="thu nhập hằng tháng (đồng) để tính theo tỷ lệ")
    p.add_argument("--amount", help="số tiền cố định, hoặc mức tự nguyện cao hơn (đồng/tháng)")
    p.add_argument(
        "--exempt-kind",
        default="",
        help="diện miễn: social_pension, poor, near_poor, illness, other",
    )
    p.add_argument("--reduce", type=int, choices=(30, 50, 70), help="giảm 30, 50 hoặc 70%%")
    p.add_argument("--until", help="giảm đến tháng (YYYY-MM), tối đa 12 tháng")
    p.add_argument("--reason", default="", help="lý do (miễn, giảm: số đơn, ngày duyệt)")
    p.add_argument(
        "--from", dest="from_month", help="áp dụng từ tháng (YYYY-MM), mặc định tháng này"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_set))

    p = dsub.add_parser("history", help="các lần thay đổi mức đóng của một đảng viên")
    p.add_argument("member")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_history))

    p = dsub.add_parser("due", help="bảng thu đảng phí của một tháng")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_due))

    p = dsub.add_parser("pay", help="ghi đóng đảng phí (tiền mặt hoặc Cổng DVCQG)")
    p.add_argument("member")
    p.add_argument(
        "--month", required=True, help="YYYY-MM hoặc YYYY-MM..YYYY-MM (đóng bù, đóng trước)"
    )
    p.add_argument("--amount", help="số tiền mỗi tháng (mặc định: số phải đóng)")
    p.add_argument("--via", default="cash", help="cash (tiền mặt) hoặc dvcqg (Cổng DVCQG)")
    p.add_argument("--ref", default="", help="mã giao dịch trên Cổng DVCQG")
    p.add_argument("--date", help="ngày đóng (mặc định hôm nay)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_pay))

    p = dsub.add_parser("excuse", help="ghi lý do chưa đóng đảng phí của tháng")
    p.add_argument("member")
    p.add_argument("--month", required=True, help="YYYY-MM hoặc YYYY-MM..YYYY-MM")
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_excuse))

    p = dsub.add_parser("cancel", help="hủy một khoản ghi nhầm (giữ trong nhật ký)")
    p.add_argument("member")
    p.add_argument("--month", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=_naming_options(cmd_cancel))

    p = dsub.add_parser("book", help="sổ theo dõi thu, nộp đảng phí cả năm (.pdf hoặc .xlsx)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=_naming_options(cmd_book))

    p = dsub.add_parser("report", help="báo cáo thu, nộp đảng phí tháng hoặc quý")
    p.add_argument("--period", required=True, help="YYYY-MM hoặc YYYY-Qn")
    p.add_argument("-o", "--output", help=".pdf hoặc .xlsx")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_report))

    p = dsub.add_parser("remit", help="ghi số đảng phí đã nộp lên cấp trên")
    p.add_argument("--period", required=True, help="YYYY-MM hoặc YYYY-Qn")
    p.add_argument("--amount", help="mặc định: số phải nộp theo báo cáo")
    p.add_argument("--date", help="ngày nộp")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_remit))

    p = dsub.add_parser("receipt", help="in biên lai thu đảng phí (tiền mặt)")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--member", help="chỉ của đảng viên này")
    p.add_argument("--year", type=int)
    p.add_argument("--number", type=int, help="số biên lai")
    p.add_argument(
        "--series",
        help='ký hiệu biên lai (khi sổ có biên lai của nhiều máy; "" là biên lai không ký hiệu)',
    )
    p.set_defaults(func=_naming_options(cmd_receipt))

    p = dsub.add_parser("member", help="trang đảng phí cả năm của một đảng viên (chữ lớn)")
    p.add_argument("member")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=_naming_options(cmd_member))

    p = dsub.add_parser(
        "unpaid",
        help="đảng viên còn nợ đảng phí (năm dương lịch hoặc 12 tháng, theo cách tính xóa tên)",
    )
    p.add_argument(
        "--month", help="tính đến đầu tháng này (YYYY-MM), mặc định tháng này: các tháng trước nó"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_unpaid))

    p = dsub.add_parser("import", help="nhập danh sách nộp trên Cổng DVCQG hoặc sao kê ngân hàng")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_import))

    p = dsub.add_parser("rules", help="xem, sửa cách tính đảng phí (các mục có thể cấu hình)")
    p.add_argument("--fixed-amount", help="mức cố định cho đảng viên không có lương (đồng)")
    p.add_argument("--round-to", help="làm tròn đến (đồng): 1, 100, 500, 1000, 5000, 10000")
    p.add_argument("--retain", type=int, help="phần trăm chi bộ được giữ lại")
    p.add_argument(
        "--window", help="calendar (năm dương lịch) hoặc rolling12 (12 tháng liền trước)"
    )
    p.add_argument("--months", type=int, help="số tháng không đóng thì xem xét xóa tên")
    p.add_argument(
        "--receipt-series",
        help="ký hiệu biên lai của máy này (mỗi máy của chi bộ một ký hiệu riêng, ví dụ B)",
    )
    p.add_argument(
        "--collector",
        metavar="HỌ_TÊN",
        help='người thu đảng phí, ký biên lai và sổ ("": trở lại bí thư chi bộ)',
    )
    p.add_argument("--reason", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_naming_options(cmd_rules))


def cmd_set(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        view = dues.set_setting(
            book,
            member=args.member,
            basis=args.basis,
            income=_amount(args.income) if args.income is not None else None,
            amount=_amount(args.amount) if args.amount is not None else None,
            exempt_kind=args.exempt_kind,
            reduce_percent=args.reduce,
            reduce_until=dues.parse_month(args.until, field="until") if args.until else None,
            reason=args.reason,
            effective_from=dues.parse_month(args.from_month, field="from")
            if args.from_month
            else None,
        )
    if args.json:
        print_json(view.to_json())
    else:
        print(
            f"Đã ghi mức đóng từ tháng {dues.month_label(view.effective_from)}: {view.basis_label}."
        )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        rows = dues.history(book, member=args.member)
    if args.json:
        print_json({"history": [r.to_json() for r in rows]})
        return 0
    if not rows:
        print("Chưa ghi mức đóng nào.")
    for r in rows:
        extra = []
        if r.income:
            extra.append(f"thu nhập {dues.money(r.income)} đ")
        if r.amount:
            extra.append(f"{dues.money(r.amount)} đ/tháng")
        if r.reduce_percent:
            extra.append(f"giảm {r.reduce_percent}% đến {dues.month_label(r.reduce_until or '')}")
        if r.reason:
            extra.append(r.reason)
        print(
            f"Từ {dues.month_label(r.effective_from)}: {r.basis_label}"
            + (f" ({'; '.join(extra)})" if extra else "")
        )
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        sheet = dues.month_sheet(book, month=args.month)
    if args.json:
        print_json(sheet.to_json())
        return 0
    print(f"Đảng phí tháng {dues.month_label(sheet.month)}:")
    for i, r in enumerate(sheet.rows, start=1):
        due = "Miễn" if r.exempt else f"{dues.money(r.due)} đ"
        print(f"{i:>4}. {r.full_name:<30} {due:>12}  {r.state_label}")
    print(
        f"Phải thu: {dues.money(sheet.total_due)} đ. Đã thu: {dues.money(sheet.total_paid)} đ "
        f"({sheet.paid_count}/{len(sheet.rows)} đồng chí)."
    )
    return 0


def _pay_out(result: Any, as_json: bool) -> None:
    from app.services import dues

    if as_json:
        print_json(result.to_json())
        return
    months = dues.months_label(tuple(p.month for p in result.payments))
    receipt = f" Biên lai số {result.receipt_label}." if result.receipt_label else ""
    print(
        f"Đã ghi: đồng chí {result.full_name} đóng đảng phí tháng {months}, "
        f"{dues.money(result.total)} đ.{receipt}"
    )


def cmd_pay(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        result = dues.pay(
            book,
            member=args.member,
            months=dues.parse_months(args.month),
            amount=_amount(args.amount) if args.amount is not None else None,
            via=args.via,
            reference=args.ref,
            paid_on=parse_date(args.date),
        )
    _pay_out(result, args.json)
    return 0


def cmd_excuse(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        result = dues.excuse(
            book, member=args.member, months=dues.parse_months(args.month), reason=args.reason
        )
    if args.json:
        print_json(result.to_json())
    else:
        print(f"Đã ghi lý do chưa đóng của đồng chí {result.full_name}.")
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        view = dues.cancel(
            book, member=args.member, month=dues.parse_month(args.month), reason=args.reason
        )
    print(f"Đã hủy khoản đảng phí tháng {dues.month_label(view.month)}.")
    return 0


def cmd_book(args: argparse.Namespace) -> int:
    from reports.printing import write_dues_year_book

    with opened_book(args) as book:
        path = write_dues_year_book(book, year=args.year, path=Path(args.output))
    print(f"Đã ghi sổ theo dõi đảng phí năm {args.year}: {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from app.services import dues
    from reports.printing import write_dues_period_report

    with opened_book(args) as book:
        figures = dues.period_report(book, period=args.period)
        path = (
            write_dues_period_report(book, period=args.period, path=Path(args.output))
            if args.output
            else None
        )
    if args.json:
        print_json(figures.to_json())
    elif path is not None:
        print(f"Đã ghi báo cáo thu, nộp đảng phí {figures.period.label}: {path}")
    else:
        print(
            f"Thu {figures.period.label}: {dues.money(figures.collected)} đ; chi bộ giữ lại "
            f"{dues.money(figures.retained)} đ; phải nộp {dues.money(figures.to_remit)} đ; "
            f"đã nộp {dues.money(figures.remitted)} đ."
        )
    return 0


def cmd_remit(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        view = dues.remit(
            book,
            period=args.period,
            amount=_amount(args.amount) if args.amount is not None else None,
            remitted_on=parse_date(args.date),
            note=args.note,
        )
    if args.json:
        print_json(view.to_json())
    else:
        print(f"Đã ghi nộp lên cấp trên {dues.money(view.amount)} đ (kỳ {view.period}).")
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    from reports.printing import dues_output_kind, write_dues_receipts

    path = Path(args.output)
    dues_output_kind(path, xlsx=False)
    with opened_book(args) as book:
        count = write_dues_receipts(
            book,
            path=path,
            member=args.member,
            year=args.year,
            number=args.number,
            series=args.series,
        )
    print(f"Đã ghi {count} biên lai: {path}")
    return 0


def cmd_member(args: argparse.Namespace) -> int:
    from reports.printing import dues_output_kind, write_dues_member_page

    path = Path(args.output)
    dues_output_kind(path, xlsx=False)
    with opened_book(args) as book:
        name = write_dues_member_page(book, member=args.member, year=args.year, path=path)
    print(f"Đã ghi trang đảng phí năm {args.year} của đồng chí {name}: {path}")
    return 0


def cmd_unpaid(args: argparse.Namespace) -> int:
    from app.services import dues

    month = dues.parse_month(args.month) if args.month else dues.month_of(dt.date.today())
    with opened_book(args) as book:
        window = dues.book_owing_window(book, month=month)  # not before tracking began
        rows = dues.unpaid_members(book, month=window.month)
    if args.json:
        print_json({"window": window.to_json(), "unpaid": [r.to_json() for r in rows]})
        return 0
    print(window.description)
    if not rows:
        print("Không có đảng viên nào còn nợ đảng phí.")
    for r in rows:
        print(f"- {r.message}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.services import dues

    with opened_book(args) as book:
        preview = dues.import_payments(book, path=Path(args.file), dry_run=args.dry_run)
    if args.json:
        print_json(preview.to_json())
        return 0
    states = {"new": "mới", "already": "đã có", "skipped": "bỏ qua", "problem": "lỗi"}
    for r in preview.rows:
        print(f"  [{states[r.state]}] {r.message}")
    verb = "Sẽ nhập" if not preview.stored else "Đã nhập"
    print(
        f"{verb} {preview.count('new')} dòng ({dues.money(preview.total_new)} đ); "
        f"{preview.count('already')} dòng đã có; {preview.count('skipped')} dòng bỏ qua; "
        f"{preview.count('problem')} dòng lỗi."
    )
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    from app.services import dues
    from app.services.dues.rules import secretary_name

    changed: dict[str, Any] = {
        key: value
        for key, value in (
            ("fixed_amount", _amount(args.fixed_amount) if args.fixed_amount else None),
            ("round_to", _amount(args.round_to) if args.round_to else None),
            ("branch_retain_percent", args.retain),
            ("removal_window", args.window),
            ("removal_months", args.months),
            ("collector", args.collector),
        )
        if value is not None
    }
    with opened_book(args) as book:
        rules = dues.get_rules(book)
        if changed:
            rules = dues.set_rules(book, rules=replace(rules, **changed), reason=args.reason)
        if args.receipt_series is not None:
            dues.set_receipt_series(book, series=args.receipt_series, reason=args.reason)
        series = dues.receipt_series(book)
        secretary = secretary_name(book)
    if args.json:
        # collector: as set ("" = the secretary); collector_name: who signs as người thu.
        print_json(
            rules.to_json()
            | {"collector_name": rules.collector or secretary, "receipt_series": series}
        )
    else:
        for line in rules.describe():
            print(f"- {line}")
        print(f"- Ký hiệu biên lai của máy này: {series or '(không có)'}")
    return 0

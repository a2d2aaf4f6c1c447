"""`sotay stats …`: members' attendance over a year, the yearly report, early warnings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.common import print_json, with_book


def register(sub: Any) -> None:
    p = sub.add_parser("stats", help="thống kê đảng viên dự sinh hoạt")
    ssub = p.add_subparsers(dest="stats_command", metavar="LỆNH", required=True)

    c = ssub.add_parser("report", help="báo cáo dự sinh hoạt cả năm (.pdf hoặc .xlsx)")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--large-print", action="store_true")
    c.set_defaults(func=cmd_stats_report)

    c = ssub.add_parser("show", help="số liệu dự sinh hoạt của một năm")
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_stats_show)

    c = ssub.add_parser("warnings", help="đảng viên cần nhắc nhở (vắng nhiều, gần diện xóa tên)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_stats_warnings)


def cmd_stats_report(args: argparse.Namespace) -> int:
    from reports.printing import write_attendance_report

    path = with_book(
        args,
        lambda book: write_attendance_report(
            book, year=args.year, path=Path(args.output), large_print=args.large_print
        ),
    )
    print(f"Đã ghi {path}")
    return 0


def cmd_stats_show(args: argparse.Namespace) -> int:
    from app.services import meeting_stats

    st = with_book(args, lambda book: meeting_stats.year_stats(book, year=args.year))
    if args.json:
        print_json(
            {
                "year": args.year,
                "meetings": len(st.meetings),
                "attendance_percent": round(st.total.percent, 1),
                "meets_target": st.hd12.meets_target,
                "unexcused_total": st.hd12.unexcused_total,
                "members_absent_running": list(st.hd12.members_absent_running),
                "months": [
                    {
                        "label": p.label,
                        "meetings": p.meetings,
                        "expected": p.expected,
                        "present": p.present,
                        "excused": p.excused,
                        "unexcused": p.unexcused,
                        "percent": round(p.percent, 1),
                    }
                    for p in st.months
                ],
                "members": [
                    {
                        "member_id": m.member_id,
                        "full_name": m.full_name,
                        "expected": m.expected,
                        "present": m.present,
                        "excused": m.excused,
                        "unexcused": m.unexcused,
                        "percent": round(m.percent, 1),
                        "longest_absent_run": m.longest_absent_run,
                    }
                    for m in st.members
                ],
                "warnings": [
                    {"member_id": w.member_id, "kind": w.kind, "message": w.message}
                    for w in st.warnings
                ],
            }
        )
        return 0
    print(f"Năm {args.year}: {len(st.meetings)} cuộc sinh hoạt; tỷ lệ dự {st.total.percent:.1f}%.")
    for w in st.warnings:
        print(f"- {w.message}")
    return 0


def cmd_stats_warnings(args: argparse.Namespace) -> int:
    from app.services import meeting_stats

    warnings = with_book(args, lambda book: meeting_stats.early_warnings(book))
    if args.json:
        print_json(
            {
                "warnings": [
                    {
                        "member_id": w.member_id,
                        "full_name": w.full_name,
                        "kind": w.kind,
                        "count": w.count,
                        "message": w.message,
                    }
                    for w in warnings
                ]
            }
        )
        return 0
    if not warnings:
        print("Không có đảng viên nào cần cảnh báo.")
    for w in warnings:
        print(f"- {w.message}")
    return 0

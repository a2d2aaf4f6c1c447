"""`sotay dashboard`: the overview (next meeting, things to do, changes waiting to sync)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import opened_book, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("dashboard", help="tổng quan: cuộc họp tới, việc cần làm, chờ đồng bộ")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dashboard)


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

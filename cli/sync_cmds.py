"""Sync commands: `sotay enroll`, `sotay sync`, `sotay sync status`, and the problem items
(`sotay sync problems`, `sotay sync resolve`, `sotay sync dismiss`)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.common import opened_book, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("enroll", help="đăng ký máy này với máy chủ của Đảng ủy cấp trên")
    p.add_argument(
        "--server", required=True, help="địa chỉ máy chủ, ví dụ https://dongbo.example.vn"
    )
    p.add_argument("--code", required=True, help="mã đăng ký dùng một lần do cấp trên cấp")
    p.add_argument("--device-name", help="tên máy này (mặc định: tên máy tính)")
    p.add_argument("--ca-bundle", help="tệp chứng chỉ gốc riêng của cấp trên (PEM)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("sync", help="đồng bộ với máy chủ: gửi thay đổi, nhận văn bản")
    p.add_argument("--json", action="store_true")
    p.add_argument("--ca-bundle", help="tệp chứng chỉ gốc riêng (được ghi nhớ trong sổ)")
    p.add_argument("--batch-size", type=int, default=200, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_sync)
    actions = p.add_subparsers(dest="sync_action", metavar="VIỆC")

    q = actions.add_parser("status", help="số thay đổi chờ gửi, lần đồng bộ cuối, mục cần xử lý")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_status)

    q = actions.add_parser("problems", help="các mục cần xử lý (xung đột, bị từ chối)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_problems)

    q = actions.add_parser(
        "resolve", help="giải quyết xung đột: giữ bản của chi bộ hoặc lấy bản máy chủ"
    )
    q.add_argument("--op", required=True, help="mã mục (op_id) trong danh sách cần xử lý")
    q.add_argument("--keep", required=True, choices=("mine", "theirs"))
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_resolve)

    q = actions.add_parser("dismiss", help="bỏ qua một thay đổi bị từ chối (đã xem)")
    q.add_argument("--op", required=True)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_dismiss)


def cmd_enroll(args: argparse.Namespace) -> int:
    from sync.client import enrol

    with opened_book(args) as book:
        done = enrol(
            book,
            server_url=args.server,
            code=args.code,
            device_name=args.device_name,
            ca_bundle=args.ca_bundle,
        )
    if args.json:
        print_json(done.as_json())
    else:
        where = "kho khóa của hệ điều hành" if done.token_store == "keyring" else "sổ (đã mã hóa)"
        print(f"Đã đăng ký với máy chủ {done.server_url}: {done.branch_name} ({done.branch_code}).")
        print(f"Mã thiết bị được cất trong {where}.")
        if done.series_sentence:
            print(done.series_sentence)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from sync.client import run_sync

    with opened_book(args) as book:
        report = run_sync(book, ca_bundle=args.ca_bundle, batch_size=max(1, args.batch_size))
    data = report.as_json()
    if args.json:
        print_json(data)
        return 0
    if data["snapshot"]:
        print(
            "Máy chủ là máy mới hoặc đã dựng lại, chưa có dữ liệu của chi bộ: đã gửi lại "
            f"toàn bộ sổ ({data['snapshot']} mục)."
        )
    print(
        f"Đã gửi {data['sent']} thay đổi: {data['acknowledged']} được máy chủ ghi nhận, "
        f"{data['rejected']} bị từ chối, {data['conflicts']} xung đột."
    )
    print(f"Đã nhận {data['pulled']} thay đổi từ cấp trên.")
    if data["pulled_feedback"]:
        print(f"Cấp trên đã trả lời {data['pulled_feedback']} ý kiến của đảng viên.")
    if data["files_uploaded"]:
        print(f"Đã gửi {data['files_uploaded']} tệp văn bản kèm theo.")
    if data["files_too_large"]:
        print(
            f"{data['files_too_large']} tệp văn bản quá lớn, máy chủ không nhận; "
            "thông tin của văn bản vẫn được gửi."
        )
    if data["needing_attention"]:
        print(f"Có {data['needing_attention']} mục cần xử lý: xem bằng lệnh “sotay sync problems”.")
    return 0


def _when(value: Any) -> str:
    if value is None:
        return "chưa có"
    return f"{value:%H:%M %d/%m/%Y} (UTC)"


def cmd_status(args: argparse.Namespace) -> int:
    from app.services.sync_state import status

    with opened_book(args) as book:
        state = status(book)
    if args.json:
        print_json(state.as_json())
        return 0
    if not state.enrolled:
        print("Máy này chưa đăng ký với máy chủ đồng bộ (sotay enroll).")
    else:
        print(f"Máy chủ: {state.server_url} — chi bộ {state.branch_code}")
    print(f"Thay đổi chờ gửi: {state.pending}")
    print(f"Đồng bộ thành công lần cuối: {_when(state.last_sync_at)}")
    print(f"Mục cần xử lý: {state.needing_attention}")
    if state.last_error:
        print(f"Lỗi lần thử gần nhất: {state.last_error}")
    return 0


KIND_LABELS = {"conflict": "Xung đột", "rejected": "Bị từ chối", "pull": "Không nhận được"}


def cmd_problems(args: argparse.Namespace) -> int:
    from app.services.sync_state import problems

    with opened_book(args) as book:
        items = problems(book)
    if args.json:
        print_json([p.as_json() for p in items])
        return 0
    if not items:
        print("Không có mục nào cần xử lý.")
    for item in items:
        print(f"[{KIND_LABELS.get(item.kind, item.kind)}] {item.label} — {item.reason}")
        print(f"    mã mục: {item.op_id}")
        if item.kind == "conflict":
            changed = sorted(
                k
                for k in set(item.mine or {}) | set(item.theirs or {})
                if (item.mine or {}).get(k) != (item.theirs or {}).get(k)
            )
            for key in changed:
                mine = (item.mine or {}).get(key)
                theirs = (item.theirs or {}).get(key)
                print(f"    {key}: của chi bộ = {mine!r}; trên máy chủ = {theirs!r}")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from app.services.sync_state import resolve_conflict

    with opened_book(args) as book:
        resolve_conflict(book, op_id=args.op, keep=args.keep)
    if args.json:
        print_json({"resolved": args.op, "keep": args.keep})
    elif args.keep == "mine":
        print("Đã giữ bản của chi bộ; thay đổi sẽ được gửi lại ở lần đồng bộ tới.")
    else:
        print("Đã lấy bản trên máy chủ vào sổ.")
    return 0


def cmd_dismiss(args: argparse.Namespace) -> int:
    from app.services.sync_state import dismiss

    with opened_book(args) as book:
        dismiss(book, op_id=args.op)
    if args.json:
        print_json({"dismissed": args.op})
    else:
        print("Đã bỏ qua mục này.")
    return 0

"""Book commands: init, check, passwd, recover, backup, restore, gui, history."""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from pathlib import Path
from typing import Any

from app.errors import BookError, KnownError
from app.storage.files import restrict
from cli.common import data_dir, new_password, opened_book, password, print_json


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="tạo sổ mới cho chi bộ")
    p.add_argument("--branch", required=True, help="tên chi bộ, ví dụ “Chi bộ Khu phố 3”")
    p.add_argument("--committee", required=True, help="đảng bộ cấp trên")
    p.add_argument("--address", default="")
    p.add_argument("--place", default="", help="địa danh ghi ở dòng ngày tháng, ví dụ “Quy Nhơn”")
    p.add_argument("--secretary", default="", help="họ tên bí thư chi bộ")
    p.add_argument("--recovery-pdf", help="ghi tờ mã khôi phục ra tệp PDF này")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", help="kiểm tra mật khẩu và tính toàn vẹn của sổ")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("passwd", help="đổi mật khẩu (mật khẩu mới từ SOTAY_NEW_PASSWORD)")
    p.set_defaults(func=cmd_passwd)

    p = sub.add_parser("recover", help="đặt mật khẩu mới bằng mã khôi phục")
    p.add_argument(
        "--recovery-key",
        help="mã khôi phục (nên dùng biến SOTAY_RECOVERY_KEY để mã không hiện trong danh sách tiến trình)",
    )
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("backup", help="sao lưu sổ (vẫn được mã hóa)")
    p.add_argument("-o", "--output", required=True, help="tệp hoặc thư mục đích")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục sổ từ bản sao lưu")
    p.add_argument("file")
    p.add_argument(
        "--yes", action="store_true", help="không hỏi lại trước khi thay sổ (dùng trong kịch bản)"
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("history", help="nhật ký thay đổi")
    p.add_argument("--entity")
    p.add_argument("--id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    register_gui(sub)


def register_gui(sub: Any) -> None:
    """`gui` alone: cli.main builds just this for a start of the window (no heavy imports)."""
    p = sub.add_parser("gui", help="mở giao diện (mặc định)")
    p.add_argument(
        "--demo",
        action="store_true",
        help="mở sổ mẫu (dữ liệu không có thật) để dùng thử, kể cả khi đã có sổ thật",
    )
    p.add_argument(
        "--demo-if-empty",
        action="store_true",
        help="mở sổ mẫu nếu chưa có sổ thật, sổ thật nếu đã có (lệnh chạy của scripts/run.sh)",
    )
    p.add_argument(
        "--tour",
        metavar="THƯ_MỤC",
        help="đi qua mọi phần và hộp thoại với sổ mẫu trong thư mục tạm, "
        "lưu ảnh chụp và geometry.json vào THƯ_MỤC",
    )
    p.add_argument("--large-text", action="store_true", help="mở ở chế độ chữ lớn")
    p.set_defaults(func=cmd_gui)


def cmd_init(args: argparse.Namespace) -> int:
    from app.book import create_book

    book, recovery_key = create_book(
        data_dir(args),
        password=password(args),
        branch_name=args.branch,
        committee=args.committee,
        address=args.address,
        place_name=args.place,
        secretary_name=args.secretary,
    )
    try:
        info = book.branch()
        print(f"Đã tạo sổ cho {info.name} tại {book.data_dir}.")
        print(f"Mã khôi phục: {recovery_key}")
        print(
            "Hãy in hoặc chép mã khôi phục và cất giữ cẩn thận: đây là lần duy nhất mã được hiển thị."
        )
        if args.recovery_pdf:
            import datetime as dt

            from reports.recovery_sheet import recovery_key_pdf

            _write_private(
                Path(args.recovery_pdf),
                recovery_key_pdf(
                    branch_name=info.name,
                    committee=info.committee,
                    recovery_key=recovery_key,
                    book_id=book.book_id,
                    created=dt.date.today(),
                ),
            )
            print(f"Đã ghi tờ mã khôi phục: {args.recovery_pdf}")
    finally:
        book.close()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.book import open_book

    try:
        book = open_book(data_dir(args), password=password(args))
    except BookError as exc:
        raise BookError(exc.message) from exc
    try:
        problems = book.check()
    finally:
        book.close()
    if problems:
        from app.services.backups import way_out

        raise BookError(
            "Sổ mở được nhưng kiểm tra toàn vẹn không đạt: "
            + "; ".join(problems[:3])
            + ". "
            + way_out(data_dir(args))
        )
    print("Sổ mở được và toàn vẹn.")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    with opened_book(args) as book:
        book.change_password(new_password=new_password(args))
    print("Đã đổi mật khẩu. Mọi dữ liệu được giữ nguyên.")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from app.book import recover

    key = args.recovery_key or os.environ.get("SOTAY_RECOVERY_KEY")
    if not key:
        raise BookError("Cần mã khôi phục: đặt biến SOTAY_RECOVERY_KEY hoặc dùng --recovery-key.")
    book = recover(data_dir(args), recovery_key=key, new_password=new_password(args))
    book.close()
    print("Đã đặt mật khẩu mới bằng mã khôi phục.")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with opened_book(args) as book:
        dest = book.backup(Path(args.output))
    print(f"Đã sao lưu vào {dest}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.book import restore
    from app.services.backups import preview_restore

    folder, source, secret = data_dir(args), Path(args.file), password(args)
    preview = preview_restore(folder, source, password=secret)
    for line in preview.lines():
        print(line)
    if preview.has_current and not args.yes:
        _confirm_restore()
    kept = restore(folder, source, password=secret)
    print(f"Đã khôi phục sổ từ {args.file}.")
    if kept:
        print(f"Sổ trước khi khôi phục được giữ tại {kept}")
    return 0


CONFIRM_WORDS = {"CÓ", "CO"}


def _confirm_restore() -> None:
    """Ask on the terminal; with no terminal to answer (a script, a pipe) refuse: --yes."""
    if sys.stdin is None or sys.stdin.closed or not sys.stdin.isatty():
        raise KnownError(
            "Chưa khôi phục gì: cần xác nhận trước khi thay sổ. Hãy chạy lệnh trong cửa sổ dòng "
            "lệnh để gõ CÓ, hoặc thêm --yes nếu chạy bằng kịch bản."
        )
    try:
        answer = input("Gõ CÓ để thay sổ hiện tại (Enter để hủy): ")
    except EOFError:
        answer = ""
    if unicodedata.normalize("NFC", answer.strip()).upper() not in CONFIRM_WORDS:
        raise KnownError("Đã hủy: sổ hiện tại giữ nguyên, chưa khôi phục gì.")


def _write_private(path: Path, data: bytes) -> None:
    """The recovery sheet holds the key that opens the book: owner-only like the book."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    restrict(path)  # an existing file keeps its old mode through O_TRUNC


def cmd_history(args: argparse.Namespace) -> int:
    from app.services import audit

    with opened_book(args) as book:
        rows = audit.history(book, entity=args.entity, entity_id=args.id)
    if args.json:
        print_json(
            {
                "entries": [
                    {
                        "at": r.at.isoformat(timespec="seconds"),
                        "actor": r.actor,
                        "action": r.action,
                        "entity": r.entity,
                        "entity_id": r.entity_id,
                        "summary": r.summary,
                        "changes": r.changes,
                        "reason": r.reason,
                    }
                    for r in rows
                ]
            }
        )
    else:
        for r in rows:
            print(f"{r.at:%d/%m/%Y %H:%M}  {r.actor}: {r.summary}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    if args.tour:
        from ui.tour import run_tour

        return run_tour(Path(args.tour), large_text=bool(args.large_text))
    from ui.main import run_gui

    folder = data_dir(args)
    if args.large_text:
        from app.settings import Settings

        settings = Settings.load(folder)
        settings.large_text = True
        settings.save(folder)
    from app.unlock import book_exists  # (ui.main has imported it already)

    demo = bool(args.demo) or (bool(args.demo_if_empty) and not book_exists(folder))
    return run_gui(data_dir=folder, demo=demo)

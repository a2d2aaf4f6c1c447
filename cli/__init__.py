"""`sotay`: the command line, on the same services as the GUI.

Each command group lives in its own module with `register(subparsers)`; add new modules to
COMMAND_MODULES. Every error exits non-zero with one Vietnamese line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence

from app.arguments import VietnameseArgumentParser
from app.errors import KnownError
from cli.placeholders import name_placeholders

COMMAND_MODULES = (
    "cli.book_cmds",
    "cli.members_cmds",
    "cli.meetings_cmds",
    "cli.attendance_cmds",
    "cli.stats_cmds",
    "cli.documents_cmds",
    "cli.study_cmds",
    "cli.sync_cmds",
    "cli.feedback_cmds",
    "cli.support_cmds",
    "cli.reports_cmds",
    "cli.dashboard_cmds",
    "cli.dues_cmds",
    "cli.selftest_cmds",
)


# Every command, the module that registers it and its one-line help, in the order of
# `sotay --help`. It lets a command line import only the module of the command it runs and
# `sotay --help` import none (the command modules load SQLAlchemy and the models: about
# half a second). tests/app/test_cli_startup.py checks it against what the modules register.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("cli.book_cmds", "tạo sổ mới cho chi bộ"),
    "check": ("cli.book_cmds", "kiểm tra mật khẩu và tính toàn vẹn của sổ"),
    "passwd": ("cli.book_cmds", "đổi mật khẩu (mật khẩu mới từ SOTAY_NEW_PASSWORD)"),
    "recover": ("cli.book_cmds", "đặt mật khẩu mới bằng mã khôi phục"),
    "backup": ("cli.book_cmds", "sao lưu sổ (vẫn được mã hóa)"),
    "restore": ("cli.book_cmds", "khôi phục sổ từ bản sao lưu"),
    "history": ("cli.book_cmds", "nhật ký thay đổi"),
    "gui": ("cli.book_cmds", "mở giao diện (mặc định)"),
    "members": ("cli.members_cmds", "danh sách đảng viên của chi bộ"),
    "meetings": ("cli.meetings_cmds", "cuộc họp chi bộ: tạo, danh sách, biên bản, in giấy tờ"),
    "attendance": ("cli.attendance_cmds", "điểm danh và xin phép vắng họp"),
    "stats": ("cli.stats_cmds", "thống kê đảng viên dự sinh hoạt"),
    "documents": ("cli.documents_cmds", "thư viện tài liệu (nghị quyết, chỉ thị, kế hoạch...)"),
    "study": ("cli.study_cmds", "học tập nghị quyết: đợt học tập và kết quả từng đảng viên"),
    "enroll": ("cli.sync_cmds", "đăng ký máy này với máy chủ của Đảng ủy cấp trên"),
    "sync": ("cli.sync_cmds", "đồng bộ với máy chủ: gửi thay đổi, nhận văn bản"),
    "feedback": ("cli.feedback_cmds", "ý kiến góp ý, phản ánh, đề xuất của đảng viên"),
    "support": (
        "cli.support_cmds",
        "buổi hỗ trợ đảng viên cao tuổi, bảng theo dõi Sổ tay điện tử",
    ),
    "reports": ("cli.reports_cmds", "báo cáo gửi cấp ủy cấp trên"),
    "dashboard": ("cli.dashboard_cmds", "tổng quan: cuộc họp tới, việc cần làm, chờ đồng bộ"),
    "dues": ("cli.dues_cmds", "đảng phí: mức đóng, thu, sổ theo dõi, báo cáo"),
    "selftest": ("cli.selftest_cmds", "tự kiểm tra bản cài đặt (không đụng tới sổ thật)"),
}


def use_utf8_streams() -> None:
    """Print UTF-8 whatever the console code page, and read stdin as UTF-8 (BOM or not).

    A Windows console redirected to a file or a pipe gets the ANSI code page (cp1258, cp437…),
    which cannot encode Vietnamese: `sotay init > file` would die before printing the
    recovery key. Strict UTF-8 (never "replace": a replaced character in the recovery key
    would lose the book). Notepad saves UTF-8 with a BOM, hence utf-8-sig for stdin.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower() not in (
            "utf-8",
            "utf8",
        ):
            reconfigure(
                encoding="utf-8", errors="backslashreplace" if name == "stderr" else "strict"
            )
    stdin = sys.stdin
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # already read from: leave it
            reconfigure(encoding="utf-8-sig", errors="strict")


def _gui_only_parser() -> argparse.ArgumentParser:
    """A parser with only the global options and `gui`, for the way users start the program.

    Importing every command group loads SQLAlchemy and the models (about half a second on an
    office PC); `sotay` with no command or `sotay gui` needs none of that before the unlock
    dialog, so those load in the background while the password is typed (ui.main).
    """
    parser = _base_parser()
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    import cli.book_cmds

    cli.book_cmds.register_gui(sub)
    return name_placeholders(parser)


def _command_word(args_list: Sequence[str]) -> str | None:
    """The command of a command line (after the global options), or None."""
    rest = list(args_list)
    while rest:
        head = rest[0]
        if head == "--password-stdin" or head.startswith("--data-dir="):
            rest.pop(0)
        elif head == "--data-dir" and len(rest) >= 2:
            del rest[:2]
        else:
            break
    return rest[0] if rest and not rest[0].startswith("-") else None


def _lazy_parser(word: str | None) -> argparse.ArgumentParser:
    """Every command listed (from COMMANDS) but only the module of `word` imported: the
    others are stand-ins with their help line, enough for `--help` and for "invalid choice"."""
    parser = _base_parser()
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    wanted = COMMANDS[word][0] if word in COMMANDS else None
    for name, (module_name, help_text) in COMMANDS.items():
        if module_name != wanted:
            sub.add_parser(name, help=help_text)
        elif name == next(n for n, (m, _h) in COMMANDS.items() if m == wanted):
            importlib.import_module(module_name).register(sub)  # all of its commands, once
    return name_placeholders(parser)


def _parser_for(args_list: Sequence[str]) -> argparse.ArgumentParser:
    if _wants_gui(args_list):
        return _gui_only_parser()
    return _lazy_parser(_command_word(args_list))


def _wants_gui(args_list: Sequence[str]) -> bool:
    """True for `sotay`, `sotay gui …` (with the global options before it), not for help."""
    rest = list(args_list)
    while rest:
        head = rest[0]
        if head == "--password-stdin":
            rest.pop(0)
        elif head == "--data-dir" and len(rest) >= 2:
            del rest[:2]
        elif head.startswith("--data-dir="):
            rest.pop(0)
        else:
            break
    return not rest or (rest[0] == "gui" and not {"-h", "--help"} & set(rest))


def _base_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(
        prog="sotay",
        description="Sổ tay Chi bộ — sổ sách chi bộ được mã hóa, làm việc không cần mạng.",
    )
    parser.add_argument(
        "--data-dir", help="thư mục dữ liệu (mặc định: SOTAY_DATA_DIR hoặc thư mục người dùng)"
    )
    parser.add_argument(
        "--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin"
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _base_parser()
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that command group is not built yet
            raise
        module.register(sub)
    return name_placeholders(parser)


def main(argv: Sequence[str] | None = None) -> int:
    use_utf8_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = _parser_for(args_list)
    args = parser.parse_args(args_list)
    if not getattr(args, "command", None):
        args = parser.parse_args([*args_list, "gui"])
    try:
        result = args.func(args)
        return int(result or 0)
    except KnownError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `sotay members list | head`: the reader left; that is not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        from app.storage import db_errors

        known = db_errors.translate(exc)
        if known is not None:  # a storage failure that escaped a service's translation
            print(known.message, file=sys.stderr)
            return known.exit_code
        return _report_crash(exc)


def _report_crash(error: BaseException) -> int:
    from app import crashlog
    from cli.common import crash_log_path

    path = crash_log_path()
    if crashlog.write(path, error):
        print(f"Lỗi không mong đợi của chương trình; chi tiết đã ghi vào {path}.", file=sys.stderr)
    else:
        print("Lỗi không mong đợi của chương trình (không ghi được nhật ký lỗi).", file=sys.stderr)
    return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

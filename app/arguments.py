"""argparse speaking Vietnamese, for `sotay` and `sotay-server`: its headings, its help line,
its errors (one line, exit code 2, with the nearest command or choice suggested) and the
placeholders of option values.

How argparse translates (Python 3.11): at import it binds gettext's module functions,
`from gettext import gettext as _, ngettext`, and calls those two names whenever it builds a
parser ("positional arguments", "options", "show this help message and exit"), formats help
("usage: ") or raises an error. gettext has no way to give one module its own catalog:
`gettext.install()` sets `builtins._`, which argparse does not read, and `textdomain` /
`bindtextdomain` change the whole process's "messages" domain and need a compiled .mo file on
disk and a language taken from LANGUAGE/LC_ALL/LANG (unset on Windows). So the catalog below is
a gettext translation object (`NullTranslations` with an in-memory table) handed to argparse's
own two names, and only while a `VietnameseArgumentParser` builds, parses or formats: other
argparse users in the same process (pytest, for one) keep their own text.

Placeholders: argparse names an option's value after its English `dest` (`--data-dir
DATA_DIR`); `name_placeholders(parser, table)` gives each value the word of the front end's own
table (cli/placeholders.py, server/placeholders.py).

Standard library only, so `sotay --help` stays light.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gettext
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

# Every message argparse 3.11 passes to `_()` / `ngettext()` (tests/cli/test_cli_vietnamese.py
# checks that none of argparse's messages is missing here). Those marked "program error" are
# only raised for a mistake in how the parser was built, never for what a user typed.
MESSAGES: dict[str, str] = {
    # help
    "usage: ": "Cách dùng: ",
    "positional arguments": "Tham số",
    "options": "Tùy chọn",
    "subcommands": "Lệnh",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    # what a user typed
    "argument %(argument_name)s: %(message)s": "Tham số %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "unrecognized arguments: %s": "Không hiểu tham số: %s",
    "the following arguments are required: %s": "Thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "Cần một trong các tham số: %s",
    "not allowed with argument %s": "không dùng được cùng %s",
    "expected one argument": "thiếu giá trị",
    "expected at most one argument": "chỉ nhận tối đa một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
    "ignored explicit argument %r": "không nhận giá trị (đã gõ %r)",
    "invalid %(type)s value: %(value)r": "giá trị “%(value)s” không hợp lệ",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "giá trị “%(value)s” không hợp lệ; hãy chọn một trong: %(choices)s"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh “%(parser_name)s”; các lệnh: %(choices)s"
    ),
    "ambiguous option: %(option)s could match %(matches)s": (
        "Tùy chọn %(option)s chưa rõ, có thể là: %(matches)s"
    ),
    "unexpected option string: %s": "Không hiểu tùy chọn: %s",
    "can't open '%(filename)s': %(error)s": "không mở được tệp “%(filename)s”: %(error)s",
    'argument "-" with mode %r': "không dùng được “-” (stdin/stdout) với chế độ %r",
    # program errors
    ".__call__() not defined": ".__call__() chưa được định nghĩa",
    "'required' is an invalid argument for positionals": (
        "'required' không dùng được cho tham số vị trí"
    ),
    "mutually exclusive arguments must be optional": "tham số loại trừ nhau phải là tùy chọn",
    "cannot have multiple subparser arguments": "không được có nhiều nhóm lệnh con",
    "%r is not callable": "%r không gọi được",
    "cannot merge actions - two groups are named %r": "không gộp được: hai nhóm cùng tên %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "tùy chọn %(option)r không hợp lệ: phải bắt đầu bằng %(prefix_chars)r"
    ),
    "dest= is required for options like %r": "cần dest= cho tùy chọn như %r",
    "invalid conflict_resolution value: %r": "giá trị conflict_resolution không hợp lệ: %r",
    "conflicting option string: %s": "trùng tùy chọn: %s",
    "conflicting option strings: %s": "trùng tùy chọn: %s",
    "conflicting subparser: %s": "trùng lệnh con: %s",
    "conflicting subparser alias: %s": "trùng tên khác của lệnh con: %s",
}

SUGGESTION = "Có phải ý bạn là '{0}'?"


class ArgparseCatalog(gettext.NullTranslations):
    """A gettext translation object whose catalog is MESSAGES (no .mo file needed)."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


CATALOG = ArgparseCatalog()


@contextlib.contextmanager
def speaking_vietnamese() -> Iterator[None]:
    """argparse's `_` and `ngettext` are the catalog's while the block runs (re-entrant)."""
    saved = vars(argparse)["_"], vars(argparse)["ngettext"]
    setattr(argparse, "_", CATALOG.gettext)  # noqa: B010 (argparse's own lookup name)
    setattr(argparse, "ngettext", CATALOG.ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


def _close_match(word: str, choices: Any) -> str | None:
    names = [str(choice) for choice in choices]
    found = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return found[0] if found else None


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are Vietnamese; errors are one line on stderr
    with exit code 2. Sub-command parsers made by `add_subparsers().add_parser` get this
    class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with speaking_vietnamese():  # the "options" heading and the -h line are made here
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with speaking_vietnamese():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking_vietnamese():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking_vietnamese():  # "unrecognized arguments" is raised here
            return super().parse_args(*args, **kwargs)

    def parse_intermixed_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking_vietnamese():
            return super().parse_intermixed_args(*args, **kwargs)

    def format_usage(self) -> str:
        with speaking_vietnamese():
            return super().format_usage()

    def format_help(self) -> str:
        with speaking_vietnamese():
            return super().format_help()

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A choice outside the list names the nearest one ("Có phải ý bạn là 'members'?")."""
        if action.choices is None or value in action.choices:
            return
        near = _close_match(str(value), action.choices)
        hint = f" {SUGGESTION.format(near)}" if near else ""
        if isinstance(action, argparse._SubParsersAction):
            text = f"Không có lệnh “{value}”.{hint}"
            if not near:
                text += f" Các lệnh: {', '.join(map(str, action.choices))}."
        else:
            names = ", ".join(map(str, action.choices))
            where = "/".join(action.option_strings) or action.metavar or action.dest
            text = f"Giá trị “{value}” không hợp lệ cho {where}; hãy chọn một trong: {names}."
            text += hint
        raise argparse.ArgumentError(None, text)

    def error(self, message: str) -> NoReturn:
        text = message.strip()
        text = text[:1].upper() + text[1:]
        if not text.endswith((".", "?", "!")):
            text += "."
        self.exit(2, f"{text} Xem hướng dẫn: {self.prog} --help\n")


def name_placeholders(
    parser: argparse.ArgumentParser, placeholders: Mapping[str, str]
) -> argparse.ArgumentParser:
    """Give every option and argument of `parser` and its sub-commands (a mutually exclusive
    group's and a parent's too), which takes a value and has neither a `metavar` nor
    `choices`, its placeholder from `placeholders` (dest -> word). A `metavar=` given where
    the option is made wins; options with `choices` keep showing their codes."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                name_placeholders(child, placeholders)
        elif action.metavar is None and action.choices is None and action.nargs != 0:
            action.metavar = placeholders.get(action.dest)
    return parser

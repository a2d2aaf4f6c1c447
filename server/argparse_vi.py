"""`sotay-server --help` in Vietnamese: the headings, the usage line and the -h line.

argparse writes "usage: ", "positional arguments", "options" and "show this help message and
exit" itself. Here they are set on each parser as it is made (the group titles, the -h action's
help, the formatter's usage prefix), so nothing global is patched. Errors are one Vietnamese
line already (app/arguments.py). The desktop CLI has its own, fuller module
(cli/argparse_vi.py), which the server may not import (layers).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn, TypeVar

from app.arguments import VietnameseArgumentParser

_ActionT = TypeVar("_ActionT", bound=argparse.Action)

USAGE = "Cách dùng: "
POSITIONALS = "Tham số"
OPTIONALS = "Tùy chọn"
HELP_LINE = "hiện hướng dẫn này rồi thoát"


# The placeholder an option's value shows in --help (`--db CSDL`, not argparse's `--db DB`),
# by dest; one concept, one word. A `metavar=` given where the option is made wins, options
# with `choices` show their codes. Acronyms (URL) stay as they are.
PLACEHOLDERS: dict[str, str] = {
    "db": "CSDL",
    "code": "MÃ_CHI_BỘ",
    "branch": "MÃ_CHI_BỘ",
    "branch_label": "TÊN_CHI_BỘ",
    "name": "TÊN",
    "full_name": "HỌ_TÊN",
    "device_id": "MÃ_THIẾT_BỊ",
    "member_id": "MÃ_ĐẢNG_VIÊN",
    "feedback": "MÃ_Ý_KIẾN",
    "id": "MÃ_VĂN_BẢN",
    "report": "BÁO_CÁO",
    "file": "TỆP",
    "key_file": "TỆP",
    "host": "ĐỊA_CHỈ",
    "port": "CỔNG",
    "log_level": "MỨC",
    "workers": "SỐ_TIẾN_TRÌNH",
    "batch": "CỠ_LÔ",
    "valid_days": "SỐ_NGÀY",
    "issued_on": "NGÀY",
    "on": "NGÀY",
    "issuer": "CƠ_QUAN",
    "by": "NGƯỜI_TRẢ_LỜI",
    "number": "SỐ_HIỆU",
    "title": "TRÍCH_YẾU",
    "summary": "TÓM_TẮT",
    "tags": "NHÃN",
    "text": "NỘI_DUNG",
    "answer": "NỘI_DUNG",
    "note": "GHI_CHÚ",
    "type": "LOẠI",
    "status": "TRẠNG_THÁI",
    "version": "PHIÊN_BẢN",
}


class VietnameseHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class ServerArgumentParser(VietnameseArgumentParser):
    """A parser whose help is Vietnamese; `add_subparsers().add_parser` makes this class too."""

    def __init__(self, *args: Any, parents: Sequence[argparse.ArgumentParser] = (), **kwargs: Any):
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONALS
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = HELP_LINE
        # The parents' options join this parser's groups only once the titles match (argparse
        # merges groups by title), so they are added here rather than by argparse.__init__.
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def _add_action(self, action: _ActionT) -> _ActionT:
        """Every option (a mutually exclusive group's too) gets its Vietnamese placeholder."""
        if action.metavar is None and action.nargs != 0 and action.choices is None:
            action.metavar = PLACEHOLDERS.get(action.dest)
        return super()._add_action(action)

    def error(self, message: str) -> NoReturn:
        """A value refused by an option's own check (argparse.ArgumentTypeError) names the
        option and says why; argparse's own messages are translated by app/arguments.py."""
        match = _REFUSED_VALUE.fullmatch(message)
        if match:
            option, why = match.groups()
            self.exit(
                2, f"Tham số {option}: {why.rstrip('.')}. Xem hướng dẫn: {self.prog} --help\n"
            )
        super().error(message)


_REFUSED_VALUE = re.compile(
    r"argument (\S+): (?!invalid |expected |not allowed |ignored |one of |unrecognized )(.+)",
    re.DOTALL,
)

"""argparse with its errors as one Vietnamese line, for `sotay` and `sotay-server`."""

from __future__ import annotations

import argparse
import re
from typing import NoReturn

_ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.*)"), "Không hiểu tham số: {0}."),
    (re.compile(r"the following arguments are required: (.*)"), "Thiếu tham số bắt buộc: {0}."),
    (
        re.compile(r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)"),
        "Giá trị {1} không hợp lệ cho {0}; hãy chọn một trong: {2}.",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "Tham số {0} cần một giá trị."),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.*)"), "Giá trị {2} không hợp lệ cho {0}."),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "Không dùng {0} cùng {1}."),
)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """Argument errors as one Vietnamese line (sub-commands inherit this class)."""

    def error(self, message: str) -> NoReturn:
        for pattern, template in _ARGPARSE_MESSAGES:
            match = pattern.search(message)
            if match:
                text = template.format(*match.groups())
                break
        else:
            text = f"Lệnh không hợp lệ ({message})."
        self.exit(2, f"{text} Xem hướng dẫn: {self.prog} --help\n")

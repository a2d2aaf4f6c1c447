"""Shared CLI plumbing: the data folder, the password, opening the book, JSON output, dates."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.errors import BookError, ValidationError
from app.paths import LOG_DIR, resolve_data_dir

if TYPE_CHECKING:
    from app.book import Book

_stdin_lines: list[str] | None = None
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_T = TypeVar("_T")


def data_dir(args: argparse.Namespace) -> Path:
    return resolve_data_dir(getattr(args, "data_dir", None))


def _stdin_line(index: int) -> str | None:
    global _stdin_lines
    if _stdin_lines is None:
        _stdin_lines = (
            [] if sys.stdin is None or sys.stdin.closed else sys.stdin.read().splitlines()
        )
    return _stdin_lines[index] if index < len(_stdin_lines) else None


def password(args: argparse.Namespace) -> str:
    """From --password-stdin (first line) or SOTAY_PASSWORD."""
    if getattr(args, "password_stdin", False):
        line = _stdin_line(0)
        if line is None:
            raise BookError("Không đọc được mật khẩu từ stdin.")
        return line
    value = os.environ.get("SOTAY_PASSWORD")
    if value is None:
        raise BookError("Cần mật khẩu: đặt biến SOTAY_PASSWORD hoặc dùng --password-stdin.")
    return value


def new_password(args: argparse.Namespace) -> str:
    """From SOTAY_NEW_PASSWORD, else the next stdin line."""
    value = os.environ.get("SOTAY_NEW_PASSWORD")
    if value is not None:
        return value
    line = _stdin_line(1 if getattr(args, "password_stdin", False) else 0)
    if line is None:
        raise BookError("Cần mật khẩu mới: đặt biến SOTAY_NEW_PASSWORD hoặc nhập qua stdin.")
    return line


def open_from_args(args: argparse.Namespace) -> Book:
    from app.unlock import unlock

    book = unlock(data_dir(args), password=password(args))
    book.actor = f"Dòng lệnh ({os.environ.get('USER') or os.environ.get('USERNAME') or 'quản trị'})"
    return book


@contextlib.contextmanager
def opened_book(args: argparse.Namespace) -> Iterator[Book]:
    """The book for one command, locked again however the command ends."""
    book = open_from_args(args)
    try:
        yield book
    finally:
        book.close()


def with_book(args: argparse.Namespace, fn: Callable[[Book], _T]) -> _T:
    """`fn(book)` on the opened book, which is locked again however it ends."""
    with opened_book(args) as book:
        return fn(book)


def strptime_any(text: str, formats: Sequence[str]) -> dt.datetime | None:
    """`text` (stripped) read by the first of `formats` that fits; None if none does."""
    value = text.strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def parse_date(text: str | None, *, field: str = "date") -> dt.date | None:
    """A date typed on the command line (YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY); None stays None."""
    if text is None:
        return None
    parsed = strptime_any(text, _DATE_FORMATS)
    if parsed is not None:
        return parsed.date()
    raise ValidationError(
        f"Không hiểu ngày “{text}”. Hãy viết dạng YYYY-MM-DD, ví dụ 2025-11-05.", field=field
    )


def choices_help(table: dict[str, str]) -> str:
    """An option's help listing its codes with their Vietnamese labels: "a (nhãn), b (nhãn)"."""
    return ", ".join(f"{k} ({v})" for k, v in table.items())


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def crash_log_path() -> Path:
    try:
        folder = resolve_data_dir(None) / LOG_DIR
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    return folder / "sotay-crash.log"  # sanitised: see app/crashlog.py

"""Errors that are shown to the user, in Vietnamese.

Anything raised that is *not* a KnownError is a bug: it reaches the crash handler with a log.
"""

from __future__ import annotations


class KnownError(Exception):
    """An expected failure with a message fit to show a secretary (Vietnamese)."""

    exit_code = 1

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ValidationError(KnownError):
    """Bad input from the user; `field` names the form field when there is one."""

    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(KnownError):
    exit_code = 4


class BookError(KnownError):
    """The book cannot be opened, created or written."""

    exit_code = 3


class WrongPasswordError(BookError):
    def __init__(self, message: str, *, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class BookLockedError(BookError):
    pass


class ConflictError(KnownError):
    exit_code = 5

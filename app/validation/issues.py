"""The finding a check reports: an error blocks saving, a warning only informs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]
ERROR: Level = "error"
WARNING: Level = "warning"


@dataclass(frozen=True)
class Issue:
    level: Level
    field: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def error(field: str, message: str) -> Issue:
    return Issue(ERROR, field, message)


def warning(field: str, message: str) -> Issue:
    return Issue(WARNING, field, message)


def has_errors(issues: list[Issue]) -> bool:
    return any(i.is_error for i in issues)

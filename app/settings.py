"""Per-computer preferences kept beside the book (never secrets): text size, idle lock."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.paths import SETTINGS_FILE
from app.storage.files import write_atomic


@dataclass
class Settings:
    large_text: bool = False
    text_scale: float = 1.5  # how much larger "chế độ chữ lớn" makes everything
    idle_lock_minutes: int = 10  # 0 = never lock by itself
    actor_name: str = ""  # who is using the program, for the audit trail
    # Members at least this old count as needing support on Tổng quan (0 = age not counted).
    support_age: int = 70
    # Where the open/save dialogs were last pointed, per kind of file ("member-list", "pdf"…):
    # kept here on this computer, never in the book (ui/widgets/file_dialogs.py).
    last_folders: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        folders: object = self.last_folders  # as read from settings.json: may be anything
        if not isinstance(folders, dict):
            folders = {}
        self.last_folders = {
            k: v for k, v in folders.items() if isinstance(k, str) and isinstance(v, str) and v
        }

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        try:
            raw = json.loads((data_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def save(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), indent=2, ensure_ascii=False)
        # Whole or not at all, retried while an antivirus holds the old file (Windows).
        write_atomic(data_dir / SETTINGS_FILE, text.encode("utf-8"))

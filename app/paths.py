"""The data folder: --data-dir, else SOTAY_DATA_DIR, else the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "SoTayChiBo"

BOOK_FILE = "book.db"
KEYS_FILE = "book.keys"
SETTINGS_FILE = "settings.json"
BACKUP_DIR = "backups"
ATTACHMENTS_DIR = "attachments"
LOG_DIR = "logs"


def default_data_dir() -> Path:
    env = os.environ.get("SOTAY_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    return Path(explicit).expanduser() if explicit else default_data_dir()

"""Open and save dialogs that start where the user was last, one folder per kind of file.

Importing the member list, then the dues list, then documents from "Tải về" should not mean
walking to "Tải về" three times. Each dialog names a `FileKind`; it starts in the folder last
chosen for that kind (while it still exists), else in Documents, and remembers the folder the
user picks in `Settings.last_folders`: settings.json on this computer, never the book.

The dialogs are Qt's static QFileDialog functions, called with (parent, title, start, filter)
only, so tests replace them with a plain function.
"""

from __future__ import annotations

import contextlib
import os
from enum import StrEnum
from pathlib import Path

from app.file_writes import safe_file_name
from app.settings import Settings
from ui.qt import QtCore, QtWidgets


class FileKind(StrEnum):
    """What a dialog opens or saves: each kind remembers its own folder."""

    MEMBER_LIST = "member-list"  # Excel/CSV list of members to import
    DUES_IMPORT = "dues-import"  # a list of who paid, from the bank or the collector
    DOCUMENTS = "documents"  # documents brought into the library
    DOCUMENT_COPY = "document-copy"  # a document's original file saved out
    PDF = "pdf"  # papers, reports, large print
    EXCEL_EXPORT = "excel-export"  # spreadsheets the program writes
    BACKUP = "backup"  # .sotaybak, saved and restored
    CERTIFICATE = "certificate"  # the committee server's root certificate


# Remembered for this run only when no controller holds the computer's settings (tests,
# dialogs shown on their own).
_session = Settings()


def documents_dir() -> str:
    """The user's Documents folder (home when the platform has none)."""
    location = QtCore.QStandardPaths.writableLocation(
        QtCore.QStandardPaths.StandardLocation.DocumentsLocation
    )
    if location and Path(location).is_dir():
        return location
    return str(Path.home())


def _settings() -> tuple[Settings, Path | None]:
    """The settings the running program loaded (ui.main.Controller) and their folder."""
    controller = getattr(QtWidgets.QApplication.instance(), "sotay_controller", None)
    settings = getattr(controller, "settings", None)
    if isinstance(settings, Settings):
        data_dir = getattr(controller, "data_dir", None)
        return settings, data_dir if isinstance(data_dir, Path) else None
    return _session, None


def start_folder(kind: FileKind) -> str:
    """The folder last chosen for `kind` if it still exists, else Documents."""
    settings, _ = _settings()
    last = settings.last_folders.get(kind.value, "")
    if last and Path(last).is_dir():
        return last
    return documents_dir()


def remember(kind: FileKind, chosen: str) -> None:
    """Keep the folder of `chosen` (a file) as where the next `kind` dialog starts."""
    folder = str(Path(chosen).parent)
    settings, data_dir = _settings()
    if settings.last_folders.get(kind.value) == folder:
        return
    settings.last_folders[kind.value] = folder
    if data_dir is not None:
        # Only a convenience: when settings.json cannot be written, this run still remembers.
        with contextlib.suppress(OSError):
            settings.save(data_dir)


def open_file(parent: QtWidgets.QWidget | None, kind: FileKind, title: str, pattern: str) -> str:
    """One file to open; '' when cancelled."""
    path, _ = QtWidgets.QFileDialog.getOpenFileName(parent, title, start_folder(kind), pattern)
    if path:
        remember(kind, path)
    return str(path or "")


def open_files(
    parent: QtWidgets.QWidget | None, kind: FileKind, title: str, pattern: str
) -> list[str]:
    """Several files to open; [] when cancelled."""
    paths, _ = QtWidgets.QFileDialog.getOpenFileNames(parent, title, start_folder(kind), pattern)
    paths = [str(p) for p in paths or [] if p]
    if paths:
        remember(kind, paths[0])
    return paths


def save_file_and_filter(
    parent: QtWidgets.QWidget | None,
    kind: FileKind,
    title: str,
    suggested_name: str,
    pattern: str,
) -> tuple[str, str]:
    """Where to save, and the filter the user left chosen; ('', …) when cancelled.
    `suggested_name` is a name (any folder part is dropped), made valid on Windows."""
    start = os.path.join(start_folder(kind), safe_file_name(suggested_name))
    path, chosen = QtWidgets.QFileDialog.getSaveFileName(parent, title, start, pattern)
    if path:
        remember(kind, path)
    return str(path or ""), str(chosen or "")


def save_file(
    parent: QtWidgets.QWidget | None,
    kind: FileKind,
    title: str,
    suggested_name: str,
    pattern: str,
) -> str:
    """Where to save; '' when cancelled (see `save_file_and_filter`)."""
    return save_file_and_filter(parent, kind, title, suggested_name, pattern)[0]

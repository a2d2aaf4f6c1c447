"""After a PDF is written: offer to open it, print it or show its folder.

`ask_pdf_path` starts the save dialog where the last PDF went (else Documents); `offer_pdf`
is called once the file exists: a `Messages.choose` question, so tests answer it like any
other (an option's key; True/False give Đóng: the offer is recorded as "info" and nothing is
opened).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ui.messages import Messages
from ui.qt import QtCore, QtGui, QtWidgets
from ui.widgets.file_dialogs import FileKind, save_file

OPEN, PRINT, FOLDER, CLOSE = "open", "print", "folder", "close"


def ask_pdf_path(parent: QtWidgets.QWidget | None, title: str, suggested: str) -> str:
    """A save dialog for a PDF, opening where the last PDF was saved; '' when cancelled."""
    path = save_file(parent, FileKind.PDF, title, suggested, "Tệp PDF (*.pdf)")
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return path


def open_file(path: str) -> bool:
    return QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(path))


def print_file(path: str) -> bool:
    """Send the file to the default printer where the platform can (Windows' "print" verb);
    elsewhere open it so the viewer's own Print command is one step away."""
    if sys.platform == "win32":
        try:
            os.startfile(path, "print")  # type: ignore[attr-defined]
            return True
        except OSError:
            return open_file(path)
    return open_file(path)


def open_folder(path: str) -> bool:
    return QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(Path(path).parent)))


def offer_pdf(
    parent: QtWidgets.QWidget | None, messages: Messages, path: str, *, title: str
) -> str | None:
    """Tell the user where the PDF is and offer Mở tệp / In / Mở thư mục / Đóng.

    Returns what was done (OPEN, PRINT, FOLDER) or None."""
    done = messages.choose(
        title,
        f"Đã ghi tệp PDF: {path}",
        [(OPEN, "Mở tệp"), (PRINT, "In"), (FOLDER, "Mở thư mục"), (CLOSE, "Đóng")],
        default=OPEN,
        escape=CLOSE,
        informative="Đồng chí muốn mở tệp để xem, in ngay, hay mở thư mục chứa tệp?",
        kind="info",
        parent=parent,
    )
    action = {OPEN: open_file, PRINT: print_file, FOLDER: open_folder}.get(done)
    if action is None:
        return None
    if not action(path):
        messages.warning(title, f"Không mở được tệp trên máy này. Tệp vẫn nằm ở: {path}")
    return done

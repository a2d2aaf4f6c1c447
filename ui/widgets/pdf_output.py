"""After a PDF is written: offer to open it, print it or show its folder.

`ask_pdf_path` starts the save dialog in the user's Documents folder; `offer_pdf` is called
once the file exists. In tests (`Messages.auto_answer` set) the offer is recorded as an "info"
message and nothing is opened.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ui.messages import Messages
from ui.qt import QtCore, QtGui, QtWidgets

OPEN, PRINT, FOLDER = "open", "print", "folder"


def documents_dir() -> str:
    """The user's Documents folder (home when the platform has none)."""
    location = QtCore.QStandardPaths.writableLocation(
        QtCore.QStandardPaths.StandardLocation.DocumentsLocation
    )
    if location and Path(location).is_dir():
        return location
    return str(Path.home())


def ask_pdf_path(parent: QtWidgets.QWidget | None, title: str, suggested: str) -> str:
    """A save dialog for a PDF, opening in Documents; '' when cancelled."""
    start = suggested if os.path.isabs(suggested) else os.path.join(documents_dir(), suggested)
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, title, start, "Tệp PDF (*.pdf)")
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
    text = f"Đã ghi tệp PDF: {path}"
    if messages.auto_answer is not None:
        messages.info(title, text)
        return None
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Information, title, text, parent=parent)
    box.setInformativeText("Đồng chí muốn mở tệp để xem, in ngay, hay mở thư mục chứa tệp?")
    open_button = box.addButton("Mở tệp", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    print_button = box.addButton("In", QtWidgets.QMessageBox.ButtonRole.ActionRole)
    folder_button = box.addButton("Mở thư mục", QtWidgets.QMessageBox.ButtonRole.ActionRole)
    close_button = box.addButton("Đóng", QtWidgets.QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.setEscapeButton(close_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        ok, done = open_file(path), OPEN
    elif clicked is print_button:
        ok, done = print_file(path), PRINT
    elif clicked is folder_button:
        ok, done = open_folder(path), FOLDER
    else:
        return None
    if not ok:
        messages.warning(title, f"Không mở được tệp trên máy này. Tệp vẫn nằm ở: {path}")
    return done

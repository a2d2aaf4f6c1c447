"""Message boxes behind one wrapper, so tests can answer them (like KeePassXC's)."""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QtWidgets

# A message longer than this many lines shows its first lines and keeps the whole text in a
# scrolling "Chi tiết" part, so the box (and its OK button) always fits the screen.
MAX_LINES = 12
SUMMARY_LINES = 8


def split_long(text: str, details: str | None = None) -> tuple[str, str | None]:
    """(text, details) to show: a long text without details is cut into a summary and details."""
    lines = text.split("\n")
    if details is not None or len(lines) <= MAX_LINES:
        return text, details
    head = "\n".join(lines[:SUMMARY_LINES]).rstrip()
    more = len(lines) - SUMMARY_LINES
    return f"{head}\n… (còn {more} dòng: xem phần chi tiết)", text


class Messages:
    """Shows information, warnings, errors and yes/no questions.

    In tests, set `auto_answer` (True/False for questions) and read `shown` instead of
    blocking on a modal dialog.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self.parent = parent
        self.auto_answer: bool | None = None
        # (kind, title, text): `text` includes the details, so tests can find every line.
        self.shown: list[tuple[str, str, str]] = []
        # (kind, title, text on the box, details in its scrolling part or None).
        self.boxes: list[tuple[str, str, str, str | None]] = []
        self.hook: Callable[[str, str, str], None] | None = None

    def _record(
        self, kind: str, title: str, text: str, details: str | None = None, *, whole: str = ""
    ) -> bool:
        self.shown.append((kind, title, whole or (f"{text}\n\n{details}" if details else text)))
        self.boxes.append((kind, title, text, details))
        if self.hook:
            self.hook(kind, title, text)
        return self.auto_answer is not None

    def _show(self, kind: str, title: str, text: str, details: str | None) -> None:
        whole = text if details is None else ""
        text, details = split_long(text, details)
        if self._record(kind, title, text, details, whole=whole):
            return
        icon = {
            "info": QtWidgets.QMessageBox.Icon.Information,
            "warning": QtWidgets.QMessageBox.Icon.Warning,
            "error": QtWidgets.QMessageBox.Icon.Critical,
        }[kind]
        box = QtWidgets.QMessageBox(icon, title, text, parent=self.parent)
        box.addButton("Đóng", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        if details:
            # Qt shows the details in a scrolling text box behind a "Show Details…" button.
            box.setDetailedText(details)
        box.exec()

    def info(self, title: str, text: str, *, details: str | None = None) -> None:
        self._show("info", title, text, details)

    def warning(self, title: str, text: str, *, details: str | None = None) -> None:
        self._show("warning", title, text, details)

    def error(self, title: str, text: str, *, details: str | None = None) -> None:
        self._show("error", title, text, details)

    def ask(self, title: str, text: str) -> bool:
        whole = text
        text, details = split_long(text)
        if self._record("ask", title, text, details, whole=whole):
            return bool(self.auto_answer)
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question, title, text, parent=self.parent
        )
        if details:
            box.setDetailedText(details)
        yes = box.addButton("Đồng ý", QtWidgets.QMessageBox.ButtonRole.YesRole)
        box.addButton("Không", QtWidgets.QMessageBox.ButtonRole.NoRole)
        box.exec()
        return box.clickedButton() is yes

"""Message boxes behind one wrapper, so tests can answer them (like KeePassXC's)."""

from __future__ import annotations

from collections.abc import Callable

from ui.qt import QtWidgets


class Messages:
    """Shows information, warnings, errors and yes/no questions.

    In tests, set `auto_answer` (True/False for questions) and read `shown` instead of
    blocking on a modal dialog.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self.parent = parent
        self.auto_answer: bool | None = None
        self.shown: list[tuple[str, str, str]] = []
        self.hook: Callable[[str, str, str], None] | None = None

    def _record(self, kind: str, title: str, text: str) -> bool:
        self.shown.append((kind, title, text))
        if self.hook:
            self.hook(kind, title, text)
        return self.auto_answer is not None

    def info(self, title: str, text: str) -> None:
        if not self._record("info", title, text):
            QtWidgets.QMessageBox.information(self.parent, title, text)

    def warning(self, title: str, text: str) -> None:
        if not self._record("warning", title, text):
            QtWidgets.QMessageBox.warning(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        if not self._record("error", title, text):
            QtWidgets.QMessageBox.critical(self.parent, title, text)

    def ask(self, title: str, text: str) -> bool:
        if self._record("ask", title, text):
            return bool(self.auto_answer)
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question, title, text, parent=self.parent
        )
        yes = box.addButton("Đồng ý", QtWidgets.QMessageBox.ButtonRole.YesRole)
        box.addButton("Không", QtWidgets.QMessageBox.ButtonRole.NoRole)
        box.exec()
        return box.clickedButton() is yes

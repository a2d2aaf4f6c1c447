"""Message boxes behind one wrapper, so tests can answer them (like KeePassXC's)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ui.qt import QtWidgets

_ICONS = {
    "info": QtWidgets.QMessageBox.Icon.Information,
    "warning": QtWidgets.QMessageBox.Icon.Warning,
    "error": QtWidgets.QMessageBox.Icon.Critical,
    "ask": QtWidgets.QMessageBox.Icon.Question,
}

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
    """Shows information, warnings, errors, yes/no questions and questions with a few answers.

    In tests, set `auto_answer` and read `shown` instead of blocking on a modal dialog:
    True/False answers `ask`; an option's key answers `choose` (any other value, True and False
    included, gives `choose`'s escape answer: what Esc or closing the box does).
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self.parent = parent
        self.auto_answer: bool | str | None = None
        # (kind, title, text): `text` includes the details, so tests can find every line.
        self.shown: list[tuple[str, str, str]] = []
        # (kind, title, text on the box, details in its scrolling part or None).
        self.boxes: list[tuple[str, str, str, str | None]] = []
        self.hook: Callable[[str, str, str], None] | None = None
        # The button labels of every `choose` box, in order, as the user would see them.
        self.offered: list[tuple[str, ...]] = []

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
        box = QtWidgets.QMessageBox(_ICONS[kind], title, text, parent=self.parent)
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

    def choose(
        self,
        title: str,
        text: str,
        options: Sequence[tuple[str, str]],
        *,
        default: str,
        escape: str,
        informative: str = "",
        kind: str = "ask",
        parent: QtWidgets.QWidget | None = None,
    ) -> str:
        """A question with a few answers, one button each: `options` are (key, label) pairs
        in button order. Returns the key of the button clicked: `default` for Enter, `escape`
        for Esc or the box's close button. `informative` is a second paragraph under `text`;
        `kind` ("ask", "info", "warning") picks the icon and is what `shown` records."""
        keys = [key for key, _label in options]
        if default not in keys or escape not in keys:
            raise ValueError(f"default {default!r} and escape {escape!r} must be among {keys}")
        whole = f"{text}\n\n{informative}" if informative else text
        text, details = split_long(text)
        self.offered.append(tuple(label for _key, label in options))
        if self._record(kind, title, text, details, whole=whole):
            answer = self.auto_answer
            return answer if isinstance(answer, str) and answer in keys else escape
        box = QtWidgets.QMessageBox(_ICONS[kind], title, text, parent=parent or self.parent)
        if informative:
            box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        role = QtWidgets.QMessageBox.ButtonRole
        buttons = []
        for key, label in options:
            button = box.addButton(
                label,
                role.AcceptRole
                if key == default
                else role.RejectRole
                if key == escape
                else role.ActionRole,
            )
            buttons.append((button, key))
            if key == default:
                box.setDefaultButton(button)
            if key == escape:
                box.setEscapeButton(button)
        box.exec()
        clicked = box.clickedButton()
        return next((key for button, key in buttons if button is clicked), escape)

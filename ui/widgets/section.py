"""What every section of the main window is given, and what it must offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.settings import Settings
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets, Signal

if TYPE_CHECKING:
    from app.book import Book
    from app.services.changes import OpChanges
    from ui.tasks import TaskRunner


@dataclass
class AppContext:
    book: Book
    runner: TaskRunner
    settings: Settings
    message: Messages
    # Sections emit through this to tell the others that data changed.
    listeners: list[Section] = field(default_factory=list)
    # The background sync loop (ui.sync.auto_sync.AutoSync) once the window runs it.
    auto_sync: Any = None
    # Where the program loads settings.json from: the data folder, not the open book's folder
    # (the demo book lives in a subfolder; settings saved there would never be read again).
    settings_dir: Path | None = None

    def save_settings(self) -> None:
        self.settings.save(self.settings_dir or self.book.data_dir)

    def broadcast(self, changes: OpChanges | None) -> None:
        for section in list(self.listeners):
            section.refresh(changes)


class Section(QtWidgets.QWidget):
    """A page in the main window (Tổng quan, Đảng viên, Sinh hoạt, ...)."""

    title = ""
    changed = Signal(object)  # OpChanges after a write, so other sections may refresh

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def heightForWidth(self, width: int) -> int:
        """The least height the page needs at `width`: its minimum plus what wrapping button
        rows add. (Qt sums the items' preferred heights here, so a page with a wrapping row
        would ask the main window's scroll area for more height than the screen has, and its
        list and buttons would slide under the bottom edge.)"""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return super().heightForWidth(width)
        wrapped = layout.heightForWidth(width) - layout.sizeHint().height()
        return layout.minimumSize().height() + max(0, wrapped)

    def changeEvent(self, event: QtCore.QEvent) -> None:
        super().changeEvent(event)
        # Hidden pages too. Once the event loop turns, the page is built (a change during
        # construction) and every child has its new font.
        if event.type() == QtCore.QEvent.Type.FontChange:
            QtCore.QTimer.singleShot(0, self, self.text_size_changed)

    def text_size_changed(self) -> None:
        """Large-text mode was switched on or off: recompute sizes measured from the font
        (row heights, heights of a few lines)."""

    def refresh(self, changes: OpChanges | None = None) -> None:
        """Reload what is shown. `changes` says what a write touched (None = everything)."""

    def may_leave(self) -> bool:
        """Before the page is dropped (lock, closing, switching books): save or drop unsaved
        edits, or stay. False means the user chose to stay."""
        return True

    def save_unsaved(self) -> None:
        """The book is locked for inactivity: keep what was typed (nobody is there to ask)."""

    def on_shown(self) -> None:
        """Called when the user switches to this section."""
        self.refresh(None)

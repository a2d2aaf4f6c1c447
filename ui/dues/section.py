"""Đảng phí: the monthly collection sheet as a section of the main window."""

from __future__ import annotations

from app.services.changes import OpChanges
from app.vocab import Entity
from ui.dues.sheet import DuesSheet
from ui.qt import QtWidgets
from ui.style import set_role
from ui.widgets.section import AppContext, Section


class DuesSection(Section):
    title = "Đảng phí"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        self.sheet = DuesSheet(ctx, parent=self)
        heading = QtWidgets.QLabel("Đảng phí")
        set_role(heading, "title")
        self.sheet.top.insertWidget(0, heading)
        self.sheet.top.insertSpacing(1, 8)
        self.sheet.changed.connect(self.changed.emit)
        layout.addWidget(self.sheet, 1)

    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not changes.touches(
            Entity.DUES_PAYMENT, Entity.DUES_SETTING, Entity.MEMBER, Entity.SETTINGS
        ):
            return
        self.sheet.reload()

"""The items needing attention, and both versions of a conflicting row, as tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from app.services.sync_state import Problem
from ui.qt import QtCore, QtWidgets
from ui.sync.labels import (
    FIELD_LABELS,
    HIDDEN_FIELDS,
    KIND_LABELS,
    shown_value,
    when_text,
)
from ui.widgets.list_model import Column, ListTableModel


class ProblemsModel(ListTableModel[Problem]):
    """Items needing attention, as the service lists them."""

    columns: Sequence[Column[Problem]] = (
        Column("Loại", lambda p: KIND_LABELS.get(p.kind, p.kind)),
        Column("Nội dung", lambda p: p.label),
        Column("Lý do", lambda p: p.reason, tooltip=lambda p: p.reason),
        Column("Thời điểm", lambda p: when_text(p.created_at)),
    )


class FieldVersions(NamedTuple):
    """One field of a conflicting row: its label and both versions as shown."""

    label: str
    mine: str
    theirs: str
    differs: bool


class VersionsModel(ListTableModel[FieldVersions]):
    """Both versions of a conflicting row, field by field (differences first)."""

    columns: Sequence[Column[FieldVersions]] = (
        Column("Thông tin", lambda f: f.label),
        Column("Bản của chi bộ", lambda f: f.mine),
        Column("Bản trên máy chủ", lambda f: f.theirs),
    )

    @property
    def rows(self) -> list[FieldVersions]:
        """The fields as shown, differences first (label, mine, theirs, differs)."""
        return self.items

    def set_problem(self, problem: Problem | None) -> None:
        rows: list[FieldVersions] = []
        if problem is not None:
            mine, theirs = problem.mine or {}, problem.theirs or {}
            keys = [k for k in dict.fromkeys([*mine, *theirs]) if k not in HIDDEN_FIELDS]
            rows = [
                FieldVersions(
                    FIELD_LABELS.get(k, k),
                    shown_value(k, mine.get(k), problem.entity)
                    if problem.mine is not None
                    else "—",
                    shown_value(k, theirs.get(k), problem.entity)
                    if problem.theirs is not None
                    else "—",
                    mine.get(k) != theirs.get(k),
                )
                for k in keys
            ]
        self.set_items(sorted(rows, key=lambda r: not r.differs))

    def role_data(self, item: FieldVersions, column: int, role: int) -> Any:
        if role == QtCore.Qt.ItemDataRole.FontRole and item.differs:
            font = QtWidgets.QApplication.font()
            font.setBold(True)
            return font
        return None

"""The minutes' discussion and votes as editable tables."""

from __future__ import annotations

import dataclasses
from typing import Any

from app.errors import ValidationError
from app.services import voting_rules
from app.services.meetings import (
    DiscussionEntry,
    VoteRecord,
)
from app.services.voting_rules import AttendanceFigures
from ui.qt import QtCore, QtGui

DISCUSSION_HEADERS = ("Người phát biểu", "Nội dung phát biểu")
# Two-line headings keep the count columns narrow and whole: "for" and "against" must never
# be cut to "ông tán thà" (F7). The tooltips say each in full.
VOTE_HEADERS = (
    "Nội dung biểu quyết",
    "Tán thành",
    "Không\ntán thành",
    "Không\nbiểu quyết",
    "Kết quả",
)
VOTE_TIPS = (
    "Việc đưa ra biểu quyết",
    "Số phiếu tán thành",
    "Số phiếu không tán thành",
    "Số đảng viên chính thức có mặt không biểu quyết",
    "Kết quả, tính trên số đảng viên chính thức theo quy định",
)


class DiscussionModel(QtCore.QAbstractTableModel):
    """The discussion of one section, editable in place."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[DiscussionEntry] = []

    def set_entries(self, entries: list[DiscussionEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def add(self, speaker: str, text: str) -> None:
        row = len(self.entries)
        self.beginInsertRows(QtCore.QModelIndex(), row, row)
        self.entries.append(DiscussionEntry(speaker, text))
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            self.beginRemoveRows(QtCore.QModelIndex(), row, row)
            del self.entries[row]
            self.endRemoveRows()

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < 2
        ):
            return DISCUSSION_HEADERS[section]
        return None

    def flags(self, index: Any) -> QtCore.Qt.ItemFlag:
        if not index.isValid():
            return QtCore.Qt.ItemFlag.NoItemFlags
        return (
            QtCore.Qt.ItemFlag.ItemIsEnabled
            | QtCore.Qt.ItemFlag.ItemIsSelectable
            | QtCore.Qt.ItemFlag.ItemIsEditable
        )

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        if role in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.EditRole):
            entry = self.entries[index.row()]
            return entry.speaker if index.column() == 0 else entry.text
        return None

    def setData(self, index: Any, value: Any, role: int = QtCore.Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != QtCore.Qt.ItemDataRole.EditRole:
            return False
        entry = self.entries[index.row()]
        text = str(value or "").strip()
        if index.column() == 0:
            entry = dataclasses.replace(entry, speaker=text)
        else:
            entry = dataclasses.replace(entry, text=text)
        self.entries[index.row()] = entry
        self.dataChanged.emit(index, index)
        return True


class VotesModel(QtCore.QAbstractTableModel):
    """The votes, with each count checked against the official members present."""

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.votes: list[VoteRecord] = []
        self.figures: AttendanceFigures | None = None
        self.rules = voting_rules.RuleConfig()

    def set_votes(self, votes: list[VoteRecord], figures: AttendanceFigures | None) -> None:
        self.beginResetModel()
        self.votes = list(votes)
        self.figures = figures
        self.endResetModel()

    def add(self, subject: str, in_favour: int, kind: str = "resolution") -> None:
        row = len(self.votes)
        self.beginInsertRows(QtCore.QModelIndex(), row, row)
        self.votes.append(VoteRecord(subject, in_favour, 0, 0, kind))
        self.endInsertRows()

    def set_kind(self, row: int, kind: str) -> None:
        """The kind of vote (and so its rule) of a row."""
        if 0 <= row < len(self.votes) and self.votes[row].kind != kind:
            self.votes[row] = dataclasses.replace(self.votes[row], kind=kind)
            self.dataChanged.emit(self.index(row, 0), self.index(row, 4))

    def explanation(self, vote: VoteRecord) -> str:
        """The result line as printed: the base, the threshold and the counts."""
        if self.figures is None or self.problem(vote):
            return ""
        check = voting_rules.check_vote(
            self.figures,
            in_favour=vote.in_favour,
            against=vote.against,
            abstain=vote.abstain,
            kind=vote.kind,
            config=self.rules,
        )
        return f"{check.result_text}\n{check.base_text}"

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.votes):
            self.beginRemoveRows(QtCore.QModelIndex(), row, row)
            del self.votes[row]
            self.endRemoveRows()

    def problem(self, vote: VoteRecord) -> str:
        """'' when the vote fits the roll call, else why not (Vietnamese)."""
        if self.figures is None:
            return ""
        try:
            voting_rules.check_vote(
                self.figures,
                in_favour=vote.in_favour,
                against=vote.against,
                abstain=vote.abstain,
                subject=vote.subject,
                kind=vote.kind,
                config=self.rules,
            )
        except ValidationError as exc:
            return exc.message
        return ""

    def result(self, vote: VoteRecord) -> str:
        if self.figures is None:
            return ""
        problem = self.problem(vote)
        if problem:
            return (
                f"Sai: tổng số phiếu vượt quá {self.figures.voting_present} người được biểu quyết"
            )
        check = voting_rules.check_vote(
            self.figures,
            in_favour=vote.in_favour,
            against=vote.against,
            abstain=vote.abstain,
            kind=vote.kind,
            config=self.rules,
        )
        return "Thông qua" if check.adopted else "Không thông qua"

    def rowCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.votes)

    def columnCount(self, parent: Any = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(VOTE_HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:
        if (
            role == QtCore.Qt.ItemDataRole.DisplayRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(VOTE_HEADERS)
        ):
            return VOTE_HEADERS[section]
        if (
            role == QtCore.Qt.ItemDataRole.ToolTipRole
            and orientation == QtCore.Qt.Orientation.Horizontal
            and 0 <= section < len(VOTE_TIPS)
        ):
            return VOTE_TIPS[section]
        return None

    def flags(self, index: Any) -> QtCore.Qt.ItemFlag:
        if not index.isValid():
            return QtCore.Qt.ItemFlag.NoItemFlags
        base = QtCore.Qt.ItemFlag.ItemIsEnabled | QtCore.Qt.ItemFlag.ItemIsSelectable
        if index.column() < 4:
            base |= QtCore.Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Any, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.votes):
            return None
        vote = self.votes[index.row()]
        col = index.column()
        if role in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.EditRole):
            values: list[Any] = [vote.subject, vote.in_favour, vote.against, vote.abstain]
            if col < 4:
                return values[col]
            return self.result(vote) if role == QtCore.Qt.ItemDataRole.DisplayRole else None
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:
            return self.problem(vote) or self.explanation(vote) or None
        if role == QtCore.Qt.ItemDataRole.ForegroundRole and col == 4 and self.problem(vote):
            return QtGui.QBrush(QtGui.QColor("#b00020"))
        if role == QtCore.Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(QtCore.Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Any, value: Any, role: int = QtCore.Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != QtCore.Qt.ItemDataRole.EditRole or index.column() > 3:
            return False
        vote = self.votes[index.row()]
        col = index.column()
        if col == 0:
            vote = dataclasses.replace(vote, subject=str(value or "").strip())
        else:
            try:
                number = int(str(value).strip() or "0")
            except ValueError:
                return False
            if number < 0:
                return False
            field = ("in_favour", "against", "abstain")[col - 1]
            vote = dataclasses.replace(vote, **{field: number})
        self.votes[index.row()] = vote
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 4))
        return True

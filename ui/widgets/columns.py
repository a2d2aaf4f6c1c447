"""Table columns that share the width of the view: no sideways scrolling, long text elided
(whole in the tooltip) instead of rows growing."""

from __future__ import annotations

from ui.qt import QtCore, QtGui, QtWidgets


def fit_columns(
    view: QtWidgets.QTableView, long_column: int | None = None, name_column: int = 0
) -> None:
    """Columns as wide as their text, the first (the name) at most a quarter of the view and
    the others a share of it, so the column of long text (the last unless `long_column`
    says, stretched) keeps two fifths of the width; what does not fit is elided, whole in
    the tooltip. Nothing wider than the view: no sideways scrolling."""
    header = view.horizontalHeader()
    if not header.font().bold():
        # Headings are bold (style sheet): measure them bold too, so a narrow heading is
        # elided instead of being clipped; a long one loses its end, not both ends.
        bold = QtGui.QFont(header.font())
        bold.setBold(True)
        header.setFont(bold)
        header.setDefaultAlignment(
            QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
        )
    view.resizeColumnsToContents()
    columns = view.model().columnCount()
    long_column = columns - 1 if long_column is None else long_column
    others = [c for c in range(columns) if c != long_column]
    width = view.viewport().width()
    for column in others:
        share = 4 if column == name_column else columns + 1
        cap = max(header.sectionSizeHint(column), width // share)
        if view.columnWidth(column) > cap:
            view.setColumnWidth(column, cap)
    shrinkable = [c for c in others if c not in (0, name_column)]
    # First the others give way down to their headings' width (the long column gets two
    # fifths); only if it would keep less than a quarter do headings get cut too.
    for part, floor_of in (
        ((2, 5), lambda c: header.sectionSizeHint(c)),
        ((1, 4), lambda c: header.minimumSectionSize() * 2),
    ):
        need = width * part[0] // part[1] - (width - sum(view.columnWidth(c) for c in others))
        while need > 0:
            room = [c for c in shrinkable if view.columnWidth(c) > floor_of(c)]
            if not room:
                break
            widest = max(room, key=view.columnWidth)
            step = min(
                need, view.columnWidth(widest) - floor_of(widest), view.columnWidth(widest) // 4 + 1
            )
            view.setColumnWidth(widest, view.columnWidth(widest) - step)
            need -= step

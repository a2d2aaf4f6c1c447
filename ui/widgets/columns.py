"""Table columns that share the width of the view, by one rule (`fit_table`): a date, a
number, a code or a short label is shown whole; only names, titles and free text share the
rest and are elided (whole in the tooltip) instead of rows growing; no sideways scrolling."""

from __future__ import annotations

from collections.abc import Sequence

from ui.qt import QtCore, QtGui, QtWidgets


def fit_columns(
    view: QtWidgets.QTableView, long_column: int | None = None, name_column: int = 0
) -> None:
    """The rule of `fit_table` for a table with one name column and one column of long
    text (the last unless `long_column` says): both share the width the other columns (as
    wide as their content) leave, the long one taking the most; nothing elided but them
    (whole in the tooltip), no sideways scrolling. Applied again on its own when the view is
    resized or its rows change."""
    columns = view.model().columnCount()
    long_column = columns - 1 if long_column is None else long_column
    fit_table(view, text=(name_column, long_column), main=long_column)


# -- one rule for every table: short columns whole, text columns share the rest --------------

_FITTER = "_sotay_column_fitter"
# A text column keeps at least this many average characters (the main one, the others),
# and when even the short columns leave too little, this many before the table scrolls.
TEXT_FLOOR_CHARS, OTHER_FLOOR_CHARS, LEAST_CHARS = 10, 6, 3
COMFORT_CHARS = 20  # the main text column's width before optional columns give way


def fit_table(
    view: QtWidgets.QTableView,
    *,
    text: Sequence[int],
    main: int | None = None,
    optional: Sequence[int] = (),
    keep: bool = True,
) -> None:
    """Size the columns of `view` by one rule: a column of dates, numbers, codes or short
    labels is exactly as wide as its content and its heading (never elided); the columns in
    `text` (names, titles, free text) share what is left, `main` at least TEXT_FLOOR_CHARS
    and the others OTHER_FLOOR_CHARS wide, `main` (default: the last of `text`) taking what the others do not need. A text
    cell that does not fit is elided and shows its whole text as tooltip.

    When even that does not fit, the headings of the short columns give way first (elided
    down to their content, whole as tooltip); only a table whose short columns alone are
    wider than the view scrolls sideways (its own bar), so a date or a number is never cut.
    Before that, the `optional` columns (what the row's details repeat), in that order, are
    hidden while `main` would get less than COMFORT_CHARS, and shown again when it would not.

    With `keep` (the default) the rule stays on the view: it is applied again when the view
    is resized, its font changes or its rows change, so callers need not call it again."""
    text = [c for c in dict.fromkeys(text) if c is not None]
    fitter = view.findChild(_ColumnFitter, _FITTER)
    if fitter is None:
        fitter = _ColumnFitter(view)
    fitter.text = text
    fitter.main = main if main is not None else (text[-1] if text else None)
    fitter.optional = list(optional)
    fitter.keep = keep
    fitter.apply()


def short_column_widths(view: QtWidgets.QTableView) -> dict[int, int]:
    """What each column needs to show its content and its heading whole (pixels)."""
    header = view.horizontalHeader()
    model = view.model()
    return {
        c: max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
        for c in range(model.columnCount() if model is not None else 0)
    }


def elided_text(view: QtWidgets.QAbstractItemView, index: QtCore.QModelIndex) -> str | None:
    """The whole text of a cell the view shows cut (elided), else None."""
    if not index.isValid():
        return None
    value = index.data(QtCore.Qt.ItemDataRole.DisplayRole)
    if value is None or not str(value):
        return None
    textual = str(value)
    rect = view.visualRect(index)
    option = QtWidgets.QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = rect
    hint = view.itemDelegateForIndex(index).sizeHint(option, index)
    return textual if hint.width() > rect.width() + 1 else None


class _ColumnFitter(QtCore.QObject):
    """Keeps `fit_table`'s rule on one view and shows the whole text of cut cells."""

    def __init__(self, view: QtWidgets.QTableView) -> None:
        super().__init__(view)
        self.setObjectName(_FITTER)
        self.view = view
        self.text: list[int] = []
        self.main: int | None = None
        self.optional: list[int] = []
        self.keep = True
        self._pending = False
        self._applying = False
        self._model: QtCore.QAbstractItemModel | None = None
        # Kept here: the filter compares with them without calling into the view, which
        # may be half destroyed when its last events arrive.
        self._port = view.viewport()
        self._header_port = view.horizontalHeader().viewport()
        self._port.installEventFilter(self)
        self._header_port.installEventFilter(self)
        view.installEventFilter(self)
        self._watch_model()

    def _watch_model(self) -> None:
        model = self.view.model()
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (
            model.modelReset,
            model.layoutChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.dataChanged,
        ):
            signal.connect(self.later)

    def later(self, *_args: object) -> None:
        if self.keep and not self._pending:
            self._pending = True
            QtCore.QTimer.singleShot(0, self, self.apply)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        kind = event.type()
        if kind == QtCore.QEvent.Type.ToolTip and isinstance(event, QtGui.QHelpEvent):
            return self._tooltip(watched, event)
        resized = watched is self._port and kind == QtCore.QEvent.Type.Resize
        restyled = watched is self.view and kind in (
            QtCore.QEvent.Type.FontChange,
            QtCore.QEvent.Type.StyleChange,
            QtCore.QEvent.Type.Show,
        )
        if resized or restyled:
            self.later()
        return False

    def _tooltip(self, watched: QtCore.QObject, event: QtGui.QHelpEvent) -> bool:
        view = self.view
        header = view.horizontalHeader()
        if watched is self._header_port:
            column = header.logicalIndexAt(event.pos())
            model = view.model()
            if column < 0 or model is None:
                return False
            if model.headerData(
                column, QtCore.Qt.Orientation.Horizontal, QtCore.Qt.ItemDataRole.ToolTipRole
            ):
                return False  # the model's own tooltip
            heading = str(model.headerData(column, QtCore.Qt.Orientation.Horizontal) or "")
            if heading and header.sectionSizeHint(column) > header.sectionSize(column):
                QtWidgets.QToolTip.showText(event.globalPos(), heading, header)
                return True
            return False
        index = view.indexAt(event.pos())
        if not index.isValid() or index.data(QtCore.Qt.ItemDataRole.ToolTipRole):
            return False  # the model's own tooltip
        whole = elided_text(view, index)
        if whole is None:
            return False
        QtWidgets.QToolTip.showText(event.globalPos(), whole, view.viewport())
        return True

    def apply(self) -> None:
        self._pending = False
        if self._applying:
            return
        self._applying = True
        try:
            self._watch_model()
            self._apply()
        finally:
            self._applying = False

    def _apply(self) -> None:
        view = self.view
        model = view.model()
        if model is None or model.columnCount() == 0:
            return
        header = view.horizontalHeader()
        if not header.font().bold():
            bold = QtGui.QFont(header.font())
            bold.setBold(True)
            header.setFont(bold)
            header.setDefaultAlignment(
                QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
            )
        header.setStretchLastSection(False)
        optional = [c for c in self.optional if 0 <= c < model.columnCount()]
        columns = [
            c for c in range(model.columnCount()) if c in optional or not view.isColumnHidden(c)
        ]
        for c in columns:
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.Interactive)
        need = short_column_widths(view)
        width = view.viewport().width()
        if width <= 0:
            return
        comfort = view.fontMetrics().averageCharWidth() * COMFORT_CHARS
        hidden: list[int] = []
        widths, main = self._widths(columns, need, width)
        # Optional columns (what the row's details also say) make room for the main text
        # before any heading or text is squeezed.
        for c in optional:
            if main is None or widths.get(main, comfort) >= min(comfort, need[main]):
                break
            hidden.append(c)
            widths, main = self._widths([k for k in columns if k not in hidden], need, width)
        for c in optional:
            if view.isColumnHidden(c) != (c in hidden):
                view.setColumnHidden(c, c in hidden)
        for c, w in widths.items():
            if view.columnWidth(c) != w:
                view.setColumnWidth(c, w)

    def _widths(
        self, columns: list[int], need: dict[int, int], width: int
    ) -> tuple[dict[int, int], int | None]:
        view = self.view
        header = view.horizontalHeader()
        text = [c for c in self.text if c in columns]
        short = {c: need[c] for c in columns if c not in text}
        char = view.fontMetrics().averageCharWidth()
        main = self.main if self.main in text else (text[-1] if text else None)
        floors = {
            c: min(need[c], char * (TEXT_FLOOR_CHARS if c == main else OTHER_FLOOR_CHARS))
            for c in text
        }
        room = width - sum(short.values())
        if room < sum(floors.values()):
            # The short columns' headings give way, down to their content (whole as tooltip).
            content = {
                c: max(view.sizeHintForColumn(c), header.minimumSectionSize()) for c in short
            }
            while room < sum(floors.values()):
                wider = [c for c in short if short[c] > content[c]]
                if not wider:
                    break
                c = max(wider, key=lambda k: short[k] - content[k])
                step = min(short[c] - content[c], sum(floors.values()) - room)
                short[c] -= step
                room += step
        if text and room < sum(floors.values()):
            # Then the text columns, down to a few letters each; beyond that the table
            # scrolls sideways (its own bar) rather than cut a date or a number.
            least = {c: min(need[c], char * LEAST_CHARS) for c in text}
            total = sum(floors.values())
            floors = {c: max(least[c], room * floors[c] // total) for c in text}
        widths = dict(short)
        if text:
            wants = {c: need[c] for c in text}
            if room >= sum(wants.values()):
                widths.update(wants)
            else:
                spare = max(0, room - sum(floors.values()))
                extra = sum(wants[c] - floors[c] for c in text) or 1
                for c in text:
                    widths[c] = floors[c] + spare * (wants[c] - floors[c]) // extra
            assert main is not None
            widths[main] += max(0, room - sum(widths[c] for c in text))
        elif columns:
            # No text column: the last one takes the spare width (no empty band at the end).
            widths[columns[-1]] += max(0, width - sum(widths.values()))
        return widths, main

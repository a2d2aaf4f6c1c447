"""Đảng viên: the branch register with search as you type, filters, and every member task."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.services import members, milestones
from app.services.members import MemberView
from app.vocab import Entity, MemberStatus
from ui.members.edit_dialog import MemberDialog
from ui.members.history_dialog import MemberHistoryDialog
from ui.members.import_wizard import ImportDialog
from ui.members.model import COL_NAME, COLUMNS, MEMBER_ROLE, MemberQuery, MembersTableModel
from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import set_role
from ui.widgets.columns import fit_table, short_column_widths
from ui.widgets.file_dialogs import FileKind, save_file
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.pdf_output import offer_pdf
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.changes import OpChanges

SEARCH_DELAY_MS = 150
# Columns that give way, in this order, when the page is too narrow for the name (the least
# needed in the list first): Cần hỗ trợ, Tài khoản Sổ tay, Giới tính, Số định danh, Số thẻ,
# Ngày chính thức, Trạng thái (also in the name's own tooltip), Điện thoại, Tuổi đảng (the
# admission date says it). The name, the birth date and the admission date always stay.
OPTIONAL_COLUMNS = (11, 10, 2, 7, 6, 5, 9, 8, 4)
COL_STATUS = 9
ALL_ACTIVE = "__active__"
EVERYONE = "__all__"
FLAGS: list[tuple[str, dict[str, Any]]] = [
    ("Mọi đảng viên", {}),
    ("Cần hỗ trợ", {"needs_support": True}),
    ("Chưa có điện thoại thông minh", {"has_smartphone": False}),
    ("Chưa đăng ký Sổ tay đảng viên", {"app_account": "chua_dang_ky"}),
    ("Đã đăng ký, chờ duyệt", {"app_account": "da_dang_ky"}),
]


class MembersSection(Section):
    title = "Đảng viên"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)

        heading = QtWidgets.QLabel("Danh sách đảng viên")
        set_role(heading, "title")
        layout.addWidget(heading)

        filters = QtWidgets.QHBoxLayout()
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText(
            "Tìm theo tên (gõ không dấu được), số thẻ, số định danh hoặc số điện thoại"
        )
        self.search.setClearButtonEnabled(True)
        # Whole here when the field is too narrow for it (1024 wide in large text).
        self.search.setToolTip(self.search.placeholderText())
        filters.addWidget(self.search, 3)
        self.status_filter = QtWidgets.QComboBox()
        self.status_filter.addItem("Đang sinh hoạt", ALL_ACTIVE)
        for status in MemberStatus:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.addItem("Tất cả (kể cả đã chuyển đi, từ trần)", EVERYONE)
        filters.addWidget(self.status_filter, 1)
        self.flag_filter = QtWidgets.QComboBox()
        for text, _flags in FLAGS:
            self.flag_filter.addItem(text)
        filters.addWidget(self.flag_filter, 1)
        for combo in (self.status_filter, self.flag_filter):
            combo.setSizeAdjustPolicy(
                QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        layout.addLayout(filters)

        actions = FlowLayout()
        self.add_button = QtWidgets.QPushButton("Thêm đảng viên")
        self.edit_button = QtWidgets.QPushButton("Sửa")
        self.remove_button = QtWidgets.QPushButton("Xóa")
        self.history_button = QtWidgets.QPushButton("Lịch sử")
        # Excel and the printed papers under one button with a menu: the work buttons and it
        # stay on one line at 1024 wide in large text, and the list keeps its rows.
        self.papers_button = QtWidgets.QPushButton("Excel, &in ấn")
        self.papers_button.setToolTip(
            "Nhập danh sách từ Excel, xuất Excel, in danh sách, in danh sách huy hiệu Đảng"
        )
        papers = QtWidgets.QMenu(self.papers_button)
        self.import_action = papers.addAction("&Nhập từ Excel…")
        self.export_action = papers.addAction("&Xuất Excel…")
        papers.addSeparator()
        self.print_action = papers.addAction("&In danh sách…")
        self.badges_action = papers.addAction("&Huy hiệu Đảng…")
        self.papers_button.setMenu(papers)
        for button in (self.add_button, self.edit_button, self.remove_button, self.history_button):
            actions.addWidget(button)
        actions.addWidget(self.papers_button)
        layout.addLayout(actions)

        # An empty register: the first step is importing the branch's list.
        self.empty_box = QtWidgets.QFrame()
        self.empty_box.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        empty_layout = QtWidgets.QVBoxLayout(self.empty_box)
        self.empty_hint = QtWidgets.QLabel(
            "Sổ chưa có đảng viên nào. Bước đầu tiên: nhập danh sách chi bộ từ tệp Excel "
            "(bảng có cột Họ và tên, Ngày sinh, Ngày vào Đảng…). Chương trình cho xem trước "
            "từng dòng trước khi lưu. Cũng có thể bấm “Thêm đảng viên” để nhập từng người."
        )
        self.empty_hint.setWordWrap(True)
        empty_layout.addWidget(self.empty_hint)
        self.empty_import_button = QtWidgets.QPushButton("Nhập danh sách từ Excel…")
        self.empty_import_button.clicked.connect(lambda: self.import_file())
        empty_row = QtWidgets.QHBoxLayout()
        empty_row.addWidget(self.empty_import_button)
        empty_row.addStretch(1)
        empty_layout.addLayout(empty_row)
        self.empty_box.setVisible(False)
        layout.addWidget(self.empty_box)

        self.model = MembersTableModel(ctx.book, self)
        self.table = QtWidgets.QTableView()
        self.table.setObjectName("members_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        # The shared column rule, kept on the table (every load, added member, resize, text
        # size): the name (the key column) takes the room and shows whole when the window
        # has it; dates and numbers are never cut; on a narrow page (1024, or 1366 in large
        # text) the OPTIONAL columns give way, their values in the name's tooltip (and all in
        # the member's details), so the list never scrolls sideways.
        self._fit_pending = False
        self.table.viewport().installEventFilter(self)
        self.table.installEventFilter(self)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.layoutChanged,
        ):
            signal.connect(lambda *_a: self._fit_later())
        self._fit_columns()
        layout.addWidget(self.table, 1)

        self.count_label = QtWidgets.QLabel("")
        layout.addWidget(self.count_label)

        self._search_timer = QtCore.QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.flag_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.add_button.clicked.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.history_button.clicked.connect(self.show_history)
        self.import_action.triggered.connect(lambda _checked=False: self.import_file())
        self.export_action.triggered.connect(lambda _checked=False: self.export_xlsx())
        self.print_action.triggered.connect(lambda _checked=False: self.print_list())
        self.badges_action.triggered.connect(lambda _checked=False: self.print_badges())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._loaded_once = False
        self._update_buttons()

    # -- loading ---------------------------------------------------------------------------
    def current_query(self) -> MemberQuery:
        status_code = self.status_filter.currentData()
        status: str | tuple[str, ...] | None
        if status_code == ALL_ACTIVE:
            status = members.ACTIVE_STATUSES
        elif status_code == EVERYONE:
            status = None
        else:
            status = status_code
        flags = FLAGS[max(0, self.flag_filter.currentIndex())][1]
        return MemberQuery(
            search=self.search.text(),
            status=status,
            needs_support=flags.get("needs_support"),
            has_smartphone=flags.get("has_smartphone"),
            app_account=flags.get("app_account"),
            order=self.model.query.order,
            descending=self.model.query.descending,
        )

    def apply_filters(self) -> None:
        """Reload the table for the current search and filters (search as you type)."""
        self._search_timer.stop()
        selected = self.selected_member()
        self.model.set_query(self.current_query())
        self._loaded_once = True
        self._size_rows()
        self._update_count()
        if selected is not None:
            self.select_member(selected.id)
        self._update_buttons()

    def refresh(self, changes: OpChanges | None = None) -> None:
        if changes is not None and not changes.touches(Entity.MEMBER) and self._loaded_once:
            return
        self.apply_filters()

    def text_size_changed(self) -> None:
        self._size_rows()

    def _size_rows(self) -> None:
        # One line per member with room around it: 15 rows at 1366×768, 8 in large text.
        # (The columns follow the rule set in __init__, after every change.)
        height = int(self.table.fontMetrics().lineSpacing() * 1.35) + 5
        self.table.verticalHeader().setDefaultSectionSize(height)

    def _fit_later(self) -> None:
        if not self._fit_pending:
            self._fit_pending = True
            QtCore.QTimer.singleShot(0, self, self._fit_columns)

    def _fit_columns(self) -> None:
        """The optional columns shown while the name (its longest) fits whole beside them,
        hidden in OPTIONAL_COLUMNS' order when it would not; then the shared rule sizes what
        is shown (fit_table: dates and numbers whole, the name takes the rest)."""
        self._fit_pending = False
        table = self.table
        width = table.viewport().width()
        if width > 0:
            need = short_column_widths(table)
            # (a hidden column measures as nothing: measured here cell by cell)
            for column in OPTIONAL_COLUMNS:
                need[column] = max(need[column], self._content_width(column))
            hidden: list[int] = []
            for column in OPTIONAL_COLUMNS:
                if sum(w for c, w in need.items() if c not in hidden) <= width:
                    break
                hidden.append(column)
            for column in OPTIONAL_COLUMNS:
                if table.isColumnHidden(column) != (column in hidden):
                    table.setColumnHidden(column, column in hidden)
        fit_table(table, text=(COL_NAME,), main=COL_NAME)

    def _content_width(self, column: int) -> int:
        table, model = self.table, self.model
        option = QtWidgets.QStyleOptionViewItem()
        option.initFrom(table)
        header = table.horizontalHeader()
        if header.isSectionHidden(column):
            # A hidden heading's size hint is nothing: its text, plus what the name's heading
            # (always shown) takes besides its text (margins, sort mark).
            def text(c: int) -> int:
                title = str(model.headerData(c, QtCore.Qt.Orientation.Horizontal) or "")
                return header.fontMetrics().horizontalAdvance(title)

            widest = text(column) + max(0, header.sectionSizeHint(COL_NAME) - text(COL_NAME))
        else:
            widest = header.sectionSizeHint(column)
        for row in range(min(model.rowCount(), 200)):
            index = model.index(row, column)
            hint = table.itemDelegateForIndex(index).sizeHint(option, index).width()
            widest = max(widest, hint + (1 if table.showGrid() else 0))
        return widest

    def name_tooltip(self, row: int) -> str:
        """The name's tooltip: the whole name, what the model says of the member, and the
        values of the columns hidden on a narrow page."""
        model = self.model
        parts = [str(model.index(row, COL_NAME).data() or "")]
        own = model.index(row, COL_NAME).data(QtCore.Qt.ItemDataRole.ToolTipRole)
        if own:
            parts.append(str(own))
        for column in sorted(OPTIONAL_COLUMNS):
            value = model.index(row, column).data()
            # (the state is the first line of the model's own tooltip)
            if column != COL_STATUS and self.table.isColumnHidden(column) and value:
                parts.append(f"{COLUMNS[column][0]}: {value}")
        return "\n".join(parts)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        kind = event.type()
        if (watched is self.table.viewport() and kind == QtCore.QEvent.Type.Resize) or (
            watched is self.table
            and kind in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.StyleChange)
        ):
            self._fit_later()
        if (
            event.type() == QtCore.QEvent.Type.ToolTip
            and isinstance(event, QtGui.QHelpEvent)
            and watched is self.table.viewport()
        ):
            index = self.table.indexAt(event.pos())
            if index.isValid() and index.column() == COL_NAME:
                QtWidgets.QToolTip.showText(
                    event.globalPos(), self.name_tooltip(index.row()), self.table.viewport()
                )
                return True
        return super().eventFilter(watched, event)

    def _update_count(self) -> None:
        shown = self.model.total
        unfiltered = (
            not self.search.text().strip()
            and self.flag_filter.currentIndex() <= 0
            and self.status_filter.currentData() in (ALL_ACTIVE, EVERYONE)
        )
        self.empty_box.setVisible(shown == 0 and unfiltered and members.count(self.ctx.book) == 0)
        text = f"{shown} đảng viên"
        if self.search.text().strip():
            text += f" khớp với “{self.search.text().strip()}”"
        self.count_label.setText(text + ".")

    def _update_buttons(self) -> None:
        has = self.selected_member() is not None
        for button in (self.edit_button, self.remove_button, self.history_button):
            button.setEnabled(has)

    # -- selection -------------------------------------------------------------------------
    def selected_member(self) -> MemberView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(MEMBER_ROLE)
        return value if isinstance(value, MemberView) else None

    def select_member(self, member_id: str) -> bool:
        row = self.model.row_of(member_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of(member_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # -- tasks -----------------------------------------------------------------------------
    def _after_write(self, changes: OpChanges, select_id: str | None = None) -> None:
        self.apply_filters()
        if select_id:
            self.select_member(select_id)
        self.changed.emit(changes)
        self.ctx.broadcast(changes)

    def open_editor(self, member: MemberView | None) -> MemberDialog:
        dialog = MemberDialog(self.ctx, member=member, parent=self)
        dialog.member_saved.connect(
            lambda view: self._after_write(members.op_changes(view.id), view.id)
        )
        return dialog

    def add_member(self) -> None:
        self.open_editor(None).exec()

    def edit_selected(self) -> None:
        member = self.selected_member()
        if member is not None:
            self.open_editor(member).exec()

    def remove_selected(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        if not self.ctx.message.ask(
            "Xóa đảng viên",
            f"Xóa {member.full_name} khỏi danh sách chi bộ?\n\nNếu đồng chí chuyển sinh hoạt "
            "hoặc từ trần, nên sửa trạng thái thay vì xóa. Nhật ký thay đổi vẫn được giữ.",
        ):
            return
        book = self.ctx.book  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: members.remove(book, member_id=member.id, reason="Xóa trên giao diện"),
            on_success=lambda _r: self._after_write(members.op_changes(member.id)),
            label="Đang xóa…",
        )

    def show_history(self) -> None:
        member = self.selected_member()
        if member is not None:
            self.history_dialog(member).exec()

    def history_dialog(self, member: MemberView) -> MemberHistoryDialog:
        return MemberHistoryDialog(
            self.ctx, member_id=member.id, full_name=member.full_name, parent=self
        )

    def import_dialog(self, path: Path | None = None) -> ImportDialog:
        dialog = ImportDialog(self.ctx, path=path, parent=self)
        dialog.imported.connect(lambda changes: self._after_write(changes))
        return dialog

    def import_file(self, path: Path | None = None) -> None:
        self.import_dialog(path).exec()

    def _save_path(self, title: str, suggested: str, pattern: str) -> str:
        kind = FileKind.EXCEL_EXPORT if suggested.endswith(".xlsx") else FileKind.PDF
        return save_file(self, kind, title, suggested, pattern)

    def export_xlsx(self, path: str | None = None) -> None:
        from app.exporters.members_xlsx import export_members

        path = path or self._save_path(
            "Xuất danh sách ra Excel",
            f"danh-sach-dang-vien-{dt.date.today():%Y%m%d}.xlsx",
            "Bảng tính Excel (*.xlsx)",
        )
        if not path:
            return
        query = self.current_query()
        self.ctx.runner.run(
            self,
            lambda: export_members(
                self.ctx.book, Path(path), status=query.status, search=query.search
            ),
            on_success=lambda n: self.ctx.message.info(
                "Đã xuất danh sách", f"Đã xuất {n} đảng viên ra tệp\n{path}"
            ),
            label="Đang xuất…",
        )

    def print_list(self, path: str | None = None) -> None:
        from reports.output import write_pdf
        from reports.printing import member_list_pdf

        path = path or self._save_path(
            "In danh sách đảng viên",
            f"danh-sach-dang-vien-{dt.date.today():%Y%m%d}.pdf",
            "Tệp PDF (*.pdf)",
        )
        if not path:
            return
        query = self.current_query()
        large = bool(self.ctx.settings.large_text)
        self.ctx.runner.run(
            self,
            lambda: write_pdf(
                path,
                member_list_pdf(
                    self.ctx.book, status=query.status, search=query.search, large_print=large
                ),
            ),
            on_success=lambda _p: offer_pdf(self, self.ctx.message, path, title="Đã tạo danh sách"),
            label="Đang tạo PDF…",
        )

    def print_badges(self, path: str | None = None) -> None:
        from reports.output import write_pdf
        from reports.printing import badges_pdf

        award = milestones.next_award_date()
        due = milestones.badges_due(self.ctx.book, award_date=award)
        occasion = f"{milestones.occasion_label(award)} ({award:%d/%m/%Y})"
        if not due:
            self.ctx.message.info(
                "Huy hiệu Đảng", f"Đợt {occasion}: không có đảng viên nào đủ mốc tuổi Đảng."
            )
            return
        names = "\n".join(f"• {b.full_name}: {b.label}" for b in due[:15])
        more = f"\n… và {len(due) - 15} đồng chí khác" if len(due) > 15 else ""
        if not self.ctx.message.ask(
            "Huy hiệu Đảng",
            f"Đợt {occasion}: {len(due)} đồng chí đủ mốc tuổi Đảng.\n{names}{more}\n\n"
            "In danh sách đề nghị ra tệp PDF?",
        ):
            return
        path = path or self._save_path(
            "In danh sách Huy hiệu Đảng", f"huy-hieu-dang-{award:%Y%m%d}.pdf", "Tệp PDF (*.pdf)"
        )
        if not path:
            return
        large = bool(self.ctx.settings.large_text)
        book = self.ctx.book  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: write_pdf(path, badges_pdf(book, award_date=award, large_print=large)),
            on_success=lambda _p: offer_pdf(self, self.ctx.message, path, title="Đã tạo danh sách"),
            label="Đang tạo PDF…",
        )


__all__ = ["COLUMNS", "MembersSection"]

"""Hỗ trợ đảng viên cao tuổi: the onboarding board for the central app "Sổ tay đảng viên
điện tử" (who uses it, who does not yet, why, and the next step) and the support sessions.
Shown as a tab of the Ý kiến section."""

from __future__ import annotations

from collections.abc import Callable

from app.services import support
from app.services.support import OnboardingBoard, SessionView
from ui.qt import QtCore, QtWidgets
from ui.style import set_role
from ui.support.dialog import SupportDialog
from ui.support.models import BoardModel, SessionsModel
from ui.widgets.columns import fit_table
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.section import AppContext

BOARD_TAB = "Đảng viên chưa dùng Sổ tay đảng viên điện tử"
SESSIONS_TAB = "Các buổi hỗ trợ"


def _table(model: QtCore.QAbstractTableModel) -> QtWidgets.QTableView:
    view = QtWidgets.QTableView()
    view.setModel(model)
    view.setWordWrap(True)
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    # Rows of two lines at most, whatever the text: longer text is elided and shown whole as
    # the cell's tooltip, so the board keeps many rows on screen, in large text too.
    view.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
    rows.setVisible(False)
    return view


class SupportPage(QtWidgets.QWidget):
    """The board and the sessions; `changed` tells the section that data changed."""

    def __init__(
        self,
        ctx: AppContext,
        on_changed: Callable[[], None] | None = None,
        parent: QtWidgets.QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.on_changed = on_changed
        # Tests replace this to drive the dialog without a modal loop.
        self.open_dialog: Callable[[SupportDialog], int] = lambda d: d.exec()
        layout = QtWidgets.QVBoxLayout(self)
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.note = QtWidgets.QLabel(
            "“Đang dùng” là đảng viên đã được phê duyệt tài khoản trên ứng dụng Sổ tay đảng viên "
            "điện tử. Mục tiêu: 100% đảng viên (trừ trường hợp được miễn sinh hoạt)."
        )
        set_role(self.note, "hint")
        self.note.setWordWrap(True)
        # The explanation is a tooltip of the figures, so the board keeps the height.
        self.summary.setToolTip(self.note.text())
        self.note.setVisible(False)
        layout.addWidget(self.note)

        buttons = FlowLayout()
        self.record_button = QtWidgets.QPushButton("Ghi buổi hỗ trợ…")
        self.edit_button = QtWidgets.QPushButton("Sửa buổi hỗ trợ…")
        self.record_button.clicked.connect(lambda: self.record_session())
        self.edit_button.clicked.connect(lambda: self.edit_session())
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.edit_button)
        layout.addLayout(buttons)

        # The board (what the secretary works through) and the sessions each get the whole
        # height, on two tabs: many rows on screen, in large text too.
        self.lists = QtWidgets.QTabWidget()
        self.board_model = BoardModel(self)
        self.board_view = _table(self.board_model)
        self.lists.addTab(self.board_view, BOARD_TAB)
        self.sessions_model = SessionsModel(self)
        self.sessions_view = _table(self.sessions_model)
        self.sessions_view.doubleClicked.connect(lambda _i: self.edit_session())
        # Ages, dates, counts and short labels whole; names, places and free text share the
        # rest: on the board the member's name takes the most, in the sessions what was done.
        fit_table(self.board_view, text=(0, 3, 5), main=0)
        fit_table(self.sessions_view, text=(1, 2, 4))
        self.lists.addTab(self.sessions_view, SESSIONS_TAB)
        layout.addWidget(self.lists, 1)
        self.size_rows()
        self.board: OnboardingBoard | None = None

    def size_rows(self) -> None:
        """Row heights from the font (again when large-text mode is switched)."""
        for view in (self.board_view, self.sessions_view):
            view.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)

    def refresh(self) -> None:
        book = self.ctx.book

        def load() -> tuple[OnboardingBoard, list[SessionView]]:
            return support.onboarding_board(book), support.list_sessions(book)

        self.ctx.runner.run(self, load, on_success=self._show, label="")

    def _show(self, data: tuple[OnboardingBoard, list[SessionView]]) -> None:
        board, sessions = data
        self.board = board
        self.summary.setText(
            f"Đang dùng Sổ tay đảng viên điện tử: {board.using}/{board.required} đồng chí "
            f"({board.percent:.1f}%)".replace(".", ",")
            + f"; đã đăng ký: {board.registered}; được miễn sinh hoạt: {board.exempt}. "
            f"Đã tổ chức {board.sessions_held} buổi hỗ trợ, giúp {board.members_helped} đồng chí."
        )
        self.board_model.set_items(board.not_yet)
        self.sessions_model.set_items(sessions)
        self.lists.setTabText(0, f"{BOARD_TAB} ({len(board.not_yet)})")
        self.lists.setTabText(1, f"{SESSIONS_TAB} ({len(sessions)})")

    def selected_session(self) -> SessionView | None:
        rows = self.sessions_view.selectionModel().selectedRows()
        if not rows:
            return None
        item: SessionView = self.sessions_model.items[rows[0].row()]
        return item

    def record_session(self) -> SupportDialog:
        dialog = SupportDialog(self.ctx, parent=self)
        if self.open_dialog(dialog) == QtWidgets.QDialog.DialogCode.Accepted:
            self._after_save()
        return dialog

    def edit_session(self) -> SupportDialog | None:
        session = self.selected_session()
        if session is None:
            self.lists.setCurrentWidget(self.sessions_view)
            self.ctx.message.info(
                "Sửa buổi hỗ trợ", "Hãy chọn một buổi hỗ trợ trong danh sách “Các buổi hỗ trợ”."
            )
            return None
        dialog = SupportDialog(self.ctx, session, parent=self)
        if self.open_dialog(dialog) == QtWidgets.QDialog.DialogCode.Accepted:
            self._after_save()
        return dialog

    def _after_save(self) -> None:
        self.refresh()
        if self.on_changed is not None:
            self.on_changed()

"""Tổng quan: the branch at a glance, and the dashboard — the next meeting and what is
missing for it, the attendance trend, members needing attention, feedback waiting, reports
due and changes waiting to sync."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from app.services import dashboard as dashboard_service
from app.services import overview as overview_service
from app.vocab import MemberStatus
from ui.overview.attention_model import AttentionModel
from ui.qt import QtCore, QtWidgets
from ui.style import set_role
from ui.widgets.bar_chart import BarChart
from ui.widgets.columns import fit_table
from ui.widgets.section import AppContext, Section

if TYPE_CHECKING:
    from app.services.changes import OpChanges

ATTENTION_ROWS = 150


class OverviewSection(Section):
    title = "Tổng quan"

    def __init__(self, ctx: AppContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QtWidgets.QWidget()
        scroll.setWidget(page)
        layout = QtWidgets.QVBoxLayout(page)

        self.heading = QtWidgets.QLabel("")
        set_role(self.heading, "title")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.subheading = QtWidgets.QLabel("")
        layout.addWidget(self.subheading)
        self.cards = QtWidgets.QGridLayout()
        layout.addLayout(self.cards)
        self.details = QtWidgets.QLabel("")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)
        self._values: dict[str, QtWidgets.QLabel] = {}
        for i, (key, label) in enumerate(
            [
                ("members", "Đảng viên đang sinh hoạt"),
                ("next", "Cuộc họp sắp tới"),
                ("accounts", "Chưa có tài khoản Sổ tay điện tử"),
                ("sync", "Thay đổi chờ đồng bộ"),
            ]
        ):
            box = QtWidgets.QGroupBox(label)
            inner = QtWidgets.QVBoxLayout(box)
            value = QtWidgets.QLabel("…")
            # Counts in the large figure size; the next meeting's day (and "Chưa thiết lập")
            # in the heading size, so it stays on one line beside the other card at 1024
            # wide in large text; its hour and place below in the body size.
            set_role(value, "heading" if key == "next" else "figure")
            value.setWordWrap(True)
            inner.addWidget(value)
            self._values[key] = value
            if key == "next":
                self.next_place = QtWidgets.QLabel("")
                self.next_place.setWordWrap(True)
                inner.addWidget(self.next_place)
            self.cards.addWidget(box, i // 2, i % 2)

        # -- the dashboard ---------------------------------------------------------------
        meeting_box = QtWidgets.QGroupBox("Chuẩn bị cuộc họp sắp tới")
        meeting_layout = QtWidgets.QVBoxLayout(meeting_box)
        self.meeting_label = QtWidgets.QLabel("")
        self.meeting_label.setWordWrap(True)
        set_role(self.meeting_label, "heading")
        self.missing_label = QtWidgets.QLabel("")
        self.missing_label.setWordWrap(True)
        self.meeting_notes = QtWidgets.QLabel("")
        self.meeting_notes.setWordWrap(True)
        for w in (self.meeting_label, self.missing_label, self.meeting_notes):
            meeting_layout.addWidget(w)
        layout.addWidget(meeting_box)

        chart_box = QtWidgets.QGroupBox("Tỷ lệ đảng viên dự họp 12 tháng gần đây")
        chart_layout = QtWidgets.QVBoxLayout(chart_box)
        self.chart = BarChart()
        chart_layout.addWidget(self.chart)
        self.chart_note = QtWidgets.QLabel("")
        set_role(self.chart_note, "hint")
        self.chart_note.setWordWrap(True)
        chart_layout.addWidget(self.chart_note)
        layout.addWidget(chart_box)

        attention_box = QtWidgets.QGroupBox("Đảng viên cần lưu ý")
        attention_layout = QtWidgets.QVBoxLayout(attention_box)
        self.attention_summary = QtWidgets.QLabel("")
        self.attention_summary.setWordWrap(True)
        attention_layout.addWidget(self.attention_summary)
        self.attention_model = AttentionModel(self)
        self.attention_view = QtWidgets.QTableView()
        self.attention_view.setModel(self.attention_model)
        self.attention_view.setWordWrap(True)
        self.attention_view.setSelectionBehavior(
            QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.attention_view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.attention_view.horizontalHeader()
        # The shared rule: "Nội dung" (the message) takes what the name and the kind do not
        # need, so it is the widest column and wraps least (large text, 1024 wide).
        fit_table(self.attention_view, text=(0, 1, 2), main=2)
        header.sectionResized.connect(lambda *_a: self.attention_view.resizeRowsToContents())
        self.attention_view.setTextElideMode(QtCore.Qt.TextElideMode.ElideNone)
        self.attention_view.verticalHeader().setVisible(False)
        self.attention_view.setMinimumHeight(self.fontMetrics().height() * 14)
        attention_layout.addWidget(self.attention_view)
        layout.addWidget(attention_box)

        todo_box = QtWidgets.QGroupBox("Việc đang chờ")
        todo_layout = QtWidgets.QVBoxLayout(todo_box)
        self.feedback_label = QtWidgets.QLabel("")
        self.feedback_label.setWordWrap(True)
        self.reports_label = QtWidgets.QLabel("")
        self.reports_label.setWordWrap(True)
        self.sync_label = QtWidgets.QLabel("")
        self.sync_label.setWordWrap(True)
        for w in (self.feedback_label, self.reports_label, self.sync_label):
            todo_layout.addWidget(w)
        layout.addWidget(todo_box)
        layout.addStretch(1)
        self.dashboard: dashboard_service.Dashboard | None = None
        self._dashboard_running = False
        self._dashboard_stale = False
        self._dashboard_started = 0.0

    def refresh(self, changes: OpChanges | None = None) -> None:
        book, age = self.ctx.book, self.ctx.settings.support_age  # read on the GUI thread
        self.ctx.runner.run(
            self,
            lambda: overview_service.overview(book, support_age=age),
            on_success=self._show,
            label="",
        )
        # The dashboard reads a year of attendance: while one is being computed, further
        # changes (a roll call is many writes) only ask for one more run afterwards.
        # (A run that never reported back — a crash went to the crash handler — does not
        # block the page: after a minute a new run starts anyway.)
        if self._dashboard_running and time.monotonic() - self._dashboard_started < 60:
            self._dashboard_stale = True
            return
        self._load_dashboard()

    def _load_dashboard(self) -> None:
        self._dashboard_running = True
        self._dashboard_stale = False
        self._dashboard_started = time.monotonic()
        book = self.ctx.book
        self.ctx.runner.run(
            self,
            lambda: dashboard_service.dashboard(book),
            on_success=self._dashboard_done,
            on_failure=self._dashboard_failed,
            label="Đang tổng hợp số liệu…",
        )

    def _dashboard_done(self, d: dashboard_service.Dashboard) -> None:
        self._dashboard_running = False
        self._show_dashboard(d)
        if self._dashboard_stale:
            self._load_dashboard()

    def _dashboard_failed(self, error: BaseException) -> None:
        self._dashboard_running = False
        message = getattr(error, "message", None) or str(error)
        self.meeting_label.setText(f"Không tổng hợp được số liệu: {message}")

    def _show(self, data: overview_service.Overview) -> None:
        self.heading.setText(data.branch_name)
        self.subheading.setText(data.committee)
        self._values["members"].setText(str(data.members_total))
        if data.next_meeting_at:
            at = data.next_meeting_at
            self._values["next"].setText(f"{at:%d/%m/%Y}")
            self.next_place.setText(f"lúc {at:%H:%M}, tại {data.next_meeting_place}")
        else:
            self._values["next"].setText("Chưa lên lịch")
            self.next_place.setText("")
        self._values["accounts"].setText(str(data.without_account))
        self._sync_enrolled = data.sync_enrolled
        set_role(self._values["sync"], "figure" if data.sync_enrolled else "heading")
        if not data.sync_enrolled:
            self._values["sync"].setText("Chưa thiết lập")
            self._values["sync"].setToolTip(
                "Máy chưa đăng ký với máy chủ của cấp trên (phần Đồng bộ). Mọi thay đổi vẫn "
                "được lưu trong sổ và sẽ được gửi khi đăng ký."
            )
        else:
            sync_text = str(data.sync_pending)
            if data.sync_attention:
                sync_text += f" (cần xem: {data.sync_attention})"
            self._values["sync"].setText(sync_text)
            self._values["sync"].setToolTip("")
        parts = [
            f"{MemberStatus.labels().get(status, status)}: {count}"
            for status, count in sorted(data.members_by_status.items())
        ]
        # Who left this month (chuyển đi, từ trần, xóa tên), apart from the active breakdown.
        left = [
            f"{status.label} trong tháng: {data.left_this_month[status]}"
            for status in MemberStatus.left()
            if data.left_this_month.get(status, 0) > 0
        ]
        breakdown = "; ".join(parts) + "." if parts else ""
        if left:
            breakdown = (breakdown + " " if breakdown else "") + "; ".join(left) + "."
        if data.support_age:
            support = (
                f"Cần hỗ trợ: {data.needs_support} (gồm {data.elderly} đảng viên từ "
                f"{data.support_age} tuổi trở lên và những người được đánh dấu “Cần hỗ trợ”; "
                "đổi tuổi ở Sổ → Cài đặt chi bộ…)."
            )
        else:
            support = f"Cần hỗ trợ (được đánh dấu “Cần hỗ trợ”): {data.needs_support}."
        self.details.setText((breakdown + "\n" if breakdown else "") + support)

    def _show_dashboard(self, d: dashboard_service.Dashboard) -> None:
        self.dashboard = d
        nm = d.next_meeting
        if nm is None:
            self.meeting_label.setText("Chưa có cuộc họp nào được lên lịch.")
            # The service names the month to create (next month once this month's is held).
            self.missing_label.setText(
                d.meeting_hint or "Hãy tạo cuộc họp chi bộ thường kỳ tháng này ở mục Sinh hoạt."
            )
            self.meeting_notes.setText("")
        else:
            m = nm.meeting
            self.meeting_label.setText(
                f"{m.title}: {m.starts_at:%H:%M} ngày {m.starts_at:%d/%m/%Y}, tại {m.place}"
            )
            if nm.missing:
                self.missing_label.setText(
                    "Còn thiếu:\n" + "\n".join(f"• {line}" for line in nm.missing)
                )
                set_role(self.missing_label, "error")
            else:
                self.missing_label.setText("Đã chuẩn bị đủ: chương trình, người chủ trì, giấy mời.")
                set_role(self.missing_label, "")
            self.meeting_notes.setText("\n".join(f"• {line}" for line in nm.notes))
        points = [(p.label, p.percent) for p in d.trend]
        self.chart.set_data(
            points, target=d.target_percent, empty_text="Chưa có cuộc họp nào trong 12 tháng qua"
        )
        held = [p for p in d.trend if p.percent is not None]
        self.chart_note.setText(
            f"Đường kẻ đứt: chỉ tiêu trên {d.target_percent:g}% đảng viên dự họp (HD 12). "
            f"{len(held)} tháng có họp; tháng không họp để trống."
        )
        # The home page lists the most serious cases; sizing thousands of wrapped rows would
        # freeze the window for a large branch (the full lists are in the Đảng viên section).
        shown = d.attention[:ATTENTION_ROWS]
        self.attention_model.set_items(shown)
        self.attention_view.resizeRowsToContents()
        if d.attention:
            counts = [
                f"{label}: {d.attention_count(kind)}"
                for kind, label in dashboard_service.ATTENTION_KINDS.items()
                if d.attention_count(kind)
            ]
            more = ""
            if len(d.attention) > len(shown):
                more = (
                    f" Bảng dưới đây hiện {len(shown)} trường hợp cần lưu ý nhất; "
                    "xem đầy đủ ở mục Đảng viên."
                )
            self.attention_summary.setText("; ".join(counts) + "." + more)
        else:
            self.attention_summary.setText("Không có đảng viên nào cần lưu ý.")
        if d.feedback_waiting_total:
            lines = [
                f"• {f.member_name} ({f.kind_label.lower()}, {f.received_on:%d/%m/%Y}, "
                f"{f.state_label.lower()}): {f.content[:80]}"
                for f in d.feedback_waiting
            ]
            not_listed = d.feedback_waiting_total - len(d.feedback_waiting)
            if not_listed > 0:
                lines.append(f"• và {not_listed} ý kiến khác")
            self.feedback_label.setText(
                f"Ý kiến đảng viên chờ trả lời: {d.feedback_waiting_total}\n" + "\n".join(lines)
            )
        else:
            self.feedback_label.setText("Không có ý kiến nào đang chờ trả lời.")
        if d.reports_due:
            self.reports_label.setText(
                "Báo cáo cần gửi cấp trên:\n" + "\n".join(f"• {r.message()}" for r in d.reports_due)
            )
        else:
            self.reports_label.setText("Không có báo cáo nào đến hạn.")
        sync = f"Thay đổi chờ đồng bộ lên cấp trên: {d.sync_pending}"
        if not getattr(self, "_sync_enrolled", True):
            sync += (
                " (đồng bộ chưa thiết lập: các thay đổi được giữ an toàn trong sổ và sẽ gửi "
                "khi máy được đăng ký ở phần Đồng bộ)"
            )
        if d.sync_attention:
            sync += f"; cần xem: {d.sync_attention}"
        from ui.sync.labels import last_sync_text

        sync += f". {last_sync_text(d.last_sync_at, label='Lần đồng bộ gần nhất')}"
        self.sync_label.setText(sync + ".")

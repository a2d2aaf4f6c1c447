"""`sotay gui --tour DIR`: the real window walks through every section and dialog.

It runs on whatever Qt platform is active (on a real or virtual X screen: xcb, with the
program's own threaded TaskRunner), in a temporary data folder: the first-start wizard
creates a real (empty) book, then the demo book is opened and every section is visited and
every dialog opened without blocking (show, wait for paint and background tasks, grab,
close). A PNG of each window goes into DIR and DIR/geometry.json records each window's real
on-screen frame, so tests can check that everything fits the screen, whether it scrolls
sideways ("sideways": a visible QScrollArea shows its horizontal bar; tables and lists are
not counted there) and, per visible table or list, its rows and how many are in sight
("lists"). Exit code 0 when
nothing raised, 1 otherwise (an exception, a crash-log line or a "Lỗi chương trình" box).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from app.paths import LOG_DIR
from app.settings import Settings
from ui.qt import QtCore, QtWidgets

TOUR_PASSWORD = "Mật khẩu thử 2026"
TIME_LIMIT_S = 240  # the whole tour; a hang becomes a failure, never a stuck test run

# Dialogs other work may add later: (name, module, class, arguments). Missing ones are
# skipped by name, so the tour keeps running while they are written.
OPTIONAL_DIALOGS: list[tuple[str, str, str, str]] = [
    ("settings", "ui.book.settings_dialog", "SettingsDialog", "ctx"),
    ("restore", "ui.book.restore_dialog", "RestoreDialog", "folder"),
    ("restore-password", "ui.book.restore_dialog", "RestorePasswordDialog", "backup"),
]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Tour:
    def __init__(self, app: QtWidgets.QApplication, controller: Any, out_dir: Path) -> None:
        self.app = app
        self.controller = controller
        self.out_dir = out_dir
        self.windows: list[dict[str, Any]] = []
        self.failures: list[str] = []
        self.boxes: list[str] = []
        self.started = time.monotonic()
        self._count = 0
        # Any message box someone opens with exec() would stop the tour: note it and close it.
        self._watchdog = QtCore.QTimer()
        self._watchdog.setInterval(300)
        self._watchdog.timeout.connect(self._close_message_boxes)
        self._watchdog.start()

    # -- waiting -------------------------------------------------------------------------
    def settle(self, ms: int = 150, limit_s: float = 20.0) -> None:
        """Let the window paint and the background tasks finish (on their own threads)."""
        deadline = time.monotonic() + limit_s
        self._spin(ms)
        while self.controller.runner.running > 0 and time.monotonic() < deadline:
            self._spin(50)
        if self.controller.runner.running > 0:
            self.failures.append(f"background tasks still running after {limit_s:.0f} s")
        self._spin(80)
        if time.monotonic() - self.started > TIME_LIMIT_S:
            raise TimeoutError(f"the tour took longer than {TIME_LIMIT_S} s")

    @staticmethod
    def _spin(ms: int) -> None:
        loop = QtCore.QEventLoop()
        QtCore.QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def _close_message_boxes(self) -> None:
        for widget in QtWidgets.QApplication.topLevelWidgets():
            if isinstance(widget, QtWidgets.QMessageBox) and widget.isVisible():
                text = f"{widget.windowTitle()}: {widget.text()}"
                self.boxes.append(text)
                if "Lỗi chương trình" in text:
                    self.failures.append(f"message box {text}")
                self.shoot(f"message-{_slug(widget.windowTitle())}", widget)
                widget.done(0)

    # -- recording -----------------------------------------------------------------------
    def shoot(self, name: str, widget: QtWidgets.QWidget) -> None:
        """Save a PNG of the window and record its frame on the screen."""
        window = widget.window()
        self._count += 1
        frame = window.frameGeometry()
        scrolling = sideways_areas(window)
        self.windows.append(
            {
                "name": name,
                "title": window.windowTitle(),
                "x": frame.x(),
                "y": frame.y(),
                "width": frame.width(),
                "height": frame.height(),
                "sideways": bool(scrolling),
                "sideways_areas": scrolling,
                "lists": visible_lists(window),
            }
        )
        pixmap = window.grab()
        pixmap.save(str(self.out_dir / f"{self._count:02d}-{name}.png"), "PNG")

    def dialog(self, name: str, build: Callable[[], QtWidgets.QWidget | None]) -> None:
        """Open a dialog without blocking, photograph it, close it."""
        dialog: QtWidgets.QWidget | None = None
        try:
            dialog = build()
            if dialog is None:
                return
            dialog.show()
            self.settle()
            self.shoot(name, dialog)
        except TimeoutError:
            raise
        except Exception:
            self.failures.append(f"{name}: {traceback.format_exc()}")
        finally:
            if dialog is not None:
                dialog.hide()
                dialog.deleteLater()
                self._spin(30)

    def write_geometry(self) -> None:
        screen = self.app.primaryScreen()
        size = screen.geometry() if screen is not None else QtCore.QRect()
        available = screen.availableGeometry() if screen is not None else QtCore.QRect()
        data = {
            "screen": {"width": size.width(), "height": size.height()},
            "available": {
                "x": available.x(),
                "y": available.y(),
                "width": available.width(),
                "height": available.height(),
            },
            "platform": QtWidgets.QApplication.platformName(),
            "large_text": bool(self.controller.settings.large_text),
            "seconds": round(time.monotonic() - self.started, 1),
            "windows": self.windows,
            "message_boxes": self.boxes,
            "failures": self.failures,
        }
        (self.out_dir / "geometry.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
        )

    # -- the walk ------------------------------------------------------------------------
    def run(self) -> None:
        for step in (self.first_start, self.real_book, self.demo_book):
            try:
                step()
            except TimeoutError as exc:
                self.failures.append(str(exc))
                return
            except Exception:
                self.failures.append(f"{step.__name__}: {traceback.format_exc()}")

    def first_start(self) -> None:
        """The wizard's pages, creating the branch's real (empty) book on the way."""
        from ui.book.first_start import FirstStartWizard

        c = self.controller
        wizard = FirstStartWizard(c.data_dir, c.runner, c.messages)
        wizard.show()
        self.settle()
        self.shoot("first-start-branch", wizard)
        wizard.branch_name.setText("Chi bộ Khu phố 5")
        wizard.committee.setText("Đảng bộ phường Quy Nhơn")
        wizard.address.setText("Khu phố 5, phường Quy Nhơn, tỉnh Gia Lai")
        wizard.place.setText("Quy Nhơn")
        wizard.secretary.setText("Nguyễn Văn An")
        wizard.next.click()
        self.settle()
        wizard.password.setText(TOUR_PASSWORD)
        wizard.password2.setText(TOUR_PASSWORD)
        self.settle(100)
        self.shoot("first-start-password", wizard)
        wizard.next.click()
        self.settle(300, limit_s=60)
        self.shoot("first-start-recovery-key", wizard)
        book = wizard.book
        wizard.hide()
        wizard.deleteLater()
        if book is None:
            self.failures.append(f"the first-start wizard created no book: {wizard.error.text()}")
            return
        c.open_main(book)

    def real_book(self) -> None:
        """The new, empty book: what a secretary sees before importing the list."""
        c = self.controller
        if c.window is None:
            return
        self.settle(400)
        self.shoot("real-overview", c.window)
        c.window.show_section("members")
        self.settle()
        self.shoot("real-members-empty", c.window)
        c._drop_book()
        self.settle()
        from ui.book.unlock_dialog import UnlockDialog

        self.dialog("unlock", lambda: UnlockDialog(c.data_dir, c.runner))

        def recovery_page() -> QtWidgets.QWidget:
            dialog = UnlockDialog(c.data_dir, c.runner)
            dialog.forgot.click()  # "Quên mật khẩu? Dùng mã khôi phục"
            return dialog

        self.dialog("unlock-recovery-key", recovery_page)

    def demo_book(self) -> None:
        from app.demo import DEMO_PASSWORD
        from ui.book.unlock_dialog import UnlockDialog

        c = self.controller
        c._open_demo()
        window = c.window
        assert window is not None
        self.settle(500)
        from ui.main_window import SECTIONS

        for key, _title, _module, _cls in SECTIONS:
            window.show_section(key)
            self.settle()
            self.shoot(f"section-{key}", window)
        self.demo_dialogs(window)
        self.dialog(
            "unlock-demo",
            lambda: UnlockDialog(
                c.demo_dir, c.runner, hint=f"Sổ mẫu để dùng thử. Mật khẩu: {DEMO_PASSWORD}"
            ),
        )
        self.full_sections(window)

    def full_sections(self, window: Any) -> None:
        """Sections as they look in use (last, so the other shots keep their numbers): the
        study page with a campaign and its members' grid (the demo has none: one is created
        as the secretary would), the support tab of Ý kiến."""
        from app.services import study

        today = dt.date.today()
        study.create_campaign(
            window.ctx.book,
            data=study.CampaignInput(
                title="Học tập, quán triệt Nghị quyết Đại hội đại biểu Đảng bộ phường "
                "lần thứ I, nhiệm kỳ 2025–2030",
                resolutions="Nghị quyết Đại hội đại biểu Đảng bộ phường lần thứ I",
                starts_on=today,
                ends_on=today + dt.timedelta(days=30),
                submission_due=today + dt.timedelta(days=20),
            ),
        )
        window.show_section("study")
        self.settle()
        self.shoot("section-study-campaign", window)
        section = window.show_section("feedback")
        self.settle()
        tabs = getattr(section, "tabs", None)
        if isinstance(tabs, QtWidgets.QTabWidget) and tabs.count() > 1:
            tabs.setCurrentIndex(1)
            self.settle()
            self.shoot("section-feedback-support", window)
            tabs.setCurrentIndex(0)

    def import_pages(self, ctx: Any, parent: QtWidgets.QWidget) -> None:
        """The import wizard's column mapping and preview, on the branch's list as Excel."""
        from app.exporters.members_xlsx import export_members
        from ui.members.import_wizard import ImportDialog

        sheet = self.out_dir.parent / f".{self.out_dir.name}-danh-sach.xlsx"
        export_members(ctx.book, sheet)
        dialog = ImportDialog(ctx, path=sheet, parent=parent)
        try:
            dialog.show()
            self.settle()
            self.shoot("member-import-mapping", dialog)
            dialog.go_next()
            self.settle()
            self.shoot("member-import-preview", dialog)
        finally:
            dialog.hide()
            dialog.deleteLater()
            sheet.unlink(missing_ok=True)

    def demo_dialogs(self, window: Any) -> None:
        from app.services import documents, feedback, meetings, members, study, support
        from app.services.upward_reports import views as reports

        ctx = window.ctx
        book = ctx.book
        today = dt.date.today()
        member_rows = members.list_members(book, limit=1)
        all_meetings = meetings.list_meetings(book)
        open_meeting = next((m for m in all_meetings if not m.is_closed), None)
        closed_meeting = next((m for m in all_meetings if m.is_closed), None)
        docs = documents.list_documents(book, limit=1)
        campaigns = study.list_campaigns(book)
        feedback_items = feedback.list_feedback(book)
        sessions = support.list_sessions(book)
        report_rows = reports.list_reports(book)

        # Đảng viên
        from ui.members.edit_dialog import MemberDialog
        from ui.members.history_dialog import MemberHistoryDialog
        from ui.members.import_wizard import ImportDialog

        section = window.show_section("members")
        self.dialog("member-new", lambda: MemberDialog(ctx, parent=section))
        if member_rows:
            m = member_rows[0]
            self.dialog("member-edit", lambda: MemberDialog(ctx, member=m, parent=section))
            self.dialog(
                "member-history",
                lambda: MemberHistoryDialog(
                    ctx, member_id=m.id, full_name=m.full_name, parent=section
                ),
            )
        self.dialog("member-import", lambda: ImportDialog(ctx, parent=section))
        self.import_pages(ctx, section)

        # Sinh hoạt
        from ui.meetings.absence_dialog import AbsenceRequestDialog
        from ui.meetings.attendance_stats import AttendanceStatsDialog, RulesDialog
        from ui.meetings.meeting_dialog import DocumentPicker, MeetingDialog
        from ui.meetings.minutes_editor import MinutesEditor
        from ui.meetings.roll_call import RollCallDialog

        section = window.show_section("meetings")
        self.dialog("meeting-new", lambda: MeetingDialog(ctx, parent=section))
        self.dialog("meeting-documents", lambda: DocumentPicker(ctx, parent=section))

        def roll_call(meeting_id: str, *, paper: bool = False) -> QtWidgets.QWidget:
            dialog = RollCallDialog(ctx, meeting_id, paper=paper, parent=section)
            return dialog

        if open_meeting is not None:
            om = open_meeting
            self.dialog("meeting-edit", lambda: MeetingDialog(ctx, om, parent=section))
            self.dialog("absence-requests", lambda: AbsenceRequestDialog(ctx, om.id, section))
            self.dialog("roll-call", lambda: roll_call(om.id))
            self.dialog("roll-call-paper", lambda: roll_call(om.id, paper=True))
            self.dialog("minutes-open-meeting", lambda: MinutesEditor(ctx, om.id, section))
        if closed_meeting is not None:
            cm = closed_meeting
            self.dialog("roll-call-closed", lambda: roll_call(cm.id))
            self.dialog("minutes", lambda: MinutesEditor(ctx, cm.id, section))
        self.dialog(
            "attendance-stats", lambda: AttendanceStatsDialog(ctx, year=today.year, parent=section)
        )
        self.dialog("attendance-rules", lambda: RulesDialog(ctx, parent=section))

        # Tài liệu
        from ui.documents.document_dialog import DocumentFieldsDialog
        from ui.documents.reading_view import ReadingView

        section = window.show_section("documents")
        if docs:
            doc_id = docs[0].id
            self.dialog(
                "document-fields", lambda: DocumentFieldsDialog(ctx, [doc_id], parent=section)
            )
            self.dialog("document-reading", lambda: ReadingView(ctx, doc_id, parent=section))

        # Học tập nghị quyết
        from ui.study.campaign_dialog import CampaignDialog

        section = window.show_section("study")
        self.dialog("study-campaign-new", lambda: CampaignDialog(ctx, parent=section))
        if campaigns:
            camp = campaigns[0]
            self.dialog("study-campaign-edit", lambda: CampaignDialog(ctx, camp, parent=section))

        # Ý kiến and the support board
        from ui.feedback.answer_dialog import AnswerDialog
        from ui.feedback.feedback_dialog import FeedbackDialog
        from ui.support.dialog import SupportDialog

        section = window.show_section("feedback")
        self.dialog("feedback-new", lambda: FeedbackDialog(ctx, parent=section))
        if feedback_items:
            item = feedback_items[0]
            self.dialog("feedback-answer", lambda: AnswerDialog(ctx, item, parent=section))
        self.dialog("support-new", lambda: SupportDialog(ctx, parent=section))
        if sessions:
            sess = sessions[0]
            self.dialog("support-edit", lambda: SupportDialog(ctx, sess, parent=section))

        # Báo cáo: the editor is part of the section; show it with the first report.
        # The demo has none yet: draft one as the secretary would (Soạn báo cáo).
        section = window.show_section("reports")
        self.settle()
        if report_rows and hasattr(section, "show_report"):
            section.show_report(report_rows[0])
        elif hasattr(section, "draft_button"):
            section.draft_button.click()
        self.settle()
        self.shoot("reports-editor", window)

        # Đảng phí
        from ui.dues.tour import dues_dialogs

        dues_dialogs(self, ctx, window, open_meeting or closed_meeting)

        # Đồng bộ
        from ui.sync.enrol_dialog import EnrolDialog

        section = window.show_section("sync")
        self.dialog("sync-enrol", lambda: EnrolDialog(ctx, window))

        # The Sổ menu
        from ui.book.history_dialog import HistoryDialog
        from ui.book.password_dialog import ChangePasswordDialog

        window.show_section("overview")
        self.dialog("password-change", lambda: ChangePasswordDialog(ctx, window))
        self.dialog("audit-log", lambda: HistoryDialog(ctx, parent=window))
        self.dialog("backup-save", lambda: _backup_file_dialog(window))
        backup = self.out_dir.parent / f".{self.out_dir.name}-tour.sotaybak"
        for name, module_name, cls_name, how in OPTIONAL_DIALOGS:
            cls = _optional(module_name, cls_name)
            if cls is None:
                continue
            if how == "backup" and not backup.exists():
                ctx.book.backup(backup)
            self.dialog(name, _builder(cls, how, ctx, window, backup))
        backup.unlink(missing_ok=True)


def _describe(widget: QtWidgets.QWidget) -> str:
    """A widget's name for the record: its object name, or its class under the nearest named
    or sectioned ancestor (e.g. "DocumentsSection/QTableView")."""
    from ui.widgets.section import Section

    own = widget.objectName() or type(widget).__name__
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, Section) or parent.isWindow():
            return f"{type(parent).__name__}/{own}"
        parent = parent.parentWidget()
    return own


def sideways_areas(window: QtWidgets.QWidget) -> list[str]:
    """The visible scroll areas (QScrollArea: the main window's section holders, dialogs'
    scrolling bodies) whose horizontal scroll bar is showing: what makes the user scroll
    sideways to see the page. Item views (tables, lists) are QAbstractScrollArea but not
    QScrollArea: they are not counted (see `visible_lists`)."""
    found = []
    for area in window.findChildren(QtWidgets.QScrollArea):
        if not area.isVisibleTo(window) or not area.isVisible():
            continue
        bar = area.horizontalScrollBar()
        if bar.isVisible() and bar.maximum() > 0:
            inner = area.widget()
            name = _describe(inner) if inner is not None else _describe(area)
            found.append(f"{name} (+{bar.maximum()} px)")
    return found


def visible_lists(window: QtWidgets.QWidget) -> list[dict[str, Any]]:
    """Each visible table or list: its rows, how many of them are wholly in sight, and
    whether it scrolls sideways (its own horizontal bar)."""
    lists = []
    for view in window.findChildren(QtWidgets.QAbstractItemView):
        if not view.isVisible() or view.model() is None:
            continue
        if isinstance(view, QtWidgets.QHeaderView):
            continue
        if isinstance(view, QtWidgets.QListWidget) and view.objectName() == "navigation":
            continue
        model = view.model()
        rows = model.rowCount()
        port = view.viewport().rect()
        in_sight = 0
        for row in range(min(rows, 500)):
            rect = view.visualRect(model.index(row, 0))
            if rect.height() > 0 and rect.top() >= port.top() and rect.bottom() <= port.bottom():
                in_sight += 1
            elif in_sight and rect.top() > port.bottom():
                break
        bar = view.horizontalScrollBar()
        row_height = 0
        if isinstance(view, QtWidgets.QTableView):
            row_height = view.verticalHeader().defaultSectionSize()
        elif rows:
            row_height = view.sizeHintForRow(0)
        lists.append(
            {
                "view": _describe(view),
                "rows": rows,
                "rows_visible": in_sight,
                # How many rows of the usual height the list has room for (with few rows).
                "rows_fit": port.height() // row_height if row_height > 0 else 0,
                "height": port.height(),
                "sideways": bool(bar.isVisible() and bar.maximum() > 0),
            }
        )
    return lists


def _builder(
    cls: Any, how: str, ctx: Any, parent: QtWidgets.QWidget, backup: Path
) -> Callable[[], QtWidgets.QWidget]:
    """How the main window builds each of the optional dialogs."""
    if how == "folder":
        return lambda: cls(ctx.book.data_dir, ctx.runner, ctx.message, parent)
    if how == "backup":
        return lambda: cls(ctx.book.data_dir, backup, ctx.runner, ctx.message, parent)
    return lambda: cls(ctx, parent)


def _backup_file_dialog(parent: QtWidgets.QWidget) -> QtWidgets.QWidget:
    """What Sổ → Sao lưu sổ… shows (Qt's own file dialog, as on a PC without a native one)."""
    from app.book import default_backup_name

    dialog = QtWidgets.QFileDialog(parent, "Sao lưu sổ", str(Path.home() / default_backup_name()))
    dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("Bản sao lưu Sổ tay (*.sotaybak)")
    dialog.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog, True)
    return dialog


def _optional(module_name: str, cls_name: str) -> Any:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, cls_name, None)


def run_tour(out_dir: Path, *, large_text: bool = False) -> int:
    """Run the tour into out_dir; 0 when nothing raised."""
    from ui.main import Controller, _use_bundled_fonts
    from ui.messages import Messages

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="sotay-tour-") as tmp:
        data_dir = Path(tmp) / "data"
        settings = Settings.load(data_dir)
        settings.large_text = large_text
        settings.idle_lock_minutes = 0
        settings.save(data_dir)
        app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
        assert isinstance(app, QtWidgets.QApplication)
        app.setApplicationName("Sổ tay Chi bộ")
        app.setQuitOnLastWindowClosed(False)
        _use_bundled_fonts()
        messages = Messages()
        messages.auto_answer = False  # recorded, never a blocking box; questions say "no"
        controller = Controller(app, data_dir, demo=True, messages=messages)
        tour = Tour(app, controller, out_dir)
        raised: list[str] = []

        def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
            raised.append("".join(traceback.format_exception(kind, exc, tb)))
            controller._crash(exc)

        previous = sys.excepthook
        sys.excepthook = hook
        try:
            tour.run()
            controller.shutdown()
            if controller.window is not None:
                controller.window.hide()
        finally:
            sys.excepthook = previous
        crash_log = data_dir / LOG_DIR / "sotay-crash.log"
        if crash_log.exists() and crash_log.read_text(encoding="utf-8", errors="replace").strip():
            tour.failures.append(f"crash log:\n{crash_log.read_text(encoding='utf-8')}")
        tour.failures.extend(raised)
        for kind, title, text in messages.shown:
            if kind == "error":
                tour.failures.append(f"error message {title}: {text}")
        tour.write_geometry()
    seconds = time.monotonic() - tour.started
    print(f"Đã chụp {len(tour.windows)} cửa sổ vào {out_dir} trong {seconds:.0f} giây.")
    if tour.failures:
        print("Có lỗi trong khi đi qua các cửa sổ:", file=sys.stderr)
        for failure in tour.failures:
            print(failure, file=sys.stderr)
        return 1
    return 0

"""The window shell: first start, unlock, sections, lock, idle lock, large text, one instance."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.book import Book, book_exists, open_book
from app.services import members
from tests.conftest import TEST_PASSWORD
from ui.book.first_start import FirstStartWizard
from ui.book.unlock_dialog import UnlockDialog
from ui.main import Controller, _listen_for_second_instance, _notify_running_instance, server_name
from ui.main_window import SECTIONS, MainWindow
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.tasks import TaskRunner
from ui.widgets.section import AppContext


def _click(qtbot: object, button: QtWidgets.QAbstractButton) -> None:
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def test_first_start_creates_the_book_and_shows_the_recovery_key_once(
    qtbot: object, tmp_path: Path, messages: Messages
) -> None:
    data = tmp_path / "moi"
    wizard = FirstStartWizard(data, TaskRunner(synchronous=True), messages)
    qtbot.addWidget(wizard)  # type: ignore[attr-defined]
    _click(qtbot, wizard.next)
    assert "tên chi bộ" in wizard.error.text()  # nothing typed yet
    wizard.branch_name.setText("Chi bộ Khu phố 3")
    wizard.committee.setText("Đảng bộ phường Quy Nhơn")
    _click(qtbot, wizard.next)
    wizard.password.setText("abc")
    assert "yếu" in wizard.strength.text().lower()
    wizard.password2.setText("abc")
    _click(qtbot, wizard.next)
    assert "ít nhất 8" in wizard.error.text()
    assert not book_exists(data)
    wizard.password.setText("Chi-bo-KP3-2025")
    wizard.password2.setText("Chi-bo-KP3-2026")
    _click(qtbot, wizard.next)
    assert "không giống nhau" in wizard.error.text()
    wizard.password2.setText("Chi-bo-KP3-2025")
    _click(qtbot, wizard.next)
    assert book_exists(data)
    key = wizard.key_label.text()
    assert len(key) == 39 and key.count("-") == 7
    assert not wizard.next.isEnabled()  # must confirm the key was kept
    pdf = PdfReader(io.BytesIO(wizard.recovery_pdf_bytes()))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert key.split("-")[0] in pdf_text
    wizard.saved.setChecked(True)
    _click(qtbot, wizard.next)
    assert wizard.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert wizard.book is not None
    wizard.book.close()
    open_book(data, password="Chi-bo-KP3-2025").close()


def test_unlock_dialog_wrong_then_right_password(qtbot: object, book: Book, data_dir: Path) -> None:
    book.close()
    dialog = UnlockDialog(data_dir, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.password.setText("sai-roi")
    _click(qtbot, dialog.ok)
    assert dialog.error.text() == "Mật khẩu không đúng."
    assert dialog.book is None
    dialog.password.setText(TEST_PASSWORD)
    _click(qtbot, dialog.ok)
    assert dialog.book is not None
    dialog.book.close()


def test_unlock_dialog_recovery_path(
    qtbot: object, book_and_key: tuple[Book, str], data_dir: Path
) -> None:
    book, key = book_and_key
    book.close()
    dialog = UnlockDialog(data_dir, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    _click(qtbot, dialog.forgot)
    dialog.recovery_key.setText(key)
    dialog.new_password.setText("mat-khau-moi-99")
    dialog.new_password2.setText("mat-khau-moi-99")
    _click(qtbot, dialog.ok)
    assert dialog.book is not None
    dialog.book.close()
    open_book(data_dir, password="mat-khau-moi-99").close()


def test_main_window_has_every_section(qtbot: object, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [
        "Tổng quan",
        "Đảng viên",
        "Sinh hoạt",
        "Đảng phí",
        "Tài liệu",
        "Học tập nghị quyết",
        "Ý kiến",
        "Báo cáo",
        "Đồng bộ",
    ]
    assert [s[1] for s in SECTIONS] == titles
    overview = window.show_section("overview")
    assert overview.heading.text() == "Chi bộ Khu phố 3"  # type: ignore[attr-defined]
    for key, *_ in SECTIONS:
        assert window.show_section(key).isVisibleTo(window)
    # No server configured: says so, no "Chờ đồng bộ: N" alarm (issue 11).
    assert "chưa thiết lập" in window.sync_label.text()


def test_overview_counts_members(qtbot: object, ctx: AppContext) -> None:
    members.create(ctx.book, data=members.MemberInput(full_name="Lê Văn Tám", gender="nam"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    overview = window.show_section("overview")
    assert overview._values["members"].text() == "1"  # type: ignore[attr-defined]


@pytest.fixture
def controller(qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages):  # type: ignore[no-untyped-def]
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c.open_main(book)
    relocked: list[bool] = []
    c._after_lock = lambda: relocked.append(True)  # type: ignore[method-assign]
    c.relocked = relocked  # type: ignore[attr-defined]
    yield c
    c.shutdown()
    c.set_large_text(False)


def test_lock_drops_the_book_and_asks_again(controller: Controller, qtbot: object) -> None:
    book = controller.book
    assert book is not None and controller.window is not None
    QtWidgets.QApplication.clipboard().setText("Nguyễn Thị Hòa 001190000001")
    controller.lock()
    assert controller.book is None and controller.window is None
    assert not book.is_open
    assert QtWidgets.QApplication.clipboard().text() == ""
    qtbot.waitUntil(lambda: controller.relocked == [True])  # type: ignore[attr-defined]


def test_idle_lock(controller: Controller, qtbot: object) -> None:
    controller.idle.set_interval_ms(50)
    qtbot.waitUntil(lambda: controller.book is None, timeout=3000)  # type: ignore[attr-defined]


def test_large_text_mode_scales_the_whole_ui(
    controller: Controller, qapp: QtWidgets.QApplication, data_dir: Path
) -> None:
    window = controller.window
    assert window is not None
    normal = window.nav.font().pointSizeF()
    normal_height = window.nav.sizeHintForRow(0)
    controller.set_large_text(True)
    assert window.nav.font().pointSizeF() >= normal * 1.4
    assert window.nav.sizeHintForRow(0) > normal_height
    # Remembered for next time.
    from app.settings import Settings

    assert Settings.load(data_dir).large_text is True


def test_second_instance_brings_the_first_to_front(
    controller: Controller, data_dir: Path, qtbot: object
) -> None:
    name = server_name(data_dir) + "-test"
    server = _listen_for_second_instance(name, controller)
    assert controller.window is not None
    controller.window.showMinimized()
    raised: list[bool] = []
    server.newConnection.connect(lambda: raised.append(True))
    assert _notify_running_instance(name)
    qtbot.waitUntil(lambda: bool(raised))  # type: ignore[attr-defined]
    server.close()
    assert not _notify_running_instance(name + "-khong-co")


def test_instance_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    from app.storage.instance_lock import InstanceLock

    first = InstanceLock(tmp_path / "book.lock")
    assert first.acquire()
    assert InstanceLock(tmp_path / "book.lock").held_elsewhere()
    first.release()
    assert not InstanceLock(tmp_path / "book.lock").held_elsewhere()


def test_demo_lives_apart_and_never_blocks_the_real_book(
    qapp: QtWidgets.QApplication, tmp_path: Path, messages: Messages
) -> None:
    data = tmp_path / "may-van-phong"
    c = Controller(qapp, data, demo=True, synchronous=True, messages=messages)
    assert c.start()
    try:
        assert c.book is not None and c.is_demo()
        assert c.window is not None and "SỔ MẪU" in c.window.windowTitle()
        assert book_exists(data / "demo") and not book_exists(data)
        assert not list(data.rglob("demo.txt"))  # the demo password is never written to disk
    finally:
        c.shutdown()
    # The secretary's own book can still be created in the data folder.
    from app.book import create_book

    real, _key = create_book(
        data, password="mat-khau-that-1", branch_name="Chi bộ 3", committee="Y"
    )
    real.close()
    # From then on the real book is what opens (without --demo, the demo only on request).
    c2 = Controller(qapp, data, synchronous=True, messages=messages)
    opened: list[Path] = []
    c2._unlock = lambda folder: opened.append(folder) or False  # type: ignore[method-assign]
    assert not c2.start()
    assert opened == [data]


def test_history_dialog_lists_changes(
    qtbot: object, ctx: AppContext, qtmodeltester: object
) -> None:
    from ui.book.history_dialog import HistoryDialog

    members.create(ctx.book, data=members.MemberInput(full_name="Hồ Thị Lịch Sử"))
    dialog = HistoryDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    shown = [dialog.model.index(r, 3).data() for r in range(dialog.model.rowCount())]
    assert "Thêm đảng viên Hồ Thị Lịch Sử" in shown

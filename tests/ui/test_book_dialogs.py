"""Sổ menu dialogs as the secretary sees them: Cài đặt chi bộ, Khôi phục từ bản sao lưu,
Đổi mật khẩu, Nhật ký thay đổi, Đăng ký máy; the overview's count of members needing support."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.services import backups, members
from app.services import overview as overview_service
from tests.conftest import TEST_PASSWORD
from ui.main import Controller
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets
from ui.widgets.section import AppContext


def _click(qtbot: object, button: QtWidgets.QAbstractButton) -> None:
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def test_settings_dialog_saves_the_branch_details(qtbot: object, ctx: AppContext) -> None:
    from ui.book.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.place_name.text() == "Quy Nhơn"
    assert dialog.secretary_name.text() == "Trần Văn Bình"
    dialog.name.setText("")
    _click(qtbot, dialog.ok)
    assert dialog.error.text() == "Tên chi bộ không được để trống."
    dialog.name.setText("Chi bộ Khu phố 5")
    dialog.committee.setText("Đảng bộ phường Ghềnh Ráng")
    dialog.place_name.setText("Bình Định")
    dialog.secretary_name.setText("Nguyễn Thị Hoa")
    dialog.address.setText("Tổ 5, khu phố 5")
    dialog.idle_minutes.setValue(25)
    dialog.support_age.setValue(75)
    _click(qtbot, dialog.ok)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    info = ctx.book.branch()
    assert (info.name, info.committee, info.place_name, info.secretary_name, info.address) == (
        "Chi bộ Khu phố 5",
        "Đảng bộ phường Ghềnh Ráng",
        "Bình Định",
        "Nguyễn Thị Hoa",
        "Tổ 5, khu phố 5",
    )
    assert ctx.settings.idle_lock_minutes == 25 and ctx.settings.support_age == 75
    from app.services import audit

    assert any(row.summary == "Sửa thông tin chi bộ" for row in audit.history(ctx.book))


def test_settings_dialog_fits_a_small_screen(qtbot: object, ctx: AppContext) -> None:
    from ui.book.settings_dialog import SettingsDialog
    from ui.widgets.fit import available_rect

    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    avail = available_rect(dialog)
    assert dialog.frameGeometry().height() <= avail.height()
    assert dialog.frameGeometry().width() <= avail.width()
    assert dialog.ok.isVisible()


@pytest.fixture
def controller(  # type: ignore[no-untyped-def]
    qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages
):
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c.open_main(book)
    reopened: list[bool] = []

    def after_lock() -> None:
        reopened.append(True)
        c.open_main(open_book(data_dir, password=TEST_PASSWORD))

    c._after_lock = after_lock  # type: ignore[method-assign]
    yield c
    c.shutdown()


def test_restore_dialog_names_branch_and_date_then_restores(
    controller: Controller, qtbot: object, messages: Messages, data_dir: Path
) -> None:
    from ui.book import restore_dialog

    book = controller.book
    assert book is not None
    # The new, empty book got no daily backup on opening; once it holds a member it does.
    assert backups.list_backups(data_dir) == []
    members.create(book, data=members.MemberInput(full_name="Người Có Trước Sao Lưu"))
    assert backups.backup_if_due(book) is not None
    listed = backups.list_backups(data_dir)
    assert len(listed) == 1 and listed[0].automatic
    members.create(book, data=members.MemberInput(full_name="Người Thêm Sau Sao Lưu"))

    dialog = restore_dialog.RestoreDialog(data_dir, controller.runner, messages)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    line = dialog.list.item(0).text()
    assert "Chi bộ Khu phố 3" in line and listed[0].when_text in line
    assert "Chi bộ Khu phố 3" in dialog.detail.text()
    messages.auto_answer = True
    dialog.confirm()
    question = messages.shown[-1]
    assert question[0] == "ask"
    assert "Chi bộ Khu phố 3" in question[2] and listed[0].when_text in question[2]
    assert dialog.chosen == listed[0].path

    # The password step: wrong, then right (answered inside the modal dialog).
    def answer() -> None:
        for w in QtWidgets.QApplication.topLevelWidgets():
            if isinstance(w, restore_dialog.RestorePasswordDialog) and w.isVisible():
                w.password.setText("sai-mat-khau")
                w.submit()
                assert "không đúng" in w.error.text()
                w.password.setText(TEST_PASSWORD)
                w.submit()
                return
        QtCore.QTimer.singleShot(20, answer)

    QtCore.QTimer.singleShot(20, answer)
    controller.restore_from(listed[0].path)
    qtbot.waitUntil(lambda: controller.book is not None)  # type: ignore[attr-defined]
    assert controller.book is not None
    names = [m.full_name for m in members.list_members(controller.book)]
    assert "Người Thêm Sau Sao Lưu" not in names
    assert any(m[0] == "info" and m[1] == "Đã khôi phục" for m in messages.shown)
    # The book as it was before the restore was kept as a backup.
    assert any("truoc-khoi-phuc" in b.path.name for b in backups.list_backups(data_dir))


def test_restore_dialog_refuses_a_file_that_is_no_backup(
    qtbot: object, ctx: AppContext, tmp_path: Path, messages: Messages
) -> None:
    from ui.book.restore_dialog import RestoreDialog

    dialog = RestoreDialog(ctx.book.data_dir, ctx.runner, messages)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    bogus = tmp_path / "anh.sotaybak"
    bogus.write_bytes(b"PNG")
    dialog.add_file(bogus)
    assert "không phải bản sao lưu" in dialog.error.text()


def test_enrol_accepts_host_and_port_without_a_scheme() -> None:
    from ui.sync.enrol_dialog import with_scheme

    assert with_scheme("127.0.0.1:18493") == "http://127.0.0.1:18493"
    assert with_scheme(" localhost:8000 ") == "http://localhost:8000"
    assert with_scheme("dongbo.tinhuy.vn") == "https://dongbo.tinhuy.vn"
    assert with_scheme("https://dongbo.tinhuy.vn") == "https://dongbo.tinhuy.vn"


def test_enrol_dialog_adds_the_scheme_before_sending(
    qtbot: object, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sync.client
    from ui.sync.enrol_dialog import EnrolDialog

    seen: list[str] = []

    def fake_enrol(book: Book, *, server_url: str, code: str, ca_bundle: str | None) -> None:
        seen.append(server_url)
        from sync.errors import SyncError

        raise SyncError("Không kết nối được máy chủ.")

    monkeypatch.setattr(sync.client, "enrol", fake_enrol)
    dialog = EnrolDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.server.setText("127.0.0.1:18493")
    dialog.code.setText("ABCD-EFGH-JKLM")
    dialog.submit()
    assert seen == ["http://127.0.0.1:18493"]
    assert dialog.server.text() == "http://127.0.0.1:18493"
    assert dialog.error.wordWrap()


def test_password_dialog_keeps_its_width_and_names_the_wrong_field(
    qtbot: object, ctx: AppContext
) -> None:
    from ui.book.password_dialog import ChangePasswordDialog

    dialog = ChangePasswordDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitExposed(dialog)  # type: ignore[attr-defined]
    before = dialog.ok.mapTo(dialog, QtCore.QPoint(0, 0))
    width = dialog.width()
    dialog.new1.setText("abc")  # the strength hint appears
    QtWidgets.QApplication.processEvents()
    assert dialog.strength.text()
    assert dialog.width() == width
    assert dialog.ok.mapTo(dialog, QtCore.QPoint(0, 0)) == before
    dialog.old.setText("khong-phai-mat-khau")
    dialog.new1.setText("Mat-khau-moi-2026")
    dialog.new2.setText("Mat-khau-moi-2026")
    dialog.submit()
    assert "Mật khẩu hiện tại không đúng" in dialog.error.text()


def test_history_dialog_has_a_header_and_a_search(qtbot: object, ctx: AppContext) -> None:
    from ui.book.history_dialog import HistoryDialog

    members.create(ctx.book, data=members.MemberInput(full_name="Hồ Thị Lịch Sử"))
    members.create(ctx.book, data=members.MemberInput(full_name="Lê Văn Khác"))
    dialog = HistoryDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    assert dialog.table.horizontalHeader().isVisible()
    headers = [
        dialog.proxy.headerData(c, QtCore.Qt.Orientation.Horizontal, 0)
        for c in range(dialog.proxy.columnCount())
    ]
    assert "Nội dung" in headers
    total = dialog.proxy.rowCount()
    dialog.search.setText("lich su")  # typed without diacritics
    assert dialog.proxy.rowCount() == 1
    assert "Hồ Thị Lịch Sử" in dialog.proxy.index(0, 3).data()
    assert dialog.count.text() == f"Tìm thấy 1 trong {total} thay đổi."


def test_overview_counts_old_members_as_needing_support(book: Book) -> None:
    today = dt.date(2026, 12, 5)
    for name, born in (
        ("Cụ Chín Mốt", dt.date(1935, 3, 1)),
        ("Cụ Tám Mốt", dt.date(1945, 1, 1)),
        ("Bác Bảy Sáu", dt.date(1950, 6, 1)),
        ("Anh Bốn Mươi", dt.date(1986, 6, 1)),
    ):
        members.create(book, data=members.MemberInput(full_name=name, birth_date=born))
    data = overview_service.overview(book, today=today)
    assert (data.support_age, data.elderly, data.needs_support) == (70, 3, 3)
    assert overview_service.overview(book, support_age=80, today=today).needs_support == 2
    assert overview_service.overview(book, support_age=0, today=today).needs_support == 0


def test_status_bar_says_when_sync_is_not_set_up_or_offline(qtbot: object, ctx: AppContext) -> None:
    from app.services.sync_state import SyncStatus
    from ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert window.sync_label.text() == "Đồng bộ: chưa thiết lập (xem phần Đồng bộ)"
    enrolled = SyncStatus(
        enrolled=True,
        server_url="https://dongbo.tinhuy.vn",
        branch_code="CB-03",
        pending=4,
        needing_attention=0,
        last_sync_at=None,
        last_attempt_at=None,
        last_error=None,
    )
    assert window.sync_status_text(enrolled) == "Chờ đồng bộ: 4 · Chưa đồng bộ lần nào"
    window.start_auto_sync()
    window.auto_sync.stop()
    window.auto_sync.offline_reason = "Không kết nối được máy chủ."
    assert window.sync_status_text(enrolled).startswith(
        "Không kết nối được máy chủ, sẽ thử lại · Chờ đồng bộ: 4"
    )


def test_settings_are_saved_where_the_program_reads_them(
    qtbot: object, ctx: AppContext, tmp_path: Path
) -> None:
    """With the demo book open, the book lives in a subfolder of the data folder; the
    settings must still go to the data folder's settings.json, which the next start reads."""
    from app.settings import Settings
    from ui.book.settings_dialog import SettingsDialog

    root = tmp_path / "du-lieu"
    ctx.settings_dir = root
    assert ctx.book.data_dir != root
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.idle_minutes.setValue(25)
    _click(qtbot, dialog.ok)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert Settings.load(root).idle_lock_minutes == 25
    assert not (ctx.book.data_dir / "settings.json").exists()

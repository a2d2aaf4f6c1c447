"""The Sổ menu after day one (tester's N9, N12, N13):

* Khôi phục từ bản sao lưu… lists the backup she saved in her own folder, says what each
  holds ("sổ trống" for an empty one), and chooses none when even the newest is older than
  the book's last change;
* Sổ → Mở sổ mẫu (dùng thử)… locks the real book and opens the demo; Sổ → Về sổ thật asks
  the real book's password again; `sotay gui --demo` opens the demo beside a real book;
* after Ctrl+L and the password, the window shows the page she locked on."""

from __future__ import annotations

from pathlib import Path

from app.book import Book
from app.services import backups, members
from tests.conftest import TEST_PASSWORD
from ui.book.restore_dialog import RestoreDialog
from ui.book.unlock_dialog import UnlockDialog
from ui.main import Controller
from ui.main_window import MainWindow
from ui.messages import Messages
from ui.qt import QtCore, QtWidgets


def _answer_unlock(password: str, seen: list[str]) -> None:
    """Type the password into the unlock dialog once it is on screen (it runs modally)."""

    def answer() -> None:
        for w in QtWidgets.QApplication.topLevelWidgets():
            if isinstance(w, UnlockDialog) and w.isVisible():
                seen.append(str(w.data_dir))
                w.password.setText(password)
                w.submit()
                return
        QtCore.QTimer.singleShot(20, answer)

    QtCore.QTimer.singleShot(20, answer)


def _menu_texts(window: MainWindow) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QtWidgets.QMenu)
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def _trigger(window: MainWindow, text: str) -> None:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QtWidgets.QMenu)
    (action,) = [a for a in menu.actions() if a.text() == text]
    action.trigger()


def test_restore_lists_her_own_backup_first_and_says_what_each_holds(
    qapp: QtWidgets.QApplication,
    qtbot: object,
    book: Book,
    data_dir: Path,
    tmp_path: Path,
    messages: Messages,
) -> None:
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    try:
        # An automatic backup of the empty book (as an older version wrote at creation).
        empty = backups.make_auto_backup(book, backups.PREFIX_DAILY)
        for name in ("Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường"):
            members.create(book, data=members.MemberInput(full_name=name))
        usb = tmp_path / "sao-luu-cua-chi"
        usb.mkdir()
        mine = book.backup(usb / "so-truoc.sotaybak")
        c.settings.last_folders["backup"] = str(usb)  # where the save dialog last wrote

        dialog = RestoreDialog(data_dir, c.runner, messages, book=book)
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert [i.path for i in dialog.infos] == [mine, empty]
        assert "3 đảng viên, 0 cuộc họp" in lines[0] and "so-truoc.sotaybak" in lines[0]
        assert "sổ trống" in lines[1] and "tự động" in lines[1]
        # Nothing changed since her backup: the newest (hers) is chosen.
        assert dialog.list.currentRow() == 0 and dialog.ok.isEnabled()
        assert "3 đảng viên" in dialog.detail.text()

        # A change after every backup: nothing is chosen, and the dialog says why.
        members.create(book, data=members.MemberInput(full_name="Phạm Thị Dung"))
        later = RestoreDialog(data_dir, c.runner, messages, book=book)
        qtbot.addWidget(later)  # type: ignore[attr-defined]
        later.show()  # on screen, where a focused list would make its first row current
        qtbot.waitExposed(later)  # type: ignore[attr-defined]
        qapp.processEvents()
        assert later.list.count() == 2
        assert later.list.currentRow() == -1 and not later.ok.isEnabled()
        assert "cũ hơn lần thay đổi cuối của sổ" in later.detail.text()
        later.list.setCurrentRow(1)
        assert "sổ trống" in later.detail.text() and "CHÚ Ý" in later.detail.text()
    finally:
        c.shutdown()


def test_real_book_to_demo_and_back_asks_the_real_password(
    qapp: QtWidgets.QApplication, qtbot: object, book: Book, data_dir: Path, messages: Messages
) -> None:
    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c.open_main(book)
    try:
        window = c.window
        assert isinstance(window, MainWindow)
        assert "Mở sổ mẫu (dùng thử)…" in _menu_texts(window)
        assert "Tạo sổ thật cho chi bộ…" not in _menu_texts(window)

        _trigger(window, "Mở sổ mẫu (dùng thử)…")
        qtbot.waitUntil(lambda: c.book is not None and c.is_demo(), timeout=20_000)  # type: ignore[attr-defined]
        demo_window = c.window
        assert isinstance(demo_window, MainWindow) and demo_window.demo
        assert "SỔ MẪU" in demo_window.windowTitle()
        assert book.engine is None  # the real book is closed (locked)
        texts = _menu_texts(demo_window)
        assert "Về sổ thật" in texts and "Tạo sổ thật cho chi bộ…" not in texts
        assert "Mở sổ mẫu (dùng thử)…" not in texts

        seen: list[str] = []
        _answer_unlock(TEST_PASSWORD, seen)
        _trigger(demo_window, "Về sổ thật")
        qtbot.waitUntil(lambda: c.book is not None and not c.is_demo(), timeout=20_000)  # type: ignore[attr-defined]
        assert seen == [str(data_dir)]  # the real book's password was asked
        assert c.book is not None
        assert [m.full_name for m in members.list_members(c.book)] == ["Nguyễn Văn An"]
        assert c.window is not None and not c.window.demo
    finally:
        c.shutdown()


def test_gui_demo_opens_the_demo_even_when_a_real_book_exists(
    qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages
) -> None:
    book.close()
    c = Controller(qapp, data_dir, demo=True, synchronous=True, messages=messages)
    try:
        assert c.start()
        assert c.is_demo() and c.window is not None and c.window.demo
        assert "Về sổ thật" in _menu_texts(c.window)
    finally:
        c.shutdown()


def test_unlock_returns_to_the_page_locked_on(
    qapp: QtWidgets.QApplication, qtbot: object, book: Book, data_dir: Path, messages: Messages
) -> None:
    c = Controller(qapp, data_dir, synchronous=True, messages=messages)
    c.open_main(book)
    try:
        window = c.window
        assert isinstance(window, MainWindow)
        window.show_section("reports")
        seen: list[str] = []
        _answer_unlock(TEST_PASSWORD, seen)
        window.lock_action.trigger()  # Ctrl+L
        qtbot.waitUntil(lambda: c.window is not None and c.book is not None, timeout=20_000)  # type: ignore[attr-defined]
        assert seen == [str(data_dir)]
        again = c.window
        assert isinstance(again, MainWindow) and again is not window
        assert again.current_section_key() == "reports"
        assert again.nav.currentItem().text() == "Báo cáo"
    finally:
        c.shutdown()

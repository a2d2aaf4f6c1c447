"""Background work is safe by construction: with the program's own threads, locking and
unlocking shows no error box and writes no crash log; a result for a closed window is dropped;
no callback is released on a worker thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from app.book import Book, open_book
from app.paths import LOG_DIR
from tests.conftest import TEST_PASSWORD
from ui.main import Controller
from ui.main_window import SECTIONS, MainWindow
from ui.messages import Messages
from ui.qt import QtWidgets
from ui.tasks import TaskRunner


def _settle(qtbot: object, runner: TaskRunner) -> None:
    qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)  # type: ignore[attr-defined]


def _window(c: Controller) -> MainWindow:
    assert isinstance(c.window, MainWindow)
    return c.window


@pytest.fixture
def threaded(  # type: ignore[no-untyped-def]
    qapp: QtWidgets.QApplication, book: Book, data_dir: Path, messages: Messages
):
    c = Controller(qapp, data_dir, synchronous=False, messages=messages)
    reopen: list[bool] = []

    def after_lock() -> None:  # the unlock dialog, answered with the right password
        reopen.append(True)
        c.open_main(open_book(data_dir, password=TEST_PASSWORD))

    c._after_lock = after_lock  # type: ignore[method-assign]
    c.open_main(book)
    yield c, reopen
    c.shutdown()


def test_lock_and_unlock_twice_leaves_no_error_and_no_crash_log(
    threaded: tuple[Controller, list[bool]], qtbot: object, data_dir: Path, messages: Messages
) -> None:
    c, reopen = threaded
    for round_ in range(2):
        window = _window(c)
        # Visit every section: each starts background reads, some still running at lock.
        for key, *_ in SECTIONS:
            window.show_section(key)
        c.lock()
        assert c.book is None and c.window is None
        qtbot.waitUntil(lambda n=round_: len(reopen) == n + 1, timeout=10_000)  # type: ignore[attr-defined]
        window = _window(c)
        _settle(qtbot, c.runner)
        for key, *_ in SECTIONS:
            window.show_section(key)
        _settle(qtbot, c.runner)
        # The status bar of the new window shows the sync state, the busy text is cleared.
        assert "chưa thiết lập" in window.sync_label.text()
        assert window.busy_label.text() == ""
    errors = [m for m in messages.shown if m[0] == "error"]
    assert errors == []
    assert not (data_dir / LOG_DIR / "sotay-crash.log").exists()
    overview = window.section("overview")
    assert overview._values["members"].text() == "0"  # type: ignore[attr-defined]


def test_a_result_for_a_destroyed_owner_is_dropped(qapp: object, qtbot: object) -> None:
    runner = TaskRunner(synchronous=False)
    owner = QtWidgets.QLabel("chờ")
    gate = threading.Event()
    delivered: list[str] = []

    def slow() -> str:
        gate.wait(5)
        return "xong"

    runner.run(owner, slow, on_success=delivered.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner))  # type: ignore[attr-defined]
    gate.set()
    qtbot.waitUntil(lambda: runner.running == 0)  # type: ignore[attr-defined]
    assert delivered == [] and runner.dropped == 1
    # A living owner still gets its result.
    alive = QtWidgets.QLabel("")
    runner.run(alive, lambda: "xong", on_success=alive.setText)
    qtbot.waitUntil(lambda: alive.text() == "xong")  # type: ignore[attr-defined]


def test_callbacks_are_released_on_the_gui_thread(qapp: object, qtbot: object) -> None:
    """A closure that held the last reference to a widget must not free it on a worker
    thread (the exit-139 crash after saving a meeting)."""
    runner = TaskRunner(synchronous=False)
    freed_on: list[str] = []
    seen: list[int] = []

    class Tracker:
        def __del__(self) -> None:
            freed_on.append(threading.current_thread().name)

    def start() -> None:
        tracker = Tracker()

        def work() -> int:
            time.sleep(0.0005)
            return id(tracker)

        runner.run(None, work, on_success=lambda _r: seen.append(id(tracker)))

    # The old runner freed about 1 in 100 of these on a worker thread (exit 139 when it
    # was a widget).
    for _ in range(300):
        start()
    qtbot.waitUntil(lambda: runner.running == 0, timeout=20_000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(freed_on) == 300)  # type: ignore[attr-defined]
    assert set(freed_on) == {threading.main_thread().name}


def test_a_task_cannot_start_while_the_book_is_being_locked(qapp: object) -> None:
    runner = TaskRunner(synchronous=True)
    owner = QtWidgets.QLabel("")
    runner.closing = True
    runner.run(owner, lambda: "x", on_success=owner.setText)
    assert owner.text() == "" and runner.running == 0


def test_main_window_never_larger_than_the_screen(
    threaded: tuple[Controller, list[bool]], qtbot: object
) -> None:
    from ui.widgets.fit import available_rect

    c, _ = threaded
    window = c.window
    assert window is not None
    avail = available_rect(window)
    assert window.width() <= avail.width() and window.height() <= avail.height()
    assert window.maximumWidth() <= avail.width()
    _settle(qtbot, c.runner)


def test_demo_to_real_book_and_back_with_threads_leaves_no_error(
    qapp: QtWidgets.QApplication, qtbot: object, tmp_path: Path, messages: Messages
) -> None:
    from app.book import create_book

    data = tmp_path / "may-van-phong"
    c = Controller(qapp, data, demo=True, synchronous=False, messages=messages)

    def first_start() -> bool:  # the wizard, answered: the branch's own book
        real, _key = create_book(
            data, password=TEST_PASSWORD, branch_name="Chi bộ Thôn 2", committee="Đảng bộ xã"
        )
        c.open_main(real)
        return True

    c._first_start = first_start  # type: ignore[method-assign]
    try:
        assert c.start() and c.is_demo()
        window = _window(c)
        for key, *_ in SECTIONS:
            window.show_section(key)
        c.create_real_book()  # Sổ → Tạo sổ thật cho chi bộ…, with the demo's reads running
        qtbot.waitUntil(lambda: c.book is not None and not c.is_demo(), timeout=20_000)  # type: ignore[attr-defined]
        real_window = _window(c)
        assert "Chi bộ Thôn 2" in real_window.windowTitle()
        for key, *_ in SECTIONS:
            real_window.show_section(key)
        _settle(qtbot, c.runner)

        # And back: lock the real book, open the demo again.
        def open_demo_again() -> None:
            c._open_demo()

        c._after_lock = open_demo_again  # type: ignore[method-assign]
        c.lock()
        qtbot.waitUntil(lambda: c.book is not None and c.is_demo(), timeout=20_000)  # type: ignore[attr-defined]
        _settle(qtbot, c.runner)
    finally:
        c.shutdown()
    assert [m for m in messages.shown if m[0] == "error"] == []
    assert not (data / LOG_DIR / "sotay-crash.log").exists()
    assert not (data / "demo" / LOG_DIR / "sotay-crash.log").exists()

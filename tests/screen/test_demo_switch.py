"""The real program on a virtual 1366×768 screen (tester's N13): a real book exists, Sổ →
Mở sổ mẫu (dùng thử)… opens the demo, Sổ → Về sổ thật asks the real book's password again
and brings it back, with no error box and an empty crash log."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from app.book import create_book
from app.services import members
from tests.screen.xscreen import ROOT, Screen, crash_log, sotay, stop

pytestmark = pytest.mark.screen

REAL_PASSWORD = "Mat khau that 2026"
REAL_TITLE = "Chi bộ Khu phố 9"
CRASH_TITLE = "Lỗi chương trình"


def _no_crash(screen: Screen, data_dir: Path, when: str) -> None:
    titles = screen.windows().values()
    assert not [t for t in titles if CRASH_TITLE in t], f"{when}: an error box is on screen"
    assert crash_log(data_dir) == "", f"{when}: the crash log has lines:\n{crash_log(data_dir)}"


def _unlock(screen: Screen, password: str) -> None:
    unlock = screen.wait_window("Mở sổ", timeout=60)
    screen.type(unlock, password)
    screen.keys(unlock, "Return")
    screen.wait_window("Mở sổ", gone=True)


def _book_menu(screen: Screen, main: str, *keys: str) -> None:
    """Open the Sổ menu with Alt+S and press `keys` in it."""
    screen.keys(main, "alt+s")
    time.sleep(0.5)
    menus = [w for w in screen.windows() if w != main]
    screen.keys(menus[-1] if menus else main, *keys)


def test_real_book_to_demo_and_back(screen_1366: Screen, tmp_path: Path) -> None:
    screen = screen_1366
    data_dir = tmp_path / "data"
    book, _recovery = create_book(
        data_dir,
        password=REAL_PASSWORD,
        branch_name=REAL_TITLE,
        committee="Đảng bộ phường Quy Nhơn",
    )
    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    book.close()
    proc = subprocess.Popen(
        sotay("--data-dir", str(data_dir), "gui"),
        cwd=ROOT,
        env=screen.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _unlock(screen, REAL_PASSWORD)
        main = screen.wait_window(REAL_TITLE, timeout=60)
        time.sleep(2)
        _no_crash(screen, data_dir, "after opening the real book")

        # Sổ → Mở sổ mẫu (dùng thử)… : two up from the first item (past Thoát).
        _book_menu(screen, main, "Up", "Up", "Return")
        demo = screen.wait_window("SỔ MẪU", timeout=90)
        assert REAL_TITLE not in screen.windows()[demo]
        time.sleep(2)
        _no_crash(screen, data_dir, "after opening the demo from the real book")

        # Sổ → Về sổ thật (the demo menu's first item): the real password is asked again.
        _book_menu(screen, demo, "Return")
        _unlock(screen, REAL_PASSWORD)
        screen.wait_window(REAL_TITLE, timeout=60)
        time.sleep(2.5)
        assert not [t for t in screen.windows().values() if "SỔ MẪU" in t]
        _no_crash(screen, data_dir, "after going back to the real book")
    except AssertionError as exc:
        _out, err = stop(proc)
        raise AssertionError(f"{exc}\nthe program's stderr:\n{err[-3000:]}") from None
    _out, err = stop(proc)
    assert crash_log(data_dir) == "", err[-3000:]

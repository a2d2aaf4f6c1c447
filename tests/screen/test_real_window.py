"""The real program on a virtual 1366×768 screen, driven by keyboard and mouse (xdotool):
locking and unlocking, demo → real book, the roll call under the pointer, the minutes' Enter."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.screen.xscreen import ROOT, Screen, crash_log, sotay, stop

pytestmark = pytest.mark.screen

DEMO_PASSWORD = "chibomau2025"
REAL_PASSWORD = "Mat khau that 2026"
CRASH_TITLE = "Lỗi chương trình"


def _no_crash(screen: Screen, data_dir: Path, when: str) -> None:
    titles = screen.windows().values()
    assert not [t for t in titles if CRASH_TITLE in t], f"{when}: an error box is on screen"
    assert crash_log(data_dir) == "", f"{when}: the crash log has lines:\n{crash_log(data_dir)}"


def _lock_and_unlock(screen: Screen, data_dir: Path, password: str, main_title: str) -> None:
    main = screen.wait_window(main_title)
    screen.keys(main, "ctrl+l")
    unlock = screen.wait_window("Mở sổ")
    screen.type(unlock, password)
    screen.keys(unlock, "Return")
    screen.wait_window("Mở sổ", gone=True)
    screen.wait_window(main_title)
    time.sleep(2.5)  # the overview's and the status bar's background tasks
    _no_crash(screen, data_dir, "after unlocking")


def test_lock_unlock_twice_and_demo_to_real_leave_no_crash(
    screen_1366: Screen, tmp_path: Path
) -> None:
    screen = screen_1366
    data_dir = tmp_path / "data"
    proc = subprocess.Popen(
        sotay("--data-dir", str(data_dir), "gui", "--demo"),
        cwd=ROOT,
        env=screen.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        screen.wait_window("SỔ MẪU", timeout=60)
        time.sleep(2)
        _no_crash(screen, data_dir, "after opening the demo")
        for _ in range(2):
            _lock_and_unlock(screen, data_dir, DEMO_PASSWORD, "SỔ MẪU")

        # Demo → the branch's real book: Sổ → Tạo sổ thật cho chi bộ… and the wizard.
        main = screen.wait_window("SỔ MẪU")
        screen.keys(main, "alt+s")
        time.sleep(0.5)
        menu_keys = [w for w, t in screen.windows().items() if w != main]
        screen.keys(menu_keys[-1] if menu_keys else main, "Return")
        wizard = screen.wait_window("Tạo sổ mới")
        screen.type(wizard, "Chi bo Khu pho 9")
        screen.keys(wizard, "Tab")
        screen.type(wizard, "Dang bo phuong Quy Nhon")
        screen.keys(wizard, "Return")
        time.sleep(0.5)
        screen.type(wizard, REAL_PASSWORD)
        screen.keys(wizard, "Tab")
        screen.type(wizard, REAL_PASSWORD)
        screen.keys(wizard, "Return")
        time.sleep(3)  # the book is created on a worker thread; the recovery key is shown
        # Closing without ticking "I saved the key" asks once; Enter answers "Đồng ý".
        screen.keys(wizard, "Escape")
        question = screen.wait_window("Chưa lưu mã khôi phục")
        screen.keys(question, "Return")
        screen.wait_window("Chi bo Khu pho 9", timeout=30)
        time.sleep(2)
        _no_crash(screen, data_dir, "after switching from the demo to the real book")
        _lock_and_unlock(screen, data_dir, REAL_PASSWORD, "Chi bo Khu pho 9")
    except AssertionError as exc:
        _out, err = stop(proc)
        raise AssertionError(f"{exc}\nthe program's stderr:\n{err[-3000:]}") from None
    _out, err = stop(proc)
    assert crash_log(data_dir) == "", err[-3000:]


def _run_driver(screen: Screen, mode: str, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    out = tmp_path / mode
    out.mkdir()
    proc = subprocess.Popen(
        [
            *sotay()[:1],
            str(ROOT / "tests" / "screen" / "driver.py"),
            mode,
            str(tmp_path / "data"),
            str(out),
        ],
        cwd=ROOT,
        env=screen.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while not (out / "opened.json").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            _out, err = stop(proc)
            raise AssertionError(f"the {mode} dialog did not open:\n{err[-3000:]}")
        time.sleep(0.2)
    time.sleep(0.3)
    return proc, out


def _finish(proc: subprocess.Popen[bytes], out: Path) -> dict[str, Any]:
    (out / "done").touch()
    try:
        proc.wait(60)
    finally:
        _out, err = stop(proc)
    assert (out / "state.json").exists(), err[-3000:]
    return dict(json.loads((out / "state.json").read_text("utf-8")))


def test_clicking_roll_call_rows_in_order_marks_exactly_those_members(
    screen_1366: Screen, tmp_path: Path
) -> None:
    screen = screen_1366
    proc, out = _run_driver(screen, "roll-call", tmp_path)
    opened = json.loads((out / "opened.json").read_text("utf-8"))
    assert opened["dialog_meeting_id"] == opened["meeting_id"], "Sinh hoạt opened another meeting"
    rows = [r for r in opened["rows"] if r["visible"]][:8]
    assert len(rows) >= 8, f"the roll call shows only {len(rows)} rows"
    screen.focus(str(opened["window_id"]))
    # A steady pace down the list, each click where the row was when the dialog opened.
    for row in rows:
        screen.click(row["x"], row["y"])
        time.sleep(0.4)
    time.sleep(1.5)
    state = _finish(proc, out)
    assert state["message_boxes"] == []
    data_dir = tmp_path / "data"
    assert crash_log(data_dir) == ""
    shown = subprocess.run(
        sotay(
            "--data-dir",
            str(data_dir / "demo"),
            "--password-stdin",
            "attendance",
            "show",
            opened["meeting_id"],
            "--json",
        ),
        input=DEMO_PASSWORD + "\n",
        cwd=ROOT,
        env=screen.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    members = json.loads(shown.stdout)["members"]
    present = {m["member_id"] for m in members if m["status"] == "present"}
    assert present == {r["member_id"] for r in rows}


def test_enter_in_the_discussion_field_adds_an_opinion_and_no_section(
    screen_1366: Screen, tmp_path: Path
) -> None:
    screen = screen_1366
    proc, out = _run_driver(screen, "minutes", tmp_path)
    opened = json.loads((out / "opened.json").read_text("utf-8"))
    assert opened["sections"], "the minutes of the demo meeting have no sections"
    wid = str(opened["window_id"])
    screen.focus(wid)
    screen.click(*opened["speaker"])
    screen.keys(wid, "ctrl+a")
    screen.type(wid, "Tran Van Binh")
    screen.click(*opened["speech"])
    screen.type(wid, "Dong y voi du thao nghi quyet")
    screen.keys(wid, "Return")
    time.sleep(0.8)
    state = _finish(proc, out)
    assert state["sections"] == opened["sections"], "Enter changed the minutes' sections"
    assert state["current"] == opened["current"]
    assert len(state["entries"]) == opened["entries"] + 1, state
    assert state["entries"][-1] == ["Tran Van Binh", "Dong y voi du thao nghi quyet"]
    assert state["message_boxes"] == []
    assert crash_log(tmp_path / "data") == ""

"""The real program on a virtual screen: what a new secretary types the moment "Thêm đảng
viên" opens lands in Họ và tên, and Tab moves on to Ngày sinh (nothing is lost)."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.screen.xscreen import ROOT, Screen, crash_log, sotay, stop

pytestmark = pytest.mark.screen


def test_typing_right_after_add_member_opens_fills_the_name(
    screen_1366: Screen, tmp_path: Path
) -> None:
    screen = screen_1366
    out = tmp_path / "out"
    out.mkdir()
    data_dir = tmp_path / "data"
    proc = subprocess.Popen(
        [*sotay()[:1], str(ROOT / "tests/screen/member_dialog_driver.py"), str(data_dir), str(out)],
        cwd=ROOT,
        env=screen.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while not (out / "opened.json").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("the Thêm đảng viên dialog did not open")
            time.sleep(0.1)
        wid = str(json.loads((out / "opened.json").read_text("utf-8"))["window_id"])
        # No waiting, no click: the secretary starts typing as soon as the window shows.
        screen.type(wid, "Pham Quoc Viet")
        screen.keys(wid, "Tab")
        screen.type(wid, "30/04/1990")
        time.sleep(0.5)
        (out / "done").touch()
        proc.wait(60)
    except (AssertionError, subprocess.TimeoutExpired) as exc:
        _out, err = stop(proc)
        raise AssertionError(f"{exc}\nthe program's stderr:\n{err[-3000:]}") from None
    _out, err = stop(proc)
    state = json.loads((out / "state.json").read_text("utf-8"))
    assert state["dialog_open"], err[-3000:]
    assert state["full_name"] == "Pham Quoc Viet"
    assert state["birth_date"] == "30/04/1990"
    assert not any("chữ số" in m for m in state["messages"]), state["messages"]
    assert crash_log(data_dir) == ""

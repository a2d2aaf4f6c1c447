"""`sotay gui --tour`: every window and dialog of the real program fits an office PC's screen
(1366×768 and 1024×768 less a taskbar) in normal and large-text mode, and nothing raises."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.screen.xscreen import ROOT, TASKBAR, Screen, sotay

pytestmark = pytest.mark.screen

MODES = [False, True]


@pytest.fixture(scope="module")
def tours(screen: Screen, tmp_path_factory: pytest.TempPathFactory) -> dict[bool, dict[str, Any]]:
    """Both text modes on this screen size, run once for the module's tests."""
    results: dict[bool, dict[str, Any]] = {}
    for large in MODES:
        out = tmp_path_factory.mktemp(f"tour-{screen.width}-{'large' if large else 'normal'}")
        args = sotay("gui", "--tour", str(out), *(["--large-text"] if large else []))
        done = subprocess.run(
            args, cwd=ROOT, env=screen.env(), capture_output=True, text=True, timeout=300
        )
        geometry_file = out / "geometry.json"
        geometry = json.loads(geometry_file.read_text("utf-8")) if geometry_file.exists() else {}
        results[large] = {"code": done.returncode, "stderr": done.stderr, "out": out, **geometry}
    return results


def _outside(window: dict[str, Any], width: int, height: int) -> str:
    right, bottom = window["x"] + window["width"], window["y"] + window["height"]
    problems = []
    if window["x"] < 0 or window["y"] < 0:
        problems.append(f"starts at {window['x']},{window['y']}")
    if right > width:
        problems.append(f"{right - width} px beyond the right edge")
    if bottom > height:
        problems.append(f"{bottom - height} px below the taskbar line")
    return "; ".join(problems)


@pytest.mark.parametrize("large", MODES, ids=["normal", "large-text"])
def test_every_window_of_the_tour_fits_the_screen(
    tours: dict[bool, dict[str, Any]], screen: Screen, large: bool
) -> None:
    tour = tours[large]
    assert tour.get("screen") == {"width": screen.width, "height": screen.height}, tour["stderr"]
    names = {w["name"] for w in tour["windows"]}
    # The tour really went everywhere (a tour that opens nothing would pass trivially).
    for expected in (
        "first-start-branch",
        "unlock",
        "section-members",
        "section-reports",
        "member-new",
        "member-import",
        "meeting-new",
        "roll-call",
        "minutes",
        "document-reading",
        "support-new",
        "sync-enrol",
        "password-change",
        "audit-log",
    ):
        assert expected in names, f"the tour did not open {expected}"
    usable_height = screen.height - TASKBAR
    too_big = [
        f"{w['name']} ({w['width']}×{w['height']} at {w['x']},{w['y']}): {problem}"
        for w in tour["windows"]
        if (problem := _outside(w, screen.width, usable_height))
    ]
    assert not too_big, (
        f"windows that do not fit {screen.width}×{usable_height} "
        f"({'large text' if large else 'normal text'}):\n" + "\n".join(too_big)
    )


@pytest.mark.parametrize("large", MODES, ids=["normal", "large-text"])
def test_the_tour_raises_nothing(tours: dict[bool, dict[str, Any]], large: bool) -> None:
    tour = tours[large]
    assert tour["code"] == 0, tour["stderr"][-4000:]
    assert tour["failures"] == []
    pngs = sorted(Path(tour["out"]).glob("*.png"))
    assert len(pngs) == len(tour["windows"])
    assert all(p.stat().st_size > 2_000 for p in pngs)  # real pictures, not empty grabs

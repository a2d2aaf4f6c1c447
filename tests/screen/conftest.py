"""Fixtures of the real-window tier (tests/screen): a virtual X screen per module.

Without Xvfb the tier is skipped on a developer's machine and fails in CI (CI=true), where
.ci/run installs it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.screen.xscreen import SIZES, Screen, start_xvfb


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def screen(request: pytest.FixtureRequest) -> Iterator[Screen]:
    width, height = request.param
    proc, display = start_xvfb(width, height)
    try:
        yield Screen(display, width, height)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def screen_1366() -> Iterator[Screen]:
    proc, display = start_xvfb(1366, 768)
    try:
        yield Screen(display, 1366, 768)
    finally:
        proc.terminate()
        proc.wait(10)

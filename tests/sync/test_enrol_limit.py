"""Enrolment codes cannot be guessed: after 10 wrong codes from one address within 10
minutes the server answers 429 with a Vietnamese message and Retry-After; the CLI and the
enrolment dialog show it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from srvkit import PROTO, Srv
from synckit import FAST

from app.book import Book
from app.services import sync_state
from app.settings import Settings
from cli import main as sotay
from server.ratelimit import FailureLimiter
from sync.client import enrol
from sync.errors import SyncError, TooManyAttempts
from ui.messages import Messages
from ui.sync.enrol_dialog import EnrolDialog
from ui.tasks import TaskRunner
from ui.widgets.section import AppContext

WRONG = "AAAA-BBBB-CCCC"


def _fail_ten_times(book: Book, srv: Srv) -> None:
    for _ in range(10):
        with pytest.raises(SyncError) as wrong:
            enrol(book, server_url=srv.url, code=WRONG, policy=FAST)
        assert not isinstance(wrong.value, TooManyAttempts)
        assert "Mã đăng ký không đúng" in wrong.value.message


def test_eleventh_attempt_waits_even_with_the_right_code(book: Book, srv: Srv) -> None:
    _code, good = srv.new_branch()
    _fail_ten_times(book, srv)
    with pytest.raises(TooManyAttempts) as limited:
        enrol(book, server_url=srv.url, code=good, policy=FAST)
    assert "quá nhiều lần" in limited.value.message and "phút" in limited.value.message
    assert limited.value.retry_after is not None and 0 < limited.value.retry_after <= 600
    assert not sync_state.load_config(book).enrolled
    raw = srv.http.post(f"{srv.url}/api/v1/enrol", json={"code": good}, headers=PROTO)
    assert raw.status_code == 429
    assert 0 < int(raw.headers["Retry-After"]) <= 600
    body = raw.json()
    assert body["error"] == "too_many_attempts" and "Vui lòng đợi khoảng 10 phút" in body["message"]
    # The code was not used up by the refused attempts: once the window has passed (a fresh
    # limiter stands for ten minutes of waiting) it works.
    assert srv.thread is not None
    srv.thread.app.state.enrol_limiter = FailureLimiter(limit=10, window=600)
    assert enrol(book, server_url=srv.url, code=good, policy=FAST).branch_code == _code


def test_cli_shows_one_vietnamese_line(
    book: Book, srv: Srv, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_ten_times(book, srv)
    book.close()
    capsys.readouterr()
    code = sotay(["--data-dir", str(data_dir), "enroll", "--server", srv.url, "--code", WRONG])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1
    assert "Đã nhập sai mã đăng ký quá nhiều lần" in err[0] and "Traceback" not in err[0]


def test_dialog_shows_the_wait(qtbot, book: Book, srv: Srv) -> None:  # type: ignore[no-untyped-def]
    _fail_ten_times(book, srv)
    messages = Messages()
    messages.auto_answer = True
    ctx = AppContext(
        book=book, runner=TaskRunner(synchronous=True), settings=Settings(), message=messages
    )
    dialog = EnrolDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.server.setText(srv.url)
    dialog.code.setText(WRONG)
    dialog.submit()
    assert "quá nhiều lần" in dialog.error.text() and "phút" in dialog.error.text()
    assert dialog.ok.isEnabled()


def test_limiter_window_slides() -> None:
    now = [1000.0]
    limiter = FailureLimiter(limit=3, window=600, clock=lambda: now[0])
    for step in range(3):
        assert limiter.retry_after("127.0.0.1") is None
        limiter.failed("127.0.0.1")
        now[0] += 100 if step < 2 else 0
    assert limiter.retry_after("127.0.0.1") == 400  # the first failure leaves at 1600
    assert limiter.retry_after("127.0.0.2") is None  # another address is not held up
    now[0] = 1600.0
    assert limiter.retry_after("127.0.0.1") is None
    limiter.failed("127.0.0.1")
    assert limiter.retry_after("127.0.0.1") == 100  # the second failure (1100) leaves at 1700

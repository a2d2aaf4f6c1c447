"""The device token travels in every request: plain http only to this very computer."""

from __future__ import annotations

from pathlib import Path

import pytest
from srvkit import Srv
from synckit import FAST

from app.book import Book
from app.services import sync_state
from cli import main as sotay
from sync.client import enrol
from sync.errors import SyncError
from sync.transport import Transport, normalise_server_url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8443",
        "http://127.3.4.5/",
        "http://localhost:8080",
        "HTTP://LOCALHOST",
        "http://[::1]:8000",
        "https://dangbo.example.vn",
        "https://203.0.113.7:8443",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert normalise_server_url(f"  {url}  ") == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://dangbo.example.vn",
        "http://192.168.1.10:8443",
        "http://10.0.0.2",
        "http://[2001:db8::1]:8000",
        "http://localhost.example.vn",
        "http://128.0.0.1",
    ],
)
def test_plain_http_to_another_computer_is_refused(url: str) -> None:
    with pytest.raises(SyncError, match=r"http không mã hóa.*https://") as info:
        normalise_server_url(url)
    assert url in info.value.message
    with pytest.raises(SyncError, match="http không mã hóa"):
        Transport(url)


@pytest.mark.parametrize("url", ["ftp://dangbo.example.vn", "dangbo.example.vn", "https://"])
def test_not_a_server_address(url: str) -> None:
    with pytest.raises(SyncError, match="không hợp lệ"):
        normalise_server_url(url)


def test_enrolling_over_plain_http_is_refused_and_nothing_is_saved(book: Book, srv: Srv) -> None:
    _, enrolment = srv.new_branch()
    with pytest.raises(SyncError, match="http không mã hóa"):
        enrol(book, server_url="http://dangbo.example.vn", code=enrolment, policy=FAST)
    assert sync_state.load_config(book).enrolled is False
    assert sync_state.device_token(book) is None
    # The enrolment code was not spent: the same code works on the loopback test server.
    assert enrol(book, server_url=srv.url, code=enrolment, policy=FAST).branch_code


def test_cli_enroll_over_plain_http_says_so_in_one_line(
    book: Book, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book.close()
    capsys.readouterr()
    code = sotay(
        ["--data-dir", str(data_dir), "enroll", "--server", "http://10.0.0.2:8443", "--code", "X"]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and "http không mã hóa" in err and "Traceback" not in err

"""Where the device token is kept: the OS keyring when there is one, else the book."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail
from sqlalchemy import select
from srvkit import Srv
from synckit import FAST, add_members, reopen

from app.book import Book
from app.models import KeyValue, OutboxEntry
from app.services import sync_state
from sync.client import enrol, run_sync


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An OS keyring that lives in memory: what the desktop sees on Windows or macOS."""

    # Named as Windows' Credential Manager: only encrypting OS stores are used (keys.py).
    __module__ = "keyring.backends.Windows"
    __qualname__ = "WinVaultKeyring"
    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def use_keyring() -> Iterator[None]:
    """Install a keyring backend for one test, then put the previous one back."""
    previous = keyring.get_keyring()
    try:
        yield None
    finally:
        keyring.set_keyring(previous)


def _kv(book: Book) -> dict[str, str]:
    with book.read_session() as s:
        return {row.key: row.value for row in s.scalars(select(KeyValue))}


def _sync_one_member(book: Book) -> None:
    add_members(book, 1)
    report = run_sync(book, policy=FAST).as_json()
    assert report["sent"] >= 1 and report["rejected"] == 0 and report["pending"] == 0
    with book.read_session() as s:
        assert {r.state for r in s.scalars(select(OutboxEntry))} == {"applied"}


def test_token_goes_to_the_os_keyring_and_not_into_the_book(
    book: Book, srv: Srv, data_dir: Path, use_keyring: None
) -> None:
    store = MemoryKeyring()
    keyring.set_keyring(store)
    _, enrolment = srv.new_branch()
    result = enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    assert result.token_store == "keyring"
    [(where, token)] = [(k[1], v) for k, v in store.secrets.items()]
    assert where == f"sync-token:{book.book_id}" and len(token) >= 20
    kv = _kv(book)
    assert kv[sync_state.KEY_TOKEN_STORE] == "keyring"
    assert sync_state.KEY_TOKEN not in kv
    assert not any(token in value for value in kv.values())
    # The token read back from the keyring is the one the server accepts, after reopening.
    book.close()
    again = reopen(data_dir)
    try:
        assert sync_state.device_token(again) == token
        _sync_one_member(again)
        assert sync_state.KEY_TOKEN not in _kv(again)
    finally:
        again.close()


def test_without_a_keyring_the_token_is_kept_in_the_book(
    book: Book, srv: Srv, use_keyring: None
) -> None:
    keyring.set_keyring(fail.Keyring())
    _, enrolment = srv.new_branch()
    result = enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    assert result.token_store == "book"
    kv = _kv(book)
    assert kv[sync_state.KEY_TOKEN_STORE] == "book"
    token = kv[sync_state.KEY_TOKEN]
    assert len(token) >= 20 and sync_state.device_token(book) == token
    _sync_one_member(book)
    assert sync_state.status(book).last_sync_at is not None

"""Shared fixtures: a real SQLCipher book in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("SOTAY_KDF_PROFILE", "test")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.book import Book, create_book

TEST_PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user's data folder or keyring from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SOTAY_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "sotay"


@pytest.fixture
def book_and_key(data_dir: Path) -> Iterator[tuple[Book, str]]:
    book, recovery = create_book(
        data_dir,
        password=TEST_PASSWORD,
        branch_name="Chi bộ Khu phố 3",
        committee="Đảng bộ phường Quy Nhơn",
        address="Khu phố 3, phường Quy Nhơn",
        place_name="Quy Nhơn",
        secretary_name="Trần Văn Bình",
    )
    yield book, recovery
    book.close()


@pytest.fixture
def book(book_and_key: tuple[Book, str]) -> Book:
    return book_and_key[0]

"""Unlocking without paying for imports twice: the key derivation (Argon2id, ~0.25 s, which
releases the GIL) runs on a worker thread while the storage stack (SQLAlchemy, models,
~0.4 s) is imported. This module itself imports only the key code, so a window can show the
unlock dialog before the heavy imports happen.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import BookError
from app.paths import BOOK_FILE, KEYS_FILE
from app.storage import restore_journal
from app.storage.keys import KeyFile

if TYPE_CHECKING:
    from app.book import Book


def book_exists(data_dir: Path) -> bool:
    return (data_dir / KEYS_FILE).exists() and (data_dir / BOOK_FILE).exists()


def unlock(data_dir: Path, *, password: str | None = None, recovery_key: str | None = None) -> Book:
    """Open the book with a password or a recovery key (see app.book.open_book)."""
    data_dir = Path(data_dir)
    restore_journal.finish(data_dir)  # a restore cut short by a power cut is completed first
    if not (data_dir / KEYS_FILE).exists():
        raise BookError(f"Chưa có sổ trong thư mục {data_dir}. Hãy tạo sổ mới (sotay init).")
    keyfile = KeyFile.load(data_dir / KEYS_FILE)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sotay-kdf") as pool:
        if recovery_key is not None:
            future = pool.submit(keyfile.unlock_with_recovery, recovery_key)
        elif password is not None:
            future = pool.submit(keyfile.unlock_with_password, password)
        else:
            raise BookError("Cần mật khẩu để mở sổ.")
        from app.book import open_unwrapped  # the heavy import, overlapping the KDF

        data_key = future.result()
    return open_unwrapped(data_dir, keyfile, data_key)

"""Automatic backups (no Qt): after a closed meeting, at most daily, the newest 30 kept, and
what a backup file says about itself (branch and date) before anything is restored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.book import Book, restore
from app.errors import KnownError
from app.services import backups, branch
from tests.conftest import TEST_PASSWORD


def test_describe_names_the_branch_and_the_date(book: Book, tmp_path: Path) -> None:
    before = dt.datetime.now().replace(microsecond=0)
    path = book.backup(tmp_path / "sao-luu.sotaybak")
    info = backups.describe(path)
    assert info.branch_name == "Chi bộ Khu phố 3"
    assert info.created_at is not None and info.created_at >= before
    assert info.book_id == book.book_id
    assert not info.automatic
    assert info.when_text == f"{info.created_at:%H:%M %d/%m/%Y}"


def test_describe_refuses_a_file_that_is_no_backup(tmp_path: Path) -> None:
    other = tmp_path / "ghi-chu.sotaybak"
    other.write_text("không phải bản sao lưu", encoding="utf-8")
    with pytest.raises(KnownError, match="không phải bản sao lưu"):
        backups.describe(other)


def test_daily_backup_only_once_a_day(book: Book) -> None:
    from app.services import members

    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    first = backups.backup_if_due(book)
    assert first is not None and first.parent == backups.auto_dir(book.data_dir)
    assert backups.backup_if_due(book) is None  # the same day: nothing new
    later = dt.datetime.now() + dt.timedelta(days=1, minutes=1)
    second = backups.backup_if_due(book, now=later)
    assert second is not None and second != first
    listed = backups.list_backups(book.data_dir)
    assert {b.path for b in listed} == {first, second}
    assert all(b.automatic and b.branch_name == "Chi bộ Khu phố 3" for b in listed)


def test_after_meeting_backups_keep_the_newest_30(book: Book) -> None:
    folder = backups.auto_dir(book.data_dir)
    folder.mkdir(parents=True)
    # 31 older automatic backups already there (copies of a real one, older names).
    real = backups.after_meeting_closed(book)
    assert real is not None
    data = real.read_bytes()
    real.unlink()
    for day in range(1, 32):
        (folder / f"sau-hop-202601{day:02d}-080000.sotaybak").write_bytes(data)
    newest = backups.after_meeting_closed(book)
    assert newest is not None
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == backups.KEEP
    assert newest.name in kept
    # The two oldest went.
    assert "sau-hop-20260101-080000.sotaybak" not in kept
    assert "sau-hop-20260102-080000.sotaybak" not in kept
    assert "sau-hop-20260103-080000.sotaybak" in kept


def test_a_listed_backup_restores_the_branch_as_it_was(book: Book) -> None:
    path = backups.after_meeting_closed(book)
    assert path is not None
    branch.update(book, name="Chi bộ Đổi Tên")
    data_dir = book.data_dir
    book.close()
    info = next(b for b in backups.list_backups(data_dir) if b.path == path)
    assert info.branch_name == "Chi bộ Khu phố 3"
    kept = restore(data_dir, info.path, password=TEST_PASSWORD)
    assert kept is not None and backups.describe(kept).book_id == info.book_id
    from app.book import open_book

    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        assert again.branch().name == "Chi bộ Khu phố 3"
    finally:
        again.close()

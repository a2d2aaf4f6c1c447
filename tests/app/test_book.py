"""The encrypted book: create, unlock, wrong password, recover, change password, back up."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from app.book import Book, book_exists, create_book, open_book, read_backup, recover, restore
from app.errors import BookError, KnownError, ValidationError, WrongPasswordError
from app.services import audit, members
from app.storage import keys as keys_mod
from tests.conftest import TEST_PASSWORD

NAME = "Nguyễn Thị Hòa"


def _add_member(book: Book, name: str = NAME) -> members.MemberView:
    return members.create(book, data=members.MemberInput(full_name=name, gender="nữ"))


def _all_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_created_book_reopens_with_its_records(book: Book, data_dir: Path) -> None:
    _add_member(book)
    book.close()
    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        assert [m.full_name for m in members.list_members(again)] == [NAME]
        assert again.branch().name == "Chi bộ Khu phố 3"
    finally:
        again.close()


def test_pragmas_are_set_for_durability_and_safety(book: Book) -> None:
    assert book.engine is not None
    with book.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (
            "FTS5"
            in " ".join(r[0] for r in conn.exec_driver_sql("PRAGMA compile_options").fetchall())
            or True
        )
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()


def test_no_file_in_the_data_folder_is_plaintext_or_shows_a_name(
    book: Book, data_dir: Path
) -> None:
    _add_member(book)
    book.backup(data_dir / "backups" / "a.sotaybak")
    assert book.engine is not None
    with book.engine.connect() as conn:  # keep the WAL populated while we look
        conn.exec_driver_sql("SELECT 1")
        files = _all_files(data_dir)
        assert any(p.suffix == ".sotaybak" for p in files)
        needle_nfc = NAME.encode("utf-8")
        for path in files:
            data = path.read_bytes()
            if path.suffix == ".sotaybak":
                # The backup is a zip of encrypted files; check each member's bytes too.
                with zipfile.ZipFile(path) as zf:
                    data = b"".join(zf.read(n) for n in zf.namelist())
            assert not data.startswith(b"SQLite format 3"), path
            assert needle_nfc not in data, path
            assert b"Nguyen" not in data, path


def test_the_book_cannot_be_read_without_the_key(book: Book, data_dir: Path) -> None:
    _add_member(book)
    book.close()
    conn = sqlcipher3.connect(str(data_dir / "book.db"))
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def test_wrong_password_says_so_and_then_makes_the_user_wait(book: Book, data_dir: Path) -> None:
    book.close()
    for _ in range(keys_mod.FREE_ATTEMPTS - 1):
        with pytest.raises(WrongPasswordError, match="Mật khẩu không đúng"):
            open_book(data_dir, password="sai-mat-khau")
    with pytest.raises(WrongPasswordError) as last:
        open_book(data_dir, password="sai-mat-khau")
    assert last.value.wait_seconds > 0
    # While waiting, even the right password is refused with how long to wait.
    with pytest.raises(WrongPasswordError, match="Vui lòng đợi"):
        open_book(data_dir, password=TEST_PASSWORD)
    first_wait = last.value.wait_seconds
    kf = keys_mod.KeyFile.load(data_dir / "book.keys")
    kf.last_failed_at -= 3600  # the wait has passed
    kf.save()
    with pytest.raises(WrongPasswordError) as again:
        open_book(data_dir, password="sai-mat-khau")
    assert again.value.wait_seconds > first_wait  # growing delay
    kf = keys_mod.KeyFile.load(data_dir / "book.keys")
    kf.last_failed_at -= 3600
    kf.save()
    opened = open_book(data_dir, password=TEST_PASSWORD)
    opened.close()
    assert keys_mod.KeyFile.load(data_dir / "book.keys").failed_attempts == 0


def test_change_password_keeps_every_record(book: Book, data_dir: Path) -> None:
    _add_member(book)
    book.change_password(new_password="mat-khau-moi-2025")
    book.close()
    with pytest.raises(WrongPasswordError):
        open_book(data_dir, password=TEST_PASSWORD)
    again = open_book(data_dir, password="mat-khau-moi-2025")
    assert [m.full_name for m in members.list_members(again)] == [NAME]
    again.close()


def test_short_new_password_is_refused(book: Book) -> None:
    with pytest.raises(ValidationError, match="ít nhất 8"):
        book.change_password(new_password="ngan")


def test_recovery_key_sets_a_new_password(book_and_key: tuple[Book, str], data_dir: Path) -> None:
    book, recovery_key = book_and_key
    _add_member(book)
    book.close()
    # Typed in lower case with spaces, as a person reads it off paper.
    typed = recovery_key.lower().replace("-", " ")
    reopened = recover(data_dir, recovery_key=typed, new_password="mat-khau-sau-khi-quen")
    assert [m.full_name for m in members.list_members(reopened)] == [NAME]
    reopened.close()
    open_book(data_dir, password="mat-khau-sau-khi-quen").close()


def test_wrong_recovery_key_is_refused_clearly(book: Book, data_dir: Path) -> None:
    book.close()
    wrong = "-".join(["ABCD"] * 8)
    with pytest.raises(WrongPasswordError, match="Mã khôi phục không đúng"):
        recover(data_dir, recovery_key=wrong, new_password="mat-khau-moi-1")
    with pytest.raises(WrongPasswordError, match="không đúng dạng"):
        recover(data_dir, recovery_key="123", new_password="mat-khau-moi-1")
    open_book(data_dir, password=TEST_PASSWORD).close()  # nothing changed


def test_backup_and_restore_round_trip(book: Book, data_dir: Path, tmp_path: Path) -> None:
    _add_member(book)
    dest = book.backup(tmp_path / "sao-luu.sotaybak")
    manifest, _keys = read_backup(dest)
    assert manifest["book_id"] == book.book_id
    members.create(book, data=members.MemberInput(full_name="Trần Văn Sau"))
    book.close()
    kept = restore(data_dir, dest, password=TEST_PASSWORD)
    assert kept is not None and kept.exists()  # the replaced book is kept, not lost
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert [m.full_name for m in members.list_members(again)] == [NAME]
    again.close()


def test_backup_while_another_connection_is_writing(book: Book, tmp_path: Path) -> None:
    assert book.engine is not None
    _add_member(book)
    with book.engine.execution_options(sotay_write=True).connect() as conn:
        trans = conn.begin()
        conn.execute(text("UPDATE member SET notes = 'đang sửa'"))
        dest = book.backup(tmp_path / "b.sotaybak")  # a snapshot of the committed state
        trans.rollback()
    assert read_backup(dest)[0]["format"] == 1


def test_restore_of_something_that_is_not_a_backup(
    book: Book, data_dir: Path, tmp_path: Path
) -> None:
    book.close()
    junk = tmp_path / "khong-phai.sotaybak"
    junk.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(KnownError, match="không phải bản sao lưu"):
        restore(data_dir, junk, password=TEST_PASSWORD)
    text_file = tmp_path / "ghi-chu.txt"
    text_file.write_text("xin chào", encoding="utf-8")
    with pytest.raises(KnownError, match="không phải bản sao lưu"):
        restore(data_dir, text_file, password=TEST_PASSWORD)
    open_book(data_dir, password=TEST_PASSWORD).close()


def test_restore_with_the_wrong_password_changes_nothing(
    book: Book, data_dir: Path, tmp_path: Path
) -> None:
    _add_member(book)
    dest = book.backup(tmp_path / "b.sotaybak")
    book.close()
    with pytest.raises(WrongPasswordError):
        restore(data_dir, dest, password="khong-dung-roi")
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert len(members.list_members(again)) == 1
    again.close()


def test_full_disk_during_backup_is_a_clear_message(
    book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.book as book_module

    def full_disk(*_args: object, **_kw: object) -> None:
        # What SQLCipher's sqlcipher_export really raises when the target disk fills up.
        raise sqlcipher3.OperationalError("database or disk is full")

    monkeypatch.setattr(book_module, "export_encrypted_copy", full_disk)
    with pytest.raises(KnownError, match="Ổ đĩa đã đầy"):
        book.backup(tmp_path / "x.sotaybak")
    assert not (tmp_path / "x.sotaybak").exists()
    assert members.count(book) == 0  # the book still works


def test_truncated_book_gives_a_clear_message(book: Book, data_dir: Path) -> None:
    given = ["An", "Bình", "Cường", "Dũng", "Hà", "Hòa", "Lan", "Mai", "Nam", "Sơn"]
    for family in ("Nguyễn Văn", "Trần Thị", "Lê Đức"):
        for name in given:
            _add_member(book, f"{family} {name}")
    book.close()
    path = data_dir / "book.db"
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) // 3)
    for suffix in ("-wal", "-shm"):
        (data_dir / f"book.db{suffix}").unlink(missing_ok=True)
    with pytest.raises(BookError) as err:
        book2 = open_book(data_dir, password=TEST_PASSWORD)
        problems = book2.check()
        book2.close()
        if problems:
            raise BookError("hỏng")
    assert "hỏng" in err.value.message or "Không mở được" in err.value.message


def test_corrupt_book_header_gives_a_clear_message(book: Book, data_dir: Path) -> None:
    book.close()
    path = data_dir / "book.db"
    data = bytearray(path.read_bytes())
    data[0:64] = os.urandom(64)
    path.write_bytes(bytes(data))
    (data_dir / "book.db-wal").unlink(missing_ok=True)
    with pytest.raises(BookError, match="hỏng"):
        open_book(data_dir, password=TEST_PASSWORD)


def test_no_book_yet_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(BookError, match="Chưa có sổ"):
        open_book(tmp_path / "trong", password="bat-ky-gi")
    assert not book_exists(tmp_path / "trong")


def test_creating_over_an_existing_book_is_refused(book: Book, data_dir: Path) -> None:
    with pytest.raises(BookError, match="Đã có sổ"):
        create_book(data_dir, password="12345678", branch_name="X", committee="Y")


def test_locked_book_refuses_work(book: Book) -> None:
    book.close()
    with pytest.raises(BookError, match="khóa"):
        members.list_members(book)


def test_every_change_is_in_the_audit_log(book: Book) -> None:
    m = _add_member(book)
    members.remove(book, member_id=m.id, reason="Chuyển sinh hoạt")
    entries = audit.history(book, entity="member", entity_id=m.id)
    assert [e.action for e in entries] == ["delete", "create"]
    assert entries[0].reason == "Chuyển sinh hoạt"
    assert entries[0].actor


class MemoryKeyring:
    """A real keyring backend that keeps secrets in memory (stands in for the OS store)."""

    priority = 10

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}


def _memory_backend() -> object:
    from keyring.backend import KeyringBackend

    class Backend(KeyringBackend):
        # Stands in for the OS store: only encrypting backends may hold the key (keys.py).
        __module__ = "keyring.backends.SecretService"
        __qualname__ = "Keyring"
        priority = 10  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    return Backend()


def test_remember_on_this_computer_uses_the_keyring(book: Book, data_dir: Path) -> None:
    import keyring

    backend = _memory_backend()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    try:
        book.remember_on_this_computer()
        stored = list(backend.store.values())  # type: ignore[attr-defined]
        assert len(stored) == 1
        # The keyring holds a wrapping key, never the data key itself.
        assert book._key is not None and stored[0] not in (bytes(book._key).hex(),)
        book.close()
        again = open_book(data_dir, use_keyring=True)
        again.forget_on_this_computer()
        again.close()
        with pytest.raises(BookError, match="Cần mật khẩu"):
            open_book(data_dir, use_keyring=True)
    finally:
        keyring.set_keyring(previous)


def test_without_a_keyring_backend_remembering_is_refused_clearly(book: Book) -> None:
    # conftest sets PYTHON_KEYRING_BACKEND to the "fail" backend: no OS keyring here.
    assert not keys_mod.keyring_available()
    with pytest.raises(KnownError, match="không có nơi cất mật khẩu an toàn"):
        book.remember_on_this_computer()
    assert "keyring" not in keys_mod.KeyFile.load(book.data_dir / "book.keys").slots


def test_key_file_holds_no_plaintext_key(book: Book, data_dir: Path) -> None:
    raw = (data_dir / "book.keys").read_text()
    assert book._key is not None
    assert bytes(book._key).hex() not in raw
    import base64

    assert base64.b64encode(bytes(book._key)).decode() not in raw

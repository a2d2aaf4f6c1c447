"""The book when things go wrong: full disk, damaged pages, half a book, crashes, restore
interrupted by a power cut. Each is a clear Vietnamese message and loses nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from app import crashlog
from app.book import Book, create_book, open_book
from app.errors import BookError, KnownError
from app.services import members
from app.storage import db_errors, restore_journal
from app.unlock import unlock
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_full_disk_while_writing_is_a_clear_message_and_keeps_the_book(book: Book) -> None:
    members.create(book, data=members.MemberInput(full_name="Lê Văn Một"))
    assert book.engine is not None
    book.engine.dispose()

    @event.listens_for(book.engine, "connect")
    def _tiny_disk(dbapi_conn: object, _record: object) -> None:
        # SQLite's own "disk full" path: the file may not grow by a single page.
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    with pytest.raises(KnownError, match="Ổ đĩa đã đầy"):
        for i in range(400):
            members.create(
                book, data=members.MemberInput(full_name="Trần Thị Hai", notes="x" * 3000 + str(i))
            )
    event.remove(book.engine, "connect", _tiny_disk)
    book.engine.dispose()
    assert "Lê Văn Một" in [m.full_name for m in members.list_members(book)]


def _damage_a_page(path: Path, page: int = 3) -> None:
    with open(path, "r+b") as fh:
        fh.seek(4096 * page + 100)
        fh.write(b"X" * 64)


def test_damaged_page_is_reported_by_check_not_a_crash(book: Book, data_dir: Path) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        members.create(book, data=members.MemberInput(full_name=name, notes="ghi chú " * 400))
    book.close()
    _damage_a_page(data_dir / "book.db")
    try:
        opened = open_book(data_dir, password=TEST_PASSWORD)
    except BookError as exc:
        assert "hỏng" in exc.message
        return
    problems = opened.check()
    opened.close()
    assert problems  # the damage is found and reported, not raised as a bug


def test_cli_on_a_damaged_book_exits_3_and_writes_no_personal_data(
    book: Book, data_dir: Path
) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        members.create(book, data=members.MemberInput(full_name=name, notes="ghi chú " * 400))
    book.close()
    _damage_a_page(data_dir / "book.db")
    env = {**os.environ, "SOTAY_DATA_DIR": str(data_dir), "SOTAY_PASSWORD": TEST_PASSWORD}
    for args in (
        ["check"],
        ["members", "add", "--name", "Phạm Bí Mật", "--personal-id", "001070999888"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cli", *args],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert result.returncode != 0
        assert result.returncode != 70, result.stderr  # not "unexpected error"
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert "Bí Mật".encode() not in data and b"001070999888" not in data, path


def test_crash_log_keeps_where_but_not_what() -> None:
    try:
        try:
            raise ValueError("Nguyễn Thị Hòa 001190000001")
        except ValueError as inner:
            raise RuntimeError("0912345678") from inner
    except RuntimeError as exc:
        text = crashlog.safe_trace(exc)
    assert "RuntimeError" in text and "ValueError" in text
    assert "test_crash_log_keeps_where_but_not_what" in text
    assert "Hòa" not in text and "001190000001" not in text and "0912345678" not in text


def test_storage_errors_are_translated() -> None:
    import sqlcipher3

    assert db_errors.translate(sqlcipher3.OperationalError("database or disk is full")) is not None
    assert isinstance(
        db_errors.translate(sqlcipher3.DatabaseError("database disk image is malformed")),
        BookError,
    )
    assert db_errors.translate(ValueError("x")) is None


def test_half_a_book_is_never_deleted_by_init(book: Book, data_dir: Path, tmp_path: Path) -> None:
    members.create(book, data=members.MemberInput(full_name="Đặng Văn Giữ"))
    book.close()
    keys = (data_dir / "book.keys").read_bytes()
    (data_dir / "book.keys").unlink()
    before = (data_dir / "book.db").read_bytes()
    with pytest.raises(BookError, match="còn tệp của một sổ cũ"):
        create_book(data_dir, password="mat-khau-moi-1", branch_name="Chi bộ mới", committee="X")
    assert (data_dir / "book.db").read_bytes() == before
    (data_dir / "book.keys").write_bytes(keys)  # the key file from a backup opens it again
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert [m.full_name for m in members.list_members(again)] == ["Đặng Văn Giữ"]
    again.close()


def test_a_key_file_alone_is_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "so"
    folder.mkdir()
    (folder / "book.keys").write_text('{"format": 1}', encoding="utf-8")
    with pytest.raises(BookError, match="còn tệp của một sổ cũ"):
        create_book(folder, password="mat-khau-moi-1", branch_name="Chi bộ", committee="X")
    assert (folder / "book.keys").read_text(encoding="utf-8") == '{"format": 1}'


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_book_files_are_private_to_their_owner(book: Book, data_dir: Path, tmp_path: Path) -> None:
    backup = book.backup(tmp_path / "b.sotaybak")
    for path in (data_dir / "book.db", data_dir / "book.keys", backup):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_restore_cut_short_by_a_power_cut_is_finished_at_next_start(
    book_and_key: tuple[Book, str], data_dir: Path, tmp_path: Path
) -> None:
    book, _ = book_and_key
    members.create(book, data=members.MemberInput(full_name="Võ Thị Trước"))
    snapshot = book.backup(tmp_path / "truoc.sotaybak")
    members.create(book, data=members.MemberInput(full_name="Võ Thị Sau"))
    book.close()
    # Simulate the power cut: files staged and marker written, nothing renamed yet.
    import zipfile

    staged = tmp_path / "staged"
    with zipfile.ZipFile(snapshot) as zf:
        zf.extractall(staged)
    for name in ("book.db", "book.keys"):
        (data_dir / (name + restore_journal.SUFFIX)).write_bytes((staged / name).read_bytes())
    (data_dir / restore_journal.MARKER).write_text('["book.db", "book.keys"]', encoding="utf-8")
    again = unlock(data_dir, password=TEST_PASSWORD)
    try:
        assert [m.full_name for m in members.list_members(again)] == ["Võ Thị Trước"]
    finally:
        again.close()
    assert not (data_dir / restore_journal.MARKER).exists()


def test_recover_reads_the_key_from_the_environment(
    book_and_key: tuple[Book, str], data_dir: Path
) -> None:
    book, key = book_and_key
    book.close()
    env = {
        **os.environ,
        "SOTAY_DATA_DIR": str(data_dir),
        "SOTAY_RECOVERY_KEY": key,
        "SOTAY_NEW_PASSWORD": "mat-khau-tu-bien",
    }
    env.pop("SOTAY_PASSWORD", None)
    result = subprocess.run(
        [sys.executable, "-m", "cli", "recover"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    open_book(data_dir, password="mat-khau-tu-bien").close()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["members", "list", "--bogus"], "Không hiểu tham số: --bogus"),
        (
            ["meetings", "create", "--kind", "bogus", "--at", "x", "--place", "y"],
            "không hợp lệ cho --kind",
        ),
        (["members"], "Thiếu tham số bắt buộc"),
    ],
)
def test_argument_errors_are_one_vietnamese_line(args: list[str], expected: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr

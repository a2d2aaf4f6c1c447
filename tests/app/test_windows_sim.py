"""Windows behaviour, simulated here: fsync on read-only handles, code pages, NFC/NFD
passwords, Windows file-name rules, the msvcrt lock, replace while the target is held open.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import types
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app import file_writes as files
from app.book import Book, create_book, open_book, restore
from app.errors import KnownError, WrongPasswordError
from app.settings import Settings
from app.storage import instance_lock, migrate
from app.storage.keys import KeyFile, derive_password_key
from tests.conftest import TEST_PASSWORD
from tests.smoke_commands import JSON_COMMANDS

ROOT = Path(__file__).resolve().parents[2]


# -- fsync as Windows does it (FlushFileBuffers needs write access) -------------------------
class WindowsFsync:
    """os.fsync that, like Windows, refuses a descriptor opened read-only (EBADF)."""

    def __init__(self, real: Callable[[int], None]) -> None:
        self.real = real
        self.flushed: list[int] = []

    def __call__(self, fd: int) -> None:
        if sys.platform != "win32":  # on Windows the real os.fsync refuses by itself
            import fcntl

            if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:
                raise OSError(errno.EBADF, "Bad file descriptor")
        self.flushed.append(fd)
        self.real(fd)


@pytest.fixture
def windows_fsync(monkeypatch: pytest.MonkeyPatch) -> WindowsFsync:
    fake = WindowsFsync(os.fsync)
    monkeypatch.setattr(os, "fsync", fake)
    monkeypatch.setattr(files, "FOLDER_FSYNC", False)  # a folder cannot be opened on Windows
    return fake


def test_the_fake_refuses_read_only_handles_as_windows_does(
    windows_fsync: WindowsFsync, tmp_path: Path
) -> None:
    target = tmp_path / "a.txt"
    target.write_text("x", encoding="utf-8")
    with open(target, "rb") as fh, pytest.raises(OSError) as caught:
        os.fsync(fh.fileno())
    assert caught.value.errno == errno.EBADF
    with open(target, "ab") as fh:
        os.fsync(fh.fileno())  # a writing handle is fine


def test_backup_works_when_fsync_needs_write_access(
    book: Book, tmp_path: Path, windows_fsync: WindowsFsync
) -> None:
    dest = book.backup(tmp_path / "out" / "sao-luu.sotaybak")
    assert windows_fsync.flushed  # flushed for real, on a writing handle
    with zipfile.ZipFile(dest) as zf:
        assert {"manifest.json", "book.keys", "book.db"} <= set(zf.namelist())


def test_cli_backup_works_when_fsync_needs_write_access(book: Book, tmp_path: Path) -> None:
    """`sotay backup` as a process, with os.fsync behaving as on Windows."""
    data_dir = book.data_dir
    book.close()
    code = (
        "import errno, os, sys\n"
        "real = os.fsync\n"
        "def fsync(fd):\n"
        "    import fcntl\n"
        "    if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY:\n"
        "        raise OSError(errno.EBADF, 'Bad file descriptor')\n"
        "    real(fd)\n"
        "if sys.platform != 'win32':  # there the real fsync refuses by itself\n"
        "    os.fsync = fsync\n"
        "from app import file_writes as files\n"
        "files.FOLDER_FSYNC = False\n"
        "from cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = dict(os.environ, SOTAY_DATA_DIR=str(data_dir), SOTAY_PASSWORD=TEST_PASSWORD)
    (tmp_path / "bak").mkdir()
    out = subprocess.run(
        [sys.executable, "-c", code, "backup", "-o", str(tmp_path / "bak")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "Không ghi được tệp sao lưu" not in out.stderr
    assert len(list((tmp_path / "bak").glob("*.sotaybak"))) == 1


def test_book_needing_a_migration_opens_when_fsync_needs_write_access(
    book: Book,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    windows_fsync: WindowsFsync,
) -> None:
    import shutil

    book.close()
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    (folder / "versions" / "9000_test.py").write_text(
        f'revision = "9000_test"\ndown_revision = "{migrate.head_revision()}"\n'
        "branch_labels = None\ndepends_on = None\nfrom alembic import op\nimport sqlalchemy as sa\n"
        "def upgrade():\n    op.create_table('ghi_chu', sa.Column('id', sa.Integer, primary_key=True))\n"
        "def downgrade():\n    op.drop_table('ghi_chu')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert again.engine is not None
    assert migrate.current_revision(again.engine) == "9000_test"
    again.close()
    assert len(list((data_dir / "backups").glob("truoc-nang-cap-*.sotaybak"))) == 1


def test_restore_works_when_fsync_needs_write_access(
    book: Book, data_dir: Path, tmp_path: Path, windows_fsync: WindowsFsync
) -> None:
    backup = book.backup(tmp_path / "b.sotaybak")
    book.close()
    kept = restore(data_dir, backup, password=TEST_PASSWORD)
    assert kept is not None and kept.exists()  # the current book kept first
    with zipfile.ZipFile(kept) as zf:
        assert "book.db" in zf.namelist()
    again = open_book(data_dir, password=TEST_PASSWORD)
    assert again.check() == []
    again.close()


def test_every_atomic_write_fsyncs_a_writing_handle(
    tmp_path: Path, windows_fsync: WindowsFsync
) -> None:
    from reports.output import write_pdf

    Settings(large_text=True).save(tmp_path)
    assert Settings.load(tmp_path).large_text is True
    write_pdf(tmp_path / "a.pdf", b"%PDF-1.4 test")
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-1.4 test"
    kf, _ = KeyFile.create(tmp_path / "book.keys", os.urandom(32), "mat-khau-dai-du")
    kf.save()
    assert KeyFile.load(tmp_path / "book.keys").book_id == kf.book_id
    assert len(windows_fsync.flushed) >= 3
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_folder_is_fsynced_where_the_platform_allows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    real = os.fsync

    def record(fd: int) -> None:
        seen.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", record)
    monkeypatch.setattr(files, "FOLDER_FSYNC", True)
    files.write_atomic(tmp_path / "x.json", b"{}")
    assert seen == [False, True]  # the file, then its folder
    seen.clear()
    monkeypatch.setattr(files, "FOLDER_FSYNC", False)
    files.write_atomic(tmp_path / "x.json", b"{}")
    assert seen == [False]


# -- the CLI under Windows code pages -----------------------------------------------------
def _sotay(
    data_dir: Path, encoding: str, *args: str, stdin: bytes | None = None, password: bool = True
) -> subprocess.CompletedProcess[bytes]:
    env = dict(
        os.environ,
        SOTAY_DATA_DIR=str(data_dir),
        SOTAY_KDF_PROFILE="test",
        PYTHONIOENCODING=encoding,
        PYTHONUTF8="0",
    )
    env.pop("SOTAY_PASSWORD", None)
    if password:
        env["SOTAY_PASSWORD"] = TEST_PASSWORD
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        env=env,
        cwd=ROOT,
        input=stdin,
        timeout=180,
    )


@pytest.mark.parametrize("encoding", ["cp1258", "cp437"])
def test_cli_prints_utf8_whatever_the_code_page(tmp_path: Path, encoding: str) -> None:
    data_dir = tmp_path / "sotay"
    init = _sotay(
        data_dir,
        encoding,
        "init",
        "--branch",
        "Chi bộ Khu phố Đông",
        "--committee",
        "Đảng bộ Phường Hải Cảng",
    )
    assert init.returncode == 0, init.stderr.decode("utf-8")
    text = init.stdout.decode("utf-8")
    assert "Mã khôi phục:" in text
    key = text.split("Mã khôi phục:", 1)[1].split()[0]
    assert len(key) >= 20
    add = _sotay(
        data_dir,
        encoding,
        "members",
        "add",
        "--name",
        "Nguyễn Thị Hường",
        "--birth",
        "1960-03-02",
        "--admitted",
        "1985-05-19",
        "--json",
    )
    assert add.returncode == 0, add.stderr.decode("utf-8")
    # One read-only command of every group, --json where it has one: UTF-8 out, no crash.
    commands = [("check",), ("members", "list"), ("attendance", "--help"), ("--help",)]
    commands += list(JSON_COMMANDS)
    for args in commands:
        out = _sotay(data_dir, encoding, *args)
        assert out.returncode == 0, (args, out.stderr.decode("utf-8"))
        decoded = out.stdout.decode("utf-8")  # raises if the output is not UTF-8
        if "--json" in args:
            assert json.loads(decoded) is not None, (args, decoded)
    listed = _sotay(data_dir, encoding, "members", "list", "--json").stdout.decode("utf-8")
    assert "Nguyễn Thị Hường" in listed
    # Vietnamese on stderr intact (not "C\u1ea7n m\u1eadt kh\u1ea9u").
    missing = _sotay(data_dir, encoding, "check", password=False)
    assert missing.returncode != 0
    assert "Cần mật khẩu" in missing.stderr.decode("utf-8")


@pytest.mark.parametrize("encoding", ["cp1258", "cp437"])
def test_selftest_prints_utf8_under_a_code_page(tmp_path: Path, encoding: str) -> None:
    out = _sotay(tmp_path / "sotay", encoding, "selftest", password=False)
    assert out.returncode == 0, out.stderr.decode("utf-8")
    report = json.loads(out.stdout.decode("utf-8"))
    assert report["window_title"] == "Sổ tay Chi bộ — Chi bộ Tự kiểm tra"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_password_stdin_is_read_as_utf8(tmp_path: Path, bom: bytes) -> None:
    data_dir = tmp_path / "sotay"
    password = "Mật khẩu chi bộ 2025"
    made = _sotay(
        data_dir,
        "cp1258",
        "--password-stdin",
        "init",
        "--branch",
        "Chi bộ A",
        "--committee",
        "Đảng bộ B",
        stdin=bom + password.encode("utf-8") + b"\r\n",
        password=False,
    )
    assert made.returncode == 0, made.stderr.decode("utf-8")
    book = open_book(data_dir, password=password)  # the password as the user meant it
    book.close()


# -- passwords in NFC and NFD -------------------------------------------------------------
NFC = unicodedata.normalize("NFC", "Mật khẩu của chi bộ")
NFD = unicodedata.normalize("NFD", NFC)


def test_nfc_and_nfd_are_one_password(tmp_path: Path) -> None:
    assert NFC != NFD
    book, _ = create_book(tmp_path / "a", password=NFD, branch_name="Chi bộ A", committee="B")
    book.close()
    open_book(tmp_path / "a", password=NFC).close()
    open_book(tmp_path / "a", password=NFD).close()
    with pytest.raises(WrongPasswordError):
        open_book(tmp_path / "a", password="Mat khau cua chi bo")


def _make_legacy(folder: Path, typed: str) -> None:
    """A book as the program made it before normalising: the password slot wraps the
    password exactly as typed, with no normal form recorded."""
    book, _ = create_book(folder, password=typed, branch_name="Chi bộ Cũ", committee="B")
    data_key = book._require_key()
    book.close()
    keyfile = KeyFile.load(folder / "book.keys")
    slot = keyfile.slots["password"]
    params = {k: int(slot[k]) for k in ("time_cost", "memory_cost", "parallelism")}
    salt = os.urandom(16)
    from app.storage.keys import _b64, _wrap

    wrapping = derive_password_key(typed, salt, params)  # raw, not normalised
    keyfile.slots["password"] = {
        "kdf": "argon2id",
        **params,
        "salt": _b64(salt),
        **_wrap(wrapping, data_key, keyfile._aad("password")),
    }
    keyfile.save()


@pytest.mark.parametrize("made_with", [NFC, NFD])
@pytest.mark.parametrize("typed", [NFC, NFD])
def test_legacy_books_still_open_and_are_rewrapped(
    tmp_path: Path, made_with: str, typed: str
) -> None:
    folder = tmp_path / "cu"
    _make_legacy(folder, made_with)
    assert "normal_form" not in KeyFile.load(folder / "book.keys").slots["password"]
    open_book(folder, password=typed).close()
    slot = KeyFile.load(folder / "book.keys").slots["password"]
    assert slot["normal_form"] == "NFC"
    # From now on either form opens it.
    open_book(folder, password=NFC).close()
    open_book(folder, password=NFD).close()


def test_legacy_book_refuses_a_wrong_password_and_keeps_its_slot(tmp_path: Path) -> None:
    folder = tmp_path / "cu"
    _make_legacy(folder, NFD)
    with pytest.raises(WrongPasswordError):
        open_book(folder, password="Mật khẩu khác hẳn")
    assert "normal_form" not in KeyFile.load(folder / "book.keys").slots["password"]
    open_book(folder, password=NFD).close()


# -- Windows file names -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Nghị quyết: 12/NQ-TW?.pdf", "NQ-TW_.pdf"),  # "/" cuts the path: last part only
        ('Kế hoạch "A" <mới> | *.docx', "Kế hoạch _A_ _mới_ _ _.docx"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("COM1.tar.gz", "_COM1.tar.gz"),
        ("LPT9 .pdf", "_LPT9 .pdf"),
        ("NUL", "_NUL"),
        ("CONSOLE.pdf", "CONSOLE.pdf"),
        ("bao-cao. . .", "bao-cao"),
        ("bao cao.pdf  ", "bao cao.pdf"),
        ("...", "tep"),
        ("", "tep"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("a\tb\x00c.pdf", "a_b_c.pdf"),
    ],
)
def test_safe_file_name_follows_windows_rules(given: str, expected: str) -> None:
    assert files.safe_file_name(given) == expected


def test_safe_file_name_is_nfc_and_bounded_keeping_the_extension() -> None:
    long = files.safe_file_name(unicodedata.normalize("NFD", "Tài liệu " * 40) + ".pdf")
    assert long.endswith(".pdf") and len(long) <= files.MAX_NAME_CHARS
    assert unicodedata.is_normalized("NFC", long)


def test_exported_document_gets_a_windows_safe_name(book: Book, tmp_path: Path) -> None:
    from app.services import documents

    outcome = documents.import_bytes(
        book,
        data=b"Nghi quyet so 5 ve cong tac dang vien.\n" * 5,
        filename="NQ 05: chi bộ?.txt",
        source="local",
    )
    document_id = outcome.document.id if outcome.document else None
    assert document_id is not None
    out = documents.export_file(book, document_id=document_id, dest=tmp_path)
    assert out.parent == tmp_path
    assert not set(out.name) & set(':?*|<>"')
    assert out.read_bytes().startswith(b"Nghi quyet")


# -- replace while the target is held open ------------------------------------------------
def _busy_replace(times: int) -> tuple[Callable[..., None], list[int]]:
    real = os.replace
    calls = [0]

    def fake(src: object, dst: object) -> None:
        calls[0] += 1
        if calls[0] <= times:
            err = PermissionError(
                13, "The process cannot access the file because it is being used by another process"
            )
            err.winerror = 32  # type: ignore[attr-defined]
            raise err
        real(src, dst)  # type: ignore[arg-type]

    return fake, calls


def test_replace_retries_while_the_target_is_held_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, calls = _busy_replace(3)
    monkeypatch.setattr(os, "replace", fake)
    naps: list[float] = []
    monkeypatch.setattr(files.time, "sleep", naps.append)
    Settings(idle_lock_minutes=3).save(tmp_path)
    assert Settings.load(tmp_path).idle_lock_minutes == 3
    assert calls[0] == 4 and len(naps) == 3
    assert naps == sorted(naps)  # backing off


def test_replace_gives_up_with_a_vietnamese_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reports.output import write_pdf

    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"old")
    fake, _ = _busy_replace(10_000)
    monkeypatch.setattr(os, "replace", fake)
    naps: list[float] = []
    monkeypatch.setattr(files.time, "sleep", naps.append)
    with pytest.raises(KnownError, match="đang được một chương trình khác mở"):
        write_pdf(target, b"%PDF new")
    assert 1.9 <= sum(naps) <= 3.0  # about two seconds of retrying
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.pdf"]  # no temp file left


# -- the msvcrt lock branch ---------------------------------------------------------------
class FakeMsvcrt(types.ModuleType):
    """msvcrt.locking with Windows semantics: one holder per (file, byte) across handles."""

    LK_NBLCK = 2
    LK_UNLCK = 0

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int], int] = {}
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        st = os.fstat(fd)
        key = (st.st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        self.calls.append((mode, nbytes))
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise OSError(errno.EACCES, "Permission denied")  # what msvcrt raises
            self.held[key] = fd
        elif mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            del self.held[key]


def test_instance_lock_on_windows_through_msvcrt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(instance_lock.sys, "platform", "win32")
    first = instance_lock.InstanceLock(tmp_path / "book.lock")
    second = instance_lock.InstanceLock(tmp_path / "book.lock")
    assert first.acquire() is True
    assert (tmp_path / "book.lock").read_text(encoding="utf-8") == str(os.getpid())
    assert second.acquire() is False
    assert second.held_elsewhere() is True
    first.release()
    assert (FakeMsvcrt.LK_UNLCK, 1) in fake.calls  # unlocked explicitly, not left to close
    assert second.held_elsewhere() is False
    assert second.acquire() is True
    second.release()
    assert fake.held == {}

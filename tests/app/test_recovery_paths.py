"""The paths around the book when something went wrong (issue 14): an empty book.db, a full
disk, a damaged key file, restoring another branch's backup, Vietnamese integrity messages,
owner-only files, and which keyring may remember the password."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.book import Book, open_book, restore
from app.errors import BookError, KnownError
from app.services import backups, members
from app.storage import db_errors
from app.storage import keys as keys_mod
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay
from tests.conftest import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
OUR_BRANCH = "Chi bộ Khu phố 3"


def _init(data: Path, branch: str = OUR_BRANCH) -> None:
    done = run_sotay(data, "init", "--branch", branch, "--committee", "Đảng bộ phường Quy Nhơn")
    assert done.returncode == 0, done.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 1. an empty book.db beside its key file ---------------------------------------------
def test_empty_book_file_is_damage_with_the_backups_listed_and_left_as_evidence(
    tmp_path: Path,
) -> None:
    data = tmp_path / "so"
    _init(data)
    auto = backups.auto_dir(data)
    auto.mkdir(parents=True)
    made = run_sotay(data, "backup", "-o", str(auto / "hang-ngay-20261201-080000.sotaybak"))
    assert made.returncode == 0, made.stderr
    for extra in ("book.db-wal", "book.db-shm"):
        (data / extra).unlink(missing_ok=True)
    (data / "book.db").write_bytes(b"")

    for command in (["check"], ["members", "list", "--json"], ["backup", "-o", str(tmp_path)]):
        result = run_sotay(data, *command)
        assert result.returncode == 3, (command, result.stdout, result.stderr)
        line = one_line_error(result)
        assert "0 byte" in line and "khôi phục" in line
        assert "hang-ngay-20261201-080000.sotaybak" in line  # the way out, named
        assert OUR_BRANCH in line
        assert result.stdout == ""
        # No fresh schema was written over the evidence.
        assert (data / "book.db").stat().st_size == 0


def test_empty_book_file_without_backups_still_names_the_way_out(
    book: Book, data_dir: Path
) -> None:
    book.close()
    (data_dir / "book.db").write_bytes(b"")
    with pytest.raises(BookError) as info:
        open_book(data_dir, password=TEST_PASSWORD)
    assert "khôi phục" in info.value.message and "USB" in info.value.message
    assert (data_dir / "book.db").stat().st_size == 0


# -- 2. a full disk is a full disk -------------------------------------------------------
_FULL_DISK_DRIVER = textwrap.dedent(
    """
    import json, os, subprocess, sys
    mnt, csv, txt = sys.argv[1], sys.argv[2], sys.argv[3]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt], check=True)
    env = dict(os.environ, SOTAY_DATA_DIR=mnt + "/so", SOTAY_KDF_PROFILE="test",
               SOTAY_PASSWORD="mat-khau-dong-lenh")
    def sotay(*args):
        return subprocess.run([sys.executable, "-m", "cli", *args], env=env,
                              capture_output=True, text=True)
    assert sotay("init", "--branch", "Chi bộ A", "--committee", "Đảng bộ B").returncode == 0
    fd = os.open(mnt + "/filler", os.O_WRONLY | os.O_CREAT)  # fill to the last block
    try:
        while os.write(fd, b"\\0" * 4096):
            pass
    except OSError:
        pass
    os.close(fd)
    out = {}
    for name, args in {
        "check": ["check"],
        "members import": ["members", "import", csv],
        "documents import": ["documents", "import", txt],
        "backup": ["backup", "-o", mnt + "/b.sotaybak"],
    }.items():
        r = sotay(*args)
        out[name] = {"rc": r.returncode, "stderr": r.stderr,
                     "files": sorted(os.listdir(mnt + "/so"))}
    os.remove(mnt + "/filler")
    out["after"] = {"rc": sotay("check").returncode}
    print(json.dumps(out))
    """
)


def _can_mount_tmpfs() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare -Urm to mount a small tmpfs")
def test_a_really_full_disk_is_reported_as_full_not_as_damage(tmp_path: Path) -> None:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    csv = tmp_path / "ds.csv"
    csv.write_text("Họ và tên,Ngày sinh\nNguyễn Văn An,01/01/1980\n", encoding="utf-8")
    txt = tmp_path / "nghi-quyet.txt"
    txt.write_text("Nghị quyết chi bộ tháng 12\n", encoding="utf-8")
    driver = tmp_path / "driver.py"
    driver.write_text(_FULL_DISK_DRIVER, encoding="utf-8")
    done = subprocess.run(
        ["unshare", "-Urm", sys.executable, str(driver), str(mnt), str(csv), str(txt)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ("check", "members import", "documents import", "backup"):
        got = results[name]
        assert got["rc"] not in (0, 3), (name, got)  # 3 is "the book is damaged"
        assert "đầy" in got["stderr"] and "hỏng, bị cắt cụt" not in got["stderr"], (name, got)
        assert len(got["stderr"].strip().splitlines()) == 1, (name, got)
        assert "book.db-shm" not in got["files"] and "book.db-wal" not in got["files"], got
    assert results["after"]["rc"] == 0  # room again: the book opens whole


def test_an_io_error_on_a_full_disk_is_told_as_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlcipher3

    error = sqlcipher3.OperationalError("disk I/O error")
    room = {"free": 10 * 1024 * 1024}
    monkeypatch.setattr(
        db_errors.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(1, 1, room["free"])
    )
    plenty = db_errors.translate(error, tmp_path)
    assert plenty is not None and plenty.message == db_errors.DAMAGED
    room["free"] = 0
    full = db_errors.translate(error, tmp_path)
    assert full is not None and full.message == db_errors.DISK_FULL
    assert db_errors.translate(error) is not None  # without a folder: as before


# -- 3. a damaged book.keys does not block restore ---------------------------------------
def test_restore_works_over_a_damaged_key_file(book: Book, data_dir: Path, tmp_path: Path) -> None:
    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    saved = book.backup(tmp_path / "sao-luu.sotaybak")
    book.close()
    damaged = b'{"format": 1, "book_id": '
    (data_dir / "book.keys").write_bytes(damaged)
    with pytest.raises(BookError, match=r"book\.keys"):
        open_book(data_dir, password=TEST_PASSWORD)

    kept = restore(data_dir, saved, password=TEST_PASSWORD)

    again = open_book(data_dir, password=TEST_PASSWORD)
    try:
        assert [m.full_name for m in members.list_members(again)] == ["Nguyễn Văn An"]
    finally:
        again.close()
    assert kept is not None and kept.exists()
    import zipfile

    with zipfile.ZipFile(kept) as zf:  # the evidence is kept byte for byte
        assert zf.read("book.keys") == damaged


def test_cli_restore_over_a_damaged_key_file(tmp_path: Path) -> None:
    data = tmp_path / "so"
    _init(data)
    saved = tmp_path / "sao-luu.sotaybak"
    assert run_sotay(data, "backup", "-o", str(saved)).returncode == 0
    (data / "book.keys").write_text("{hỏng", encoding="utf-8")
    done = run_sotay(data, "restore", "--yes", str(saved))
    assert done.returncode == 0, done.stderr
    assert run_sotay(data, "check").returncode == 0


# -- 4. restore names the backup and asks ------------------------------------------------
@pytest.fixture
def two_branches(tmp_path: Path) -> tuple[Path, Path]:
    ours, theirs = tmp_path / "so", tmp_path / "so-khac"
    _init(ours)
    _init(theirs, "Chi bộ Khu phố 5")
    other = tmp_path / "khu-pho-5.sotaybak"
    assert run_sotay(theirs, "backup", "-o", str(other)).returncode == 0
    return ours, other


def test_restore_without_an_answer_replaces_nothing(two_branches: tuple[Path, Path]) -> None:
    ours, other = two_branches
    before = _digest(ours / "book.db")
    result = run_sotay(ours, "restore", str(other), stdin="")
    line = one_line_error(result)
    assert "--yes" in line and "Chưa khôi phục" in line
    assert "Bản sao lưu này của Chi bộ Khu phố 5, không phải Chi bộ Khu phố 3 hiện tại" in (
        result.stdout
    )
    assert "lập lúc" in result.stdout  # the date of the backup
    assert _digest(ours / "book.db") == before
    assert not (ours / "backups").exists()


def test_restore_with_yes_says_whose_backup_it_was(two_branches: tuple[Path, Path]) -> None:
    ours, other = two_branches
    result = run_sotay(ours, "restore", "--yes", str(other))
    assert result.returncode == 0, result.stderr
    assert "không phải Chi bộ Khu phố 3 hiện tại" in result.stdout
    listed = run_sotay(ours, "history", "--json")
    assert "Chi bộ Khu phố 5" in listed.stdout


def test_restore_of_our_own_backup_gives_no_other_branch_warning(tmp_path: Path) -> None:
    data = tmp_path / "so"
    _init(data)
    saved = tmp_path / "sao-luu.sotaybak"
    assert run_sotay(data, "backup", "-o", str(saved)).returncode == 0
    result = run_sotay(data, "restore", "--yes", str(saved))
    assert result.returncode == 0, result.stderr
    assert f"sao-luu.sotaybak: {OUR_BRANCH}, lập lúc" in result.stdout
    assert "không phải" not in result.stdout


def _restore_on_a_terminal(data: Path, backup: Path, answer: str) -> subprocess.CompletedProcess:
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, SOTAY_DATA_DIR=str(data), SOTAY_KDF_PROFILE="test")
    env["SOTAY_PASSWORD"] = CLI_PASSWORD
    try:
        os.write(master, answer.encode("utf-8") + b"\n")
        return subprocess.run(
            [sys.executable, "-m", "cli", "restore", str(backup)],
            stdin=slave,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(slave)
        os.close(master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_restore_asks_on_the_terminal(two_branches: tuple[Path, Path]) -> None:
    ours, other = two_branches
    before = _digest(ours / "book.db")
    refused = _restore_on_a_terminal(ours, other, "không")
    assert refused.returncode != 0
    assert "Gõ CÓ" in refused.stdout and "Đã hủy" in refused.stderr
    assert _digest(ours / "book.db") == before
    agreed = _restore_on_a_terminal(ours, other, "có")
    assert agreed.returncode == 0, agreed.stderr
    assert _digest(ours / "book.db") != before


# -- 5. Vietnamese integrity message, owner-only files -----------------------------------
def test_integrity_problems_are_told_in_vietnamese(book: Book, data_dir: Path) -> None:
    for i in range(30):
        members.create(
            book,
            data=members.MemberInput(full_name=f"Nguyễn Văn {chr(65 + i % 26)}", notes="x" * 900),
        )
    book.close()  # the last connection folds the WAL into book.db
    size = (data_dir / "book.db").stat().st_size
    page = size // 4096 - 2  # a data page near the end, not the schema
    with open(data_dir / "book.db", "r+b") as fh:
        fh.seek(4096 * page + 200)
        fh.write(b"X" * 64)
    result = run_sotay(data_dir, "check", password=TEST_PASSWORD)
    assert result.returncode == 3
    line = one_line_error(result)
    for english in ("HMAC", "verification", "sqlite", "DatabaseError", "page"):
        assert english not in line, line
    assert f"Trang {page + 1} của tệp sổ không đúng mã kiểm tra" in line
    assert "khôi phục" in line


def test_after_a_restore_backups_are_owner_only(book: Book, data_dir: Path, tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes")
    saved = book.backup(tmp_path / "sao-luu.sotaybak")
    book.close()
    old = os.umask(0o022)
    try:
        kept = restore(data_dir, saved, password=TEST_PASSWORD)
    finally:
        os.umask(old)
    assert kept is not None
    assert stat.S_IMODE((data_dir / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_yearly_report_and_exports_are_owner_only(book: Book, tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes")
    from app.exporters.members_xlsx import export_members
    from app.services import attendance
    from reports.printing import write_attendance_report
    from tests.app.test_meetings_support import make_branch, new_meeting

    make_branch(book)
    year = dt.date.today().year - 1
    meeting = new_meeting(book, at=dt.datetime(year, 3, 5, 19, 30))
    attendance.mark_remaining_present(book, meeting_id=meeting.id)
    old = os.umask(0o022)
    try:
        written = [
            write_attendance_report(book, year=year, path=tmp_path / "bao-cao-nam.xlsx"),
            write_attendance_report(book, year=year, path=tmp_path / "bao-cao-nam.pdf"),
        ]
        export_members(book, tmp_path / "danh-sach.xlsx")
        written.append(tmp_path / "danh-sach.xlsx")
    finally:
        os.umask(old)
    for path in written:
        assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600, path


def test_recovery_sheet_is_owner_only(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes")
    sheet = tmp_path / "to-ma.pdf"
    made = run_sotay(
        tmp_path / "so", "init", "--branch", "Chi bộ B", "--committee", "Đảng bộ C",
        "--recovery-pdf", str(sheet),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600  # it holds the recovery key


# -- 6. only an encrypting keyring may remember the password ------------------------------
UseBackend = Callable[[Any], None]


@pytest.fixture
def use_backend() -> Iterator[UseBackend]:
    import keyring

    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def _refused_and_nothing_written(book: Book, tmp_path: Path) -> None:
    assert not keys_mod.keyring_available()
    refusal = keys_mod.keyring_refusal()
    assert refusal is not None and "không mã hóa" in refusal
    with pytest.raises(KnownError, match="không mã hóa"):
        book.remember_on_this_computer()
    assert "keyring" not in keys_mod.KeyFile.load(book.data_dir / "book.keys").slots
    assert not any(p.is_file() for p in tmp_path.rglob("*.cfg"))


def test_plaintext_keyring_is_refused(book: Book, tmp_path: Path, use_backend: UseBackend) -> None:
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "kr" / "keyring_pass.cfg")
    use_backend(backend)
    _refused_and_nothing_written(book, tmp_path)


def test_encrypted_file_keyring_asking_its_own_password_is_refused(
    book: Book, tmp_path: Path, use_backend: UseBackend
) -> None:
    from keyrings.alt.file import EncryptedKeyring

    backend = EncryptedKeyring.__new__(EncryptedKeyring)  # its cipher (pycryptodome) is absent
    backend.file_path = str(tmp_path / "kr" / "crypted_pass.cfg")
    use_backend(backend)
    _refused_and_nothing_written(book, tmp_path)


def _memory_backend(module: str, name: str) -> Any:
    from keyring.backend import KeyringBackend

    store: dict[tuple[str, str], str] = {}

    def get_password(self: object, service: str, username: str) -> str | None:
        return store.get((service, username))

    def set_password(self: object, service: str, username: str, password: str) -> None:
        store[(service, username)] = password

    def delete_password(self: object, service: str, username: str) -> None:
        store.pop((service, username), None)

    cls = type(
        name,
        (KeyringBackend,),
        {
            "priority": 5,
            "get_password": get_password,
            "set_password": set_password,
            "delete_password": delete_password,
            "__module__": module,
            "__qualname__": name,
        },
    )
    backend = cls()
    backend.store = store
    return backend


def _chainer(members: list[object]) -> object:
    """keyring's chainer with a fixed list of members, highest priority first."""
    from keyring.backends.chainer import ChainerBackend

    return type("ChainerBackend", (ChainerBackend,), {"backends": members})()


def test_a_chainer_whose_chosen_member_is_plaintext_is_refused(
    book: Book, tmp_path: Path, use_backend: UseBackend
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    plain = PlaintextKeyring()
    plain.file_path = str(tmp_path / "kr" / "keyring_pass.cfg")
    plain.priority = 9
    secure = _memory_backend("keyring.backends.SecretService", "Keyring")
    use_backend(_chainer([plain, secure]))
    _refused_and_nothing_written(book, tmp_path)


def test_an_os_store_and_a_chainer_choosing_it_are_accepted(
    book: Book, data_dir: Path, use_backend: UseBackend
) -> None:
    for module, name in (
        ("keyring.backends.Windows", "WinVaultKeyring"),
        ("keyring.backends.macOS", "Keyring"),
        ("keyring.backends.kwallet", "DBusKeyring"),
    ):
        use_backend(_memory_backend(module, name))
        assert keys_mod.keyring_available(), name
    secure = _memory_backend("keyring.backends.SecretService", "Keyring")
    use_backend(_chainer([secure]))
    book.remember_on_this_computer()
    assert len(secure.store) == 1
    book.close()
    again = open_book(data_dir, use_keyring=True)
    again.close()


def test_a_look_alike_in_another_module_is_refused(
    book: Book, tmp_path: Path, use_backend: UseBackend
) -> None:
    use_backend(_memory_backend("keyrings.alt.file", "Keyring"))
    _refused_and_nothing_written(book, tmp_path)

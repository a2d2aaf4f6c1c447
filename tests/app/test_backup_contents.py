"""What a backup holds, told before a restore (tester's N9): the number of members and
meetings and the last change are written into the backup, an empty book says "sổ trống",
an old backup without them stays readable, the backups saved by the secretary in her own
folder are listed with the automatic ones, newest first, and a brand-new empty book gets no
daily backup."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from app.book import Book
from app.services import backups, meetings, members
from app.vocab import MeetingKind


def test_a_new_empty_book_gets_no_daily_backup_until_it_holds_something(book: Book) -> None:
    assert backups.backup_if_due(book) is None
    assert backups.list_backups(book.data_dir) == []
    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    written = backups.backup_if_due(book)
    assert written is not None
    (info,) = backups.list_backups(book.data_dir)
    assert info.path == written and info.members == 1 and info.meetings == 0


def test_backup_tells_members_meetings_and_last_change(book: Book, tmp_path: Path) -> None:
    empty = backups.describe(book.backup(tmp_path / "trong.sotaybak"))
    assert empty.members == 0 and empty.meetings == 0
    assert empty.contents_text == "sổ trống"

    before = dt.datetime.now().replace(microsecond=0)
    for name in ("Nguyễn Văn An", "Trần Thị Bích"):
        members.create(book, data=members.MemberInput(full_name=name))
    meetings.create(
        book,
        data=meetings.MeetingInput(
            kind=MeetingKind.REGULAR.value,
            starts_at=dt.datetime(2026, 12, 10, 19, 30),
            place="Nhà văn hóa khu phố 3",
        ),
    )
    full = backups.describe(book.backup(tmp_path / "day-du.sotaybak"))
    assert (full.members, full.meetings) == (2, 1)
    assert full.last_change is not None and full.last_change >= before
    assert full.last_change <= dt.datetime.now()
    assert full.contents_text == (
        f"2 đảng viên, 1 cuộc họp, thay đổi cuối {full.last_change:%H:%M %d/%m/%Y}"
    )


def test_an_old_backup_without_contents_stays_readable(book: Book, tmp_path: Path) -> None:
    new = book.backup(tmp_path / "moi.sotaybak")
    old = tmp_path / "cu.sotaybak"
    with zipfile.ZipFile(new) as src, zipfile.ZipFile(old, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "manifest.json":
                manifest = json.loads(data)
                del manifest["contents"]
                data = json.dumps(manifest).encode()
            dst.writestr(name, data)
    info = backups.describe(old)
    assert info.members is None and info.meetings is None and not info.empty
    assert info.branch_name == "Chi bộ Khu phố 3"
    assert "bản sao lưu cũ" in info.contents_text


def test_backups_saved_in_her_folder_are_listed_newest_first(book: Book, tmp_path: Path) -> None:
    members.create(book, data=members.MemberInput(full_name="Nguyễn Văn An"))
    auto = backups.backup_if_due(book, now=dt.datetime.now())
    assert auto is not None
    usb = tmp_path / "usb"
    usb.mkdir()
    members.create(book, data=members.MemberInput(full_name="Trần Thị Bích"))
    mine = book.backup(usb / "so-truoc.sotaybak")
    # Written a second apart at least, so "newest first" is not decided by the name.
    manifest_time = backups.describe(mine).created_at
    auto_time = backups.describe(auto).created_at
    assert manifest_time is not None and auto_time is not None
    if manifest_time == auto_time:
        _rewrite_created_at(mine, manifest_time + dt.timedelta(seconds=5))

    assert [b.path for b in backups.list_backups(book.data_dir)] == [auto]
    listed = backups.list_backups(book.data_dir, [usb, usb, tmp_path / "khong-co"])
    assert [b.path for b in listed] == [mine, auto]
    assert (listed[0].members, listed[0].automatic) == (2, False)
    assert (listed[1].members, listed[1].automatic) == (1, True)


def _rewrite_created_at(path: Path, when: dt.datetime) -> None:
    with zipfile.ZipFile(path) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(entries["manifest.json"])
    manifest["created_at"] = when.isoformat(timespec="seconds")
    entries["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)

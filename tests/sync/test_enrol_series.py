"""A second desktop of a branch gets its own receipt series when it enrols, without anyone
knowing to set one: the server tells each device its place among the branch's devices (and
the series its receipts already carry), the desktop takes "M<n>". A copied book — which
carries its original's series — takes a new one when it is enrolled."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from srvkit import Srv
from synckit import FAST, PASSWORD, reopen

from app.book import Book, create_book
from app.services import audit, dues
from cli import main as sotay
from server.db import Database
from server.models import Branch, Record
from sync.client import EnrolResult, enrol, run_sync
from tests.app.dues_kit import make_dues_branch

TODAY = dt.date.today()
MONTH = f"{TODAY:%Y-%m}"
YEAR = TODAY.year


def _receipts_held(srv: Srv, code: str) -> list[tuple[str, int, int]]:
    """(series, number, year) of every cash receipt the server holds for a branch."""
    db = Database(srv.db_url)
    try:
        with db.sessions() as s:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == code))
            raw = s.scalars(
                select(Record.fields_json).where(
                    Record.branch_id == branch_id, Record.entity == "dues_payment"
                )
            ).all()
    finally:
        db.dispose()
    out = []
    for text in raw:
        fields = json.loads(text)
        if fields["channel"] == "cash":
            out.append(
                (fields.get("receipt_series", ""), fields["receipt_no"], int(fields["paid_on"][:4]))
            )
    return sorted(out)


def _new_book(folder: Path) -> Book:
    return create_book(
        folder,
        password=PASSWORD,
        branch_name="Chi bộ Khu phố 3",
        committee="Đảng bộ phường Quy Nhơn",
        place_name="Quy Nhơn",
        secretary_name="Trần Văn Bình",
    )[0]


def _enrol_with_new_code(book: Book, srv: Srv, code: str) -> EnrolResult:
    issued = srv.cli_json("branches", "new-code", "--code", code)
    return enrol(book, server_url=srv.url, code=issued["enrolment_code"], policy=FAST)


def _copy(book: Book, source: Path, target: Path) -> tuple[Book, Book]:
    """A copied book (the folder copied to another PC): both opened again."""
    book.close()
    shutil.copytree(source, target)
    return reopen(source), reopen(target)


def _sync_clean(book: Book) -> None:
    report = run_sync(book, policy=FAST).as_json()
    assert (report["rejected"], report["conflicts"], report["pending"]) == (0, 0, 0)


def test_second_desktop_and_a_copied_book_number_receipts_apart(
    book: Book, srv_any: Srv, data_dir: Path, tmp_path: Path
) -> None:
    srv = srv_any
    code, enrolment = srv.new_branch("Chi bộ Khu phố 3")
    first = enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    # The branch's first device keeps no series: nothing said, nothing changed.
    assert (first.device_ordinal, first.receipt_series, first.series_sentence) == (1, "", "")
    assert dues.receipt_series(book) == ""
    ids1 = make_dues_branch(book).ids
    assert dues.pay(book, member=ids1["Nguyễn Văn An"], months=[MONTH]).receipt_label == (
        f"001/{YEAR}"
    )

    # The deputy's laptop: a book of its own, enrolled for the same branch.
    second = _new_book(tmp_path / "may-2")
    try:
        result = _enrol_with_new_code(second, srv, code)
        assert result.device_ordinal == 2 and result.receipt_series == "M2"
        assert result.series_sentence == "Biên lai đảng phí của máy này sẽ mang ký hiệu M2."
        assert dues.receipt_series(second) == "M2"
        # Set through the audited change, with why.
        entry = next(e for e in audit.history(second) if "ký hiệu biên lai" in e.summary)
        assert entry.changes and "Máy thứ 2" in entry.reason
        ids2 = make_dues_branch(second).ids
        labels2 = [
            dues.pay(second, member=ids2[name], months=[MONTH]).receipt_label
            for name in ("Trần Thị Bích", "Hoàng Văn Em")
        ]
        assert labels2 == [f"M2-001/{YEAR}", f"M2-002/{YEAR}"]
        assert dues.pay(book, member=ids1["Trần Thị Bích"], months=[MONTH]).receipt_label == (
            f"002/{YEAR}"
        )
        _sync_clean(book)
        _sync_clean(second)

        # A copy of the first book (reinstalled PC, or the book carried to another desktop
        # while the original goes on): enrolled again, it numbers in a series of its own.
        book1, copy1 = _copy(book, data_dir, tmp_path / "ban-sao-1")
        # A copy of the second book carries "M2" and must leave it too.
        second.close()
        second, copy2 = _copy(second, tmp_path / "may-2", tmp_path / "ban-sao-2")
        try:
            assert dues.receipt_series(copy1) == "" and dues.receipt_series(copy2) == "M2"
            again1 = _enrol_with_new_code(copy1, srv, code)
            again2 = _enrol_with_new_code(copy2, srv, code)
            assert (again1.device_ordinal, again1.receipt_series) == (3, "M3")
            assert (again2.device_ordinal, again2.receipt_series) == (4, "M4")
            # The originals keep theirs.
            assert (dues.receipt_series(book1), dues.receipt_series(second)) == ("", "M2")
            pays = [
                (book1, ids1["Phạm Thị Dung"]),
                (second, ids2["Nguyễn Văn An"]),
                (copy1, ids1["Hoàng Văn Em"]),
                (copy2, ids2["Phạm Thị Dung"]),
            ]
            labels = [dues.pay(b, member=m, months=[MONTH]).receipt_label for b, m in pays]
            assert labels == [f"003/{YEAR}", f"M2-003/{YEAR}", f"M3-001/{YEAR}", f"M4-001/{YEAR}"]
            for desk in (book1, second, copy1, copy2):
                _sync_clean(desk)
        finally:
            for b in (book1, copy1, copy2):
                b.close()
    finally:
        second.close()

    held = _receipts_held(srv, code)
    assert len(held) == 8
    # No two receipts of the branch share series, number and year at the committee.
    assert len(set(held)) == len(held)
    assert sorted({series for series, _, _ in held}) == ["", "M2", "M3", "M4"]


def test_a_series_already_on_the_servers_receipts_is_skipped(
    book: Book, srv: Srv, tmp_path: Path
) -> None:
    """The first desktop was given "M2" by hand (or came from another server where it was
    the second): the second device to enrol here takes the next free series."""
    code, enrolment = srv.new_branch("Chi bộ Khu phố 3")
    enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    dues.set_receipt_series(book, series="M2", reason="Chọn tay")
    ids = make_dues_branch(book).ids
    dues.pay(book, member=ids["Nguyễn Văn An"], months=[MONTH])
    _sync_clean(book)
    second = _new_book(tmp_path / "may-2")
    try:
        result = _enrol_with_new_code(second, srv, code)
        assert (result.device_ordinal, result.receipt_series) == (2, "M3")
        assert dues.receipt_series(second) == "M3"
    finally:
        second.close()


def test_enroll_json_and_text_tell_the_series(
    srv: Srv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, enrolment = srv.new_branch("Chi bộ Khu phố 3")
    folders = [tmp_path / "may-1", tmp_path / "may-2", tmp_path / "may-3"]
    for folder in folders:
        _new_book(folder).close()
    capsys.readouterr()
    assert sotay(["--data-dir", str(folders[0]), "enroll", "--server", srv.url, "--code",
                  enrolment, "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert (out["device_ordinal"], out["receipt_series"], out["receipt_series_set"]) == (
        1,
        "",
        False,
    )

    second = srv.cli_json("branches", "new-code", "--code", code)["enrolment_code"]
    assert sotay(["--data-dir", str(folders[1]), "enroll", "--server", srv.url, "--code",
                  second, "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert (out["device_ordinal"], out["receipt_series"], out["receipt_series_set"]) == (
        2,
        "M2",
        True,
    )
    third = srv.cli_json("branches", "new-code", "--code", code)["enrolment_code"]
    assert sotay(["--data-dir", str(folders[2]), "enroll", "--server", srv.url, "--code",
                  third]) == 0  # fmt: skip
    assert "Biên lai đảng phí của máy này sẽ mang ký hiệu M3." in capsys.readouterr().out
    book = reopen(folders[2])
    try:
        assert dues.receipt_series(book) == "M3"
    finally:
        book.close()


def test_an_older_server_that_sends_no_ordinal_changes_nothing(
    book: Book, srv: Srv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old servers answer the enrolment without the new fields: the series stays as it was."""
    from sync import transport

    real = transport.Transport.post_json

    def old_server(self: transport.Transport, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = dict(real(self, path, body))
        answer.pop("device_ordinal", None)
        answer.pop("receipt_series_in_use", None)
        return answer

    monkeypatch.setattr(transport.Transport, "post_json", old_server)
    code, enrolment = srv.new_branch("Chi bộ Khu phố 3")
    for _ in range(2):
        result = enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
        assert (result.device_ordinal, result.receipt_series, result.series_sentence) == (
            None,
            "",
            "",
        )
        enrolment = srv.cli_json("branches", "new-code", "--code", code)["enrolment_code"]
    assert dues.receipt_series(book) == ""


def test_enrol_dialog_tells_the_second_desktop_its_series(
    qtbot: Any, book: Book, srv: Srv, tmp_path: Path
) -> None:
    from app.settings import Settings
    from ui.messages import Messages
    from ui.sync.enrol_dialog import EnrolDialog
    from ui.tasks import TaskRunner
    from ui.widgets.section import AppContext

    code, enrolment = srv.new_branch("Chi bộ Khu phố 3")
    enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
    second = _new_book(tmp_path / "may-2")
    try:
        ctx = AppContext(
            book=second,
            runner=TaskRunner(synchronous=True),
            settings=Settings(),
            message=Messages(),
        )
        dialog = EnrolDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.server.setText(srv.url)
        dialog.code.setText(srv.cli_json("branches", "new-code", "--code", code)["enrolment_code"])
        dialog.submit()
        assert dialog.error.text() == ""
        assert dialog.result_text == (
            f"Đã đăng ký: Chi bộ Khu phố 3 ({code}). "
            "Biên lai đảng phí của máy này sẽ mang ký hiệu M2."
        )
        assert dues.receipt_series(second) == "M2"
    finally:
        second.close()

"""`sotay enroll`, `sotay sync`, `sotay sync status|problems|resolve|dismiss` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from srvkit import Srv
from synckit import add_members

from app.book import Book
from app.services import members
from cli import main as sotay


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    capsys.readouterr()
    code = sotay(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)  # type: ignore[no-any-return]


def test_enroll_sync_and_status(
    book: Book, srv: Srv, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_members(book, 4)
    book.close()
    d = ["--data-dir", str(data_dir)]
    status = _json(capsys, *d, "sync", "status", "--json")
    assert status["enrolled"] is False and status["pending"] == 5 and status["last_sync_at"] is None

    assert sotay([*d, "sync"]) == 6
    assert "chưa đăng ký" in capsys.readouterr().err

    code, enrolment = srv.new_branch()
    enrolled = _json(capsys, *d, "enroll", "--server", srv.url + "/", "--code", enrolment, "--json")
    assert enrolled["branch_code"] == code and enrolled["server"] == srv.url
    assert enrolled["token_store"] == "book"  # no OS keyring in tests (test_token_store.py)

    report = _json(capsys, *d, "sync", "--json")
    assert {"sent", "acknowledged", "rejected", "pulled"} <= set(report)
    assert (report["sent"], report["acknowledged"], report["rejected"], report["pulled"]) == (
        5,
        5,
        0,
        0,
    )

    status = _json(capsys, *d, "sync", "status", "--json")
    assert status["pending"] == 0 and status["needing_attention"] == 0
    assert status["server"] == srv.url and status["last_sync_at"]

    capsys.readouterr()
    assert sotay([*d, "sync", "status"]) == 0
    text = capsys.readouterr().out
    assert "Thay đổi chờ gửi: 0" in text and "Đồng bộ thành công lần cuối" in text

    assert sotay([*d, "enroll", "--server", srv.url, "--code", enrolment]) == 6
    assert "đã dùng" in capsys.readouterr().err


def test_problems_shown_and_resolved_from_the_cli(
    book: Book, srv: Srv, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from synckit import FAST, enrolled

    from sync.client import run_sync

    code = enrolled(book, srv)
    (mid,) = add_members(book, 1, prefix="Phan Văn")
    run_sync(book, policy=FAST)
    srv.cli("publish", "member", "--branch", code, "--member-id", mid, "--status", "chuyen_di")
    data = members.get(book, member_id=mid).to_input()
    data.address = "Tổ 5, khu phố 3"
    members.update(book, member_id=mid, data=data)
    book.close()
    d = ["--data-dir", str(data_dir)]
    report = _json(capsys, *d, "sync", "--json")
    assert report["conflicts"] == 1 and report["needing_attention"] == 1

    capsys.readouterr()
    assert sotay([*d, "sync", "problems"]) == 0
    text = capsys.readouterr().out
    assert "[Xung đột] Đảng viên Phan Văn" in text
    assert "status: của chi bộ = 'chinh_thuc'; trên máy chủ = 'chuyen_di'" in text
    (item,) = _json(capsys, *d, "sync", "problems", "--json")
    assert item["mine"]["address"] == "Tổ 5, khu phố 3" and item["theirs"]["status"] == "chuyen_di"

    assert _json(capsys, *d, "sync", "resolve", "--op", item["op_id"], "--keep", "theirs", "--json")
    assert _json(capsys, *d, "sync", "status", "--json")["needing_attention"] == 0
    assert sotay([*d, "sync", "dismiss", "--op", item["op_id"]]) == 4
    assert "đã được xử lý" in capsys.readouterr().err


def test_sync_says_when_the_whole_book_went_to_a_rebuilt_server(
    book: Book, srv: Srv, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import delete

    from server.db import Database
    from server.models import Record

    add_members(book, 3)
    book.close()
    d = ["--data-dir", str(data_dir)]
    _code, enrolment = srv.new_branch()
    _json(capsys, *d, "enroll", "--server", srv.url, "--code", enrolment, "--json")
    capsys.readouterr()
    assert sotay([*d, "sync"]) == 0
    assert "toàn bộ sổ" not in capsys.readouterr().out  # the first server: nothing re-sent
    db = Database(srv.db_url)
    with db.sessions.begin() as s:  # the server was rebuilt from nothing
        s.execute(delete(Record))
    db.dispose()
    assert sotay([*d, "sync"]) == 0
    out = capsys.readouterr().out
    assert "đã dựng lại" in out and "toàn bộ sổ (4 mục)" in out
    assert "Đã gửi 4 thay đổi: 4 được máy chủ ghi nhận" in out

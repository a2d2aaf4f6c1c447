"""Two desktops of one branch both take dues in cash (each enrolled with its own code; the
committee's server keeps both sets of payments). With a series per desktop their receipts
never share a number at the committee; receipts made before a series keep theirs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from srvkit import Srv
from synckit import FAST, PASSWORD, enrolled

from app.book import Book, create_book
from app.services import dues
from server.db import Database
from server.models import Branch, Record
from sync.client import enrol, run_sync
from tests.app.dues_kit import make_dues_branch

TODAY = dt.date.today()


def _receipts_held(srv: Srv, code: str) -> list[tuple[str, int, str]]:
    """(series, number, paid_on) of every live cash payment the server holds for a branch."""
    db = Database(srv.db_url)
    try:
        with db.sessions() as s:
            branch_id = s.scalar(select(Branch.id).where(Branch.code == code))
            rows = s.scalars(
                select(Record.fields_json).where(
                    Record.branch_id == branch_id,
                    Record.entity == "dues_payment",
                    Record.deleted.is_(False),
                )
            ).all()
    finally:
        db.dispose()
    out = []
    for raw in rows:
        fields = json.loads(raw)
        if fields["channel"] == "cash":
            out.append((fields.get("receipt_series", ""), fields["receipt_no"], fields["paid_on"]))
    return sorted(out)


def test_two_desktops_of_one_branch_print_different_receipt_numbers(
    book: Book, srv: Srv, tmp_path: Path
) -> None:
    month = f"{TODAY:%Y-%m}"
    code = enrolled(book, srv)
    first_ids = make_dues_branch(book).ids
    # A receipt made on the first desktop before any series: it keeps "001/YYYY".
    before = dues.pay(book, member=first_ids["Nguyễn Văn An"], months=[month], today=TODAY)
    assert before.receipt_label == f"001/{TODAY.year}"
    # The second desktop (the deputy's laptop): its own book, enrolled with a second code.
    second = create_book(
        tmp_path / "may-2",
        password=PASSWORD,
        branch_name="Chi bộ Khu phố 3",
        committee="Đảng bộ phường Quy Nhơn",
        place_name="Quy Nhơn",
        secretary_name="Trần Văn Bình",
    )[0]
    try:
        issued = srv.cli_json("branches", "new-code", "--code", code)
        enrol(second, server_url=srv.url, code=issued["enrolment_code"], policy=FAST)
        devices = srv.cli_json("tokens", "list", "--code", code)
        assert len([d for d in devices if not d["revoked_at"]]) == 2
        second_ids = make_dues_branch(second).ids
        dues.set_receipt_series(book, series="A", reason="Máy văn phòng")
        dues.set_receipt_series(second, series="B", reason="Máy xách tay của phó bí thư")
        a = dues.pay(book, member=first_ids["Trần Thị Bích"], months=[month], today=TODAY)
        b = dues.pay(second, member=second_ids["Trần Thị Bích"], months=[month], today=TODAY)
        b2 = dues.pay(second, member=second_ids["Hoàng Văn Em"], months=[month], today=TODAY)
        assert (a.receipt_label, b.receipt_label, b2.receipt_label) == (
            f"A-001/{TODAY.year}",
            f"B-001/{TODAY.year}",
            f"B-002/{TODAY.year}",
        )
        for desk in (book, second):
            report = run_sync(desk, policy=FAST).as_json()
            assert report["rejected"] == 0 and report["conflicts"] == 0
            assert report["pending"] == 0
    finally:
        second.close()
    held = _receipts_held(srv, code)
    today = TODAY.isoformat()
    assert held == [("", 1, today), ("A", 1, today), ("B", 1, today), ("B", 2, today)]
    # No two receipts of the branch share series, number and year at the committee.
    keys = [(series, number, paid[:4]) for series, number, paid in held]
    assert len(set(keys)) == len(keys)

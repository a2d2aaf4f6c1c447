"""Đảng phí reaches the committee: settings, payments and remittances synced to the real
server on 127.0.0.1, and the server's per-branch, per-month collected and remitted totals."""

from __future__ import annotations

import datetime as dt

from srvkit import Srv
from synckit import FAST, enrolled

from app.book import Book
from app.services import dues
from sync.client import run_sync
from tests.app.dues_kit import make_dues_branch

TODAY = dt.date.today()


def _month_before(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=5)


def test_dues_are_synced_and_the_server_shows_monthly_totals(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    ids = make_dues_branch(book).ids
    earlier = _month_before(TODAY)
    this_month, last_month = f"{TODAY:%Y-%m}", f"{earlier:%Y-%m}"
    an, bich, em = ids["Nguyễn Văn An"], ids["Trần Thị Bích"], ids["Hoàng Văn Em"]
    dues.pay(book, member=an, months=[last_month], paid_on=earlier, amount=60_000)
    dues.pay(
        book,
        member=bich,
        months=[last_month, this_month],
        via="dvcqg",
        reference="DVC-1",
        amount=30_000,
    )
    dues.pay(book, member=em, months=[this_month], amount=5_000)
    dues.cancel(book, member=em, month=this_month, reason="Ghi nhầm tháng")
    dues.excuse(book, member=em, months=[last_month], reason="Đi làm xa, đã báo chi bộ")
    dues.remit(book, period=last_month, amount=42_000, remitted_on=TODAY)
    report = run_sync(book, policy=FAST).as_json()
    assert report["rejected"] == 0 and report["conflicts"] == 0 and report["pending"] == 0

    token = srv.admin_token()
    resp = srv.get("/api/v1/admin/branches", token)
    assert resp.status_code == 200, resp.text
    row = next(b for b in resp.json()["branches"] if b["code"] == code)
    months = {m["month"]: m for m in row["dues"]["months"]}
    # Collected by the day the money came in; the cancelled and the excused month count nothing.
    assert months[last_month] == {"month": last_month, "collected": 60_000, "remitted": 0}
    assert months[this_month] == {"month": this_month, "collected": 60_000, "remitted": 42_000}
    assert row["dues"]["collected"] == 120_000 and row["dues"]["remitted"] == 42_000

    page = srv.http.get(srv.url + "/", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    assert "Đảng phí các chi bộ theo tháng" in page.text
    assert f"{TODAY.month}/{TODAY.year}" in page.text and "42.000" in page.text

    # A change on the desktop travels as a new version of the same record.
    dues.set_setting(book, member=an, basis="salary", income=7_000_000, effective_from="2026-01")
    again = run_sync(book, policy=FAST).as_json()
    assert again["rejected"] == 0 and again["conflicts"] == 0

"""The server keeps every submitted version of a report: submitted, revised with a reason,
submitted again — both versions are on the server, listed and shown to the committee."""

from __future__ import annotations

import datetime as dt

import pytest
from srvkit import PROTO, Srv, batch, change
from synckit import FAST, enrolled

from app.book import Book
from app.services import upward_reports as ur
from sync.client import run_sync
from tests.app.test_feedback_kit import make_branch, month_before

PLEA = "Kiến nghị Đảng ủy phường hỗ trợ kinh phí sửa loa truyền thanh khu phố."


def _submitted_twice(book: Book) -> ur.ReportView:
    make_branch(book)
    period = f"{month_before(dt.date.today()):%Y-%m}"
    report = ur.draft(book, kind="monthly", period=period).report
    ur.submit(book, report_id=report.id)
    assert run_sync(book, policy=FAST).as_json()["acknowledged"] >= 1
    r = ur.get(book, report_id=report.id)
    last = r.sections[-1]
    edit = ur.ReportEdit(
        r.subtitle,
        r.issued_on,
        (*r.sections[:-1], ur.ReportSection(last.title, PLEA)),
        r.recipients,
        r.signer_name,
    )
    ur.update(book, report_id=report.id, data=edit, reason="Bổ sung kiến nghị về loa")
    ur.submit(book, report_id=report.id)
    second = run_sync(book, policy=FAST).as_json()
    assert second["acknowledged"] == 1 and second["rejected"] == 0
    return ur.get(book, report_id=report.id)


def test_both_submitted_versions_stay_on_the_server(
    book: Book, srv_any: Srv, capsys: pytest.CaptureFixture[str]
) -> None:
    srv = srv_any
    code = enrolled(book, srv)
    report = _submitted_twice(book)
    run_sync(book, policy=FAST)  # nothing more to send: no third version appears

    rows = srv.cli_json("reports", "list", "--branch", code)
    assert [r["version"] for r in rows] == [1, 2]
    assert {(r["number"], r["kind"], r["period"]) for r in rows} == {
        ("01-BC/CB", "monthly", report.period)
    }
    assert all(r["submitted_at"] for r in rows)
    assert [r["amend_reason"] for r in rows] == ["", "Bổ sung kiến nghị về loa"]
    assert [r["revision"] for r in rows] == [1, 2]

    shown = srv.cli_json("reports", "show", "01-BC/CB", "--branch", code)
    assert [v["version"] for v in shown] == [1, 2]
    bodies = [" ".join(str(s.get("body")) for s in v["sections"]) for v in shown]
    assert PLEA not in bodies[0] and PLEA in bodies[1]
    only_first = srv.cli_json("reports", "show", report.id, "--version", "1")
    assert [v["version"] for v in only_first] == [1]

    text = srv.cli("reports", "list")
    assert "01-BC/CB" in text and "Báo cáo tháng" in text and "Bổ sung kiến nghị về loa" in text
    printed = srv.cli("reports", "show", report.id)
    assert "Phiên bản 1" in printed and "Phiên bản 2" in printed and PLEA in printed

    admin = {**PROTO, "Authorization": f"Bearer {srv.admin_token()}"}
    listed = srv.http.get(f"{srv.url}/api/v1/admin/reports", headers=admin, params={"branch": code})
    assert [r["version"] for r in listed.json()["reports"]] == [1, 2]
    one = srv.http.get(f"{srv.url}/api/v1/admin/reports/01-BC/CB", headers=admin)
    assert [v["version"] for v in one.json()["versions"]] == [1, 2]
    assert srv.http.get(f"{srv.url}/api/v1/admin/reports", headers=PROTO).status_code == 403


def test_a_submitted_report_cannot_be_deleted_and_unknown_reports_are_named(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    rid = "5f0c6d8e-1111-4222-8333-944455556666"
    fields = {"kind": "monthly", "period": "2025-10", "number": "03-BC/CB", "state": "submitted"}
    sent = srv.post_batch(token, batch(code, change("report", rid, fields=fields)))
    assert sent.json()["results"][0]["result"] == "applied"
    gone = change("report", rid, op="delete", fields=fields, base=1, version=2)
    result = srv.post_batch(token, batch(code, gone)).json()["results"][0]
    assert result["result"] == "rejected" and result["reason_code"] == "report_submitted"
    assert "không xóa được" in result["reason"]
    assert [r["version"] for r in srv.cli_json("reports", "list", "--branch", code)] == [1]
    from server.cli import main as server_main

    assert server_main(["reports", "show", "99-BC/CB", "--db", srv.db_url]) == 2

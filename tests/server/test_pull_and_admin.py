"""Pull by cursor, published files, the committee API, CLI listing and the HTML overview."""

from __future__ import annotations

import base64
import hashlib
import uuid
from pathlib import Path

from srvkit import PROTO, Srv, batch, change


def test_pull_pages_by_cursor(srv: Srv, tmp_path: Path) -> None:
    code, token = srv.enrolled_branch()
    other, other_token = srv.enrolled_branch()
    pdf = tmp_path / "nq57.txt"
    pdf.write_text("Nghị quyết 57 về phát triển khoa học, công nghệ", encoding="utf-8")
    doc = srv.cli_json(
        "publish", "document", "--branch", code, "--type", "NQ", "--number", "57-NQ/TW",
        "--title", "Về đột phá phát triển khoa học, công nghệ", "--issued-on", "2024-12-22",
        "--file", str(pdf),
    )  # fmt: skip
    srv.cli("publish", "notice", "--all", "--title", "Thông báo lịch họp quý IV")
    mid = str(uuid.uuid4())
    srv.post_batch(token, batch(code, change("member", mid, fields={"full_name": "Hồ Văn Giang"})))
    srv.cli("publish", "member", "--branch", code, "--member-id", mid, "--status", "chuyen_di",
            "--note", "Chuyển sinh hoạt về Chi bộ Khu phố 5")  # fmt: skip

    page1 = srv.get("/api/v1/changes", token, limit=2).json()
    assert [c["entity"] for c in page1["changes"]] == ["document", "document"]
    assert page1["has_more"] is True
    first = page1["changes"][0]
    assert first["entity_id"] == doc["entity_id"] and first["origin"] == "committee"
    assert first["fields"]["number"] == "57-NQ/TW" and "khoa học" in first["fields"]["text_content"]
    page2 = srv.get("/api/v1/changes", token, since=page1["next_cursor"], limit=2).json()
    assert page2["has_more"] is False
    (member,) = page2["changes"]
    assert member["entity_id"] == mid and member["fields"] == {"status": "chuyen_di"}
    assert member["version"] == 2
    done = srv.get("/api/v1/changes", token, since=page2["next_cursor"]).json()
    assert done == {"changes": [], "next_cursor": page2["next_cursor"], "has_more": False}

    sha = first["fields"]["sha256"]
    blob = srv.get(f"/api/v1/files/{sha}", token)
    assert blob.status_code == 200 and hashlib.sha256(blob.content).hexdigest() == sha
    # Another branch got the notice only, and may not fetch this branch's file.
    theirs = srv.get("/api/v1/changes", other_token).json()["changes"]
    assert [c["fields"]["doc_type"] for c in theirs] == ["TB"]
    assert srv.get(f"/api/v1/files/{sha}", other_token).status_code == 404
    assert srv.get("/api/v1/changes", token, since="abc").status_code == 400
    assert srv.get("/api/v1/changes", token, limit=0).status_code == 400
    assert other


def test_branches_list_counts_and_attendance(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    members = [change("member", fields={"full_name": f"Đảng viên {i}"}) for i in range(3)]
    meeting = change("meeting", fields={"topic": "Tháng 11", "state": "closed"})
    marks = [
        change("attendance", op="append", fields={"meeting_id": meeting["entity_id"],
               "member_id": m["entity_id"], "status": s, "seq": 1})
        for m, s in zip(members, ["present", "excused", "unexcused"], strict=True)
    ]  # fmt: skip
    srv.post_batch(token, batch(code, *members, meeting, *marks))
    row = srv.branch_row(code)
    assert row["members"] == 3 and row["meetings"] == 1 and row["devices"] == 1
    att = row["attendance"]
    assert (att["events"], att["present"], att["excused"], att["unexcused"]) == (3, 1, 1, 1)
    assert att["rate"] == round(1 / 3, 4)
    text = srv.cli("branches", "list")
    assert code in text and "Chi bộ Khu phố 3" in text


def test_admin_api_and_overview_page(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    admin = srv.admin_token()
    url = f"{srv.url}/api/v1/admin/branches"
    assert srv.http.get(url, headers=PROTO).status_code == 403
    assert (
        srv.http.get(url, headers={**PROTO, "Authorization": f"Bearer {token}"}).status_code == 403
    )
    rows = srv.http.get(url, headers={**PROTO, "Authorization": f"Bearer {admin}"}).json()[
        "branches"
    ]
    assert any(r["code"] == code for r in rows)
    assert {"code", "name", "last_sync_at", "members", "meetings", "attendance"} <= set(rows[0])

    published = srv.http.post(
        f"{srv.url}/api/v1/admin/publish",
        headers={**PROTO, "Authorization": f"Bearer {admin}"},
        json={
            "branches": [code],
            "entity": "document",
            "fields": {"number": "12-HD/BTCTW", "doc_type": "HD", "title": "Hướng dẫn sinh hoạt chi bộ",
                       "filename": "hd12.txt", "mime": "text/plain"},
            "file_b64": base64.b64encode("nội dung".encode()).decode(),
        },
    )  # fmt: skip
    assert published.status_code == 200, published.text
    pulled = srv.get("/api/v1/changes", token).json()["changes"]
    assert pulled[-1]["fields"]["number"] == "12-HD/BTCTW"

    page = srv.http.get(f"{srv.url}/")
    assert page.status_code == 401 and "Basic" in page.headers["WWW-Authenticate"]
    page = srv.http.get(f"{srv.url}/", auth=("ubnd", admin))
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Tổng quan đồng bộ các chi bộ" in page.text and code in page.text

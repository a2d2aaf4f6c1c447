"""A document the branch imports goes up with its file: uploaded content-addressed before the
document's change, idempotent, size-limited, counted in the committee's overview."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader
from srvkit import PROTO, Srv
from synckit import FAST, enrolled

from app.book import Book
from app.services import documents, sync_state
from sync.client import run_sync
from tests.app.document_files import PARTY_PLAN, make_docx, make_pdf


def _branch_headers(book: Book) -> dict[str, str]:
    token = sync_state.device_token(book)
    assert token
    return {**PROTO, "Authorization": f"Bearer {token}"}


def test_a_branch_document_goes_up_with_its_file(book: Book, srv: Srv) -> None:
    code = enrolled(book, srv)
    pdf = make_pdf([PARTY_PLAN])
    outcome = documents.import_bytes(book, data=pdf, filename="ke-hoach-05.pdf")
    assert outcome.status == "imported" and outcome.document is not None
    doc = outcome.document
    sha = hashlib.sha256(pdf).hexdigest()

    report = run_sync(book, policy=FAST).as_json()
    assert report["files_uploaded"] == 1 and report["file_bytes"] == len(pdf)
    assert report["rejected"] == 0 and report["pending"] == 0
    row = srv.branch_row(code)
    assert (row["documents"], row["files"], row["file_bytes"]) == (1, 1, len(pdf))
    # The server holds exactly the bytes: the branch can fetch them back and read the plan.
    back = srv.http.get(f"{srv.url}/api/v1/files/{sha}", headers=_branch_headers(book))
    assert back.status_code == 200 and back.content == pdf
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(back.content)).pages)
    assert "Quy định số 339-QĐ/TW" in text

    # Correcting the document's fields sends the change again, not the file.
    documents.update(
        book,
        document_id=doc.id,
        data=documents.DocumentFields(number="05-KH/CB", doc_type="KH", title="Kế hoạch học tập"),
    )
    again = run_sync(book, policy=FAST).as_json()
    assert again["acknowledged"] == 1 and again["files_uploaded"] == 0
    assert srv.branch_row(code)["files"] == 1

    # The committee's overview counts the files.
    admin = {**PROTO, "Authorization": f"Bearer {srv.admin_token()}"}
    (listed,) = [
        b
        for b in srv.http.get(f"{srv.url}/api/v1/admin/branches", headers=admin).json()["branches"]
        if b["code"] == code
    ]
    assert listed["files"] == 1
    page = srv.http.get(f"{srv.url}/", auth=("uy-ban", admin["Authorization"][7:]))
    assert "Tệp văn bản" in page.text
    assert f"{code} " in srv.cli("branches", "list")


def test_upload_is_idempotent_checked_and_private_to_the_branch(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    headers = {**PROTO, "Authorization": f"Bearer {token}"}
    data = make_docx(["Biên bản họp chi bộ tháng 10", "Đồng chí Bình chủ trì."])
    sha = hashlib.sha256(data).hexdigest()
    url = f"{srv.url}/api/v1/files/{sha}"
    check = srv.http.post(f"{srv.url}/api/v1/files/check", json={"sha256": [sha]}, headers=headers)
    assert check.json() == {"missing": [sha], "max_bytes": 64 * 1024 * 1024}
    first = srv.http.put(url, data=data, headers=headers)
    assert first.status_code == 200 and first.json() == {
        "sha256": sha,
        "size": len(data),
        "created": True,
    }
    second = srv.http.put(url, data=data, headers=headers)
    assert second.status_code == 200 and second.json()["created"] is False
    check = srv.http.post(f"{srv.url}/api/v1/files/check", json={"sha256": [sha]}, headers=headers)
    assert check.json()["missing"] == []
    assert srv.branch_row(code)["files"] == 1

    # Bytes that do not match the hash are refused, and nothing is stored under it.
    other = hashlib.sha256(b"khac").hexdigest()
    bad = srv.http.put(f"{srv.url}/api/v1/files/{other}", data=data, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"] == "hash_mismatch"
    assert "không khớp" in bad.json()["message"]
    assert (
        srv.http.put(f"{srv.url}/api/v1/files/xyz", data=data, headers=headers).status_code == 400
    )
    assert srv.http.put(url, data=data, headers=PROTO).status_code == 401

    # Another branch knowing the hash cannot download the file until it sends the bytes.
    _code2, token2 = srv.enrolled_branch()
    other_branch = {**PROTO, "Authorization": f"Bearer {token2}"}
    assert srv.http.get(url, headers=other_branch).status_code == 404
    assert srv.http.put(url, data=data, headers=other_branch).json()["created"] is True
    assert srv.http.get(url, headers=other_branch).content == data


def test_files_over_the_limit_are_refused_and_the_document_still_goes(book: Book, srv: Srv) -> None:
    assert srv.thread is not None
    srv.thread.app.state.max_file_bytes = 50_000
    code = enrolled(book, srv)
    big = make_pdf([PARTY_PLAN] * 40)
    assert len(big) > 50_000
    sha = hashlib.sha256(big).hexdigest()
    resp = srv.http.put(f"{srv.url}/api/v1/files/{sha}", data=big, headers=_branch_headers(book))
    assert resp.status_code == 413 and "Tệp quá lớn" in resp.json()["message"]

    small = make_docx(["Danh sách đảng viên tổ 5"])
    for data, name in ((big, "tai-lieu-lon.pdf"), (small, "danh-sach-to-5.docx")):
        assert documents.import_bytes(book, data=data, filename=name).status == "imported"
    report = run_sync(book, policy=FAST).as_json()
    assert report["files_too_large"] == 1 and report["files_uploaded"] == 1
    assert report["rejected"] == 0 and report["pending"] == 0
    row = srv.branch_row(code)
    assert (row["documents"], row["files"], row["file_bytes"]) == (2, 1, len(small))

"""Every hostile or malformed request is refused with a 4xx, before it costs memory (issue 14).

Bodies are capped before they are read; gzip batches are inflated off the event loop with a
ratio cap; values no desktop sends (a lone surrogate, NUL, NaN, nesting too deep) reject the
one change that holds them, or the small request, never a 5xx the client would retry.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import socket
import threading
import time
import uuid
from typing import Any

import pytest
from srvkit import PROTO, Srv, change

from server import batches


def _raw(srv: Srv, request: bytes, timeout: float = 5.0) -> bytes:
    """Send bytes on a fresh connection; what the server answered before closing."""
    host, port = srv.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
                if b"\r\n\r\n" in data and b"}" in data:
                    break
        except TimeoutError:
            pass
    return data


def test_a_huge_declared_body_is_refused_before_it_is_sent(sqlite_srv: Srv) -> None:
    started = time.monotonic()
    answer = _raw(
        sqlite_srv,
        b"POST /api/v1/enrol HTTP/1.1\r\nHost: x\r\nX-Sotay-Protocol: 1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 419430400\r\n\r\n{",
    )
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["error"] == "too_large" and "Yêu cầu quá lớn" in body["message"]
    assert time.monotonic() - started < 3


def test_a_streamed_body_is_cut_at_its_cap(sqlite_srv: Srv) -> None:
    host, port = sqlite_srv.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    chunk = b"x" * 65536

    def endless() -> Any:
        for _ in range(1024):  # 64 MiB, if anyone read it all
            yield chunk

    try:
        conn.request(
            "POST",
            "/api/v1/enrol",
            body=endless(),
            headers={**PROTO, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        status, body = response.status, json.loads(response.read())
    except (BrokenPipeError, ConnectionResetError):
        pytest.fail("the server closed the connection without an answer")
    finally:
        conn.close()
    assert status == 413 and body["error"] == "too_large"


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/api/v1/enrol", 9 * 1024, 413),  # a few KB for small JSON
        ("/api/v1/admin/branches", 9 * 1024, 413),
        ("/api/v1/files/check", 200 * 1024, 413),
        ("/api/v1/enrol", 2 * 1024, 400),  # under the cap: an ordinary bad request
    ],
)
def test_small_json_bodies_are_capped(sqlite_srv: Srv, path: str, size: int, status: int) -> None:
    body = json.dumps({"code": "A" * size}).encode()
    answer = sqlite_srv.http.post(
        f"{sqlite_srv.url}{path}",
        data=body,
        headers={**PROTO, "Content-Type": "application/json", "Authorization": "Bearer x"},
    )
    assert answer.status_code in (status, 401 if status == 400 else status), answer.text
    assert answer.json()["message"]


def test_a_gzip_bomb_is_refused_off_the_event_loop(
    sqlite_srv: Srv, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, token = sqlite_srv.enrolled_branch()
    assert sqlite_srv.thread is not None
    loop_thread = sqlite_srv.thread._thread
    seen: list[threading.Thread] = []
    real = batches.decompress

    def watched(body: bytes, encoding: str | None) -> bytes:
        seen.append(threading.current_thread())
        return real(body, encoding)

    monkeypatch.setattr(batches, "decompress", watched)
    doc = {"batch_id": str(uuid.uuid4()), "branch_code": code, "changes": [],
           "pad": " " * (31 * 1024 * 1024)}  # fmt: skip
    bomb = gzip.compress(json.dumps(doc).encode(), compresslevel=9)
    assert len(bomb) < 64 * 1024
    answer = sqlite_srv.http.post(
        f"{sqlite_srv.url}/api/v1/batches",
        data=bomb,
        headers={**PROTO, "Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 413 and answer.json()["error"] == "too_large"
    assert "giải nén" in answer.json()["message"]
    assert seen and all(t is not loop_thread for t in seen)


def _post_raw_batch(srv: Srv, token: str, text: str) -> Any:
    return srv.http.post(
        f"{srv.url}/api/v1/batches",
        data=gzip.compress(text.encode("utf-8")),
        headers={**PROTO, "Authorization": f"Bearer {token}", "Content-Encoding": "gzip",
                 "Content-Type": "application/json"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("lone surrogate", '"Nguy\\ud800n"'),
        ("NUL", '"An\\u0000"'),
        ("NaN", "NaN"),
        ("Infinity", "-Infinity"),
        ("deep", "[" * 200 + "]" * 200),
    ],
)
def test_an_odd_value_rejects_only_its_change(srv: Srv, label: str, value: str) -> None:
    code, token = srv.enrolled_branch()
    good = change("member", fields={"full_name": "Nguyễn Văn An"})
    # In a field the server does not know (kept as sent): no type check catches it there.
    bad = change("member", fields={"full_name": "Trần Văn Bình", "ghi_chu_rieng": "CHỖ"})
    bad_text = json.dumps(bad, ensure_ascii=False).replace('"CHỖ"', value)
    if label in ("lone surrogate", "NUL"):  # in the record's id too: must still be stored
        bad_text = bad_text.replace(bad["entity_id"], bad["entity_id"][:-2] + value.strip('"'))
    head = json.dumps({"batch_id": str(uuid.uuid4()), "branch_code": code})[:-1]
    text = f'{head}, "changes": [{json.dumps(good)}, {bad_text}]}}'
    answer = _post_raw_batch(srv, token, text)
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["results"]
    assert first["result"] == "applied"
    assert second["result"] == "rejected" and second["reason_code"] == "invalid_fields"
    assert second["reason"] and second["reason"][0].isupper()
    # The same batch again is answered from what was stored.
    assert _post_raw_batch(srv, token, text).json()["replayed"] is True


def test_a_batch_nested_a_thousand_deep_is_malformed(sqlite_srv: Srv) -> None:
    code, token = sqlite_srv.enrolled_branch()
    deep = "[" * 5000 + "]" * 5000
    head = json.dumps({"batch_id": str(uuid.uuid4()), "branch_code": code, "changes": []})[:-1]
    text = f'{head}, "x": {deep}}}'
    answer = _post_raw_batch(sqlite_srv, token, text)
    assert answer.status_code == 400 and answer.json()["error"] == "malformed"


@pytest.mark.parametrize(
    "body",
    [
        '{"code": "ABCD\\ud800", "device_name": ""}',
        '{"code": "ABCD\\u0000EF"}',
        '{"code": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"code": NaN}',
    ],
)
def test_enrolment_with_odd_values_is_a_bad_request(sqlite_srv: Srv, body: str) -> None:
    answer = sqlite_srv.http.post(
        f"{sqlite_srv.url}/api/v1/enrol",
        data=body.encode(),
        headers={**PROTO, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "malformed"


@pytest.mark.parametrize(
    "patch",
    [
        {"file_b64": "tệp-không-phải-base64"},
        {"file_b64": "@@@@"},
        {"fields": {"title": "Nghị quyết\u0000"}},
        {"fields": {"title": "Nghị quyết \ud800"}},
    ],
)
def test_publish_with_bad_values_is_a_bad_request(sqlite_srv: Srv, patch: dict[str, Any]) -> None:
    admin = sqlite_srv.cli_json("admin", "create-token")["admin_token"]
    body = {"branches": "all", "entity": "document", "fields": {"title": "Nghị quyết 57"}}
    body.update(patch)
    raw = json.dumps(body).encode("ascii")
    answer = sqlite_srv.http.post(
        f"{sqlite_srv.url}/api/v1/admin/publish",
        data=raw,
        headers={**PROTO, "Authorization": f"Bearer {admin}",
                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] == "malformed"


def test_a_good_publication_with_a_file_still_works(sqlite_srv: Srv) -> None:
    admin = sqlite_srv.cli_json("admin", "create-token")["admin_token"]
    answer = sqlite_srv.http.post(
        f"{sqlite_srv.url}/api/v1/admin/publish",
        json={"branches": "all", "entity": "document",
              "fields": {"title": "Nghị quyết 57", "filename": "nq.txt"},
              "file_b64": base64.b64encode("Nội dung".encode()).decode()},
        headers={**PROTO, "Authorization": f"Bearer {admin}"},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("method", "path", "who"),
    [
        ("GET", "/api/v1/files/%00abc", "device"),
        ("GET", "/api/v1/admin/reports?branch=%00", "admin"),
        ("POST", "/api/v1/admin/branches/%00/feedback/%00/answer", "admin"),
    ],
)
def test_nul_in_the_address_is_a_bad_request(srv: Srv, method: str, path: str, who: str) -> None:
    _code, token = srv.enrolled_branch()
    secret = token if who == "device" else srv.admin_token()
    answer = srv.http.request(
        method,
        f"{srv.url}{path}",
        json={"answer": "Đã tiếp thu"} if method == "POST" else None,
        headers={**PROTO, "Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] in ("malformed", "invalid")

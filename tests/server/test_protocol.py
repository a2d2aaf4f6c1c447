"""Versioning, enrolment, authentication and the error shapes of protocol 1."""

from __future__ import annotations

import gzip
import json
import os

from srvkit import PROTO, Srv, batch, change


def test_info_and_openapi_are_served(srv: Srv) -> None:
    info = srv.http.get(f"{srv.url}/api/v1/info").json()
    assert info["protocol"] == 1 and info["supported_protocols"] == [1]
    spec = srv.http.get(f"{srv.url}/openapi.json").json()
    assert "/api/v1/batches" in spec["paths"] and "/api/v1/changes" in spec["paths"]


def test_unknown_or_missing_protocol_version_is_426(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    for headers in ({}, {"X-Sotay-Protocol": "2"}, {"X-Sotay-Protocol": "abc"}):
        resp = srv.http.get(
            f"{srv.url}/api/v1/changes", headers={**headers, "Authorization": f"Bearer {token}"}
        )
        assert resp.status_code == 426
        body = resp.json()
        assert body["error"] == "upgrade_required"
        assert "cập nhật" in body["message"]
        assert body["supported_protocols"] == [1]
    # Nothing was stored by a refused upload either.
    body = gzip.compress(json.dumps(batch(code, change("member"))).encode())
    resp = srv.http.post(
        f"{srv.url}/api/v1/batches",
        data=body,
        headers={
            "X-Sotay-Protocol": "9",
            "Authorization": f"Bearer {token}",
            "Content-Encoding": "gzip",
        },
    )
    assert resp.status_code == 426
    assert srv.branch_row(code)["members"] == 0


def test_enrolment_code_is_one_time_and_token_works(srv: Srv) -> None:
    code, enrolment = srv.new_branch("Chi bộ Khu phố 5")
    first = srv.enrol(enrolment.lower().replace("-", " "))  # case and separators do not matter
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["branch"] == {"code": code, "name": "Chi bộ Khu phố 5"}
    token = body["device_token"]
    again = srv.enrol(enrolment)
    assert again.status_code == 403
    assert again.json()["error"] == "bad_enrolment_code"
    me = srv.get("/api/v1/me", token)
    assert me.status_code == 200 and me.json()["branch"]["code"] == code
    # The server keeps only a hash of the token.
    assert token not in srv.cli("tokens", "list", "--code", code)


def test_missing_wrong_and_revoked_tokens_are_401(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    assert srv.get("/api/v1/changes").status_code == 401
    wrong = srv.get("/api/v1/changes", "sotay_not-a-token")
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized"
    assert srv.get("/api/v1/changes", token).status_code == 200
    out = srv.cli_json("tokens", "revoke", "--code", code)
    assert out == {"revoked": 1}
    revoked = srv.post_batch(token, batch(code, change("member", fields={"full_name": "A"})))
    assert revoked.status_code == 401
    assert "đăng ký lại" in revoked.json()["message"]
    assert srv.branch_row(code)["members"] == 0
    # A new code re-enrols the branch.
    fresh = srv.cli_json("branches", "new-code", "--code", code)["enrolment_code"]
    assert srv.enrol(fresh).status_code == 200


def test_branches_revoke_tokens_alias(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    srv.cli("branches", "revoke-tokens", "--code", code)
    assert srv.get("/api/v1/changes", token).status_code == 401


def test_malformed_batches_are_400_and_store_nothing(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    cases = [
        srv.post_batch(token, b"{not json"),
        srv.post_batch(token, batch(code, change("member")), gz=False),  # not gzip
        srv.post_batch(token, b"\x1f\x8b\x08garbage", gz=False),  # broken gzip
        srv.post_batch(token, {"branch_code": code, "changes": []}),  # no batch id
        srv.post_batch(token, {"batch_id": "x", "branch_code": code, "changes": []}),
        srv.post_batch(token, batch(code, {"entity": "member", "op": "upsert"})),  # no op_id
        srv.post_batch(token, batch(code, change("member") | {"fields": [1, 2]})),
        srv.post_batch(token, batch(code, change("member") | {"version": "2"})),
    ]
    for resp in cases:
        assert resp.status_code == 400, resp.text
        body = resp.json()
        assert body["error"] == "malformed" and body["message"]
    assert srv.branch_row(code)["members"] == 0


def test_oversized_batches_are_413(srv: Srv) -> None:
    code, token = srv.enrolled_branch()
    big = os.urandom(9 * 1024 * 1024)  # over 8 MiB on the wire
    resp = srv.post_batch(token, big, gz=False)
    assert resp.status_code == 413 and resp.json()["error"] == "too_large"
    # A small body that inflates past 32 MiB (a gzip bomb).
    bomb = gzip.compress(b" " * (33 * 1024 * 1024))
    resp = srv.post_batch(token, bomb, gz=False)
    assert resp.status_code == 413
    many = batch(code, *[change("member") for _ in range(1001)])
    assert srv.post_batch(token, many).status_code == 413
    assert srv.branch_row(code)["members"] == 0


def test_batch_for_another_branch_is_403(srv: Srv) -> None:
    code_a, token_a = srv.enrolled_branch()
    code_b, _ = srv.enrolled_branch()
    resp = srv.post_batch(token_a, batch(code_b, change("member", fields={"full_name": "X"})))
    assert resp.status_code == 403 and resp.json()["error"] == "wrong_branch"
    assert srv.branch_row(code_b)["members"] == 0
    assert srv.branch_row(code_a)["members"] == 0


def test_unknown_route_is_json_404(srv: Srv) -> None:
    resp = srv.http.get(f"{srv.url}/api/v1/nothing", headers=PROTO)
    assert resp.status_code == 404 and resp.json()["error"] == "not_found"

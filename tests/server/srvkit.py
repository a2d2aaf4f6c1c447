"""Helpers to drive the reference server in tests: a running server, the committee CLI,
the branch API, and change/batch builders. Shared by tests/server and tests/sync."""

from __future__ import annotations

import atexit
import gzip
import io
import json
import os
import shutil
import tempfile
import uuid
from contextlib import redirect_stdout
from typing import Any

import pytest
import requests

from server.cli import main as server_main
from server.runner import ServerThread

PROTO = {"X-Sotay-Protocol": "1"}

# Servers started by the tests (threads, child processes, the CLI) seal their data with one
# key file of this test run, never a key in the user's configuration folder.
_TEST_KEY_DIR = tempfile.mkdtemp(prefix="sotay-srv-key-")
os.environ.setdefault("SOTAY_SERVER_KEY_FILE", os.path.join(_TEST_KEY_DIR, "server.key"))
atexit.register(shutil.rmtree, _TEST_KEY_DIR, True)


def pg_base_url() -> str | None:
    url = os.environ.get("SOTAY_TEST_PG_URL")
    if not url:
        if os.environ.get("SOTAY_REQUIRE_PG") == "1":
            pytest.fail(
                "SOTAY_REQUIRE_PG=1 but SOTAY_TEST_PG_URL is not set: PostgreSQL tests would be skipped"
            )
        pytest.skip("SOTAY_TEST_PG_URL not set")
    return url


class Srv:
    """A running server plus helpers to drive it the way a client and the committee do."""

    def __init__(self, thread: ServerThread | None, db_url: str, url: str | None = None) -> None:
        self.thread = thread  # None when the server runs in another process
        self.db_url = db_url
        self.url = url or (thread.url if thread is not None else "")
        self.http = requests.Session()

    # -- committee CLI -----------------------------------------------------------------
    def cli(self, *args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            code = server_main([*args, "--db", self.db_url])
        assert code == 0, out.getvalue()
        return out.getvalue()

    def cli_json(self, *args: str) -> Any:
        return json.loads(self.cli(*args, "--json"))

    def new_branch(self, name: str = "Chi bộ Khu phố 3") -> tuple[str, str]:
        code = "CB-" + uuid.uuid4().hex[:8].upper()
        info = self.cli_json("branches", "add", "--code", code, "--name", name)
        return code, info["enrolment_code"]

    def enrol(self, enrolment_code: str) -> requests.Response:
        return self.http.post(
            f"{self.url}/api/v1/enrol",
            json={"code": enrolment_code, "device_name": "Máy kiểm thử"},
            headers=PROTO,
        )

    def enrolled_branch(self) -> tuple[str, str]:
        code, enrolment = self.new_branch()
        resp = self.enrol(enrolment)
        assert resp.status_code == 200, resp.text
        return code, resp.json()["device_token"]

    def admin_token(self) -> str:
        return str(self.cli_json("admin", "create-token", "--name", "kiểm thử")["admin_token"])

    # -- branch API --------------------------------------------------------------------
    def post_batch(
        self, token: str, body: dict[str, Any] | bytes, *, gz: bool = True
    ) -> requests.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        data = gzip.compress(raw) if gz else raw
        headers = {**PROTO, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if gz:
            headers["Content-Encoding"] = "gzip"
        return self.http.post(f"{self.url}/api/v1/batches", data=data, headers=headers)

    def get(self, path: str, token: str | None = None, **params: Any) -> requests.Response:
        headers = dict(PROTO)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.get(f"{self.url}{path}", headers=headers, params=params)

    def branch_row(self, code: str) -> dict[str, Any]:
        rows = self.cli_json("branches", "list")
        return next(r for r in rows if r["code"] == code)


# The fields every desktop sends for an entity (protocol/schemas.py checks them): `change`
# starts from these so a test names only the fields it is about.
DESKTOP_FIELDS: dict[str, dict[str, Any]] = {
    "branch": {"name": "Chi bộ Khu phố 3"},
    "member": {"full_name": "Nguyễn Văn An", "status": "chinh_thuc"},
    "meeting": {"kind": "thuong_ky", "starts_at": "2025-11-05T19:30:00", "state": "draft"},
    "meeting_document": {"meeting_id": str(uuid.uuid4()), "document_id": str(uuid.uuid4())},
    "absence_request": {
        "meeting_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "reason": "Ốm",
    },
    "attendance_event": {
        "meeting_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "status": "present",
        "seq": 1,
    },
    "attendance": {
        "meeting_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "status": "present",
    },
    "meeting_amendment": {"meeting_id": str(uuid.uuid4())},
    "audit": {},
    "document": {"title": "Biên bản họp chi bộ", "doc_type": "BB"},
    "study_campaign": {"title": "Học tập Nghị quyết 57", "state": "planned"},
    "study_participant": {
        "campaign_id": str(uuid.uuid4()),
        "member_id": str(uuid.uuid4()),
        "attended": False,
        "submitted": False,
    },
    "feedback": {
        "member_id": str(uuid.uuid4()),
        "kind": "gop_y",
        "content": "Đề nghị sửa đèn đường",
        "state": "new",
    },
    "support_session": {"held_on": "2025-11-09", "attendees_json": "[]"},
    "report": {"kind": "monthly", "period": "2025-10", "state": "submitted"},
    "dues_setting": {
        "member_id": str(uuid.uuid4()),
        "effective_from": "2026-01",
        "basis": "salary",
    },
    "dues_payment": {
        "member_id": str(uuid.uuid4()),
        "month": "2026-09",
        "amount": 52000,
        "channel": "cash",
    },
    "dues_remittance": {"period": "2026-Q3", "amount": 109000, "remitted_on": "2026-10-05"},
}


def change(
    entity: str,
    entity_id: str | None = None,
    *,
    op: str = "upsert",
    fields: dict[str, Any] | None = None,
    base: int = 0,
    version: int = 1,
    bare: bool = False,
) -> dict[str, Any]:
    """One change as the desktop sends it; `bare` sends exactly `fields`, nothing added."""
    typical = {} if bare or op == "delete" else DESKTOP_FIELDS.get(entity, {})
    return {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "entity_id": entity_id or str(uuid.uuid4()),
        "op": op,
        "fields": {**typical, **(fields or {})},
        "base_version": base,
        "version": version,
    }


def batch(code: str, *changes: dict[str, Any]) -> dict[str, Any]:
    return {"batch_id": str(uuid.uuid4()), "branch_code": code, "changes": list(changes)}

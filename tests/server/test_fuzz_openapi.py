"""A bounded property-based run of schemathesis against the server's own OpenAPI: whatever it
sends — with a valid device token, an admin token, or none — the answer is never a 5xx.

It runs on PostgreSQL when SOTAY_TEST_PG_URL is set (its own schema, dropped after): that is
the stricter database (no NUL in text, typed integers); otherwise on a SQLite file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from server.accounts import add_branch, create_admin_token, enrol
from server.api import create_app
from server.runner import pg_create_schema, pg_drop_schema, pg_schema_url

PROTO = {"X-Sotay-Protocol": "1"}
_FOLDER = Path(tempfile.mkdtemp(prefix="sotay-fuzz-"))
_PG = os.environ.get("SOTAY_TEST_PG_URL")
_SCHEMA = "sotay_fuzz_" + uuid.uuid4().hex[:8]


def _app() -> object:
    if _PG:
        pg_create_schema(_PG, _SCHEMA)
        url = pg_schema_url(_PG, _SCHEMA)
    else:
        url = f"sqlite:///{_FOLDER / 'fuzz.db'}"
    app = create_app(url, key_file=str(_FOLDER / "fuzz.key"))
    with app.state.db.sessions.begin() as session:
        issued = add_branch(session, code="CB-FUZZ", name="Chi bộ thử")
        device = enrol(session, code=issued.enrolment_code, device_name="Máy thử")
        admin = create_admin_token(session, "thử")
    app.state.fuzz_tokens = {"device": device.device_token, "admin": admin}
    return app


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _close() -> Iterator[None]:
    yield
    APP.state.db.dispose()  # type: ignore[attr-defined]
    if _PG:
        pg_drop_schema(_PG, _SCHEMA)
    shutil.rmtree(_FOLDER, ignore_errors=True)


def _call(case: schemathesis.Case) -> None:
    tokens = APP.state.fuzz_tokens  # type: ignore[attr-defined]
    path = case.operation.path
    token = tokens["admin"] if path.startswith("/api/v1/admin") else tokens["device"]
    headers = {**PROTO, "Authorization": f"Bearer {token}", **dict(case.headers or {})}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error])


_BOUNDED = settings(
    deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, max_examples=30
)


@schema.parametrize()
@_BOUNDED
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:
    _call(case)


# The requests that take free text from outside (a committee tool, an enrolment form) get a
# longer run: that is where arbitrary Unicode (a non-ASCII file_b64, say) used to be a 500.
@schema.include(path_regex="^/api/v1/(admin/publish|enrol|admin/branches)$").parametrize()
@settings(_BOUNDED, max_examples=150)
def test_free_text_requests_get_no_server_error(case: schemathesis.Case) -> None:
    _call(case)

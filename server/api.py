"""The HTTP API of sync protocol 1 (docs/sync-protocol.md), as a FastAPI app."""

from __future__ import annotations

import base64
import binascii
import html
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.vocab import Entity
from protocol import (
    DEFAULT_PULL_LIMIT,
    MAX_COMPRESSED_BYTES,
    MAX_FILE_BYTES,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
)
from server import accounts, batches, publish, records, stats, uploads
from server.db import Database
from server.limits import (
    BodyLimitMiddleware,
    Network,
    client_address,
    json_problem,
    proxies_from_env,
)
from server.models import Branch, DeviceToken, Record
from server.overview import overview_html
from server.protocol import (
    ENROL_MAX_FAILURES,
    ENROL_WINDOW_SECONDS,
    SERVER_VERSION,
    ApiError,
    malformed,
    too_large,
    unauthorized,
    upgrade_required,
)
from server.ratelimit import DbFailureLimiter, FailureLimiter
from server.vault import ServerKeyError

UNVERSIONED_PATHS = frozenset({"/api/v1/info"})


def _clean_text(value: str) -> str:
    problem = json_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class EnrolRequest(BaseModel):
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(default="", max_length=200)

    _text = field_validator("code", "device_name")(_clean_text)


class BranchRequest(BaseModel):
    code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=200)

    _text = field_validator("code", "name")(_clean_text)


class AnswerRequest(BaseModel):
    answer: str = Field(min_length=1, max_length=10_000)
    answered_by: str = Field(default="", max_length=200)
    answered_on: str | None = Field(default=None, max_length=10)
    note: str = Field(default="", max_length=2000)

    _text = field_validator("answer", "answered_by", "answered_on", "note")(
        lambda v: v if v is None else _clean_text(v)
    )


class FileCheckRequest(BaseModel):
    sha256: list[str] = Field(max_length=uploads.MAX_CHECK)


class PublishRequest(BaseModel):
    branches: list[str] | Literal["all"]
    # What the committee may publish to branches: documents, and a change to one member.
    entity: Literal[Entity.DOCUMENT, Entity.MEMBER]
    entity_id: str | None = Field(default=None, max_length=64)
    fields: dict[str, Any]
    file_b64: str | None = None
    note: str = Field(default="", max_length=2000)

    @field_validator("fields", "entity_id", "note", "branches")
    @classmethod
    def _no_odd_values(cls, value: Any) -> Any:
        problem = json_problem(value)
        if problem:
            raise ValueError(problem)
        return value


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def device(request: Request) -> DeviceToken:
    """The enrolled device behind the bearer token, or 401."""
    secret = _bearer(request)
    if not secret:
        raise unauthorized()
    with _db(request).sessions() as session:
        found = accounts.device_for_token(session, secret)
    if found is None:
        raise unauthorized()
    return found


def admin(request: Request) -> None:
    secret = _bearer(request)
    with _db(request).sessions() as session:
        ok = bool(secret) and accounts.admin_token_valid(session, secret or "")
    if not ok:
        raise ApiError(403, "forbidden", "Cần mã quản trị của Đảng ủy cấp trên.")


Device = Annotated[DeviceToken, Depends(device)]


def _client_address(request: Request) -> str:
    """The peer's address; X-Forwarded-For is believed only from a configured proxy."""
    peer = request.client.host if request.client is not None else "unknown"
    proxies: tuple[Network, ...] = request.app.state.trusted_proxies
    return client_address(peer, request.headers.get("x-forwarded-for"), proxies)


def too_many_attempts(seconds: int) -> ApiError:
    minutes = max(1, -(-seconds // 60))
    return ApiError(
        429,
        "too_many_attempts",
        f"Đã nhập sai mã đăng ký quá nhiều lần. Vui lòng đợi khoảng {minutes} phút rồi thử "
        "lại, và kiểm tra kỹ mã do Đảng ủy cấp trên cấp.",
        headers={"Retry-After": str(seconds)},
        retry_after=seconds,
    )


async def _read_capped(request: Request, limit: int, message: str) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(message)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(message)
        chunks.append(chunk)
    return b"".join(chunks)


def app_from_env() -> FastAPI:
    """The app factory uvicorn's workers import (`sotay-server serve --workers N`, gunicorn):
    the database from SOTAY_SERVER_DB, trusted proxies from SOTAY_SERVER_TRUSTED_PROXIES."""
    from server.db import resolve_db_url

    return create_app(resolve_db_url(None), trusted_proxies=proxies_from_env())


def create_app(
    db_url: str,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    enrol_max_failures: int = ENROL_MAX_FAILURES,
    enrol_window_seconds: float = ENROL_WINDOW_SECONDS,
    trusted_proxies: tuple[Network, ...] = (),
    key_file: str | None = None,
) -> FastAPI:
    db = Database(db_url, key_file=key_file, serving=True)  # no key rotation while it runs
    app = FastAPI(
        title="Sổ tay Chi bộ — máy chủ đồng bộ (tham chiếu)",
        version=SERVER_VERSION,
        description="Reference central server for sync protocol 1. See docs/sync-protocol.md.",
    )
    app.state.db = db
    app.state.max_file_bytes = max_file_bytes
    app.state.trusted_proxies = trusted_proxies
    app.state.enrol_limiter = DbFailureLimiter(
        db.sessions, limit=enrol_max_failures, window=enrol_window_seconds
    )
    app.add_middleware(GZipMiddleware, minimum_size=2048)

    @app.middleware("http")
    async def protocol_version(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if path.startswith("/api/") and path not in UNVERSIONED_PATHS:
            raw = request.headers.get(PROTOCOL_HEADER, "").strip()
            if not raw.isdigit() or int(raw) not in SUPPORTED_PROTOCOLS:
                err = upgrade_required()
                return JSONResponse(err.body(), status_code=err.status)
        response: Response = await call_next(request)
        if path.startswith("/api/"):
            response.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
        return response

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = dict(exc.headers)
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {
                "error": "malformed",
                "message": "Yêu cầu không đúng định dạng.",
                "detail": str(exc.errors())[:2000],
            },
            status_code=400,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error" if exc.status_code != 400 else "malformed"
        )
        message = {
            404: "Không có địa chỉ này trên máy chủ.",
            405: "Phương thức không được hỗ trợ.",
            400: "Yêu cầu không đúng định dạng.",
            413: "Yêu cầu quá lớn.",
        }
        text = str(exc.detail) if exc.status_code == 413 else None
        return JSONResponse(
            {"error": code, "message": text or message.get(exc.status_code, str(exc.detail))},
            status_code=exc.status_code,
        )

    @app.exception_handler(UnicodeError)
    @app.exception_handler(RecursionError)
    @app.exception_handler(DataError)
    async def _undecodable(_request: Request, _exc: Exception) -> JSONResponse:
        # Backstop: text no desktop sends (a lone surrogate, nesting too deep) is the
        # client's fault, never the server's (a 5xx would make the client retry forever).
        return JSONResponse(
            {"error": "malformed", "message": "Yêu cầu có dữ liệu không hợp lệ."}, status_code=400
        )

    @app.exception_handler(ServerKeyError)
    async def _key_error(_request: Request, exc: ServerKeyError) -> JSONResponse:
        return JSONResponse({"error": "server_key", "message": exc.message}, status_code=500)

    @app.exception_handler(accounts.AdminError)
    async def _admin_error(_request: Request, exc: accounts.AdminError) -> JSONResponse:
        return JSONResponse({"error": "invalid", "message": str(exc)}, status_code=400)

    @app.get("/api/v1/info", tags=["sync"])
    async def info() -> dict[str, Any]:
        # On the event loop itself (no thread needed): answered even while every worker
        # thread is busy applying batches.
        return {
            "service": "sotay-server",
            "protocol": PROTOCOL_VERSION,
            "supported_protocols": list(SUPPORTED_PROTOCOLS),
            "server_version": SERVER_VERSION,
            "server_id": db.server_id,
        }

    @app.post("/api/v1/enrol", tags=["sync"])
    def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
        limiter: FailureLimiter | DbFailureLimiter = request.app.state.enrol_limiter
        address = _client_address(request)
        wait = limiter.retry_after(address)
        if wait is not None:
            raise too_many_attempts(wait)
        try:
            with db.sessions.begin() as session:
                done = accounts.enrol(session, code=body.code, device_name=body.device_name)
        except ApiError as exc:
            if exc.code == "bad_enrolment_code":
                limiter.failed(address)
            raise
        return {
            "device_id": done.device_id,
            "device_token": done.device_token,
            "branch": {"code": done.branch_code, "name": done.branch_name},
            "protocol": PROTOCOL_VERSION,
            "device_ordinal": done.device_ordinal,
            "receipt_series_in_use": list(done.receipt_series_in_use),
        }

    @app.get("/api/v1/me", tags=["sync"])
    def me(dev: Device) -> dict[str, Any]:
        with db.sessions() as session:
            branch = session.get(Branch, dev.branch_id)
            assert branch is not None
            held = session.scalar(
                select(func.count()).select_from(Record).where(Record.branch_id == branch.id)
            )
            return {
                "device_id": dev.id,
                "branch": {"code": branch.code, "name": branch.name},
                "server_id": db.server_id,
                "records": int(held or 0),
            }

    @app.post(
        "/api/v1/batches",
        tags=["sync"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "gzip-compressed JSON: {batch_id, branch_code, changes[]}",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    )
    async def post_batch(request: Request, dev: Device) -> dict[str, Any]:
        body = await _read_capped(
            request, MAX_COMPRESSED_BYTES, "Gói dữ liệu đồng bộ quá lớn (tối đa 8 MB đã nén)."
        )
        if not body:
            raise malformed("Gói dữ liệu đồng bộ trống.")
        encoding = request.headers.get("content-encoding")

        def work() -> dict[str, Any]:
            # Inflating and parsing up to 32 MB is CPU work: off the event loop, so /info and
            # every other request keep being answered meanwhile.
            raw = batches.decompress(body, encoding)
            return batches.receive_batch(db.sessions, dev, raw)

        return await run_in_threadpool(work)

    @app.get("/api/v1/changes", tags=["sync"])
    def changes(
        dev: Device,
        since: Annotated[str, Query(max_length=40)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    ) -> dict[str, Any]:
        if since and not since.isdigit():
            raise malformed("Con trỏ đồng bộ (since) không hợp lệ.")
        with db.sessions() as session:
            return publish.feed_page(session, dev.branch_id, int(since or 0), limit)

    @app.get("/api/v1/files/{sha256}", tags=["sync"])
    def file(sha256: str, dev: Device) -> Response:
        with db.sessions() as session:
            blob = publish.file_for_branch(session, dev.branch_id, sha256.lower())
            if blob is None:
                raise ApiError(404, "not_found", "Không có tệp này cho chi bộ.")
            return Response(content=blob.data, media_type=blob.mime)

    @app.post("/api/v1/files/check", tags=["sync"])
    def files_check(body: FileCheckRequest, request: Request, dev: Device) -> dict[str, Any]:
        with db.sessions() as session:
            missing = uploads.missing(session, dev.branch_id, body.sha256)
        return {"missing": missing, "max_bytes": request.app.state.max_file_bytes}

    @app.put(
        "/api/v1/files/{sha256}",
        tags=["sync"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "the file's bytes; the path names their SHA-256",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        },
    )
    async def file_upload(sha256: str, request: Request, dev: Device) -> dict[str, Any]:
        digest = uploads.check_digest(sha256)
        limit: int = request.app.state.max_file_bytes
        data = await _read_capped(
            request, limit, f"Tệp quá lớn (máy chủ nhận tệp tối đa {uploads.human_size(limit)})."
        )
        mime = request.headers.get("content-type", "application/octet-stream")

        def store() -> bool:
            for attempt in range(2):
                try:
                    with db.sessions.begin() as session:
                        return uploads.receive(session, dev.branch_id, digest, data, mime)
                except IntegrityError:
                    if attempt == 1:  # the same file stored concurrently, twice: give up
                        raise
            raise AssertionError("unreachable")

        created = await run_in_threadpool(store)
        return {"sha256": digest, "size": len(data), "created": created}

    @app.get("/api/v1/admin/branches", tags=["committee"], dependencies=[Depends(admin)])
    def admin_branches() -> dict[str, Any]:
        with db.sessions() as session:
            return {"branches": stats.branches_overview(session)}

    @app.post("/api/v1/admin/branches", tags=["committee"], dependencies=[Depends(admin)])
    def admin_add_branch(body: BranchRequest) -> dict[str, object]:
        with db.sessions.begin() as session:
            return accounts.add_branch(session, code=body.code, name=body.name).as_json()

    @app.post("/api/v1/admin/publish", tags=["committee"], dependencies=[Depends(admin)])
    def admin_publish(body: PublishRequest) -> dict[str, object]:
        with db.sessions.begin() as session:
            if body.entity is Entity.DOCUMENT:
                data = None
                if body.file_b64:
                    try:
                        data = base64.b64decode(body.file_b64.encode("ascii"), validate=True)
                    except (binascii.Error, ValueError) as exc:
                        raise malformed("Tệp đính kèm (file_b64) không phải base64.") from exc
                done = publish.publish_document(
                    session,
                    branches=body.branches,
                    fields=body.fields,
                    file_data=data,
                    entity_id=body.entity_id,
                    note=body.note,
                )
            else:
                if body.branches == "all" or len(body.branches) != 1:
                    raise malformed("Thay đổi đảng viên chỉ gửi cho đúng một chi bộ.")
                done = publish.publish_member(
                    session,
                    branch=body.branches[0],
                    fields=body.fields,
                    entity_id=body.entity_id,
                    note=body.note,
                )
            return done.as_json()

    @app.post(
        "/api/v1/admin/branches/{code}/feedback/{feedback_id}/answer",
        tags=["committee"],
        dependencies=[Depends(admin)],
    )
    def admin_answer(code: str, feedback_id: str, body: AnswerRequest) -> dict[str, object]:
        with db.sessions.begin() as session:
            done = publish.publish_feedback_answer(
                session,
                branch=code,
                feedback_id=feedback_id,
                answer=body.answer,
                answered_by=body.answered_by,
                answered_on=body.answered_on,
                note=body.note,
            )
            return done.as_json()

    @app.get("/api/v1/admin/feedback", tags=["committee"], dependencies=[Depends(admin)])
    def admin_feedback(
        branch: Annotated[str | None, Query(max_length=50)] = None,
        state: Annotated[str | None, Query(max_length=20)] = None,
    ) -> dict[str, Any]:
        with db.sessions() as session:
            return {"feedback": records.feedback_items(session, branch=branch, state=state)}

    @app.get("/api/v1/admin/reports", tags=["committee"], dependencies=[Depends(admin)])
    def admin_reports(
        branch: Annotated[str | None, Query(max_length=50)] = None,
    ) -> dict[str, Any]:
        with db.sessions() as session:
            return {"reports": records.report_versions(session, branch=branch)}

    @app.get(
        "/api/v1/admin/reports/{report:path}", tags=["committee"], dependencies=[Depends(admin)]
    )
    def admin_report(
        report: str,
        branch: Annotated[str | None, Query(max_length=50)] = None,
        version: Annotated[int | None, Query(ge=1)] = None,
    ) -> dict[str, Any]:
        with db.sessions() as session:
            found = records.report_detail(session, report=report, branch=branch, version=version)
            return {"versions": found}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> Response:
        secret = _bearer(request)
        with db.sessions() as session:
            if not secret or not accounts.admin_token_valid(session, secret):
                return HTMLResponse(
                    "<!doctype html><meta charset=utf-8><title>Cần đăng nhập</title>"
                    "<p>Cần mã quản trị của Đảng ủy cấp trên (nhập làm mật khẩu).</p>",
                    status_code=401,
                    headers={"WWW-Authenticate": 'Basic realm="sotay-server", charset="UTF-8"'},
                )
            rows = stats.branches_overview(session)
        return HTMLResponse(overview_html(rows, escape=html.escape))

    # Outermost: a body over its cap is refused before any other layer reads it.
    app.add_middleware(BodyLimitMiddleware, max_file_bytes=max_file_bytes)
    return app

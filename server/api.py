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
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

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
from server.models import Branch, DeviceToken
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
from server.ratelimit import FailureLimiter

UNVERSIONED_PATHS = frozenset({"/api/v1/info"})


class EnrolRequest(BaseModel):
    code: str = Field(min_length=4, max_length=64)
    device_name: str = Field(default="", max_length=200)


class BranchRequest(BaseModel):
    code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=200)


class AnswerRequest(BaseModel):
    answer: str = Field(min_length=1, max_length=10_000)
    answered_by: str = Field(default="", max_length=200)
    answered_on: str | None = Field(default=None, max_length=10)
    note: str = Field(default="", max_length=2000)


class FileCheckRequest(BaseModel):
    sha256: list[str] = Field(max_length=uploads.MAX_CHECK)


class PublishRequest(BaseModel):
    branches: list[str] | Literal["all"]
    entity: Literal["document", "member"]
    entity_id: str | None = Field(default=None, max_length=64)
    fields: dict[str, Any]
    file_b64: str | None = None
    note: str = Field(default="", max_length=2000)


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
    return request.client.host if request.client is not None else "unknown"


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


def create_app(
    db_url: str,
    *,
    max_file_bytes: int = MAX_FILE_BYTES,
    enrol_max_failures: int = ENROL_MAX_FAILURES,
    enrol_window_seconds: float = ENROL_WINDOW_SECONDS,
) -> FastAPI:
    db = Database(db_url)
    app = FastAPI(
        title="Sổ tay Chi bộ — máy chủ đồng bộ (tham chiếu)",
        version=SERVER_VERSION,
        description="Reference central server for sync protocol 1. See docs/sync-protocol.md.",
    )
    app.state.db = db
    app.state.max_file_bytes = max_file_bytes
    app.state.enrol_limiter = FailureLimiter(limit=enrol_max_failures, window=enrol_window_seconds)
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
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = {404: "Không có địa chỉ này trên máy chủ.", 405: "Phương thức không được hỗ trợ."}
        return JSONResponse(
            {"error": code, "message": message.get(exc.status_code, str(exc.detail))},
            status_code=exc.status_code,
        )

    @app.exception_handler(accounts.AdminError)
    async def _admin_error(_request: Request, exc: accounts.AdminError) -> JSONResponse:
        return JSONResponse({"error": "invalid", "message": str(exc)}, status_code=400)

    @app.get("/api/v1/info", tags=["sync"])
    def info() -> dict[str, Any]:
        return {
            "service": "sotay-server",
            "protocol": PROTOCOL_VERSION,
            "supported_protocols": list(SUPPORTED_PROTOCOLS),
            "server_version": SERVER_VERSION,
        }

    @app.post("/api/v1/enrol", tags=["sync"])
    def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
        limiter: FailureLimiter = request.app.state.enrol_limiter
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
        }

    @app.get("/api/v1/me", tags=["sync"])
    def me(dev: Device) -> dict[str, Any]:
        with db.sessions() as session:
            branch = session.get(Branch, dev.branch_id)
            assert branch is not None
            return {"device_id": dev.id, "branch": {"code": branch.code, "name": branch.name}}

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
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_COMPRESSED_BYTES:
            raise too_large("Gói dữ liệu đồng bộ quá lớn (tối đa 8 MB đã nén).")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_COMPRESSED_BYTES:
                raise too_large("Gói dữ liệu đồng bộ quá lớn (tối đa 8 MB đã nén).")
            chunks.append(chunk)
        body = b"".join(chunks)
        if not body:
            raise malformed("Gói dữ liệu đồng bộ trống.")
        raw = batches.decompress(body, request.headers.get("content-encoding"))
        return await run_in_threadpool(batches.receive_batch, db.sessions, dev, raw)

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
            if body.entity == "document":
                data = None
                if body.file_b64:
                    try:
                        data = base64.b64decode(body.file_b64, validate=True)
                    except binascii.Error as exc:
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

    return app

"""What the server refuses before it does any work: bodies over their cap (counted before they
are read), JSON values no desktop sends, and forwarded addresses from untrusted peers."""

from __future__ import annotations

import ipaddress
import json
import math
import os
from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from protocol import MAX_COMPRESSED_BYTES, MAX_FILE_BYTES

# Enrolment, branch creation, answers, file checks: small JSON. A few KB is plenty for the
# first; a file check lists at most 1,000 SHA-256 digests.
SMALL_BODY_BYTES = 8 * 1024
FILE_CHECK_BODY_BYTES = 96 * 1024
MAX_JSON_DEPTH = 32
ENV_TRUSTED_PROXIES = "SOTAY_SERVER_TRUSTED_PROXIES"


def body_limit(method: str, path: str, max_file_bytes: int) -> int:
    """The most bytes a request to this path may carry."""
    if method == "POST" and path == "/api/v1/batches":
        return MAX_COMPRESSED_BYTES
    if method == "PUT" and path.startswith("/api/v1/files/"):
        return max_file_bytes
    if method == "POST" and path == "/api/v1/admin/publish":
        return (max_file_bytes * 4) // 3 + 256 * 1024  # the file as base64, and its fields
    if method == "POST" and path == "/api/v1/files/check":
        return FILE_CHECK_BODY_BYTES
    return SMALL_BODY_BYTES


def too_large_message(limit: int) -> str:
    if limit >= 1024 * 1024:
        size = f"{limit / (1024 * 1024):.0f} MB"
    else:
        size = f"{max(1, limit // 1024)} KB"
    return f"Yêu cầu quá lớn (máy chủ nhận tối đa {size} cho địa chỉ này)."


class _TooLarge(HTTPException):
    """Raised from receive(): an HTTPException, so the app answers it (413) even when it was
    reading the body for a JSON parameter."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


class BodyLimitMiddleware:
    """Refuse a body over its cap: at once from Content-Length, else while it streams in.

    The endpoint never sees more than the cap, so nothing buffers a huge body before the
    token or the JSON is even looked at.
    """

    def __init__(self, app: ASGIApp, max_file_bytes: int = MAX_FILE_BYTES) -> None:
        self.app = app
        self.max_file_bytes = max_file_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope.get("path", "") or _nul_in_query(scope.get("query_string", b"")):
            # PostgreSQL stores no NUL in text: refused here, not as a database error.
            await _refuse(send, 0, 400)
            return
        limit = body_limit(scope["method"], scope["path"], self.max_file_bytes)
        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                declared = value
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send, limit, 413 if declared.isdigit() else 400)
            return
        seen = 0
        over = False  # the body went past the cap: whatever the app answers becomes a 413
        started = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    over = True
                    raise _TooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if over:
                # The app may have turned the refusal into another answer (a JSON body
                # parameter's read error is a 400): the client gets the 413 instead.
                if not started:
                    started = True
                    await _refuse(send, limit, 413)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except Exception:
            if not over:
                raise
            if not started:
                await _refuse(send, limit, 413)


def _nul_in_query(query: bytes) -> bool:
    return b"\x00" in query or b"%00" in query.lower()


async def _refuse(send: Send, limit: int, status: int) -> None:
    if status == 413:
        body = {"error": "too_large", "message": too_large_message(limit)}
    elif limit == 0:
        body = {"error": "malformed", "message": "Địa chỉ yêu cầu có ký tự NUL (\\u0000)."}
    else:
        body = {"error": "malformed", "message": "Độ dài yêu cầu (Content-Length) không hợp lệ."}
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


# -- JSON values ------------------------------------------------------------------------------
def json_problem(value: Any, depth: int = 0) -> str | None:
    """A Vietnamese reason when a decoded JSON value holds what no desktop sends: nesting
    deeper than MAX_JSON_DEPTH, NaN/Infinity, a NUL character or a lone surrogate."""
    if depth > MAX_JSON_DEPTH:
        return f"Dữ liệu lồng nhau quá sâu (tối đa {MAX_JSON_DEPTH} cấp)."
    if isinstance(value, str):
        return _text_problem(value)
    if isinstance(value, float):
        return None if math.isfinite(value) else "Dữ liệu có số không hợp lệ (NaN hoặc vô cực)."
    if isinstance(value, dict):
        for key, item in value.items():
            found = _text_problem(key) if isinstance(key, str) else None
            found = found or json_problem(item, depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for item in value:
            found = json_problem(item, depth + 1)
            if found:
                return found
    return None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "Dữ liệu có ký tự NUL (\\u0000), không phải văn bản hợp lệ."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Dữ liệu có ký tự Unicode không hợp lệ (nửa cặp thay thế)."
    return None


def loads(raw: bytes) -> Any:
    """json.loads that keeps NaN/Infinity as floats (for json_problem to name) and turns too
    deep a nesting into ValueError instead of RecursionError."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=float)
    except RecursionError as exc:
        raise ValueError("nested too deep") from exc


# -- forwarded addresses ---------------------------------------------------------------------
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(values: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or networks (CIDR) of the reverse proxies whose X-Forwarded-For is believed."""
    out: list[Network] = []
    for value in values:
        for part in value.replace(",", " ").split():
            try:
                out.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ValueError(
                    f"Địa chỉ proxy tin cậy không hợp lệ: {part} (cần địa chỉ IP hoặc mạng CIDR)."
                ) from exc
    return tuple(out)


def proxies_from_env() -> tuple[Network, ...]:
    return parse_proxies([os.environ.get(ENV_TRUSTED_PROXIES, "")])


def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(peer: str, forwarded_for: str | None, proxies: tuple[Network, ...]) -> str:
    """The peer, unless it is a trusted proxy: then the nearest address in X-Forwarded-For
    that is not itself a trusted proxy (the rightmost entries were added by our proxies)."""
    if not proxies or not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage from the client: count it against the proxy's peer
    return peer

"""The server's own constants and its error answers for sync protocol 1 (docs/sync-protocol.md)."""

from __future__ import annotations

from protocol import SUPPORTED_PROTOCOLS
from protocol.entities import ENTITY_RULES as ENTITY_RULES  # still importable from here

# The wire constants, entity rules and field schemas are the shared `protocol` package's; this
# module holds what only the server answers with.

SERVER_VERSION = "0.1.0"

# Enrolment codes cannot be guessed: after this many failed attempts from one client address
# within the window, /enrol answers 429 (with Retry-After) until the window has passed.
ENROL_MAX_FAILURES = 10
ENROL_WINDOW_SECONDS = 600


class ApiError(Exception):
    """An error answered as {"error": code, "message": Vietnamese text} with a status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, object]:
        return {"error": self.code, "message": self.message, **self.extra}


def upgrade_required() -> ApiError:
    return ApiError(
        426,
        "upgrade_required",
        "Máy chủ không hỗ trợ phiên bản giao thức đồng bộ này. Vui lòng cập nhật Sổ tay Chi bộ.",
        supported_protocols=list(SUPPORTED_PROTOCOLS),
    )


def malformed(message: str) -> ApiError:
    return ApiError(400, "malformed", message)


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        "Mã thiết bị không hợp lệ hoặc đã bị thu hồi. Vui lòng đăng ký lại máy với Đảng ủy cấp trên.",
    )


def too_large(message: str) -> ApiError:
    return ApiError(413, "too_large", message)

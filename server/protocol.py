"""Constants of sync protocol 1 (docs/sync-protocol.md), shared by the server's modules."""

from __future__ import annotations

import re

PROTOCOL_VERSION = 1
SUPPORTED_PROTOCOLS = (1,)
PROTOCOL_HEADER = "X-Sotay-Protocol"
SERVER_VERSION = "0.1.0"

MAX_COMPRESSED_BYTES = 8 * 1024 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_CHANGES = 1000
MAX_CHANGE_BYTES = 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024

DEFAULT_PULL_LIMIT = 100
MAX_PULL_LIMIT = 500

ENTITY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_ENTITY_ID = 64

OPS = ("upsert", "delete", "append")
RESULTS = ("applied", "duplicate", "conflict", "rejected", "deferred")

# One written rule per entity the desktop sends (docs/sync-protocol.md §6). An entity not
# listed here is rejected ("unknown_entity"): the server does not guess how to keep it.
RULE_VERSIONED = "versioned"  # base_version must equal the server's version
RULE_APPEND = "append_only"  # immutable events, never a conflict
RULE_MEETING = "meeting"  # versioned; a closed meeting takes amendments only
RULE_DOCUMENT = "document"  # versioned; the committee's documents are read-only
RULE_FEEDBACK = "feedback"  # versioned; the committee answers by publishing a new version
RULE_REPORT = "report"  # versioned; every submitted version kept; never deleted
ENTITY_RULES: dict[str, str] = {
    "branch": RULE_VERSIONED,
    "member": RULE_VERSIONED,
    "meeting": RULE_MEETING,
    "meeting_document": RULE_VERSIONED,
    "absence_request": RULE_VERSIONED,
    "attendance_event": RULE_APPEND,
    "attendance": RULE_APPEND,
    "meeting_amendment": RULE_APPEND,
    "audit": RULE_APPEND,
    "document": RULE_DOCUMENT,
    "study_campaign": RULE_VERSIONED,
    "study_participant": RULE_VERSIONED,
    "feedback": RULE_FEEDBACK,
    "support_session": RULE_VERSIONED,
    "report": RULE_REPORT,
}
# Entities whose changes are immutable events: append only, never a conflict.
APPEND_ONLY_ENTITIES = frozenset(e for e, rule in ENTITY_RULES.items() if rule == RULE_APPEND)
ATTENDANCE_ENTITIES = ("attendance", "attendance_event")
# Entities whose every applied version the server keeps (srv_record_version), not only the
# latest: the committee can read each submitted version of a report.
KEEP_VERSIONS_ENTITIES = frozenset({"report"})

# Enrolment codes cannot be guessed: after this many failed attempts from one client address
# within the window, /enrol answers 429 (with Retry-After) until the window has passed.
ENROL_MAX_FAILURES = 10
ENROL_WINDOW_SECONDS = 600

# A closed meeting accepts only amendments: it stays closed, keeps its closing time, and the
# roster frozen in its minutes at adoption (minutes_json keys) does not change.
MEETING_FROZEN_FIELDS = ("state", "closed_at")
MEETING_FROZEN_MINUTES_KEYS = ("roster", "adopted_at")


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

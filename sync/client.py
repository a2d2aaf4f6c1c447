"""Enrolment and one sync run (upload, then pull): what the CLI and the GUI call."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.errors import KnownError
from app.services import dues, sync_state
from protocol import PROTOCOL_VERSION
from sync.errors import (
    NotEnrolledError,
    ReEnrolRequired,
    ServerRefused,
    SyncError,
    UnexpectedResponse,
    UpgradeRequired,
)
from sync.pull import PullReport, pull
from sync.transport import RetryPolicy, Transport, normalise_server_url
from sync.upload import BATCH_SIZE, UploadReport, upload

if TYPE_CHECKING:
    from app.book import Book


@dataclass(frozen=True)
class EnrolResult:
    server_url: str
    branch_code: str
    branch_name: str
    device_id: str
    token_store: str  # keyring | book
    device_ordinal: int | None = None  # None: a server that does not say (older servers)
    receipt_series: str = ""  # this desktop's dues receipt series after enrolling
    series_set: bool = False  # the enrolment gave this desktop that series just now

    @property
    def series_sentence(self) -> str:
        """What the secretary is told when the enrolment gave this desktop its series."""
        if not self.series_set:
            return ""
        return f"Biên lai đảng phí của máy này sẽ mang ký hiệu {self.receipt_series}."

    def as_json(self) -> dict[str, Any]:
        return {
            "server": self.server_url,
            "branch_code": self.branch_code,
            "branch_name": self.branch_name,
            "device_id": self.device_id,
            "token_store": self.token_store,
            "device_ordinal": self.device_ordinal,
            "receipt_series": self.receipt_series,
            "receipt_series_set": self.series_set,
        }


@dataclass(frozen=True)
class SyncReport:
    upload: UploadReport
    pulled: PullReport
    pending: int
    needing_attention: int
    bytes_sent: int
    bytes_received: int
    requests: int
    seconds: float
    snapshot: int = 0  # changes queued again for a new or rebuilt server

    def as_json(self) -> dict[str, Any]:
        return {
            "sent": self.upload.sent,
            "acknowledged": self.upload.acknowledged,
            "rejected": self.upload.rejected,
            "pulled": self.pulled.pulled,
            "conflicts": self.upload.conflict,
            "deferred": self.upload.deferred,
            "batches": self.upload.batches,
            "replayed_batches": self.upload.replayed_batches,
            "pulled_documents": self.pulled.documents,
            "pulled_members": self.pulled.members,
            "pulled_feedback": self.pulled.feedback,
            "files_uploaded": self.upload.files_uploaded,
            "file_bytes": self.upload.file_bytes,
            "files_too_large": self.upload.files_too_large,
            "pull_problems": self.pulled.problems,
            "pending": self.pending,
            "needing_attention": self.needing_attention,
            "requests": self.requests,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
            "seconds": round(self.seconds, 3),
            "snapshot": self.snapshot,
        }


def _check_server(transport: Transport) -> None:
    info = transport.get_json("/api/v1/info")
    if info.get("service") != "sotay-server":
        raise UnexpectedResponse(detail=f"info: {info!r}"[:300])
    if PROTOCOL_VERSION not in (info.get("supported_protocols") or []):
        raise UpgradeRequired(detail=str(info))


def enrol(
    book: Book,
    *,
    server_url: str,
    code: str,
    device_name: str | None = None,
    ca_bundle: str | None = None,
    policy: RetryPolicy | None = None,
) -> EnrolResult:
    url = normalise_server_url(server_url)
    if ca_bundle is not None:
        check_ca_bundle(ca_bundle)
    bundle = ca_bundle or sync_state.load_config(book).ca_bundle
    transport = Transport(url, ca_bundle=bundle, policy=policy)
    try:
        _check_server(transport)
        name = device_name or f"{platform.node() or 'Máy tính'} — {book.branch().name}"
        try:
            answer = transport.post_json("/api/v1/enrol", {"code": code, "device_name": name[:200]})
        except ServerRefused as exc:
            # A wrong, used or expired code (403); too many wrong codes arrive as
            # TooManyAttempts (429) with the wait, straight from the transport.
            raise SyncError(exc.message, detail=exc.code) from exc
    finally:
        transport.close()
    try:
        token = str(answer["device_token"])
        branch = answer["branch"]
        code_, name_ = str(branch["code"]), str(branch["name"])
        device_id = str(answer["device_id"])
    except (KeyError, TypeError) as exc:
        raise UnexpectedResponse(detail="enrol answer") from exc
    ordinal, in_use = _ordinal_and_series(answer)
    store = sync_state.save_enrolment(
        book, server_url=url, branch_code=code_, branch_name=name_, device_id=device_id, token=token
    )
    if ca_bundle is not None:
        sync_state.set_ca_bundle(book, ca_bundle)
    current = dues.receipt_series(book)
    series = auto_receipt_series(ordinal, in_use, current=current)
    if series != current:
        dues.set_receipt_series(
            book,
            series=series,
            reason=f"Máy thứ {ordinal} của chi bộ đăng ký với máy chủ {url}: "
            "ký hiệu biên lai riêng để không trùng số với máy khác",
        )
    return EnrolResult(
        url,
        code_,
        name_,
        device_id,
        store,
        device_ordinal=ordinal,
        receipt_series=series,
        series_set=series != current,
    )


def _ordinal_and_series(answer: dict[str, Any]) -> tuple[int | None, frozenset[str]]:
    """The enrol answer's optional fields (an older server sends neither)."""
    raw = answer.get("device_ordinal")
    ordinal = raw if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1 else None
    listed = answer.get("receipt_series_in_use")
    in_use = (
        frozenset(str(x).upper() for x in listed if isinstance(x, str))
        if isinstance(listed, list)
        else frozenset()
    )
    return ordinal, in_use


def auto_receipt_series(ordinal: int | None, in_use: frozenset[str], *, current: str) -> str:
    """The receipt series this desktop should use after enrolling as its branch's device
    number `ordinal`. The branch's first device keeps what it has (its receipts so far keep
    their numbers). Any later one — a second desktop, a reinstalled PC, a copied book, whose
    series the copy shares with its original — takes "M<ordinal>", or the next such series
    no receipt held by the server already carries."""
    if ordinal is None or ordinal <= 1:
        return current
    k = ordinal
    while f"M{k}" in in_use:
        k += 1
    return f"M{k}"


def check_ca_bundle(path: str) -> None:
    if not os.path.isfile(path):
        raise SyncError(f"Không tìm thấy tệp chứng chỉ gốc {path}.")


def run_sync(
    book: Book,
    *,
    ca_bundle: str | None = None,
    batch_size: int = BATCH_SIZE,
    policy: RetryPolicy | None = None,
    progress: Callable[[UploadReport], None] | None = None,
) -> SyncReport:
    """Send every pending change, then bring down what the committee published."""
    started = time.perf_counter()
    config = sync_state.load_config(book)
    if not config.enrolled or not config.server_url or not config.branch_code:
        raise NotEnrolledError()
    if ca_bundle is not None:
        check_ca_bundle(ca_bundle)
        sync_state.set_ca_bundle(book, ca_bundle)
    token = sync_state.device_token(book)
    if not token:
        raise ReEnrolRequired(detail="no device token stored")
    transport = Transport(
        config.server_url, token=token, ca_bundle=ca_bundle or config.ca_bundle, policy=policy
    )
    try:
        snapshot = _meet_server(book, transport)
        sent = upload(
            book,
            transport,
            branch_code=config.branch_code,
            batch_size=batch_size,
            progress=progress,
        )
        pulled = pull(book, transport)
    except KnownError as exc:
        sync_state.note_attempt(book, error=exc.message, success=False)
        raise
    finally:
        transport.close()
    sync_state.note_attempt(book, error=None, success=True)
    state = sync_state.status(book)
    return SyncReport(
        upload=sent,
        pulled=pulled,
        pending=state.pending,
        needing_attention=state.needing_attention,
        bytes_sent=transport.wire.bytes_sent,
        bytes_received=transport.wire.bytes_received,
        requests=transport.wire.requests,
        seconds=time.perf_counter() - started,
        snapshot=snapshot,
    )


def _meet_server(book: Book, transport: Transport) -> int:
    """Which server this is (its id in /info) and whether it holds anything of the branch
    (/me): a server other than the last one, or one that lost the branch's data, gets the
    whole book again (sync_state.note_server). Returns the changes queued for that."""
    info = transport.get_json("/api/v1/info")
    server_id = info.get("server_id")
    if not isinstance(server_id, str) or not server_id:
        return 0  # a server without an identity: nothing to compare
    me = transport.get_json("/api/v1/me")
    records = me.get("records")
    held = records if isinstance(records, int) and not isinstance(records, bool) else None
    return sync_state.note_server(book, server_id=server_id, server_records=held)

"""HTTP for sync protocol 1: retries with back-off and jitter, TLS checks, strict answers.

Refused connections, timeouts and 5xx are retried by urllib3 (POSTs too: every upload is
idempotent by its batch id). 4xx is never retried. Any answer that is not our server's JSON
(a captive portal's HTML, a proxy page) becomes UnexpectedResponse: nothing is applied.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.auth
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from app import __version__
from protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.errors import (
    FileTooLarge,
    ReEnrolRequired,
    ServerRefused,
    ServerTrouble,
    ServerUnreachable,
    SyncError,
    TlsError,
    TooManyAttempts,
    UnexpectedResponse,
    UpgradeRequired,
)

RETRY_STATUSES = (500, 502, 503, 504)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class _Retry(Retry):
    # A 429 (too many enrolment attempts) must reach the secretary at once, not make the
    # program sleep for the server's Retry-After; a 413 is never retried as it is.
    RETRY_AFTER_STATUS_CODES = frozenset({503})


@dataclass
class RetryPolicy:
    attempts: int = 4  # retries after the first try
    backoff: float = 0.5  # seconds; doubles each retry
    backoff_max: float = 20.0
    connect_timeout: float = 5.0
    read_timeout: float = 60.0

    def urllib3_retry(self) -> Retry:
        return _Retry(
            total=self.attempts,
            connect=self.attempts,
            read=self.attempts,
            status=self.attempts,
            other=0,
            allowed_methods=frozenset({"GET", "POST", "PUT", "HEAD"}),
            status_forcelist=RETRY_STATUSES,
            backoff_factor=self.backoff,
            backoff_max=self.backoff_max,
            backoff_jitter=self.backoff,
            respect_retry_after_header=True,
            raise_on_status=False,
        )


@dataclass
class WireCount:
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    by_path: dict[str, int] = field(default_factory=dict)


def is_loopback_host(host: str | None) -> bool:
    """localhost, 127.0.0.0/8 or ::1: a server on this very computer."""
    if not host:
        return False
    host = host.lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_server_url(url: str) -> str:
    """The server address to use, or SyncError: https, or plain http to this computer only
    (the device token travels in every request and must never cross a network in clear)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not parts.hostname:
        raise SyncError(f"Địa chỉ máy chủ “{url}” không hợp lệ; cần dạng https://ten-may-chu.")
    if parts.scheme.lower() == "http" and not is_loopback_host(parts.hostname):
        raise SyncError(
            f"Địa chỉ máy chủ “{url}” dùng http không mã hóa: mã thiết bị sẽ bị gửi qua mạng "
            "mà không được bảo vệ. Vui lòng dùng địa chỉ https:// (http chỉ dùng được với máy "
            "chủ chạy ngay trên máy này, như http://127.0.0.1)."
        )
    return url


def _retry_after(resp: requests.Response) -> int | None:
    value = resp.headers.get("Retry-After", "").strip()
    return int(value) if value.isdigit() else None


def _message(resp: requests.Response) -> str:
    """The server's Vietnamese message from a JSON error answer ("" when there is none)."""
    try:
        data = resp.json()
    except ValueError:
        return ""
    return str(data.get("message") or "") if isinstance(data, dict) else ""


def _snippet(resp: requests.Response) -> str:
    text = resp.text[:2000] if resp.content else ""
    title = _TITLE.search(text)
    ctype = resp.headers.get("content-type", "?")
    shown = title.group(1).strip() if title else text[:200].strip()
    return f"HTTP {resp.status_code}, {ctype}: {shown}"


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class Transport:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_bundle: str | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.base_url = normalise_server_url(base_url)
        self.policy = policy or RetryPolicy()
        self.wire = WireCount()
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=self.policy.urllib3_retry())
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # TLS verification is always on; passed with each request, because requests lets
        # REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session-level setting.
        self.verify: str | bool = ca_bundle or True
        # The system's proxy settings apply (offices often need one); the token is set
        # through an explicit auth object so no ~/.netrc entry can replace it.
        if token:
            self.session.auth = _Bearer(token)
        self.session.headers.update(
            {
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                "User-Agent": f"SoTayChiBo/{__version__}",
                "Accept": "application/json",
            }
        )

    def close(self) -> None:
        self.session.close()

    # -- requests ------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = self.base_url + path
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        try:
            resp = self.session.request(
                method, url, timeout=timeout, allow_redirects=False, verify=self.verify, **kwargs
            )
        except requests.exceptions.SSLError as exc:
            raise TlsError(detail=str(exc)) from exc
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            raise ServerUnreachable(detail=str(exc)) from exc
        except requests.exceptions.RequestException as exc:
            raise ServerUnreachable(detail=str(exc)) from exc
        self._count(resp, kwargs.get("data"))
        return resp

    def _count(self, resp: requests.Response, body: Any) -> None:
        req = resp.request
        head = len(f"{req.method} {req.path_url} HTTP/1.1\r\n") + sum(
            len(k) + len(str(v)) + 4 for k, v in req.headers.items()
        )
        sent = head + (len(body) if isinstance(body, bytes | str) else len(req.body or b""))
        declared = resp.headers.get("content-length")
        received = int(declared) if declared and declared.isdigit() else len(resp.content)
        received += 17 + sum(len(k) + len(v) + 4 for k, v in resp.headers.items())
        self.wire.requests += 1
        self.wire.bytes_sent += sent
        self.wire.bytes_received += received

    def _check(self, resp: requests.Response) -> requests.Response:
        status = resp.status_code
        if status == 401:
            raise ReEnrolRequired(detail=_snippet(resp))
        if status == 426:
            raise UpgradeRequired(detail=_snippet(resp))
        if status == 429 and resp.headers.get(PROTOCOL_HEADER) is not None:
            raise TooManyAttempts(_retry_after(resp), _message(resp))
        if status >= 500:
            raise ServerTrouble(status, detail=_snippet(resp))
        if resp.headers.get(PROTOCOL_HEADER) is None:
            # Not our server: a Wi-Fi login page, a proxy, a redirect elsewhere.
            raise UnexpectedResponse(detail=_snippet(resp))
        return resp

    def _json(self, resp: requests.Response) -> dict[str, Any]:
        ctype = resp.headers.get("content-type", "")
        if "json" not in ctype:
            raise UnexpectedResponse(detail=_snippet(resp))
        try:
            data = resp.json()
        except ValueError as exc:
            raise UnexpectedResponse(detail=_snippet(resp)) from exc
        if not isinstance(data, dict):
            raise UnexpectedResponse(detail=_snippet(resp))
        if resp.status_code >= 400:
            raise ServerRefused(
                resp.status_code, str(data.get("error", "")), str(data.get("message", ""))
            )
        return data

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._json(self._check(self._send("GET", path, params=params)))

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        resp = self._send("POST", path, data=data, headers={"Content-Type": "application/json"})
        return self._json(self._check(resp))

    def post_gzip(self, path: str, payload: bytes) -> tuple[int, dict[str, Any]]:
        """POST gzip'd JSON; returns (status, body) for 2xx and for JSON 4xx answers."""
        data = gzip.compress(payload, compresslevel=6)
        resp = self._send(
            "POST",
            path,
            data=data,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        self._check(resp)
        try:
            return resp.status_code, self._json(resp)
        except ServerRefused as exc:
            return exc.status, {"error": exc.code, "message": exc.message}

    def put_bytes(self, path: str, data: bytes, content_type: str) -> dict[str, Any]:
        """PUT a file's bytes (idempotent: content-addressed); FileTooLarge on 413."""
        resp = self._send(
            "PUT",
            path,
            data=data,
            headers={"Content-Type": content_type or "application/octet-stream"},
        )
        self._check(resp)
        if resp.status_code == 413:
            raise FileTooLarge(_message(resp))
        return self._json(resp)

    def get_bytes(self, path: str) -> bytes | None:
        """A file; None when the server has no such file for this branch (404)."""
        resp = self._check(self._send("GET", path))
        if resp.status_code == 404:
            return None
        if resp.status_code >= 400:
            self._json(resp)
        return resp.content

"""Failed-attempt limiting for enrolment codes (per client address, sliding window).

`DbFailureLimiter` (what the server uses) keeps the failures in the database, so the count
holds across a restart and across the workers of one server; `FailureLimiter` is the same
rule in one process's memory. After
`limit` failures from one address within `window` seconds, that address is refused (429
with Retry-After) until enough of those failures are older than the window. A successful
enrolment does not wipe earlier failures.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, func, select

MAX_ADDRESSES = 10_000


class FailureLimiter:
    def __init__(
        self, *, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, key: str) -> int | None:
        """Seconds this address must wait, or None when it may try now."""
        with self._lock:
            now = self.clock()
            times = self._recent(key, now)
            if len(times) < self.limit:
                return None
            # The attempt becomes possible when the failure that keeps the count at the
            # limit leaves the window.
            unblocks_at = times[len(times) - self.limit] + self.window
            return max(1, math.ceil(unblocks_at - now))

    def failed(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            if key not in self._failures and len(self._failures) >= MAX_ADDRESSES:
                self._prune(now)
            self._recent(key, now)
            self._failures.setdefault(key, deque()).append(now)

    def _prune(self, now: float) -> None:
        for key in list(self._failures):
            self._recent(key, now)
        while len(self._failures) >= MAX_ADDRESSES:
            oldest = min(self._failures, key=lambda k: self._failures[k][-1])
            del self._failures[oldest]


class DbFailureLimiter:
    """The same sliding window, counted in `srv_enrol_failure` (wall-clock seconds)."""

    def __init__(
        self, sessions: Any, *, limit: int, window: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.sessions = sessions
        self.limit = limit
        self.window = window
        self.clock = clock

    def retry_after(self, key: str) -> int | None:
        from server.models import EnrolFailure

        now = self.clock()
        with self.sessions() as session:
            times = list(
                session.scalars(
                    select(EnrolFailure.at)
                    .where(EnrolFailure.address == key[:64], EnrolFailure.at > now - self.window)
                    .order_by(EnrolFailure.at.desc())
                    .limit(self.limit)
                )
            )
        if len(times) < self.limit:
            return None
        unblocks_at = times[-1] + self.window  # the oldest failure that keeps the limit
        return max(1, math.ceil(unblocks_at - now))

    def failed(self, key: str) -> None:
        from server.models import EnrolFailure

        now = self.clock()
        with self.sessions.begin() as session:
            session.add(EnrolFailure(address=key[:64], at=now))
            # Forget what has left the window (cheap: indexed, and rare: failures only).
            session.execute(delete(EnrolFailure).where(EnrolFailure.at <= now - self.window))

    def count(self) -> int:
        from server.models import EnrolFailure

        with self.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(EnrolFailure)) or 0)

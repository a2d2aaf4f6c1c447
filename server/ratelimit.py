"""Failed-attempt limiting for enrolment codes (per client address, sliding window).

Kept in the server process's memory: the reference server runs as one process. After
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

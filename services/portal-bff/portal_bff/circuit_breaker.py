"""A circuit breaker per upstream: after a few failures in a row, calls fail at once for a while.

Closed: calls go through; `failures` consecutive failures open it. Open: calls are refused
without being made until `reset_after` has passed; then one trial call is let through
(half-open) while the others are still refused: its success closes the breaker, its
failure opens it again for another `reset_after`.

Written here rather than taken from pybreaker: pybreaker holds one lock for the whole
duration of every call, so the parallel calls of a page to the same upstream would run
one after another. Here the lock guards only the bookkeeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, *, failures: int = 5, reset_after: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.failures_to_open = failures
        self.reset_after = reset_after
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._opened_at is None:
                return CLOSED
            return HALF_OPEN if self._clock() - self._opened_at >= self.reset_after else OPEN

    def allow(self) -> bool:
        """Whether a call may be made now; a True in half-open state is the one trial call."""
        with self._lock:
            if self._opened_at is None:
                return True
            if self._trial_running or self._clock() - self._opened_at < self.reset_after:
                return False
            self._trial_running = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failures_to_open:
                self._opened_at = self._clock()
            self._trial_running = False

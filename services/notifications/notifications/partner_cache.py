"""A few seconds' memory of per-partner settings (template overrides, senders) in each process.

Every event reads its partner's templates and sender; they change seldom, by an operator.
Kept per database and partner for `SECONDS`, and forgotten at once in the process that
changes them, so another process serves an edit within that time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

SECONDS = 5.0
_caches: list[PartnerCache] = []


def forget_everything() -> None:
    """Empty every cache (a database emptied under a running process, as tests do)."""
    for cache in _caches:
        with cache._lock:
            cache._entries.clear()


class PartnerCache:
    def __init__(self, name: str, seconds: float = SECONDS):
        self.name = name
        self.seconds = seconds
        self._entries: dict[tuple[str, int], tuple[float, Any]] = {}
        self._lock = threading.Lock()
        _caches.append(self)

    @staticmethod
    def _database(session: Session) -> str:
        return str(session.get_bind().url)

    def get(self, session: Session, partner_id: int, load: Callable[[], Any]) -> Any:
        key = (self._database(session), partner_id)
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = load()
        with self._lock:
            self._entries[key] = (now + self.seconds, value)
        return value

    def forget(self, session: Session, partner_id: int) -> None:
        with self._lock:
            self._entries.pop((self._database(session), partner_id), None)

"""The sections a web process has read from the upstreams, kept while they are known to be current.

An entry is the sections one part of a page reads from one upstream (the dashboard's
summary, its tickets...), stored under the versions (freshness.py) the request read with
its session *before* asking the upstream. A later request uses it only while the versions
it reads are the same and the entry's time is not up:
- a change the portal hears of (an event, or the customer's own write) gives a new
  version, so the next page reads the part again, after the change;
- what changes with no event (the days left until a due date, the traffic counters) gets
  a short time of its own.

A section that could not be read is not stored: the next request tries the upstream again
(its circuit breaker makes that cheap while it is down), and a part whose version moved on
while its upstream is down is `unavailable`, never the last known values — they are known
to be out of date.

Each gunicorn worker holds its own entries (no serialising, no network); the versions in
the database keep every worker, and every pod, right. Least recently used entries go first
once `max_entries` is reached. Entries are shared by the requests of a process: their
values are never changed after they are stored.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from portico.settings import Settings

DEFAULT_MAX_ENTRIES = 10_000
_serials = itertools.count(1)


@dataclass(frozen=True)
class MaxAges:
    """How long an entry may be used at most, in seconds.

    `events`: for what every change of is announced by an event (a safety net should an
    event be lost, or the worker be down); `live`: for what changes with no event.
    """

    events: float = 300.0
    live: float = 30.0


@dataclass
class Entry:
    """The sections of one part as read at one moment; `serial` tells entries apart."""

    tag: Hashable
    sections: dict[str, dict[str, Any]]
    expires_at: float  # time.time() seconds
    serial: int = field(default_factory=lambda: next(_serials))
    # What is worked out from the sections once (their JSON, as the API answers them), by key.
    memo: dict[Hashable, Any] = field(default_factory=dict)

    def remembered(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """`make()` the first time it is asked for under `key`, then the same answer (the entry never changes)."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = make()
            return value


class SectionCache:
    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        *,
        max_ages: MaxAges = MaxAges(),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.max_entries = max_entries
        self.max_ages = max_ages
        self.clock = clock
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, tag: Hashable) -> Entry | None:
        """The entry under `key` if it was stored under `tag` and its time is not up."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.tag != tag or entry.expires_at <= self.clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, tag: Hashable, sections: dict[str, dict[str, Any]], *, max_age: float) -> Entry:
        entry = Entry(tag=tag, sections=sections, expires_at=self.clock() + max_age)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return entry

    def __len__(self) -> int:
        return len(self._entries)


def section_cache_from(settings: Settings) -> SectionCache | None:
    """`PORTAL_BFF_SECTION_CACHE` (`on`; `off`: every page reads every upstream), `..._ENTRIES`, and the
    max ages `PORTAL_BFF_SECTION_MAX_AGE_S` (300) and `PORTAL_BFF_LIVE_SECTION_MAX_AGE_S` (30)."""
    if settings.get("section_cache", "on") == "off":
        return None
    ages = MaxAges(
        events=settings.get_int("section_max_age_s", int(MaxAges.events)),
        live=settings.get_int("live_section_max_age_s", int(MaxAges.live)),
    )
    return SectionCache(settings.get_int("section_cache_entries", DEFAULT_MAX_ENTRIES), max_ages=ages)

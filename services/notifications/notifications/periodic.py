"""A step the worker repeats every few seconds in a thread of its own, beside the consumer."""

from __future__ import annotations

import logging
import threading

from notifications.clock import Clock, utc_now
from portico.db import Database

log = logging.getLogger(__name__)


class PeriodicStep:
    """Runs `run_once` every `interval` seconds until stopped; a failed pass (the database is away) is
    logged and tried again next time. Each pass is one transaction, safe beside other workers'."""

    name = "periodic-step"

    def __init__(self, db: Database, *, interval: float, clock: Clock = utc_now):
        self.db = db
        self.interval = interval
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> int:
        raise NotImplementedError

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("%s pass failed", self.name)
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

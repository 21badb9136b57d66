"""`portico status`: how every service is doing, as an operator asks it from one place: its web
process's readiness, its outbox backlog (from its database), and its queues as the broker holds
them (messages waiting, consumers attached, dead letters)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import requests
from sqlalchemy import MetaData

from portico.db import Database
from portico.events.outbox import outbox_backlog
from portico.events.tables import outbox_table
from portico.observe import QueueFigures
from portico.settings import load_settings, service_url

SERVICES = ("billing", "ticketing", "documents", "notifications", "portal-bff")
OUTBOX = outbox_table(MetaData())


@dataclass
class ServiceStatus:
    service: str
    web: str  # "ready", "not ready: <checks>" or "down: <why>"
    outbox_backlog: int | None = None
    outbox_oldest_age_s: float | None = None
    queue_messages: int | None = None
    consumers: int | None = None
    dead_letters: int | None = None
    problems: tuple[str, ...] = ()

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return asdict(self) | {"healthy": self.healthy}


def service_status(service: str, *, timeout: float = 3.0) -> ServiceStatus:
    settings = load_settings(service)
    status = ServiceStatus(service, _web(service, timeout))
    problems = [] if status.web == "ready" else [f"web {status.web}"]
    try:
        db = Database(settings.database_url)
        try:
            status.outbox_backlog, status.outbox_oldest_age_s = outbox_backlog(db, OUTBOX)
        finally:
            db.dispose()
    except Exception as error:
        problems.append(f"database: {type(error).__name__}")
    queues = QueueFigures(settings.broker_url, service)
    figures = queues.read()
    if figures is None:
        problems.append("broker: queue figures not readable")
    else:
        events_queue, dead_queue = queues.queues
        status.queue_messages, status.consumers = figures[events_queue]
        status.dead_letters = figures[dead_queue][0]
        if status.consumers == 0:
            problems.append("no consumer on its queue")
        if status.dead_letters:
            problems.append(f"{status.dead_letters} dead letter(s)")
    status.problems = tuple(problems)
    return status


def _web(service: str, timeout: float) -> str:
    try:
        response = requests.get(f"{service_url(service)}/readyz", timeout=timeout)
    except requests.RequestException as error:
        return f"down: {type(error).__name__}"
    if response.status_code == 200:
        return "ready"
    try:
        checks = response.json().get("checks", {})
    except ValueError:
        checks = {}
    failing = ", ".join(f"{name} {state}" for name, state in checks.items() if state != "ok")
    return f"not ready: {failing or response.status_code}"


def render(statuses: list[ServiceStatus]) -> str:
    """A table for a terminal."""

    def cell(value) -> str:
        if value is None:
            return "?"
        return f"{value:.0f}s" if isinstance(value, float) else str(value)

    header = ("service", "web", "outbox", "oldest", "queued", "consumers", "dead", "problems")
    rows = [
        (
            s.service,
            s.web,
            cell(s.outbox_backlog),
            cell(s.outbox_oldest_age_s),
            cell(s.queue_messages),
            cell(s.consumers),
            cell(s.dead_letters),
            "; ".join(s.problems) or "-",
        )
        for s in statuses
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)) for row in [header, *rows]
    )

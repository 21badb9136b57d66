"""Ticketing's settings (environment `TICKETING_<NAME>`, then `PORTICO_<NAME>`), with their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portico.settings import Settings, var_dir
from ticketing.models import Priority
from ticketing.sla import DEFAULT_FIRST_RESPONSE_MINUTES, DEFAULT_RESOLUTION_MINUTES, DEFAULT_TARGETS, SlaTargets

MIB = 1024 * 1024


@dataclass(frozen=True)
class TicketingConfig:
    reopen_days: int = 7  # a customer's reply reopens a Resolved ticket for this many days
    max_attachment_bytes: int = 10 * MIB
    max_attachments: int = 10  # files in one request
    sla: SlaTargets = DEFAULT_TARGETS
    attachments_dir: Path = Path("var/ticketing/attachments")


def load_config(settings: Settings) -> TicketingConfig:
    """E.g. `TICKETING_REOPEN_DAYS=14`, `TICKETING_SLA_FIRST_RESPONSE_MINUTES_URGENT=30`."""
    first_response = {
        p: settings.get_int(f"sla_first_response_minutes_{p}", DEFAULT_FIRST_RESPONSE_MINUTES[p]) for p in Priority.ALL
    }
    resolution = {
        p: settings.get_int(f"sla_resolution_minutes_{p}", DEFAULT_RESOLUTION_MINUTES[p]) for p in Priority.ALL
    }
    return TicketingConfig(
        reopen_days=settings.get_int("reopen_days", 7),
        max_attachment_bytes=settings.get_int("max_attachment_bytes", 10 * MIB),
        max_attachments=settings.get_int("max_attachments", 10),
        sla=SlaTargets.in_minutes(first_response, resolution),
        attachments_dir=Path(settings.get("attachments_dir") or var_dir() / "ticketing" / "attachments"),
    )

"""Service-level targets: when a ticket's first response and its resolution fall due.

Targets are per priority, in calendar time from the ticket's creation (no business hours yet).
A ticket still being worked on (not Resolved or Closed) is overdue when its first response is
late (no public operator reply by its due time) or its resolution is (past its due time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ticketing.models import Priority, Ticket, TicketStatus

DEFAULT_FIRST_RESPONSE_MINUTES = {
    Priority.URGENT: 60,
    Priority.HIGH: 4 * 60,
    Priority.MEDIUM: 8 * 60,
    Priority.LOW: 24 * 60,
}
DEFAULT_RESOLUTION_MINUTES = {
    Priority.URGENT: 8 * 60,
    Priority.HIGH: 24 * 60,
    Priority.MEDIUM: 3 * 24 * 60,
    Priority.LOW: 5 * 24 * 60,
}


@dataclass(frozen=True)
class SlaTargets:
    first_response: Mapping[str, timedelta]
    resolution: Mapping[str, timedelta]

    @classmethod
    def in_minutes(cls, first_response: Mapping[str, int], resolution: Mapping[str, int]) -> SlaTargets:
        return cls(
            {p: timedelta(minutes=m) for p, m in first_response.items()},
            {p: timedelta(minutes=m) for p, m in resolution.items()},
        )


DEFAULT_TARGETS = SlaTargets.in_minutes(DEFAULT_FIRST_RESPONSE_MINUTES, DEFAULT_RESOLUTION_MINUTES)


def due_times(targets: SlaTargets, priority: str, opened_at: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) of a ticket of `priority` opened at `opened_at`."""
    return opened_at + targets.first_response[priority], opened_at + targets.resolution[priority]


def first_response_late(ticket: Ticket, now: datetime) -> bool:
    return ticket.first_responded_at is None and now > ticket.first_response_due_at


def resolution_late(ticket: Ticket, now: datetime) -> bool:
    return now > ticket.resolution_due_at


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    """The rule; ticket_queries.overdue_condition is the same in SQL."""
    if ticket.status in TicketStatus.FINISHED:
        return False
    return first_response_late(ticket, now) or resolution_late(ticket, now)

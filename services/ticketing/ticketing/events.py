"""What ticketing publishes (see contracts/events/ticketing.*), through its outbox.

Every ticket event carries what notifications needs to write to the customer without asking
back: the ticket's id, subject, status and customer. Internal notes never travel in an event:
`ticketing.comment.added` with `public` false says that a note was added, not what it says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from portico.events import emit, new_event
from ticketing import SERVICE
from ticketing.models import Ticket, outbox

TICKET_CREATED = "ticketing.ticket.created"
COMMENT_ADDED = "ticketing.comment.added"
TICKET_STATUS_CHANGED = "ticketing.ticket.status_changed"
TICKET_ASSIGNED = "ticketing.ticket.assigned"
TICKET_UPDATED = "ticketing.ticket.updated"
TICKET_CLOSED = "ticketing.ticket.closed"
TASK_CREATED = "ticketing.task.created"
TASK_UPDATED = "ticketing.task.updated"


def publish(session: Session, event_type: str, data: dict[str, Any], *, aggregate_type: str, aggregate_id: Any) -> None:
    emit(
        session, outbox, new_event(SERVICE, event_type, data), aggregate_type=aggregate_type, aggregate_id=aggregate_id
    )


def publish_ticket_event(session: Session, event_type: str, ticket: Ticket, **data: Any) -> None:
    publish(session, event_type, ticket_fields(ticket) | data, aggregate_type="ticket", aggregate_id=ticket.id)


def ticket_fields(ticket: Ticket) -> dict[str, Any]:
    """What every ticket event says about the ticket (all of it visible to the customer)."""
    return {
        "ticket_id": ticket.id,
        "customer_id": ticket.customer_id,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
    }


def timestamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()

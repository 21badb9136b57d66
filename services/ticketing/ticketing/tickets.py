"""Tickets: opening one, the status rules, and the changes operators and customers make.

Statuses: New → Open ⇄ Waiting on customer → Resolved → Closed. Operators move a ticket
between any of the first four and close it; Closed is final. A customer's reply reopens a
ticket that waits on them, and one Resolved within the reopen window; it is refused on a
ticket resolved longer ago or closed (the customer opens a new ticket). A customer may close
their ticket at any time ("OK, resolved"). Every move emits `ticketing.ticket.status_changed`,
and a close also `ticketing.ticket.closed`, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ticketing import comments, events, search, sla
from ticketing.attachments import AcceptedFile
from ticketing.authors import Author
from ticketing.customers import get_customer
from ticketing.errors import InvalidStatusChange, ReopenWindowPassed, TicketClosed, TicketNotFound
from ticketing.models import AuthorKind, BodyFormat, Priority, Source, Ticket, TicketStatus
from ticketing.storage import StagedWrites

S = TicketStatus
# The statuses an operator may move a ticket to from each status.
STATUS_CHANGES: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.OPEN, S.WAITING_ON_CUSTOMER, S.RESOLVED, S.CLOSED}),
    S.OPEN: frozenset({S.WAITING_ON_CUSTOMER, S.RESOLVED, S.CLOSED}),
    S.WAITING_ON_CUSTOMER: frozenset({S.OPEN, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.OPEN, S.WAITING_ON_CUSTOMER, S.CLOSED}),
    S.CLOSED: frozenset(),
}
# Fields an operator may change; `group` and `type` are stored as group_name and ticket_type.
CHANGEABLE = ("status", "priority", "group", "type", "assignee")


@dataclass(frozen=True)
class NewTicket:
    customer_id: int
    subject: str
    priority: str
    message: str
    body_format: str = BodyFormat.TEXT
    source: str = Source.PORTAL
    group: str | None = None
    type: str | None = None
    assignee: str | None = None


def get_ticket(session: Session, ticket_id: int, *, for_update: bool = False) -> Ticket:
    ticket = session.get(Ticket, ticket_id, with_for_update=for_update or None)
    if ticket is None:
        raise TicketNotFound(f"No ticket {ticket_id}.")
    return ticket


def get_customer_ticket(session: Session, customer_id: int, ticket_id: int, *, for_update: bool = False) -> Ticket:
    """The customer's ticket; another customer's is as absent as one that does not exist."""
    ticket = session.get(Ticket, ticket_id, with_for_update=for_update or None)
    if ticket is None or ticket.customer_id != customer_id:
        raise TicketNotFound(f"No ticket {ticket_id}.")
    return ticket


def open_ticket(
    session: Session,
    new: NewTicket,
    *,
    author: Author,
    files: Sequence[AcceptedFile],
    writes: StagedWrites,
    targets: sla.SlaTargets,
    now: datetime,
) -> Ticket:
    """A New ticket whose first (public) comment is the message; emits `ticketing.ticket.created`."""
    get_customer(session, new.customer_id)
    first_response_due, resolution_due = sla.due_times(targets, new.priority, now)
    ticket = Ticket(
        customer_id=new.customer_id,
        subject=new.subject,
        priority=new.priority,
        priority_rank=Priority.RANK[new.priority],
        status=S.NEW,
        group_name=new.group,
        ticket_type=new.type,
        assignee=new.assignee,
        source=new.source,
        created_at=now,
        updated_at=now,
        first_response_due_at=first_response_due,
        resolution_due_at=resolution_due,
        comment_count=0,
        public_comment_count=0,
    )
    session.add(ticket)
    session.flush()
    search.index_text(session, ticket, ticket.subject, public=True)
    message = comments.append_comment(
        session,
        ticket,
        author=author,
        body=new.message,
        body_format=new.body_format,
        public=True,
        files=files,
        writes=writes,
        now=now,
    )
    if author.kind == AuthorKind.OPERATOR:  # opened by an operator: the customer has heard from them
        ticket.first_responded_at = now
    events.publish_ticket_event(
        session,
        events.TICKET_CREATED,
        ticket,
        group=ticket.group_name,
        type=ticket.ticket_type,
        assignee=ticket.assignee,
        source=ticket.source,
        author_kind=author.kind,
        comment_id=message.id,
        message=message.body,
        message_format=message.body_format,
        attachment_count=len(files),
        created_at=now.isoformat(),
        first_response_due_at=first_response_due.isoformat(),
        resolution_due_at=resolution_due.isoformat(),
    )
    return ticket


def check_status_change(old: str, new: str) -> None:
    if new != old and new not in STATUS_CHANGES[old]:
        raise InvalidStatusChange(f"A ticket cannot go from {old} to {new}.")


def status_after_customer_reply(ticket: Ticket, now: datetime, *, reopen_days: int) -> str:
    """The status a customer's reply leaves the ticket in, or why the reply is refused."""
    if ticket.status == S.CLOSED:
        raise TicketClosed(f"Ticket {ticket.id} is closed; please open a new ticket.")
    if ticket.status == S.RESOLVED:
        if ticket.resolved_at is not None and now - ticket.resolved_at > timedelta(days=reopen_days):
            raise ReopenWindowPassed(
                f"Ticket {ticket.id} was resolved more than {reopen_days} days ago; please open a new ticket."
            )
        return S.OPEN
    if ticket.status == S.WAITING_ON_CUSTOMER:
        return S.OPEN
    return ticket.status


def move_status(
    session: Session, ticket: Ticket, new_status: str, *, author: Author, now: datetime, reason: str | None = None
) -> None:
    """Set the status (already checked by the caller's rule) and emit what the move means."""
    old_status = ticket.status
    if new_status == old_status:
        return
    ticket.status = new_status
    ticket.updated_at = now
    if new_status == S.RESOLVED:
        ticket.resolved_at = now
    elif old_status == S.RESOLVED:
        ticket.resolved_at = None
    if new_status == S.CLOSED:
        ticket.closed_at = now
    events.publish_ticket_event(
        session,
        events.TICKET_STATUS_CHANGED,
        ticket,
        old_status=old_status,
        new_status=new_status,
        changed_at=now.isoformat(),
        actor_kind=author.kind,
    )
    if new_status == S.CLOSED:
        events.publish_ticket_event(
            session,
            events.TICKET_CLOSED,
            ticket,
            closed_at=now.isoformat(),
            actor_kind=author.kind,
            reason=reason or f"closed by {author.kind}",
            merged_into=ticket.merged_into_id,
        )


def change_ticket(
    session: Session, ticket_id: int, changes: dict[str, Any], *, author: Author, targets: sla.SlaTargets, now: datetime
) -> Ticket:
    """An operator's change of status, priority, group, type or assignee (any of them at once)."""
    ticket = get_ticket(session, ticket_id, for_update=True)
    if "status" in changes:
        check_status_change(ticket.status, changes["status"])
    changed: list[str] = []  # priority, group or type: ticketing.ticket.updated tells of them
    if "priority" in changes and changes["priority"] != ticket.priority:
        ticket.priority = changes["priority"]
        ticket.priority_rank = Priority.RANK[ticket.priority]
        ticket.first_response_due_at, ticket.resolution_due_at = sla.due_times(
            targets, ticket.priority, ticket.created_at
        )
        changed.append("priority")
    for field, column in (("group", "group_name"), ("type", "ticket_type")):
        if field in changes and changes[field] != getattr(ticket, column):
            setattr(ticket, column, changes[field])
            changed.append(field)
    assigned = "assignee" in changes and changes["assignee"] != ticket.assignee
    if assigned:
        _assign(session, ticket, changes["assignee"], author=author, now=now)
    if changed or assigned:
        ticket.updated_at = now
    if "status" in changes:
        move_status(session, ticket, changes["status"], author=author, now=now)
    if changed:
        events.publish_ticket_event(
            session,
            events.TICKET_UPDATED,
            ticket,
            group=ticket.group_name,
            type=ticket.ticket_type,
            changed=changed,
            updated_at=now.isoformat(),
            actor_kind=author.kind,
            actor=author.name,
        )
    return ticket


def _assign(session: Session, ticket: Ticket, assignee: str | None, *, author: Author, now: datetime) -> None:
    previous, ticket.assignee = ticket.assignee, assignee
    events.publish_ticket_event(
        session,
        events.TICKET_ASSIGNED,
        ticket,
        assignee=assignee,
        previous_assignee=previous,
        assigned_at=now.isoformat(),
        actor_kind=author.kind,
        actor=author.name,
    )


def close_by_customer(session: Session, customer_id: int, ticket_id: int, *, author: Author, now: datetime) -> Ticket:
    """ "OK, resolved": the customer closes their ticket; closing a closed ticket changes nothing."""
    ticket = get_customer_ticket(session, customer_id, ticket_id, for_update=True)
    if ticket.status != S.CLOSED:
        move_status(session, ticket, S.CLOSED, author=author, now=now, reason="resolved by customer")
    return ticket

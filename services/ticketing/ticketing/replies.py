"""Replies to a ticket: the customer's, and operators' public replies and internal notes, with
the status moves they make (see tickets.py for the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from ticketing import comments, tickets
from ticketing.attachments import AcceptedFile
from ticketing.authors import Author
from ticketing.errors import TicketClosed
from ticketing.models import Comment, TicketStatus
from ticketing.storage import StagedWrites


def add_customer_reply(
    session: Session,
    customer_id: int,
    ticket_id: int,
    *,
    body: str,
    body_format: str,
    files: Sequence[AcceptedFile],
    writes: StagedWrites,
    reopen_days: int,
    now: datetime,
) -> Comment:
    """The customer's reply; it reopens the ticket when it waits on them or was resolved lately."""
    ticket = tickets.get_customer_ticket(session, customer_id, ticket_id, for_update=True)
    new_status = tickets.status_after_customer_reply(ticket, now, reopen_days=reopen_days)
    author = Author.customer(customer_id)
    comment = comments.append_comment(
        session,
        ticket,
        author=author,
        body=body,
        body_format=body_format,
        public=True,
        files=files,
        writes=writes,
        now=now,
    )
    tickets.move_status(session, ticket, new_status, author=author, now=now)
    comments.publish_comment_added(session, ticket, comment)  # after the move: it shows the status now
    return comment


def add_operator_comment(
    session: Session,
    ticket_id: int,
    *,
    author: Author,
    body: str,
    body_format: str,
    public: bool,
    status: str | None,
    files: Sequence[AcceptedFile],
    writes: StagedWrites,
    now: datetime,
) -> Comment:
    """A public reply (the first one is the ticket's first response; it opens a New ticket unless
    `status` says otherwise) or an internal note (which changes no status unless asked)."""
    ticket = tickets.get_ticket(session, ticket_id, for_update=True)
    if ticket.status == TicketStatus.CLOSED and public:
        raise TicketClosed(f"Ticket {ticket_id} is closed: it takes internal notes only.")
    if status is None:
        status = TicketStatus.OPEN if public and ticket.status == TicketStatus.NEW else ticket.status
    tickets.check_status_change(ticket.status, status)
    comment = comments.append_comment(
        session,
        ticket,
        author=author,
        body=body,
        body_format=body_format,
        public=public,
        files=files,
        writes=writes,
        now=now,
    )
    if public and ticket.first_responded_at is None:
        ticket.first_responded_at = now
    tickets.move_status(session, ticket, status, author=author, now=now)
    comments.publish_comment_added(session, ticket, comment)
    return comment

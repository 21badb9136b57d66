"""Merging a duplicate ticket into another of the same customer.

The duplicate's comments (with their attachments) and tasks move to the target, the duplicate
is closed with a public system comment pointing to the target, and the target gets one naming
the duplicate; both tickets' counts and search terms follow.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from ticketing import comments, search, tickets
from ticketing.authors import Author
from ticketing.errors import CannotMerge
from ticketing.models import Attachment, Comment, Task, TicketStatus


def merge_tickets(session: Session, duplicate_id: int, target_id: int, *, author: Author, now: datetime):
    """Merge `duplicate_id` into `target_id` and return the target."""
    if duplicate_id == target_id:
        raise CannotMerge("A ticket cannot be merged into itself.")
    # Locked in id order, so two merges of the same pair cannot deadlock.
    locked = {i: tickets.get_ticket(session, i, for_update=True) for i in sorted((duplicate_id, target_id))}
    duplicate, target = locked[duplicate_id], locked[target_id]
    if duplicate.customer_id != target.customer_id:
        raise CannotMerge("Only tickets of the same customer can be merged.")
    if duplicate.status == TicketStatus.CLOSED:
        raise CannotMerge(f"Ticket {duplicate.id} is closed already.")
    if target.status == TicketStatus.CLOSED:
        raise CannotMerge(f"Ticket {target.id} is closed: merge into an open ticket.")

    for model in (Comment, Attachment, Task):
        session.execute(
            update(model)
            .where(model.ticket_id == duplicate.id)
            .values(ticket_id=target.id)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()  # comments loaded before the move still name the duplicate
    target.comment_count += duplicate.comment_count
    target.public_comment_count += duplicate.public_comment_count
    duplicate.comment_count = duplicate.public_comment_count = 0
    duplicate.merged_into_id = target.id

    comments.add_system_comment(session, duplicate, f"This ticket was merged into ticket #{target.id}.", now=now)
    comments.add_system_comment(
        session, target, f"Ticket #{duplicate.id} ({duplicate.subject}) was merged into this ticket.", now=now
    )
    tickets.move_status(session, duplicate, TicketStatus.CLOSED, author=author, now=now, reason="merged")
    search.reindex_ticket(session, duplicate)
    search.reindex_ticket(session, target)
    return target

"""Comments on a ticket: the conversation with the customer (public) and operators' internal notes.

Public comments are the conversation with the customer; internal notes (public false) are for
operators only. Each comment counts into the ticket's counts (all, and public), its words into
the search terms, and emits `ticketing.comment.added`, which carries the body of public
comments only. Markdown bodies are sanitised (no script, no unsafe HTML) before they are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import nh3
from sqlalchemy import select
from sqlalchemy.orm import Session

from ticketing import attachments, events, search
from ticketing.attachments import AcceptedFile
from ticketing.authors import SYSTEM, Author
from ticketing.errors import InvalidFields
from ticketing.models import BodyFormat, Comment, Ticket
from ticketing.storage import StagedWrites


def clean_body(body: str, body_format: str) -> str:
    """What is kept of a body: Markdown without unsafe HTML; plain text as written (shown escaped)."""
    cleaned = nh3.clean(body) if body_format == BodyFormat.MARKDOWN else body
    if not cleaned.strip():
        raise InvalidFields({"body": ["The comment is empty."]})
    return cleaned


def append_comment(
    session: Session,
    ticket: Ticket,
    *,
    author: Author,
    body: str,
    body_format: str,
    public: bool,
    files: Sequence[AcceptedFile] = (),
    writes: StagedWrites | None = None,
    now: datetime,
) -> Comment:
    """Add the comment and its files to the ticket, counted and indexed; emits nothing."""
    comment = Comment(
        ticket_id=ticket.id,
        author_kind=author.kind,
        author=author.name,
        public=public,
        body=clean_body(body, body_format),
        body_format=body_format,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    if files:
        if writes is None:
            raise ValueError("files need a staging to be written through")
        attachments.attach(session, writes, comment, files, now=now)
    ticket.comment_count += 1
    if public:
        # `updated_at` is what the customer's list shows and sorts by: a note does not move it.
        ticket.public_comment_count += 1
        ticket.updated_at = now
    search.index_text(session, ticket, comment.body, public=public)
    return comment


def publish_comment_added(session: Session, ticket: Ticket, comment: Comment) -> None:
    data = {
        "comment_id": comment.id,
        "public": comment.public,
        "author_kind": comment.author_kind,
        "author": comment.author,
        "created_at": comment.created_at.isoformat(),
        "attachment_count": len(comment.attachments),
    }
    if comment.public:  # an internal note's words never leave the service
        data |= {"body": comment.body, "body_format": comment.body_format}
    events.publish_ticket_event(session, events.COMMENT_ADDED, ticket, **data)


def add_system_comment(session: Session, ticket: Ticket, body: str, *, now: datetime) -> Comment:
    comment = append_comment(
        session, ticket, author=SYSTEM, body=body, body_format=BodyFormat.TEXT, public=True, now=now
    )
    publish_comment_added(session, ticket, comment)
    return comment


def ticket_comments(session: Session, ticket: Ticket, *, public_only: bool) -> list[Comment]:
    """The ticket's comments, oldest first; customers get the public ones only."""
    query = select(Comment).where(Comment.ticket_id == ticket.id)
    if public_only:
        query = query.where(Comment.public.is_(True))
    return list(session.scalars(query.order_by(Comment.id)))

"""Shapes the views answer with that are not a single model: a ticket with its comments, a file,
and the customer's ticket list, shaped by hand."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Response, send_file
from sqlalchemy import Row

from portico.pagination import Page
from ticketing.errors import AttachmentNotFound
from ticketing.models import Attachment, Comment, Ticket
from ticketing.storage import AttachmentStorage

# What a customer's list shows of each ticket (TicketSchema's fields), and what its cursor needs.
CUSTOMER_LIST_COLUMNS = (
    "id",
    "subject",
    "priority",
    "status",
    "group_name",
    "ticket_type",
    "assignee",
    "source",
    "created_at",
    "updated_at",
    "resolved_at",
    "closed_at",
    "merged_into_id",
    "public_comment_count",
    "priority_rank",
)


class TicketWithComments:
    """A ticket seen with the comments its reader may see."""

    def __init__(self, ticket: Ticket, comments: list[Comment]):
        self._ticket = ticket
        self.comments = comments

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ticket, name)


def file_response(attachment: Attachment, store: AttachmentStorage) -> Response:
    """The file as a download: never shown inline, never sniffed into another type by a browser."""
    try:
        file = store.open(attachment.storage_key)
    except FileNotFoundError:
        raise AttachmentNotFound(f"The file of attachment {attachment.id} is missing.") from None
    response = send_file(
        file,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.filename,
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def customer_list_item(row: Row) -> dict[str, Any]:
    """A row of CUSTOMER_LIST_COLUMNS exactly as TicketSchema dumps the ticket (a test holds them equal).

    The list is the busiest answer of the service; dumping it through marshmallow cost more
    than finding the tickets. Its documented shape stays TicketPageSchema.
    """
    (id_, subject, priority, status, group, type_, assignee, source, created, updated, resolved, closed, merged_into,
     public_comments, _priority_rank) = row  # fmt: skip
    return {
        "id": id_,
        "subject": subject,
        "priority": priority,
        "status": status,
        "group": group,
        "type": type_,
        "assigned_to": assignee,
        "source": source,
        "created_at": created.isoformat(),
        "updated_at": updated.isoformat(),
        "resolved_at": _iso(resolved),
        "closed_at": _iso(closed),
        "merged_into": merged_into,
        "comment_count": public_comments,
    }


def customer_list_response(page: Page) -> Response:
    """A page of rows of CUSTOMER_LIST_COLUMNS as TicketPageSchema documents it."""
    body = {"items": [customer_list_item(row) for row in page.items], "next_cursor": page.next_cursor}
    return Response(json.dumps(body, separators=(",", ":")), mimetype="application/json")

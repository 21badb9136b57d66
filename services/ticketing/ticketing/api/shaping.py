"""Shapes the views answer with that are not a single model: a ticket with its comments, a file."""

from __future__ import annotations

from typing import Any

from flask import Response, send_file

from ticketing.errors import AttachmentNotFound
from ticketing.models import Attachment, Comment, Ticket
from ticketing.storage import AttachmentStorage


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

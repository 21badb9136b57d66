"""What a customer does to tickets through the portal: open one, reply, close; ticketing does the rest.

Files are passed on as they came (ticketing checks their size, count and type), and so is
the client's Idempotency-Key, so a retried create or reply opens or adds nothing twice.
"""

from __future__ import annotations

from typing import Any

from portal_bff import visibility
from portal_bff.errors import InvalidFields
from portal_bff.pages import Reader, Upload
from portal_bff.pages.tickets import ticket_model


def _check_files(reader: Reader, files: list[Upload]) -> list[tuple[str, tuple[str, bytes, str]]]:
    if files and not reader.config["tickets"]["allow_attachments"]:
        raise InvalidFields({"attachments": ["Files cannot be attached to tickets here."]})
    return [("attachments", (f.filename, f.data, f.content_type)) for f in files]


def _idempotency(key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": key} if key else {}


def open_ticket(reader: Reader, form: dict[str, Any], files: list[Upload], *, key: str | None) -> dict[str, Any]:
    """Open a ticket; the ticket as the ticket page shows it."""
    parts = _check_files(reader, files)
    response = reader.upstreams.ticketing.call(
        "POST",
        reader.path("/tickets"),
        customer_id=reader.customer_id,
        data=form,
        files=parts or None,
        headers=_idempotency(key),
    )
    return ticket_model(response.json(), visibility.ticket_columns(reader.config))


def reply(reader: Reader, ticket_id: int, form: dict[str, Any], files: list[Upload], *, key: str | None) -> dict:
    """Add the customer's reply (with files); the comment as the ticket page shows it."""
    parts = _check_files(reader, files)
    response = reader.upstreams.ticketing.call(
        "POST",
        reader.path(f"/tickets/{ticket_id}/comments"),
        customer_id=reader.customer_id,
        data=form,
        files=parts or None,
        headers=_idempotency(key),
    )
    return response.json()


def close(reader: Reader, ticket_id: int) -> dict[str, Any]:
    """ "OK, resolved": close the ticket; the ticket as the ticket page shows it."""
    response = reader.upstreams.ticketing.call(
        "POST", reader.path(f"/tickets/{ticket_id}/close"), customer_id=reader.customer_id
    )
    return ticket_model(response.json(), visibility.ticket_columns(reader.config))

"""What a view needs from the request and the app: the clock, settings, storage, who is asking, files."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request

from portico.auth import current_principal
from portico.problems import Problem
from ticketing.attachments import Upload
from ticketing.authors import Author
from ticketing.config import TicketingConfig
from ticketing.errors import InvalidFields
from ticketing.storage import AttachmentStorage

ATTACHMENTS_FIELD = "attachments"


def now() -> datetime:
    """The app's clock (tests set it; otherwise the time in UTC)."""
    return current_app.extensions["ticketing.clock"]()


def config() -> TicketingConfig:
    return current_app.extensions["ticketing.config"]


def storage() -> AttachmentStorage:
    return current_app.extensions["ticketing.storage"]


def caller() -> str:
    """Who sent the request, as idempotency keys are scoped: `customer:7`, `operator:alice`."""
    principal = current_principal()
    return f"{principal.kind}:{principal.name}"


def operator_author() -> Author:
    principal = current_principal()
    return Author.operator(principal.name if principal.kind == "operator" else f"service:{principal.name}")


def require_customer(customer_id: int) -> Author:
    """Customers write on their own tickets here; operators answer through /admin/v1."""
    principal = current_principal()
    if principal.kind != "customer":
        raise Problem(403, "Forbidden", "Only the customer writes here; operators use /admin/v1/tickets.")
    return Author.customer(customer_id)


def uploads_of(max_bytes: int) -> list[Upload]:
    """The request's files (form field `attachments`), each read to at most one byte over the
    limit (enough to refuse it)."""
    unexpected = sorted(set(request.files) - {ATTACHMENTS_FIELD})
    if unexpected:
        raise InvalidFields({name: [f"Send files as {ATTACHMENTS_FIELD}."] for name in unexpected})
    uploads = []
    for file in request.files.getlist(ATTACHMENTS_FIELD):
        data = file.stream.read(max_bytes + 1)
        if not file.filename and not data:
            continue  # a form's file input left empty
        uploads.append(Upload(file.filename or "", data))
    return uploads

"""The Tickets pages: the list (filter, search, CSV export), a new ticket with files, one ticket with
its thread, replying, and "OK, resolved"."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext

from portal_bff import ticket_actions
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.errors import InvalidFields, UpstreamRejected
from portal_bff.page_arguments import (
    PRIORITIES,
    TICKET_SORTS,
    TICKET_STATUSES,
    TicketFilterArgsSchema,
    TicketListArgsSchema,
    as_params,
)
from portal_bff.page_schemas import TicketPageSchema, TicketsPageSchema
from portal_bff.pages import Upload
from portal_bff.pages.tickets import EXPORT, export_query, ticket_page, tickets_page
from portal_bff.web.guard import page, safe_next
from portal_bff.web.pages import blueprint, form_key, idempotency_key, query_args, render
from portal_bff.web.tables import ticket_columns

blp = blueprint("web_tickets", __name__, url_prefix="/tickets")
FILES_FIELD = "attachments"
MAX_TEXT = 20_000


def _uploads() -> list[Upload]:
    return [
        Upload(f.filename or "file", f.mimetype or "application/octet-stream", f.stream.read())
        for f in request.files.getlist(FILES_FIELD)
        if f.filename
    ]


def _problem(error: InvalidFields | UpstreamRejected) -> dict[str, str]:
    """Field → first message, for the form to show beside its fields."""
    errors = error.errors if isinstance(getattr(error, "errors", None), dict) else {}
    shown = {}
    for name, messages in errors.items():
        if isinstance(messages, list) and messages:
            shown[name] = str(messages[0])
        elif isinstance(messages, dict):
            shown[name] = str(next(iter(messages.values()), [""])[0]) if messages else ""
    return shown or {"_form": str(error)}


@blp.get("")
@page(module="tickets")
def tickets():
    query = query_args(TicketListArgsSchema())
    model = TicketsPageSchema().dump(tickets_page(reader(), as_params(query)))
    return render(
        "tickets/tickets.html",
        page=model,
        query=query,
        columns=ticket_columns(model["columns"]),
        statuses=TICKET_STATUSES,
        priorities=PRIORITIES,
        sorts=TICKET_SORTS,
    )


@blp.get("/export.csv")
@page(module="tickets")
def export():
    """The filtered list as CSV, with the columns the portal config shows, streamed from ticketing."""
    found = reader()
    params = export_query(found, as_params(query_args(TicketFilterArgsSchema())))
    return stream_file(found.upstreams.ticketing, found.path(EXPORT), customer_id=found.customer_id, params=params)


@blp.get("/new")
@page(module="tickets")
def new_ticket():
    return _new_form()


def _new_form(*, status: int = 200, errors: dict[str, str] | None = None, values: dict | None = None):
    found = reader()
    return render(
        "tickets/new.html",
        status=status,
        errors=errors or {},
        values=values or {"priority": "medium"},
        priorities=PRIORITIES,
        allow_attachments=found.config["tickets"]["allow_attachments"],
        key=request.form.get("idempotency_key") or form_key(),
    )


@blp.post("/new")
@page(module="tickets")
def create():
    values = {
        "subject": request.form.get("subject", "")[:200],
        "priority": request.form.get("priority", "medium"),
        "message": request.form.get("message", "")[:MAX_TEXT],
    }
    if values["priority"] not in PRIORITIES:
        values["priority"] = "medium"
    missing = {name: "" for name in ("subject", "message") if not values[name].strip()}
    if missing:
        errors = {name: gettext("This field is required.") for name in missing}
        return _new_form(status=422, errors=errors, values=values)
    try:
        found = reader()
        item = ticket_actions.open_ticket(found, values, _uploads(), key=idempotency_key())
        found.changed("ticketing")
    except (InvalidFields, UpstreamRejected) as refused:
        return _new_form(status=422, errors=_problem(refused), values=values)
    return redirect(url_for("web_tickets.ticket", ticket_id=item["id"], notice="ticket_created"), code=303)


@blp.get("/<int:ticket_id>")
@page(module="tickets")
def ticket(ticket_id: int):
    return _ticket(ticket_id)


def _ticket(ticket_id: int, *, status: int = 200, errors: dict[str, str] | None = None, body: str = ""):
    model = TicketPageSchema().dump(ticket_page(reader(), ticket_id))
    return render(
        "tickets/ticket.html",
        status=status,
        page=model,
        columns=ticket_columns(model["columns"]),
        errors=errors or {},
        body=body,
        key=form_key(),
    )


@blp.post("/<int:ticket_id>/reply")
@page(module="tickets")
def reply(ticket_id: int):
    body = request.form.get("body", "")[:MAX_TEXT]
    if not body.strip():
        return _ticket(ticket_id, status=422, errors={"body": gettext("Write your reply first.")})
    try:
        found = reader()
        ticket_actions.reply(found, ticket_id, {"body": body}, _uploads(), key=idempotency_key())
        found.changed("ticketing")
    except (InvalidFields, UpstreamRejected) as refused:
        if isinstance(refused, UpstreamRejected) and refused.status == 404:
            raise
        return _ticket(ticket_id, status=422, errors=_problem(refused), body=body)
    return redirect(url_for("web_tickets.ticket", ticket_id=ticket_id, notice="reply_sent"), code=303)


@blp.post("/<int:ticket_id>/close")
@page(module="tickets")
def close(ticket_id: int):
    try:
        found = reader()
        ticket_actions.close(found, ticket_id)
        found.changed("ticketing")
    except UpstreamRejected as refused:
        if refused.status == 404:
            raise
    back = safe_next(request.form.get("next"), default=url_for("web_tickets.ticket", ticket_id=ticket_id))
    separator = "&" if "?" in back else "?"
    return redirect(f"{back}{separator}notice=ticket_closed", code=303)


@blp.get("/<int:ticket_id>/attachments/<int:attachment_id>")
@page(module="tickets")
def attachment(ticket_id: int, attachment_id: int):
    found = reader()
    path = found.path(f"/tickets/{ticket_id}/attachments/{attachment_id}")
    return stream_file(found.upstreams.ticketing, path, customer_id=found.customer_id)

"""The Tickets pages and actions: list (and its CSV export), view, open, reply, close, and the files of
public comments."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import ticket_actions
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.api.file_passthrough import stream_file
from portal_bff.api.readers import reader
from portal_bff.errors import InvalidFields
from portal_bff.fanout import ok
from portal_bff.page_arguments import (
    IdempotencyHeaderSchema,
    ReplyFormSchema,
    TicketFilterArgsSchema,
    TicketFormSchema,
    TicketListArgsSchema,
    as_params,
)
from portal_bff.page_schemas import CommentSchema, TicketPageSchema, TicketsPageSchema
from portal_bff.pages import Upload
from portal_bff.pages.tickets import EXPORT, export_query, ticket_page, tickets_page

blp = Blueprint("tickets", __name__, url_prefix="/api/v1", description="Tickets")
HIDDEN = "The Tickets module is hidden for this customer, or there is no such ticket."
DOWN = "Ticketing is not available: nothing was done (`Retry-After`)."
FILES_FIELD = "attachments"


def _uploads() -> list[Upload]:
    unexpected = sorted(set(request.files) - {FILES_FIELD})
    if unexpected:
        raise InvalidFields({name: [f"Send files as `{FILES_FIELD}`."] for name in unexpected})
    return [
        Upload(f.filename or "file", f.mimetype or "application/octet-stream", f.stream.read())
        for f in request.files.getlist(FILES_FIELD)
        if f.filename
    ]


def _ticket_answer(item: dict) -> dict:
    me = visitor()
    tickets = me.config["tickets"]
    return {
        "columns": tickets["columns"],
        "allow_attachments": tickets["allow_attachments"],
        "ticket": ok({"item": item}),
    }


@blp.route("/tickets")
class Tickets(MethodView):
    @signed_in(module="tickets")
    @blp.arguments(TicketListArgsSchema, location="query")
    @blp.response(200, TicketsPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The customer's tickets, filtered and searched, with the columns the portal config shows."""
        return tickets_page(reader(), as_params(query))

    @signed_in(module="tickets")
    @blp.arguments(TicketFormSchema, location="form", content_type="multipart/form-data")
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, TicketPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, headers):
        """Open a ticket (multipart: subject, priority, message, `attachments`); the new ticket's page."""
        item = ticket_actions.open_ticket(reader(), form, _uploads(), key=headers.get("idempotency_key"))
        return _ticket_answer(item), 201


@blp.route("/tickets/export.csv")
class TicketsExport(MethodView):
    @signed_in(module="tickets")
    @blp.arguments(TicketFilterArgsSchema, location="query")
    @blp.response(200, {"type": "string"}, content_type="text/csv")
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description="Ticketing is not available (`Retry-After`).")
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The filtered list, every page of it, as CSV: a header row, then the columns the portal config shows."""
        found = reader()
        params = export_query(found, as_params(query))
        return stream_file(found.upstreams.ticketing, found.path(EXPORT), customer_id=found.customer_id, params=params)


@blp.route("/tickets/<int:ticket_id>")
class Ticket(MethodView):
    @signed_in(module="tickets")
    @blp.response(200, TicketPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, ticket_id):
        """One ticket with its public comments, oldest first."""
        return ticket_page(reader(), ticket_id)


@blp.route("/tickets/<int:ticket_id>/comments")
class TicketReplies(MethodView):
    @signed_in(module="tickets")
    @blp.arguments(ReplyFormSchema, location="form", content_type="multipart/form-data")
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, CommentSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(409, description="The ticket is closed (or resolved too long ago) for replies.")
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, headers, ticket_id):
        """Reply (multipart: body, `attachments`); the new comment."""
        return ticket_actions.reply(reader(), ticket_id, form, _uploads(), key=headers.get("idempotency_key")), 201


@blp.route("/tickets/<int:ticket_id>/close")
class TicketClose(MethodView):
    @signed_in(module="tickets")
    @blp.response(200, TicketPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, ticket_id):
        """ "OK, resolved": close the ticket."""
        return _ticket_answer(ticket_actions.close(reader(), ticket_id))


@blp.route("/tickets/<int:ticket_id>/attachments/<int:attachment_id>")
class TicketAttachment(MethodView):
    @signed_in(module="tickets")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/octet-stream")
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(503, description="Ticketing is not available (`Retry-After`).")
    @blp.doc(security=SESSION_SECURITY)
    def get(self, ticket_id, attachment_id):
        """Download a file of a public comment."""
        me = visitor()
        path = f"/v1/customers/{me.customer_id}/tickets/{ticket_id}/attachments/{attachment_id}"
        return stream_file(reader().upstreams.ticketing, path, customer_id=me.customer_id)

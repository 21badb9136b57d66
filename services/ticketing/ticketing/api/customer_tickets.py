"""Customer-scoped endpoints for tickets: `/v1/customers/{id}/tickets...` (seeds 000-003).

Another customer's id answers 404, and so does another customer's ticket under one's own id.
Only public comments (and their files) are ever shown here.
"""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from portico.auth import customer_scope
from portico.web import database
from ticketing import attachments, comments, replies, tickets
from ticketing.api.idempotent import create_once
from ticketing.api.request_context import config, now, require_customer, storage, uploads_of
from ticketing.api.shaping import (
    CUSTOMER_LIST_COLUMNS,
    TicketWithComments,
    customer_list_response,
    file_response,
)
from ticketing.export import parse_columns, tickets_csv
from ticketing.models import Source
from ticketing.schemas import (
    CommentSchema,
    IdempotencyHeaderSchema,
    ReplyFormSchema,
    TicketCreateFormSchema,
    TicketDetailSchema,
    TicketExportQuerySchema,
    TicketListQuerySchema,
    TicketPageSchema,
    TicketSchema,
)
from ticketing.ticket_queries import TicketFilter, all_tickets, list_tickets

blp = Blueprint("customer_tickets", __name__, url_prefix="/v1/customers", description="Tickets (customer-scoped)")
BEARER = [{"bearer": []}]


def _filters(customer_id: int, query: dict) -> TicketFilter:
    return TicketFilter(
        customer_id=customer_id,
        statuses=query.get("status", ()),
        priorities=query.get("priority", ()),
        created_from=query.get("created_from"),
        created_to=query.get("created_to"),
        q=query.get("q"),
    )


def _with_public_comments(session, ticket) -> TicketWithComments:
    return TicketWithComments(ticket, comments.ticket_comments(session, ticket, public_only=True))


# One instance for every request: given the class, webargs would build a schema per request.
LIST_QUERY = TicketListQuerySchema()


@blp.route("/<int:customer_id>/tickets")
class CustomerTickets(MethodView):
    @customer_scope
    @blp.arguments(LIST_QUERY, location="query", unknown=RAISE)
    @blp.response(200, TicketPageSchema)
    @blp.doc(security=BEARER)
    def get(self, query, customer_id):
        """The customer's tickets matching the filters and search, one page at a time."""
        with database().reading() as session:
            page = list_tickets(
                session,
                _filters(customer_id, query),
                sort=query["sort"],
                limit=query["limit"],
                cursor=query.get("cursor"),
                now=now(),
                columns=CUSTOMER_LIST_COLUMNS,
            )
        return customer_list_response(page)

    @customer_scope
    @blp.arguments(TicketCreateFormSchema, location="form", content_type="multipart/form-data", unknown=RAISE)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, TicketDetailSchema)
    @blp.doc(security=BEARER)
    def post(self, form, headers, customer_id):
        """Open a ticket (multipart: subject, priority, message, attachments); emits ticketing.ticket.created.

        With an `Idempotency-Key`, a retry gets the first answer again and opens nothing.
        """
        author = require_customer(customer_id)
        settings = config()
        uploads = uploads_of(settings.max_attachment_bytes)
        accepted = attachments.check_uploads(
            uploads, max_bytes=settings.max_attachment_bytes, max_count=settings.max_attachments
        )
        new = tickets.NewTicket(
            customer_id=customer_id,
            subject=form["subject"],
            priority=form["priority"],
            message=form["message"],
            body_format=form["body_format"],
            source=Source.PORTAL,
        )

        def open_ticket(session, writes):
            ticket = tickets.open_ticket(
                session, new, author=author, files=accepted, writes=writes, targets=settings.sla, now=now()
            )
            return _with_public_comments(session, ticket)

        return create_once(headers.get("idempotency_key"), form, uploads, open_ticket, TicketDetailSchema(), 201)


@blp.route("/<int:customer_id>/tickets/export.csv")
class CustomerTicketsExport(MethodView):
    @customer_scope
    @blp.arguments(TicketExportQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, description="CSV of the filtered list, with the columns asked for.", content_type="text/csv")
    @blp.doc(security=BEARER)
    def get(self, query, customer_id):
        """The filtered list (no pages) as CSV; `columns` picks and orders the columns."""
        columns = parse_columns(query.get("columns"))
        with database().reading() as session:
            found = all_tickets(session, _filters(customer_id, query), sort=query["sort"], now=now())
            text = tickets_csv(found, columns)
        response = Response(text, mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="tickets.csv"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


@blp.route("/<int:customer_id>/tickets/<int:ticket_id>")
class CustomerTicket(MethodView):
    @customer_scope
    @blp.response(200, TicketDetailSchema)
    @blp.doc(security=BEARER)
    def get(self, customer_id, ticket_id):
        """The ticket with its public comments, oldest first."""
        with database().reading() as session:
            ticket = tickets.get_customer_ticket(session, customer_id, ticket_id)
            return _with_public_comments(session, ticket)


@blp.route("/<int:customer_id>/tickets/<int:ticket_id>/comments")
class CustomerTicketComments(MethodView):
    @customer_scope
    @blp.arguments(ReplyFormSchema, location="form", content_type="multipart/form-data", unknown=RAISE)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, CommentSchema)
    @blp.doc(security=BEARER)
    def post(self, form, headers, customer_id, ticket_id):
        """Reply (multipart: body, attachments). It reopens a ticket waiting on the customer, or one
        resolved within the reopen window; a closed one, or one resolved before it, answers 409."""
        require_customer(customer_id)
        settings = config()
        uploads = uploads_of(settings.max_attachment_bytes)
        accepted = attachments.check_uploads(
            uploads, max_bytes=settings.max_attachment_bytes, max_count=settings.max_attachments
        )

        def reply(session, writes):
            return replies.add_customer_reply(
                session,
                customer_id,
                ticket_id,
                body=form["body"],
                body_format=form["body_format"],
                files=accepted,
                writes=writes,
                reopen_days=settings.reopen_days,
                now=now(),
            )

        return create_once(headers.get("idempotency_key"), form, uploads, reply, CommentSchema(), 201)


@blp.route("/<int:customer_id>/tickets/<int:ticket_id>/close")
class CustomerTicketClose(MethodView):
    @customer_scope
    @blp.response(200, TicketSchema)
    @blp.doc(security=BEARER)
    def post(self, customer_id, ticket_id):
        """ "OK, resolved": close the ticket (closing a closed ticket changes nothing)."""
        author = require_customer(customer_id)
        with database().transaction() as session:
            return tickets.close_by_customer(session, customer_id, ticket_id, author=author, now=now())


@blp.route("/<int:customer_id>/tickets/<int:ticket_id>/attachments/<int:attachment_id>")
class CustomerTicketAttachment(MethodView):
    @customer_scope
    @blp.response(200, description="The file, as a download.", content_type="application/octet-stream")
    @blp.doc(security=BEARER)
    def get(self, customer_id, ticket_id, attachment_id):
        """Download a file of a public comment of the customer's ticket."""
        with database().reading() as session:
            ticket = tickets.get_customer_ticket(session, customer_id, ticket_id)
            attachment = attachments.get_attachment(session, ticket, attachment_id, public_only=True)
        return file_response(attachment, storage())

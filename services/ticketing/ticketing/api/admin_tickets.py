"""Operator endpoints for tickets (`/admin/v1/...`): the queue, a customer's tickets, changes,
replies and internal notes, merging, and files."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from portico.auth import operator_scope
from portico.web import database
from ticketing import attachments, comments, merge, replies, tickets
from ticketing.api.idempotent import create_once
from ticketing.api.request_context import config, now, operator_author, storage, uploads_of
from ticketing.api.shaping import TicketWithComments, file_response
from ticketing.customers import get_customer
from ticketing.errors import CustomerNotFound, InvalidFields
from ticketing.models import Source, TicketStatus
from ticketing.schemas import (
    CustomerTicketsQuerySchema,
    IdempotencyHeaderSchema,
    MergeSchema,
    OperatorCommentFormSchema,
    OperatorCommentSchema,
    OperatorTicketCreateFormSchema,
    OperatorTicketDetailSchema,
    OperatorTicketPageSchema,
    OperatorTicketSchema,
    QueueQuerySchema,
    TicketChangeSchema,
)
from ticketing.ticket_queries import TicketFilter, list_tickets

blp = Blueprint("admin_tickets", __name__, url_prefix="/admin/v1", description="Tickets (operators)")
BEARER = [{"bearer": []}]
STATES = {"all": (), "opened": TicketStatus.OPENED, "closed": TicketStatus.FINISHED}


def _with_all_comments(session, ticket) -> TicketWithComments:
    return TicketWithComments(ticket, comments.ticket_comments(session, ticket, public_only=False))


@blp.route("/tickets")
class Queue(MethodView):
    @operator_scope("tickets:read")
    @blp.arguments(QueueQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, OperatorTicketPageSchema)
    @blp.doc(security=BEARER)
    def get(self, query):
        """Tickets across customers matching the filters (and search, internal notes included)."""
        filters = TicketFilter(
            customer_id=query.get("customer_id"),
            statuses=query.get("status", ()),
            priorities=query.get("priority", ()),
            created_from=query.get("created_from"),
            created_to=query.get("created_to"),
            q=query.get("q"),
            search_internal=True,
            assignee=query.get("assignee"),
            unassigned=query.get("unassigned", False),
            group=query.get("group"),
            type=query.get("type"),
            overdue=query.get("overdue"),
        )
        with database().reading() as session:
            page = list_tickets(
                session, filters, sort=query["sort"], limit=query["limit"], cursor=query.get("cursor"), now=now()
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @operator_scope("tickets:write")
    @blp.arguments(OperatorTicketCreateFormSchema, location="form", content_type="multipart/form-data", unknown=RAISE)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, OperatorTicketDetailSchema)
    @blp.doc(security=BEARER)
    def post(self, form, headers):
        """Open a ticket for a customer (multipart); the message is public. Emits ticketing.ticket.created."""
        settings = config()
        uploads = uploads_of(settings.max_attachment_bytes)
        accepted = attachments.check_uploads(
            uploads, max_bytes=settings.max_attachment_bytes, max_count=settings.max_attachments
        )
        new = tickets.NewTicket(
            customer_id=form["customer_id"],
            subject=form["subject"],
            priority=form["priority"],
            message=form["message"],
            body_format=form["body_format"],
            source=Source.OPERATOR,
            group=form.get("group"),
            type=form.get("type"),
            assignee=form.get("assignee"),
        )
        author = operator_author()

        def open_ticket(session, writes):
            try:
                get_customer(session, new.customer_id)
            except CustomerNotFound:
                raise InvalidFields({"customer_id": [f"No customer {new.customer_id}."]}) from None
            ticket = tickets.open_ticket(
                session, new, author=author, files=accepted, writes=writes, targets=settings.sla, now=now()
            )
            return _with_all_comments(session, ticket)

        return create_once(headers.get("idempotency_key"), form, uploads, open_ticket, OperatorTicketDetailSchema())


@blp.route("/tickets/<int:ticket_id>")
class TicketById(MethodView):
    @operator_scope("tickets:read")
    @blp.response(200, OperatorTicketDetailSchema)
    @blp.doc(security=BEARER)
    def get(self, ticket_id):
        """The ticket with all its comments, internal notes included."""
        with database().reading() as session:
            return _with_all_comments(session, tickets.get_ticket(session, ticket_id))

    @operator_scope("tickets:write")
    @blp.arguments(TicketChangeSchema)
    @blp.response(200, OperatorTicketSchema)
    @blp.doc(security=BEARER)
    def patch(self, changes, ticket_id):
        """Assign (null unassigns) or change the status, priority, group or type.

        Emits ticketing.ticket.assigned, .status_changed and .closed as they apply.
        """
        with database().transaction() as session:
            return tickets.change_ticket(
                session, ticket_id, changes, author=operator_author(), targets=config().sla, now=now()
            )


@blp.route("/tickets/<int:ticket_id>/comments")
class TicketComments(MethodView):
    @operator_scope("tickets:write")
    @blp.arguments(OperatorCommentFormSchema, location="form", content_type="multipart/form-data", unknown=RAISE)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, OperatorCommentSchema)
    @blp.doc(security=BEARER)
    def post(self, form, headers, ticket_id):
        """A public reply (public=true) or an internal note (public=false), with files; emits
        ticketing.comment.added (with the body for public replies only)."""
        settings = config()
        uploads = uploads_of(settings.max_attachment_bytes)
        accepted = attachments.check_uploads(
            uploads, max_bytes=settings.max_attachment_bytes, max_count=settings.max_attachments
        )
        author = operator_author()

        def comment(session, writes):
            return replies.add_operator_comment(
                session,
                ticket_id,
                author=author,
                body=form["body"],
                body_format=form["body_format"],
                public=form["public"],
                status=form.get("status"),
                files=accepted,
                writes=writes,
                now=now(),
            )

        return create_once(headers.get("idempotency_key"), form, uploads, comment, OperatorCommentSchema())


@blp.route("/tickets/<int:ticket_id>/merge")
class TicketMerge(MethodView):
    @operator_scope("tickets:write")
    @blp.arguments(MergeSchema)
    @blp.response(200, OperatorTicketDetailSchema)
    @blp.doc(security=BEARER)
    def post(self, values, ticket_id):
        """Merge this (duplicate) ticket into `into`: its comments and tasks move there, and it is
        closed with a comment pointing to the ticket kept. Answers the ticket kept."""
        with database().transaction() as session:
            target = merge.merge_tickets(session, ticket_id, values["into"], author=operator_author(), now=now())
            return _with_all_comments(session, target)


@blp.route("/tickets/<int:ticket_id>/attachments/<int:attachment_id>")
class TicketAttachment(MethodView):
    @operator_scope("tickets:read")
    @blp.response(200, description="The file, as a download.", content_type="application/octet-stream")
    @blp.doc(security=BEARER)
    def get(self, ticket_id, attachment_id):
        """Download any file of the ticket, internal notes' included."""
        with database().reading() as session:
            ticket = tickets.get_ticket(session, ticket_id)
            attachment = attachments.get_attachment(session, ticket, attachment_id, public_only=False)
        return file_response(attachment, storage())


@blp.route("/customers/<int:customer_id>/tickets")
class CustomerTickets(MethodView):
    @operator_scope("tickets:read")
    @blp.arguments(CustomerTicketsQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, OperatorTicketPageSchema)
    @blp.doc(security=BEARER)
    def get(self, query, customer_id):
        """A customer's tickets (seed 004): all, opened (New, Open, Waiting) or closed (Resolved, Closed)."""
        filters = TicketFilter(customer_id=customer_id, statuses=STATES[query["state"]])
        with database().reading() as session:
            get_customer(session, customer_id)
            page = list_tickets(
                session, filters, sort=query["sort"], limit=query["limit"], cursor=query.get("cursor"), now=now()
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

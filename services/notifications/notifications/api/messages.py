"""The customer's portal inbox."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from notifications import messages
from notifications.clock import utc_now
from notifications.schemas import MessageListArgsSchema, MessagePageSchema, MessageSchema, UnreadCountSchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("messages", __name__, url_prefix="/v1/customers", description="Portal messages (customers)")


@blp.route("/<int:customer_id>/messages")
class Messages(MethodView):
    @blp.arguments(MessageListArgsSchema, location="query")
    @blp.response(200, MessagePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, args, customer_id):
        """The customer's messages, newest first."""
        with database().reading() as session:
            # One more than asked tells whether another page follows.
            found = messages.list_messages(session, customer_id, limit=args["limit"] + 1, before_id=args.get("cursor"))
        page = found[: args["limit"]]
        more = len(found) > args["limit"]
        return {"items": page, "next_cursor": page[-1].id if more else None}


@blp.route("/<int:customer_id>/messages/<int:message_id>")
class MessageById(MethodView):
    @blp.response(200, MessageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, message_id):
        """One message; opening it marks it read."""
        with database().transaction() as session:
            return messages.read_message(session, customer_id, message_id, now=utc_now())


@blp.route("/<int:customer_id>/messages/unread-count")
class UnreadCount(MethodView):
    @blp.response(200, UnreadCountSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """How many of the customer's messages are unread (the badge in the portal menu)."""
        with database().reading() as session:
            return {"unread": messages.unread_count(session, customer_id)}

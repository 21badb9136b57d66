"""The Messages pages: the inbox, one message, the unread count (the menu's badge)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.readers import reader
from portal_bff.page_arguments import MessageListArgsSchema
from portal_bff.page_schemas import MessagePageSchema, MessagesPageSchema, UnreadSectionSchema
from portal_bff.pages import messages

blp = Blueprint("messages", __name__, url_prefix="/api/v1", description="Messages")
HIDDEN = "The Messages module is hidden for this customer, or there is no such message."


@blp.route("/messages")
class Messages(MethodView):
    @signed_in(module="messages")
    @blp.arguments(MessageListArgsSchema, location="query")
    @blp.response(200, MessagesPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The messages sent to the customer's portal, newest first, and how many are unread."""
        return messages.messages_page(reader(), query)


@blp.route("/messages/unread-count")
class UnreadCount(MethodView):
    @signed_in(module="messages")
    @blp.response(200, UnreadSectionSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """How many messages are unread."""
        return messages.unread_page(reader())["unread"]


@blp.route("/messages/<int:message_id>")
class Message(MethodView):
    @signed_in(module="messages")
    @blp.response(200, MessagePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, message_id):
        """One message; reading it marks it read."""
        return messages.message_page(reader(), message_id)

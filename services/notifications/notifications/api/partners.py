"""Each partner's email sender and reply-to (operators)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from notifications import partner_senders
from notifications.api.request_context import actor, now
from notifications.schemas import PartnerSenderSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("partners", __name__, url_prefix="/admin/v1/partners", description="Partners' email sender (operators)")
BEARER = [{"bearer": []}]


@blp.route("/<int(min=1):partner_id>/sender")
class PartnerSender(MethodView):
    @operator_scope("messages:read")
    @blp.response(200, PartnerSenderSchema)
    @blp.doc(security=BEARER)
    def get(self, partner_id):
        """Who the partner's emails come from; 404 while it uses the service's default sender."""
        with database().reading() as session:
            return partner_senders.get_sender(session, partner_id)

    @operator_scope("messages:write")
    @blp.arguments(PartnerSenderSchema)
    @blp.response(200, PartnerSenderSchema)
    @blp.doc(security=BEARER)
    def put(self, values, partner_id):
        """Send the partner's emails from `mail_from`, replies to `reply_to` (emails queued before keep theirs)."""
        with database().transaction() as session:
            return partner_senders.save_sender(
                session,
                partner_id,
                mail_from=values["mail_from"],
                reply_to=values["reply_to"],
                actor=actor(),
                now=now(),
            )

    @operator_scope("messages:write")
    @blp.response(204)
    @blp.doc(security=BEARER)
    def delete(self, partner_id):
        """Back to the service's default sender."""
        with database().transaction() as session:
            partner_senders.remove_sender(session, partner_id)

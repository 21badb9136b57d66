"""The customer's open sessions and signing out elsewhere (/api/v1/sessions)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import sessions
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.api.context import now, policies
from portal_bff.devices import describe_device
from portal_bff.schemas import SessionListSchema, SessionsEndedSchema
from portico.web import database

blp = Blueprint("sessions", __name__, url_prefix="/api/v1", description="Open sessions")


@blp.route("/sessions")
class Sessions(MethodView):
    @signed_in()
    @blp.response(200, SessionListSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The customer's open sessions, newest first, with the device, IP and when last seen."""
        me = visitor()
        with database().reading() as session:
            found = sessions.live_sessions(session, me.customer_id, policy=policies().session, now=now())
        return {
            "items": [
                {
                    "id": record.id,
                    "device": describe_device(record.user_agent),
                    "ip": record.ip,
                    "user_agent": record.user_agent,
                    "created_at": record.created_at,
                    "last_seen_at": record.last_seen_at,
                    "current": record.id == me.record.id,
                    "impersonated_by": record.impersonated_by,
                }
                for record in found
            ]
        }

    @signed_in()
    @blp.response(200, SessionsEndedSchema)
    @blp.doc(security=SESSION_SECURITY)
    def delete(self):
        """Sign out everywhere else: every other session of the customer ends; this one stays."""
        me = visitor()
        with database().transaction() as session:
            ended = sessions.end_other_sessions(
                session, me.customer_id, keep=me.record.id, reason=sessions.Reason.SIGNED_OUT_ELSEWHERE, now=now()
            )
        return {"ended": ended}


@blp.route("/sessions/<string:session_id>")
class SessionById(MethodView):
    @signed_in()
    @blp.response(204)
    @blp.alt_response(404, description="No such open session of this customer.")
    @blp.doc(security=SESSION_SECURITY)
    def delete(self, session_id):
        """End one of the customer's sessions (another customer's id answers 404, as an unknown one)."""
        with database().transaction() as session:
            sessions.end_customers_session(session, visitor().customer_id, session_id, now=now())

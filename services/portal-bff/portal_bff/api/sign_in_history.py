"""The customer's sign-in history (/api/v1/sign-in-history)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import sign_in_history
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.devices import describe_device
from portal_bff.schemas import HistoryPageSchema, HistoryQuerySchema
from portico.web import database

blp = Blueprint("sign_in_history", __name__, url_prefix="/api/v1", description="Sign-in history")


@blp.route("/sign-in-history")
class SignInHistory(MethodView):
    @signed_in()
    @blp.arguments(HistoryQuerySchema, location="query")
    @blp.response(200, HistoryPageSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """Every sign-in on the customer's login, newest first: when, from where, the outcome, and
        which operator it was when an operator signed in as the customer."""
        with database().reading() as session:
            page = sign_in_history.history(
                session, visitor().customer_id, limit=query["limit"], cursor=query.get("cursor")
            )
        return {
            "items": [
                {
                    "at": row.at,
                    "ip": row.ip,
                    "user_agent": row.user_agent,
                    "device": describe_device(row.user_agent),
                    "outcome": row.outcome,
                    "impersonated_by": row.impersonated_by,
                }
                for row in page.items
            ],
            "next_cursor": page.next_cursor,
        }

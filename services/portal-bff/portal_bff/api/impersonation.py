"""Opening an operator's "login as customer" link (/api/v1/impersonation/{token})."""

from __future__ import annotations

from flask import redirect, request
from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import impersonation
from portal_bff.api.authentication import COOKIE, load_visitor, set_session_cookie
from portal_bff.api.context import client, now, policies
from portal_bff.api.session import session_model
from portal_bff.schemas import SessionSchema
from portico.web import database

blp = Blueprint("impersonation", __name__, url_prefix="/api/v1", description="Login as customer (opening the link)")


def _open(token: str):
    with database().transaction() as session:
        issued, _record = impersonation.open_link(
            session,
            token,
            client(),
            policy=policies().impersonation_session,
            now=now(),
            replacing_token=request.cookies.get(COOKIE),
        )
    set_session_cookie(issued.token)
    return issued


@blp.route("/impersonation/<string:token>")
class ImpersonationLink(MethodView):
    @blp.response(303)
    @blp.alt_response(410, description="The link is unknown, used or expired.")
    def get(self, token):
        """Open the link in a browser: the impersonation session's cookie is set and the portal opens."""
        _open(token)
        return redirect("/", code=303)

    @blp.response(201, SessionSchema)
    @blp.alt_response(410, description="The link is unknown, used or expired.")
    def post(self, token):
        """Open the link from a script or SPA: sets the cookie and answers the session."""
        issued = _open(token)
        with database().reading() as session:
            return session_model(load_visitor(session, issued.record, via_cookie=True)), 201

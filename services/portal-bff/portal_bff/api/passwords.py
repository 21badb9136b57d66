"""Setting a password from a one-time link (the token in the link is the credential)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import accounts
from portal_bff.schemas import SetPasswordSchema
from portico.web import database

blp = Blueprint("passwords", __name__, url_prefix="/api/v1", description="Passwords")


@blp.route("/set-password")
class SetPassword(MethodView):
    @blp.arguments(SetPasswordSchema)
    @blp.response(204)
    @blp.alt_response(410, description="The token is unknown, used or expired (one answer for all three).")
    @blp.alt_response(422, description="The body is malformed, or the password is too weak (`errors.password`).")
    def post(self, values):
        """Set the account's password with the token from a set-password or reset link.

        No sign-in needed: the token is the credential, and it works once. An unknown, used or
        expired token answers **410 Gone**, the same for all three, so that a link that cannot
        work any more is told apart by status from a password to correct (422, with the reason
        under `errors.password`). On any error nothing changes.
        """
        with database().transaction() as session:
            accounts.set_password(session, values["token"], values["password"], now=datetime.now(UTC))

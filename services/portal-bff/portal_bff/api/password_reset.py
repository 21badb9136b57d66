"""Forgotten passwords: ask for a reset link, then set a new password with it."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import accounts, password_reset, rate_limit
from portal_bff.api.context import client, now, policies, public_url
from portal_bff.schemas import PasswordResetAcceptedSchema, PasswordResetRequestSchema, SetPasswordSchema
from portico.web import database

blp = Blueprint("password_reset", __name__, url_prefix="/api/v1", description="Password reset")


@blp.route("/password-reset")
class PasswordReset(MethodView):
    @blp.arguments(PasswordResetRequestSchema)
    @blp.response(202, PasswordResetAcceptedSchema)
    @blp.alt_response(429, description="Too many requests from this IP address (`Retry-After`).")
    def post(self, values):
        """Ask for a reset link by login or by email; it is emailed, valid one hour, usable once.

        The answer is **202** with the same body whether or not an account matched, so that the
        form does not tell who is a customer.
        """
        moment, rules = now(), policies()
        with database().transaction() as session:
            rate_limit.enforce(session, rules.password_reset_per_ip, client().ip, now=moment)
            password_reset.request_reset(
                session,
                login=values.get("login"),
                email=values.get("email"),
                public_url=public_url(),
                ttl=rules.password_reset_ttl,
                per_account=rules.password_reset_per_account,
                now=moment,
            )
        minutes = int(rules.password_reset_ttl.total_seconds() // 60)
        return {
            "message": "If an account matches, a link to reset its password is on its way by email; "
            f"it works once, for {minutes} minutes."
        }


@blp.route("/password-reset/confirm")
class PasswordResetConfirm(MethodView):
    @blp.arguments(SetPasswordSchema)
    @blp.response(204)
    @blp.alt_response(410, description="The token is unknown, used or expired (one answer for all three).")
    @blp.alt_response(422, description="The password is too weak (`errors.password`); the link still works.")
    def post(self, values):
        """Set a new password with the reset link's token; every session of the account ends."""
        with database().transaction() as session:
            accounts.set_password(session, values["token"], values["password"], now=now())

"""Passwords: set from a one-time link, and changed from the profile."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import accounts, password_change, rate_limit, restrictions
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.api.context import now, policies
from portal_bff.schemas import PasswordChangeSchema, SetPasswordSchema
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
        under `errors.password`). On any error nothing changes. Every session of the account
        ends, and a lockout of its login is lifted.
        """
        with database().transaction() as session:
            accounts.set_password(session, values["token"], values["password"], now=now())


@blp.route("/password")
class Password(MethodView):
    @signed_in(during=restrictions.ALL, customer_only=True)
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    @blp.alt_response(
        422, description="The current password is wrong (`errors.current`) or the new one too weak (`errors.new`)."
    )
    @blp.alt_response(429, description="Too many attempts for this account (`Retry-After`).")
    @blp.doc(security=SESSION_SECURITY)
    def post(self, values):
        """Change the password, confirmed with the current one; every other session ends.

        This is also how a forced change on first sign-in is done (restriction `change_password`).
        """
        me, moment = visitor(), now()
        # Counted in its own transaction, so that a wrong current password still counts.
        with database().transaction() as session:
            rate_limit.enforce(session, policies().password_change_per_account, me.customer_id, now=moment)
        with database().transaction() as session:
            password_change.change_password(
                session,
                me.customer_id,
                current=values["current"],
                new=values["new"],
                keep_session=me.record.id,
                now=moment,
            )

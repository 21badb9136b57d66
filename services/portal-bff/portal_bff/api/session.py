"""Signing in and out, and the current session (POST/GET/DELETE /api/v1/session)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import restrictions, sessions, signin
from portal_bff.api.authentication import (
    COOKIE,
    SESSION_SECURITY,
    Visitor,
    clear_session_cookie,
    load_visitor,
    set_session_cookie,
    signed_in,
    visitor,
)
from portal_bff.api.context import client, now, policies
from portal_bff.schemas import SessionSchema, SignInSchema
from portico.web import database

blp = Blueprint("session", __name__, url_prefix="/api/v1", description="Sign-in and the current session")


def session_model(found: Visitor, *, token: str | None = None) -> dict[str, Any]:
    record, account = found.record, found.account
    model = {
        "id": record.id,
        "customer_id": account.customer_id,
        "login": account.login,
        "customer_status": account.customer_status,
        "created_at": record.created_at,
        "last_seen_at": record.last_seen_at,
        "expires_at": record.expires_at,
        "idle_expires_at": sessions.idle_expires_at(record, policies().session),
        "csrf_token": record.csrf_token,
        "restrictions": found.restrictions,
        "impersonation": (
            {"operator": record.impersonated_by, "write_access": not record.read_only}
            if record.impersonated_by
            else None
        ),
    }
    if token is not None:
        model["token"] = token
    return model


@blp.route("/session")
class CurrentSession(MethodView):
    @blp.arguments(SignInSchema)
    @blp.response(201, SessionSchema)
    @blp.alt_response(
        401,
        description="Wrong login or password (one answer for both), or a two-factor code is needed or wrong (`two_factor_required`).",
    )
    @blp.alt_response(
        423, description="The login is locked after too many failures (`Retry-After`); the same for unknown logins."
    )
    @blp.alt_response(429, description="Too many sign-in attempts from this IP address (`Retry-After`).")
    def post(self, values):
        """Sign in with login and password (and the two-factor code when it is on).

        A new session, with a new random token, starts on every sign-in; a session cookie sent
        along is ended. With `delivery: cookie` the token is set as an HttpOnly, SameSite=Lax
        cookie (Secure over HTTPS) and never shown; with `delivery: bearer` it is in `token`.
        The answer lists `restrictions`: a forced password change, or a two-factor enrolment
        the provider requires, comes before anything else.

        A locked login answers **423 Locked** with `Retry-After`, whether or not the login exists.
        """
        credentials = signin.Credentials(
            login=values["login"],
            password=values["password"],
            totp=values.get("totp"),
            recovery_code=values.get("recovery_code"),
        )
        result = signin.sign_in(
            database(),
            credentials,
            client(),
            policies=policies(),
            now=now(),
            replacing_token=request.cookies.get(COOKIE),
        )
        result.raise_if_refused()
        by_cookie = values["delivery"] == "cookie"
        with database().reading() as session:
            found = load_visitor(session, result.issued.record, via_cookie=by_cookie)
        if by_cookie:
            set_session_cookie(result.issued.token)
            return session_model(found), 201
        return session_model(found, token=result.issued.token), 201

    @signed_in(during=restrictions.ALL)
    @blp.response(200, SessionSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The current session: who, until when, its CSRF token, restrictions and any impersonation."""
        return session_model(visitor())

    @signed_in(during=restrictions.ALL, read_only_ok=True)
    @blp.response(204)
    @blp.doc(security=SESSION_SECURITY)
    def delete(self):
        """Sign out: the session ends here and now, and the cookie is cleared."""
        with database().transaction() as session:
            sessions.end_session(session, visitor().record.id, reason=sessions.Reason.SIGNED_OUT, now=now())
        clear_session_cookie()

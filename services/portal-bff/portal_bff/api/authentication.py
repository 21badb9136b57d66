"""Who is calling /api/v1: the session from the cookie or the Authorization header, and what it may do.

`signed_in(...)` wraps a view (outermost, so it answers before the body is parsed):
401 without a live session; for cookie-authenticated unsafe requests, 403 without the
session's CSRF token; 403 for a read-only impersonation's unsafe request, for an
impersonator touching the customer's own security settings, and for a session that owes a
step first (forced password change, two-factor enrolment); 404 for a hidden module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, after_this_request, g, request
from sqlalchemy.orm import Session

from portal_bff import csrf, portal_config, restrictions, sessions
from portal_bff.api.context import REQUEST_VERSIONS, configs, now, policies, session_finder
from portal_bff.errors import (
    CsrfRejected,
    NotForImpersonation,
    NotFound,
    NotSignedIn,
    ReadOnlySession,
    SessionRestricted,
)
from portal_bff.models import PortalAccount, PortalSession
from portico.web import database

COOKIE = "portico_session"
FOUND_VISITOR = "portal_found_visitor"  # flask.g: what request_visitor() found (None: no live session)
SESSION_SECURITY = [{"sessionCookie": []}, {"sessionToken": []}]


@dataclass(frozen=True)
class Visitor:
    """The signed-in customer of this request and their session."""

    record: PortalSession
    account: PortalAccount
    via_cookie: bool
    config: dict[str, Any]
    restrictions: list[str]

    @property
    def customer_id(self) -> int:
        return self.account.customer_id


def visitor() -> Visitor:
    return g.visitor


def load_visitor(session: Session, record: PortalSession, *, via_cookie: bool) -> Visitor:
    account = session.get(PortalAccount, record.customer_id)
    config = portal_config.effective_config(session, account.partner_id)
    owed = restrictions.session_restrictions(session, account, record, config)
    return Visitor(record=record, account=account, via_cookie=via_cookie, config=config, restrictions=owed)


def presented_token() -> tuple[str | None, bool]:
    """The session token and whether it came in the cookie (an Authorization header wins)."""
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotSignedIn("Send the session token as `Authorization: Bearer <token>`.")
        return token.strip(), False
    return request.cookies.get(COOKIE), True


def request_visitor() -> Visitor | None:
    """This request's live session (an Authorization header, else the cookie) as a Visitor, or None.

    Looked up once per request (`find_visitor`), whoever asks: the API's views and the web
    pages alike. NotSignedIn for an Authorization header that is not `Bearer <token>`.
    """
    if FOUND_VISITOR not in g:
        token, via_cookie = presented_token()
        setattr(g, FOUND_VISITOR, find_visitor(token or "", via_cookie=via_cookie))
    return g.get(FOUND_VISITOR)


def forget_request_visitor() -> None:
    """The session changed within this request (signed in or out): the next `request_visitor()` looks again."""
    g.pop(FOUND_VISITOR, None)


def authenticate() -> Visitor:
    """This request's live session; NotSignedIn without one."""
    found = request_visitor()
    if found is None:
        raise NotSignedIn()
    return found


def find_visitor(token: str, *, via_cookie: bool) -> Visitor | None:
    """The live session of `token` as a Visitor (None: none), in one query (and a second only when the portal
    config changed since this process last worked it out); the request's versions of the customer's data
    (api/readers.py) come with it, and the session's last-seen time is pushed on once a minute."""
    moment, policy = now(), policies().session
    lookup = session_finder().find(token, policy=policy, now=moment)
    if lookup is None:
        return None
    record, account = lookup.record, lookup.account
    config = configs().effective(database().reading, account.partner_id, lookup.versions.config)
    owed = restrictions.owed_steps(account, record, config, two_factor_enabled=lookup.two_factor_enabled)
    found = Visitor(record=record, account=account, via_cookie=via_cookie, config=config, restrictions=owed)
    setattr(g, REQUEST_VERSIONS, lookup.versions)
    if sessions.needs_touch(record, policy, moment):
        with database().transaction() as session:
            sessions.touch(session, record.id, now=moment)
        record.last_seen_at = moment  # the detached copy this request answers from
    return found


def _check_allowed(
    found: Visitor, *, during: Iterable[str], read_only_ok: bool, customer_only: bool, module: str | None
) -> None:
    unsafe = request.method.upper() not in csrf.SAFE_METHODS
    if csrf.needs_csrf_check(request.method, via_cookie=found.via_cookie) and not csrf.csrf_token_matches(
        found.record.csrf_token, request.headers.get(csrf.HEADER)
    ):
        raise CsrfRejected()
    if unsafe and customer_only and found.record.impersonated_by is not None:
        raise NotForImpersonation()
    if unsafe and found.record.read_only and not read_only_ok:
        raise ReadOnlySession()
    owed = [r for r in found.restrictions if r not in during]
    if owed:
        raise SessionRestricted(owed[0])
    if module is not None and not portal_config.module_enabled(
        found.config, module, customer_status=found.account.customer_status
    ):
        raise NotFound("This part of the portal is not available.")


def signed_in(
    *,
    during: Iterable[str] = (),
    read_only_ok: bool = False,
    customer_only: bool = False,
    module: str | None = None,
) -> Callable:
    """Require a live session; see the module's docstring for what else is checked.

    `during`: the restrictions (restrictions.ALL) under which the view still works;
    `read_only_ok`: a read-only impersonation may call it with an unsafe method (sign-out);
    `customer_only`: an impersonator may not call it with an unsafe method;
    `module`: the portal module the view belongs to (404 when the config hides it).
    """
    during = tuple(during)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            found = authenticate()
            _check_allowed(found, during=during, read_only_ok=read_only_ok, customer_only=customer_only, module=module)
            g.visitor = found
            return view(*args, **kwargs)

        return wrapper

    return decorator


def set_session_cookie(token: str) -> None:
    """Give the browser the session cookie with the answer to this request."""
    secure = policies().cookie_secure == "on" or request.is_secure

    @after_this_request
    def _set(response: Response) -> Response:
        response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", secure=secure, path="/")
        return response


def clear_session_cookie() -> None:
    @after_this_request
    def _clear(response: Response) -> Response:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax")
        return response

"""What views need from the app serving the request: the clock, the policies, the caller's address."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request

from portal_bff.policies import Policies
from portal_bff.sessions import Client

CLOCK = "portal_bff.clock"
POLICIES = "portal_bff.policies"


def now() -> datetime:
    """The app's clock (tests pass their own to create_app)."""
    return current_app.extensions[CLOCK]()


def policies() -> Policies:
    return current_app.extensions[POLICIES]


def client() -> Client:
    # remote_addr is the peer, or the client named by X-Forwarded-For when the app trusts
    # that many proxies (PORTAL_BFF_PROXY_HOPS; see app.py).
    return Client.of(request.remote_addr, request.user_agent.string)


def public_url() -> str:
    return current_app.config["PORTICO_SETTINGS"].public_url.rstrip("/")


def operator_name() -> str:
    """The operator behind the admin request (`operator:alice` → `alice`; a service is `service:<name>`)."""
    from portico.auth import current_principal

    principal = current_principal()
    return principal.name if principal.kind == "operator" else f"{principal.kind}:{principal.name}"

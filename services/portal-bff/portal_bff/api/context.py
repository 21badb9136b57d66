"""What views need from the app serving the request: the clock, the policies, the caller's address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app, request

from portal_bff.fanout import Fanout
from portal_bff.policies import Policies
from portal_bff.portal_config import ConfigCache
from portal_bff.section_cache import SectionCache
from portal_bff.session_lookup import SessionLookup
from portal_bff.sessions import Client
from portal_bff.upstreams import Upstreams

CLOCK = "portal_bff.clock"
POLICIES = "portal_bff.policies"
UPSTREAMS = "portal_bff.upstreams"
FANOUT = "portal_bff.fanout"
LANGUAGES = "portal_bff.languages"
SECTION_CACHE = "portal_bff.section_cache"
RECORD_CHANGE = "portal_bff.record_change"
CONFIGS = "portal_bff.configs"
SESSION_FINDER = "portal_bff.session_finder"
# flask.g: the versions of the customer's upstream data this request reads under (api/readers.py).
REQUEST_VERSIONS = "portal_versions"


def now() -> datetime:
    """The app's clock (tests pass their own to create_app)."""
    return current_app.extensions[CLOCK]()


def policies() -> Policies:
    return current_app.extensions[POLICIES]


def upstreams() -> Upstreams:
    return current_app.extensions[UPSTREAMS]


def fanout() -> Fanout:
    return current_app.extensions[FANOUT]


def section_cache() -> SectionCache | None:
    """The process's cache of page sections (None: `PORTAL_BFF_SECTION_CACHE=off`)."""
    return current_app.extensions[SECTION_CACHE]


def session_finder() -> SessionLookup:
    """What looks up a request's session, account and versions in one query."""
    return current_app.extensions[SESSION_FINDER]


def configs() -> ConfigCache:
    return current_app.extensions[CONFIGS]


def record_change() -> Callable[[int, str], None]:
    """What to call once the customer's own write through the portal changed an upstream's data."""
    return current_app.extensions[RECORD_CHANGE]


def languages() -> list[str]:
    """The languages the portal offers, the default first (`PORTAL_BFF_LANGUAGES`, comma-separated)."""
    return current_app.extensions[LANGUAGES]


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

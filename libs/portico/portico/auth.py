"""Service tokens (short-lived JWTs) and the decorators every service enforces them with.

A token names its caller (`sub`: `operator:<name>`, `customer:<id>` or `service:<name>`),
the audience service (`aud`), its expiry, and for operators their scopes. A customer
token only ever reaches that customer's data: `customer_scope` answers 404 for any other id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import wraps

import jwt
from flask import current_app, g, request

from portico.problems import Problem

ISSUER = "portico"
ALL_SCOPES = (
    "customers:read",
    "customers:write",
    "billing:read",
    "billing:write",
    "tickets:read",
    "tickets:write",
    "documents:read",
    "documents:write",
    "messages:read",
    "messages:write",
    "portal:admin",
    "events:admin",
)
SERVICES = ("billing", "ticketing", "documents", "notifications", "portal-bff")


@dataclass(frozen=True)
class Principal:
    kind: str  # operator | customer | service
    name: str
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def customer_id(self) -> int | None:
        return int(self.name) if self.kind == "customer" else None


def mint_token(
    secret: str,
    *,
    subject: str,
    audience: str | list[str],
    scopes: list[str] | tuple[str, ...] = (),
    ttl: int = 300,
    extra: dict | None = None,
) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": subject, "aud": audience, "iat": now, "exp": now + ttl, "scope": " ".join(scopes)}
    claims.update(extra or {})
    return jwt.encode(claims, secret, algorithm="HS256")


def operator_token(secret: str, operator: str = "admin", scopes=ALL_SCOPES, ttl: int = 3600) -> str:
    return mint_token(secret, subject=f"operator:{operator}", audience=list(SERVICES), scopes=scopes, ttl=ttl)


def customer_token(secret: str, customer_id: int, audience: str | list[str] = SERVICES, ttl: int = 300) -> str:
    return mint_token(
        secret,
        subject=f"customer:{customer_id}",
        audience=list(audience) if not isinstance(audience, str) else audience,
        ttl=ttl,
    )


# Tokens already verified, with their expiry: a portal session sends the same token with every
# request, and checking its signature and claims costs more than the rest of a small request.
_VERIFIED: dict[tuple[str, str, str], tuple[Principal, float]] = {}
_VERIFIED_MAX = 10_000


def verify_token(secret: str, token: str, audience: str) -> Principal:
    """The principal a valid token names; jwt.InvalidTokenError (or ExpiredSignatureError) otherwise."""
    key = (secret, token, audience)
    known = _VERIFIED.get(key)
    if known is not None and known[1] > time.time():
        return known[0]
    principal, expires = _verify(secret, token, audience)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[key] = (principal, expires)
    return principal


def _verify(secret: str, token: str, audience: str) -> tuple[Principal, float]:
    claims = jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        audience=audience,
        issuer=ISSUER,
        options={"require": ["exp", "sub", "aud"]},
    )
    kind, _, name = claims["sub"].partition(":")
    if kind not in ("operator", "customer", "service") or not name:
        raise jwt.InvalidTokenError("unknown subject")
    return Principal(kind=kind, name=name, scopes=frozenset(claims.get("scope", "").split())), float(claims["exp"])


def current_principal() -> Principal:
    cached = g.get("principal")
    if cached is not None:
        return cached
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(401, "Authentication required", "Send a bearer token in the Authorization header.")
    settings = current_app.config["PORTICO_SETTINGS"]
    try:
        principal = verify_token(settings.jwt_secret, token.strip(), settings.service)
    except jwt.ExpiredSignatureError:
        raise Problem(401, "Token expired", "The bearer token has expired.") from None
    except jwt.InvalidTokenError as error:
        raise Problem(401, "Invalid token", str(error)) from None
    g.principal = principal
    return principal


def operator_scope(*scopes: str):
    """Allow operators (and services) holding every scope named."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if principal.kind not in ("operator", "service"):
                raise Problem(403, "Forbidden", "This endpoint is for operators.")
            missing = set(scopes) - principal.scopes
            if missing:
                raise Problem(403, "Forbidden", f"Missing scope: {', '.join(sorted(missing))}.")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def customer_scope(view):
    """Allow the customer named by the `customer_id` path argument, and operators.

    Another customer's id answers 404, as if the record did not exist.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        principal = current_principal()
        if principal.kind == "customer" and principal.customer_id != kwargs.get("customer_id"):
            raise Problem(404, "Not found", "No such customer.")
        return view(*args, **kwargs)

    return wrapper

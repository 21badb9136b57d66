"""CSRF protection for cookie-authenticated requests: a per-session token the page must echo in a header.

A cross-site page can make the browser send the cookie but cannot read the token, so it
cannot send the header. Requests authenticated by an Authorization header are exempt: a
browser never adds that header to a cross-site request by itself.
"""

from __future__ import annotations

import hmac
import secrets

HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def needs_csrf_check(method: str, *, via_cookie: bool) -> bool:
    return via_cookie and method.upper() not in SAFE_METHODS


def csrf_token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte from response times."""
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())

"""The headers every portal-bff answer carries, set in one after_request (see app.py)."""

from __future__ import annotations

from werkzeug.datastructures import Headers

CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000"


def add_security_headers(headers: Headers, *, https: bool, personal: bool) -> None:
    """Add the security headers (without overriding a view's own); `personal` answers are never cached."""
    # One pass over the answer's headers rather than one per header added: every answer pays this.
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (Headers iterates pairs)
    wanted = [*HEADERS.items()]
    if https:
        wanted.append(("Strict-Transport-Security", HSTS))
    if personal:
        wanted.append(("Cache-Control", "no-store"))
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)

"""What a portal page checks before it is drawn: a live session, the form's CSRF token, what an
impersonation may do, the steps a session owes first, and whether the portal config shows the module.

The rules are the JSON API's (api/authentication.py); what differs is the answer. A page
without a session sends the browser to the sign-in page; a session that owes a password
change or a two-factor enrolment is sent to that step; a form carries the session's CSRF
token in the field `csrf_token` (a script may send it as the `X-CSRF-Token` header).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlsplit

from flask import Response, g, redirect, request, url_for

from portal_bff import csrf, portal_config, restrictions
from portal_bff.errors import CsrfRejected, NotForImpersonation, NotFound, ReadOnlySession, SessionRestricted
from portal_bff.web.visitors import signed_in_visitor

FIELD = "csrf_token"
STEPS = {restrictions.CHANGE_PASSWORD: "web_account.forced_change", restrictions.ENROL_TWO_FACTOR: "web_account.enrol"}


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this portal to go back to; anything else (another site, `//host`) is the default."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def posted_csrf_token() -> str | None:
    return request.form.get(FIELD) or request.headers.get(csrf.HEADER)


def page(
    *,
    module: str | None = None,
    during: Iterable[str] = (),
    read_only_ok: bool = False,
    customer_only: bool = False,
) -> Callable:
    """Require a signed-in customer for a page or a form; see the module's docstring."""
    during = tuple(during)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            found = signed_in_visitor()
            unsafe = request.method.upper() not in csrf.SAFE_METHODS
            if found is None:
                back = request.full_path.rstrip("?") if not unsafe else request.referrer
                return redirect(url_for("web_account.sign_in", next=safe_next(_path_of(back))), code=303)
            if unsafe and not csrf.csrf_token_matches(found.record.csrf_token, posted_csrf_token()):
                raise CsrfRejected()
            if unsafe and customer_only and found.record.impersonated_by is not None:
                raise NotForImpersonation()
            if unsafe and found.record.read_only and not read_only_ok:
                raise ReadOnlySession()
            owed = [r for r in found.restrictions if r not in during]
            if owed:
                if unsafe:
                    raise SessionRestricted(owed[0])
                return redirect(url_for(STEPS[owed[0]]), code=303)
            if module is not None and not portal_config.module_enabled(
                found.config, module, customer_status=found.account.customer_status
            ):
                raise NotFound("This part of the portal is not available.")
            g.visitor = found  # what the API's readers and actions take the customer from
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _path_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Forms of signed-out pages (sign in, set or reset a password) have no session to take a token
# from: they carry a random token that must equal the browser's cookie of the same value. Another
# site can make the browser send the cookie but can neither read nor set it (double submit).
FORM_COOKIE = "portico_form"


def signed_out_form_token() -> str:
    """The token for a signed-out form; the cookie is set with this answer if the browser has none."""
    if "web_form_token" not in g:
        given = request.cookies.get(FORM_COOKIE, "")
        g.web_form_token = given if 20 <= len(given) <= 100 else secrets.token_urlsafe(32)
        g.web_form_token_new = g.web_form_token != given
    return g.web_form_token


def check_signed_out_form() -> None:
    if not csrf.csrf_token_matches(request.cookies.get(FORM_COOKIE, ""), posted_csrf_token()):
        raise CsrfRejected()


def set_form_cookie(response: Response) -> Response:
    if g.get("web_form_token_new"):
        secure = request.is_secure
        response.set_cookie(FORM_COOKIE, g.web_form_token, httponly=True, samesite="Strict", secure=secure, path="/")
    return response

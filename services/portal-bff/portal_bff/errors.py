"""The portal-bff's domain errors; app.py maps each to a problem+json answer in one place."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any


class PortalError(Exception):
    status = 422
    title = "Unprocessable request"

    def extensions(self) -> dict[str, Any]:
        """Members added to the problem document beside type/title/status/detail."""
        return {}

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries (Retry-After, WWW-Authenticate)."""
        return {}


def _seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


class InvalidToken(PortalError):
    """The link's token is unknown, used or expired: one answer for all three, so none can be told apart."""

    status = 410
    title = "Link no longer valid"

    def __init__(self) -> None:
        super().__init__("This link is invalid, has been used or has expired. Ask for a new one.")


class WeakPassword(PortalError):
    title = "Weak password"

    def __init__(self, reason: str, *, field: str = "password") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field

    def extensions(self) -> dict[str, Any]:
        return {"errors": {self.field: [self.reason]}}


class WrongPassword(PortalError):
    """The current password given to confirm a change is not the account's."""

    title = "Wrong password"

    def __init__(self, field: str = "current") -> None:
        super().__init__("The current password is not correct.")
        self.field = field

    def extensions(self) -> dict[str, Any]:
        return {"errors": {self.field: [str(self)]}}


class WrongCode(PortalError):
    """A two-factor code given to confirm or disable two-factor sign-in does not match."""

    title = "Wrong code"

    def __init__(self, field: str = "code") -> None:
        super().__init__("The code is not correct (or was already used).")
        self.field = field

    def extensions(self) -> dict[str, Any]:
        return {"errors": {self.field: [str(self)]}}


class NotSignedIn(PortalError):
    status = 401
    title = "Sign-in required"

    def __init__(self, detail: str = "Sign in first: no session, or the session has ended.") -> None:
        super().__init__(detail)

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="portal"'}


class InvalidCredentials(NotSignedIn):
    """The one answer for an unknown login, an account without a password and a wrong password."""

    title = "Sign-in failed"

    def __init__(self) -> None:
        super().__init__("The login or the password is not correct.")


class TwoFactorRequired(NotSignedIn):
    title = "Two-factor code required"

    def __init__(self) -> None:
        super().__init__("Enter the code from your authenticator app, or a recovery code.")

    def extensions(self) -> dict[str, Any]:
        return {"two_factor_required": True}


class WrongTwoFactorCode(NotSignedIn):
    title = "Wrong two-factor code"

    def __init__(self) -> None:
        super().__init__("The two-factor code or recovery code is not correct, or was already used.")

    def extensions(self) -> dict[str, Any]:
        return {"two_factor_required": True}


class LoginLocked(PortalError):
    """Too many failed sign-ins for this login; the same for known and unknown logins."""

    status = 423
    title = "Sign-in locked"

    def __init__(self, locked_until: datetime, now: datetime) -> None:
        self.locked_until = locked_until
        self.wait = locked_until - now
        minutes = max(1, math.ceil(self.wait.total_seconds() / 60))
        super().__init__(f"Too many failed sign-ins for this login. Try again in {minutes} min, or reset the password.")

    def extensions(self) -> dict[str, Any]:
        return {"retry_after": _seconds(self.wait)}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(_seconds(self.wait))}


class RateLimited(PortalError):
    status = 429
    title = "Too many requests"

    def __init__(self, wait: timedelta) -> None:
        self.wait = wait
        super().__init__(f"Too many attempts from here. Try again in {_seconds(wait)} s.")

    def extensions(self) -> dict[str, Any]:
        return {"retry_after": _seconds(self.wait)}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(_seconds(self.wait))}


class Forbidden(PortalError):
    status = 403
    title = "Forbidden"


class CsrfRejected(Forbidden):
    title = "CSRF token missing or wrong"

    def __init__(self) -> None:
        super().__init__(
            "Send the session's CSRF token (from sign-in or GET /api/v1/session) in the X-CSRF-Token header."
        )


class ReadOnlySession(Forbidden):
    title = "Read-only session"

    def __init__(self) -> None:
        super().__init__("This is a read-only impersonation session: it cannot change anything.")


class NotForImpersonation(Forbidden):
    title = "Not while impersonating"

    def __init__(self) -> None:
        super().__init__("Passwords and two-factor settings are the customer's own; an operator cannot change them.")


class SessionRestricted(Forbidden):
    """The session may only do one thing first: change the password, or enrol in two-factor sign-in."""

    title = "Action required first"
    DETAILS = {
        "change_password": "Change your password first (POST /api/v1/password).",
        "enrol_two_factor": "Set up two-factor sign-in first (POST /api/v1/two-factor).",
    }

    def __init__(self, restriction: str) -> None:
        self.restriction = restriction
        super().__init__(self.DETAILS[restriction])

    def extensions(self) -> dict[str, Any]:
        return {"restriction": self.restriction}


class NotFound(PortalError):
    status = 404
    title = "Not found"


class Conflict(PortalError):
    status = 409
    title = "Conflict"


class InvalidPortalConfig(PortalError):
    title = "Invalid portal config"

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("The portal config has invalid fields; nothing was stored.")
        self.errors = errors

    def extensions(self) -> dict[str, Any]:
        return {"errors": self.errors}


class UpstreamUnavailable(PortalError):
    """An upstream service is down, too slow, failing, or its breaker is open."""

    status = 503
    title = "Service unavailable"
    RETRY_AFTER = 30

    def __init__(self, service: str, *, maybe_done: bool = False) -> None:
        self.service = service
        self.maybe_done = maybe_done
        if maybe_done:
            detail = (
                f"The {service} service did not answer in time: the change may or may not have been made. "
                "Check before trying again (a retry with the same Idempotency-Key is safe)."
            )
        else:
            detail = f"The {service} service is not available right now; nothing was changed. Try again later."
        super().__init__(detail)

    def extensions(self) -> dict[str, Any]:
        return {"service": self.service, "retry_after": self.RETRY_AFTER}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.RETRY_AFTER)}


class UpstreamRejected(PortalError):
    """An upstream service refused the request (4xx): its problem is passed on to the customer."""

    def __init__(self, service: str, status: int, problem: dict[str, Any]) -> None:
        self.service = service
        self.status = status
        self.title = str(problem.get("title") or "Request refused")
        self.errors = problem.get("errors")
        super().__init__(str(problem.get("detail") or self.title))

    def extensions(self) -> dict[str, Any]:
        return {"errors": self.errors} if isinstance(self.errors, dict) else {}


class InvalidFields(PortalError):
    """Fields the request may not carry or set (a profile field that is not editable, a file not allowed)."""

    title = "Invalid request"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("One or more fields are invalid.")
        self.errors = errors

    def extensions(self) -> dict[str, Any]:
        return {"errors": self.errors}

"""The customer's words for the domain errors a form can meet (the API's own texts are English)."""

from __future__ import annotations

import math

from flask_babel import gettext

from portal_bff import passwords
from portal_bff.errors import (
    InvalidCredentials,
    LoginLocked,
    PortalError,
    RateLimited,
    TwoFactorRequired,
    WeakPassword,
    WrongCode,
    WrongPassword,
    WrongTwoFactorCode,
)


def password_reason(reason: str) -> str:
    known = {
        f"Use at least {passwords.MIN_LENGTH} characters.": gettext(
            "Use at least %(count)d characters.", count=passwords.MIN_LENGTH
        ),
        f"Use at most {passwords.MAX_LENGTH} characters.": gettext(
            "Use at most %(count)d characters.", count=passwords.MAX_LENGTH
        ),
        "Use something besides letters (digits, spaces or symbols).": gettext(
            "Use something besides letters (digits, spaces or symbols)."
        ),
        "Use something besides digits (letters, spaces or symbols).": gettext(
            "Use something besides digits (letters, spaces or symbols)."
        ),
        "The password must not be your login.": gettext("The password must not be your login."),
        "The new password must differ from the current one.": gettext(
            "The new password must differ from the current one."
        ),
    }
    return known.get(reason, reason)


def error_text(error: PortalError) -> str:
    """One sentence for the customer about a refused sign-in, password or code."""
    if isinstance(error, TwoFactorRequired):
        return gettext("Enter the code from your authenticator app, or a recovery code.")
    if isinstance(error, WrongTwoFactorCode):
        return gettext("The two-factor code or recovery code is not correct, or was already used.")
    if isinstance(error, InvalidCredentials):
        return gettext("The login or the password is not correct.")
    if isinstance(error, LoginLocked):
        minutes = max(1, math.ceil(error.wait.total_seconds() / 60))
        return gettext(
            "Too many failed sign-ins for this login. Try again in %(minutes)d min, or reset the password.",
            minutes=minutes,
        )
    if isinstance(error, RateLimited):
        return gettext(
            "Too many attempts from here. Try again in %(seconds)d s.",
            seconds=max(1, math.ceil(error.wait.total_seconds())),
        )
    if isinstance(error, WeakPassword):
        return password_reason(error.reason)
    if isinstance(error, WrongPassword):
        return gettext("The current password is not correct.")
    if isinstance(error, WrongCode):
        return gettext("The code is not correct (or was already used).")
    return str(error)

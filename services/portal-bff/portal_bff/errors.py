"""The portal-bff's domain errors; app.py maps each to a problem+json answer in one place."""

from __future__ import annotations

from typing import Any


class PortalError(Exception):
    status = 422
    title = "Unprocessable request"

    def extensions(self) -> dict[str, Any]:
        """Members added to the problem document beside type/title/status/detail."""
        return {}


class InvalidToken(PortalError):
    """The link's token is unknown, used or expired: one answer for all three, so none can be told apart."""

    status = 410
    title = "Link no longer valid"

    def __init__(self) -> None:
        super().__init__("This link is invalid, has been used or has expired. Ask for a new one.")


class WeakPassword(PortalError):
    title = "Weak password"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def extensions(self) -> dict[str, Any]:
        return {"errors": {"password": [self.reason]}}

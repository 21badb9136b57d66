"""Ticketing's domain errors; the app maps each to a problem+json answer in one place (app.py).

An error may carry extensions for the problem document, e.g. `errors` (field errors, shaped
as marshmallow shapes them).
"""

from __future__ import annotations

from typing import Any


class TicketingError(Exception):
    status = 422
    title = "Unprocessable request"

    def __init__(self, detail: str, **extensions: Any):
        super().__init__(detail)
        self.extensions = extensions


class NotFound(TicketingError):
    status = 404
    title = "Not found"


class Conflict(TicketingError):
    status = 409
    title = "Conflict"


class InvalidFields(TicketingError):
    """Input that passed the schema but breaks a rule; `errors` maps field names to messages."""

    title = "Invalid request"

    def __init__(self, errors: dict[str, Any], detail: str = "One or more fields are invalid."):
        super().__init__(detail, errors=errors)


class CustomerNotFound(NotFound):
    pass


class TicketNotFound(NotFound):
    pass


class AttachmentNotFound(NotFound):
    pass


class TaskNotFound(NotFound):
    pass


class InvalidStatusChange(Conflict):
    pass


class TicketClosed(Conflict):
    """A closed ticket takes no more replies: the customer opens a new one."""


class ReopenWindowPassed(Conflict):
    """A reply to a ticket resolved longer ago than the reopen window: the customer opens a new one."""


class CannotMerge(Conflict):
    pass


class UploadRefused(TicketingError):
    """An uploaded file that is not accepted; nothing of the request is stored."""

    title = "Upload refused"


class EmptyFile(UploadRefused):
    pass


class UnsafeFileName(UploadRefused):
    pass


class TooManyFiles(UploadRefused):
    pass


class FileTooLarge(UploadRefused):
    status = 413
    title = "File too large"


class FileTypeNotAllowed(UploadRefused):
    status = 415
    title = "File type not allowed"

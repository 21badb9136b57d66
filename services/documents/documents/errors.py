"""The documents service's domain errors; the app maps each to a problem+json answer in one place.

An error may carry extensions for the problem document, such as `errors` (field errors,
shaped as marshmallow shapes them).
"""

from __future__ import annotations

from typing import Any


class DocumentsError(Exception):
    status = 422
    title = "Unprocessable request"

    def __init__(self, detail: str, **extensions: Any):
        super().__init__(detail)
        self.extensions = extensions


class NotFound(DocumentsError):
    status = 404
    title = "Not found"


class Conflict(DocumentsError):
    status = 409
    title = "Conflict"


class Forbidden(DocumentsError):
    status = 403
    title = "Forbidden"


class InvalidFields(DocumentsError):
    """Input that passed the schema but breaks a rule; `errors` maps field names to messages."""

    title = "Invalid request"

    def __init__(self, errors: dict[str, Any], detail: str = "One or more fields are invalid."):
        super().__init__(detail, errors=errors)


class CustomerNotFound(NotFound):
    pass


class DocumentNotFound(NotFound):
    pass


class CategoryNotFound(NotFound):
    pass


class CategoryExists(Conflict):
    pass


class CategoryInUse(Conflict):
    """A category cannot be removed while documents have it."""


class FinancialDocumentNotFound(NotFound):
    pass


class UploadRefused(DocumentsError):
    """The file is empty, of a type not allowed, or named in a way that is not allowed."""

    title = "File refused"


class UploadTooLarge(UploadRefused):
    status = 413
    title = "Payload Too Large"


class CustomerUploadsOff(Forbidden):
    pass


class AcceptanceNotAsked(Conflict):
    """The document is not a contract asking for acceptance."""


class AlreadyAccepted(Conflict):
    pass


class AcceptedFileChanged(Conflict):
    """The customer accepted a file other than the one the document holds."""


class AcceptedContractKept(Conflict):
    """An accepted contract is evidence: it may be hidden, never deleted."""


class TemplateInvalid(DocumentsError):
    """A template that does not parse, or fails to render the sample invoice."""

    title = "Invalid template"


class RenderFailed(DocumentsError):
    """xhtml2pdf could not turn the HTML into a PDF."""

    status = 500
    title = "Rendering failed"

"""Notifications' domain errors; the API maps each to a problem+json answer in one place."""


class NotificationsError(Exception):
    status = 422
    title = "Unprocessable request"

    @property
    def extensions(self) -> dict:
        """Members added to the problem document beside title and detail."""
        return {}


class NotFound(NotificationsError):
    status = 404
    title = "Not found"


class MessageNotFound(NotFound):
    pass


class InvalidFields(NotificationsError):
    """Input that passed the schema but breaks a rule; `errors` maps field names to messages."""

    title = "Invalid request"

    def __init__(self, errors: dict, detail: str = "One or more fields are invalid."):
        super().__init__(detail)
        self.errors = errors

    @property
    def extensions(self) -> dict:
        return {"errors": self.errors}


class TemplateInvalid(InvalidFields):
    """A template that does not parse, or fails to render its sample data; `errors` names the part."""

    title = "Invalid template"

    def __init__(self, errors: dict, detail: str = "The template does not render."):
        super().__init__(errors, detail)


class CustomerNotFound(NotFound):
    pass


class TemplateNotFound(NotFound):
    pass


class NewsNotFound(NotFound):
    pass


class NoRecipient(NotificationsError):
    """The customer has no address (or no valid phone number) on the channel asked for."""

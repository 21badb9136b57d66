"""Notifications' domain errors; the API maps each to a problem+json answer in one place."""


class NotificationsError(Exception):
    status = 422
    title = "Unprocessable request"


class NotFound(NotificationsError):
    status = 404
    title = "Not found"


class MessageNotFound(NotFound):
    pass

"""Ticketing's domain errors; the app maps each to a problem+json answer in one place."""


class TicketingError(Exception):
    status = 422
    title = "Unprocessable request"


class NotFound(TicketingError):
    status = 404
    title = "Not found"


class CustomerNotFound(NotFound):
    pass

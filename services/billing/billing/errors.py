"""Billing's domain errors; the API maps each to a problem+json answer in one place."""


class BillingError(Exception):
    status = 422
    title = "Unprocessable request"


class NotFound(BillingError):
    status = 404
    title = "Not found"


class Conflict(BillingError):
    status = 409
    title = "Conflict"


class CustomerNotFound(NotFound):
    pass


class LoginTaken(Conflict):
    pass


class UnknownPartner(BillingError):
    pass


class InvalidStatusChange(Conflict):
    pass

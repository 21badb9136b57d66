"""Billing's domain errors; the API maps each to a problem+json answer in one place (app.py).

An error may carry extensions for the problem document: `errors` (field errors, shaped
as marshmallow shapes them) or the ids a bulk request failed on.
"""

from __future__ import annotations

from typing import Any


class BillingError(Exception):
    status = 422
    title = "Unprocessable request"

    def __init__(self, detail: str, **extensions: Any):
        super().__init__(detail)
        self.extensions = extensions


class NotFound(BillingError):
    status = 404
    title = "Not found"


class Conflict(BillingError):
    status = 409
    title = "Conflict"


class InvalidFields(BillingError):
    """Input that passed the schema but breaks a rule of the domain; `errors` maps field paths to messages."""

    title = "Invalid request"

    def __init__(self, errors: dict[str, Any], detail: str = "One or more fields are invalid."):
        super().__init__(detail, errors=errors)


class CustomerNotFound(NotFound):
    pass


class CustomersNotFound(NotFound):
    """Some ids of a bulk request name no customer (`ids` says which)."""


class LoginTaken(Conflict):
    pass


class UnknownPartner(BillingError):
    pass


class InvalidStatusChange(Conflict):
    pass


class CustomerNotDeletable(Conflict):
    """Only Inactive customers may be deleted (`ids` says which are not)."""


class AdditionalFieldNotFound(NotFound):
    pass


class AdditionalFieldExists(Conflict):
    pass


class ChoiceInUse(Conflict):
    """A choice cannot be removed while customers hold it."""


class PlanNotFound(NotFound):
    pass


class PlanExists(Conflict):
    pass


class PlanInUse(Conflict):
    """A plan cannot be removed while customer services use it."""


class ServiceNotFound(NotFound):
    pass


class InvalidServiceStatusChange(Conflict):
    pass


class ServiceStopped(Conflict):
    """A stopped service is final: it no longer changes."""


class ServiceLoginTaken(Conflict):
    pass


class HardwareNotFound(NotFound):
    pass


class UnusableUsage(BillingError):
    """A usage or call report that names no service billing has, or does not fit the service.

    Raised by the handlers: the consumer retries the event and then dead-letters it with this
    reason, so the report is kept for an operator rather than silently lost.
    """


class WrongServiceKind(BillingError):
    """Statistics asked of a service of another kind (traffic of a voice service, calls of an internet one)."""


class InvoiceNotFound(NotFound):
    pass


class PaymentNotFound(NotFound):
    pass


class RefundTooLarge(Conflict):
    """A refund beyond what is left of the payment."""


class InvoiceNotCreditable(Conflict):
    """A credit note for more than is left to credit of an invoice, or of a document that is not an invoice."""


class ProformaNotPayable(Conflict):
    """A proforma invoice that is paid or cancelled already."""


class InvalidWebhook(BillingError):
    """A webhook whose signature, timestamp or body does not verify; nothing of it is applied."""

    status = 400
    title = "Invalid webhook"


class GatewayNotFound(NotFound):
    pass


class GatewayUnavailable(BillingError):
    """The payment gateway did not answer or refused the request."""

    status = 502
    title = "Bad gateway"


class CheckoutNotFound(NotFound):
    pass


class CheckoutInProgress(Conflict):
    """The first request with this Idempotency-Key is still opening its checkout."""


class CheckoutClosed(Conflict):
    """A hosted checkout that is paid already."""


class PaymentAccountNotFound(NotFound):
    pass


class NoPaymentAccount(Conflict):
    """Autopay needs a saved payment account."""


class OrderNotFound(NotFound):
    pass


class OrderNotPending(Conflict):
    """Only a pending order can be approved or rejected."""


class CustomerCannotOrder(Conflict):
    """Only New and Active customers order products."""


class PlanChangeNotAllowed(Conflict):
    """A plan change of a service that is not active, or on the day it starts."""

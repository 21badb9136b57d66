"""The events documents handles, registered in one place."""

from documents.customers import replicate_customer
from portico.events.consumer import Handler

# Both events carry the customer's full snapshot; the replica keeps the newest revision.
HANDLERS: dict[str, Handler] = {
    "billing.customer.created": replicate_customer,
    "billing.customer.updated": replicate_customer,
}

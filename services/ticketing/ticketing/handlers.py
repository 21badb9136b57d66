"""The events ticketing handles, registered in one place."""

from portico.events.consumer import Handler
from ticketing.customers import replicate_customer

# Both events carry the customer's full snapshot; the replica keeps the newest revision.
HANDLERS: dict[str, Handler] = {
    "billing.customer.created": replicate_customer,
    "billing.customer.updated": replicate_customer,
}

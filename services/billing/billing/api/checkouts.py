"""Paying through a payment gateway (customer-scoped; another customer's: 404).

Pay chosen invoices, the total due, any amount, or top up a prepaid balance ("Extend
service"): the answer names the gateway's page to send the customer to.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import checkouts
from billing.api.clock import now
from billing.api.gateway_lookup import chosen_gateway
from billing.api.request_keys import hash_of, idempotency_key, replay_headers
from billing.checkouts import CheckoutRequest
from billing.errors import CheckoutInProgress
from billing.gateway_models import CheckoutStatus
from billing.gateway_schemas import CheckoutCreateSchema, CheckoutSchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("checkouts", __name__, url_prefix="/v1/customers", description="Gateway checkouts (customer-scoped)")


@blp.route("/<int:customer_id>/checkouts")
class Checkouts(MethodView):
    @blp.arguments(CheckoutCreateSchema)
    @blp.response(201, CheckoutSchema)
    @blp.doc(
        security=[{"bearer": []}],
        parameters=[{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}],
    )
    @customer_scope
    def post(self, values, customer_id):
        """Open a checkout at the gateway: `url` is its page. Without `amount`, what is due is paid."""
        key = idempotency_key()
        gateway = chosen_gateway(values["gateway"])
        request = CheckoutRequest(
            gateway=gateway.name,
            amount=values.get("amount"),
            invoice_ids=values["invoice_ids"],
            return_url=values.get("return_url"),
            save_method=values["save_method"],
        )
        moment = now()
        db = database()
        with db.transaction() as session:
            checkout, replayed = checkouts.start_checkout(
                session,
                customer_id,
                request,
                today=moment.date(),
                now=moment,
                key=key,
                request_hash=hash_of(key, values),
            )
        if replayed:
            if checkout.url is None and checkout.status == CheckoutStatus.PENDING:
                raise CheckoutInProgress("The first request with this Idempotency-Key is still opening its checkout.")
            return checkout, 201, replay_headers(True)
        return checkouts.open_at_gateway(db, gateway, checkout.id, now=moment)


@blp.route("/<int:customer_id>/checkouts/<int:checkout_id>")
class CheckoutById(MethodView):
    @blp.response(200, CheckoutSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, checkout_id):
        """A checkout's status: pending at the gateway, paid (with its payment) or failed."""
        with database().reading() as session:
            return checkouts.get_checkout(session, checkout_id, customer_id=customer_id)

"""Saved payment accounts and autopay (customer-scoped; another customer's: 404)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import autopay, payment_accounts
from billing.api.actor import current_actor
from billing.api.clock import now
from billing.api.gateway_lookup import chosen_gateway
from billing.customers import get_customer
from billing.gateway_schemas import (
    AutopayChangeSchema,
    AutopaySchema,
    PaymentAccountChangeSchema,
    PaymentAccountCreateSchema,
    PaymentAccountListSchema,
    PaymentAccountSchema,
)
from billing.gateways.base import BankAccountDetails, CardDetails
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint(
    "payment_accounts", __name__, url_prefix="/v1/customers", description="Saved payment accounts and autopay"
)


@blp.route("/<int:customer_id>/payment-accounts")
class PaymentAccounts(MethodView):
    @blp.response(200, PaymentAccountListSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """The customer's saved cards and bank accounts, masked; `is_default` is what autopay charges."""
        with database().reading() as session:
            return {"items": payment_accounts.list_accounts(session, customer_id)}

    @blp.arguments(PaymentAccountCreateSchema)
    @blp.response(201, PaymentAccountSchema)
    @blp.alt_response(200, schema=PaymentAccountSchema, description="The account was saved already.")
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def post(self, values, customer_id):
        """Save a card or bank account at the gateway; the same number again keeps the one account (200)."""
        db = database()
        with db.reading() as session:
            get_customer(session, customer_id)
        gateway = chosen_gateway(values["gateway"])
        if "card" in values:
            details: CardDetails | BankAccountDetails = CardDetails(**values["card"])
        else:
            details = BankAccountDetails(**values["bank_account"])
        method = gateway.tokenize(details)
        with db.transaction() as session:
            account, added = payment_accounts.save(
                session, customer_id, gateway.name, method, now=now(), actor=current_actor()
            )
        return account, 201 if added else 200


@blp.route("/<int:customer_id>/payment-accounts/<int:account_id>")
class PaymentAccountById(MethodView):
    @blp.arguments(PaymentAccountChangeSchema)
    @blp.response(200, PaymentAccountSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def patch(self, values, customer_id, account_id):
        """Make this account the default (the one autopay charges)."""
        with database().transaction() as session:
            return payment_accounts.make_default(session, customer_id, account_id, now=now(), actor=current_actor())

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def delete(self, customer_id, account_id):
        """Remove a saved account (the oldest remaining one becomes the default)."""
        with database().transaction() as session:
            payment_accounts.remove(session, customer_id, account_id, now=now(), actor=current_actor())


@blp.route("/<int:customer_id>/autopay")
class Autopay(MethodView):
    @blp.response(200, AutopaySchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """Whether invoices are charged to the default saved account when issued."""
        with database().reading() as session:
            return autopay.autopay_state(session, customer_id)

    @blp.arguments(AutopayChangeSchema)
    @blp.response(200, AutopaySchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def put(self, values, customer_id):
        """Opt in (409 without a saved account) or out; invoices issued from now on are charged once each."""
        with database().transaction() as session:
            return autopay.set_autopay(session, customer_id, values["enabled"], now=now(), actor=current_actor())

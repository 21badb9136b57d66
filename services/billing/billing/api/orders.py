"""Order new products and change plans (customer-scoped; another customer's: 404).

Each has a preview (the figures, nothing written) and a confirmation, which carries the order
out at once or leaves it pending an operator's approval when the plan requires it.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import order_reviews, orders, plans
from billing.api.actor import current_actor
from billing.api.clock import now
from billing.api.request_keys import hash_of, idempotency_key, replay_headers
from billing.customers import get_customer
from billing.models import Partner
from billing.order_pricing import monthly_line
from billing.order_schemas import (
    OfferPageSchema,
    OrderCreateSchema,
    OrderPageSchema,
    OrderSchema,
    PlanChangeCreateSchema,
    QuoteSchema,
)
from billing.schemas import PageQuerySchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("orders", __name__, url_prefix="/v1/customers", description="Order new products (customer-scoped)")
KEY_HEADER = [{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}]


def _offer(plan, partner: Partner) -> dict:
    price_with_tax = monthly_line(plan.price, 1, partner.vat_rate).total
    fields = ("id", "kind", "name", "price", "requires_approval", "internet", "voice")
    return {name: getattr(plan, name) for name in fields} | {
        "currency": partner.currency,
        "tax_rate": partner.vat_rate,
        "price_with_tax": price_with_tax,
    }


@blp.route("/<int:customer_id>/offers")
class Offers(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, OfferPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The plans the customer's partner offers for self-service, with their price and tax."""
        with database().reading() as session:
            customer = get_customer(session, customer_id)
            partner = session.get(Partner, customer.partner_id)
            page = plans.list_plans(
                session, partner_id=partner.id, self_service=True, limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": [_offer(plan, partner) for plan in page.items], "next_cursor": page.next_cursor}


@blp.route("/<int:customer_id>/orders/preview")
class OrderPreview(MethodView):
    @blp.arguments(OrderCreateSchema)
    @blp.response(200, QuoteSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def post(self, values, customer_id):
        """The price, the rest of the current cycle (prorated, with tax), the monthly price after; nothing written."""
        with database().reading() as session:
            return orders.preview_new_service(session, customer_id, values, today=now().date())


@blp.route("/<int:customer_id>/orders")
class Orders(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, OrderPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's orders and plan changes, newest first."""
        with database().reading() as session:
            page = order_reviews.list_customer_orders(
                session, customer_id, limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(OrderCreateSchema)
    @blp.response(201, OrderSchema)
    @blp.doc(security=[{"bearer": []}], parameters=KEY_HEADER)
    @customer_scope
    def post(self, values, customer_id):
        """Order a plan: the service is created at once (`completed`) or the order waits for approval (`pending`)."""
        key = idempotency_key()
        with database().transaction() as session:
            order, replayed = orders.place_new_service(
                session,
                customer_id,
                values,
                now=now(),
                actor=current_actor(),
                key=key,
                request_hash=hash_of(key, values),
            )
            return order, 201, replay_headers(replayed)


@blp.route("/<int:customer_id>/orders/<int:order_id>")
class OrderById(MethodView):
    @blp.response(200, OrderSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, order_id):
        """One of the customer's orders."""
        with database().reading() as session:
            return order_reviews.get_order(session, order_id, customer_id=customer_id)


@blp.route("/<int:customer_id>/services/<int:service_id>/plan-change/preview")
class PlanChangePreview(MethodView):
    @blp.arguments(PlanChangeCreateSchema)
    @blp.response(200, QuoteSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def post(self, values, customer_id, service_id):
        """From today: the old plan's invoiced days credited, the new plan to the cycle's end, the difference."""
        with database().reading() as session:
            return orders.preview_plan_change(session, customer_id, service_id, values["plan_id"], today=now().date())


@blp.route("/<int:customer_id>/services/<int:service_id>/plan-change")
class PlanChange(MethodView):
    @blp.arguments(PlanChangeCreateSchema)
    @blp.response(201, OrderSchema)
    @blp.doc(security=[{"bearer": []}], parameters=KEY_HEADER)
    @customer_scope
    def post(self, values, customer_id, service_id):
        """Change the service's plan from today, at once or once an operator approves."""
        key = idempotency_key()
        with database().transaction() as session:
            order, replayed = orders.place_plan_change(
                session,
                customer_id,
                service_id,
                values["plan_id"],
                now=now(),
                actor=current_actor(),
                key=key,
                request_hash=hash_of(key, values),
            )
            return order, 201, replay_headers(replayed)

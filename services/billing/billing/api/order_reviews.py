"""Operators' queue of orders waiting for approval: approve (carried out then) or reject with a reason."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import order_reviews
from billing.api.actor import current_actor
from billing.api.clock import now
from billing.order_schemas import OrderPageSchema, OrderQueueQuerySchema, OrderRejectSchema, OrderSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("order_reviews", __name__, url_prefix="/admin/v1/orders", description="Product orders (operators)")


@blp.route("")
class OrderQueue(MethodView):
    @blp.arguments(OrderQueueQuerySchema, location="query", unknown="raise")
    @blp.response(200, OrderPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query):
        """Orders of every customer, oldest first; by default those pending approval."""
        with database().reading() as session:
            page = order_reviews.list_orders(
                session, status=query["status"], limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/<int:order_id>")
class OrderById(MethodView):
    @blp.response(200, OrderSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, order_id):
        """One order with the quote the customer confirmed."""
        with database().reading() as session:
            return order_reviews.get_order(session, order_id)


@blp.route("/<int:order_id>/approve")
class Approve(MethodView):
    @blp.response(200, OrderSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, order_id):
        """Approve a pending order: the service is created (or the plan changed) now (409 if it no longer can be)."""
        with database().transaction() as session:
            return order_reviews.approve(session, order_id, now=now(), actor=current_actor())


@blp.route("/<int:order_id>/reject")
class Reject(MethodView):
    @blp.arguments(OrderRejectSchema)
    @blp.response(200, OrderSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, order_id):
        """Reject a pending order, saying why (the customer sees the reason)."""
        with database().transaction() as session:
            return order_reviews.reject(session, order_id, values["reason"], now=now(), actor=current_actor())

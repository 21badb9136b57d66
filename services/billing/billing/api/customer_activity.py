"""Operator endpoint for a customer's activity timeline."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import activity
from billing.schemas import ActivityPageSchema, PageQuerySchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "customer_activity", __name__, url_prefix="/admin/v1/customers", description="Customer activity (operators)"
)


@blp.route("/<int:customer_id>/activity")
class CustomerActivity(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, ActivityPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:read")
    def get(self, query, customer_id):
        """Every change to the customer, newest first, with who made it and the old and new values."""
        with database().reading() as session:
            page = activity.customer_activity(session, customer_id, limit=query["limit"], cursor=query.get("cursor"))
            return {"items": page.items, "next_cursor": page.next_cursor}

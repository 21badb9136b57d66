"""Customer-scoped endpoints for the customer replica."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from documents import customers
from documents.schemas import CustomerSchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("customers", __name__, url_prefix="/v1/customers", description="Customers (customer-scoped)")


@blp.route("/<int:customer_id>")
class CustomerById(MethodView):
    @blp.response(200, CustomerSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """The customer as the documents service knows it (the customer themself, or an operator)."""
        with database().reading() as session:
            return customers.get_customer(session, customer_id)

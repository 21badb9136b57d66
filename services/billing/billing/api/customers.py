"""Operator endpoints for customers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customers
from billing.schemas import CustomerCreateSchema, CustomerFieldsSchema, CustomerSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("customers", __name__, url_prefix="/admin/v1/customers", description="Customers (operators)")


@blp.route("")
class Customers(MethodView):
    @blp.arguments(CustomerCreateSchema)
    @blp.response(201, CustomerSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def post(self, values):
        """Create a customer (status New unless given); emits billing.customer.created."""
        with database().transaction() as session:
            customer = customers.create_customer(session, values, now=datetime.now(UTC))
            return customer


@blp.route("/<int:customer_id>")
class CustomerById(MethodView):
    @blp.response(200, CustomerSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:read")
    def get(self, customer_id):
        """One customer's record."""
        with database().reading() as session:
            return customers.get_customer(session, customer_id)

    @blp.arguments(CustomerFieldsSchema(partial=True))
    @blp.response(200, CustomerSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def patch(self, changes, customer_id):
        """Change some fields; emits billing.customer.updated with the next revision."""
        with database().transaction() as session:
            customer = customers.update_customer(session, customer_id, changes, now=datetime.now(UTC))
            return customer

"""Operator endpoints for customers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customer_deletion, customers
from billing.api.actor import current_actor
from billing.customer_queries import CustomerFilter, list_customers
from billing.schemas import (
    BulkDeletedSchema,
    BulkDeleteSchema,
    CustomerCreateSchema,
    CustomerFieldsSchema,
    CustomerListQuerySchema,
    CustomerPageSchema,
    CustomerSchema,
)
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("customers", __name__, url_prefix="/admin/v1/customers", description="Customers (operators)")


@blp.route("")
class Customers(MethodView):
    @blp.arguments(CustomerListQuerySchema, location="query", unknown="raise")
    @blp.response(200, CustomerPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:read")
    def get(self, query):
        """Customers matching the filters, one page at a time in the order asked for."""
        filters = CustomerFilter(
            statuses=query.get("status", ()),
            partner_id=query.get("partner_id"),
            location=query.get("location"),
            billing_type=query.get("billing_type"),
            q=query.get("q"),
        )
        with database().reading() as session:
            page = list_customers(
                session, filters, sort=query["sort"], limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(CustomerCreateSchema)
    @blp.response(201, CustomerSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def post(self, values):
        """Create a customer (status New unless given); emits billing.customer.created."""
        with database().transaction() as session:
            return customers.create_customer(session, values, now=datetime.now(UTC), actor=current_actor())


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
        """Change some fields; emits billing.customer.updated (and .status_changed) with the next revision."""
        with database().transaction() as session:
            return customers.update_customer(
                session, customer_id, changes, now=datetime.now(UTC), actor=current_actor()
            )

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def delete(self, customer_id):
        """Delete an Inactive customer (409 otherwise); emits billing.customer.deleted."""
        with database().transaction() as session:
            customer_deletion.delete_customer(session, customer_id, now=datetime.now(UTC), actor=current_actor())


@blp.route("/bulk-delete")
class CustomersBulkDelete(MethodView):
    @blp.arguments(BulkDeleteSchema)
    @blp.response(200, BulkDeletedSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def post(self, values):
        """Delete several Inactive customers, all or none: an unknown id is a 404, one not Inactive a 409."""
        with database().transaction() as session:
            deleted = customer_deletion.delete_customers(
                session, values["ids"], now=datetime.now(UTC), actor=current_actor()
            )
            return {"deleted": deleted}

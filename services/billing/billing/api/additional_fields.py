"""Operator endpoints for the definitions of the customers' additional fields."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import additional_fields
from billing.api.actor import current_actor
from billing.schemas import AdditionalFieldChangeSchema, AdditionalFieldSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "additional_fields",
    __name__,
    url_prefix="/admin/v1/additional-fields",
    description="Additional fields of the customer record (operators)",
)


@blp.route("")
class AdditionalFields(MethodView):
    @blp.response(200, AdditionalFieldSchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:read")
    def get(self):
        """Every additional field, in display order."""
        with database().reading() as session:
            return additional_fields.list_fields(session)

    @blp.arguments(AdditionalFieldSchema)
    @blp.response(201, AdditionalFieldSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def post(self, values):
        """Define a field (name and type are fixed once made)."""
        with database().transaction() as session:
            return additional_fields.define_field(session, values, now=datetime.now(UTC))


@blp.route("/<string:name>")
class AdditionalFieldByName(MethodView):
    @blp.arguments(AdditionalFieldChangeSchema)
    @blp.response(200, AdditionalFieldSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def patch(self, changes, name):
        """Change the label, choices (409 while customers hold a removed one), required flag or position."""
        with database().transaction() as session:
            return additional_fields.change_field(session, name, changes)

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def delete(self, name):
        """Remove a field and every customer's value of it (each a change of that customer)."""
        with database().transaction() as session:
            additional_fields.remove_field(session, name, now=datetime.now(UTC), actor=current_actor())

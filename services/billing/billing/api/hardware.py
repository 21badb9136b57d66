"""Operator endpoints for the hardware at customers' premises."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import hardware
from billing.api.actor import current_actor
from billing.schemas import PageQuerySchema
from billing.service_schemas import HardwareChangeSchema, HardwareCreateSchema, HardwarePageSchema, HardwareSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("hardware", __name__, url_prefix="/admin/v1", description="Customers' hardware (operators)")


@blp.route("/customers/<int:customer_id>/hardware")
class CustomerHardware(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, HardwarePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query, customer_id):
        """The customer's hardware in id order."""
        with database().reading() as session:
            page = hardware.list_hardware(session, customer_id, limit=query["limit"], cursor=query.get("cursor"))
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(HardwareCreateSchema)
    @blp.response(201, HardwareSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, customer_id):
        """Add an item: rented (monthly price), sold (one-off price) or assigned (no price)."""
        with database().transaction() as session:
            return hardware.add_hardware(session, customer_id, values, now=datetime.now(UTC), actor=current_actor())


@blp.route("/hardware/<int:hardware_id>")
class HardwareById(MethodView):
    @blp.response(200, HardwareSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, hardware_id):
        """One item."""
        with database().reading() as session:
            return hardware.get_hardware(session, hardware_id)

    @blp.arguments(HardwareChangeSchema)
    @blp.response(200, HardwareSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def patch(self, changes, hardware_id):
        """Change an item (e.g. its status to returned or faulty)."""
        with database().transaction() as session:
            return hardware.change_hardware(session, hardware_id, changes, now=datetime.now(UTC), actor=current_actor())

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def delete(self, hardware_id):
        """Remove an item entered by mistake (the timeline keeps what it was)."""
        with database().transaction() as session:
            hardware.remove_hardware(session, hardware_id, now=datetime.now(UTC), actor=current_actor())

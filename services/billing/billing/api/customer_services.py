"""Operator endpoints for customer services."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customer_services
from billing.api.actor import current_actor
from billing.api.service_views import service_item, service_items
from billing.service_schemas import (
    ServiceChangeSchema,
    ServiceCreateSchema,
    ServiceListQuerySchema,
    ServicePageSchema,
    ServiceSchema,
)
from billing.sessions import online_service_ids
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("customer_services", __name__, url_prefix="/admin/v1", description="Customer services (operators)")


@blp.route("/customers/<int:customer_id>/services")
class CustomerServices(MethodView):
    @blp.arguments(ServiceListQuerySchema, location="query", unknown="raise")
    @blp.response(200, ServicePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query, customer_id):
        """The customer's services in id order, with whether each is online."""
        with database().reading() as session:
            page = customer_services.list_services(
                session, customer_id, status=query.get("status"), limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": service_items(session, page.items), "next_cursor": page.next_cursor}

    @blp.arguments(ServiceCreateSchema)
    @blp.response(201, ServiceSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values, customer_id):
        """Sell a plan offered to the customer's partner; emits billing.service.created."""
        with database().transaction() as session:
            service = customer_services.create_service(
                session, customer_id, values, now=datetime.now(UTC), actor=current_actor()
            )
            return service_item(service, online=False)


@blp.route("/services/<int:service_id>")
class ServiceById(MethodView):
    @blp.response(200, ServiceSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, service_id):
        """One service, with whether it is online."""
        with database().reading() as session:
            service = customer_services.get_service(session, service_id)
            return service_item(service, service_id in online_service_ids(session, [service_id]))

    @blp.arguments(ServiceChangeSchema)
    @blp.response(200, ServiceSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def patch(self, changes, service_id):
        """Change a service (409 once stopped); emits billing.service.updated (and .status_changed)."""
        with database().transaction() as session:
            service = customer_services.update_service(
                session, service_id, changes, now=datetime.now(UTC), actor=current_actor()
            )
            return service_item(service, service_id in online_service_ids(session, [service_id]))

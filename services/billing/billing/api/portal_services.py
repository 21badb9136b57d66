"""Customer-scoped reads of services and hardware (what the portal shows; another customer's: 404)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customer_services, hardware
from billing.api.service_views import service_item, service_items
from billing.schemas import PageQuerySchema
from billing.service_schemas import HardwarePageSchema, ServicePageSchema, ServiceSchema
from billing.sessions import online_service_ids
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint(
    "portal_services", __name__, url_prefix="/v1/customers", description="Services and hardware (customer-scoped)"
)


@blp.route("/<int:customer_id>/services")
class MyServices(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, ServicePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The customer's services, each with `online` (an open network session now)."""
        with database().reading() as session:
            page = customer_services.list_services(
                session, customer_id, limit=query["limit"], cursor=query.get("cursor")
            )
            return {"items": service_items(session, page.items), "next_cursor": page.next_cursor}


@blp.route("/<int:customer_id>/services/<int:service_id>")
class MyService(MethodView):
    @blp.response(200, ServiceSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id, service_id):
        """One of the customer's services."""
        with database().reading() as session:
            service = customer_services.get_customer_service(session, customer_id, service_id)
            return service_item(service, service_id in online_service_ids(session, [service_id]))


@blp.route("/<int:customer_id>/hardware")
class MyHardware(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown="raise")
    @blp.response(200, HardwarePageSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id):
        """The hardware at the customer's premises."""
        with database().reading() as session:
            page = hardware.list_hardware(session, customer_id, limit=query["limit"], cursor=query.get("cursor"))
            return {"items": page.items, "next_cursor": page.next_cursor}

"""The Services pages: services and hardware, one service, usage statistics."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.readers import reader
from portal_bff.page_arguments import DayRangeArgsSchema, MinutesArgsSchema, PageArgsSchema, as_params
from portal_bff.page_schemas import ServicePageSchema, ServicesPageSchema, UsagePageSchema
from portal_bff.pages.services import service_page, services_page, usage_page

blp = Blueprint("services", __name__, url_prefix="/api/v1", description="Services, hardware and usage")
HIDDEN = "The Services module is hidden for this customer, or there is no such service."


@blp.route("/services")
class Services(MethodView):
    @signed_in(module="services")
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ServicesPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The customer's services (with Online status) and hardware."""
        return services_page(reader(), cursor=query.get("cursor"), limit=query["limit"])


@blp.route("/services/<int:service_id>")
class Service(MethodView):
    @signed_in(module="services")
    @blp.response(200, ServicePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, service_id):
        """One of the customer's services."""
        return service_page(reader(), service_id)


@blp.route("/services/<int:service_id>/usage/daily")
class DailyTraffic(MethodView):
    @signed_in(module="services")
    @blp.arguments(DayRangeArgsSchema, location="query")
    @blp.response(200, UsagePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query, service_id):
        """Traffic of an internet service per day, `from` to `to` (at most 366 days)."""
        params = as_params({"from": query["first"], "to": query["last"]})
        return usage_page(reader(), service_id, "daily", params)


@blp.route("/services/<int:service_id>/usage/minutes")
class LiveTraffic(MethodView):
    @signed_in(module="services")
    @blp.arguments(MinutesArgsSchema, location="query")
    @blp.response(200, UsagePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query, service_id):
        """Traffic of an internet service per minute over the last `minutes` (the live graph)."""
        return usage_page(reader(), service_id, "minutes", query)


@blp.route("/services/<int:service_id>/voice/daily")
class DailyCalls(MethodView):
    @signed_in(module="services")
    @blp.arguments(DayRangeArgsSchema, location="query")
    @blp.response(200, UsagePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query, service_id):
        """Calls of a voice service per day, `from` to `to`: how many, minutes and cost."""
        params = as_params({"from": query["first"], "to": query["last"]})
        return usage_page(reader(), service_id, "voice_daily", params)

"""The Services pages: services and hardware, one service, usage statistics and CAP/FUP counters,
ordering new products and changing plans (each previewed with its prices first)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.readers import reader
from portal_bff.page_arguments import (
    DayRangeArgsSchema,
    IdempotencyHeaderSchema,
    MinutesArgsSchema,
    OfferArgsSchema,
    OrderFormSchema,
    PageArgsSchema,
    PlanChangeFormSchema,
    as_params,
)
from portal_bff.page_schemas import (
    CountersPageSchema,
    OffersPageSchema,
    OrderSchema,
    QuoteSchema,
    ServicePageSchema,
    ServicesPageSchema,
    UsagePageSchema,
)
from portal_bff.pages import services
from portal_bff.pages.services import service_page, services_page, usage_page

blp = Blueprint("services", __name__, url_prefix="/api/v1", description="Services, hardware and usage")
HIDDEN = "The Services module is hidden for this customer, or there is no such service."
NOT_OFFERED = "The Services module is hidden, the portal config does not offer this, or there is no such service."
REFUSED = "A field is invalid, or billing refused the plan (`errors`)."
DOWN = "Billing is not available: nothing was done (`Retry-After`)."


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


@blp.route("/services/<int:service_id>/counters")
class Counters(MethodView):
    @signed_in(module="services")
    @blp.response(200, CountersPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, service_id):
        """One service with its CAP/FUP counters this period: used, the limit, any bonus, whether exceeded."""
        return services.counters_page(reader(), service_id)


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


@blp.route("/services/offers")
class Offers(MethodView):
    @signed_in(module="services")
    @blp.arguments(OfferArgsSchema, location="query")
    @blp.response(200, OffersPageSchema)
    @blp.alt_response(404, description=NOT_OFFERED)
    @blp.doc(security=SESSION_SECURITY)
    def get(self, query):
        """The products to order, or to change a plan to (`kind`: the service's), with their monthly price."""
        return services.offers_page(reader(), query.get("kind"))


@blp.route("/services/orders/preview")
class OrderPreview(MethodView):
    @signed_in(module="services")
    @blp.arguments(OrderFormSchema)
    @blp.response(200, QuoteSchema)
    @blp.alt_response(404, description=NOT_OFFERED)
    @blp.alt_response(422, description=REFUSED)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form):
        """What an order costs: to pay now (the rest of this billing period) and each month after; nothing is ordered."""
        return services.preview_order(reader(), form["plan_id"], form["quantity"], form.get("start_date"))


@blp.route("/services/orders")
class Orders(MethodView):
    @signed_in(module="services")
    @blp.arguments(OrderFormSchema)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, OrderSchema)
    @blp.alt_response(404, description=NOT_OFFERED)
    @blp.alt_response(422, description=REFUSED)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, headers):
        """Order a product: the service is added at once (`completed`) or the order waits for approval (`pending`)."""
        key = headers.get("idempotency_key")
        return services.place_order(reader(), form["plan_id"], form["quantity"], form.get("start_date"), key=key), 201


@blp.route("/services/<int:service_id>/plan-change/preview")
class PlanChangePreview(MethodView):
    @signed_in(module="services")
    @blp.arguments(PlanChangeFormSchema)
    @blp.response(200, QuoteSchema)
    @blp.alt_response(404, description=NOT_OFFERED)
    @blp.alt_response(422, description=REFUSED)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, service_id):
        """What changing the plan from today costs: the old plan's days credited, the new one to the period's end."""
        return services.preview_plan_change(reader(), service_id, form["plan_id"])


@blp.route("/services/<int:service_id>/plan-change")
class PlanChange(MethodView):
    @signed_in(module="services")
    @blp.arguments(PlanChangeFormSchema)
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.response(201, OrderSchema)
    @blp.alt_response(404, description=NOT_OFFERED)
    @blp.alt_response(422, description=REFUSED)
    @blp.alt_response(503, description=DOWN)
    @blp.doc(security=SESSION_SECURITY)
    def post(self, form, headers, service_id):
        """Change the service's plan from today, at once (`completed`) or once approved (`pending`)."""
        key = headers.get("idempotency_key")
        return services.change_plan(reader(), service_id, form["plan_id"], key=key), 201

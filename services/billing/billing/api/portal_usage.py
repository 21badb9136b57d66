"""Customer-scoped usage: CAP/FUP counters, traffic per day and per minute, calls per day."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import voice
from billing.api.service_views import counter_item
from billing.customer_services import get_customer_service_of_kind
from billing.customers import get_customer
from billing.models import PlanKind
from billing.periods import period_of
from billing.usage_schemas import (
    CounterSchema,
    DayRangeQuerySchema,
    MinutesQuerySchema,
    TrafficDaySchema,
    TrafficMinuteSchema,
    VoiceDaySchema,
)
from billing.usage_statistics import customer_counters, daily_series, minute_series
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("portal_usage", __name__, url_prefix="/v1/customers", description="Usage (customer-scoped)")


@blp.route("/<int:customer_id>/usage")
class MyUsage(MethodView):
    @blp.response(200, CounterSchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """The CAP/FUP counter of the current period of each internet service not stopped (the dashboard)."""
        period_start = period_of(datetime.now(UTC).date())
        with database().reading() as session:
            get_customer(session, customer_id)
            counters = customer_counters(session, customer_id, period_start)
            return [counter_item(service, count) for service, count in counters]


@blp.route("/<int:customer_id>/services/<int:service_id>/usage/daily")
class MyDailyTraffic(MethodView):
    @blp.arguments(DayRangeQuerySchema, location="query", unknown="raise")
    @blp.response(200, TrafficDaySchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, service_id):
        """Traffic of an internet service per UTC day from `from` to `to` (days without any are zeros)."""
        with database().reading() as session:
            get_customer_service_of_kind(session, customer_id, service_id, PlanKind.INTERNET)
            series = daily_series(session, service_id, query["first"], query["last"])
            return [{"day": t.at, "bytes_in": t.bytes_in, "bytes_out": t.bytes_out} for t in series]


@blp.route("/<int:customer_id>/services/<int:service_id>/usage/minutes")
class MyLiveTraffic(MethodView):
    @blp.arguments(MinutesQuerySchema, location="query", unknown="raise")
    @blp.response(200, TrafficMinuteSchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, service_id):
        """Traffic of an internet service per minute over the last `minutes` (the live bandwidth graph)."""
        now = datetime.now(UTC)
        with database().reading() as session:
            get_customer_service_of_kind(session, customer_id, service_id, PlanKind.INTERNET)
            series = minute_series(session, service_id, query["minutes"], now=now)
            return [{"minute": t.at, "bytes_in": t.bytes_in, "bytes_out": t.bytes_out} for t in series]


@blp.route("/<int:customer_id>/services/<int:service_id>/voice/daily")
class MyCalls(MethodView):
    @blp.arguments(DayRangeQuerySchema, location="query", unknown="raise")
    @blp.response(200, VoiceDaySchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, query, customer_id, service_id):
        """Calls of a voice service per UTC day from `from` to `to`: how many, minutes and cost."""
        with database().reading() as session:
            get_customer_service_of_kind(session, customer_id, service_id, PlanKind.VOICE)
            return voice.daily_totals(session, service_id, query["first"], query["last"])

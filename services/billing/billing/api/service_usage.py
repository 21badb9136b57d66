"""Operator endpoints for a service's CAP/FUP counter and its bonus traffic."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customer_services, usage
from billing.api.actor import current_actor
from billing.api.service_views import counter_item
from billing.models import PlanKind
from billing.periods import parse_period, period_of
from billing.usage_schemas import BonusSchema, CounterSchema, PeriodQuerySchema
from billing.usage_statistics import counter
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("service_usage", __name__, url_prefix="/admin/v1/services", description="Service usage (operators)")


def _period(values: dict, now: datetime):
    return parse_period(values["period"]) if "period" in values else period_of(now.date())


@blp.route("/<int:service_id>/usage")
class ServiceUsage(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query", unknown="raise")
    @blp.response(200, CounterSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query, service_id):
        """An internet service's CAP/FUP counter for a period (by default the current one)."""
        with database().reading() as session:
            service = customer_services.get_service_of_kind(session, service_id, PlanKind.INTERNET)
            return counter_item(service, counter(session, service, _period(query, datetime.now(UTC))))

    @blp.arguments(BonusSchema)
    @blp.response(200, CounterSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def patch(self, values, service_id):
        """Set the bonus traffic of a period (the customer record's manual CAP bonus)."""
        now = datetime.now(UTC)
        period_start = _period(values, now)
        with database().transaction() as session:
            service = usage.set_bonus(
                session, service_id, period_start, values["bonus_gb"], now=now, actor=current_actor()
            )
            return counter_item(service, counter(session, service, period_start))

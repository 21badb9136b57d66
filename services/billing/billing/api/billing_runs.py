"""Operator endpoints for the daily billing run (the same as `python -m billing.cli run`)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from billing.api.actor import current_actor
from billing.billing_run import run_billing
from billing.finance_models import BillingRun
from billing.finance_schemas import BillingRunCreateSchema, BillingRunSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("billing_runs", __name__, url_prefix="/admin/v1/billing-runs", description="Daily runs (operators)")


@blp.route("")
class BillingRuns(MethodView):
    @blp.response(200, BillingRunSchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self):
        """The last 50 runs, newest first."""
        with database().reading() as session:
            return session.scalars(select(BillingRun).order_by(BillingRun.id.desc()).limit(50)).all()

    @blp.arguments(BillingRunCreateSchema)
    @blp.response(201, BillingRunSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values):
        """Run billing for a date: invoices, prepaid charges, overdue, dunning; a repeat does nothing more."""
        return run_billing(database(), on=values["date"], now=datetime.now(UTC), actor=current_actor())

"""Operator endpoints for plans."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import plans
from billing.plan_schemas import PlanChangeSchema, PlanCreateSchema, PlanListQuerySchema, PlanPageSchema, PlanSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("plans", __name__, url_prefix="/admin/v1/plans", description="Plans (operators)")


@blp.route("")
class Plans(MethodView):
    @blp.arguments(PlanListQuerySchema, location="query", unknown="raise")
    @blp.response(200, PlanPageSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, query):
        """Plans in id order, filtered by kind, partner (those offered to it) and self-service."""
        with database().reading() as session:
            page = plans.list_plans(
                session,
                kind=query.get("kind"),
                partner_id=query.get("partner_id"),
                self_service=query.get("self_service"),
                limit=query["limit"],
                cursor=query.get("cursor"),
            )
            return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.arguments(PlanCreateSchema)
    @blp.response(201, PlanSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def post(self, values):
        """Make a plan: internet (speeds, optional CAP or FUP), voice (minutes, rate) or custom."""
        with database().transaction() as session:
            return plans.create_plan(session, values, now=datetime.now(UTC))


@blp.route("/<int:plan_id>")
class PlanById(MethodView):
    @blp.response(200, PlanSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:read")
    def get(self, plan_id):
        """One plan."""
        with database().reading() as session:
            return plans.get_plan(session, plan_id)

    @blp.arguments(PlanChangeSchema)
    @blp.response(200, PlanSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def patch(self, changes, plan_id):
        """Change a plan (not its kind); services already sold keep their price."""
        with database().transaction() as session:
            return plans.update_plan(session, plan_id, changes, now=datetime.now(UTC))

    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("billing:write")
    def delete(self, plan_id):
        """Remove a plan no service uses (409 otherwise)."""
        with database().transaction() as session:
            plans.delete_plan(session, plan_id)

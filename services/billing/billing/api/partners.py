"""Operator endpoints for partners (the brands customers belong to)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from billing.errors import Conflict
from billing.models import Partner
from billing.schemas import PartnerSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint("partners", __name__, url_prefix="/admin/v1/partners", description="Partners (operators)")


@blp.route("")
class Partners(MethodView):
    @blp.response(200, PartnerSchema(many=True))
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:read")
    def get(self):
        """Every partner."""
        with database().reading() as session:
            return session.scalars(select(Partner).order_by(Partner.id)).all()

    @blp.arguments(PartnerSchema)
    @blp.response(201, PartnerSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def post(self, values):
        """Add a partner."""
        try:
            with database().transaction() as session:
                partner = Partner(name=values["name"], created_at=datetime.now(UTC))
                session.add(partner)
                session.flush()
                return partner
        except IntegrityError:
            raise Conflict(f"A partner named {values['name']!r} exists.") from None

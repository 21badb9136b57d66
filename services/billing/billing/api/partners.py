"""Operator endpoints for partners (the brands customers belong to)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from billing.errors import Conflict, NotFound
from billing.models import Partner
from billing.schemas import PartnerChangeSchema, PartnerSchema
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
                partner = Partner(**values, created_at=datetime.now(UTC))
                session.add(partner)
                session.flush()
                return partner
        except IntegrityError:
            raise Conflict(f"A partner named {values['name']!r} exists.") from None


@blp.route("/<int:partner_id>")
class PartnerById(MethodView):
    @blp.arguments(PartnerChangeSchema)
    @blp.response(200, PartnerSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("customers:write")
    def patch(self, changes, partner_id):
        """Change a partner's name, currency, VAT, payment terms or document prefix (documents issued keep theirs)."""
        try:
            with database().transaction() as session:
                partner = session.get(Partner, partner_id, with_for_update=True)
                if partner is None:
                    raise NotFound(f"No partner {partner_id}.")
                for name, value in changes.items():
                    setattr(partner, name, value)
                session.flush()
                return partner
        except IntegrityError:
            raise Conflict(f"A partner named {changes.get('name')!r} exists.") from None

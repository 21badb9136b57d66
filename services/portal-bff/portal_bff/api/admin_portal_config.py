"""Operators edit the portal config (/admin/v1/portal-config), scope `portal:admin`."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from portal_bff import portal_config
from portal_bff.api.context import now, operator_name
from portal_bff.schemas import PortalConfigDocumentSchema, PortalConfigOverrideSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "admin_portal_config", __name__, url_prefix="/admin/v1/portal-config", description="Portal config (operators)"
)

PARTIAL = PortalConfigOverrideSchema(partial=True)
DOC = [{"bearer": []}]


def _document(session: Session, partner_id: int) -> dict[str, Any]:
    record = portal_config.stored(session, partner_id)
    return {
        "override": record.config if record else {},
        "effective": portal_config.effective_config(session, partner_id),
        "updated_at": record.updated_at if record else None,
        "updated_by": record.updated_by if record else None,
    }


def _store(partner_id: int, override: dict[str, Any]) -> dict[str, Any]:
    with database().transaction() as session:
        portal_config.store_override(session, partner_id, override, by=operator_name(), now=now())
        return _document(session, partner_id)


@blp.route("")
class GeneralPortalConfig(MethodView):
    @blp.response(200, PortalConfigDocumentSchema)
    @blp.doc(security=DOC)
    @operator_scope("portal:admin")
    def get(self):
        """The general default: what operators stored, and the effective config over the built-in defaults."""
        with database().reading() as session:
            return _document(session, portal_config.GENERAL)

    @blp.arguments(PARTIAL)
    @blp.response(200, PortalConfigDocumentSchema)
    @blp.alt_response(422, description="Invalid fields (`errors`); nothing is stored.")
    @blp.doc(security=DOC)
    @operator_scope("portal:admin")
    def put(self, override):
        """Replace the general default with this document (any subset of sections and fields)."""
        return _store(portal_config.GENERAL, override)


@blp.route("/partners/<int(min=1):partner_id>")
class PartnerPortalConfig(MethodView):
    @blp.response(200, PortalConfigDocumentSchema)
    @blp.doc(security=DOC)
    @operator_scope("portal:admin")
    def get(self, partner_id):
        """A partner's override and the effective config its customers get."""
        with database().reading() as session:
            return _document(session, partner_id)

    @blp.arguments(PARTIAL)
    @blp.response(200, PortalConfigDocumentSchema)
    @blp.alt_response(422, description="Invalid fields (`errors`); nothing is stored.")
    @blp.doc(security=DOC)
    @operator_scope("portal:admin")
    def put(self, override, partner_id):
        """Replace the partner's override (any subset; the rest comes from the general default)."""
        return _store(partner_id, override)

    @blp.response(204)
    @blp.alt_response(404, description="The partner has no override.")
    @blp.doc(security=DOC)
    @operator_scope("portal:admin")
    def delete(self, partner_id):
        """Drop the partner's override: its customers get the general default."""
        with database().transaction() as session:
            portal_config.remove_override(session, partner_id)

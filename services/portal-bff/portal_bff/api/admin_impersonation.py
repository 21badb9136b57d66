"""Operators' "login as customer" (/admin/v1/customers/{id}/impersonation), scope `portal:admin`."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import impersonation
from portal_bff.api.context import now, operator_name, policies, public_url
from portal_bff.models import Impersonation
from portal_bff.schemas import ImpersonationLinkSchema, ImpersonationListSchema, ImpersonationRequestSchema
from portico.auth import operator_scope
from portico.web import database

blp = Blueprint(
    "admin_impersonation", __name__, url_prefix="/admin/v1/customers", description="Login as customer (operators)"
)


def _model(record: Impersonation) -> dict:
    return {
        "id": record.id,
        "customer_id": record.customer_id,
        "operator": record.operator,
        "write_access": record.write_access,
        "reason": record.reason,
        "created_at": record.created_at,
        "expires_at": record.expires_at,
        "opened_at": record.opened_at,
        "opened_ip": record.opened_ip,
    }


@blp.route("/<int:customer_id>/impersonation")
class CustomerImpersonation(MethodView):
    @blp.arguments(ImpersonationRequestSchema)
    @blp.response(201, ImpersonationLinkSchema)
    @blp.alt_response(404, description="The customer has no portal account.")
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("portal:admin")
    def post(self, values, customer_id):
        """A one-time link (valid 2 minutes) that signs a browser in as the customer.

        The session is flagged with the operator's name (the customer sees it in their sign-in
        history) and is read-only unless `write` is true. The request is kept with its reason.
        """
        with database().transaction() as session:
            record, token = impersonation.issue_link(
                session,
                customer_id,
                operator=operator_name(),
                write_access=values["write"],
                reason=values["reason"],
                ttl=policies().impersonation_link_ttl,
                now=now(),
            )
            return _model(record) | {"url": f"{public_url()}/api/v1/impersonation/{token}"}, 201


@blp.route("/<int:customer_id>/impersonations")
class CustomerImpersonations(MethodView):
    @blp.response(200, ImpersonationListSchema)
    @blp.doc(security=[{"bearer": []}])
    @operator_scope("portal:admin")
    def get(self, customer_id):
        """The audit of every "login as customer" for the customer, newest first."""
        with database().reading() as session:
            return {"items": [_model(row) for row in impersonation.audit(session, customer_id)]}

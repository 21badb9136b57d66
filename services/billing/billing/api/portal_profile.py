"""The customer's own record as the portal's Profile page reads and changes it (self-service fields only)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView
from flask_smorest import Blueprint

from billing import customers
from billing.api.actor import current_actor
from billing.schemas import ProfileChangeSchema, ProfileSchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("portal_profile", __name__, url_prefix="/v1/customers", description="Profile (customer-scoped)")


@blp.route("/<int:customer_id>/profile")
class MyProfile(MethodView):
    @blp.response(200, ProfileSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def get(self, customer_id):
        """The customer's name, contacts and address."""
        with database().reading() as session:
            return customers.get_customer(session, customer_id)

    @blp.arguments(ProfileChangeSchema)
    @blp.response(200, ProfileSchema)
    @blp.doc(security=[{"bearer": []}])
    @customer_scope
    def patch(self, changes, customer_id):
        """Change emails, billing emails, phones or the address (anything else: 422); emits billing.customer.updated."""
        with database().transaction() as session:
            return customers.update_customer(
                session, customer_id, changes, now=datetime.now(UTC), actor=current_actor()
            )

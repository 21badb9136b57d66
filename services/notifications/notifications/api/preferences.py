"""A customer's notification preferences: opting out of news and marketing emails."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView
from flask_smorest import Blueprint

from notifications import customers, preferences
from notifications.api.request_context import now
from notifications.catalogue import Category
from notifications.schemas import PreferencesSchema
from portico.auth import customer_scope
from portico.web import database

blp = Blueprint("preferences", __name__, url_prefix="/v1/customers", description="Notification preferences (customers)")
MANDATORY = [Category.SECURITY, Category.BILLING, Category.SERVICE]


def _shown(found: preferences.Preferences) -> dict:
    return asdict(found) | {"mandatory": MANDATORY}


@blp.route("/<int:customer_id>/notification-preferences")
class NotificationPreferences(MethodView):
    @customer_scope
    @blp.response(200, PreferencesSchema)
    @blp.doc(security=[{"bearer": []}])
    def get(self, customer_id):
        """Which optional emails the customer takes; `mandatory` lists those that always go."""
        with database().reading() as session:
            customers.get_customer(session, customer_id)
            return _shown(preferences.preferences_of(session, customer_id))

    @customer_scope
    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    @blp.doc(security=[{"bearer": []}])
    def patch(self, changes, customer_id):
        """Opt in or out of news and marketing emails (the fields sent change; billing and security mail always go)."""
        with database().transaction() as session:
            customers.get_customer(session, customer_id)
            return _shown(preferences.update_preferences(session, customer_id, changes, now=now()))

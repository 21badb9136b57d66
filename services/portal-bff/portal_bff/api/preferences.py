"""The customer's portal preferences: theme and language."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import preferences
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.api.context import languages, now
from portal_bff.page_arguments import PreferencesChangeSchema, PreferencesSchema
from portico.web import database

blp = Blueprint("preferences", __name__, url_prefix="/api/v1", description="Preferences")


@blp.route("/preferences")
class Preferences(MethodView):
    @signed_in()
    @blp.response(200, PreferencesSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """Theme (`light`, `dark` or `system`) and language; the defaults until changed."""
        with database().reading() as session:
            return preferences.preferences_of(session, visitor().customer_id, languages=languages())

    @signed_in()
    @blp.arguments(PreferencesChangeSchema)
    @blp.response(200, PreferencesSchema)
    @blp.alt_response(422, description="An unknown theme, or a language the portal does not offer (`errors`).")
    @blp.doc(security=SESSION_SECURITY)
    def patch(self, changes):
        """Change the theme and/or the language."""
        with database().transaction() as session:
            return preferences.change_preferences(
                session, visitor().customer_id, changes, languages=languages(), now=now()
            )

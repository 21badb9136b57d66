"""The Profile page: read it, and change the fields the portal config makes editable."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff.api.authentication import SESSION_SECURITY, signed_in
from portal_bff.api.readers import reader
from portal_bff.fanout import ok
from portal_bff.page_arguments import ProfileChangeSchema
from portal_bff.page_schemas import ProfilePageSchema
from portal_bff.pages.profile import profile_page
from portal_bff.profile_changes import change_profile

blp = Blueprint("profile", __name__, url_prefix="/api/v1", description="Profile")
HIDDEN = "The Profile module is hidden for this customer."


@blp.route("/profile")
class Profile(MethodView):
    @signed_in(module="profile")
    @blp.response(200, ProfilePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The customer's contact data: the fields shown, and which of them they may change."""
        return profile_page(reader())

    @signed_in(module="profile")
    @blp.arguments(ProfileChangeSchema)
    @blp.response(200, ProfilePageSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(422, description="A field is invalid, or not one the customer may change (`errors`).")
    @blp.alt_response(503, description="Billing is not available: nothing was changed (`Retry-After`).")
    @blp.doc(security=SESSION_SECURITY)
    def patch(self, changes):
        """Change editable fields (any subset); the profile as it now is."""
        return {"profile": ok(change_profile(reader(), changes))}

"""The portal config as the signed-in customer gets it: the effective config, the menu, About."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from portal_bff import portal_config
from portal_bff.api.authentication import SESSION_SECURITY, signed_in, visitor
from portal_bff.portal_config_schema import PortalConfigSchema
from portal_bff.schemas import AboutSchema, MenuSchema

blp = Blueprint("portal_config", __name__, url_prefix="/api/v1", description="Portal config and menu")


@blp.route("/portal-config")
class EffectivePortalConfig(MethodView):
    @signed_in()
    @blp.response(200, PortalConfigSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The config of the customer's partner: the general default with the partner's overrides."""
        return visitor().config


@blp.route("/menu")
class Menu(MethodView):
    @signed_in()
    @blp.response(200, MenuSchema)
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The modules the menu shows this customer (Blocked and Inactive customers see fewer)."""
        me = visitor()
        return {"modules": portal_config.enabled_modules(me.config, customer_status=me.account.customer_status)}


@blp.route("/about")
class About(MethodView):
    @signed_in(module="about")
    @blp.response(200, AboutSchema)
    @blp.alt_response(404, description="The About module is hidden for this customer.")
    @blp.doc(security=SESSION_SECURITY)
    def get(self):
        """The provider's About page: title, about and contact texts, support email and phone."""
        return visitor().config["main"]

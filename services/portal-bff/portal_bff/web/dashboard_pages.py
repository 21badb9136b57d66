"""The dashboard page: the dashboard page model (as GET /api/v1/dashboard answers it), drawn."""

from __future__ import annotations

from flask import redirect, url_for

from portal_bff import portal_config
from portal_bff.api.authentication import visitor
from portal_bff.api.readers import reader
from portal_bff.page_schemas import DashboardPageSchema
from portal_bff.pages.dashboard import dashboard as dashboard_model
from portal_bff.web import menu
from portal_bff.web.guard import page
from portal_bff.web.pages import blueprint, render
from portal_bff.web.tables import ticket_columns

blp = blueprint("web_dashboard", __name__)


@blp.get("/")
@page()
def dashboard():
    me = visitor()
    if not portal_config.module_enabled(me.config, "dashboard", customer_status=me.account.customer_status):
        return redirect(url_for(menu.home_endpoint(me)), code=303)
    model = DashboardPageSchema().dump(dashboard_model(reader()))
    config = me.config
    return render(
        "dashboard.html",
        page=model,
        payment_methods=config["finance"]["payment_methods"] if _shown(me, "finance") else [],
        can_order=config["services"]["allow_order_new_products"] and _shown(me, "services"),
        live_bandwidth=config["dashboard"]["live_bandwidth"] and _shown(me, "services"),
        ticket_columns=ticket_columns(model.get("tickets", {}).get("columns", [])),
        tickets_shown=_shown(me, "tickets"),
    )


def _shown(me, module: str) -> bool:
    return portal_config.module_enabled(me.config, module, customer_status=me.account.customer_status)

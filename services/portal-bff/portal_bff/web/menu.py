"""The portal's menu: the modules the partner's portal config shows this customer, in order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext

from portal_bff import portal_config
from portal_bff.api.authentication import Visitor


@dataclass(frozen=True)
class MenuItem:
    module: str
    endpoint: str
    label: object  # a lazy translation
    icon: str  # a Bootstrap Icons name


ITEMS = (
    MenuItem("dashboard", "web_dashboard.dashboard", lazy_gettext("Dashboard"), "speedometer2"),
    MenuItem("services", "web_services.services", lazy_gettext("Services"), "router"),
    MenuItem("finance", "web_finance.invoices", lazy_gettext("Finance"), "receipt"),
    MenuItem("messages", "web_messages.messages", lazy_gettext("Messages"), "envelope"),
    MenuItem("news", "web_messages.news", lazy_gettext("News"), "megaphone"),
    MenuItem("tickets", "web_tickets.tickets", lazy_gettext("Tickets"), "life-preserver"),
    MenuItem("documents", "web_documents.documents", lazy_gettext("Documents"), "folder2-open"),
    MenuItem("profile", "web_profile.profile", lazy_gettext("Profile"), "person-circle"),
    MenuItem("about", "web_profile.about", lazy_gettext("About"), "info-circle"),
)


def menu_for(found: Visitor) -> list[MenuItem]:
    """The menu of this customer (Blocked and Inactive customers see what the config leaves them)."""
    shown = set(portal_config.enabled_modules(found.config, customer_status=found.account.customer_status))
    return [item for item in ITEMS if item.module in shown]


def home_endpoint(found: Visitor) -> str:
    """Where the logo leads: the dashboard, or the first module shown when the dashboard is hidden."""
    items = menu_for(found)
    return items[0].endpoint if items else "web_profile.sessions"

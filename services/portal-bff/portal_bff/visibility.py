"""What the partner's portal config lets a customer see: dashboard sections, ticket columns, profile fields.

One rule per thing shown, applied when a page model is built; the page schemas then let
through only the fields they declare (page_schemas.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portal_bff.portal_config import module_enabled

# The module a dashboard section belongs to: hidden with it.
SECTION_MODULES = {
    "balance": "finance",
    "payment_due": "finance",
    "account_suspension": "finance",
    "unpaid_invoices": "finance",
    "services": "services",
    "cap_fup": "services",
    "tickets": "tickets",
    "messages": "messages",
    "news": "news",
}
# The portal config's ticket column → the field of the ticket it shows.
TICKET_COLUMN_FIELDS = {
    "id": "id",
    "subject": "subject",
    "priority": "priority",
    "status": "status",
    "group": "group",
    "type": "type",
    "assigned_to": "assigned_to",
    "created": "created_at",
    "updated": "updated_at",
}


def dashboard_sections(config: Mapping[str, Any], *, customer_status: str | None) -> list[str]:
    """The dashboard sections to show: switched on, and of a module the menu shows this customer."""
    dashboard = config["dashboard"]
    return [
        section
        for section, module in SECTION_MODULES.items()
        if dashboard.get(section) and module_enabled(config, module, customer_status=customer_status)
    ]


def ticket_columns(config: Mapping[str, Any]) -> list[str]:
    return list(config["tickets"]["columns"])


def ticket_row(ticket: Mapping[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    """The ticket's shown columns; `id` always, as the row's key (to open, reply to or close it)."""
    row = {"id": ticket["id"]}
    for column in columns:
        field = TICKET_COLUMN_FIELDS[column]
        if field in ticket:
            row[field] = ticket[field]
    return row


def profile_access(config: Mapping[str, Any]) -> dict[str, str]:
    """Each profile field's access: `editable`, `read_only` or `hidden`."""
    return dict(config["profile"])


def visible_profile(profile: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as the customer sees it: hidden fields absent, and which of the others they may change."""
    access = profile_access(config)
    values = {name: profile[name] for name, how in access.items() if how != "hidden" and name in profile}
    editable = [name for name, how in access.items() if how == "editable"]
    return {"values": values, "editable": editable}


def editable_fields(config: Mapping[str, Any]) -> set[str]:
    return {name for name, how in profile_access(config).items() if how == "editable"}

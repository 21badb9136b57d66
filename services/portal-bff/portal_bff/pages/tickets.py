"""The Tickets pages: the list with the partner's columns (and as CSV), one ticket with its public comments."""

from __future__ import annotations

from typing import Any

from portal_bff import visibility
from portal_bff.pages import Reader

EXPORT = "/tickets/export.csv"


def _frame(reader: Reader) -> dict[str, Any]:
    tickets = reader.config["tickets"]
    return {"columns": visibility.ticket_columns(reader.config), "allow_attachments": tickets["allow_attachments"]}


def ticket_model(ticket: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """One ticket as the customer sees it: the shown columns, whether it is closed, its public comments."""
    model = visibility.ticket_row(ticket, columns) | {"closed": ticket.get("status") == "closed"}
    return model | ({"comments": ticket["comments"]} if "comments" in ticket else {})


def tickets_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    frame = _frame(reader)
    ticketing = reader.upstreams.ticketing

    def tickets() -> dict[str, Any]:
        page = reader.get(ticketing, "/tickets", query)
        rows = [visibility.ticket_row(t, frame["columns"]) for t in page["items"]]
        return {"items": rows, "next_cursor": page.get("next_cursor")}

    return frame | reader.gather({"tickets": tickets}, "ticketing")


def ticket_page(reader: Reader, ticket_id: int) -> dict[str, Any]:
    frame = _frame(reader)
    ticketing = reader.upstreams.ticketing

    def ticket() -> dict[str, Any]:
        return {
            "item": ticket_model(reader.get_subject(ticketing, f"/tickets/{ticket_id}", "ticket"), frame["columns"])
        }

    return frame | reader.gather({"ticket": ticket}, "ticketing")


def export_query(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    """What ticketing's CSV export (`EXPORT`) is asked for: the list's filters and order, every row (no
    pages), and the columns the portal config shows, in its order."""
    wanted = {name: value for name, value in query.items() if name not in ("limit", "cursor")}
    return wanted | {"columns": ",".join(visibility.ticket_columns(reader.config))}

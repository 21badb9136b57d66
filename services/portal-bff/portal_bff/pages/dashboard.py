"""The dashboard (seed 002): balance, payment due, suspension, unpaid invoices, services, CAP/FUP,
latest active tickets, messages and news, each section only where the portal config shows it.

Its parts are cached (section_cache.py) until an event or the customer's own write says
they changed; what changes with no event has a short time of its own: the days left (until
the day changes, UTC, as billing counts them), a prepaid balance (charged daily), the
online status and the traffic counters, and a news item's expiry.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from portal_bff import visibility
from portal_bff.fanout import OK, unavailable
from portal_bff.freshness import NEWS
from portal_bff.pages import Part, Read, Reader, Sections, live
from portal_bff.pages.services import shown_service
from portal_bff.section_cache import MaxAges

UNPAID_STATUSES = ("unpaid", "partially_paid", "overdue")
ACTIVE_TICKET_STATUSES = ("new", "open", "waiting_on_customer")
SUMMARY_SECTIONS = {
    "balance": ("currency", "billing_type", "balance", "total_due", "unpaid_invoices", "unpaid_proformas", "prepaid"),
    "payment_due": ("next_payment",),
    "account_suspension": ("suspension",),
}
LATEST = 5  # invoices and tickets shown
LATEST_MESSAGES = 3
LATEST_NEWS = 3
# The parts each section is made of ("messages": the latest and the unread count).
SECTION_PARTS = {
    "balance": ("summary",),
    "payment_due": ("summary",),
    "account_suspension": ("summary",),
    "unpaid_invoices": ("unpaid_invoices",),
    "services": ("services",),
    "cap_fup": ("cap_fup",),
    "tickets": ("tickets",),
    "messages": ("latest_messages", "unread"),
    "news": ("news",),
}


def dashboard(reader: Reader) -> dict[str, Any]:
    shown, reads = _read(reader)
    page = {section: copy.deepcopy(_section(section, reads)) for section in shown}
    return page | {"shortcut_buttons": copy.deepcopy(reader.config["dashboard"]["shortcut_buttons"])}


def dashboard_sections(reader: Reader) -> tuple[list[str], dict[str, Read]]:
    """The sections shown and the parts read for them (for the JSON answer, which reuses what is cached)."""
    return _read(reader)


def section_values(section: str, reads: dict[str, Read]) -> dict[str, Any]:
    """One section of the page from its parts (shared with the cache: never to be changed)."""
    return _section(section, reads)


def _read(reader: Reader) -> tuple[list[str], dict[str, Read]]:
    shown = visibility.dashboard_sections(reader.config, customer_status=reader.customer_status)
    wanted = {part for section in shown for part in SECTION_PARTS[section]}
    parts = [part for part in PARTS if part.name in wanted]
    return shown, reader.read_parts(parts) if parts else {}


def _section(section: str, reads: dict[str, Read]) -> dict[str, Any]:
    if section == "messages":
        latest, unread = reads["latest_messages"], reads["unread"]
        if not (latest.available and unread.available):
            return unavailable()
        return {
            "status": OK,
            "unread": unread.sections["unread"]["unread"],
            "items": latest.sections["latest_messages"]["items"],
        }
    [part] = SECTION_PARTS[section]
    return reads[part].sections[section]


def _summary(reader: Reader) -> Sections:
    found = reader.get(reader.upstreams.billing, "/summary")
    return {section: _picked(found, names) for section, names in SUMMARY_SECTIONS.items()}


def _unpaid_invoices(reader: Reader) -> Sections:
    unpaid = {"status": list(UNPAID_STATUSES), "limit": LATEST}
    return {"unpaid_invoices": {"items": reader.get(reader.upstreams.billing, "/invoices", unpaid)["items"]}}


def _services(reader: Reader) -> Sections:
    found = reader.get(reader.upstreams.billing, "/services", {"limit": 50})["items"]
    return {"services": {"items": [shown_service(s) for s in found if s["status"] != "stopped"]}}


def _cap_fup(reader: Reader) -> Sections:
    return {"cap_fup": {"items": reader.get(reader.upstreams.billing, "/usage")}}


def _tickets(reader: Reader) -> Sections:
    columns = visibility.ticket_columns(reader.config)
    active = {"status": list(ACTIVE_TICKET_STATUSES), "limit": LATEST, "sort": "-updated"}
    found = reader.get(reader.upstreams.ticketing, "/tickets", active)["items"]
    return {"tickets": {"columns": columns, "items": [visibility.ticket_row(t, columns) for t in found]}}


def _latest_messages(reader: Reader) -> Sections:
    found = reader.get(reader.upstreams.notifications, "/messages", {"limit": LATEST_MESSAGES})["items"]
    return {"latest_messages": {"items": found}}


def _unread(reader: Reader) -> Sections:
    return {"unread": reader.get(reader.upstreams.notifications, "/messages/unread-count")}


def _news(reader: Reader) -> Sections:
    return {"news": {"items": reader.get(reader.upstreams.notifications, "/news", {"limit": LATEST_NEWS})["items"]}}


def _picked(summary: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: summary[name] for name in names if name in summary}


def _summary_max_age(ages: MaxAges, sections: Sections, now: float) -> float:
    """Days left change with the day (UTC, as billing counts them); every other change has its event
    (a prepaid day's charge: billing.account.charged)."""
    moment = datetime.fromtimestamp(now, UTC)
    tomorrow = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), UTC)
    return min(ages.events, (tomorrow - moment).total_seconds())


def _news_max_age(ages: MaxAges, sections: Sections, now: float) -> float:
    """Until the first of the news shown expires (the next one then shows), at most the events' age."""
    until = [_seconds_until(item.get("expires_at"), now) for item in sections["news"]["items"]]
    return min([ages.events, *(u for u in until if u is not None)])


def _seconds_until(moment: str | None, now: float) -> float | None:
    if not moment:
        return None
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        return 0.0  # not understood: read again next time
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp() - now


PARTS = (
    Part("summary", "billing", tuple(SUMMARY_SECTIONS), _summary, max_age=_summary_max_age),
    Part("unpaid_invoices", "billing", ("unpaid_invoices",), _unpaid_invoices),
    Part("services", "billing", ("services",), _services),
    Part("cap_fup", "billing", ("cap_fup",), _cap_fup, max_age=live),
    Part("tickets", "ticketing", ("tickets",), _tickets, key=lambda reader: tuple(reader.config["tickets"]["columns"])),
    Part("latest_messages", "notifications", ("latest_messages",), _latest_messages),
    Part("unread", "notifications", ("unread",), _unread),
    Part("news", "notifications", ("news",), _news, max_age=_news_max_age, key=lambda r: (r.partner_id,), shared=NEWS),
)

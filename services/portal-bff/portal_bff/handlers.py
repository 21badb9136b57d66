"""The events the portal-bff handles, listed in one place: `handlers(settings)`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from portal_bff import accounts, events, freshness
from portico.events import Event
from portico.events.consumer import Handler
from portico.settings import Settings


def provision_on_customer_created(
    session: Session, event: Event, *, public_url: str, ttl: timedelta, now: datetime
) -> None:
    accounts.provision_account(session, event.data, now=now, public_url=public_url, ttl=ttl)


def update_on_customer_updated(session: Session, event: Event, *, now: datetime) -> None:
    accounts.apply_customer_update(session, event.data, now=now)
    freshness.changed(session, event.data["id"], ["billing"])


def customers_data_changed(upstream: str) -> Handler:
    """A handler moving on the version of the customer's data in `upstream` (its pages read it again)."""

    def handle(session: Session, event: Event) -> None:
        customer_id = event.data.get("customer_id", event.data.get("id"))
        freshness.changed(session, int(customer_id), [upstream])

    return handle


def everyones_data_changed(shared: str) -> Handler:
    """A handler moving on a shared version (every customer's pages read the news again)."""

    def handle(session: Session, event: Event) -> None:
        freshness.changed_for_everyone(session, [shared])

    return handle


def handlers(settings: Settings) -> dict[str, Handler]:
    """Every subscription of the portal-bff, with the settings its handlers need bound in."""
    public_url = settings.public_url.rstrip("/")
    ttl = timedelta(hours=settings.get_int("set_password_ttl_hours", 72))

    def on_customer_created(session: Session, event: Event) -> None:
        provision_on_customer_created(session, event, public_url=public_url, ttl=ttl, now=datetime.now(UTC))

    def on_customer_updated(session: Session, event: Event) -> None:
        update_on_customer_updated(session, event, now=datetime.now(UTC))

    registered: dict[str, Handler] = {
        events.CUSTOMER_CREATED: on_customer_created,
        events.CUSTOMER_UPDATED: on_customer_updated,
    }
    for upstream, types in events.CHANGES_OF_CUSTOMERS.items():
        registered |= dict.fromkeys(types, customers_data_changed(upstream))
    for shared, types in events.CHANGES_OF_EVERYONE.items():
        registered |= dict.fromkeys(types, everyones_data_changed(shared))
    return registered

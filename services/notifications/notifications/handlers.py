"""The events notifications handles, registered in one list."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy.orm import Session

from notifications import customers, events, welcome
from notifications.clock import Clock, utc_now
from portico.events import Event
from portico.events.consumer import Handler, RetryLater


def on_customer_changed(session: Session, event: Event) -> None:
    """Keep the customer replica at the newest revision; older snapshots change nothing."""
    customers.replicate_customer(session, event.data)


def on_account_provisioned(session: Session, event: Event, *, clock: Clock = utc_now) -> None:
    """Welcome the customer; if billing's snapshot has not arrived yet, try again later."""
    customer_id = event.data["customer_id"]
    customer = customers.find_customer(session, customer_id)
    if customer is None:
        raise RetryLater(f"customer {customer_id} is not in the replica yet")
    account = welcome.ProvisionedAccount(
        customer_id=customer_id,
        login=event.data["login"],
        set_password_url=event.data["set_password_url"],
        expires_at=datetime.fromisoformat(event.data["expires_at"]),
    )
    welcome.welcome_customer(session, customer, account, now=clock(), event_id=event.id)


def build_handlers(clock: Clock = utc_now) -> dict[str, Handler]:
    """Every event type notifications subscribes to, with its handler."""
    return {
        events.CUSTOMER_CREATED: on_customer_changed,
        events.CUSTOMER_UPDATED: on_customer_changed,
        events.ACCOUNT_PROVISIONED: partial(on_account_provisioned, clock=clock),
    }


HANDLERS: dict[str, Handler] = build_handlers()

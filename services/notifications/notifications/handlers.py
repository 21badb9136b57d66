"""The events notifications handles, registered in one list: one function per event type.

Each tells the customer through `notify` in the consumer's transaction (inbox row, portal
message and queued deliveries commit together), so a redelivered event sends nothing
twice. A customer not yet in the replica is waited for (RetryLater).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy.orm import Session

from notifications import (
    SERVICE,
    billing_notices,
    customers,
    document_notices,
    events,
    ticket_notices,
    welcome,
)
from notifications.clock import Clock, utc_now
from notifications.config import NotificationConfig
from notifications.models import Customer
from portico.events import Event
from portico.events.consumer import Handler, RetryLater
from portico.settings import load_settings


def replicated_customer(session: Session, customer_id: int) -> Customer:
    """The customer from the replica; if billing's snapshot has not arrived yet, try again later."""
    # The replica is written by Core upserts, never pending in the session: reading it need not
    # flush the messages and deliveries of the batch's earlier events one event at a time.
    with session.no_autoflush:
        customer = customers.find_customer(session, customer_id)
    if customer is None:
        raise RetryLater(f"customer {customer_id} is not in the replica yet")
    return customer


def on_customer_changed(session: Session, event: Event) -> None:
    """Keep the customer replica at the newest revision; older snapshots change nothing."""
    customers.replicate_customer(session, event.data)


def on_account_provisioned(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    account = welcome.ProvisionedAccount(
        customer_id=customer.id,
        login=event.data["login"],
        set_password_url=event.data["set_password_url"],
        expires_at=datetime.fromisoformat(event.data["expires_at"]),
    )
    welcome.welcome_customer(session, customer, account, config=config, now=clock(), event_id=event.id)


def on_password_reset_requested(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    welcome.password_reset(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_invoice_issued(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    billing_notices.invoice_issued(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_payment_received(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    billing_notices.payment_received(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_invoice_overdue(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    billing_notices.invoice_overdue(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_account_changed(
    session: Session, event: Event, *, template: str, config: NotificationConfig, clock: Clock
) -> None:
    """Suspension scheduled, account blocked, account unblocked (the template says which)."""
    customer = replicated_customer(session, event.data["customer_id"])
    billing_notices.account_changed(
        session, customer, template, event.data, config=config, now=clock(), event_id=event.id
    )


def on_usage_threshold_reached(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    billing_notices.usage_threshold(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_ticket_created(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    customer = replicated_customer(session, event.data["customer_id"])
    ticket_notices.ticket_created(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_comment_added(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    """Only an operator's public reply is news to the customer."""
    if not ticket_notices.is_operator_reply(event.data):
        return
    customer = replicated_customer(session, event.data["customer_id"])
    ticket_notices.operator_replied(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_ticket_status_changed(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    if not ticket_notices.is_news_to_the_customer(event.data):
        return
    customer = replicated_customer(session, event.data["customer_id"])
    ticket_notices.status_changed(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def on_document_published(session: Session, event: Event, *, config: NotificationConfig, clock: Clock) -> None:
    if not document_notices.is_news_to_the_customer(event.data):
        return
    customer = replicated_customer(session, event.data["customer_id"])
    document_notices.document_published(session, customer, event.data, config=config, now=clock(), event_id=event.id)


def build_handlers(config: NotificationConfig | None = None, clock: Clock = utc_now) -> dict[str, Handler]:
    """Every event type notifications subscribes to, with its handler."""
    config = config or NotificationConfig.from_settings(load_settings(SERVICE))
    bound = {"config": config, "clock": clock}
    return {
        events.CUSTOMER_CREATED: on_customer_changed,
        events.CUSTOMER_UPDATED: on_customer_changed,
        events.ACCOUNT_PROVISIONED: partial(on_account_provisioned, **bound),
        events.PASSWORD_RESET_REQUESTED: partial(on_password_reset_requested, **bound),
        events.INVOICE_ISSUED: partial(on_invoice_issued, **bound),
        events.PAYMENT_RECEIVED: partial(on_payment_received, **bound),
        events.INVOICE_OVERDUE: partial(on_invoice_overdue, **bound),
        events.SUSPENSION_SCHEDULED: partial(on_account_changed, template="suspension_scheduled", **bound),
        events.ACCOUNT_BLOCKED: partial(on_account_changed, template="account_blocked", **bound),
        events.ACCOUNT_UNBLOCKED: partial(on_account_changed, template="account_unblocked", **bound),
        events.USAGE_THRESHOLD_REACHED: partial(on_usage_threshold_reached, **bound),
        events.TICKET_CREATED: partial(on_ticket_created, **bound),
        events.COMMENT_ADDED: partial(on_comment_added, **bound),
        events.TICKET_STATUS_CHANGED: partial(on_ticket_status_changed, **bound),
        events.DOCUMENT_PUBLISHED: partial(on_document_published, **bound),
    }


HANDLERS: dict[str, Handler] = build_handlers()

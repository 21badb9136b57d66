"""The welcome a new portal account gets (a set-password email to each address, and a portal
message), the password-reset email, and the welcome sent again by an operator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from notifications.catalogue import TemplateChannel
from notifications.clock import as_utc
from notifications.config import NotificationConfig
from notifications.formatting import moment
from notifications.models import Customer, PortalAccount
from notifications.notify import Notified, event_channels, notify

TEMPLATE = "welcome"
FIRST_WELCOME = (TemplateChannel.EMAIL, TemplateChannel.PORTAL)


@dataclass(frozen=True)
class ProvisionedAccount:
    customer_id: int
    login: str
    set_password_url: str
    expires_at: datetime


def remember_account(session: Session, account: ProvisionedAccount) -> None:
    """Keep the newest link, so that a welcome sent again carries it while it works."""
    row = session.get(PortalAccount, account.customer_id)
    if row is None:
        row = PortalAccount(customer_id=account.customer_id)
        session.add(row)
    row.login, row.set_password_url, row.expires_at = account.login, account.set_password_url, account.expires_at


def welcome_customer(
    session: Session,
    customer: Customer,
    account: ProvisionedAccount,
    *,
    config: NotificationConfig,
    now: datetime,
    event_id: str | None = None,
) -> Notified:
    """Queue the welcome email to every address of the customer and post the welcome message."""
    remember_account(session, account)
    variables = {
        "login": account.login,
        "set_password_url": account.set_password_url,
        "expires_at": moment(account.expires_at),
    }
    return notify(
        session, customer, TEMPLATE, variables, channels=FIRST_WELCOME, config=config, now=now, event_id=event_id
    )


def welcome_again(
    session: Session, customer: Customer, channels: list[str], *, config: NotificationConfig, now: datetime
) -> Notified:
    """The welcome once more, by email and/or SMS: with the set-password link while it still works,
    else pointing to the portal's sign-in (the link is single-use and the BFF alone can issue one)."""
    account = session.get(PortalAccount, customer.id)
    link_works = account is not None and as_utc(account.expires_at) > now
    variables = {
        "login": account.login if account is not None else customer.login,
        "set_password_url": account.set_password_url if link_works else None,
        "expires_at": moment(account.expires_at) if link_works else None,
    }
    return notify(session, customer, TEMPLATE, variables, channels=channels, config=config, now=now, required=True)


def password_reset(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    """The reset link, to every address of the customer (and by SMS where configured)."""
    variables = {"login": data["login"], "reset_url": data["reset_url"], "expires_at": moment(data["expires_at"])}
    return notify(
        session,
        customer,
        "password_reset",
        variables,
        channels=event_channels("password_reset", config, portal=False),
        config=config,
        now=now,
        event_id=event_id,
    )

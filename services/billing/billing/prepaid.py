"""Prepaid customers: each day of active service is charged to the balance the next run.

A day's charge is its share of the month's price including tax (cumulative rounding, so a
whole month adds up to the monthly price); the remaining days are what the balance covers at
today's daily cost. Each day is charged once, by the run for that date, and only while the
account is Active: the days of a blocked prepaid account are not charged. A missed run is
made good by running its date. Each charge publishes `billing.account.charged`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import events, ledger
from billing.cycles import cycle_containing, share
from billing.finance_models import EntryKind, LedgerEntry, LineKind
from billing.models import ServiceStatus
from billing.moments import utc_text
from billing.money import ZERO, amount_text
from billing.pricing import Line
from billing.run_accounts import Account


def _key(customer_id: int, day: date) -> str:
    return f"prepaid:{customer_id}:{day.isoformat()}"


def daily_cost_of(services: Iterable[Any], vat_rate: Decimal, billing_day: int, day: date) -> Decimal:
    """What `day` of the Active `services` (rows or objects with their columns) costs, tax included."""
    cycle = cycle_containing(billing_day, day)
    cost = ZERO
    for service in services:
        if service.status != ServiceStatus.ACTIVE or service.start_date > day:
            continue
        if service.end_date is not None and service.end_date < day:
            continue
        monthly = Line(
            kind=LineKind.SERVICE,
            description=service.description,
            quantity=Decimal(service.quantity),
            unit_price=service.price,
            discount_percent=service.discount_percent,
            tax_rate=vat_rate,
        ).total
        cost += share(monthly, cycle, day, day)
    return cost


def charge_day(session: Session, account: Account, day: date, *, now: datetime) -> bool:
    """Charge `day` unless it is charged already or costs nothing; whether it was charged now."""
    customer = account.customer
    key = _key(customer.id, day)
    if session.scalar(select(LedgerEntry.id).where(LedgerEntry.entry_key == key)) is not None:
        return False
    cost = daily_cost_of(account.services, account.partner.vat_rate, customer.billing_day, day)
    if cost <= 0:
        return False
    ledger.post(
        session,
        customer.id,
        EntryKind.PREPAID_CHARGE,
        -cost,
        on=day,
        now=now,
        description=f"Services on {day.isoformat()}",
        key=key,
    )
    account.balance -= cost
    data = {
        "customer_id": customer.id,
        "partner_id": customer.partner_id,
        "currency": account.partner.currency,
        "day": day.isoformat(),
        "amount": amount_text(cost),
        "balance": amount_text(account.balance),
        "charged_at": utc_text(now),
    }
    events.publish(session, events.ACCOUNT_CHARGED, data, aggregate_type="customer", aggregate_id=customer.id)
    return True

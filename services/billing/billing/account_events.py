"""What `billing.account.*` events carry: the account's standing when it was scheduled, blocked or unblocked."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from billing import allocation, events, ledger
from billing.models import Customer, Partner
from billing.money import amount_text


def publish(session: Session, event_type: str, customer: Customer, **extra: Any) -> None:
    partner = session.get(Partner, customer.partner_id)
    assert partner is not None
    data = {
        "customer_id": customer.id,
        "partner_id": customer.partner_id,
        "currency": partner.currency,
        "balance": amount_text(ledger.balance(session, customer.id)),
        "minimum_balance": amount_text(customer.minimum_balance),
        "amount_due": amount_text(allocation.total_due(session, customer.id)),
    } | extra
    events.publish(session, event_type, data, aggregate_type="customer", aggregate_id=customer.id)

"""The daily run: `python -m billing.cli run --date YYYY-MM-DD` (or POST /admin/v1/billing-runs).

For each Active or Blocked customer, in id order and batches of one transaction each: the
recurring invoice of the cycle starting that day (prepaid and Active: the day's charge), then
overdue invoices and dunning; then autopay charges the saved payment method of each opted-in
customer once per new invoice (billing/autopay.py). Each customer is locked while billed and every effect is keyed (one
invoice per cycle, one charge per prepaid day, overdue once, one blocking date per debt), so
running a date twice, or two runs at once, changes nothing the second time. A customer whose
billing fails is rolled back alone, logged, and counted; the run goes on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import autopay, dunning, prepaid, recurring
from billing.activity import SYSTEM
from billing.finance_models import BillingRun, InvoiceStatus
from billing.models import BillingType, Customer, CustomerStatus
from billing.run_accounts import Account, load_accounts
from portico.db import Database

log = logging.getLogger(__name__)
BATCH = 200
BILLED_STATUSES = (CustomerStatus.ACTIVE, CustomerStatus.BLOCKED)


@dataclass
class Counts:
    customers: int = 0
    invoices_issued: int = 0
    prepaid_charges: int = 0
    invoices_overdue: int = 0
    suspensions_scheduled: int = 0
    blocked: int = 0
    unblocked: int = 0
    failed: int = 0


def bill_account(session: Session, account: Account, counts: Counts, *, on: date, now: datetime, actor: str) -> None:
    customer = account.customer
    if customer.billing_type == BillingType.PREPAID:
        if customer.status == CustomerStatus.ACTIVE and prepaid.charge_day(session, account, on, now=now):
            counts.prepaid_charges += 1
    elif recurring.issue_recurring_invoice(session, account, on=on, now=now, actor=actor) is not None:
        counts.invoices_issued += 1
    counts.invoices_overdue += dunning.mark_overdue(session, account.open_invoices, on=on)
    overdue = [i.due_on for i in account.open_invoices if i.status == InvoiceStatus.OVERDUE and i.due_on]
    done = dunning.review(
        session,
        customer,
        on=on,
        now=now,
        actor=actor,
        balance=account.balance,
        oldest_overdue=min(overdue, default=None),
    )
    if done == "scheduled":
        counts.suspensions_scheduled += 1
    elif done == "blocked":
        counts.blocked += 1
    elif done == "unblocked":
        counts.unblocked += 1


def run_billing(db: Database, *, on: date, now: datetime, actor: str = SYSTEM, batch: int = BATCH) -> BillingRun:
    """Bill every customer for `on`; the run's record with what it did."""
    with db.reading() as session:
        ids = list(
            session.scalars(select(Customer.id).where(Customer.status.in_(BILLED_STATUSES)).order_by(Customer.id))
        )
    counts = Counts()
    for start in range(0, len(ids), batch):
        with db.transaction() as session:
            for account in load_accounts(session, ids[start : start + batch], on, BILLED_STATUSES):
                _bill_one(session, account, counts, on=on, now=now, actor=actor)
    autopay.charge_with_configured_gateways(db, on=on, now=now)
    with db.transaction() as session:
        run = BillingRun(run_date=on, started_at=now, finished_at=datetime.now(now.tzinfo), actor=actor)
        for field in fields(Counts):
            setattr(run, field.name, getattr(counts, field.name))
        session.add(run)
        session.flush()
        session.expunge(run)
    log.info("billing run for %s: %s", on.isoformat(), counts)
    return run


def _bill_one(session: Session, account: Account, counts: Counts, *, on: date, now: datetime, actor: str) -> None:
    try:
        with session.begin_nested():
            bill_account(session, account, counts, on=on, now=now, actor=actor)
            counts.customers += 1
    except Exception:
        counts.failed += 1
        log.exception("billing customer %s for %s failed", account.customer.id, on.isoformat())

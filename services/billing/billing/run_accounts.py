"""What the daily run needs of each customer, read for a whole batch in a few queries.

The run bills customers in batches; reading each customer's services, devices, balance and
open invoices one query at a time would cost most of the run. `load_accounts` locks the
batch's customers (in id order, so concurrent runs queue instead of deadlocking) and reads
the rest with one query per table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from billing import ledger
from billing.cycles import Cycle, cycle_containing
from billing.finance_models import DocumentType, Invoice, InvoiceStatus
from billing.models import (
    Customer,
    CustomerService,
    Hardware,
    HardwareOwnership,
    HardwareStatus,
    Partner,
    PlanKind,
    VoiceDay,
)
from billing.money import ZERO


@dataclass
class Account:
    customer: Customer
    partner: Partner
    cycle: Cycle
    cycle_invoiced: bool
    balance: Decimal
    services: list[CustomerService] = field(default_factory=list)
    devices: list[Hardware] = field(default_factory=list)
    open_invoices: list[Invoice] = field(default_factory=list)
    # Call minutes of each voice service in the cycle before `cycle` (charged in arrears).
    voice_minutes: dict[int, int] = field(default_factory=dict)

    @property
    def due(self) -> Decimal:
        return sum((invoice.amount_due for invoice in self.open_invoices), ZERO)


def load_accounts(session: Session, customer_ids: Sequence[int], on: date, statuses: Sequence[str]) -> list[Account]:
    # The contact fields are read only if the run changes the customer (blocking publishes them).
    contacts = (Customer.emails, Customer.billing_emails, Customer.phones, Customer.additional, Customer.search_text)
    customers = session.scalars(
        select(Customer)
        .options(*(defer(column) for column in contacts))
        .where(Customer.id.in_(customer_ids), Customer.status.in_(statuses))
        .order_by(Customer.id)
        .with_for_update()
    ).all()
    if not customers:
        return []
    ids = [customer.id for customer in customers]
    partners = {partner.id: partner for partner in session.scalars(select(Partner))}
    balances = ledger.balances(session, ids)
    cycles = {customer.id: cycle_containing(customer.billing_day, on) for customer in customers}
    invoiced = {
        (customer_id, cycle_start)
        for customer_id, cycle_start in session.execute(
            select(Invoice.customer_id, Invoice.cycle_start).where(
                Invoice.customer_id.in_(ids), Invoice.cycle_start.in_({c.start for c in cycles.values()})
            )
        )
    }
    accounts = {
        customer.id: Account(
            customer=customer,
            partner=partners[customer.partner_id],
            cycle=cycles[customer.id],
            cycle_invoiced=(customer.id, cycles[customer.id].start) in invoiced,
            balance=balances[customer.id],
        )
        for customer in customers
    }
    for service in session.scalars(
        select(CustomerService).where(CustomerService.customer_id.in_(ids)).order_by(CustomerService.id)
    ):
        accounts[service.customer_id].services.append(service)
    for device in session.scalars(
        select(Hardware)
        .where(
            Hardware.customer_id.in_(ids),
            Hardware.status == HardwareStatus.ACTIVE,
            Hardware.ownership.in_(HardwareOwnership.PRICED),
            Hardware.price.is_not(None),
        )
        .order_by(Hardware.id)
    ):
        accounts[device.customer_id].devices.append(device)
    for invoice in session.scalars(
        select(Invoice)
        .where(
            Invoice.customer_id.in_(ids),
            Invoice.document_type == DocumentType.INVOICE,
            Invoice.status.in_(InvoiceStatus.OPEN),
        )
        .order_by(Invoice.due_on, Invoice.id)
        .with_for_update()
    ):
        accounts[invoice.customer_id].open_invoices.append(invoice)
    _load_voice_minutes(session, accounts)
    return list(accounts.values())


def _load_voice_minutes(session: Session, accounts: dict[int, Account]) -> None:
    windows = {
        service.id: (account, account.cycle.previous())
        for account in accounts.values()
        for service in account.services
        if service.plan.kind == PlanKind.VOICE
    }
    if not windows:
        return
    earliest = min(cycle.start for _, cycle in windows.values())
    minutes: dict[int, int] = defaultdict(int)
    rows = session.execute(
        select(VoiceDay.service_id, VoiceDay.day, VoiceDay.minutes).where(
            VoiceDay.service_id.in_(windows), VoiceDay.day >= earliest
        )
    )
    for service_id, day, count in rows:
        cycle = windows[service_id][1]
        if cycle.start <= day <= cycle.end:
            minutes[service_id] += count
    for service_id, (account, _) in windows.items():
        account.voice_minutes[service_id] = minutes[service_id]

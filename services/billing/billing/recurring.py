"""Recurring invoices: one per customer and billing cycle, issued on its first day, in advance.

A service (or rented device) is charged from the day after it was last invoiced (or its start)
to the end of the cycle or its end date, split at cycle boundaries, so a service that started
in the previous cycle gets that part prorated on this invoice beside the full current cycle.
Voice calls beyond a plan's included minutes are charged for the previous cycle (in arrears).
A paused service is not charged for the cycles it is paused at the start of.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from billing import invoicing
from billing.cycles import Cycle, cycle_containing, share
from billing.finance_models import DocumentType, Invoice, LineKind
from billing.models import CustomerService, HardwareOwnership, ServiceStatus
from billing.money import ZERO, round_money
from billing.pricing import Line
from billing.run_accounts import Account

ONE = Decimal(1)


def _spans(first: date, last: date, billing_day: int) -> Iterator[tuple[Cycle, date, date]]:
    """(cycle, from, to) for each cycle the days `first`..`last` touch."""
    day = first
    while day <= last:
        cycle = cycle_containing(billing_day, day)
        yield cycle, day, min(last, cycle.end)
        day = cycle.end + timedelta(days=1)


def _period_lines(
    description: str, price: Decimal, first: date, last: date, billing_day: int, **line: object
) -> list[Line]:
    lines = []
    for cycle, start, end in _spans(first, last, billing_day):
        whole = (start, end) == (cycle.start, cycle.end)
        lines.append(
            Line(
                description=f"{description}, {start:%Y-%m-%d} to {end:%Y-%m-%d}",
                unit_price=price if whole else share(price, cycle, start, end),
                unit="month",
                period_start=start,
                period_end=end,
                prorated=not whole,
                **line,  # type: ignore[arg-type]
            )
        )
    return lines


def _first_unbilled(billed_until: date | None, start: date, cycle: Cycle) -> date:
    # Never reach back past the previous cycle: older history was billed before this system.
    first = billed_until + timedelta(days=1) if billed_until else start
    return max(first, cycle.previous().start)


def service_lines(account: Account, tax_rate: Decimal) -> list[Line]:
    lines: list[Line] = []
    cycle, billing_day = account.cycle, account.customer.billing_day
    for service in account.services:
        if service.status == ServiceStatus.PAUSED:
            service.billed_until = max(service.billed_until or cycle.end, cycle.end)
            continue
        if service.status == ServiceStatus.STOPPED and service.end_date is None:
            continue
        first = _first_unbilled(service.billed_until, service.start_date, cycle)
        last = min(cycle.end, service.end_date or cycle.end)
        if first <= last:
            lines += _period_lines(
                service.description,
                service.price,
                first,
                last,
                billing_day,
                kind=LineKind.SERVICE,
                quantity=Decimal(service.quantity),
                discount_percent=service.discount_percent,
                tax_rate=tax_rate,
                service_id=service.id,
            )
            service.billed_until = last
        if service.id in account.voice_minutes:
            lines += _voice_overage(service, account.voice_minutes[service.id], cycle.previous(), tax_rate)
    return lines


def _voice_overage(service: CustomerService, minutes: int, cycle: Cycle, tax_rate: Decimal) -> list[Line]:
    plan = service.plan
    included = (plan.included_minutes or 0) * service.quantity
    over = minutes - included
    if not plan.per_minute_rate or over <= 0:
        return []
    cost = round_money(over * plan.per_minute_rate)
    if cost == ZERO:
        return []
    return [
        Line(
            kind=LineKind.USAGE,
            description=(
                f"{service.description}: {over} call minutes over the included {included} "
                f"at {plan.per_minute_rate}/min, {cycle.start:%Y-%m-%d} to {cycle.end:%Y-%m-%d}"
            ),
            quantity=ONE,
            unit_price=cost,
            tax_rate=tax_rate,
            service_id=service.id,
            period_start=cycle.start,
            period_end=cycle.end,
        )
    ]


def hardware_lines(account: Account, tax_rate: Decimal) -> list[Line]:
    lines: list[Line] = []
    cycle = account.cycle
    for device in account.devices:
        assert device.price is not None
        if device.ownership == HardwareOwnership.SOLD:
            if device.billed_until is None:
                lines.append(
                    Line(
                        kind=LineKind.HARDWARE,
                        description=f"{device.product_name} (sold)",
                        quantity=ONE,
                        unit="pcs",
                        unit_price=device.price,
                        tax_rate=tax_rate,
                        hardware_id=device.id,
                    )
                )
                device.billed_until = device.assigned_date
            continue
        first = _first_unbilled(device.billed_until, device.assigned_date, cycle)
        if first <= cycle.end:
            lines += _period_lines(
                f"{device.product_name} (rent)",
                device.price,
                first,
                cycle.end,
                account.customer.billing_day,
                kind=LineKind.HARDWARE,
                quantity=ONE,
                tax_rate=tax_rate,
                hardware_id=device.id,
            )
            device.billed_until = cycle.end
    return lines


def issue_recurring_invoice(
    session: Session, account: Account, *, on: date, now: datetime, actor: str
) -> Invoice | None:
    """The invoice of the account's cycle, unless it exists or there is nothing to charge."""
    if account.cycle_invoiced:
        return None
    tax_rate = account.partner.vat_rate
    lines = service_lines(account, tax_rate) + hardware_lines(account, tax_rate)
    if not lines:
        return None
    invoice = invoicing.issue(
        session,
        account.customer,
        lines,
        document_type=DocumentType.INVOICE,
        on=on,
        now=now,
        actor=actor,
        period=(account.cycle.start, account.cycle.end),
        cycle_start=account.cycle.start,
        credit=account.balance + account.due,
    )
    account.cycle_invoiced = True
    account.balance -= invoice.total
    if invoice.amount_due:
        account.open_invoices.append(invoice)
    return invoice

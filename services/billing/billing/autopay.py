"""Autopay: invoices issued while a customer has opted in are charged once to their default saved account.

`charge_issued_invoices` (called at the end of the daily run) finds the open invoices of
autopay customers issued since they opted in and not yet attempted. Each is claimed by
inserting its `autopay_charges` row (the invoice is the key) before the gateway is asked,
outside any database transaction; the result is recorded in a second transaction. So an
invoice is charged at most once however often the run, or this function, is repeated or
run at once: a declined charge is not tried again (the customer pays another way), and a
charge whose outcome is unknown is left for an operator rather than retried. The gateway is
also given a reference per invoice, so a gateway that deduplicates (the demo one does) would
not charge twice even if asked twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from billing import activity, payment_accounts, payments
from billing.customers import get_customer
from billing.errors import NoPaymentAccount
from billing.finance_models import DocumentType, Invoice, InvoiceStatus
from billing.gateway_models import AccountKind, AutopayCharge, AutopaySetting, AutopayStatus, PaymentAccount
from billing.gateways import configured_gateways
from billing.gateways.base import ChargeResult, PaymentGateway
from billing.upserts import insert_once
from portico.db import Database

log = logging.getLogger(__name__)
ACTOR = "autopay"
AUTOPAY_CHANGED = "autopay.changed"  # activity action
PAYMENT_METHODS = {AccountKind.CARD: "card", AccountKind.BANK_ACCOUNT: "direct_debit"}


@dataclass
class AutopayCounts:
    charged: int = 0
    failed: int = 0


def autopay_state(session: Session, customer_id: int) -> dict[str, Any]:
    get_customer(session, customer_id)
    setting = session.get(AutopaySetting, customer_id)
    enabled = setting is not None and setting.enabled
    return {
        "enabled": enabled,
        "enabled_at": setting.enabled_at if enabled and setting else None,
        "payment_account": payment_accounts.default_account(session, customer_id),
    }


def set_autopay(session: Session, customer_id: int, enabled: bool, *, now: datetime, actor: str) -> dict[str, Any]:
    """Opt in (with a saved account) or out; opting in again starts from `now`."""
    get_customer(session, customer_id, for_update=True)
    if enabled and payment_accounts.default_account(session, customer_id) is None:
        raise NoPaymentAccount("Save a card or bank account before turning on autopay.")
    setting = session.get(AutopaySetting, customer_id)
    was = setting is not None and setting.enabled
    if enabled == was:
        return autopay_state(session, customer_id)
    if setting is None:
        setting = AutopaySetting(customer_id=customer_id)
        session.add(setting)
    setting.enabled = enabled
    setting.enabled_at = now if enabled else None
    setting.updated_at = now
    change = {"field": "autopay", "old": was, "new": enabled}
    activity.record(session, customer_id, AUTOPAY_CHANGED, [change], actor=actor, at=now)
    return autopay_state(session, customer_id)


def charge_issued_invoices(
    db: Database, gateway: PaymentGateway, now: datetime, *, on: date | None = None
) -> AutopayCounts:
    """Charge every open invoice of autopay customers (saved at `gateway`) issued since they opted in, once."""
    counts = AutopayCounts()
    with db.reading() as session:
        invoice_ids = session.scalars(_uncharged(gateway.name)).all()
    for invoice_id in invoice_ids:
        try:
            result = _charge(db, gateway, invoice_id, now=now, on=on or now.date())
        except Exception:  # one customer's trouble never stops the others' (nor the daily run)
            log.exception("autopay of invoice %s failed", invoice_id)
            continue
        if result is not None:
            counts.charged += result.succeeded
            counts.failed += not result.succeeded
    if invoice_ids:
        log.info("autopay through %s: %s", gateway.name, counts)
    return counts


def _uncharged(gateway: str):
    has_account = (
        select(PaymentAccount.id)
        .where(
            PaymentAccount.customer_id == Invoice.customer_id,
            PaymentAccount.gateway == gateway,
            PaymentAccount.is_default.is_(True),
            PaymentAccount.removed_at.is_(None),
        )
        .exists()
    )
    return (
        select(Invoice.id)
        .join(AutopaySetting, AutopaySetting.customer_id == Invoice.customer_id)
        .where(
            AutopaySetting.enabled.is_(True),
            Invoice.issued_at >= AutopaySetting.enabled_at,
            Invoice.document_type == DocumentType.INVOICE,
            Invoice.status.in_(InvoiceStatus.OPEN),
            ~exists().where(AutopayCharge.invoice_id == Invoice.id),
            has_account,
        )
        .order_by(Invoice.id)
    )


def _charge(db: Database, gateway: PaymentGateway, invoice_id: int, *, now: datetime, on: date) -> ChargeResult | None:
    claimed = _claim(db, gateway.name, invoice_id, now=now)
    if claimed is None:
        return None
    token, amount, currency = claimed
    try:
        result = gateway.charge_saved_method(token, amount, currency, reference=f"autopay-invoice-{invoice_id}")
    except Exception:
        log.exception("autopay of invoice %s: the gateway did not answer", invoice_id)
        _finish(db, invoice_id, AutopayStatus.ERROR, now=now, reason="The gateway did not answer.")
        return None
    if not result.succeeded:
        _finish(db, invoice_id, AutopayStatus.FAILED, now=now, reason=result.failure_reason)
        return result
    try:
        with db.transaction() as session:
            _record_payment(session, invoice_id, result, now=now, on=on)
    except Exception:
        log.exception("autopay of invoice %s: charged (%s) but not recorded", invoice_id, result.transaction_id)
        reason = f"Charged ({result.transaction_id}) but the payment could not be recorded."
        _finish(db, invoice_id, AutopayStatus.ERROR, now=now, reason=reason, transaction_id=result.transaction_id)
        return None
    return result


def _claim(db: Database, gateway: str, invoice_id: int, *, now: datetime):
    """Insert the invoice's attempt row; (token, amount, currency) if this call made it."""
    with db.transaction() as session:
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        get_customer(session, invoice.customer_id, for_update=True)
        session.refresh(invoice)
        account = payment_accounts.default_account(session, invoice.customer_id, gateway)
        if invoice.status not in InvoiceStatus.OPEN or invoice.amount_due <= 0 or account is None:
            return None
        values = {
            "invoice_id": invoice.id,
            "customer_id": invoice.customer_id,
            "payment_account_id": account.id,
            "gateway": gateway,
            "amount": invoice.amount_due,
            "currency": invoice.currency,
            "status": AutopayStatus.PENDING,
            "attempted_at": now,
        }
        if not insert_once(session, AutopayCharge.__table__, values):
            return None
        return account.token, invoice.amount_due, invoice.currency


def _record_payment(session: Session, invoice_id: int, result: ChargeResult, *, now: datetime, on: date) -> None:
    charge = session.get(AutopayCharge, invoice_id, with_for_update=True)
    assert charge is not None
    get_customer(session, charge.customer_id, for_update=True)
    invoice = session.get(Invoice, invoice_id, populate_existing=True)
    assert invoice is not None
    account = session.get(PaymentAccount, charge.payment_account_id)
    payment = payments.record_payment(
        session,
        charge.customer_id,
        charge.amount,
        method=PAYMENT_METHODS.get(account.kind if account else AccountKind.CARD, "card"),
        on=on,
        now=now,
        actor=ACTOR,
        reference=result.transaction_id,
        note=f"Autopay of invoice {invoice.number}",
        # Paid meanwhile (a transfer arrived): the money goes to the oldest open invoice, or is credit.
        invoice_ids=[invoice.id] if invoice.status in InvoiceStatus.OPEN else None,
    )
    charge.status = AutopayStatus.SUCCEEDED
    charge.payment_id = payment.id
    charge.gateway_transaction_id = result.transaction_id
    charge.completed_at = now


def _finish(
    db: Database, invoice_id: int, status: str, *, now: datetime, reason: str | None, transaction_id: str | None = None
) -> None:
    with db.transaction() as session:
        charge = session.get(AutopayCharge, invoice_id, with_for_update=True)
        assert charge is not None
        charge.status = status
        charge.failure_reason = (reason or "")[:500] or None
        charge.gateway_transaction_id = transaction_id
        charge.completed_at = now


def charge_with_configured_gateways(db: Database, *, on: date, now: datetime) -> AutopayCounts:
    """What the daily run calls: autopay through every gateway the settings turn on."""
    total = AutopayCounts()
    for gateway in configured_gateways(db).values():
        counts = charge_issued_invoices(db, gateway, now, on=on)
        total.charged += counts.charged
        total.failed += counts.failed
    return total

"""Checkouts: the customer pays through a gateway's hosted page; its signed webhook records the payment once.

Paying chosen invoices, the total due, any amount, or topping up a prepaid balance ("Extend
service") are one thing with different amounts and invoices. A proforma invoice is paid on
its own and in full: the payment issues its invoice and pays it (payments.pay_proforma). A checkout is opened in three
steps so that no database lock is held while the gateway is asked: the row is written (and
its Idempotency-Key claimed), the gateway opens its page, the row learns the gateway's id.

A verified webhook names the gateway's checkout id: the checkout row is locked, and once it
is paid a redelivered or duplicate webhook changes nothing, so the payment is recorded through
payments.record_payment exactly once. A failed payment records no money.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import payment_accounts, payments, summary
from billing.customers import get_customer
from billing.errors import CheckoutNotFound, GatewayUnavailable, InvalidFields, InvalidWebhook, InvoiceNotFound
from billing.finance_models import DocumentType, Invoice, InvoiceStatus
from billing.gateway_models import CheckoutStatus, GatewayCheckout
from billing.gateways.base import FAILED, Checkout, PaymentGateway, WebhookEvent
from billing.key_claims import insert_claiming, same_request
from billing.models import Partner
from billing.money import ZERO
from portico.db import Database

DESCRIPTION_LENGTH = 200
PAYMENT_METHODS = {"card": "card", "bank_account": "direct_debit"}


@dataclass(frozen=True)
class CheckoutRequest:
    gateway: str
    amount: Decimal | None  # None: what the chosen invoices, or all open ones, have due
    invoice_ids: Sequence[int] = ()
    return_url: str | None = None
    save_method: bool = False


def get_checkout(session: Session, checkout_id: int, *, customer_id: int | None = None) -> GatewayCheckout:
    checkout = session.get(GatewayCheckout, checkout_id)
    if checkout is None or (customer_id is not None and checkout.customer_id != customer_id):
        raise CheckoutNotFound(f"No checkout {checkout_id}.")
    return checkout


def start_checkout(
    session: Session,
    customer_id: int,
    request: CheckoutRequest,
    *,
    today: date,
    now: datetime,
    key: str | None = None,
    request_hash: str | None = None,
) -> tuple[GatewayCheckout, bool]:
    """The checkout row, pending its gateway page; and whether an earlier request with `key` made it."""
    if key is not None:
        earlier = _by_key(session, customer_id, key)
        if earlier is not None:
            return same_request(earlier, request_hash), True
    customer = get_customer(session, customer_id)
    partner = session.get(Partner, customer.partner_id)
    assert partner is not None
    invoice_ids = sorted(set(request.invoice_ids))
    chosen = _chosen_invoices(session, customer_id, invoice_ids) if invoice_ids else []
    amount = request.amount
    if amount is None:
        due = sum((invoice.amount_due for invoice in chosen), ZERO)
        amount = due if chosen else Decimal(summary.account_summary(session, customer_id, today)["total_due"])
    if amount <= 0:
        raise InvalidFields({"amount": ["Nothing is due: give the amount to pay."]})
    proforma = _proforma_among(chosen)
    if proforma is not None and amount < proforma.total:
        raise InvalidFields({"amount": [f"A proforma invoice is paid in full: {proforma.total}."]})
    numbers = ", ".join(invoice.number for invoice in chosen)
    description = f"Payment of {numbers}" if chosen else f"Payment to account {customer.login}"
    checkout = GatewayCheckout(
        customer_id=customer_id,
        gateway=request.gateway,
        amount=amount,
        currency=partner.currency,
        invoice_ids=invoice_ids,
        description=description[:DESCRIPTION_LENGTH],
        return_url=request.return_url,
        save_method=request.save_method,
        status=CheckoutStatus.PENDING,
        idempotency_key=key,
        request_hash=request_hash,
        created_at=now,
    )
    if key is not None:
        earlier = insert_claiming(session, checkout, lambda: _by_key(session, customer_id, key))
        if earlier is not None:
            return same_request(earlier, request_hash), True
    else:
        session.add(checkout)
        session.flush()
    return checkout, False


def open_at_gateway(db: Database, gateway: PaymentGateway, checkout_id: int, *, now: datetime) -> GatewayCheckout:
    """Ask the gateway for the checkout's page and keep its id and URL (the checkout fails if it cannot)."""
    with db.reading() as session:
        checkout = get_checkout(session, checkout_id)
    try:
        opened: Checkout = gateway.create_checkout(
            checkout.amount,
            checkout.currency,
            checkout.description,
            checkout.return_url,
            reference(checkout),
            offer_to_save=checkout.save_method,
        )
    except Exception as error:
        with db.transaction() as session:
            failed = get_checkout(session, checkout_id)
            failed.status = CheckoutStatus.FAILED
            failed.failure_reason = f"The gateway did not open the checkout ({type(error).__name__})."
            failed.completed_at = now
        raise GatewayUnavailable(f"The {gateway.name} gateway did not open the checkout.") from error
    with db.transaction() as session:
        checkout = get_checkout(session, checkout_id)
        checkout.gateway_checkout_id = opened.id
        checkout.url = opened.url
        return checkout


def reference(checkout: GatewayCheckout) -> str:
    """What the gateway knows the checkout by on billing's side."""
    return f"checkout-{checkout.id}"


def receive_webhook(
    db: Database, gateway: PaymentGateway, headers: Mapping[str, str], body: bytes, *, now: datetime
) -> GatewayCheckout:
    """Verify a gateway's webhook and apply it (InvalidWebhook, and nothing written, when it does not verify)."""
    event = gateway.verify_webhook(headers, body)
    with db.transaction() as session:
        return apply_event(session, gateway.name, event, now=now)


def apply_event(session: Session, gateway_name: str, event: WebhookEvent, *, now: datetime) -> GatewayCheckout:
    checkout = session.scalars(
        select(GatewayCheckout)
        .where(GatewayCheckout.gateway == gateway_name, GatewayCheckout.gateway_checkout_id == event.checkout_id)
        .with_for_update()
    ).one_or_none()
    if checkout is None:
        raise CheckoutNotFound(f"No checkout {event.checkout_id} of gateway {gateway_name}.")
    if checkout.status == CheckoutStatus.PAID:
        return checkout  # delivered again: the payment is recorded already
    if event.currency != checkout.currency:
        raise InvalidWebhook(f"The checkout is in {checkout.currency}, the webhook in {event.currency}.")
    if event.status == FAILED:
        checkout.status = CheckoutStatus.FAILED
        checkout.failure_reason = (event.failure_reason or "The payment failed.")[:500]
        checkout.completed_at = now
        return checkout
    if event.amount <= 0:
        raise InvalidWebhook("A paid checkout needs a positive amount.")
    _record(session, checkout, event, now=now)
    return checkout


def _record(session: Session, checkout: GatewayCheckout, event: WebhookEvent, *, now: datetime) -> None:
    get_customer(session, checkout.customer_id, for_update=True)  # the customer first, as record_payment locks
    still_open = _still_open(session, checkout.customer_id, checkout.invoice_ids)
    method = PAYMENT_METHODS.get(event.method, "card")
    actor = f"gateway:{checkout.gateway}"
    proforma = _proforma_among([session.get(Invoice, invoice_id) for invoice_id in still_open])
    if proforma is not None and event.amount >= proforma.total:
        payment = payments.pay_proforma(
            session,
            proforma.id,
            event.amount,
            method=method,
            on=now.date(),
            now=now,
            actor=actor,
            reference=event.transaction_id,
        )
    else:
        payment = payments.record_payment(
            session,
            checkout.customer_id,
            event.amount,
            method=method,
            on=now.date(),
            now=now,
            actor=actor,
            reference=event.transaction_id,
            note=f"{checkout.gateway} checkout {event.checkout_id}",
            # chosen invoices paid meanwhile (or a proforma paid short): the oldest open ones, or credit
            invoice_ids=[i for i in still_open if proforma is None or i != proforma.id] or None,
        )
    checkout.status = CheckoutStatus.PAID
    checkout.payment_id = payment.id
    checkout.gateway_transaction_id = event.transaction_id
    checkout.failure_reason = None
    checkout.completed_at = now
    if event.saved_method is not None:
        actor = f"gateway:{checkout.gateway}"
        payment_accounts.save(session, checkout.customer_id, checkout.gateway, event.saved_method, now=now, actor=actor)


def _still_open(session: Session, customer_id: int, invoice_ids: Sequence[int]) -> list[int]:
    if not invoice_ids:
        return []
    return list(
        session.scalars(
            select(Invoice.id).where(
                Invoice.id.in_(invoice_ids),
                Invoice.customer_id == customer_id,
                Invoice.status.in_(InvoiceStatus.OPEN),
            )
        )
    )


def _proforma_among(documents: Sequence[Invoice | None]) -> Invoice | None:
    return next((d for d in documents if d is not None and d.document_type == DocumentType.PROFORMA), None)


def _chosen_invoices(session: Session, customer_id: int, invoice_ids: Sequence[int]) -> list[Invoice]:
    found = session.scalars(
        select(Invoice)
        .where(
            Invoice.id.in_(invoice_ids),
            Invoice.customer_id == customer_id,
            Invoice.document_type.in_((DocumentType.INVOICE, DocumentType.PROFORMA)),
        )
        .order_by(Invoice.due_on, Invoice.id)
    ).all()
    if _proforma_among(found) is not None and len(found) > 1:
        raise InvalidFields({"invoice_ids": ["A proforma invoice is paid on its own."]})
    missing = sorted(set(invoice_ids) - {invoice.id for invoice in found})
    if missing:
        raise InvoiceNotFound(f"No invoice {', '.join(map(str, missing))} of this customer.", ids=missing)
    closed = [invoice.number for invoice in found if invoice.status not in InvoiceStatus.OPEN]
    if closed:
        raise InvalidFields({"invoice_ids": [f"Nothing is due on {', '.join(closed)}."]})
    return list(found)


def _by_key(session: Session, customer_id: int, key: str) -> GatewayCheckout | None:
    return session.scalars(
        select(GatewayCheckout).where(
            GatewayCheckout.customer_id == customer_id, GatewayCheckout.idempotency_key == key
        )
    ).one_or_none()

"""What a customer is told about billing's events: invoices, payments, reminders, blocking, usage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications.config import NotificationConfig
from notifications.formatting import gigabytes, words
from notifications.models import Customer
from notifications.notify import Notified, event_channels, notify

INVOICE_FIELDS = (
    "number",
    "document_type",
    "revision",
    "currency",
    "net_total",
    "tax_total",
    "total",
    "amount_paid",
    "amount_due",
    "issued_on",
    "due_on",
    "period_start",
    "period_end",
    "payment_reference",
)
OVERDUE_FIELDS = ("number", "currency", "total", "amount_paid", "amount_due", "due_on")
ACCOUNT_FIELDS = ("currency", "balance", "minimum_balance", "amount_due")


def invoice_pdf(data: dict[str, Any]) -> dict[str, Any]:
    """The attachment an invoice email asks for: the PDF documents rendered of this revision."""
    kind = "credit_note" if data["document_type"] == "credit_note" else "invoice"
    return {
        "kind": kind,
        "number": data["number"],
        "version": data["revision"],
        "filename": f"{kind.replace('_', '-')}-{data['number']}.pdf",
    }


def invoice_issued(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    template = "invoice_issued"
    variables = {
        "invoice": {name: data[name] for name in INVOICE_FIELDS},
        "invoice_url": config.invoice_url(data["number"]),
    }
    return _notify(
        session,
        customer,
        template,
        variables,
        config=config,
        now=now,
        event_id=event_id,
        attachments=[invoice_pdf(data)],
    )


def payment_received(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    template = "payment_received"
    payment = {name: data[name] for name in ("number", "amount", "currency", "received_on", "reference")}
    payment |= {
        "method": words(data["method"]),
        "invoices": [allocation["invoice_number"] for allocation in data["allocations"]],
        "credit_amount": data["credit_amount"],
    }
    variables = {"payment": payment, "payments_url": config.payments_url}
    return _notify(session, customer, template, variables, config=config, now=now, event_id=event_id)


def invoice_overdue(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    template = "invoice_overdue"
    variables = {
        "invoice": {name: data[name] for name in OVERDUE_FIELDS},
        "invoice_url": config.invoice_url(data["number"]),
    }
    return _notify(session, customer, template, variables, config=config, now=now, event_id=event_id)


def account_changed(
    session: Session,
    customer: Customer,
    template: str,
    data: dict,
    *,
    config: NotificationConfig,
    now: datetime,
    event_id: str,
) -> Notified:
    """Suspension scheduled, account blocked or unblocked: the account's figures and what happens."""
    account = {name: data[name] for name in ACCOUNT_FIELDS}
    account |= {name: data[name] for name in ("blocking_on", "reason") if name in data}
    variables = {"account": account, "finance_url": config.finance_url}
    return _notify(session, customer, template, variables, config=config, now=now, event_id=event_id)


def usage_threshold(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    """80 %: a warning; 100 %: the limit is reached."""
    template = "usage_limit_reached" if data["percent"] >= 100 else "usage_warning"
    usage = {
        "service_id": data["service_id"],
        "period": data["period"],
        "percent": data["percent"],
        "used_gb": gigabytes(data["used_bytes"]),
        "limit_gb": gigabytes(data["limit_bytes"]),
        "bonus_gb": gigabytes(data.get("bonus_bytes", 0)),
        "limit_type": data.get("limit_type", "cap"),
    }
    variables = {"usage": usage, "services_url": config.services_url}
    return _notify(session, customer, template, variables, config=config, now=now, event_id=event_id)


def _notify(
    session: Session,
    customer: Customer,
    template: str,
    variables: dict,
    *,
    config: NotificationConfig,
    now: datetime,
    event_id: str,
    attachments: list[dict] | None = None,
) -> Notified:
    """Send a billing notice on the channels its template goes out on for events."""
    channels = event_channels(template, config)
    return notify(
        session,
        customer,
        template,
        variables,
        channels=channels,
        config=config,
        now=now,
        event_id=event_id,
        attachments=attachments,
    )

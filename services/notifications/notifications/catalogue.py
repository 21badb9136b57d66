"""Every template notifications ships: what it is for, its category, its channels and sample data.

A template has built-in texts per channel under `templates/<key>/` (see `template_sources`),
which a partner may override. `sample` is the data a preview renders, and what an override
is checked against before it is saved; it has every variable the real data has.

Categories decide who may opt out: `security`, `billing` and `service` messages always go;
`news` and `marketing` emails only to customers who have not opted out of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Category:
    SECURITY = "security"
    BILLING = "billing"
    SERVICE = "service"
    NEWS = "news"
    MARKETING = "marketing"
    OPTIONAL = (NEWS, MARKETING)
    ALL = (SECURITY, BILLING, SERVICE, NEWS, MARKETING)


class TemplateChannel:
    """Where a template's text goes: an email (subject, text, HTML), an SMS (text), a portal message (title, text)."""

    EMAIL = "email"
    SMS = "sms"
    PORTAL = "portal"
    ALL = (EMAIL, SMS, PORTAL)


# What every template sees, beside its own variables.
COMMON_SAMPLE: dict[str, Any] = {
    "customer_id": 7,
    "full_name": "Jane Doe",
    "login": "jane.doe",
    "portal_url": "https://portal.example",
}

ALL_CHANNELS = TemplateChannel.ALL
EMAIL_AND_SMS = (TemplateChannel.EMAIL, TemplateChannel.SMS)

_INVOICE = {
    "number": "INV-2026-0042",
    "document_type": "invoice",
    "revision": 1,
    "currency": "EUR",
    "net_total": "25.00",
    "tax_total": "5.00",
    "total": "30.00",
    "amount_paid": "0.00",
    "amount_due": "30.00",
    "issued_on": "2026-03-01",
    "due_on": "2026-03-15",
    "period_start": "2026-03-01",
    "period_end": "2026-03-31",
    "payment_reference": "RF18 0042",
}
_ACCOUNT = {
    "currency": "EUR",
    "balance": "-45.00",
    "minimum_balance": "-20.00",
    "amount_due": "45.00",
}
_USAGE = {
    "service_id": 12,
    "period": "2026-03",
    "percent": 80,
    "used_gb": "80.0",
    "limit_gb": "100.0",
    "bonus_gb": "0.0",
    "limit_type": "cap",
}
_TICKET = {
    "id": 31,
    "subject": "No internet since this morning",
    "status": "new",
    "priority": "high",
    "message": "The router's light is red.",
    "opened_by_operator": False,
}


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    name: str
    description: str
    category: str
    channels: tuple[str, ...]
    event_type: str | None = None
    sample: dict[str, Any] = field(default_factory=dict)

    def sample_context(self) -> dict[str, Any]:
        return COMMON_SAMPLE | self.sample


SPECS: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        "welcome",
        "Welcome",
        "A new portal account: the login and the link to set a password (also sent again by operators).",
        Category.SECURITY,
        ALL_CHANNELS,
        "portal.account.provisioned",
        {"set_password_url": "https://portal.example/set-password?token=abc", "expires_at": "2026-03-04 09:00 UTC"},
    ),
    TemplateSpec(
        "password_reset",
        "Password reset",
        "The link to choose a new portal password, asked for by the customer.",
        Category.SECURITY,
        EMAIL_AND_SMS,
        "portal.password_reset.requested",
        {"reset_url": "https://portal.example/reset-password?token=abc", "expires_at": "2026-03-01 10:00 UTC"},
    ),
    TemplateSpec(
        "invoice_issued",
        "Invoice issued",
        "A new invoice or credit note, with its PDF attached to the email.",
        Category.BILLING,
        ALL_CHANNELS,
        "billing.invoice.issued",
        {"invoice": _INVOICE, "invoice_url": "https://portal.example/finance/invoices/INV-2026-0042"},
    ),
    TemplateSpec(
        "payment_received",
        "Payment received",
        "Thanks for a payment, with the invoices it paid and any credit left.",
        Category.BILLING,
        ALL_CHANNELS,
        "billing.payment.received",
        {
            "payment": {
                "number": "RCPT-2026-0007",
                "amount": "30.00",
                "currency": "EUR",
                "received_on": "2026-03-10",
                "method": "bank transfer",
                "reference": "RF18 0042",
                "invoices": ["INV-2026-0042"],
                "credit_amount": "0.00",
            },
            "payments_url": "https://portal.example/finance/payments",
        },
    ),
    TemplateSpec(
        "invoice_overdue",
        "Invoice overdue",
        "A reminder that an invoice's due date has passed with some of it unpaid.",
        Category.BILLING,
        ALL_CHANNELS,
        "billing.invoice.overdue",
        {
            "invoice": {k: _INVOICE[k] for k in ("number", "currency", "total", "amount_paid", "amount_due", "due_on")},
            "invoice_url": "https://portal.example/finance/invoices/INV-2026-0042",
        },
    ),
    TemplateSpec(
        "suspension_scheduled",
        "Suspension scheduled",
        "The account will be blocked on a date unless what is due is paid.",
        Category.BILLING,
        ALL_CHANNELS,
        "billing.account.suspension_scheduled",
        {"account": _ACCOUNT | {"blocking_on": "2026-03-20"}, "finance_url": "https://portal.example/finance"},
    ),
    TemplateSpec(
        "account_blocked",
        "Account blocked",
        "The account was blocked, for debt or by an operator.",
        Category.BILLING,
        ALL_CHANNELS,
        "billing.account.blocked",
        {"account": _ACCOUNT | {"reason": "debt"}, "finance_url": "https://portal.example/finance"},
    ),
    TemplateSpec(
        "account_unblocked",
        "Account unblocked",
        "The account is active again.",
        Category.BILLING,
        ALL_CHANNELS,
        "billing.account.unblocked",
        {
            "account": _ACCOUNT | {"balance": "0.00", "amount_due": "0.00", "reason": "paid"},
            "finance_url": "https://portal.example/finance",
        },
    ),
    TemplateSpec(
        "usage_warning",
        "Usage at 80 %",
        "An internet service used 80 % of its plan's traffic limit this period.",
        Category.SERVICE,
        ALL_CHANNELS,
        "billing.usage.threshold_reached",
        {"usage": _USAGE, "services_url": "https://portal.example/services"},
    ),
    TemplateSpec(
        "usage_limit_reached",
        "Usage at 100 %",
        "An internet service reached its plan's traffic limit this period.",
        Category.SERVICE,
        ALL_CHANNELS,
        "billing.usage.threshold_reached",
        {"usage": _USAGE | {"percent": 100, "used_gb": "100.0"}, "services_url": "https://portal.example/services"},
    ),
    TemplateSpec(
        "ticket_created",
        "Ticket created",
        "The customer's copy of a new ticket (opened by them, or by an operator for them).",
        Category.SERVICE,
        EMAIL_AND_SMS,
        "ticketing.ticket.created",
        {"ticket": _TICKET, "ticket_url": "https://portal.example/tickets/31"},
    ),
    TemplateSpec(
        "ticket_created_support",
        "Ticket created (support mailbox)",
        "The support team's copy of a new ticket, to the support mailbox; replies go to the customer.",
        Category.SERVICE,
        (TemplateChannel.EMAIL,),
        "ticketing.ticket.created",
        {
            "ticket": _TICKET,
            "ticket_url": "https://portal.example/tickets/31",
            "customer_emails": ["jane@example.com"],
        },
    ),
    TemplateSpec(
        "ticket_reply",
        "Operator reply",
        "An operator answered the customer's ticket.",
        Category.SERVICE,
        EMAIL_AND_SMS,
        "ticketing.comment.added",
        {
            "ticket": {k: _TICKET[k] for k in ("id", "subject", "status", "priority")} | {"status": "open"},
            "reply": {"author": "alice", "body": "We have reset your line; please restart the router."},
            "ticket_url": "https://portal.example/tickets/31",
        },
    ),
    TemplateSpec(
        "ticket_status_changed",
        "Ticket status changed",
        "A ticket's status moved (e.g. resolved, closed).",
        Category.SERVICE,
        EMAIL_AND_SMS,
        "ticketing.ticket.status_changed",
        {
            "ticket": {k: _TICKET[k] for k in ("id", "subject", "priority")}
            | {"status": "resolved", "old_status": "open", "status_name": "Resolved", "old_status_name": "Open"},
            "ticket_url": "https://portal.example/tickets/31",
        },
    ),
    TemplateSpec(
        "document_published",
        "New document or contract",
        "A document or contract is available in the portal (a contract may ask to be accepted).",
        Category.SERVICE,
        ALL_CHANNELS,
        "documents.document.published",
        {
            "document": {
                "id": 5,
                "kind": "contract",
                "title": "Service agreement",
                "category": "Agreement",
                "filename": "agreement.pdf",
                "requires_acceptance": True,
            },
            "documents_url": "https://portal.example/documents",
        },
    ),
    TemplateSpec(
        "news",
        "News",
        "A news item emailed to the customers it is for, when it is published.",
        Category.NEWS,
        (TemplateChannel.EMAIL,),
        None,
        {
            "news": {"id": 3, "title": "New fibre area", "body": "Fibre now reaches the old town."},
            "news_url": "https://portal.example/news",
        },
    ),
    TemplateSpec(
        "message",
        "Message (free text)",
        "An operator's own message to one customer: `subject` and `body` as the operator typed them.",
        Category.SERVICE,
        ALL_CHANNELS,
        None,
        {"subject": "About your visit", "body": "Our technician comes on Monday between 9 and 12."},
    ),
    TemplateSpec(
        "planned_maintenance",
        "Planned maintenance",
        "An operator's notice of planned work: `starts_at`, `ends_at` and `details`.",
        Category.SERVICE,
        ALL_CHANNELS,
        None,
        {"starts_at": "2026-03-05 01:00", "ends_at": "2026-03-05 04:00", "details": "Core router upgrade."},
    ),
)

BY_KEY: dict[str, TemplateSpec] = {spec.key: spec for spec in SPECS}

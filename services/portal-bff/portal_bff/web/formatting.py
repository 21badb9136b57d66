"""How the pages write amounts, dates and statuses, in the customer's language (Jinja filters)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import format_currency, format_date, format_datetime, format_decimal, lazy_gettext

# What each upstream status is called on the pages, and the colour of its badge.
STATUS_LABELS = {
    "unpaid": (lazy_gettext("Unpaid"), "warning"),
    "partially_paid": (lazy_gettext("Partially paid"), "info"),
    "paid": (lazy_gettext("Paid"), "success"),
    "overdue": (lazy_gettext("Overdue"), "danger"),
    "cancelled": (lazy_gettext("Cancelled"), "secondary"),
    "active": (lazy_gettext("Active"), "success"),
    "paused": (lazy_gettext("Paused"), "warning"),
    "stopped": (lazy_gettext("Stopped"), "secondary"),
    "online": (lazy_gettext("Online"), "primary"),
    "new": (lazy_gettext("New"), "info"),
    "open": (lazy_gettext("Open"), "primary"),
    "waiting_on_customer": (lazy_gettext("Waiting for you"), "warning"),
    "resolved": (lazy_gettext("Resolved"), "success"),
    "closed": (lazy_gettext("Closed"), "secondary"),
    "pending": (lazy_gettext("Pending"), "warning"),
    "completed": (lazy_gettext("Completed"), "success"),
    "rejected": (lazy_gettext("Rejected"), "danger"),
    "rented": (lazy_gettext("Rented"), "info"),
    "sold": (lazy_gettext("Sold"), "secondary"),
}
PRIORITY_LABELS = {
    "low": lazy_gettext("Low"),
    "medium": lazy_gettext("Medium"),
    "high": lazy_gettext("High"),
    "urgent": lazy_gettext("Urgent"),
}
KIND_LABELS = {
    "invoice": lazy_gettext("Invoice"),
    "credit_note": lazy_gettext("Credit note"),
    "proforma": lazy_gettext("Proforma invoice"),
    "receipt": lazy_gettext("Receipt"),
    "internet": lazy_gettext("Internet"),
    "voice": lazy_gettext("Voice"),
    "custom": lazy_gettext("Other"),
}


def decimal_of(amount: object) -> Decimal | None:
    try:
        return Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None


def money(amount: object, currency: str | None = None) -> str:
    """ "12.50" → "€12.50" (or "12,50 €"), as the customer's language writes it; no sign ever."""
    value = decimal_of(amount)
    if value is None:
        return "—"
    value = abs(value)
    return format_currency(value, currency) if currency else format_decimal(value, format="#,##0.00")


def day(value: object) -> str:
    """An ISO date (or date-time) as the customer's language writes a date."""
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return format_date(value, format="medium")


def moment(value: object) -> str:
    """An ISO date-time as the customer's language writes it (in UTC)."""
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return format_datetime(value, format="short")


def size(value: object) -> str:
    """Bytes as KB, MB, GB (powers of 1000, as operators sell traffic)."""
    try:
        amount = float(value)  # only for display: never money
    except (TypeError, ValueError):
        return "—"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if amount < 1000 or unit == "TB":
            return f"{format_decimal(round(amount, 1))} {unit}"
        amount /= 1000
    return "—"


def status_label(status: object) -> str:
    label = STATUS_LABELS.get(str(status))
    return str(label[0]) if label else str(status or "—")


def status_colour(status: object) -> str:
    label = STATUS_LABELS.get(str(status))
    return label[1] if label else "secondary"


def priority_label(priority: object) -> str:
    return str(PRIORITY_LABELS.get(str(priority), priority or "—"))


def kind_label(kind: object) -> str:
    return str(KIND_LABELS.get(str(kind), kind or "—"))


FILTERS = {
    "money": money,
    "day": day,
    "moment": moment,
    "size": size,
    "status_label": status_label,
    "status_colour": status_colour,
    "priority_label": priority_label,
    "kind_label": kind_label,
}

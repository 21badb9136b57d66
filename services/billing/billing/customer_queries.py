"""Finding customers: the operators' list with its filters, text search, sort orders and cursor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from billing.errors import InvalidFields
from billing.models import Customer
from portico.pagination import Page, decode_cursor, encode_cursor

SORT_KEYS = {
    "id": Customer.id,
    "login": Customer.login,
    "full_name": Customer.full_name,
    "date_added": Customer.date_added,
    "status": Customer.status,
}
SORTS = tuple(f"{sign}{key}" for key in SORT_KEYS for sign in ("", "-"))


@dataclass(frozen=True)
class CustomerFilter:
    statuses: Sequence[str] = ()
    partner_id: int | None = None
    location: str | None = None
    billing_type: str | None = None
    q: str | None = None  # a piece of the login, a name, an email, a phone, the street or city


def search_text_of(customer: Customer) -> str:
    """What `q` searches, case-folded in Python so that matching is the same on SQLite and PostgreSQL.

    (SQLite's lower() folds ASCII only.) The migration that added the column computes the same.
    """
    parts = [customer.login, customer.full_name, *customer.emails, *customer.billing_emails, *customer.phones]
    parts += [customer.street or "", customer.city or ""]
    return "\n".join(part for part in parts if part).casefold()


def list_customers(
    session: Session, filters: CustomerFilter, *, sort: str = "id", limit: int = 50, cursor: str | None = None
) -> Page:
    """One page of the customers matching `filters` in `sort` order (`-name` descending, ties by id)."""
    if sort not in SORTS:
        raise InvalidFields({"sort": [f"Must be one of: {', '.join(SORTS)}."]})
    query = _filtered(select(Customer), filters)
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    column = SORT_KEYS[key]
    if cursor is not None:
        query = query.where(_after(key, column, descending, _cursor_values(cursor, sort, key)))
    columns = (column,) if key == "id" else (column, Customer.id)
    query = query.order_by(*(c.desc() if descending else c.asc() for c in columns))
    rows = session.scalars(query.limit(limit + 1)).all()
    items = list(rows[:limit])
    next_cursor = _cursor_after(items[-1], sort, key) if len(rows) > limit else None
    return Page(items, next_cursor)


def _filtered(query: Select, filters: CustomerFilter) -> Select:
    if filters.statuses:
        query = query.where(Customer.status.in_(filters.statuses))
    if filters.partner_id is not None:
        query = query.where(Customer.partner_id == filters.partner_id)
    if filters.location is not None:
        query = query.where(Customer.location == filters.location)
    if filters.billing_type is not None:
        query = query.where(Customer.billing_type == filters.billing_type)
    if filters.q:
        query = query.where(Customer.search_text.contains(filters.q.casefold(), autoescape=True))
    return query


def _cursor_after(customer: Customer, sort: str, key: str) -> str:
    if key == "id":
        return encode_cursor(f"customers:{sort}", customer.id)
    value = getattr(customer, key)
    return encode_cursor(f"customers:{sort}", value.isoformat() if isinstance(value, date) else value, customer.id)


def _cursor_values(cursor: str, sort: str, key: str) -> tuple[Any, ...]:
    tag = f"customers:{sort}"
    if key == "id":
        return decode_cursor(cursor, tag, int)
    value, last_id = decode_cursor(cursor, tag, str, int)
    if key == "date_added":
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise InvalidFields({"cursor": ["Not a cursor of this listing and sort order."]}) from None
    return value, last_id


def _after(key: str, column, descending: bool, values: tuple[Any, ...]):
    """Rows after the cursor's row in the sort order (key, then id, in the same direction)."""
    if key == "id":
        (last_id,) = values
        return Customer.id < last_id if descending else Customer.id > last_id
    value, last_id = values
    if descending:
        return or_(column < value, and_(column == value, Customer.id < last_id))
    return or_(column > value, and_(column == value, Customer.id > last_id))

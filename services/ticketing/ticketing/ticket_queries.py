"""Finding tickets: a customer's list and the operators' queue, with filters, search, sort and cursor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from ticketing import search
from ticketing.errors import InvalidFields
from ticketing.models import Ticket, TicketStatus
from ticketing.pagination import Page, decode_cursor, encode_cursor, invalid_cursor

SORT_KEYS = {
    "id": Ticket.id,
    "created": Ticket.created_at,
    "updated": Ticket.updated_at,
    "priority": Ticket.priority_rank,
}
SORTS = tuple(f"{sign}{key}" for key in SORT_KEYS for sign in ("", "-"))
DATETIME_KEYS = ("created", "updated")


@dataclass(frozen=True)
class TicketFilter:
    customer_id: int | None = None
    statuses: Sequence[str] = ()
    priorities: Sequence[str] = ()
    created_from: date | None = None  # UTC days, both ends included
    created_to: date | None = None
    q: str | None = None
    # Customers search the subject and public comments; operators internal notes too.
    search_internal: bool = False
    assignee: str | None = None
    unassigned: bool = False
    group: str | None = None
    type: str | None = None
    overdue: bool | None = None


class unindexed(FunctionElement):
    """A column the SQLite planner must not pick an index for (`+column`; the column itself elsewhere).

    Without statistics SQLite takes any range (`created_at >= ?`) for selective and walks that
    index, then sorts every row it kept; for a page in another order, walking the index of
    that order and stopping after one page is what is fast.
    """

    inherit_cache = True

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unary_plus(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


def overdue_condition(now: datetime) -> ColumnElement[bool]:
    """sla.is_overdue in SQL."""
    first_response_late = and_(Ticket.first_responded_at.is_(None), Ticket.first_response_due_at < now)
    resolution_late = Ticket.resolution_due_at < now
    return and_(Ticket.status.not_in(TicketStatus.FINISHED), or_(first_response_late, resolution_late))


def _filtered(session: Session, query: Select, filters: TicketFilter, now: datetime, sort: str) -> Select:
    if filters.customer_id is not None:
        query = query.where(Ticket.customer_id == filters.customer_id)
    if filters.statuses:
        query = query.where(Ticket.status.in_(filters.statuses))
    if filters.priorities:
        query = query.where(Ticket.priority.in_(filters.priorities))
    created = Ticket.created_at if sort.removeprefix("-") == "created" else unindexed(Ticket.created_at)
    if filters.created_from is not None:
        query = query.where(created >= datetime.combine(filters.created_from, time(), UTC))
    if filters.created_to is not None:
        query = query.where(created < datetime.combine(filters.created_to + timedelta(days=1), time(), UTC))
    if filters.assignee is not None:
        query = query.where(Ticket.assignee == filters.assignee)
    if filters.unassigned:
        query = query.where(Ticket.assignee.is_(None))
    if filters.group is not None:
        query = query.where(Ticket.group_name == filters.group)
    if filters.type is not None:
        query = query.where(Ticket.ticket_type == filters.type)
    if filters.overdue is not None:
        condition = overdue_condition(now)
        query = query.where(condition if filters.overdue else not_(condition))
    if filters.q:
        words = search.search_conditions(
            session, filters.q, customer_id=filters.customer_id, public_only=not filters.search_internal
        )
        query = query.where(*words)
    return query


def _check(filters: TicketFilter, sort: str) -> None:
    if sort not in SORTS:
        raise InvalidFields({"sort": [f"Must be one of: {', '.join(SORTS)}."]})
    if filters.created_from and filters.created_to and filters.created_from > filters.created_to:
        raise InvalidFields({"created_to": ["Must not be before created_from."]})


def _ordered(query: Select, sort: str) -> Select:
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    columns = (SORT_KEYS[key],) if key == "id" else (SORT_KEYS[key], Ticket.id)
    return query.order_by(*(c.desc() if descending else c.asc() for c in columns))


def list_tickets(
    session: Session, filters: TicketFilter, *, sort: str, limit: int, cursor: str | None, now: datetime
) -> Page:
    """One page of the tickets matching `filters` in `sort` order (`-key` descending, ties by id)."""
    _check(filters, sort)
    query = _filtered(session, select(Ticket), filters, now, sort)
    if cursor is not None:
        query = query.where(_after(sort, _cursor_values(cursor, sort)))
    rows = session.scalars(_ordered(query, sort).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, _cursor_after(items[-1], sort) if len(rows) > limit else None)


def all_tickets(session: Session, filters: TicketFilter, *, sort: str, now: datetime) -> list[Ticket]:
    """Every ticket matching `filters`, in `sort` order (for the export)."""
    _check(filters, sort)
    return list(session.scalars(_ordered(_filtered(session, select(Ticket), filters, now, sort), sort)))


def _sort_value(ticket: Ticket, key: str) -> Any:
    return getattr(ticket, SORT_KEYS[key].key)


def _cursor_after(ticket: Ticket, sort: str) -> str:
    key = sort.removeprefix("-")
    if key == "id":
        return encode_cursor(f"tickets:{sort}", ticket.id)
    value = _sort_value(ticket, key)
    return encode_cursor(f"tickets:{sort}", value.isoformat() if isinstance(value, datetime) else value, ticket.id)


def _cursor_values(cursor: str, sort: str) -> tuple[Any, ...]:
    tag, key = f"tickets:{sort}", sort.removeprefix("-")
    if key == "id":
        return decode_cursor(cursor, tag, int)
    if key == "priority":
        return decode_cursor(cursor, tag, int, int)
    text, last_id = decode_cursor(cursor, tag, str, int)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid_cursor() from None
    if moment.tzinfo is None:
        raise invalid_cursor()
    return moment, last_id


def _after(sort: str, values: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows after the cursor's row in the sort order (key, then id, in the same direction)."""
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    if key == "id":
        (last_id,) = values
        return Ticket.id < last_id if descending else Ticket.id > last_id
    column = SORT_KEYS[key]
    value, last_id = values
    if descending:
        return or_(column < value, and_(column == value, Ticket.id < last_id))
    return or_(column > value, and_(column == value, Ticket.id > last_id))

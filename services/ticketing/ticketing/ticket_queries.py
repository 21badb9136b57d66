"""Finding tickets: a customer's list and the operators' queue, with filters, search, sort and cursor."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Row, Select, and_, bindparam, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from portico.pagination import InvalidCursor, Page, decode_cursor, encode_cursor
from ticketing import search
from ticketing.errors import InvalidFields
from ticketing.models import Ticket, TicketStatus

# The table's columns (Core) rather than the mapped attributes: listing builds its statement on
# every request, and Core expressions build, and run, faster. Lists of whole tickets still
# select(Ticket).
TICKETS = Ticket.__table__.c
SORT_KEYS = {
    "id": TICKETS.id,
    "created": TICKETS.created_at,
    "updated": TICKETS.updated_at,
    "priority": TICKETS.priority_rank,
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


def overdue_condition(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """sla.is_overdue in SQL."""
    first_response_late = and_(TICKETS.first_responded_at.is_(None), TICKETS.first_response_due_at < now)
    resolution_late = TICKETS.resolution_due_at < now
    return and_(TICKETS.status.not_in(TicketStatus.FINISHED), or_(first_response_late, resolution_late))


# A listing's statement is built once per shape (which filters, which search plan, which sort)
# and reused with other values: building a statement and computing its cache key cost more
# than running it. A shape is a tuple of tokens, each naming a condition whose values are
# bound at execution (`_condition` builds it, `_shape` gives the tokens and their values).
Token = tuple[Hashable, ...]


def _shape(session: Session, filters: TicketFilter, now: datetime) -> tuple[tuple[Token, ...], dict[str, Any]]:
    tokens: list[Token] = []
    values: dict[str, Any] = {}
    if filters.customer_id is not None:
        tokens.append(("customer",))
        values["customer_id"] = filters.customer_id
    if filters.statuses:
        tokens.append(("statuses",))
        values["statuses"] = list(filters.statuses)
    if filters.priorities:
        tokens.append(("priorities",))
        values["priorities"] = list(filters.priorities)
    if filters.created_from is not None:
        tokens.append(("created_from",))
        values["created_from"] = datetime.combine(filters.created_from, time(), UTC)
    if filters.created_to is not None:
        tokens.append(("created_to",))
        values["created_before"] = datetime.combine(filters.created_to + timedelta(days=1), time(), UTC)
    if filters.assignee is not None:
        tokens.append(("assignee",))
        values["assignee"] = filters.assignee
    if filters.unassigned:
        tokens.append(("unassigned",))
    if filters.group is not None:
        tokens.append(("group",))
        values["group_name"] = filters.group
    if filters.type is not None:
        tokens.append(("type",))
        values["ticket_type"] = filters.type
    if filters.overdue is not None:
        tokens.append(("overdue", filters.overdue))
        values["now"] = now
    if filters.q:
        public_only = not filters.search_internal
        plan = search.search_plan(session, filters.q, customer_id=filters.customer_id, public_only=public_only)
        for n, (word, how) in enumerate(plan):
            tokens.append(("word", n, how, filters.customer_id is not None, public_only))
            values |= search.word_values(n, word)
    return tuple(tokens), values


def _by_id(tokens: tuple[Token, ...]) -> bool:
    """Whether a rare word gives the few candidate tickets, to be fetched by id and sorted."""
    return any(token[0] == "word" and token[2] == search.WordPlan.FETCH for token in tokens)


def _condition(token: Token, sort: str, by_id: bool) -> ColumnElement[bool]:
    # The planner of SQLite must not walk the created_at index unless the list is in that order,
    # nor the customer's tickets when a rare word's few are fetched by id (see _by_id).
    created = TICKETS.created_at if sort.removeprefix("-") == "created" else unindexed(TICKETS.created_at)
    customer = unindexed(TICKETS.customer_id) if by_id else TICKETS.customer_id
    match token:
        case ("customer",):
            return customer == bindparam("customer_id")
        case ("statuses",):
            return TICKETS.status.in_(bindparam("statuses", expanding=True))
        case ("priorities",):
            return TICKETS.priority.in_(bindparam("priorities", expanding=True))
        case ("created_from",):
            return created >= bindparam("created_from")
        case ("created_to",):
            return created < bindparam("created_before")
        case ("assignee",):
            return TICKETS.assignee == bindparam("assignee")
        case ("unassigned",):
            return TICKETS.assignee.is_(None)
        case ("group",):
            return TICKETS.group_name == bindparam("group_name")
        case ("type",):
            return TICKETS.ticket_type == bindparam("ticket_type")
        case ("overdue", overdue):
            condition = overdue_condition(bindparam("now", type_=TICKETS.resolution_due_at.type))
            return condition if overdue else not_(condition)
        case ("word", n, how, by_customer, public_only):
            return search.word_condition(n, plan=how, by_customer=by_customer, public_only=public_only)
        case ("after",):
            return _after(sort)
    raise ValueError(f"no condition {token}")


@lru_cache(maxsize=256)
def _statement(columns: tuple[str, ...], tokens: tuple[Token, ...], sort: str, paged: bool) -> Select:
    """The listing's statement of `columns` (all: whole tickets), bound at execution; paged: with `limit`."""
    query = select(*(TICKETS[name] for name in columns)) if columns else select(Ticket)
    by_id = _by_id(tokens)
    query = _ordered(query.where(*(_condition(token, sort, by_id) for token in tokens)), sort, by_id)
    return query.limit(bindparam("limit")) if paged else query


def _check(filters: TicketFilter, sort: str) -> None:
    if sort not in SORTS:
        raise InvalidFields({"sort": [f"Must be one of: {', '.join(SORTS)}."]})
    if filters.created_from and filters.created_to and filters.created_from > filters.created_to:
        raise InvalidFields({"created_to": ["Must not be before created_from."]})


def _ordered(query: Select, sort: str, by_id: bool = False) -> Select:
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    columns = (SORT_KEYS[key],) if key == "id" else (SORT_KEYS[key], TICKETS.id)
    if by_id:  # sorted after fetching: no index of the whole table walked in this order
        columns = tuple(unindexed(c) for c in columns)
    return query.order_by(*(c.desc() if descending else c.asc() for c in columns))


def list_tickets(
    session: Session,
    filters: TicketFilter,
    *,
    sort: str,
    limit: int,
    cursor: str | None,
    now: datetime,
    columns: tuple[str, ...] = (),
) -> Page:
    """One page of the tickets matching `filters` in `sort` order (`-key` descending, ties by id).

    The items are Ticket objects or, given `columns` (names), rows of only those: a list that
    shows a few columns is spared loading whole objects. They must include `id` and the sort
    key (the cursor's).
    """
    _check(filters, sort)
    tokens, values = _shape(session, filters, now)
    if cursor is not None:
        tokens += (("after",),)
        values |= _cursor_values(cursor, sort)
    statement = _statement(columns, tokens, sort, paged=True)
    values["limit"] = limit + 1
    rows = (session.connection().execute(statement, values) if columns else session.scalars(statement, values)).all()
    items = list(rows[:limit])
    return Page(items, _cursor_after(items[-1], sort) if len(rows) > limit else None)


def all_tickets(session: Session, filters: TicketFilter, *, sort: str, now: datetime) -> list[Ticket]:
    """Every ticket matching `filters`, in `sort` order (for the export)."""
    _check(filters, sort)
    tokens, values = _shape(session, filters, now)
    return list(session.scalars(_statement((), tokens, sort, paged=False), values))


def _sort_value(ticket: Ticket | Row, key: str) -> Any:
    return getattr(ticket, SORT_KEYS[key].key)


def _cursor_after(ticket: Ticket | Row, sort: str) -> str:
    key = sort.removeprefix("-")
    if key == "id":
        return encode_cursor(f"tickets:{sort}", ticket.id)
    value = _sort_value(ticket, key)
    return encode_cursor(f"tickets:{sort}", value.isoformat() if isinstance(value, datetime) else value, ticket.id)


def _cursor_values(cursor: str, sort: str) -> dict[str, Any]:
    """The values `_after` binds: the sort key (unless it is the id) and id of the cursor's row."""
    tag, key = f"tickets:{sort}", sort.removeprefix("-")
    if key == "id":
        (last_id,) = decode_cursor(cursor, tag, int)
        return {"after_id": last_id}
    if key == "priority":
        rank, last_id = decode_cursor(cursor, tag, int, int)
        return {"after_key": rank, "after_id": last_id}
    text, last_id = decode_cursor(cursor, tag, str, int)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidCursor() from None
    if moment.tzinfo is None:
        raise InvalidCursor()
    return {"after_key": moment, "after_id": last_id}


def _after(sort: str) -> ColumnElement[bool]:
    """Rows after the cursor's row in the sort order (key, then id, in the same direction)."""
    descending, key = sort.startswith("-"), sort.removeprefix("-")
    last_id = bindparam("after_id", type_=TICKETS.id.type)
    if key == "id":
        return TICKETS.id < last_id if descending else TICKETS.id > last_id
    column = SORT_KEYS[key]
    value = bindparam("after_key", type_=column.type)
    if descending:
        return or_(column < value, and_(column == value, TICKETS.id < last_id))
    return or_(column > value, and_(column == value, TICKETS.id > last_id))

"""Text search over tickets: words of the subject and of the comments, matched by prefix.

Each ticket's words are kept, case-folded, in `ticket_terms` (those of the subject and public
comments marked public, those of internal notes not). A query matches a ticket when every one
of its words begins some word of the ticket ("rout fail" finds "Router failing"). Folding is
done in Python, so SQLite and PostgreSQL match alike, and a prefix is an index range on the
term column (byte order on both), so a search costs index lookups, not a scan of the text.
Neither database guesses well how many tickets a word matches, so search_plan counts
(cheaply, capped) and picks the plan itself (WordPlan).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from sqlalchemy import ColumnElement, Connection, Select, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from ticketing.models import Comment, Ticket, TicketTerm

WORD = re.compile(r"\w+")
MAX_TERM_LENGTH = 64
MAX_QUERY_WORDS = 8


def terms_of(text: str) -> set[str]:
    """The searchable words of `text`, case-folded (and cut to the length the index keeps)."""
    return {word[:MAX_TERM_LENGTH] for word in WORD.findall(text.casefold())}


def query_words(q: str) -> list[str]:
    """The words a query asks for, in order, without repeats (at most MAX_QUERY_WORDS)."""
    words = [word[:MAX_TERM_LENGTH] for word in WORD.findall(q.casefold())]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def matches(words: Iterable[str], text_terms: set[str]) -> bool:
    """Whether terms match every word by prefix: the rule the SQL below applies."""
    return all(any(term.startswith(word) for term in text_terms) for word in words)


def prefix_range(word: str) -> tuple[str, str]:
    """[low, high): exactly the strings that start with `word`, in code point (= UTF-8 byte) order."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def index_text(session: Session, ticket: Ticket, text: str, *, public: bool) -> None:
    """Add the words of `text` (the subject or a comment) to the ticket's terms."""
    fresh = terms_of(text)
    if not fresh:
        return
    known = session.scalars(
        select(TicketTerm.term).where(TicketTerm.ticket_id == ticket.id, TicketTerm.public.is_(public))
    ).all()
    _insert_terms(session, ticket, fresh - set(known), public=public)


def reindex_ticket(session: Session, ticket: Ticket) -> None:
    """Rebuild the ticket's terms from its subject and comments (after comments moved)."""
    session.flush()
    session.execute(delete(TicketTerm).where(TicketTerm.ticket_id == ticket.id))
    public_terms, internal_terms = terms_of(ticket.subject), set()
    for body, public in session.execute(select(Comment.body, Comment.public).where(Comment.ticket_id == ticket.id)):
        (public_terms if public else internal_terms).update(terms_of(body))
    _insert_terms(session, ticket, public_terms, public=True)
    _insert_terms(session, ticket, internal_terms, public=False)


def _insert_terms(session: Session, ticket: Ticket, terms: set[str], *, public: bool) -> None:
    if terms:
        rows = [{"ticket_id": ticket.id, "public": public, "term": t, "customer_id": ticket.customer_id} for t in terms]
        session.execute(insert(TicketTerm), rows)


# Searches run on every list request: they use the tables' columns (Core), which build and run
# faster than the mapped attributes, and the count asked for each word is built once.
TERMS = TicketTerm.__table__.c
TICKET_ID = Ticket.__table__.c.id


# A word matching more index entries than this is "common": rather than listing every ticket
# it matches, the listing walks tickets in its sort order and checks each (it finds a page soon).
COMMON_WORD_ENTRIES = 2000
# A word matching fewer than this is "rare": its few tickets are fetched by id and sorted, where
# walking the list in order would pass most of the customer's tickets before filling a page.
RARE_WORD_ENTRIES = 250


class WordPlan:
    """How a word of a search finds its tickets."""

    FETCH = "fetch"  # the rarest word, if rare: its tickets fetched by id, then sorted
    LIST = "list"  # the rarest word, if not common: the list walked in order, kept if among its tickets
    CHECK = "check"  # any other word: the list walked in order, each ticket's terms checked


def search_plan(session: Session, q: str, *, customer_id: int | None, public_only: bool) -> list[tuple[str, str]]:
    """The words of `q`, each with its WordPlan.

    The rarest word (if it is not common) gives the candidate tickets; every other word is
    checked per ticket through the primary key, which is cheap for the few tickets the
    candidates or the walk in sort order reach.
    """
    words = query_words(q)
    connection = session.connection()
    entries = {word: _entries(connection, word, customer_id, public_only) for word in words}
    rarest = min(words, key=entries.__getitem__, default=None)

    def plan(word: str) -> str:
        if word != rarest or entries[word] >= COMMON_WORD_ENTRIES:
            return WordPlan.CHECK
        return WordPlan.FETCH if entries[word] < RARE_WORD_ENTRIES else WordPlan.LIST

    return [(word, plan(word)) for word in words]


def word_values(n: int, word: str) -> dict[str, str]:
    """The values word_condition(n, ...) binds: the prefix range of `word`."""
    low, high = prefix_range(word)
    return {f"word_{n}_low": low, f"word_{n}_high": high}


def word_condition(n: int, *, plan: str, by_customer: bool, public_only: bool) -> ColumnElement[bool]:
    """A condition on tickets: they have a word in the range `word_{n}_low`..`word_{n}_high`.

    Customers' searches see public text only. A word that gives the candidates is the subquery
    of the tickets it matches (of the customer bound as `customer_id`, if `by_customer`); another
    is checked per ticket. Its values are bound at execution, so that the statement is built
    once and reused.
    """
    low, high = bindparam(f"word_{n}_low"), bindparam(f"word_{n}_high")
    query = select(TERMS.ticket_id).where(TERMS.term >= low, TERMS.term < high)
    if public_only:
        query = query.where(TERMS.public.is_(True))
    if plan == WordPlan.CHECK:
        return query.where(TERMS.ticket_id == TICKET_ID).exists()
    if by_customer:
        query = query.where(TERMS.customer_id == bindparam("customer_id"))
    return TICKET_ID.in_(query)


@cache
def _count_statement(by_customer: bool, public_only: bool, cap: int) -> Select:
    """The count of the index entries in the prefix range [low, high), up to `cap` only."""
    query = select(TERMS.ticket_id).where(TERMS.term >= bindparam("low"), TERMS.term < bindparam("high"))
    if by_customer:
        query = query.where(TERMS.customer_id == bindparam("customer_id"))
    if public_only:
        query = query.where(TERMS.public.is_(True))
    return select(func.count()).select_from(query.limit(cap).subquery())


def _entries(connection: Connection, word: str, customer_id: int | None, public_only: bool) -> int:
    """How many index entries `word` matches, counted up to COMMON_WORD_ENTRIES only."""
    low, high = prefix_range(word)
    values = {"low": low, "high": high} | ({} if customer_id is None else {"customer_id": customer_id})
    statement = _count_statement(customer_id is not None, public_only, COMMON_WORD_ENTRIES)
    return connection.execute(statement, values).scalar() or 0

"""Text search over tickets: words of the subject and of the comments, matched by prefix.

Each ticket's words are kept, case-folded, in `ticket_terms` (those of the subject and public
comments marked public, those of internal notes not). A query matches a ticket when every one
of its words begins some word of the ticket ("rout fail" finds "Router failing"). Folding is
done in Python, so SQLite and PostgreSQL match alike, and a prefix is an index range on the
term column (byte order on both), so a search costs index lookups, not a scan of the text.
Neither database guesses well how many tickets a word matches, so search_conditions counts
(cheaply, capped) and picks the plan itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import ColumnElement, delete, func, insert, select
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


# A word matching more index entries than this is "common": rather than listing every ticket
# it matches, the listing walks tickets in its sort order and checks each (it finds a page soon).
COMMON_WORD_ENTRIES = 2000


def search_conditions(
    session: Session, q: str, *, customer_id: int | None, public_only: bool
) -> list[ColumnElement[bool]]:
    """Conditions on Ticket matching every word of `q`; customers' searches see public text only.

    The rarest word (if it is not common) becomes the list of candidate tickets; every other
    word is checked per ticket through the primary key, which is cheap for the few tickets
    the list or the walk in sort order reaches.
    """
    words = query_words(q)
    entries = {word: _entries(session, word, customer_id, public_only) for word in words}
    rarest = min(words, key=entries.__getitem__, default=None)
    conditions = []
    for word in words:
        if word == rarest and entries[word] < COMMON_WORD_ENTRIES:
            conditions.append(Ticket.id.in_(_matching(word, customer_id, public_only)))
        else:
            conditions.append(_has_term(word, public_only))
    return conditions


def _term_range(word: str) -> list[ColumnElement[bool]]:
    low, high = prefix_range(word)
    return [TicketTerm.term >= low, TicketTerm.term < high]


def _matching(word: str, customer_id: int | None, public_only: bool):
    query = select(TicketTerm.ticket_id).where(*_term_range(word))
    if customer_id is not None:
        query = query.where(TicketTerm.customer_id == customer_id)
    if public_only:
        query = query.where(TicketTerm.public.is_(True))
    return query


def _entries(session: Session, word: str, customer_id: int | None, public_only: bool) -> int:
    """How many index entries `word` matches, counted up to COMMON_WORD_ENTRIES only."""
    capped = _matching(word, customer_id, public_only).limit(COMMON_WORD_ENTRIES).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def _has_term(word: str, public_only: bool) -> ColumnElement[bool]:
    query = select(TicketTerm.ticket_id).where(TicketTerm.ticket_id == Ticket.id, *_term_range(word))
    if public_only:
        query = query.where(TicketTerm.public.is_(True))
    return query.exists()

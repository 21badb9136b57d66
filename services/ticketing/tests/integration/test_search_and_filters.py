"""Search, filters, sort and pages against a few hundred generated tickets: exactly the expected ids.

The tickets are made with the domain's own functions (as the API would), then every answer is
compared with what a plain Python reading of the generated data says it must be.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest

from ticketing import replies, search, sla, tickets
from ticketing.attachments import Upload  # noqa: F401 - the generator sends no files
from ticketing.authors import Author
from ticketing.models import Priority, Ticket, TicketStatus
from ticketing.storage import StagedWrites

WORDS = [
    "router", "routing", "fibre", "modem", "outage", "invoice", "wifi", "wireless", "slow", "speed",
    "latency", "packet", "loss", "dns", "email", "voip", "phone", "contract", "upgrade", "Über", "STRASSE", "Straße",
]  # fmt: skip
SECRET = "quokka"  # only ever in internal notes
START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Generated:
    id: int
    public_words: list[str]
    internal_words: list[str] = field(default_factory=list)


class NoFiles:
    def write(self, key, data):
        raise AssertionError("no files here")


def sentence(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(n)]


@pytest.fixture
def generated(db, customers, clock):
    """300 tickets of customers 7 and 8, with public replies, internal notes and statuses."""
    rng = random.Random(20260301)
    made: list[Generated] = []
    writes = StagedWrites(NoFiles())
    with db.transaction() as session:
        for n in range(300):
            at = START + timedelta(hours=rng.randrange(0, 24 * 58))
            subject, message = sentence(rng, 3), sentence(rng, 6)
            new = tickets.NewTicket(
                customer_id=7 if n % 6 else 8,
                subject=" ".join(subject).capitalize(),
                priority=rng.choice(Priority.ALL),
                message=" ".join(message) + ".",
                group=rng.choice([None, "network", "billing"]),
                type=rng.choice([None, "fault", "question"]),
                assignee=rng.choice([None, "alice", "bob"]),
            )
            ticket = tickets.open_ticket(
                session,
                new,
                author=Author.customer(new.customer_id),
                files=[],
                writes=writes,
                targets=sla.DEFAULT_TARGETS,
                now=at,
            )
            record = Generated(ticket.id, subject + message)
            if rng.random() < 0.5:
                reply = sentence(rng, 5)
                at += timedelta(minutes=rng.randrange(1, 600))
                replies.add_operator_comment(
                    session, ticket.id, author=Author.operator("alice"), body=" ".join(reply), body_format="text",
                    public=True, status=None, files=[], writes=writes, now=at,
                )  # fmt: skip
                record.public_words += reply
            if rng.random() < 0.3:
                note = [SECRET, *sentence(rng, 2)]
                replies.add_operator_comment(
                    session, ticket.id, author=Author.operator("bob"), body=" ".join(note), body_format="text",
                    public=False, status=None, files=[], writes=writes, now=at,
                )  # fmt: skip
                record.internal_words += note
            target = rng.choice(TicketStatus.ALL)
            if target != ticket.status and target in tickets.STATUS_CHANGES[ticket.status]:
                tickets.move_status(session, ticket, target, author=Author.operator("alice"), now=at)
            made.append(record)
    with db.reading() as session:
        rows = {t.id: t for t in session.query(Ticket)}
        session.expunge_all()
    clock.now = NOW
    return made, rows


def words_match(query: str, words: list[str]) -> bool:
    folded = [w.casefold() for w in words]
    return all(any(w.startswith(q) for w in folded) for q in query.casefold().split())


def walk(client, url: str, headers: dict, **params) -> list[int]:
    """Every id over all pages of a listing, in order."""
    ids, cursor = [], None
    while True:
        query = {**params, "limit": 7} | ({"cursor": cursor} if cursor else {})
        response = client.get(f"{url}?{urlencode(query, doseq=True)}", headers=headers)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        ids += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def ordered(rows, ids, sort: str) -> list[int]:
    key = sort.removeprefix("-")
    attribute = {"id": "id", "created": "created_at", "updated": "updated_at", "priority": "priority_rank"}[key]
    return sorted(ids, key=lambda i: (getattr(rows[i], attribute), i), reverse=sort.startswith("-"))


CUSTOMER_CASES = [
    {},
    {"q": "rout"},
    {"q": "ROUTER"},
    {"q": "über"},
    {"q": "strasse"},  # Straße folds to strasse
    {"q": "slow rout"},
    {"q": "speed, latency!"},
    {"q": SECRET},  # internal notes are not searched for customers
    {"q": "xylophone"},
    {"status": ["open", "resolved"]},
    {"priority": ["urgent"]},
    {"created_from": "2026-01-20", "created_to": "2026-02-05"},
    {"q": "modem", "status": ["new", "open", "waiting_on_customer"], "priority": ["high", "urgent"]},
    {"q": "wi", "created_from": "2026-02-01", "sort": "created"},
    {"sort": "priority"},
    {"sort": "-priority", "status": ["closed"]},
    {"sort": "id"},
    {"sort": "-created", "q": "email"},
]


@pytest.mark.parametrize(
    ("common_word_entries", "rare_word_entries"),
    [(search.COMMON_WORD_ENTRIES, search.RARE_WORD_ENTRIES), (40, 10), (0, 0), (10**6, 10**6)],
    ids=["as-set", "mixed-plans", "all-walk", "all-fetched"],
)
def test_customer_list_returns_exactly_the_matching_tickets(
    common_word_entries, rare_word_entries, generated, client, as_customer, monkeypatch
):
    # The plan search picks per word (candidates fetched by id, or listed and looked up in a
    # walk in sort order, or a walk checking each ticket) must never change the answer.
    monkeypatch.setattr(search, "COMMON_WORD_ENTRIES", common_word_entries)
    monkeypatch.setattr(search, "RARE_WORD_ENTRIES", rare_word_entries)
    made, rows = generated
    for params in CUSTOMER_CASES:  # one generation for all cases: it is the slow part
        expected = [
            g.id for g in made if rows[g.id].customer_id == 7 and _matches(params, g, rows[g.id], public_only=True)
        ]

        ids = walk(client, "/v1/customers/7/tickets", as_customer(7), **params)

        assert ids == ordered(rows, expected, params.get("sort", "-updated")), params
        assert ids or params.get("q") in (SECRET, "xylophone"), f"{params} finds nothing: it proves little"
    assert walk(client, "/v1/customers/7/tickets", as_customer(7), q=SECRET) == []


QUEUE_CASES = [
    {"q": SECRET},
    {"q": "rout", "customer_id": 8},
    {"assignee": "alice"},
    {"unassigned": "true", "priority": ["low"]},
    {"group": "network", "type": "fault"},
    {"overdue": "true"},
    {"overdue": "false", "sort": "created"},
]


@pytest.mark.parametrize(
    ("common_word_entries", "rare_word_entries"),
    [(search.COMMON_WORD_ENTRIES, search.RARE_WORD_ENTRIES), (10**6, 0), (0, 0)],
    ids=["as-set", "all-listed", "all-walk"],
)
def test_operator_queue_returns_exactly_the_matching_tickets(
    common_word_entries, rare_word_entries, generated, client, operator, monkeypatch
):
    monkeypatch.setattr(search, "COMMON_WORD_ENTRIES", common_word_entries)
    monkeypatch.setattr(search, "RARE_WORD_ENTRIES", rare_word_entries)
    made, rows = generated
    for params in QUEUE_CASES:
        expected = [g.id for g in made if _matches(params, g, rows[g.id], public_only=False)]

        ids = walk(client, "/admin/v1/tickets", operator, **params)

        assert ids == ordered(rows, expected, params.get("sort", "-updated")), params
        assert ids, f"{params} finds nothing: it proves little"


def test_customer_export_holds_the_filtered_list_with_the_chosen_columns(generated, client, as_customer):
    made, rows = generated
    expected = [g.id for g in made if rows[g.id].customer_id == 7 and words_match("fibre", g.public_words)]

    response = client.get(
        "/v1/customers/7/tickets/export.csv?q=fibre&sort=id&columns=id,status,subject", headers=as_customer(7)
    )

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tickets.csv"'
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "id,status,subject"
    assert lines[1:] == [f"{i},{rows[i].status},{rows[i].subject}" for i in sorted(expected)]


def _matches(params: dict, generated: Generated, row: Ticket, *, public_only: bool) -> bool:
    words = generated.public_words + ([] if public_only else generated.internal_words)
    if "q" in params and not words_match(params["q"].replace(",", " ").replace("!", " "), words):
        return False
    if "status" in params and row.status not in params["status"]:
        return False
    if "priority" in params and row.priority not in params["priority"]:
        return False
    day = row.created_at.date()
    if "created_from" in params and day < date.fromisoformat(params["created_from"]):
        return False
    if "created_to" in params and day > date.fromisoformat(params["created_to"]):
        return False
    if "customer_id" in params and row.customer_id != params["customer_id"]:
        return False
    if "assignee" in params and row.assignee != params["assignee"]:
        return False
    if params.get("unassigned") == "true" and row.assignee is not None:
        return False
    if "group" in params and row.group_name != params["group"]:
        return False
    if "type" in params and row.ticket_type != params["type"]:
        return False
    return "overdue" not in params or sla.is_overdue(row, NOW) == (params["overdue"] == "true")


def test_filters_and_sort_refuse_bad_values(open_ticket, client, as_customer):
    open_ticket(7)
    for query in (
        "status=pending",
        "priority=critical",
        "sort=subject",
        "created_from=yesterday",
        "created_from=2026-02-02&created_to=2026-02-01",
        "limit=0",
        "limit=500",
        "cursor=not-a-cursor",
        "q=%20%20",
        "colour=red",
    ):
        response = client.get(f"/v1/customers/7/tickets?{query}", headers=as_customer(7))
        assert response.status_code in (400, 422), query
        assert response.mimetype == "application/problem+json"
    assert client.get("/v1/customers/7/tickets/export.csv?columns=id,secret", headers=as_customer(7)).status_code == 422


def test_a_cursor_of_another_sort_order_is_refused(open_ticket, client, as_customer):
    for _ in range(3):
        open_ticket(7)
    page = client.get("/v1/customers/7/tickets?sort=created&limit=2", headers=as_customer(7)).get_json()

    response = client.get(f"/v1/customers/7/tickets?sort=id&cursor={page['next_cursor']}", headers=as_customer(7))

    assert response.status_code == 422
    assert "cursor" in response.get_json()["errors"]

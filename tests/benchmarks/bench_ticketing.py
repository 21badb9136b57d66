"""The customer ticket list with search over 10,000 tickets, through the real app under gunicorn.

`make bench-ticketing` builds a SQLite database of N tickets (default 10,000) with their
comments (public replies and internal notes) and search terms, all belonging to one customer
(the worst case for that customer's list), starts ticketing under gunicorn with the
repository's gunicorn settings, and drives `GET /v1/customers/1/tickets?q=...` with varied
searches (common and rare words, prefixes, two words, with and without filters) from 32
concurrent clients: wrk where it is installed, else a pool of Python threads. It prints
p50/p99 latency and requests per second at 32 clients (the server saturated: latency is
mostly queueing, so it depends on the machine's cores) and at one client (what one request
costs), each against the target p99 of 50 ms, and the server's CPU time per request, which
other work on the machine disturbs far less than the latencies (`--runs 3` repeats them).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import requests
from http_load import add_load_arguments, free_port, load_tool, measured, report, start_gunicorn, stop
from sqlalchemy import insert

from portico.auth import customer_token
from portico.db import Database
from portico.migrations import upgrade
from portico.settings import DEV_JWT_SECRET
from ticketing import search, sla
from ticketing.models import Comment, Customer, Priority, Ticket, TicketStatus, TicketTerm

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "services/ticketing/migrations"
CUSTOMER = 1
TARGET_P99_MS = 50.0
COMMON = [
    "internet", "router", "slow", "down", "speed", "wifi", "invoice", "payment", "modem", "fibre", "connection",
    "outage", "evening", "night", "morning", "again", "since", "please", "help", "cable", "signal", "phone",
]  # fmt: skip


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ter", "an", "ro", "ux", "pel", "dor", "sin", "va", "ne", "qui", "bra", "tos"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return sorted(words)


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    # Zipf-like: a few words are everywhere, most are rare, as in real support text.
    picked = [
        rng.choice(COMMON) if rng.random() < 0.35 else words[int(rng.paretovariate(1.1)) % len(words)] for _ in range(n)
    ]
    return " ".join(picked).capitalize() + "."


def build_database(url: str, tickets: int, seed: int = 7) -> dict[str, int]:
    """Tickets, comments and terms written in bulk, the terms as search.py derives them."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    upgrade(MIGRATIONS, url)
    db = Database(url)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    counts = {"tickets": 0, "comments": 0, "terms": 0}
    with db.transaction() as session:
        session.execute(
            insert(Customer),
            [{"id": CUSTOMER, "login": "bench", "full_name": "Bench Customer", "emails": ["bench@example.com"],
              "partner_id": 1, "status": "active", "revision": 1, "updated_at": start}],
        )  # fmt: skip
    comment_id = 0
    for first in range(1, tickets + 1, 1000):
        ticket_rows, comment_rows, term_rows = [], [], []
        for ticket_id in range(first, min(first + 1000, tickets + 1)):
            created = start + timedelta(minutes=ticket_id * 40 + rng.randrange(40))
            priority = rng.choice(Priority.ALL)
            first_due, resolution_due = sla.due_times(sla.DEFAULT_TARGETS, priority, created)
            subject = sentence(rng, words, rng.randint(3, 7))[:200]
            texts = {True: {*search.terms_of(subject)}, False: set()}
            at = created
            public_count = total = 0
            for n in range(rng.randint(1, 5)):
                public = n == 0 or rng.random() < 0.75
                at += timedelta(minutes=rng.randrange(5, 600))
                body = sentence(rng, words, rng.randint(8, 40))
                comment_id += 1
                comment_rows.append(
                    {"id": comment_id, "ticket_id": ticket_id, "author_kind": "customer" if n % 2 == 0 else "operator",
                     "author": str(CUSTOMER) if n % 2 == 0 else "alice", "public": public, "body": body,
                     "body_format": "text", "created_at": at}
                )  # fmt: skip
                texts[public] |= search.terms_of(body)
                total += 1
                public_count += public
            status = rng.choice(TicketStatus.ALL)
            ticket_rows.append(
                {"id": ticket_id, "customer_id": CUSTOMER, "subject": subject, "priority": priority,
                 "priority_rank": Priority.RANK[priority], "status": status, "group_name": rng.choice([None, "network"]),
                 "ticket_type": None, "assignee": rng.choice([None, "alice", "bob"]), "source": "portal",
                 "created_at": created, "updated_at": at, "first_response_due_at": first_due,
                 "resolution_due_at": resolution_due, "first_responded_at": None,
                 "resolved_at": at if status == TicketStatus.RESOLVED else None,
                 "closed_at": at if status == TicketStatus.CLOSED else None, "merged_into_id": None,
                 "comment_count": total, "public_comment_count": public_count}
            )  # fmt: skip
            for public, terms in texts.items():
                term_rows += [
                    {"ticket_id": ticket_id, "public": public, "term": t, "customer_id": CUSTOMER} for t in terms
                ]
        with db.transaction() as session:
            session.execute(insert(Ticket), ticket_rows)
            session.execute(insert(Comment), comment_rows)
            session.execute(insert(TicketTerm), term_rows)
        counts["tickets"] += len(ticket_rows)
        counts["comments"] += len(comment_rows)
        counts["terms"] += len(term_rows)
    db.dispose()  # no ANALYZE: a service's SQLite file has no statistics either
    return counts


def search_paths(rng: random.Random, count: int = 200) -> list[str]:
    """What customers type: common and rare words, prefixes, two words; a third with filters."""
    words = vocabulary(random.Random(7))
    paths = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.3:
            q = rng.choice(COMMON)
        elif kind < 0.55:
            q = words[int(rng.paretovariate(1.1)) % len(words)]
        elif kind < 0.75:
            q = rng.choice(COMMON + words)[: rng.randint(3, 5)]
        else:
            q = f"{rng.choice(COMMON)} {rng.choice(words)[:4]}"
        params: dict = {"q": q, "limit": 25}
        if rng.random() < 0.33:
            params["status"] = rng.sample(TicketStatus.ALL, 2)
            if rng.random() < 0.5:
                params["created_from"] = "2025-03-01"
        paths.append(f"/v1/customers/{CUSTOMER}/tickets?{urlencode(params, doseq=True)}")
    return paths


def check_answers(base: str, token: str) -> None:
    """The searches find what they should before anything is timed."""
    headers = {"Authorization": f"Bearer {token}"}
    page = requests.get(f"{base}/v1/customers/{CUSTOMER}/tickets?q=internet&limit=25", headers=headers, timeout=10)
    page.raise_for_status()
    items = page.json()["items"]
    assert len(items) == 25 and page.json()["next_cursor"], "a common word finds a full page"
    assert all(items[i]["updated_at"] >= items[i + 1]["updated_at"] for i in range(24)), "newest first"
    other = requests.get(f"{base}/v1/customers/{CUSTOMER + 1}/tickets", headers=headers, timeout=10)
    assert other.status_code == 404


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=10_000)
    add_load_arguments(parser)
    args = parser.parse_args()
    load = load_tool(args.tool)

    with tempfile.TemporaryDirectory(prefix="bench-ticketing-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'ticketing.db'}"
        started = time.monotonic()
        counts = build_database(url, args.tickets)
        print(
            f"built {counts['tickets']:,} tickets, {counts['comments']:,} comments, {counts['terms']:,} search terms "
            f"in {time.monotonic() - started:.1f} s (SQLite, one customer)"
        )
        port = free_port()
        env = {"TICKETING_DATABASE_URL": url, "TICKETING_OUTBOX_RELAY": "off", "PORTICO_VAR_DIR": str(folder)}
        server = start_gunicorn("ticketing.app:create_app()", env, port, args.workers, args.threads, args.worker_class)
        try:
            base = f"http://127.0.0.1:{port}"
            token = customer_token(os.environ.get("PORTICO_JWT_SECRET", DEV_JWT_SECRET), CUSTOMER, ttl=3600)
            check_answers(base, token)
            paths = search_paths(random.Random(11))
            load(base, paths, token, args.clients, 3, folder)  # warm-up: caches, connection pools
            results = [
                (clients, measured(load, server, base, paths, token, clients, args.seconds, folder))
                for _ in range(args.runs)
                for clients in (args.clients, 1)
            ]
        finally:
            stop(server)
    title = (
        f"customer ticket list with search over {counts['tickets']:,} tickets, gunicorn {args.workers} "
        f"{args.worker_class} workers, {args.seconds} s per run"
    )
    report(title, results, TARGET_P99_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Idempotency keys: claimed once under the primary key, the first answer replayed, reuse refused."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from flask import Blueprint
from kit_sample import idempotency_keys
from sqlalchemy import select, text

from portico.db import Database
from portico.idempotency import (
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    StoredAnswer,
    check_key,
    claim,
    fingerprint,
    store_answer,
)
from portico.settings import load_settings
from portico.testing import wait_for
from portico.web import create_service_app

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TICKET = fingerprint("POST", "/v1/customers/7/tickets", {"subject": "Internet is down"})
OTHER_TICKET = fingerprint("POST", "/v1/customers/7/tickets", {"subject": "Invoice is wrong"})


def claim_key(session, key="k-1", request_hash=TICKET, caller="customer:7"):
    return claim(session, idempotency_keys, caller=caller, key=key, request_hash=request_hash, now=NOW)


def answer(session, body, key="k-1", caller="customer:7", status=201):
    store_answer(session, idempotency_keys, caller=caller, key=key, status=status, body=body)


def stored_rows(db) -> list[tuple]:
    with db.reading() as session:
        table = idempotency_keys.c
        query = select(table.caller, table.key, table.request_hash, table.status_code, table.response_body)
        return [tuple(row) for row in session.execute(query.order_by(table.caller, table.key))]


def test_the_first_request_holds_the_key_and_a_retry_gets_its_answer(db):
    with db.transaction() as session:
        assert claim_key(session) is None
        answer(session, '{"id": 1}')

    with db.transaction() as session:
        assert claim_key(session) == StoredAnswer(201, '{"id": 1}')

    assert stored_rows(db) == [("customer:7", "k-1", TICKET, 201, '{"id": 1}')]
    with db.reading() as session:
        assert session.scalar(select(idempotency_keys.c.created_at)) == NOW


def test_the_same_key_with_another_request_is_refused_and_keeps_the_first_answer(db):
    with db.transaction() as session:
        claim_key(session)
        answer(session, '{"id": 1}')

    with pytest.raises(IdempotencyKeyReused), db.transaction() as session:
        claim_key(session, request_hash=OTHER_TICKET)

    assert stored_rows(db) == [("customer:7", "k-1", TICKET, 201, '{"id": 1}')]


def test_a_key_whose_first_request_has_no_answer_yet_is_in_flight(db):
    # A service may claim, commit, call out (a payment gateway) and store the answer later.
    with db.transaction() as session:
        claim_key(session)

    with pytest.raises(IdempotencyKeyInFlight), db.transaction() as session:
        claim_key(session)

    with db.transaction() as session:
        answer(session, '{"id": 1}')
    with db.transaction() as session:
        assert claim_key(session) == StoredAnswer(201, '{"id": 1}')


def test_a_request_that_fails_leaves_its_key_free_for_the_retry(db):
    with pytest.raises(RuntimeError), db.transaction() as session:
        assert claim_key(session) is None
        raise RuntimeError("the work failed")

    assert stored_rows(db) == []
    with db.transaction() as session:
        assert claim_key(session) is None


def test_keys_belong_to_their_caller(db):
    with db.transaction() as session:
        assert claim_key(session, caller="customer:7") is None
        answer(session, '{"id": 1}', caller="customer:7")
        assert claim_key(session, caller="customer:8", request_hash=OTHER_TICKET) is None

    assert [row[:2] for row in stored_rows(db)] == [("customer:7", "k-1"), ("customer:8", "k-1")]


def test_two_concurrent_claims_of_one_key_exactly_one_wins(db):
    start = threading.Barrier(2)
    results: dict[str, StoredAnswer | None] = {}

    def request(name: str) -> None:
        start.wait()
        with db.transaction() as session:
            results[name] = claim_key(session)
            if results[name] is None:
                answer(session, f'{{"by": "{name}"}}')

    threads = [threading.Thread(target=request, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    winners = [name for name, result in results.items() if result is None]
    assert len(results) == 2 and len(winners) == 1
    (loser,) = set(results) - set(winners)
    assert results[loser] == StoredAnswer(201, f'{{"by": "{winners[0]}"}}')
    assert len(stored_rows(db)) == 1


def waiting_on_a_lock(db) -> int:
    with db.engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return conn.execute(text(query)).scalar_one()


# PostgreSQL only: on SQLite, with one writer at a time, a second claim cannot start while the first is open.
@pytest.mark.parametrize("database_backend", ["postgresql"])
@pytest.mark.parametrize("first_outcome", ["commit", "rollback"])
def test_on_postgresql_a_second_claim_waits_for_the_first_request_to_finish(db, first_outcome):
    claimed, finish = threading.Event(), threading.Event()
    second: list[StoredAnswer | None] = []

    def first_request() -> None:
        with db.sessions() as session, session.begin():
            assert claim_key(session) is None
            answer(session, '{"id": 1}')
            claimed.set()
            finish.wait(30)
            if first_outcome == "rollback":
                session.rollback()

    def retry() -> None:
        with db.transaction() as session:
            second.append(claim_key(session))
            if second[0] is None:
                answer(session, '{"id": 2}')

    first = threading.Thread(target=first_request)
    first.start()
    assert claimed.wait(30)
    retrying = threading.Thread(target=retry)
    retrying.start()
    wait_for(lambda: waiting_on_a_lock(db) == 1, timeout=10, message="the retry to wait on the first claim")
    assert not second
    finish.set()
    first.join(30)
    retrying.join(30)

    if first_outcome == "commit":
        assert second == [StoredAnswer(201, '{"id": 1}')]
        assert stored_rows(db) == [("customer:7", "k-1", TICKET, 201, '{"id": 1}')]
    else:
        assert second == [None]
        assert stored_rows(db) == [("customer:7", "k-1", TICKET, 201, '{"id": 2}')]


@pytest.mark.parametrize("key", ["k-1", "0f8fad5b-d9cb-469f-a165-70867728950e", "~" * 255])
def test_printable_ascii_keys_are_accepted(key):
    assert check_key(key) == key


@pytest.mark.parametrize("key", ["", "has spaces", "x" * 256, "clé", "tab\tkey", "line\n"])
def test_other_keys_are_refused(key):
    with pytest.raises(InvalidIdempotencyKey):
        check_key(key)


def test_the_fingerprint_covers_target_fields_and_files_not_their_order():
    path = "/v1/customers/7/tickets"
    base = fingerprint("POST", path, {"subject": "a", "message": "b"}, [("x.pdf", "11"), ("y.png", "22")])
    assert base == fingerprint("POST", path, {"message": "b", "subject": "a"}, [("y.png", "22"), ("x.pdf", "11")])
    assert base != fingerprint("POST", path, {"subject": "a", "message": "c"}, [("x.pdf", "11"), ("y.png", "22")])
    assert base != fingerprint("POST", path, {"subject": "a", "message": "b"}, [("x.pdf", "12"), ("y.png", "22")])
    assert base != fingerprint("POST", path, {"subject": "a", "message": "b"}, [("x.pdf", "11")])
    assert base != fingerprint("POST", "/v1/customers/8/tickets", {"subject": "a", "message": "b"}, [("x.pdf", "11")])
    assert base != fingerprint("PUT", path, {"subject": "a", "message": "b"}, [("x.pdf", "11"), ("y.png", "22")])


@pytest.fixture
def client(tmp_path):
    settings = load_settings("ticketing", database_url=f"sqlite:///{tmp_path / 'web.db'}")
    database = Database(settings.database_url)
    app, _api = create_service_app(settings, database, title="test")
    routes = Blueprint("routes", __name__)

    @routes.post("/bad-key")
    def bad_key():
        check_key("has spaces")

    @routes.post("/reused")
    def reused():
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request; use a new key.")

    @routes.post("/in-flight")
    def in_flight():
        raise IdempotencyKeyInFlight("The first request with this Idempotency-Key is still being handled.")

    app.register_blueprint(routes)
    yield app.test_client()
    database.dispose()


def test_the_errors_answer_as_problem_json(client):
    bad_key, reused, in_flight = (client.post(path) for path in ("/bad-key", "/reused", "/in-flight"))

    assert {r.mimetype for r in (bad_key, reused, in_flight)} == {"application/problem+json"}
    assert bad_key.status_code == 422
    assert bad_key.get_json()["errors"] == {"Idempotency-Key": ["Use 1-255 printable ASCII characters without spaces."]}
    assert reused.status_code == 422
    assert reused.get_json()["title"] == "Idempotency key reused"
    assert in_flight.status_code == 409
    assert in_flight.get_json()["detail"] == "The first request with this Idempotency-Key is still being handled."

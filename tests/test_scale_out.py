"""More than one process of a service: workers sharing a queue, web processes sharing sessions,
graceful stops under load and a rolling restart.

Real processes, the real RabbitMQ (a virtual host per test) and SQLite databases, as the
other cross-service tests. Which worker process applied which event is read from the
consumer's log line per acked event ("<type> <id> handled|duplicate"); which gunicorn worker
answered a request, from the access log (`access_log=True`: "<pid> METHOD path status").
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import signal
import sqlite3
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from suite_harness import free_port
from test_customer_flow import create_customer, create_partner, set_password_link

from portico.testing import wait_for

pytestmark = pytest.mark.slow

CREATED, PROVISIONED = "billing.customer.created", "portal.account.provisioned"
# What each consumer of a new customer receives, per customer.
RECEIVES = {
    "ticketing": (CREATED,),
    "documents": (CREATED,),
    "notifications": (CREATED, PROVISIONED),
    "portal-bff": (CREATED,),
}
PASSWORD = "a-Long-passw0rd"
COOKIE = "portico_session"


class Background(threading.Thread):
    """A thread whose exception fails the test (re-raised by `join`)."""

    def __init__(self, target, *args):
        super().__init__(target=target, args=args, daemon=True)
        self.error: BaseException | None = None

    def run(self):
        try:
            super().run()
        except BaseException as error:
            self.error = error

    def join(self, timeout: float | None = 30) -> None:
        if self.ident is not None:  # started
            super().join(timeout)
        assert not self.is_alive(), f"{self.name} still running"
        if self.error is not None:
            raise self.error


def inbox_ids(suite, service: str, types: tuple[str, ...]) -> list[str]:
    marks = ", ".join("?" * len(types))
    return [r[0] for r in suite.query(service, f"SELECT event_id FROM inbox WHERE event_type IN ({marks})", *types)]


def acked_by(suite, names: list[str], types: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """(event id, outcome) of each event of `types` each named worker process acked."""
    return {name: [(i, o) for t, i, o in suite.acked(name) if t in types] for name in names}


def assert_each_event_applied_once_by_one_process(suite, service: str, names: list[str], count: int) -> dict:
    """`count` events in the inbox, each acked once, by one of the processes, never as a duplicate
    (a duplicate is an event committed by one process and not acked: delivered again). The
    number each process applied."""
    types = RECEIVES[service]
    ids = inbox_ids(suite, service, types)
    assert len(ids) == len(set(ids)) == count, (service, len(ids), len(set(ids)), count)

    # The log line follows the ack, which follows the commit: wait for the last ones.
    def logged():
        found = acked_by(suite, names, types)
        return found if sum(map(len, found.values())) >= count else None

    by_process = wait_for(logged, timeout=10, message=f"{count} acked events in the logs of {names}")
    outcomes = Counter(outcome for acked in by_process.values() for _, outcome in acked)
    assert outcomes == {"handled": count}, (service, outcomes)
    assert sorted(i for acked in by_process.values() for i, _ in acked) == sorted(ids), service
    return {name: len(acked) for name, acked in by_process.items()}


def assert_welcomed_once(suite, inbox, customers: list[dict]) -> None:
    """Each customer once in every replica, one portal account, one password token, one welcome
    message and delivery, and exactly one email to each."""
    ids = sorted(c["id"] for c in customers)
    for service in ("ticketing", "documents", "notifications"):
        assert sorted(r[0] for r in suite.query(service, "SELECT id FROM customers")) == ids, service
    for sql in ("SELECT customer_id FROM portal_accounts", "SELECT customer_id FROM password_tokens"):
        assert sorted(r[0] for r in suite.query("portal-bff", sql)) == ids, sql
    for sql in ("SELECT customer_id FROM messages", "SELECT customer_id FROM deliveries"):
        assert sorted(r[0] for r in suite.query("notifications", sql)) == ids, sql
    recipients = Counter(m["To"] for m in inbox.messages)
    assert recipients == {c["emails"][0]: 1 for c in customers}


def all_consumed(suite, inbox, count: int, services=RECEIVES) -> bool:
    if len(inbox.messages) < count:
        return False
    return all(len(inbox_ids(suite, s, RECEIVES[s])) >= count * len(RECEIVES[s]) for s in services)


# -- 1. several worker processes of every service on one queue ---------------------------------
def test_several_workers_of_every_service_share_the_stream_and_apply_each_event_once(suite, operator, inbox):
    processes = {"ticketing": 2, "documents": 2, "notifications": 3, "portal-bff": 2}
    count = 40
    suite.migrate()
    workers = {
        service: [suite.start_worker(service, name=f"{service}-worker-{i}") for i in range(1, n + 1)]
        for service, n in processes.items()
    }
    suite.start_web("billing")
    for names in workers.values():
        for name in names:
            suite.wait_consuming(name)

    partner = create_partner(suite, operator)
    customers = [create_customer(suite, operator, partner, login=f"scale{n}") for n in range(count)]

    wait_for(lambda: all_consumed(suite, inbox, count), timeout=60, interval=0.2, message="every effect")
    assert_welcomed_once(suite, inbox, customers)
    for service, names in workers.items():
        events = count * len(RECEIVES[service])
        shares = assert_each_event_applied_once_by_one_process(suite, service, names, events)
        # RabbitMQ hands a queue's messages round-robin to its consumers: every process takes a share.
        assert all(n >= events // (4 * len(names)) for n in shares.values()), (service, shares)


# -- 2. sessions across web processes ------------------------------------------------------------
def test_a_portal_session_opened_on_one_bff_process_holds_on_another(suite, operator, inbox):
    suite.migrate(["billing", "notifications", "portal-bff"])
    suite.start_worker("portal-bff")
    suite.start_worker("notifications")
    # Two gunicorn masters on two ports, two worker processes each.
    first = suite.start_web("portal-bff", wait=False, access_log=True, WEB_CONCURRENCY="2")
    second = suite.start_web(
        "portal-bff", name="portal-bff-2", port=free_port(), wait=False, access_log=True, WEB_CONCURRENCY="2"
    )
    suite.start_web("billing", wait=False)
    for name in ("billing", first, second):
        suite.wait_healthy(name)
    one, two = suite.web_url(first), suite.web_url(second)

    create_customer(suite, operator, create_partner(suite, operator), login="shared")
    [email] = wait_for(lambda: inbox.to("shared@example.com"), timeout=30, message="the welcome email")
    token = set_password_link(email).rsplit("=", 1)[1]
    answer = requests.post(f"{one}/api/v1/set-password", json={"token": token, "password": PASSWORD}, timeout=10)
    assert answer.status_code == 204, answer.text

    signed_in = requests.post(
        f"{one}/api/v1/session", json={"login": "shared", "password": PASSWORD, "delivery": "cookie"}, timeout=10
    )
    assert signed_in.status_code == 201, signed_in.text
    cookie, session = {COOKIE: signed_in.cookies[COOKIE]}, signed_in.json()

    # Every gunicorn worker of both processes knows the session: 8 clients at once, new
    # connections, alternating between the ports, until each worker answered some.
    def current(n: int) -> tuple[int, str | None]:
        response = requests.get(f"{(one, two)[n % 2]}/api/v1/session", cookies=cookie, timeout=10)
        return response.status_code, response.json().get("id")

    def workers_answering(name: str) -> set[int]:
        return {pid for pid, method, path, _ in suite.served(name) if (method, path) == ("GET", "/api/v1/session")}

    answers: list[tuple[int, str | None]] = []
    with ThreadPoolExecutor(8) as pool:
        for _ in range(12):
            answers += pool.map(current, range(16))
            if len(workers_answering(first)) == len(workers_answering(second)) == 2:
                break
    assert set(answers) == {(200, session["id"])}
    assert len(workers_answering(first)) == len(workers_answering(second)) == 2

    # A bearer session opened on the second process works on the first.
    app = requests.post(
        f"{two}/api/v1/session", json={"login": "shared", "password": PASSWORD, "delivery": "bearer"}, timeout=10
    )
    assert app.status_code == 201, app.text
    bearer = {"Authorization": f"Bearer {app.json()['token']}"}
    assert requests.get(f"{one}/api/v1/session", headers=bearer, timeout=10).json()["id"] == app.json()["id"]

    # Signing out on the second process (with the CSRF token the first gave) ends the session on the first.
    signed_out = requests.delete(
        f"{two}/api/v1/session", cookies=cookie, headers={"X-CSRF-Token": session["csrf_token"]}, timeout=10
    )
    assert signed_out.status_code == 204, signed_out.text
    assert requests.get(f"{one}/api/v1/session", cookies=cookie, timeout=10).status_code == 401
    assert requests.get(f"{one}/api/v1/session", headers=bearer, timeout=10).status_code == 200


# -- 3. graceful stops under load -----------------------------------------------------------------
def test_a_worker_stopped_mid_stream_finishes_the_events_in_hand_and_the_other_takes_the_rest(suite, operator, inbox):
    count = 40
    suite.migrate(["billing", "notifications", "portal-bff"])
    suite.start_worker("portal-bff")
    stopped, survivor = (suite.start_worker("notifications", name=f"notifications-worker-{i}") for i in (1, 2))
    suite.start_web("billing")
    for name in ("portal-bff-worker", stopped, survivor):
        suite.wait_consuming(name)
    partner = create_partner(suite, operator)
    customers: list[dict] = []

    def produce():
        for n in range(count):
            customers.append(create_customer(suite, operator, partner, login=f"stream{n}"))
            time.sleep(0.03)

    producer = Background(produce)
    producer.start()
    try:
        wait_for(lambda: len(suite.acked(stopped)) >= 6, timeout=30, message="the first worker taking its share")
        # Holding notifications' database write lock, every batch a worker takes waits in its
        # transaction: SIGTERM comes while the first worker holds events it has not committed.
        with contextlib.closing(
            sqlite3.connect(suite.database_path("notifications"), isolation_level=None, timeout=10)
        ) as lock:
            lock.execute("BEGIN IMMEDIATE")
            try:
                time.sleep(0.5)  # the stream goes on: both workers now hold some
                process = suite.processes[stopped]
                process.send_signal(signal.SIGTERM)
                time.sleep(0.5)
                assert process.poll() is None, "the worker must finish the events in hand before it exits"
                created_at_stop = len(customers)
            finally:
                lock.execute("ROLLBACK")
        assert suite.stop(stopped) == 0
    finally:
        producer.join()
    assert created_at_stop < count  # stopped mid-stream

    wait_for(lambda: all_consumed(suite, inbox, count, ["notifications"]), timeout=60, interval=0.2)
    ids = sorted(c["id"] for c in customers)
    assert sorted(r[0] for r in suite.query("notifications", "SELECT customer_id FROM deliveries")) == ids
    assert sorted(r[0] for r in suite.query("notifications", "SELECT customer_id FROM messages")) == ids
    assert Counter(m["To"] for m in inbox.messages) == {c["emails"][0]: 1 for c in customers}
    shares = assert_each_event_applied_once_by_one_process(suite, "notifications", [stopped, survivor], 2 * count)
    assert shares[stopped] > 0 and shares[survivor] > 0, shares
    # What the stopped worker held when the signal came, it finished after it: committed and
    # acked, or (a provisioning whose customer the other worker had not yet committed: RetryLater)
    # rolled back and handed back, and applied by the other worker (counted above).
    entries = suite.log_entries(stopped)
    signalled = next(n for n, e in enumerate(entries) if e["message"].startswith("signal 15"))
    finished = [e["message"] for e in entries[signalled:] if e["logger"] == "portico.events.consumer"]
    assert finished and all(m.endswith(" handled") or "will retry" in m for m in finished), finished


@pytest.mark.parametrize("worker_class", ["sync", "gthread"])
def test_a_web_process_stopped_under_load_answers_every_request_it_took(suite, operator, worker_class):
    suite.migrate(["billing"])
    suite.start_web("billing", access_log=True, WEB_CONCURRENCY="2", GUNICORN_WORKER_CLASS=worker_class)
    partner = create_partner(suite, operator)
    port = suite.ports["billing"]
    headers = {**operator, "Content-Type": "application/json"}
    results: list[tuple[str, object, float, float]] = []  # login, status or what failed, start, end

    def post(login: str):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.connect()
        except ConnectionRefusedError:
            return "refused"  # the stop came before this request: nothing was accepted
        try:
            body = {"login": login, "full_name": "Load", "emails": [f"{login}@example.com"], "partner_id": partner}
            connection.request("POST", "/admin/v1/customers", body=json.dumps(body), headers=headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
            return response.status if answer.get("login") == login else f"wrong answer {answer}"
        except (OSError, http.client.HTTPException, ValueError) as error:
            return f"no answer: {type(error).__name__}"
        finally:
            connection.close()

    def client(k: int):
        for n in range(150):
            started = time.monotonic()
            outcome = post(f"load{k}x{n}")
            results.append((f"load{k}x{n}", outcome, started, time.monotonic()))
            if outcome == "refused":
                return

    clients = [Background(client, k) for k in range(8)]
    for thread in clients:
        thread.start()
    wait_for(lambda: len(results) >= 40, timeout=30, message="the load to start")
    signalled = time.monotonic()
    assert suite.stop("billing") == 0
    for thread in clients:
        thread.join()

    outcomes = Counter(outcome for _, outcome, _, _ in results)
    answered = {login for login, outcome, _, _ in results if outcome == 201}
    stored = {login for (login,) in suite.query("billing", "SELECT login FROM customers")}
    taken = [(m, p, s) for _, m, p, s in suite.served("billing") if (m, p) == ("POST", "/admin/v1/customers")]
    # Every request the server took (its effect stored, its access-log line written) got its
    # complete answer, those in flight at the signal included.
    assert stored == answered, outcomes
    assert len(taken) == len(answered) and {s for _, _, s in taken} == {201}
    assert any(outcome == 201 and start < signalled < end for _, outcome, start, end in results)
    # The others were never taken: refused once the stop began, or (connections the kernel had
    # queued on the listening socket that the workers close as they exit) reset unread.
    assert all(o in (201, "refused") or str(o).startswith("no answer") for o in outcomes), outcomes
    assert outcomes["refused"] == len(clients), outcomes


# -- 4. a rolling restart ---------------------------------------------------------------------------
def test_a_rolling_restart_under_load_loses_no_event_and_no_read(suite, operator):
    suite.migrate(["billing", "ticketing"])
    workers = [suite.start_worker("ticketing", name=f"ticketing-worker-{i}") for i in (1, 2)]
    webs = {"ticketing": suite.ports["ticketing"], "ticketing-2": free_port()}
    for name, port in webs.items():
        suite.start_web("ticketing", name=name, port=port, wait=False)
    suite.start_web("billing", wait=False)
    for name in ("billing", *webs):
        suite.wait_healthy(name)
    for name in workers:
        suite.wait_consuming(name)
    partner = create_partner(suite, operator)
    customers: list[dict] = []
    reads: Counter = Counter()
    done = threading.Event()

    def produce():
        for n in range(400):
            if done.is_set():
                return
            customers.append(create_customer(suite, operator, partner, login=f"roll{n}"))
            time.sleep(0.04)

    def read():
        """A load balancer's view: each read to the next port, and to the other when refused."""
        ports = itertools.cycle(webs.values())
        for n in itertools.count():
            if done.is_set():
                return
            first = next(ports)
            customer_id = customers[n % len(customers)]["id"]
            for port in (first, *(p for p in webs.values() if p != first)):
                url = f"http://127.0.0.1:{port}/v1/customers/{customer_id}"
                try:
                    reads[requests.get(url, headers=operator, timeout=10).status_code] += 1
                    break
                except requests.ConnectionError:
                    reads["retried on the other port"] += 1
            else:
                reads["unanswered"] += 1
            time.sleep(0.01)

    producer, reader = Background(produce), Background(read)
    producer.start()
    try:
        wait_for(lambda: len(customers) >= 5, timeout=10)
        reader.start()
        for name in workers:  # one at a time: the other consumes meanwhile
            assert suite.stop(name) == 0
            since = suite.log_size(name)
            suite.start_worker("ticketing", name=name)
            suite.wait_consuming(name, since=since)
        for name, port in webs.items():  # one at a time: the other answers meanwhile
            assert suite.stop(name) == 0
            suite.start_web("ticketing", name=name, port=port)
        restarted_with = len(customers)
        wait_for(lambda: len(customers) >= restarted_with + 5, timeout=10)
    finally:
        done.set()
        producer.join()
        reader.join()

    ids = sorted(c["id"] for c in customers)
    wait_for(lambda: len(suite.query("ticketing", "SELECT id FROM customers")) >= len(ids), timeout=30)
    assert sorted(r[0] for r in suite.query("ticketing", "SELECT id FROM customers")) == ids
    assert_each_event_applied_once_by_one_process(suite, "ticketing", workers, len(ids))
    assert reads["unanswered"] == 0 and reads["retried on the other port"] > 0, reads
    assert set(reads) <= {200, 404, "retried on the other port"}, reads  # 404: read before its event arrived
    assert reads[200] > 0, reads

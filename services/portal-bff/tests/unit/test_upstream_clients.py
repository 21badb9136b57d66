"""The upstream clients: a customer's token minted once and sent for half its life; the pages' reads
(straight through urllib3) with the same outcomes as every other call; writes reported once sent."""

import json
import threading

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from portal_bff import upstreams
from portal_bff.errors import UpstreamRejected, UpstreamUnavailable
from portal_bff.upstream_settings import upstream_settings
from portal_bff.upstreams import Upstream, _query
from portico.auth import verify_token
from portico.settings import DEV_JWT_SECRET, load_settings


def make(url: str = "http://127.0.0.1:9", **extra) -> Upstream:
    settings = load_settings(
        "portal-bff",
        database_url="sqlite://",
        **{f"{name}_URL": url for name in ("BILLING", "TICKETING", "DOCUMENTS", "NOTIFICATIONS")},
        PORTAL_BFF_BREAKER_FAILURES="2",
    )
    return Upstream(settings, upstream_settings(settings)["billing"], **extra)


class Stub:
    """A tiny HTTP service answering what the test sets, and remembering what it was asked."""

    def __init__(self) -> None:
        self.status, self.body, self.asked = 200, b'{"ok": true}', []
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def app(self, environ, start_response):
        request = Request(environ)
        self.asked.append((request.method, request.full_path, dict(request.headers)))
        return Response(self.body, status=self.status, mimetype="application/json")(environ, start_response)


@pytest.fixture
def stub():
    served = Stub()
    yield served
    served.server.shutdown()


def token_of(headers: dict) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def test_the_same_customers_token_is_sent_again_for_half_its_life(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(upstreams.time, "monotonic", lambda: clock[0])
    billing = make()

    first = token_of(billing.headers(7))
    clock[0] += 29
    assert token_of(billing.headers(7)) == first
    clock[0] += 1
    renewed = token_of(billing.headers(7))

    principal = verify_token(DEV_JWT_SECRET, renewed, "billing")
    assert (principal.kind, principal.customer_id) == ("customer", 7)


def test_each_customer_has_a_token_of_their_own_and_each_call_its_request_id():
    billing = make()

    mine, theirs = billing.headers(7), billing.headers(8)

    assert verify_token(DEV_JWT_SECRET, token_of(theirs), "billing").customer_id == 8
    assert token_of(mine) != token_of(theirs)
    assert mine["X-Request-ID"] != billing.headers(7)["X-Request-ID"]


def test_a_read_sends_the_query_as_requests_would_and_answers_the_json(stub):
    billing = make(stub.url)

    found = billing.get_json(
        "/v1/customers/7/invoices", customer_id=7, params={"status": ["unpaid", "overdue"], "limit": 5, "cursor": None}
    )

    assert found == {"ok": True}
    [(method, path, headers)] = stub.asked
    assert (method, path) == ("GET", "/v1/customers/7/invoices?status=unpaid&status=overdue&limit=5")
    assert verify_token(DEV_JWT_SECRET, headers["Authorization"].removeprefix("Bearer "), "billing").customer_id == 7
    assert headers["X-Request-Id"] and headers["X-Correlation-Id"]


@pytest.mark.parametrize(
    "params",
    [{"status": ["a", "b"], "limit": 5}, {"q": "ünï code & more", "from": "2026-01-01"}, [("a", "1"), ("a", "2")], {}],
)
def test_the_query_is_written_as_requests_writes_it(params):
    prepared = requests.Request("GET", "http://x/p", params=params).prepare()
    assert ("/p?" + _query(params) if params else "/p") == prepared.path_url


def test_a_refusal_carries_the_upstreams_problem_and_is_no_failure(stub):
    billing = make(stub.url)
    stub.status, stub.body = 404, json.dumps({"title": "Not found", "detail": "No such invoice."}).encode()

    with pytest.raises(UpstreamRejected) as refused:
        billing.get_json("/v1/customers/7/invoices/9", customer_id=7)

    assert (refused.value.status, str(refused.value)) == (404, "No such invoice.")
    assert billing.breaker.state == "closed"


@pytest.mark.parametrize(("status", "body"), [(500, b"{}"), (503, b"down"), (401, b"{}")])
def test_a_failing_answer_is_unavailable_and_counts_towards_the_breaker(stub, status, body):
    billing = make(stub.url)
    stub.status, stub.body = status, body

    for _ in range(2):
        with pytest.raises(UpstreamUnavailable):
            billing.get_json("/v1/customers/7/summary", customer_id=7)

    asked = len(stub.asked)
    with pytest.raises(UpstreamUnavailable):
        billing.get_json("/v1/customers/7/summary", customer_id=7)
    assert billing.breaker.state == "open" and len(stub.asked) == asked  # not even asked


def test_an_answer_that_is_not_json_is_unavailable(stub):
    stub.body = b"<html>"

    with pytest.raises(UpstreamUnavailable):
        make(stub.url).get_json("/v1/customers/7/summary", customer_id=7)


def test_no_connection_is_unavailable_and_opens_the_breaker():
    billing = make()  # nothing listens there

    for _ in range(2):
        with pytest.raises(UpstreamUnavailable):
            billing.get_json("/v1/customers/7/summary", customer_id=7)

    assert billing.breaker.state == "open"


def test_a_write_is_reported_once_sent_whatever_its_outcome_and_a_read_never(stub):
    reported = []
    billing = make(stub.url, on_write=lambda customer_id, service: reported.append((customer_id, service)))

    billing.call("POST", "/v1/customers/7/checkouts", customer_id=7, json={})
    stub.status = 422
    with pytest.raises(UpstreamRejected):
        billing.call("PATCH", "/v1/customers/7/profile", customer_id=7, json={})
    stub.status = 200
    billing.call("GET", "/v1/customers/7/summary", customer_id=7)
    billing.get_json("/v1/customers/7/summary", customer_id=7)

    assert reported == [(7, "billing"), (7, "billing")]

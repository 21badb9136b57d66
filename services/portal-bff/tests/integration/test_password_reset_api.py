"""Password reset: always 202, a one-hour single-use link by event, sessions ended on use."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal_bff.models import PasswordToken
from portal_bff.password_tokens import token_hash
from portal_bff.passwords import verify_password
from portico.events.schemas import validate_event

NEW = "brand new horse 7"


def reset_events(outbox_events) -> list[dict]:
    return [e for e in outbox_events() if e["type"] == "portal.password_reset.requested"]


def token_of(event: dict) -> str:
    [token] = parse_qs(urlsplit(event["data"]["reset_url"]).query)["token"]
    return token


def reset_tokens(stored) -> list[PasswordToken]:
    return [t for t in stored.tokens() if t.purpose == "reset_password"]


def test_asking_by_login_publishes_a_one_hour_link(client, jane, outbox_events, stored, clock):
    at = clock.freeze()
    response = client.post("/api/v1/password-reset", json={"login": "jane.doe"})

    assert response.status_code == 202
    assert response.get_json() == {
        "message": "If an account matches, a link to reset its password is on its way by email; "
        "it works once, for 60 minutes."
    }
    [event] = reset_events(outbox_events)
    validate_event(event)
    data = event["data"]
    assert (data["customer_id"], data["login"]) == (7, "jane.doe")
    assert data["reset_url"].startswith("https://portal.example.net/reset-password?token=")
    assert data["expires_at"] == (at + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    [row] = reset_tokens(stored)
    assert row.token_hash == token_hash(token_of(event)) and row.expires_at == at + timedelta(hours=1)


def test_asking_by_email_finds_the_account_whatever_the_case(client, jane, outbox_events):
    assert client.post("/api/v1/password-reset", json={"email": "Jane@Example.COM"}).status_code == 202
    assert [e["data"]["customer_id"] for e in reset_events(outbox_events)] == [7]


def test_an_email_shared_by_two_accounts_sends_each_its_link(client, jane, account, outbox_events):
    account(8, login="jane.junior", emails=["jane@example.com"])
    client.post("/api/v1/password-reset", json={"email": "jane@example.com"})
    assert sorted(e["data"]["login"] for e in reset_events(outbox_events)) == ["jane.doe", "jane.junior"]


def test_an_email_changed_in_billing_is_the_one_that_works(client, jane, handle, customer_updated, outbox_events):
    handle(customer_updated(7, revision=2, login="jane.doe", status="active", emails=["new@example.com"]))

    client.post("/api/v1/password-reset", json={"email": "jane@example.com"})
    assert reset_events(outbox_events) == []
    client.post("/api/v1/password-reset", json={"email": "new@example.com"})
    assert len(reset_events(outbox_events)) == 1


@pytest.mark.parametrize("body", [{"login": "nobody.here"}, {"email": "nobody@example.com"}])
def test_an_unknown_login_or_email_gets_the_same_answer_and_nothing_happens(client, jane, outbox_events, stored, body):
    known = client.post("/api/v1/password-reset", json={"login": "jane.doe"})
    before = (len(outbox_events()), len(stored.tokens()))

    unknown = client.post("/api/v1/password-reset", json=body)

    assert (unknown.status_code, unknown.data, unknown.mimetype) == (known.status_code, known.data, known.mimetype)
    assert (len(outbox_events()), len(stored.tokens())) == before


def test_the_link_sets_a_new_password_once_and_ends_every_session(
    problem, client, jane, signed_in_client, outbox_events, stored
):
    browser, _csrf, _id = signed_in_client()
    client.post("/api/v1/password-reset", json={"login": "jane.doe"})
    token = token_of(reset_events(outbox_events)[0])

    done = client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW})

    assert done.status_code == 204
    assert verify_password(stored.account(7).password_hash, NEW)
    assert {s.revoked_reason for s in stored.sessions(7)} == {"password_reset"}
    problem(browser.get("/api/v1/session"), 401)
    again = client.post("/api/v1/password-reset/confirm", json={"token": token, "password": "another horse 8"})
    problem(again, 410)
    assert verify_password(stored.account(7).password_hash, NEW)


def test_the_link_expires_after_an_hour(problem, client, jane, outbox_events, stored, clock):
    clock.freeze()
    client.post("/api/v1/password-reset", json={"login": "jane.doe"})
    token = token_of(reset_events(outbox_events)[0])
    before = stored.account(7).password_hash

    clock.advance(hours=1)
    problem(client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW}), 410)
    assert stored.account(7).password_hash == before


def test_a_reset_lifts_a_lockout(client, jane, sign_in, outbox_events, clock):
    clock.freeze()
    for _ in range(5):
        sign_in(password="wrong horse 1")
    assert sign_in().status_code == 423
    client.post("/api/v1/password-reset", json={"login": "jane.doe"})
    token = token_of(reset_events(outbox_events)[0])

    assert client.post("/api/v1/password-reset/confirm", json={"token": token, "password": NEW}).status_code == 204
    assert sign_in(password=NEW).status_code == 201


def test_at_most_three_links_an_hour_per_account_the_answer_unchanged(client, jane, outbox_events, clock):
    clock.freeze(clock().replace(minute=0, second=0))
    statuses = [client.post("/api/v1/password-reset", json={"login": "jane.doe"}).status_code for _ in range(5)]

    assert statuses == [202] * 5
    assert len(reset_events(outbox_events)) == 3
    clock.advance(hours=1)
    client.post("/api/v1/password-reset", json={"login": "jane.doe"})
    assert len(reset_events(outbox_events)) == 4


def test_one_ip_may_ask_ten_times_an_hour(problem, client, clock):
    clock.freeze(clock().replace(minute=0, second=0))
    for n in range(10):
        assert client.post("/api/v1/password-reset", json={"login": f"someone{n}"}).status_code == 202
    limited = client.post("/api/v1/password-reset", json={"login": "someone"})
    problem(limited, 429)
    assert limited.headers["Retry-After"] == "3600"


@pytest.mark.parametrize(
    "body",
    [{}, {"login": "jane.doe", "email": "jane@example.com"}, {"login": ""}, {"email": 5}, {"phone": "+1"}],
    ids=["neither", "both", "empty-login", "email-not-a-string", "unknown-field"],
)
def test_asking_needs_exactly_one_of_login_or_email(problem, client, jane, outbox_events, body):
    problem(client.post("/api/v1/password-reset", json=body), 422)
    assert reset_events(outbox_events) == []

"""POST /api/v1/set-password: the link's token sets the first password, once."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from portal_bff.accounts import set_password
from portal_bff.errors import InvalidToken
from portal_bff.lockout import LockoutPolicy, record_failure
from portal_bff.models import PasswordToken, PortalAccount, TokenPurpose
from portal_bff.password_tokens import issue_token
from portal_bff.passwords import verify_password

GOOD = "correct horse 42"


def post(client, body=None, **kwargs):
    return client.post("/api/v1/set-password", json=body, **kwargs)


def account_state(stored, customer_id: int = 7) -> tuple:
    account = stored.account(customer_id)
    tokens = [(t.id, t.used_at) for t in stored.tokens()]
    return (account.password_hash, account.must_change_password, account.updated_at, tokens)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


def test_the_token_sets_an_argon2_password_once(client, provisioned, stored):
    response = post(client, {"token": provisioned, "password": GOOD})  # no Authorization: the token is enough

    assert response.status_code == 204
    assert response.data == b""
    account = stored.account(7)
    assert account.password_hash.startswith("$argon2")
    assert verify_password(account.password_hash, GOOD)
    assert account.must_change_password is False
    [token_row] = stored.tokens()
    assert token_row.used_at is not None

    again = post(client, {"token": provisioned, "password": "another horse 43"})

    assert_problem(again, 410)
    assert verify_password(stored.account(7).password_hash, GOOD)


def test_the_same_token_sent_at_once_many_times_works_once(app, provisioned, stored):
    def attempt(n: int) -> int:
        return post(app.test_client(), {"token": provisioned, "password": f"correct horse {n}"}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(attempt, range(6)))

    assert statuses == [204, 410, 410, 410, 410, 410]
    hashed = stored.account(7).password_hash
    assert sum(verify_password(hashed, f"correct horse {n}") for n in range(6)) == 1


def test_setting_the_password_clears_a_forced_change_and_a_lockout(client, db, provisioned, stored):
    now = datetime.now(UTC)
    with db.transaction() as session:
        session.get(PortalAccount, 7).must_change_password = True
        for _ in range(5):
            record_failure(session, "jane.doe", policy=LockoutPolicy(), now=now)
    assert stored.lockouts() != []

    assert post(client, {"token": provisioned, "password": GOOD}).status_code == 204

    assert stored.account(7).must_change_password is False
    assert stored.lockouts() == []


def test_a_new_password_voids_the_customers_other_open_links(client, db, provisioned, stored):
    with db.transaction() as session:
        reset_token, _ = issue_token(
            session, 7, TokenPurpose.RESET_PASSWORD, now=datetime.now(UTC), ttl=timedelta(hours=1)
        )

    assert post(client, {"token": provisioned, "password": GOOD}).status_code == 204

    assert_problem(post(client, {"token": reset_token, "password": "another horse 43"}), 410)
    assert verify_password(stored.account(7).password_hash, GOOD)


def test_unknown_used_and_expired_tokens_get_the_same_answer_and_change_nothing(client, db, provision, stored):
    used, expired = provision(7), provision(8)
    assert post(client, {"token": used, "password": GOOD}).status_code == 204
    with db.transaction() as session:
        session.execute(
            update(PasswordToken)
            .where(PasswordToken.customer_id == 8)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    before = [account_state(stored, 7), account_state(stored, 8)]

    answers = [
        post(client, {"token": token, "password": "another horse 43"})
        for token in (used, expired, "not-a-token-anyone-was-given")
    ]

    bodies = [assert_problem(answer, 410) for answer in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert [account_state(stored, 7), account_state(stored, 8)] == before
    assert verify_password(stored.account(7).password_hash, GOOD)
    assert stored.account(8).password_hash is None


def test_a_token_works_until_the_moment_it_expires(db, provisioned, stored):
    [token_row] = stored.tokens()
    expires_at = token_row.expires_at.replace(tzinfo=UTC)

    with pytest.raises(InvalidToken), db.transaction() as session:
        set_password(session, provisioned, GOOD, now=expires_at)
    assert stored.account(7).password_hash is None

    with db.transaction() as session:
        set_password(session, provisioned, GOOD, now=expires_at - timedelta(seconds=1))
    assert verify_password(stored.account(7).password_hash, GOOD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt!", "at least 10 characters"),
        ("onlylettershere", "besides letters"),
        ("20261123123456", "besides digits"),
        ("JANE.DOE.1", "must not be your login"),
    ],
    ids=["too-short", "letters-only", "digits-only", "the-login"],
)
def test_a_weak_password_is_refused_with_the_reason_and_the_link_still_works(
    client, provision, stored, password, reason
):
    token = provision(7, login="jane.doe.1")
    before = account_state(stored)

    response = post(client, {"token": token, "password": password})

    body = assert_problem(response, 422)
    [message] = body["errors"]["password"]
    assert reason in message
    assert account_state(stored) == before
    assert post(client, {"token": token, "password": GOOD}).status_code == 204


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({}, 422),
        ({"json": {}}, 422),
        ({"json": {"token": "t"}}, 422),
        ({"json": {"password": GOOD}}, 422),
        ({"json": {"token": 12, "password": GOOD}}, 422),
        ({"json": {"token": "t", "password": ["x"]}}, 422),
        ({"json": {"token": "", "password": GOOD}}, 422),
        ({"json": {"token": "t", "password": GOOD, "admin": True}}, 422),
        ({"json": ["token", "password"]}, 422),
        ({"data": "{not json", "content_type": "application/json"}, 400),
    ],
    ids=[
        "no-body",
        "empty-object",
        "no-password",
        "no-token",
        "token-not-a-string",
        "password-not-a-string",
        "empty-token",
        "unknown-field",
        "not-an-object",
        "not-json",
    ],
)
def test_malformed_bodies_get_a_problem_and_change_nothing(client, provisioned, stored, kwargs, status):
    before = account_state(stored)

    response = client.post("/api/v1/set-password", **kwargs)

    assert_problem(response, status)
    assert account_state(stored) == before


def test_the_field_errors_name_the_missing_fields(client):
    body = assert_problem(post(client, {}), 422)
    assert set(body["errors"]) == {"token", "password"}


def test_only_post_is_allowed(client):
    response = client.get("/api/v1/set-password")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]

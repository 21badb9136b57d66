"""POST /api/v1/session: password sign-in, one answer for every failure, lockout, rate limit, fixation."""

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from portal_bff import passwords
from portal_bff.models import PortalAccount
from portico.events.schemas import validate_event

PASSWORD = "correct horse 42"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_good_password_starts_a_session_in_an_httponly_cookie(client, jane, sign_in, stored, outbox_events, clock):
    at = clock.freeze()
    response = sign_in(ip="198.51.100.7")

    assert response.status_code == 201
    body = response.get_json()
    assert (body["customer_id"], body["login"], body["restrictions"], body["impersonation"]) == (
        7,
        "jane.doe",
        [],
        None,
    )
    assert "token" not in body and len(body["csrf_token"]) >= 40
    cookie = client.get_cookie("portico_session")
    assert cookie.http_only and cookie.same_site == "Lax" and cookie.path == "/"
    assert not cookie.secure  # plain HTTP here; see the HTTPS test
    [row] = stored.sessions(7)
    assert row.id == body["id"]
    assert row.token_hash == sha256(cookie.value)  # only the hash is stored
    assert cookie.value not in (row.token_hash, row.csrf_token, row.id)
    assert (row.ip, row.user_agent, row.created_at, row.expires_at) == (
        "198.51.100.7",
        FIREFOX,
        at,
        at + timedelta(hours=12),
    )
    assert body["idle_expires_at"] == (at + timedelta(minutes=30)).isoformat()
    [line] = stored.history(7)
    assert (line.outcome, line.ip, line.session_id, line.impersonated_by) == ("success", "198.51.100.7", row.id, None)
    [event] = [e for e in outbox_events() if e["type"] == "portal.account.signed_in"]
    validate_event(event)
    assert event["data"] == {
        "customer_id": 7,
        "at": at.isoformat().replace("+00:00", "Z"),
        "ip": "198.51.100.7",
        "impersonated_by": None,
    }

    assert client.get("/api/v1/session").get_json()["id"] == row.id


def test_over_https_the_cookie_is_secure(app, jane):
    browser = app.test_client()
    response = browser.post(
        "/api/v1/session", json={"login": "jane.doe", "password": PASSWORD}, base_url="https://portal.example.net"
    )
    assert response.status_code == 201
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_cookie_secure_setting_forces_secure_cookies(make_app, jane):
    browser = make_app(PORTAL_BFF_COOKIE_SECURE="on").test_client()
    response = browser.post("/api/v1/session", json={"login": "jane.doe", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_an_app_asks_for_a_bearer_token_and_gets_no_cookie(client, jane, sign_in, stored):
    response = sign_in(delivery="bearer")

    assert response.status_code == 201
    token = response.get_json()["token"]
    assert "Set-Cookie" not in response.headers
    assert stored.sessions(7)[0].token_hash == sha256(token)
    app_client = client.application.test_client()
    assert app_client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_an_unknown_login_and_a_wrong_password_get_the_same_answer(problem, client, jane, account, sign_in, stored):
    account(8, login="no.password.yet")
    with client.application.extensions["portico.db"].transaction() as session:
        session.get(PortalAccount, 8).password_hash = None

    answers = [
        sign_in("jane.doe", "wrong horse 42"),
        sign_in("nobody.here", "wrong horse 42"),
        sign_in("no.password.yet", "wrong horse 42"),
    ]

    bodies = [problem(a, 401) for a in answers]
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["title"] == "Sign-in failed"
    assert {a.headers.get("WWW-Authenticate") for a in answers} == {'Bearer realm="portal"'}
    assert all("Set-Cookie" not in a.headers for a in answers)
    assert stored.sessions() == []
    # Only the customers' own logins get history lines; nothing for a login no one has.
    assert [(h.customer_id, h.outcome) for h in stored.history()] == [(7, "wrong_password"), (8, "wrong_password")]


def test_an_unknown_login_costs_an_argon2_verification_too(client, jane, sign_in, monkeypatch):
    verified = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: verified.append(h) or real(h, p))

    sign_in("nobody.here", "wrong horse 42")
    sign_in("jane.doe", "wrong horse 42")

    assert len(verified) == 2
    assert all(h.startswith("$argon2id$") for h in verified)
    assert verified[0] == passwords.dummy_hash()


def test_five_failures_lock_the_login_for_fifteen_minutes(problem, client, jane, sign_in, stored, clock):
    start = clock.freeze()
    for _ in range(4):
        problem(sign_in(password="wrong horse 42"), 401)

    fifth = sign_in(password="wrong horse 42")

    body = problem(fifth, 423)
    assert fifth.headers["Retry-After"] == str(15 * 60) and body["retry_after"] == 900
    [lock] = stored.lockouts()
    assert (lock.login, lock.failures, lock.locked_until) == ("jane.doe", 5, start + timedelta(minutes=15))

    clock.advance(minutes=14, seconds=59)
    locked = sign_in()  # the right password does not open a locked login
    problem(locked, 423)
    assert locked.headers["Retry-After"] == "1"
    assert stored.sessions() == []

    clock.advance(seconds=1)
    assert sign_in().status_code == 201
    assert stored.lockouts() == []
    outcomes = [h.outcome for h in stored.history(7)]
    assert outcomes == ["wrong_password"] * 5 + ["locked", "success"]


def test_an_unknown_login_locks_exactly_like_a_known_one(client, jane, sign_in, clock):
    clock.freeze()
    known = [sign_in("jane.doe", "wrong horse 42").status_code for _ in range(6)]
    unknown = [sign_in("nobody.here", "wrong horse 42").status_code for _ in range(6)]

    assert known == unknown == [401, 401, 401, 401, 423, 423]


def test_failures_spread_wider_than_the_lockout_do_not_add_up(problem, client, jane, sign_in, stored, clock):
    clock.freeze()
    for _ in range(4):
        sign_in(password="wrong horse 42")
    clock.advance(minutes=16)

    problem(sign_in(password="wrong horse 42"), 401)
    assert stored.lockouts()[0].failures == 1


def test_the_lockout_threshold_and_duration_come_from_the_settings(make_app, jane, sign_in, clock):
    browser = make_app(PORTAL_BFF_SIGNIN_MAX_FAILURES="2", PORTAL_BFF_SIGNIN_LOCKOUT_MINUTES="1").test_client()
    clock.freeze()
    statuses = [sign_in(password="wrong horse 42", using=browser).status_code for _ in range(3)]
    assert statuses == [401, 423, 423]
    clock.advance(minutes=1)
    assert sign_in(using=browser).status_code == 201


def test_a_success_clears_the_failures(problem, client, jane, sign_in, stored, clock):
    clock.freeze()
    for _ in range(4):
        sign_in(password="wrong horse 42")
    assert sign_in().status_code == 201
    assert stored.lockouts() == []
    problem(sign_in(password="wrong horse 42"), 401)


def test_one_ip_is_limited_to_twenty_attempts_per_five_minutes(problem, client, jane, sign_in, stored, clock):
    start = clock.freeze(clock().replace(minute=0, second=0))
    logins = [f"guess{n}" for n in range(20)]  # distinct logins: no lockout in the way
    assert {sign_in(login, "wrong horse 42", ip="203.0.113.9").status_code for login in logins} == {401}

    clock.advance(seconds=40)
    limited = sign_in(ip="203.0.113.9")

    body = problem(limited, 429)
    assert limited.headers["Retry-After"] == str(300 - 40) and body["retry_after"] == 260
    assert stored.sessions() == []
    # Another address is not affected, and the window passes.
    assert sign_in(ip="203.0.113.10").status_code == 201
    clock.freeze(start + timedelta(minutes=5))
    assert sign_in(ip="203.0.113.9").status_code == 201


def test_concurrent_attempts_from_one_ip_never_pass_the_limit(app, jane, make_app, clock):
    browser_app = make_app(PORTAL_BFF_SIGNIN_IP_LIMIT="5")
    clock.freeze(clock().replace(minute=0, second=0))

    def attempt(n: int) -> int:
        return (
            browser_app.test_client()
            .post(
                "/api/v1/session",
                json={"login": f"guess{n}", "password": "x"},
                environ_base={"REMOTE_ADDR": "203.0.113.1"},
            )
            .status_code
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(attempt, range(12)))

    assert statuses == [401] * 5 + [429] * 7


def test_a_forced_change_signs_in_but_allows_only_the_password_change(problem, app, account, sign_in, stored):
    account(7, login="jane.doe", must_change_password=True)
    browser = app.test_client()
    response = sign_in(using=browser)

    assert response.status_code == 201
    body = response.get_json()
    assert body["restrictions"] == ["change_password"]
    csrf = {"X-CSRF-Token": body["csrf_token"]}
    refused = problem(browser.get("/api/v1/sessions"), 403)
    assert refused["restriction"] == "change_password"
    problem(browser.get("/api/v1/portal-config"), 403)
    assert browser.get("/api/v1/session").status_code == 200  # it may see why

    changed = browser.post("/api/v1/password", json={"current": PASSWORD, "new": "brand new horse 7"}, headers=csrf)

    assert changed.status_code == 204
    assert stored.account(7).must_change_password is False
    assert browser.get("/api/v1/session").get_json()["restrictions"] == []
    assert browser.get("/api/v1/sessions").status_code == 200


def test_the_forced_change_must_pick_a_new_password(problem, app, account, sign_in, stored):
    account(7, login="jane.doe", must_change_password=True)
    browser = app.test_client()
    csrf = {"X-CSRF-Token": sign_in(using=browser).get_json()["csrf_token"]}

    same = browser.post("/api/v1/password", json={"current": PASSWORD, "new": PASSWORD}, headers=csrf)

    assert "differ" in problem(same, 422)["errors"]["new"][0]
    assert stored.account(7).must_change_password is True


def test_sign_in_never_adopts_a_session_id_chosen_by_the_client(app, jane, sign_in, stored):
    browser = app.test_client()
    browser.set_cookie("portico_session", "attacker-chosen-value")

    response = sign_in(using=browser)

    assert response.status_code == 201
    issued = browser.get_cookie("portico_session").value
    assert issued != "attacker-chosen-value"
    assert [s.token_hash for s in stored.sessions()] == [sha256(issued)]


def test_signing_in_again_ends_the_previous_session_and_issues_a_new_token(problem, app, jane, sign_in, stored):
    browser = app.test_client()
    sign_in(using=browser)
    first = browser.get_cookie("portico_session").value

    sign_in(using=browser)

    second = browser.get_cookie("portico_session").value
    assert second != first
    old, new = stored.sessions(7)
    assert old.token_hash == sha256(first) and old.revoked_reason == "replaced" and old.revoked_at is not None
    assert new.token_hash == sha256(second) and new.revoked_at is None
    stale = app.test_client()
    stale.set_cookie("portico_session", first)
    problem(stale.get("/api/v1/session"), 401)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"login": "jane.doe"},
        {"password": PASSWORD},
        {"login": "", "password": PASSWORD},
        {"login": "x" * 65, "password": PASSWORD},
        {"login": "jane.doe", "password": PASSWORD, "delivery": "carrier-pigeon"},
        {"login": "jane.doe", "password": PASSWORD, "admin": True},
        {"login": 7, "password": PASSWORD},
    ],
    ids=[
        "empty",
        "no-password",
        "no-login",
        "empty-login",
        "long-login",
        "bad-delivery",
        "unknown-field",
        "login-not-a-string",
    ],
)
def test_malformed_sign_ins_get_422_and_count_nothing(problem, client, jane, stored, body):
    problem(client.post("/api/v1/session", json=body), 422)
    assert stored.sessions() == [] and stored.lockouts() == [] and stored.history() == []


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(client, jane, sign_in, stored, monkeypatch):
    from argon2 import PasswordHasher, profiles

    old_hash = stored.account(7).password_hash
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY))

    assert sign_in().status_code == 201

    new_hash = stored.account(7).password_hash
    assert new_hash != old_hash and "m=65536,t=3,p=4" in new_hash
    assert passwords.verify_password(new_hash, PASSWORD)


def test_failures_a_day_old_are_forgotten(client, jane, sign_in, stored, clock):
    clock.freeze()
    sign_in("sprayed.login", "guess 1")
    clock.advance(days=1, seconds=1)
    sign_in("jane.doe", "guess 2")
    assert [lock.login for lock in stored.lockouts()] == ["jane.doe"]

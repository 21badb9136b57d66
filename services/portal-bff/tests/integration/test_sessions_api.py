"""Sessions: CSRF for cookies (not bearer), idle and absolute expiry, sign-out, the list of sessions."""

from datetime import timedelta

import pytest

PASSWORD = "correct horse 42"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def app_token(app, jane, sign_in):
    """An app signed in as jane with a bearer token."""
    response = sign_in(using=app.test_client(), delivery="bearer", user_agent=IPHONE)
    assert response.status_code == 201
    return response.get_json()["token"]


def test_without_a_session_every_customer_route_answers_401(problem, client):
    for method, path in [
        ("get", "/api/v1/session"),
        ("delete", "/api/v1/session"),
        ("get", "/api/v1/sessions"),
        ("delete", "/api/v1/sessions"),
        ("delete", "/api/v1/sessions/some-id"),
        ("get", "/api/v1/sign-in-history"),
        ("post", "/api/v1/password"),
        ("get", "/api/v1/two-factor"),
        ("post", "/api/v1/two-factor"),
        ("get", "/api/v1/portal-config"),
        ("get", "/api/v1/menu"),
        ("get", "/api/v1/about"),
    ]:
        problem(getattr(client, method)(path), 401)


@pytest.mark.parametrize("header", [None, "", "wrong-token"], ids=["missing", "empty", "wrong"])
def test_an_unsafe_request_with_the_cookie_needs_the_csrf_token(problem, signed_in_client, stored, header):
    browser, _csrf, session_id = signed_in_client()
    headers = {} if header is None else {"X-CSRF-Token": header}

    refused = browser.delete("/api/v1/session", headers=headers)

    assert problem(refused, 403)["title"] == "CSRF token missing or wrong"
    assert stored.session(session_id).revoked_at is None


def test_with_the_csrf_token_the_cookie_request_goes_through(signed_in_client, stored):
    browser, csrf, session_id = signed_in_client()
    assert browser.get("/api/v1/session").get_json()["csrf_token"] == csrf  # safe methods need no token

    assert browser.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert stored.session(session_id).revoked_reason == "signed_out"


def test_bearer_requests_need_no_csrf_token(client, app_token, stored):
    response = client.delete("/api/v1/session", headers=bearer(app_token))

    assert response.status_code == 204
    [record] = stored.sessions(7)
    assert record.revoked_reason == "signed_out"


def test_a_bad_authorization_header_never_falls_back_to_the_cookie(problem, signed_in_client, stored):
    browser, _csrf, _session_id = signed_in_client()

    for header in ("Bearer not-a-session", "Basic amFuZTpwdw==", "Bearer "):
        problem(browser.delete("/api/v1/sessions", headers={"Authorization": header}), 401)
    assert browser.get("/api/v1/session").status_code == 200


def test_signing_out_ends_the_session_and_clears_the_cookie(problem, signed_in_client, stored):
    browser, csrf, _session_id = signed_in_client()
    token = browser.get_cookie("portico_session").value

    response = browser.delete("/api/v1/session", headers={"X-CSRF-Token": csrf})

    assert response.status_code == 204
    assert "portico_session=;" in response.headers["Set-Cookie"]
    assert browser.get_cookie("portico_session") is None
    problem(browser.get("/api/v1/session"), 401)
    # The token no longer works even if a copy of it is replayed.
    replay = browser.application.test_client()
    replay.set_cookie("portico_session", token)
    problem(replay.get("/api/v1/session"), 401)


def test_a_session_ends_after_thirty_idle_minutes(problem, signed_in_client, stored, clock):
    clock.freeze()
    browser, _csrf, _session_id = signed_in_client()

    clock.advance(minutes=29)
    assert browser.get("/api/v1/session").status_code == 200  # activity pushes the idle end back
    clock.advance(minutes=29)
    body = browser.get("/api/v1/session").get_json()
    assert body["idle_expires_at"] == (clock() + timedelta(minutes=30)).isoformat()

    clock.advance(minutes=30)
    problem(browser.get("/api/v1/session"), 401)


def test_last_seen_is_written_at_most_once_a_minute(signed_in_client, stored, clock):
    start = clock.freeze()
    browser, _csrf, session_id = signed_in_client()

    clock.advance(seconds=30)
    browser.get("/api/v1/session")
    assert stored.session(session_id).last_seen_at == start
    clock.advance(seconds=30)
    browser.get("/api/v1/session")
    assert stored.session(session_id).last_seen_at == start + timedelta(minutes=1)


def test_a_session_ends_twelve_hours_after_sign_in_however_active(problem, signed_in_client, clock):
    start = clock.freeze()
    browser, _csrf, _id = signed_in_client()
    while clock() < start + timedelta(hours=12) - timedelta(minutes=20):
        clock.advance(minutes=20)
        assert browser.get("/api/v1/session").status_code == 200

    clock.freeze(start + timedelta(hours=12))
    problem(browser.get("/api/v1/session"), 401)


def test_the_expiry_limits_come_from_the_settings(problem, make_app, jane, sign_in, clock):
    app = make_app(PORTAL_BFF_SESSION_IDLE_MINUTES="5", PORTAL_BFF_SESSION_ABSOLUTE_HOURS="1")
    browser = app.test_client()
    start = clock.freeze()
    body = sign_in(using=browser).get_json()
    assert body["expires_at"] == (start + timedelta(hours=1)).isoformat()
    clock.advance(minutes=5)
    problem(browser.get("/api/v1/session"), 401)


def test_the_session_list_shows_devices_and_marks_the_current_one(signed_in_client, app_token, stored):
    browser, _csrf, session_id = signed_in_client()

    listed = browser.get("/api/v1/sessions").get_json()["items"]

    # Newest first: the app signed in before this browser.
    assert [(s["device"], s["current"]) for s in listed] == [
        ("Firefox 128 on Linux", True),
        ("Mobile Safari 17 on iOS (iPhone)", False),
    ]
    mine = next(s for s in listed if s["current"])
    assert mine["id"] == session_id and mine["ip"] == "127.0.0.1" and mine["impersonated_by"] is None
    assert set(mine) == {"id", "device", "ip", "user_agent", "created_at", "last_seen_at", "current", "impersonated_by"}


def test_ending_one_other_session(problem, signed_in_client, app_token, client, stored):
    browser, csrf, session_id = signed_in_client()
    [other] = [s for s in stored.sessions(7) if s.id != session_id]

    assert browser.delete(f"/api/v1/sessions/{other.id}", headers={"X-CSRF-Token": csrf}).status_code == 204

    assert stored.session(other.id).revoked_reason == "signed_out_elsewhere"
    problem(client.get("/api/v1/session", headers=bearer(app_token)), 401)
    assert [s["id"] for s in browser.get("/api/v1/sessions").get_json()["items"]] == [session_id]
    problem(browser.delete(f"/api/v1/sessions/{other.id}", headers={"X-CSRF-Token": csrf}), 404)


def test_signing_out_everywhere_else_keeps_this_session(problem, signed_in_client, app_token, client, stored):
    browser, csrf, session_id = signed_in_client()
    second_browser, _c, second_id = signed_in_client()

    response = browser.delete("/api/v1/sessions", headers={"X-CSRF-Token": csrf})

    assert response.get_json() == {"ended": 2}
    assert {s.id: s.revoked_at is None for s in stored.sessions(7)} == {
        session_id: True,
        second_id: False,
        **{s.id: False for s in stored.sessions(7) if s.id not in (session_id, second_id)},
    }
    problem(client.get("/api/v1/session", headers=bearer(app_token)), 401)
    problem(second_browser.get("/api/v1/session"), 401)
    assert browser.get("/api/v1/session").status_code == 200


def test_another_customers_session_cannot_be_ended_or_seen(problem, app, account, signed_in_client, sign_in, stored):
    account(8, login="john.roe")
    john = app.test_client()
    johns_session = sign_in("john.roe", using=john).get_json()["id"]
    browser, csrf, _id = signed_in_client()

    problem(browser.delete(f"/api/v1/sessions/{johns_session}", headers={"X-CSRF-Token": csrf}), 404)

    assert stored.session(johns_session).revoked_at is None
    assert johns_session not in [s["id"] for s in browser.get("/api/v1/sessions").get_json()["items"]]
    assert browser.delete("/api/v1/sessions", headers={"X-CSRF-Token": csrf}).get_json() == {"ended": 0}
    assert john.get("/api/v1/session").status_code == 200


def test_a_password_change_ends_every_other_session(problem, signed_in_client, app_token, client, stored):
    browser, csrf, session_id = signed_in_client()

    changed = browser.post(
        "/api/v1/password", json={"current": PASSWORD, "new": "brand new horse 7"}, headers={"X-CSRF-Token": csrf}
    )

    assert changed.status_code == 204
    problem(client.get("/api/v1/session", headers=bearer(app_token)), 401)
    assert browser.get("/api/v1/session").status_code == 200
    assert {s.revoked_reason for s in stored.sessions(7) if s.id != session_id} == {"password_changed"}


def test_a_wrong_current_password_changes_nothing(problem, signed_in_client, app_token, stored):
    browser, csrf, _id = signed_in_client()
    before = stored.account(7).password_hash

    refused = browser.post(
        "/api/v1/password", json={"current": "not it 123", "new": "brand new horse 7"}, headers={"X-CSRF-Token": csrf}
    )

    assert problem(refused, 422)["errors"]["current"] == ["The current password is not correct."]
    assert stored.account(7).password_hash == before
    assert all(s.revoked_at is None for s in stored.sessions(7))


def test_the_new_password_must_meet_the_policy(problem, signed_in_client, stored):
    browser, csrf, _id = signed_in_client()

    refused = browser.post(
        "/api/v1/password", json={"current": PASSWORD, "new": "short1"}, headers={"X-CSRF-Token": csrf}
    )

    assert "at least 10 characters" in problem(refused, 422)["errors"]["new"][0]


def test_guessing_the_current_password_is_rate_limited(problem, signed_in_client, clock):
    clock.freeze(clock().replace(minute=0, second=0))
    browser, csrf, _id = signed_in_client()
    body = {"current": "guess 0000000", "new": "brand new horse 7"}
    statuses = [
        browser.post("/api/v1/password", json=body, headers={"X-CSRF-Token": csrf}).status_code for _ in range(6)
    ]
    assert statuses == [422] * 5 + [429]
    # Even the right one waits for the window to pass.
    right = browser.post(
        "/api/v1/password", json={"current": PASSWORD, "new": "brand new horse 7"}, headers={"X-CSRF-Token": csrf}
    )
    problem(right, 429)


def test_every_answer_carries_the_security_headers(client, signed_in_client):
    browser, _csrf, _id = signed_in_client()
    answers = [
        browser.get("/api/v1/session"),
        client.get("/api/v1/session"),  # 401
        client.get("/no/such/page"),  # 404
        client.get("/healthz"),
        client.post("/api/v1/session", json={}),  # 422
    ]
    for answer in answers:
        assert answer.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in answer.headers  # plain HTTP
    assert answers[0].headers["Cache-Control"] == "no-store"

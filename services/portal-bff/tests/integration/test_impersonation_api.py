"""Login as customer: a one-time two-minute link, a flagged session, read-only unless asked, audited."""

from datetime import timedelta

import pytest

from portal_bff.models import Impersonation
from portal_bff.password_tokens import token_hash
from portico.events.schemas import validate_event

PASSWORD = "correct horse 42"


@pytest.fixture
def link(client, operator):
    """Ask for a link as operator alice; return the answer's body."""

    def ask(customer_id: int = 7, *, write: bool = False, reason: str = "Customer called: invoice looks wrong"):
        response = client.post(
            f"/admin/v1/customers/{customer_id}/impersonation",
            json={"write": write, "reason": reason},
            headers=operator("alice"),
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return ask


def token_of(body: dict) -> str:
    return body["url"].rsplit("/", 1)[1]


def test_the_operator_gets_a_two_minute_link_and_the_request_is_recorded(jane, link, stored, clock):
    at = clock.freeze()

    body = link(write=True)

    assert body["url"].startswith("https://portal.example.net/api/v1/impersonation/")
    assert (body["customer_id"], body["operator"], body["write_access"]) == (7, "alice", True)
    assert body["expires_at"] == (at + timedelta(minutes=2)).isoformat() and body["opened_at"] is None
    [row] = stored.rows(Impersonation)
    assert (row.operator, row.reason, row.write_access, row.opened_at) == (
        "alice",
        "Customer called: invoice looks wrong",
        True,
        None,
    )
    assert row.token_hash == token_hash(token_of(body))


def test_only_operators_with_portal_admin_may_ask(problem, client, jane, operator, settings):
    body = {"write": False, "reason": "look around"}
    url = "/admin/v1/customers/7/impersonation"
    problem(client.post(url, json=body), 401)
    problem(client.post(url, json=body, headers=operator(scopes=("customers:read",))), 403)
    from portico.auth import customer_token

    problem(
        client.post(url, json=body, headers={"Authorization": f"Bearer {customer_token(settings.jwt_secret, 7)}"}), 403
    )
    problem(client.post("/admin/v1/customers/99/impersonation", json=body, headers=operator()), 404)
    problem(client.post(url, json={"write": "yes", "reason": "x"}, headers=operator()), 422)


def test_opening_the_link_sets_the_cookie_and_redirects_to_the_portal(app, jane, link, stored, outbox_events, clock):
    at = clock.freeze()
    body = link()
    browser = app.test_client()

    opened = browser.get(f"/api/v1/impersonation/{token_of(body)}", environ_base={"REMOTE_ADDR": "10.0.0.9"})

    assert opened.status_code == 303 and opened.headers["Location"] == "/"
    cookie = browser.get_cookie("portico_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    session = browser.get("/api/v1/session").get_json()
    assert session["impersonation"] == {"operator": "alice", "write_access": False}
    assert session["customer_id"] == 7
    assert session["expires_at"] == (at + timedelta(hours=1)).isoformat()  # shorter than a customer's 12 h
    [row] = stored.rows(Impersonation)
    assert (row.opened_at, row.opened_ip) == (at, "10.0.0.9")
    [record] = stored.sessions(7)
    assert (record.impersonation_id, record.impersonated_by, record.read_only) == (row.id, "alice", True)
    [line] = stored.history(7)
    assert (line.outcome, line.impersonated_by, line.ip, line.session_id) == (
        "impersonation",
        "alice",
        "10.0.0.9",
        record.id,
    )
    [event] = [e for e in outbox_events() if e["type"] == "portal.account.signed_in"]
    validate_event(event)
    assert event["data"]["impersonated_by"] == "alice"


def test_the_link_works_once(problem, app, jane, link, stored):
    token = token_of(link())
    assert app.test_client().post(f"/api/v1/impersonation/{token}").status_code == 201

    problem(app.test_client().get(f"/api/v1/impersonation/{token}"), 410)
    problem(app.test_client().post(f"/api/v1/impersonation/{token}"), 410)
    assert len(stored.sessions(7)) == 1


def test_the_link_expires_after_two_minutes(problem, app, jane, link, stored, clock):
    clock.freeze()
    token = token_of(link())
    clock.advance(minutes=2)

    problem(app.test_client().get(f"/api/v1/impersonation/{token}"), 410)
    assert stored.sessions(7) == [] and stored.rows(Impersonation)[0].opened_at is None


def test_an_unknown_link_is_refused(problem, app, jane):
    problem(app.test_client().get("/api/v1/impersonation/not-a-token"), 410)


def test_a_read_only_session_is_refused_every_change(problem, app, jane, link, signed_in_client, stored):
    _customer, _c, customers_session = signed_in_client()
    browser = app.test_client()
    body = browser.post(f"/api/v1/impersonation/{token_of(link())}").get_json()
    csrf = {"X-CSRF-Token": body["csrf_token"]}

    for method, path, json in [
        ("delete", "/api/v1/sessions", None),
        ("delete", f"/api/v1/sessions/{customers_session}", None),
        ("post", "/api/v1/password", {"current": PASSWORD, "new": "brand new horse 7"}),
        ("post", "/api/v1/two-factor", None),
    ]:
        refused = getattr(browser, method)(path, json=json, headers=csrf)
        assert problem(refused, 403)["title"] in ("Read-only session", "Not while impersonating")
    assert stored.session(customers_session).revoked_at is None
    # Reading works, and the operator can sign out of the session.
    assert browser.get("/api/v1/sessions").status_code == 200
    assert browser.get("/api/v1/sign-in-history").status_code == 200
    assert browser.delete("/api/v1/session", headers=csrf).status_code == 204


def test_write_access_allows_changes_but_never_the_customers_own_security(
    problem, app, jane, link, signed_in_client, stored
):
    _customer, _c, customers_session = signed_in_client()
    browser = app.test_client()
    body = browser.post(f"/api/v1/impersonation/{token_of(link(write=True))}").get_json()
    csrf = {"X-CSRF-Token": body["csrf_token"]}

    changed = browser.post("/api/v1/password", json={"current": PASSWORD, "new": "brand new horse 7"}, headers=csrf)
    assert problem(changed, 403)["title"] == "Not while impersonating"
    problem(browser.post("/api/v1/two-factor", headers=csrf), 403)

    assert browser.delete(f"/api/v1/sessions/{customers_session}", headers=csrf).status_code == 204


def test_an_impersonation_skips_the_customers_forced_steps(app, account, link):
    account(7, login="jane.doe", must_change_password=True)
    browser = app.test_client()
    body = browser.post(f"/api/v1/impersonation/{token_of(link())}").get_json()
    assert body["restrictions"] == []
    assert browser.get("/api/v1/sessions").status_code == 200


def test_the_customer_sees_the_impersonation_in_their_sessions_and_history(app, jane, link, signed_in_client):
    app.test_client().get(f"/api/v1/impersonation/{token_of(link())}")
    browser, _csrf, _id = signed_in_client()

    sessions = browser.get("/api/v1/sessions").get_json()["items"]
    history = browser.get("/api/v1/sign-in-history").get_json()["items"]

    assert [s["impersonated_by"] for s in sessions] == [None, "alice"]
    assert [(h["outcome"], h["impersonated_by"]) for h in history] == [("success", None), ("impersonation", "alice")]


def test_operators_read_the_audit(client, jane, link, operator, app):
    first = link(reason="first look")
    app.test_client().get(f"/api/v1/impersonation/{token_of(first)}")
    link(write=True, reason="fix the address")

    items = client.get("/admin/v1/customers/7/impersonations", headers=operator()).get_json()["items"]

    assert [(i["reason"], i["write_access"], i["opened_at"] is not None) for i in items] == [
        ("fix the address", True, False),
        ("first look", False, True),
    ]
    assert all("url" not in i for i in items)


def test_opening_a_link_in_a_signed_in_browser_ends_its_previous_session(jane, link, signed_in_client, stored):
    browser, _csrf, customers_session = signed_in_client()

    browser.get(f"/api/v1/impersonation/{token_of(link())}")

    assert stored.session(customers_session).revoked_reason == "replaced"
    assert browser.get("/api/v1/session").get_json()["impersonation"]["operator"] == "alice"

"""Portal config: a general default and per-partner overrides, merged; validated; hidden modules 404."""

import pytest

from portal_bff.models import PortalConfigRecord
from portal_bff.portal_config import DEFAULTS

GENERAL = "/admin/v1/portal-config"


def partner(partner_id: int) -> str:
    return f"/admin/v1/portal-config/partners/{partner_id}"


def test_with_nothing_stored_the_built_in_defaults_apply(client, operator):
    body = client.get(GENERAL, headers=operator()).get_json()
    assert body == {"override": {}, "effective": DEFAULTS, "updated_at": None, "updated_by": None}
    assert body["effective"]["restricted_access"] == {"modules": ["finance"]}


def test_the_partners_effective_config_is_defaults_general_and_override_merged(client, operator, stored, clock):
    at = clock.freeze()
    general = client.put(
        GENERAL,
        json={"main": {"title": "Acme Internet"}, "tickets": {"columns": ["id", "subject", "status"]}},
        headers=operator("alice"),
    )
    assert general.status_code == 200
    assert general.get_json()["updated_by"] == "alice" and general.get_json()["updated_at"] == at.isoformat()

    response = client.put(
        partner(3),
        json={
            "menu": {"news": False},
            "tickets": {"columns": ["id", "priority"]},
            "main": {"support_phone": "+1 555 0100"},
        },
        headers=operator("bob"),
    )

    assert response.status_code == 200
    effective = response.get_json()["effective"]
    assert effective["main"] == DEFAULTS["main"] | {"title": "Acme Internet", "support_phone": "+1 555 0100"}
    assert effective["menu"] == DEFAULTS["menu"] | {"news": False}
    assert effective["tickets"] == {"columns": ["id", "priority"], "allow_attachments": True}  # lists replace
    assert effective["dashboard"] == DEFAULTS["dashboard"]
    assert response.get_json()["override"]["menu"] == {"news": False}
    # Another partner gets the general default.
    other = client.get(partner(4), headers=operator()).get_json()
    assert other["override"] == {} and other["effective"]["menu"]["news"] is True
    assert other["effective"]["main"]["title"] == "Acme Internet"
    assert {r.partner_id: r.updated_by for r in stored.rows(PortalConfigRecord)} == {0: "alice", 3: "bob"}


def test_the_signed_in_customer_gets_their_partners_config(app, client, account, operator, sign_in):
    client.put(partner(3), json={"main": {"title": "Partner Three"}}, headers=operator())
    account(7, login="jane.doe", partner_id=3, status="active")
    browser = app.test_client()
    sign_in(using=browser)

    config = browser.get("/api/v1/portal-config").get_json()

    assert config["main"]["title"] == "Partner Three"
    assert set(config) == set(DEFAULTS)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"colours": {}}, "colours"),
        ({"menu": {"news": "no"}}, "menu"),
        ({"menu": {"casino": True}}, "menu"),
        ({"tickets": {"columns": ["id", "secret_notes"]}}, "tickets"),
        ({"tickets": {"columns": ["id", "id"]}}, "tickets"),
        ({"tickets": {"columns": []}}, "tickets"),
        ({"profile": {"emails": "writable"}}, "profile"),
        ({"main": {"support_email": "not an email"}}, "main"),
        ({"dashboard": {"shortcut_buttons": [{"label": "Pay", "url": "javascript:alert(1)"}]}}, "dashboard"),
        ({"dashboard": {"shortcut_buttons": [{"label": "Pay", "url": "//evil.example/x"}]}}, "dashboard"),
        ({"dashboard": {"shortcut_buttons": [{"label": "Pay"}]}}, "dashboard"),
        ({"finance": {"payment_methods": ["Credit Card"]}}, "finance"),
        ({"restricted_access": {"modules": ["finance", "admin"]}}, "restricted_access"),
        ({"security": {"require_two_factor": 1}}, "security"),
        ([], None),
    ],
    ids=[
        "unknown-section",
        "not-a-boolean",
        "unknown-module",
        "unknown-ticket-column",
        "column-twice",
        "no-columns",
        "unknown-access",
        "bad-support-email",
        "javascript-url",
        "protocol-relative-url",
        "button-without-url",
        "bad-payment-method",
        "unknown-restricted-module",
        "number-for-boolean",
        "not-an-object",
    ],
)
def test_an_invalid_config_is_refused_and_nothing_is_stored(problem, client, operator, stored, body, where):
    client.put(partner(3), json={"menu": {"news": False}}, headers=operator())
    before = [(r.partner_id, r.config) for r in stored.rows(PortalConfigRecord)]

    for url in (GENERAL, partner(3)):
        refused = problem(client.put(url, json=body, headers=operator()), 422)
        if where:
            assert where in refused["errors"]

    assert [(r.partner_id, r.config) for r in stored.rows(PortalConfigRecord)] == before


def test_a_partner_override_can_be_dropped(problem, client, operator, stored):
    client.put(partner(3), json={"menu": {"news": False}}, headers=operator())
    assert client.delete(partner(3), headers=operator()).status_code == 204
    assert stored.rows(PortalConfigRecord) == []
    problem(client.delete(partner(3), headers=operator()), 404)
    problem(client.get(partner(0), headers=operator()), 404)  # partner 0 is not a partner


def test_only_portal_admins_read_or_change_it(problem, client, operator, stored):
    problem(client.get(GENERAL), 401)
    problem(client.put(GENERAL, json={}, headers=operator(scopes=("customers:write",))), 403)
    problem(client.put(partner(2), json={"menu": {"news": False}}, headers=operator(scopes=("billing:write",))), 403)
    assert stored.rows(PortalConfigRecord) == []


def test_the_menu_lists_only_enabled_modules_and_a_hidden_module_answers_404(
    problem, app, client, jane, operator, sign_in
):
    browser = app.test_client()
    sign_in(using=browser)
    assert browser.get("/api/v1/menu").get_json()["modules"] == [
        "dashboard",
        "services",
        "finance",
        "messages",
        "news",
        "tickets",
        "documents",
        "profile",
        "about",
    ]
    client.put(partner(1), json={"main": {"about": "We connect the valley."}}, headers=operator())
    assert browser.get("/api/v1/about").get_json()["about"] == "We connect the valley."

    client.put(partner(1), json={"menu": {"about": False, "news": False}}, headers=operator())

    assert "about" not in browser.get("/api/v1/menu").get_json()["modules"]
    assert "news" not in browser.get("/api/v1/menu").get_json()["modules"]
    problem(browser.get("/api/v1/about"), 404)


@pytest.mark.parametrize("status", ["blocked", "inactive"])
def test_blocked_and_inactive_customers_see_finance_only_by_default(
    problem, app, client, account, operator, sign_in, status
):
    account(7, login="jane.doe", status=status)
    browser = app.test_client()
    assert sign_in(using=browser).status_code == 201

    assert browser.get("/api/v1/menu").get_json()["modules"] == ["finance"]
    problem(browser.get("/api/v1/about"), 404)

    client.put(GENERAL, json={"restricted_access": {"modules": ["finance", "about"]}}, headers=operator())
    assert browser.get("/api/v1/menu").get_json()["modules"] == ["finance", "about"]
    assert browser.get("/api/v1/about").status_code == 200


def test_a_billing_status_change_reaches_the_menu(app, jane, handle, customer_updated, sign_in):
    browser = app.test_client()
    sign_in(using=browser)
    handle(customer_updated(7, revision=2, login="jane.doe", status="blocked"))
    assert browser.get("/api/v1/menu").get_json()["modules"] == ["finance"]

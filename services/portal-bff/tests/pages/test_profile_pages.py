"""The Profile page: billing's record of the customer, shown and changed as the portal config allows."""

UNAVAILABLE = {"status": "unavailable"}


def test_the_profile_shows_the_configured_fields(jane, customer):
    page = jane.get("/api/v1/profile").get_json()

    assert page["profile"] == {
        "status": "ok",
        "login": "jane.doe",
        "values": {
            "full_name": "Jane Doe",
            "emails": ["jane@example.com"],
            "billing_emails": [],
            "phones": [],
            "street": None,
            "zip_code": None,
            "city": None,
        },
        "editable": ["emails", "billing_emails", "phones"],
    }


def test_hidden_profile_fields_are_left_out(jane, customer, configure):
    configure(customer["partner_id"], {"profile": {"phones": "hidden", "city": "editable"}})

    profile = jane.get("/api/v1/profile").get_json()["profile"]

    assert "phones" not in profile["values"]
    assert "phones" not in profile["editable"] and "city" in profile["editable"]


def test_editable_fields_change_in_billing(jane, customer, seed):
    response = jane.patch("/api/v1/profile", json={"phones": ["+44 20 7946 0001"], "emails": ["j@example.org"]})

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["profile"]["values"]["phones"] == ["+44 20 7946 0001"]
    stored = seed.admin("billing", "GET", f"/admin/v1/customers/{customer['id']}").json()
    assert (stored["phones"], stored["emails"]) == (["+44 20 7946 0001"], ["j@example.org"])


def test_a_field_the_partner_does_not_make_editable_is_refused(jane, customer, upstreams, problem):
    asked = upstreams["billing"].proxy.connections

    body = problem(jane.patch("/api/v1/profile", json={"full_name": "Janet Doe", "city": "Paris"}), 422)

    assert set(body["errors"]) == {"full_name", "city"}  # read-only by default
    assert upstreams["billing"].proxy.connections == asked


def test_invalid_values_are_refused(jane, customer, problem):
    body = problem(jane.patch("/api/v1/profile", json={"emails": ["not-an-email"], "nickname": "x"}), 422)

    assert {"emails", "nickname"} <= set(body["errors"])


def test_a_change_while_billing_is_down_answers_503_and_changes_nothing(jane, customer, seed, upstreams, problem):
    upstreams["billing"].proxy.down()

    body = problem(jane.patch("/api/v1/profile", json={"phones": ["+44 20 7946 0001"]}), 503)

    assert body["service"] == "billing"
    assert jane.get("/api/v1/profile").get_json() == {"profile": UNAVAILABLE}
    upstreams["billing"].proxy.up()
    assert seed.admin("billing", "GET", f"/admin/v1/customers/{customer['id']}").json()["phones"] == []


def test_a_read_only_impersonation_cannot_change_the_profile(customer, client, operator, problem):
    link = client.post(
        f"/admin/v1/customers/{customer['id']}/impersonation",
        json={"write": False, "reason": "checking the portal"},
        headers=operator(),
    ).get_json()
    browser = client.application.test_client()
    session = browser.post(link["url"].removeprefix("https://portal.example.net")).get_json()

    response = browser.patch(
        "/api/v1/profile", json={"phones": ["+44 20 7946 0001"]}, headers={"X-CSRF-Token": session["csrf_token"]}
    )

    problem(response, 403)

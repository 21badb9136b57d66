"""Every change to a customer lands on its timeline with who made it, newest first."""

from sqlalchemy import select

from billing.models import Activity


def test_create_patch_status_and_comment_make_four_entries_newest_first(
    make_customer, client, operator, as_operator, db
):
    customer = make_customer(full_name="Jane Doe", city="Leeds")
    url = f"/admin/v1/customers/{customer['id']}"
    client.patch(url, json={"full_name": "Jane Roe", "city": "York"}, headers=operator)
    client.patch(url, json={"status": "active"}, headers=as_operator("maria"))
    client.post(f"{url}/comments", json={"body": "Prefers email."}, headers=operator)

    response = client.get(f"{url}/activity", headers=operator)

    assert response.status_code == 200
    page = response.get_json()
    assert page["next_cursor"] is None
    entries = page["items"]
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("comment.added", "admin"),
        ("customer.status_changed", "maria"),
        ("customer.updated", "admin"),
        ("customer.created", "admin"),
    ]
    assert entries[0]["changes"] == [{"field": "comment", "old": None, "new": "Prefers email."}]
    assert entries[1]["changes"] == [{"field": "status", "old": "new", "new": "active"}]
    assert entries[2]["changes"] == [
        {"field": "full_name", "old": "Jane Doe", "new": "Jane Roe"},
        {"field": "city", "old": "Leeds", "new": "York"},
    ]
    created = {c["field"]: c for c in entries[3]["changes"]}
    assert created["login"] == {"field": "login", "old": None, "new": "jane.doe"}
    assert created["minimum_balance"]["new"] == "0.00"
    with db.reading() as session:
        assert session.scalars(select(Activity.action).order_by(Activity.id)).all() == [
            "customer.created",
            "customer.updated",
            "customer.status_changed",
            "comment.added",
        ]


def test_a_change_that_changes_nothing_and_a_refused_change_leave_no_entry(make_customer, client, operator):
    customer = make_customer(status="active")
    url = f"/admin/v1/customers/{customer['id']}"
    client.patch(url, json={"full_name": customer["full_name"]}, headers=operator)
    assert client.patch(url, json={"status": "lead"}, headers=operator).status_code == 409
    assert client.patch(url, json={"grace_days": -1}, headers=operator).status_code == 422
    actions = [e["action"] for e in client.get(f"{url}/activity", headers=operator).get_json()["items"]]
    assert actions == ["customer.status_changed", "customer.created"]


def test_the_timeline_pages_with_a_cursor(make_customer, client, operator):
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}"
    for n in range(6):
        client.post(f"{url}/comments", json={"body": f"note {n}"}, headers=operator)

    first = client.get(f"{url}/activity?limit=4", headers=operator).get_json()
    second = client.get(f"{url}/activity?limit=4&cursor={first['next_cursor']}", headers=operator).get_json()

    bodies = [e["changes"][0]["new"] for e in first["items"] + second["items"]]
    assert bodies[:6] == [f"note {n}" for n in reversed(range(6))]
    assert second["items"][-1]["action"] == "customer.created"
    assert second["next_cursor"] is None


def test_a_service_token_is_named_as_such(make_customer, client, settings):
    from portico.auth import ALL_SCOPES, mint_token

    token = mint_token(settings.jwt_secret, subject="service:portal-bff", audience="billing", scopes=ALL_SCOPES)
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}"
    client.patch(url, json={"city": "Hull"}, headers={"Authorization": f"Bearer {token}"})
    latest = client.get(f"{url}/activity", headers={"Authorization": f"Bearer {token}"}).get_json()["items"][0]
    assert latest["actor"] == "service:portal-bff"


def test_bad_activity_requests_are_refused(make_customer, client, operator, as_customer):
    customer = make_customer()
    url = f"/admin/v1/customers/{customer['id']}/activity"
    assert client.get("/admin/v1/customers/999/activity", headers=operator).status_code == 404
    for query in ("limit=0", "limit=x", "cursor=%%%", "since=yesterday"):
        response = client.get(f"{url}?{query}", headers=operator)
        assert response.status_code == 422, query
        assert response.mimetype == "application/problem+json"
    assert client.get(url, headers=as_customer(customer["id"])).status_code == 403

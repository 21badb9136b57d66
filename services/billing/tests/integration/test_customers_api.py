"""Operators create and change customers; every change is one event in the outbox."""

import json

from sqlalchemy import select

from billing.models import Customer, outbox


def new_customer(partner_id: int, **changes) -> dict:
    body = {
        "login": "jane.doe",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com"],
        "billing_emails": ["billing@example.com"],
        "phones": ["+44 20 7946 0000"],
        "partner_id": partner_id,
        "location": "North",
        "street": "1 High Street",
        "zip_code": "AB1 2CD",
        "city": "Springfield",
        "geo": {"lat": 51.5, "lng": -0.12},
    }
    return body | changes


def outbox_events(app) -> list[dict]:
    with app.extensions["portico.db"].reading() as session:
        rows = session.execute(select(outbox.c.payload).order_by(outbox.c.seq)).scalars().all()
    return [json.loads(row) for row in rows]


def customers_in_db(app) -> list[Customer]:
    with app.extensions["portico.db"].reading() as session:
        return session.scalars(select(Customer)).all()


def test_operator_creates_customer_and_customer_created_is_in_outbox(client, operator, partner, app):
    response = client.post("/admin/v1/customers", json=new_customer(partner["id"]), headers=operator)

    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "new"
    assert body["billing_type"] == "recurring"
    assert body["revision"] == 1
    assert body["geo"] == {"lat": 51.5, "lng": -0.12}
    [event] = outbox_events(app)
    assert event["type"] == "billing.customer.created"
    assert event["data"]["id"] == body["id"]
    assert event["data"]["login"] == "jane.doe"
    assert event["data"]["emails"] == ["jane@example.com"]


def test_customer_ids_are_sequential(client, operator, partner):
    first = client.post("/admin/v1/customers", json=new_customer(partner["id"], login="a1"), headers=operator)
    second = client.post("/admin/v1/customers", json=new_customer(partner["id"], login="a2"), headers=operator)
    assert second.get_json()["id"] == first.get_json()["id"] + 1


def test_patch_emits_updated_with_increasing_revision_and_changed_fields(client, operator, partner, app):
    created = client.post("/admin/v1/customers", json=new_customer(partner["id"]), headers=operator).get_json()

    first = client.patch(f"/admin/v1/customers/{created['id']}", json={"full_name": "Jane Roe"}, headers=operator)
    second = client.patch(f"/admin/v1/customers/{created['id']}", json={"status": "active"}, headers=operator)

    assert first.status_code == 200 and second.status_code == 200
    assert second.get_json()["revision"] == 3
    updates = [e for e in outbox_events(app) if e["type"] == "billing.customer.updated"]
    assert [u["data"]["revision"] for u in updates] == [2, 3]
    assert [u["data"]["changed"] for u in updates] == [["full_name"], ["status"]]


def test_patch_that_changes_nothing_emits_nothing(client, operator, partner, app):
    created = client.post("/admin/v1/customers", json=new_customer(partner["id"]), headers=operator).get_json()
    response = client.patch(f"/admin/v1/customers/{created['id']}", json={"full_name": "Jane Doe"}, headers=operator)
    assert response.get_json()["revision"] == 1
    assert len(outbox_events(app)) == 1


def test_bad_input_answers_problem_json_and_writes_nothing(client, operator, partner, app):
    bad_bodies = [
        {},
        new_customer(partner["id"], login="has space"),
        new_customer(partner["id"], emails=["not-an-email"]),
        new_customer(partner["id"]) | {"partner_id": "1"},
        new_customer(partner["id"], geo={"lat": 91, "lng": 0}),
        new_customer(partner["id"], status="blocked"),
        new_customer(partner["id"], unknown_field=1),
    ]
    for body in bad_bodies:
        response = client.post("/admin/v1/customers", json=body, headers=operator)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"]
    response = client.post("/admin/v1/customers", data="{not json", headers=operator, content_type="application/json")
    assert response.status_code in (400, 422)
    assert customers_in_db(app) == []
    assert outbox_events(app) == []


def test_unknown_partner_and_taken_login_are_refused(client, operator, partner, app):
    assert client.post("/admin/v1/customers", json=new_customer(999), headers=operator).status_code == 422
    assert client.post("/admin/v1/customers", json=new_customer(partner["id"]), headers=operator).status_code == 201
    again = client.post("/admin/v1/customers", json=new_customer(partner["id"]), headers=operator)
    assert again.status_code == 409
    assert again.get_json()["title"] == "Conflict"
    assert len(customers_in_db(app)) == 1
    assert len(outbox_events(app)) == 1


def test_convert_to_lead_only_from_new(client, operator, partner):
    created = client.post("/admin/v1/customers", json=new_customer(partner["id"]), headers=operator).get_json()
    url = f"/admin/v1/customers/{created['id']}"
    assert client.patch(url, json={"status": "active"}, headers=operator).status_code == 200
    refused = client.patch(url, json={"status": "lead"}, headers=operator)
    assert refused.status_code == 409
    assert client.get(url, headers=operator).get_json()["status"] == "active"


def test_tokens_are_enforced(client, partner, as_customer, operator):
    body = new_customer(partner["id"])
    assert client.post("/admin/v1/customers", json=body).status_code == 401
    assert client.post("/admin/v1/customers", json=body, headers={"Authorization": "Bearer junk"}).status_code == 401
    assert client.post("/admin/v1/customers", json=body, headers=as_customer(1)).status_code == 403
    assert client.get("/admin/v1/customers/12345", headers=operator).status_code == 404
